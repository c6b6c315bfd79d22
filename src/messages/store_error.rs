//! The sentence each [`StoreError`] becomes: what went wrong, where, and what to do, in the
//! user's language.

use std::fmt;

use crate::i18n::{t, tf};
use crate::store::{IoFailure, StoreError};

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            StoreError::Refused(refusal) => return refusal.fmt(f),
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
            StoreError::Io { path, failure } => {
                let why = match failure {
                    IoFailure::Missing => t("error.missing").to_owned(),
                    IoFailure::NoAccess { me } => tf("error.no_access", &[("me", me)]),
                    IoFailure::IsDirectory => t("error.is_directory").to_owned(),
                    IoFailure::Os(message) => message.clone(),
                };
                format!("{}: {why}", path.display())
            }
            StoreError::StateDisagrees(d) => {
                let (stored, logged) = where_they_differ(d.stored.as_deref(), d.logged.as_deref());
                tf(
                    "error.state_disagrees",
                    &[
                        ("table", &d.table),
                        ("row", &d.row),
                        ("column", &d.column),
                        ("stored", &stored),
                        ("logged", &logged),
                    ],
                )
            }
            StoreError::PurgeNotOverwritten => t("error.purge_not_overwritten").to_string(),
            StoreError::Sql(e) => tf("error.sql", &[("cause", e)]),
            StoreError::Corrupt(what) => tf("error.corrupt", &[("what", what)]),
            StoreError::FourEyes(what) => tf("error.four_eyes", &[("what", what)]),
            StoreError::FeatureRules(what) => tf("error.feature_rules", &[("what", what)]),
            StoreError::BadSetting { key, value } => {
                tf("error.bad_setting", &[("key", key), ("value", value)])
            }
        };
        f.write_str(&text)
    }
}

/// A stored or logged value in a message: one line, at most 60 characters (a rule file is
/// long), `-` for none.
pub fn one_line(value: Option<&str>) -> String {
    match value {
        None => "-".to_owned(),
        Some(v) => {
            let flat = v.split_whitespace().collect::<Vec<_>>().join(" ");
            if flat.chars().count() > 60 {
                format!("`{}…`", flat.chars().take(59).collect::<String>())
            } else {
                format!("`{flat}`")
            }
        }
    }
}

/// Two long values as [`one_line`] shows them, each from a little before the first place
/// they differ: two rule files agree for hundreds of characters, and the difference is what
/// the reader needs to see.
pub fn where_they_differ(stored: Option<&str>, logged: Option<&str>) -> (String, String) {
    let flat = |v: &str| v.split_whitespace().collect::<Vec<_>>().join(" ");
    match (stored, logged) {
        (Some(s), Some(l)) => {
            let (s, l) = (flat(s), flat(l));
            let at = s
                .chars()
                .zip(l.chars())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| s.chars().count().min(l.chars().count()));
            let from = |t: &str| {
                if at > 20 {
                    format!("…{}", t.chars().skip(at - 20).collect::<String>())
                } else {
                    t.to_owned()
                }
            };
            (one_line(Some(&from(&s))), one_line(Some(&from(&l))))
        }
        (s, l) => (one_line(s), one_line(l)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_shown_from_where_they_differ() {
        let a = format!("{} rule = 1", "x ".repeat(100));
        let b = format!("{} rule = 2", "x ".repeat(100));
        let (s, l) = where_they_differ(Some(&a), Some(&b));
        assert!(
            s.contains("rule = 1") && l.contains("rule = 2"),
            "{s} / {l}"
        );
        assert_eq!(
            where_they_differ(None, Some("on")),
            ("-".into(), "`on`".into())
        );
    }
}
