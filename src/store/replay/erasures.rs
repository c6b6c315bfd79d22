//! Erasures against `purge` events: a household marked erased names the purge that erased
//! it, at that purge's time. A row planted by hand would make every screen say its personal
//! data were gone (and `reveal` refuse), which no purge did.

use crate::store::cached::CachedSql;
use rusqlite::{Connection, OptionalExtension};

use super::Disagreement;
use crate::store::Result;

const UNBACKED: &str = "
    SELECT x.household_id, h.pseudonym, x.purge_seq, x.erased_at
    FROM erasures x JOIN households h ON h.id = x.household_id
    WHERE NOT EXISTS (SELECT 1 FROM events p WHERE p.seq = x.purge_seq AND p.kind = 'purge'
                        AND p.at = x.erased_at)";

fn disagreement(household: String, seq: i64, at: String) -> Disagreement {
    Disagreement::new(
        "erasures",
        household,
        "purge_seq",
        Some(format!("erased by event {seq} at {at}")),
        None,
    )
}

/// The erasure row of one household, if it is there and no purge made it.
pub(crate) fn check(conn: &Connection, household_id: i64) -> Result<Option<Disagreement>> {
    Ok(conn
        .cached_row(
            &format!("{UNBACKED} AND x.household_id = ?1"),
            [household_id],
            |r| Ok(disagreement(r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?)
}

pub(super) fn first_disagreement(conn: &Connection) -> Result<Option<Disagreement>> {
    Ok(conn
        .cached_row(
            &format!("{UNBACKED} ORDER BY x.household_id LIMIT 1"),
            [],
            |r| Ok(disagreement(r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?)
}
