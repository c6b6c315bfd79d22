//! Errors of the storage layer: each says what went wrong, where, and what to do, in the
//! user's language (the texts live in `assets/strings.toml` under `[error]`).

use std::fmt;
use std::path::PathBuf;

use crate::i18n::{t, tf};

#[derive(Debug)]
pub enum StoreError {
    NotSqlite {
        path: PathBuf,
    },
    /// An empty file: not (or no longer) an oordeel database.
    Uninitialised {
        path: PathBuf,
    },
    ForeignDatabase {
        path: PathBuf,
        found: i64,
    },
    NewerSchema {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    Io {
        path: PathBuf,
        message: String,
    },
    NoSuchCase(i64),
    AlreadyDecided {
        case_id: i64,
        status: String,
    },
    NoModel,
    /// The database lacks something a command needs (`what` is an i18n key).
    Empty(&'static str),
    Sql(rusqlite::Error),
    Corrupt(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            StoreError::NotSqlite { path } => tf("error.not_sqlite", &[("path", &path.display())]),
            StoreError::Uninitialised { path } => {
                tf("error.uninitialised", &[("path", &path.display())])
            }
            StoreError::ForeignDatabase { path, found } => tf(
                "error.foreign",
                &[("path", &path.display()), ("found", &format!("{found:#x}"))],
            ),
            StoreError::NewerSchema { path, found, known } => tf(
                "error.newer_schema",
                &[
                    ("path", &path.display()),
                    ("found", found),
                    ("known", known),
                ],
            ),
            StoreError::Open { path, source } => tf(
                "error.open",
                &[("path", &path.display()), ("cause", source)],
            ),
            StoreError::Io { path, message } => format!("{}: {message}", path.display()),
            StoreError::NoSuchCase(id) => tf("error.no_case", &[("case", id)]),
            StoreError::AlreadyDecided { case_id, status } => tf(
                "error.already_decided",
                &[
                    ("case", case_id),
                    ("status", &t(&format!("status.{status}"))),
                ],
            ),
            StoreError::NoModel => t("error.no_model").to_owned(),
            StoreError::Empty(what) => tf("error.empty", &[("what", &t(what))]),
            StoreError::Sql(e) => tf("error.sql", &[("cause", e)]),
            StoreError::Corrupt(what) => tf("error.corrupt", &[("what", what)]),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Open { source, .. } | StoreError::Sql(source) => Some(source),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sql(e)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
