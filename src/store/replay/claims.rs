//! Claims against `view` events: a claim is taken by opening the case, so every claim row
//! needs a `view` of its case by its holder, at or before the claim, after the last time the
//! case's claims were freed by a supervisor (`claim_released`) or a reassignment. A claim
//! planted for someone who never opened the case (to keep others from deciding it) is named.
//!
//! What the log cannot speak for: a claim deleted by hand. Claims end without an event when
//! a reviewer moves on or a lease lapses, so a missing row is what every finished claim
//! looks like.

use crate::store::cached::CachedSql;
use rusqlite::{Connection, OptionalExtension};

use super::Disagreement;
use crate::store::Result;

/// `?1`-less: the claims whose holder never opened their case since it was last freed.
const UNBACKED: &str = "
    SELECT cl.case_id, h.pseudonym, cl.holder, cl.claimed_at
    FROM claims cl JOIN cases c ON c.id = cl.case_id JOIN households h ON h.id = c.household_id
    WHERE NOT EXISTS (
        SELECT 1 FROM events v
        WHERE v.case_id = cl.case_id AND v.kind = 'view' AND v.actor = cl.holder
          AND v.at <= cl.claimed_at
          AND v.seq > coalesce((SELECT max(x.seq) FROM events x
                                WHERE x.case_id = cl.case_id
                                  AND x.kind IN ('claim_released', 'reassigned')
                                  AND x.at <= cl.claimed_at), 0))";

fn disagreement(case_id: i64, household: String, holder: String, at: String) -> Disagreement {
    Disagreement::new(
        "claims",
        format!("{household} (case {case_id})"),
        "holder",
        Some(format!("{holder} since {at}")),
        None,
    )
}

/// The claim on `case_id`, if one is there that its holder never took.
pub(crate) fn check(conn: &Connection, case_id: i64) -> Result<Option<Disagreement>> {
    Ok(conn
        .cached_row(&format!("{UNBACKED} AND cl.case_id = ?1"), [case_id], |r| {
            Ok(disagreement(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?)
}

pub(super) fn first_disagreement(conn: &Connection) -> Result<Option<Disagreement>> {
    Ok(conn
        .cached_row(
            &format!("{UNBACKED} ORDER BY cl.case_id LIMIT 1"),
            [],
            |r| Ok(disagreement(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?)
}
