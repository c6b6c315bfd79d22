//! Reading decisions, retractions and notes back out of the log for export.

use serde::Serialize;

use super::events::Actor;
use super::users::require;
use super::{Result, Store, StoreError};

/// One exported event; the field names are a contract scripts rely on (DESIGN.md §9).
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

impl Store {
    /// Every decision, retraction, signature and note the actor may read, in log order:
    /// auditors and admins all, supervisors their team's.
    pub fn exported_events(&self, actor: &Actor) -> Result<Vec<ExportedEvent>> {
        require(actor, actor.role.audits(), "error.action.audit")?;
        let mut stmt = self.conn.prepare(
            "SELECT seq, case_id, json_extract(payload, '$.household'), kind,
                    json_extract(payload, '$.decision'), json_extract(payload, '$.reason'),
                    json_extract(payload, '$.text'), actor, at,
                    json_extract(payload, '$.model_version'), json_extract(payload, '$.score'),
                    json_extract(payload, '$.rank'), json_extract(payload, '$.retracts'),
                    json_extract(payload, '$.signs')
             FROM events WHERE kind IN ('decision', 'retract', 'note', 'signed', 'sent_back')
               AND (?1 IS NULL OR case_id IN (SELECT id FROM cases WHERE team = ?1))
             ORDER BY seq",
        )?;
        let mut q = stmt.query([actor.team_scope()])?;
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
