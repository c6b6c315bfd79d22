//! What signed checkpoints need from the log: its head, its identity, the hash at any event,
//! and the two events about checkpoints themselves (the signing key made known, and a
//! restore's loss acknowledged). The signing and the checkpoint file live outside the store.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::events::Actor;
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::event::EventKind;
use crate::store::cached::CachedSql;

/// The last event of the log: how many there are and its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogHead {
    pub events: i64,
    pub hash: String,
}

/// A checkpoint as a `log_restored` event records it: enough to recognise it in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointRef {
    pub events: i64,
    pub head: String,
    /// RFC 3339, as signed.
    pub time: String,
}

/// An admin's statement, after restoring the database from a replica or a backup, that the
/// events of some signed checkpoints are lost (payload of a `log_restored` event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Restoration {
    /// The newest checkpoint the restored log still agrees with, if any.
    pub agrees_with: Option<CheckpointRef>,
    /// The checkpoints whose events the restored log does not hold.
    pub lost: Vec<CheckpointRef>,
    pub reason: String,
}

impl Store {
    /// Making the key, signing on demand and acknowledging a restore are for admins.
    pub fn may_manage_checkpoints(actor: &Actor) -> Result<()> {
        require(actor, actor.role.administers(), "error.action.checkpoint")
    }

    /// The last event's seq and hash; `None` for an empty log. Read without a write lock: the
    /// signer reads it while reviewers decide.
    pub fn log_head(&self) -> Result<Option<LogHead>> {
        Ok(self
            .conn
            .cached_row(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
                [],
                |r| {
                    Ok(LogHead {
                        events: r.get(0)?,
                        hash: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// The stored hash of event `seq`, if the log has it.
    pub fn event_hash(&self, seq: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .cached_row("SELECT hash FROM events WHERE seq = ?1", [seq], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// When event `seq` was written, if the log has it.
    pub fn event_time(&self, seq: i64) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        let at: Option<String> = self
            .conn
            .cached_row("SELECT at FROM events WHERE seq = ?1", [seq], |r| r.get(0))
            .optional()?;
        at.map(|at| super::queue::parse_time(&at)).transpose()
    }

    /// Records the public key that signs this log's checkpoints (admins only), so the log
    /// itself says from when, and the model card and the register can name it.
    pub fn record_checkpoint_key(&mut self, actor: &Actor, verifier_key: &str) -> Result<i64> {
        Self::may_manage_checkpoints(actor)?;
        self.record_event(
            actor,
            EventKind::CheckpointKey,
            None,
            &json!({ "verifier_key": verifier_key }),
        )
    }

    /// The checkpoint key last recorded in the log, if any.
    pub fn checkpoint_key(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .cached_row(
                "SELECT json_extract(payload, '$.verifier_key') FROM events
                 WHERE kind = 'checkpoint_key' ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Records that a restore lost the events of some checkpoints (admins only). What it
    /// says counts only once a checkpoint signed after it covers it: anyone can append an
    /// event, only the key's holder can sign.
    pub fn record_restoration(&mut self, actor: &Actor, what: &Restoration) -> Result<i64> {
        Self::may_manage_checkpoints(actor)?;
        let payload = serde_json::to_value(what).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.record_event(actor, EventKind::LogRestored, None, &payload)
    }

    /// Every `log_restored` event: its seq and what it says.
    pub fn restorations(&self) -> Result<Vec<(i64, Restoration)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, payload FROM events WHERE kind = 'log_restored' ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, payload) = row?;
            let what = serde_json::from_str(&payload)
                .map_err(|e| StoreError::Corrupt(format!("log_restored event {seq}: {e}")))?;
            out.push((seq, what));
        }
        Ok(out)
    }
}
