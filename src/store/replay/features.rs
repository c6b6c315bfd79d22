//! Feature documentation from `feature_documented` events: the latest per feature, its
//! author its approver.

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::{Disagreement, events_of, first_difference};
use crate::domain::event::EventKind;
use crate::store::Result;

/// kind, source, legal basis, description, approved by, approved at.
type Doc = [String; 6];

const COLUMNS: [&str; 6] = [
    "kind",
    "source",
    "legal_basis",
    "description",
    "approved_by",
    "approved_at",
];

fn logged(conn: &Connection) -> Result<BTreeMap<String, Doc>> {
    let mut docs = BTreeMap::new();
    for e in events_of(conn, &[EventKind::FeatureDocumented], None)? {
        let Some(name) = e.text("feature") else {
            continue;
        };
        let field = |f: &str| e.text(f).unwrap_or_default().to_owned();
        let doc = [
            field("kind"),
            field("source"),
            field("legal_basis"),
            field("description"),
            e.actor.clone(),
            e.at.clone(),
        ];
        docs.insert(name.to_owned(), doc);
    }
    Ok(docs)
}

fn stored(conn: &Connection) -> Result<BTreeMap<String, Doc>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, kind, source, legal_basis, description, approved_by, approved_at
         FROM feature_metadata",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            [
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ],
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn diff(s: &Doc, l: &Doc) -> Option<(&'static str, String, String)> {
    (0..COLUMNS.len())
        .find(|&i| s[i] != l[i])
        .map(|i| (COLUMNS[i], s[i].clone(), l[i].clone()))
}

fn describe(d: &Doc) -> String {
    format!("{}: {}", d[0], d[3])
}

/// Refuses to act on feature documentation that is not what the log says.
pub(crate) fn check(conn: &Connection) -> Result<()> {
    match first_disagreement(conn)? {
        Some(d) => Err(d.refusal()),
        None => Ok(()),
    }
}

pub(super) fn first_disagreement(conn: &Connection) -> Result<Option<Disagreement>> {
    Ok(first_difference(
        "feature_metadata",
        &stored(conn)?,
        &logged(conn)?,
        describe,
        diff,
    ))
}
