//! Model versions from `model_trained` and `model_approved` events: who trained each version
//! and when, on which data, with which metrics and (since schema 9) which specification,
//! features, evaluation and proxy check; who approved it, when, and the specification they
//! approved.

use crate::store::cached::CachedSql;
use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{Connection, OptionalExtension};
use serde_json::Value;

use super::{Disagreement, LoggedEvent, events_of, some};
use crate::domain::event::EventKind;
use crate::domain::feature_hash::spec_hash;
use crate::store::Result;

const KINDS: &[EventKind] = &[EventKind::ModelTrained, EventKind::ModelApproved];

/// The columns of a version's row that the log can speak for.
struct Row {
    algorithm: String,
    features: String,
    spec: String,
    intercept: f64,
    auc: f64,
    brier: f64,
    log_loss: f64,
    training_data_hash: String,
    trained_at: String,
    trained_by: String,
    approved_by: Option<String>,
    approved_at: Option<String>,
    evaluation: Option<String>,
    proxy_check: Option<String>,
    labels: Option<String>,
    drift_reference: Option<String>,
}

/// A version as the log made it.
#[derive(Default)]
struct Logged {
    trained: Option<LoggedEventParts>,
    approved: Option<LoggedEventParts>,
}

struct LoggedEventParts {
    at: String,
    actor: String,
    payload: Value,
}

impl From<&LoggedEvent> for LoggedEventParts {
    fn from(e: &LoggedEvent) -> Self {
        LoggedEventParts {
            at: e.at.clone(),
            actor: e.actor.clone(),
            payload: e.payload.clone(),
        }
    }
}

/// The SHA-256 of a stored text column, as `model_trained` records it.
pub(crate) fn text_hash(text: Option<&str>) -> Value {
    match text {
        Some(t) => Value::String(crate::domain::event::payload_digest(t)),
        None => Value::Null,
    }
}

fn fold(events: &[LoggedEvent]) -> BTreeMap<i64, Logged> {
    let mut versions: BTreeMap<i64, Logged> = BTreeMap::new();
    for e in events {
        let Some(v) = e.int("model_version") else {
            continue;
        };
        let entry = versions.entry(v).or_default();
        match e.kind {
            EventKind::ModelTrained => entry.trained = Some(e.into()),
            // The first approval counts: a second is refused by the store.
            EventKind::ModelApproved if entry.approved.is_none() => entry.approved = Some(e.into()),
            _ => {}
        }
    }
    versions
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        algorithm: r.get(1)?,
        features: r.get(2)?,
        spec: r.get(3)?,
        auc: r.get(4)?,
        brier: r.get(5)?,
        log_loss: r.get(6)?,
        training_data_hash: r.get(7)?,
        trained_at: r.get(8)?,
        trained_by: r.get(9)?,
        approved_by: r.get(10)?,
        approved_at: r.get(11)?,
        evaluation: r.get(12)?,
        proxy_check: r.get(13)?,
        intercept: r.get(14)?,
        labels: r.get(15)?,
        drift_reference: r.get(16)?,
    })
}

const COLUMNS: &str = "version, algorithm, features, spec, auc, brier, log_loss,
    training_data_hash, trained_at, trained_by, approved_by, approved_at, evaluation, proxy_check,
    intercept, labels, drift_reference";

