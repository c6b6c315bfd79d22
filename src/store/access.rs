//! The access log: who opened which case and who saw whose personal data, read back from the
//! `view` and `reveal` events for auditors (AI Act art. 12 and 26(6); GDPR art. 15).

use rusqlite::params;
use serde::Serialize;

use super::events::Actor;
use super::users::require;
use super::{Result, Store};

/// One opening of a case or one showing of personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessRecord {
    pub event: i64,
    /// RFC 3339 UTC.
    pub at: String,
    pub user: String,
    pub role: String,
    /// `view` (case opened), `reveal` (name, BSN, address, birth date shown) or
    /// `personal_data_searched` (listed by a search of names or addresses).
    pub access: String,
    pub case_id: Option<i64>,
    pub household: Option<String>,
}

/// Which accesses to list.
#[derive(Debug, Clone, Default)]
pub struct AccessQuery<'a> {
    /// From this time on (RFC 3339), inclusive.
    pub since: Option<String>,
    pub user: Option<&'a str>,
    pub reveals_only: bool,
}

impl Store {
    /// Accesses in log order, for auditors and admins (all teams) and supervisors (their
    /// team's cases). Streams from the `events_by_actor` index when filtered by user.
    pub fn access_log(&self, actor: &Actor, q: &AccessQuery<'_>) -> Result<Vec<AccessRecord>> {
        require(actor, actor.role.audits(), "error.action.audit")?;
        let kinds = if q.reveals_only {
            "('reveal')"
        } else {
            "('view', 'reveal', 'history_viewed')"
        };
        // A search that listed households by name or address is one access per household
        // (personal data linked to a pseudonym), shown to a supervisor for their team's.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT seq, at, actor, role, kind, case_id, json_extract(payload, '$.household')
             FROM events
             WHERE kind IN {kinds}
               AND (?1 IS NULL OR at >= ?1)
               AND (?2 IS NULL OR actor = ?2)
               AND (?3 IS NULL OR case_id IN (SELECT id FROM cases WHERE team = ?3))
             UNION ALL
             SELECT e.seq, e.at, e.actor, e.role, e.kind, NULL, j.value
             FROM events e, json_each(e.payload, '$.households') j
             WHERE e.kind = 'personal_data_searched'
               AND (?1 IS NULL OR e.at >= ?1)
               AND (?2 IS NULL OR e.actor = ?2)
               AND (?3 IS NULL OR EXISTS (SELECT 1 FROM households h
                    JOIN cases c ON c.household_id = h.id
                    WHERE h.pseudonym = j.value AND c.team = ?3))
             ORDER BY 1"
        ))?;
        let rows = stmt.query_map(params![q.since, q.user, actor.team_scope()], |r| {
            Ok(AccessRecord {
                event: r.get(0)?,
                at: r.get(1)?,
                user: r.get(2)?,
                role: r.get(3)?,
                access: r.get(4)?,
                case_id: r.get(5)?,
                household: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
