//! The stop button (AI Act art. 14(4)(e), 26(5)): a supervisor halts the model, a different
//! supervisor or admin resumes it.
//!
//! While halted no scoring run is written (checked inside its transaction), the queue is put
//! in arrival order with the nearest deadline first, the probabilities are taken off the
//! queue and the console shows no score or explanation: people keep working, without the
//! model. The halt is a settings row (state) and a `halted` event (the truth, which the row
//! is checked against on every read); resuming
//! re-enables scoring, and the next `oordeel score` ranks the queue again.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use rusqlite::Transaction;
use serde_json::json;

use super::events::{Actor, append, timestamp};
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::event::EventKind;
use crate::domain::queue::HaltNotice;

/// The halt in force, read inside a transaction (the scoring run checks it there); refused
/// when the settings row is not what the `halted` and `resumed` events say.
pub(super) fn halt_in(conn: &rusqlite::Connection) -> Result<Option<HaltNotice>> {
    let text = super::settings::read(conn, super::settings::HALT)?;
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("halt setting: {e}")))
    })
    .transpose()
}

/// Refuses a write that needs the model while it is halted.
pub(super) fn refuse_if_halted(tx: &Transaction<'_>) -> Result<()> {
    match halt_in(tx)? {
        Some(h) => Err(StoreError::Refused(Refusal::Halted {
            by: h.by,
            reason: h.reason,
        })),
        None => Ok(()),
    }
}

impl Store {
    /// The halt in force, if any.
    pub fn halt_notice(&self) -> Result<Option<HaltNotice>> {
        halt_in(&self.conn)
    }

    /// Halts the model (supervisors and admins); returns how many cases were put in arrival
    /// order. Logged as `halted` with the reason, in the same transaction.
    pub fn halt(&mut self, actor: &Actor, reason: &str) -> Result<usize> {
        require(
            actor,
            actor.role.supervises() || actor.role.administers(),
            "error.action.halt",
        )?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Refused(Refusal::EmptyReason));
        }
        if let Some(c) = crate::domain::text::first_hidden_char(reason) {
            return Err(StoreError::Refused(Refusal::HiddenCharacter {
                what: "halt".into(),
                field: "reason",
                code: c as u32,
            }));
        }
        let at = timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        if let Some(h) = halt_in(&tx)? {
            return Err(StoreError::Refused(Refusal::AlreadyHalted {
                by: h.by,
                at: h.at,
            }));
        }
        // Arrival order, nearest deadline first: the order a team works in without a model.
        let reordered = tx.cached_execute(
            "UPDATE cases SET queue_rank = o.position, probability = NULL
             FROM (SELECT id, row_number() OVER (ORDER BY deadline_on, opened_on, id) AS position
                   FROM cases WHERE status != 'closed') AS o
             WHERE cases.id = o.id",
            [],
        )?;
        let notice = HaltNotice {
            by: actor.name.clone(),
            at: at.clone(),
            reason: reason.to_owned(),
        };
        let text = super::settings::halt_text(&notice);
        super::settings::put(&tx, super::settings::HALT, Some(&text))?;
        let payload = json!({ "reason": reason, "cases_reordered": reordered });
        append(&tx, &at, actor, EventKind::Halted, None, &payload)?;
        tx.commit()?;
        Ok(reordered)
    }

    /// Lifts the halt: a supervisor or admin other than the one who halted. Logged as
    /// `resumed`. The queue stays in arrival order until the next scoring run.
    pub fn resume(&mut self, actor: &Actor) -> Result<HaltNotice> {
        require(
            actor,
            actor.role.supervises() || actor.role.administers(),
            "error.action.halt",
        )?;
        let at = timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        let Some(halt) = halt_in(&tx)? else {
            return Err(StoreError::Refused(Refusal::NotHalted));
        };
        if halt.by == actor.name {
            return Err(StoreError::Refused(Refusal::SameSupervisor { by: halt.by }));
        }
        super::settings::put(&tx, super::settings::HALT, None)?;
        let payload = json!({
            "halted_by": halt.by,
            "halted_at": halt.at,
            "reason": halt.reason,
        });
        append(&tx, &at, actor, EventKind::Resumed, None, &payload)?;
        tx.commit()?;
        Ok(halt)
    }
}
