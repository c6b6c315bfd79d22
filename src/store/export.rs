//! Reading decisions, retractions and notes back out of the log for export.

use serde::Serialize;

use super::{Result, Store, StoreError};

/// One exported event; the field names are a contract scripts rely on (DESIGN.md §9).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportedEvent {
    /// The event's sequence number in the log.
    pub event: i64,
    pub case_id: Option<i64>,
    pub household: Option<String>,
    /// `accept`, `reject`, `defer`, `retract`, or `note` for a note.
    pub decision: String,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub reviewer: String,
    /// RFC 3339.
    pub at: String,
    pub model_version: Option<i64>,
    pub score: Option<f64>,
    pub rank: Option<i64>,
    /// For a retraction: the event it retracts.
    pub retracts: Option<i64>,
}

impl Store {
    /// Every decision, retraction and note, in log order.
    pub fn exported_events(&self) -> Result<Vec<ExportedEvent>> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, case_id, json_extract(payload, '$.household'), kind,
                    json_extract(payload, '$.decision'), json_extract(payload, '$.reason'),
                    json_extract(payload, '$.text'), actor, at,
                    json_extract(payload, '$.model_version'), json_extract(payload, '$.score'),
                    json_extract(payload, '$.rank'), json_extract(payload, '$.retracts')
             FROM events WHERE kind IN ('decision', 'retract', 'note') ORDER BY seq",
        )?;
        let mut q = stmt.query([])?;
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
            });
        }
        Ok(out)
    }
}
