//! The state tables against the log. The events table is the source of truth (DESIGN §5); the
//! tables beside it (users, settings, model versions, feature documentation, claims, cases)
//! hold the current state so it can be read quickly. Each module here folds the events that
//! make one table's rows and compares the fold with the rows, so that a row edited with the
//! sqlite3 shell is named by `verify` and refused by the code that would act on it.
//!
//! The readers that act on state call the per-row checks (`users::check`, `settings::read`,
//! `models::logged`, ...) on the row they are about to use; `verify` calls
//! [`first_disagreement`] over every row.

pub(super) mod cases;
pub(super) mod claims;
pub(super) mod erasures;
pub(super) mod features;
pub(super) mod models;
pub(super) mod outcomes;
pub(super) mod users;

use rusqlite::Connection;
use serde_json::Value;

use super::{Result, StoreError};
use crate::domain::event::EventKind;

/// A row of a state table that says something the log never said, or a row the log made that
/// the table lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// `users`, `settings`, `model_versions`, `feature_metadata`, `claims`, `cases` or
    /// `erasures`.
    pub table: &'static str,
    /// The row as people name it: a user, a settings key, a model version, a feature, a
    /// household.
    pub row: String,
    /// The column or part that differs (`role`, `approved_by`, `value`, `status`, ...), or
    /// `row` when the whole row is missing on one side.
    pub column: &'static str,
    /// What the table holds there; `None` when it has no such row.
    pub stored: Option<String>,
    /// What the log says it should hold; `None` when the log never made the row.
    pub logged: Option<String>,
}

impl Disagreement {
    pub(crate) fn new(
        table: &'static str,
        row: impl Into<String>,
        column: &'static str,
        stored: Option<String>,
        logged: Option<String>,
    ) -> Disagreement {
        Disagreement {
            table,
            row: row.into(),
            column,
            stored,
            logged,
        }
    }

    pub(crate) fn refusal(self) -> StoreError {
        StoreError::StateDisagrees(Box::new(self))
    }
}

/// One event as the folds read it.
pub(super) struct LoggedEvent {
    pub at: String,
    pub actor: String,
    pub kind: EventKind,
    pub payload: Value,
}

impl LoggedEvent {
    pub fn text(&self, field: &str) -> Option<&str> {
        self.payload.get(field).and_then(Value::as_str)
    }

    pub fn int(&self, field: &str) -> Option<i64> {
        self.payload.get(field).and_then(Value::as_i64)
    }
}

/// The events of these kinds in log order; with `only`, those whose payload field has that
/// value (`json_extract(payload, path) = value`). Every kind read here is rare next to
/// decisions and views, and `events(kind, at)` finds them.
pub(super) fn events_of(
    conn: &Connection,
    kinds: &[EventKind],
    only: Option<(&str, &dyn rusqlite::ToSql)>,
) -> Result<Vec<LoggedEvent>> {
    let list = kinds
        .iter()
        .map(|k| format!("'{}'", k.as_code()))
        .collect::<Vec<_>>()
        .join(", ");
    let filter = match only {
        Some((path, _)) => format!(" AND json_extract(payload, '{path}') = ?1"),
        None => String::new(),
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT seq, at, actor, kind, payload FROM events
         WHERE kind IN ({list}){filter} ORDER BY seq"
    ))?;
    let params: Vec<&dyn rusqlite::ToSql> = only.map(|(_, v)| vec![v]).unwrap_or_default();
    let mut rows = stmt.query(params.as_slice())?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let kind: String = r.get(3)?;
        let payload: String = r.get(4)?;
        let corrupt = |what: String| StoreError::Corrupt(format!("event {seq}: {what}"));
        out.push(LoggedEvent {
            at: r.get(1)?,
            actor: r.get(2)?,
            kind: EventKind::from_code(&kind).ok_or_else(|| corrupt(format!("kind `{kind}`")))?,
            payload: serde_json::from_str(&payload).map_err(|e| corrupt(e.to_string()))?,
        });
    }
    Ok(out)
}

/// The first row of any state table that disagrees with the log, in a fixed order: who may
/// act (users), the rules they act under (settings), the models and their documentation,
/// then claims and cases.
pub(super) fn first_disagreement(conn: &Connection) -> Result<Option<Disagreement>> {
    type Check = fn(&Connection) -> Result<Option<Disagreement>>;
    let checks: [Check; 8] = [
        users::first_disagreement,
        super::settings::first_disagreement,
        models::first_disagreement,
        features::first_disagreement,
        claims::first_disagreement,
        cases::first_disagreement,
        outcomes::first_disagreement,
        erasures::first_disagreement,
    ];
    for check in checks {
        if let Some(d) = check(conn)? {
            return Ok(Some(d));
        }
    }
    Ok(None)
}

/// Compares two maps of rows key by key: the first key whose rows differ, with the first
/// column that differs (`diff` says which and how each side reads), or a row on one side only.
pub(super) fn first_difference<K: Ord + Clone + std::fmt::Display, V>(
    table: &'static str,
    stored: &std::collections::BTreeMap<K, V>,
    logged: &std::collections::BTreeMap<K, V>,
    describe: impl Fn(&V) -> String,
    diff: impl Fn(&V, &V) -> Option<(&'static str, String, String)>,
) -> Option<Disagreement> {
    let keys: std::collections::BTreeSet<&K> = stored.keys().chain(logged.keys()).collect();
    keys.into_iter()
        .find_map(|k| match (stored.get(k), logged.get(k)) {
            (Some(s), Some(l)) => diff(s, l).map(|(column, s, l)| {
                Disagreement::new(table, k.to_string(), column, some(s), some(l))
            }),
            (Some(s), None) => Some(Disagreement::new(
                table,
                k.to_string(),
                "row",
                Some(describe(s)),
                None,
            )),
            (None, Some(l)) => Some(Disagreement::new(
                table,
                k.to_string(),
                "row",
                None,
                Some(describe(l)),
            )),
            (None, None) => None,
        })
}

/// `-` (how a diff shows nothing) as nothing.
pub(super) fn some(v: String) -> Option<String> {
    (v != "-").then_some(v)
}

/// A value for a message: `-` for none.
pub(super) fn shown(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "-".to_owned())
}
