//! Cases against the log: each decided case's status from its decisions, retractions,
//! signatures and send-backs (the rule of `review::standing_status`, over the whole log), and
//! the team of each reassigned case from its last `reassigned` event. A case never
//! reassigned keeps the team its caseload gave it, which no event records.

use crate::store::cached::CachedSql;
use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension};

use super::Disagreement;
use crate::domain::decision::Decision;
use crate::store::Result;

pub(super) fn label(conn: &Connection, case_id: i64) -> Result<String> {
    let household: Option<String> = conn
        .cached_row(
            "SELECT h.pseudonym FROM cases c JOIN households h ON h.id = c.household_id
             WHERE c.id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match household {
        Some(h) => format!("{h} (case {case_id})"),
        None => format!("case {case_id}"),
    })
}

/// The team the log last gave the case, when it was ever reassigned.
pub(crate) fn logged_team(conn: &Connection, case_id: i64) -> Result<Option<String>> {
    Ok(conn
        .cached_row(
            "SELECT json_extract(payload, '$.to') FROM events
             WHERE case_id = ?1 AND kind = 'reassigned' ORDER BY seq DESC LIMIT 1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// Refuses to act on a case whose team is not the one its last reassignment gave it.
pub(crate) fn check_team(conn: &Connection, case_id: i64, team: &str) -> Result<()> {
    match logged_team(conn, case_id)? {
        Some(logged) if logged != team => Err(Disagreement::new(
            "cases",
            label(conn, case_id)?,
            "team",
            Some(team.to_owned()),
            Some(logged),
        )
        .refusal()),
        _ => Ok(()),
    }
}

pub(super) fn first_disagreement(conn: &Connection) -> Result<Option<Disagreement>> {
    if let Some(d) = first_status_mismatch(conn)? {
        return Ok(Some(d));
    }
    let mut stmt = conn.prepare_cached(
        "SELECT case_id, json_extract(payload, '$.to') FROM events
         WHERE kind = 'reassigned' AND case_id IS NOT NULL ORDER BY seq",
    )?;
    let teams: BTreeMap<i64, String> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (case_id, logged) in teams {
        let stored: Option<String> = conn
            .cached_row("SELECT team FROM cases WHERE id = ?1", [case_id], |r| {
                r.get(0)
            })
            .optional()?;
        if stored.as_deref() != Some(logged.as_str()) {
            return Ok(Some(Disagreement::new(
                "cases",
                label(conn, case_id)?,
                "team",
                stored,
                Some(logged),
            )));
        }
    }
    Ok(None)
}

/// Replays decisions, retractions, signatures and send-backs and compares the result with
/// each case's stored status, so an edit of the cases table (a decision without an event) is
/// found too. Streams the log's decisions once; memory grows with decided cases only.
fn first_status_mismatch(conn: &Connection) -> Result<Option<Disagreement>> {
    // decision seq -> (decision, caught by the four-eyes rule)
    let mut decisions: HashMap<i64, (String, bool)> = HashMap::new();
    let mut per_case: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut undone = HashSet::new();
    let mut signed = HashSet::new();
    let mut stmt = conn.prepare_cached(
        "SELECT seq, case_id, kind, json_extract(payload, '$.decision'),
                json_extract(payload, '$.retracts'), json_extract(payload, '$.signs'),
                json_extract(payload, '$.four_eyes') IS NOT NULL
         FROM events WHERE kind IN ('decision', 'retract', 'sent_back', 'signed')
         ORDER BY seq",
    )?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let seq: i64 = r.get(0)?;
        let Some(case) = r.get::<_, Option<i64>>(1)? else {
            continue;
        };
        match r.get::<_, String>(2)?.as_str() {
            "retract" | "sent_back" => {
                undone.insert(r.get::<_, Option<i64>>(4)?.unwrap_or(0));
            }
            "signed" => {
                signed.insert(r.get::<_, Option<i64>>(5)?.unwrap_or(0));
            }
            _ => {
                let decision = r.get::<_, Option<String>>(3)?.unwrap_or_default();
                decisions.insert(seq, (decision, r.get(6)?));
                per_case.entry(case).or_default().push(seq);
            }
        }
    }
    drop(q);
    drop(stmt);
    // What each decided case's status should be, replayed from the log.
    let mut from_log: BTreeMap<i64, &'static str> = BTreeMap::new();
    for (case, seqs) in &per_case {
        let standing = seqs.iter().rev().find(|s| !undone.contains(*s));
        let status = match standing {
            Some(seq) if decisions[seq].1 && !signed.contains(seq) => "to_sign",
            Some(seq) => Decision::from_code(&decisions[seq].0)
                .map(|d| d.status().as_code())
                .unwrap_or("?"),
            None => "open",
        };
        from_log.insert(*case, status);
    }
    let mismatch = |id: i64, stored: String, logged: &str| -> Result<Option<Disagreement>> {
        Ok(Some(Disagreement::new(
            "cases",
            label(conn, id)?,
            "status",
            Some(stored),
            Some(logged.to_owned()),
        )))
    };
    let mut stmt = conn.prepare_cached(
        "SELECT id, status FROM cases WHERE status NOT IN ('open', 'closed') ORDER BY id",
    )?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let (id, status): (i64, String) = (r.get(0)?, r.get(1)?);
        let logged = from_log.remove(&id).unwrap_or("open");
        if logged != status {
            return mismatch(id, status, logged);
        }
    }
    // What remains was decided in the log but is open or closed in the table.
    match from_log.into_iter().find(|(_, l)| *l != "open") {
        Some((id, logged)) => {
            let status: String =
                conn.cached_row("SELECT status FROM cases WHERE id = ?1", [id], |r| r.get(0))?;
            mismatch(id, status, logged)
        }
        None => Ok(None),
    }
}
