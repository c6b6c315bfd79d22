//! The whole event log, one event at a time, for `oordeel export --log`: every field a third
//! party needs to recompute the hash chain without oordeel (`assets/verify-log.py`).

use serde::Serialize;

use super::events::Actor;
use super::users::require;
use super::{Store, StoreError};

/// One event as exported; the field names are a contract (docs/audit.md, "Exporting the audit log").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogLine {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub role: String,
    pub kind: String,
    pub case_id: Option<i64>,
    /// As stored: the canonical JSON text the digest (v2) or the hash (v1) covers.
    pub payload: String,
    /// SHA-256 of the payload as written; `null` for a v1 event (hashed over the payload).
    pub payload_digest: Option<String>,
    pub prev_hash: String,
    pub hash: String,
    /// For an erased note or send-back: the seq of the purge event that erased it.
    pub erased_by: Option<i64>,
}

impl Store {
    /// Calls `each` with every event in log order; returns how many. Auditors and admins
    /// only: a supervisor may read their own team's cases, and a chain with the other teams'
    /// events cut out could not be checked at all.
    pub fn export_log<E: From<StoreError>>(
        &self,
        actor: &Actor,
        mut each: impl FnMut(&LogLine) -> std::result::Result<(), E>,
    ) -> std::result::Result<usize, E> {
        require(actor, actor.role.all_teams(), "error.action.export_log")?;
        let kinds = super::retention::erasable_kinds();
        let sql = format!(
            "SELECT seq, at, actor, role, kind, case_id, payload, payload_digest, prev_hash, hash,
                    CASE WHEN kind IN ({kinds}) THEN json_extract(payload, '$.erased_by') END
             FROM events ORDER BY seq"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(StoreError::from)?;
        let mut rows = stmt.query([]).map_err(StoreError::from)?;
        let mut count = 0;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            each(&read_line(r).map_err(StoreError::from)?)?;
            count += 1;
        }
        Ok(count)
    }
}

fn read_line(r: &rusqlite::Row<'_>) -> rusqlite::Result<LogLine> {
    Ok(LogLine {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        role: r.get(3)?,
        kind: r.get(4)?,
        case_id: r.get(5)?,
        payload: r.get(6)?,
        payload_digest: r.get(7)?,
        prev_hash: r.get(8)?,
        hash: r.get(9)?,
        erased_by: r.get(10)?,
    })
}
