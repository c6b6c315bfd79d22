//! Outcomes against the log: each case's `outcomes` row from its standing `outcome` events,
//! folded in log order as recording them did, and the label that row gives in
//! `cases.outcome`. A history case's label came with its import and has no events; it is
//! left alone (`status = 'closed'`).

use std::collections::{BTreeMap, HashSet};

use rusqlite::Connection;

use super::Disagreement;
use crate::domain::outcome::Outcome;
use crate::store::Result;
use crate::store::outcomes::{fold, outcome_of_columns};

/// (seq, step, day) of one `outcome` event.
type LoggedStep = (i64, Option<String>, Option<String>);

pub(super) fn first_disagreement(conn: &Connection) -> Result<Option<Disagreement>> {
    let mut undone = HashSet::new();
    let mut steps: BTreeMap<i64, Vec<LoggedStep>> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT seq, case_id, kind, json_extract(payload, '$.step'), json_extract(payload, '$.on'),
                json_extract(payload, '$.retracts')
         FROM events WHERE kind IN ('outcome', 'retract') ORDER BY seq",
    )?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let Some(case) = r.get::<_, Option<i64>>(1)? else {
            continue;
        };
        if r.get::<_, String>(2)? == "retract" {
            if let Some(seq) = r.get::<_, Option<i64>>(5)? {
                undone.insert(seq);
            }
        } else {
            steps
                .entry(case)
                .or_default()
                .push((r.get(0)?, r.get(3)?, r.get(4)?));
        }
    }
    drop(q);
    drop(stmt);
    let mut logged: BTreeMap<i64, Outcome> = BTreeMap::new();
    for (case, list) in steps {
        let standing = list
            .into_iter()
            .filter(|(seq, ..)| !undone.contains(seq))
            .map(|(_, step, on)| (step, on));
        let o = fold(case, standing)?;
        if o != Outcome::default() {
            logged.insert(case, o);
        }
    }
    let mut stored: BTreeMap<i64, Outcome> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT case_id, contact, contact_on, debts, debts_on FROM outcomes ORDER BY case_id",
    )?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let id: i64 = r.get(0)?;
        let columns = [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?];
        stored.insert(id, outcome_of_columns(id, columns)?);
    }
    drop(q);
    drop(stmt);
    let describe = |o: &Outcome| {
        let step = |s: Option<(crate::domain::outcome::OutcomeStep, chrono::NaiveDate)>| {
            s.map(|(s, d)| format!("{} {d}", s.as_code()))
                .unwrap_or_else(|| "-".to_owned())
        };
        format!("{} / {}", step(o.contact), step(o.debts))
    };
    let row = |id: i64| -> Result<String> { super::cases::label(conn, id) };
    let keys: std::collections::BTreeSet<i64> =
        stored.keys().chain(logged.keys()).copied().collect();
    for id in keys {
        let (s, l) = (stored.get(&id), logged.get(&id));
        if s != l {
            return Ok(Some(Disagreement::new(
                "outcomes",
                row(id)?,
                "row",
                s.map(describe),
                l.map(describe),
            )));
        }
    }
    // The label of every case that is not a history case follows from its outcome.
    // (Rows without either have no label, and the log gives them none: the rows above
    // matched the log, so a case with steps has an outcomes row.)
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.outcome FROM cases c WHERE c.status != 'closed'
           AND (c.outcome IS NOT NULL OR EXISTS (SELECT 1 FROM outcomes o WHERE o.case_id = c.id))
         ORDER BY c.id",
    )?;
    let labels = stmt
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<bool>>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let shown = |b: Option<bool>| b.map(|b| (b as u8).to_string());
    for (id, stored_label) in labels {
        let from_log = logged.get(&id).and_then(Outcome::label);
        if stored_label != from_log {
            return Ok(Some(Disagreement::new(
                "cases",
                row(id)?,
                "outcome",
                shown(stored_label),
                shown(from_log),
            )));
        }
    }
    Ok(None)
}