/// The first column of the row that is not what the log says: (column, stored, logged).
fn difference(row: &Row, logged: &Logged) -> Option<(&'static str, String, String)> {
    let Some(trained) = &logged.trained else {
        return Some((
            "row",
            format!("trained by {} at {}", row.trained_by, row.trained_at),
            "-".to_owned(),
        ));
    };
    let p = &trained.payload;
    let text = |v: &Value| {
        v.as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string())
    };
    // The intercept is kept beside the specification that holds it (and that the log pins
    // by its hash): the two must say the same.
    let in_spec = serde_json::from_str::<Value>(&row.spec)
        .ok()
        .and_then(|s| s.get("intercept").and_then(Value::as_f64));
    let mut checks: Vec<(&'static str, String, String)> = vec![
        ("trained_by", row.trained_by.clone(), trained.actor.clone()),
        ("trained_at", row.trained_at.clone(), trained.at.clone()),
        ("algorithm", row.algorithm.clone(), text(&p["algorithm"])),
        (
            "training_data_hash",
            row.training_data_hash.clone(),
            text(&p["training_data_hash"]),
        ),
    ];
    for (column, stored) in [
        ("auc", row.auc),
        ("brier", row.brier),
        ("log_loss", row.log_loss),
    ] {
        // JSON has no NaN: serde writes it as null.
        let logged = p[column].as_f64().unwrap_or(f64::NAN).to_string();
        checks.push((column, stored.to_string(), logged));
    }
    // Recorded since schema 9; earlier versions' events leave these unchecked.
    if let Some(logged) = p.get("spec_hash").and_then(Value::as_str) {
        checks.push(("spec", spec_hash(&row.spec), logged.to_owned()));
    }
    checks.push((
        "intercept",
        row.intercept.to_string(),
        in_spec.map_or_else(|| "?".to_owned(), |f| f.to_string()),
    ));
    if let Some(logged) = p.get("features") {
        let stored: Value = serde_json::from_str(&row.features).unwrap_or(Value::Null);
        checks.push(("features", stored.to_string(), logged.to_string()));
    }
    for (column, stored, key) in [
        ("evaluation", &row.evaluation, "evaluation_hash"),
        ("proxy_check", &row.proxy_check, "proxy_check_hash"),
        ("labels", &row.labels, "labels_hash"),
        (
            "drift_reference",
            &row.drift_reference,
            "drift_reference_hash",
        ),
    ] {
        if let Some(logged) = p.get(key) {
            checks.push((column, text(&text_hash(stored.as_deref())), text(logged)));
        }
    }
    let (approved_by, approved_at) = match &logged.approved {
        Some(a) => (Some(a.actor.clone()), Some(a.at.clone())),
        None => (None, None),
    };
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    checks.push(("approved_by", shown(&row.approved_by), shown(&approved_by)));
    checks.push(("approved_at", shown(&row.approved_at), shown(&approved_at)));
    if let Some(approved) = logged
        .approved
        .as_ref()
        .and_then(|a| a.payload.get("spec_hash"))
        .and_then(Value::as_str)
    {
        checks.push(("spec", spec_hash(&row.spec), approved.to_owned()));
    }
    checks.into_iter().find(|(_, s, l)| s != l)
}

/// Whether version `version`'s row says what the log says; the first difference if not.
pub(crate) fn check(conn: &Connection, version: i64) -> Result<Option<Disagreement>> {
    let row = conn
        .cached_row(
            &format!("SELECT {COLUMNS} FROM model_versions WHERE version = ?1"),
            [version],
            read_row,
        )
        .optional()?;
    let logged = fold(&events_of(
        conn,
        KINDS,
        Some(("$.model_version", &version)),
    )?)
    .remove(&version)
    .unwrap_or_default();
    Ok(compare(version, row.as_ref(), &logged))
}

fn compare(version: i64, row: Option<&Row>, logged: &Logged) -> Option<Disagreement> {
    let label = format!("version {version}");
    match row {
        Some(row) => difference(row, logged).map(|(column, s, l)| {
            Disagreement::new("model_versions", label, column, some(s), some(l))
        }),
        None if logged.trained.is_some() => Some(Disagreement::new(
            "model_versions",
            label,
            "row",
            None,
            logged
                .trained
                .as_ref()
                .map(|t| format!("trained by {} at {}", t.actor, t.at)),
        )),
        None => None,
    }
}

pub(crate) fn first_disagreement(conn: &Connection) -> Result<Option<Disagreement>> {
    let logged = fold(&events_of(conn, KINDS, None)?);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM model_versions ORDER BY version"
    ))?;
    let rows: BTreeMap<i64, Row> = stmt
        .query_map([], |r| Ok((r.get(0)?, read_row(r)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let versions: BTreeSet<i64> = rows.keys().chain(logged.keys()).copied().collect();
    let none = Logged::default();
    Ok(versions
        .into_iter()
        .find_map(|v| compare(v, rows.get(&v), logged.get(&v).unwrap_or(&none))))
}
