//! Reading decisions, retractions and notes back out of the log for export.

use crate::store::Refusal;
use serde::Serialize;

use super::events::Actor;
use super::users::require;
use super::{Result, Store, StoreError};

/// One exported event; the field names are a contract scripts rely on (docs/commands.md, "Export fields").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportedEvent {
    /// The event's sequence number in the log.
    pub event: i64,
    pub case_id: Option<i64>,
    pub household: Option<String>,
    /// `accept`, `reject`, `defer`, `retract`, `note` for a note, `signed` and `sent_back` for
    /// the second signature of a four-eyes decision.
    pub decision: String,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub reviewer: String,
    /// RFC 3339.
    pub at: String,
    pub model_version: Option<i64>,
    pub score: Option<f64>,
    pub rank: Option<i64>,
    /// For a retraction or a send-back: the decision event it undoes.
    pub retracts: Option<i64>,
    /// For a second signature: the decision event it confirms.
    pub signs: Option<i64>,
}

/// Which events an export holds. Every field narrows; the default holds everything the
/// actor may read.
#[derive(Debug, Clone, Default)]
pub struct ExportFilter {
    /// Only this team's cases (a supervisor may ask only for their own).
    pub team: Option<String>,
    /// From this moment on (RFC 3339 UTC), inclusive.
    pub since: Option<String>,
    /// Before this moment (RFC 3339 UTC).
    pub until: Option<String>,
    /// Only these `decision` values (empty: all).
    pub kinds: Vec<String>,
}

impl Store {
    /// Every decision, retraction, signature and note the actor may read, in log order:
    /// auditors and admins all, supervisors their team's.
    pub fn exported_events(&self, actor: &Actor) -> Result<Vec<ExportedEvent>> {
        self.exported_events_where(actor, &ExportFilter::default())
    }

    /// The events of [`Self::exported_events`] that pass `filter`.
    pub fn exported_events_where(
        &self,
        actor: &Actor,
        filter: &ExportFilter,
    ) -> Result<Vec<ExportedEvent>> {
        require(actor, actor.role.audits(), "error.action.audit")?;
        let team = self.oversight_team(actor, filter.team.as_deref())?;
        if let Some(asked) = filter.team.as_deref()
            && !self.team_exists(asked)?
        {
            return Err(StoreError::Refused(Refusal::NoSuchTeam(asked.to_owned())));
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, case_id, json_extract(payload, '$.household'), kind,
                    json_extract(payload, '$.decision'), json_extract(payload, '$.reason'),
                    json_extract(payload, '$.text'), actor, at,
                    json_extract(payload, '$.model_version'), json_extract(payload, '$.score'),
                    json_extract(payload, '$.rank'), json_extract(payload, '$.retracts'),
                    json_extract(payload, '$.signs')
             FROM events WHERE kind IN ('decision', 'retract', 'note', 'signed', 'sent_back')
               AND (?1 IS NULL OR case_id IN (SELECT id FROM cases WHERE team = ?1))
               AND (?2 IS NULL OR at >= ?2) AND (?3 IS NULL OR at < ?3)
             ORDER BY seq",
        )?;
        let mut q = stmt.query(rusqlite::params![team, filter.since, filter.until])?;
        let mut out = Vec::new();
        while let Some(r) = q.next()? {
            let kind: String = r.get(3)?;
            let decision = match kind.as_str() {
                "decision" => r.get::<_, Option<String>>(4)?.ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "event {} has no decision",
                        r.get::<_, i64>(0).unwrap_or(0)
                    ))
                })?,
                other => other.to_owned(),
            };
            if !filter.kinds.is_empty() && !filter.kinds.contains(&decision) {
                continue;
            }
            out.push(ExportedEvent {
                event: r.get(0)?,
                case_id: r.get(1)?,
                household: r.get(2)?,
                decision,
                reason: r.get(5)?,
                note: r.get(6)?,
                reviewer: r.get(7)?,
                at: r.get(8)?,
                model_version: r.get(9)?,
                score: r.get(10)?,
                rank: r.get(11)?,
                retracts: r.get(12)?,
                signs: r.get(13)?,
            });
        }
        Ok(out)
    }
}
