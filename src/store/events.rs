//! The append-only, hash-chained event log: appending inside a caller's transaction, and
//! verifying the whole chain (v1 and v2 events, and v2 payloads a purge lawfully erased).

use crate::store::cached::CachedSql;
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::Value;

use super::{Result, Store};
use crate::domain::event::{
    EventKind, EventRecord, GENESIS_HASH, canonical_payload, payload_digest,
};
use crate::domain::retention::PurgeRecord;
use crate::domain::role::{Role, User};

/// Who acts: name and role are recorded on every event; the team bounds what they see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub role: Role,
    /// `None` for roles that see every team (admin, auditor).
    pub team: Option<String>,
    /// The operating-system account that acts under this name with `--as` (the service
    /// account serving reviewers over SSH, or whoever owns the file), when it is not the
    /// name itself. Logged with every event, so a signature given under another's name
    /// shows whose account gave it.
    pub via: Option<String>,
}

impl Actor {
    pub fn from_user(user: &User) -> Actor {
        Actor {
            name: user.name.clone(),
            role: user.role,
            team: if user.role.all_teams() {
                None
            } else {
                user.team.clone()
            },
            via: None,
        }
    }

    /// The team whose cases this actor is limited to, if any.
    pub fn team_scope(&self) -> Option<&str> {
        if self.role.all_teams() {
            None
        } else {
            // A team role without a team sees nothing rather than everything.
            Some(self.team.as_deref().unwrap_or(""))
        }
    }
}

/// The payload field naming the account that acted under another name ([`Actor::via`]).
pub(crate) const ACTING_ACCOUNT: &str = "acting_account";

/// Appends one event in `tx`, chained to the last one; returns its sequence number. Every
/// new event is v2: its hash covers the payload's digest, so the payload is erasable later.
///
/// Runs inside the caller's transaction so the event and the state it changes (a case's
/// status, say) commit together or not at all.
pub(crate) fn append(
    tx: &Transaction<'_>,
    at: &str,
    actor: &Actor,
    kind: EventKind,
    case_id: Option<i64>,
    payload: &Value,
) -> Result<i64> {
    let last: Option<(i64, String)> = tx
        .cached_row(
            "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (prev_seq, prev_hash) = last.unwrap_or((0, GENESIS_HASH.to_owned()));
    let mut payload = payload.clone();
    if let (Some(via), Some(fields)) = (&actor.via, payload.as_object_mut()) {
        fields.insert(ACTING_ACCOUNT.to_owned(), Value::String(via.clone()));
    }
    let payload = &payload;
    let record = EventRecord {
        seq: prev_seq + 1,
        at: at.to_owned(),
        actor: actor.name.clone(),
        role: actor.role.as_code().to_owned(),
        kind: kind.as_code().to_owned(),
        case_id,
        payload: canonical_payload(payload),
    };
    let digest = payload_digest(&record.payload);
    let hash = record.chain_hash_v2(&prev_hash, &digest);
    tx.cached_execute(
        "INSERT INTO events (seq, at, actor, role, kind, case_id, payload, prev_hash, hash,
                             payload_digest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            record.seq,
            record.at,
            record.actor,
            record.role,
            record.kind,
            record.case_id,
            record.payload,
            prev_hash,
            hash,
            digest
        ],
    )?;
    Ok(record.seq)
}

/// The event that imported a file with this SHA-256 before, if one did: (seq, at, by). The
/// same file is read once (signals, households, history each check their own kind).
pub(super) fn earlier_file(
    conn: &rusqlite::Connection,
    kind: EventKind,
    sha256: &str,
) -> Result<Option<(i64, String, String)>> {
    earlier_read(conn, kind, sha256, None)
}

/// [`earlier_file`], of this file read through this profile (by SHA-256): the same file
/// through a corrected profile is another reading of it, not the same import twice.
pub(super) fn earlier_read(
    conn: &rusqlite::Connection,
    kind: EventKind,
    sha256: &str,
    profile_sha256: Option<&str>,
) -> Result<Option<(i64, String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT seq, at, actor FROM events WHERE kind = ?1
               AND json_extract(payload, '$.sha256') = ?2
               AND (?3 IS NULL OR json_extract(payload, '$.profile_sha256') = ?3)",
        )?
        .query_row(params![kind.as_code(), sha256, profile_sha256], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}

/// Formats a time as stored in the log: RFC 3339, UTC, microseconds.
pub(crate) fn timestamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// What `verify` found wrong with the first event that does not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainProblem {
    /// The sequence jumps: events were deleted or inserted with a new number.
    Gap { expected: i64, found: i64 },
    /// `prev_hash` is not the previous event's hash: deleted, inserted or reordered.
    BrokenLink,
    /// The stored hash does not match the event's fields: the event was altered.
    Altered,
    /// A v2 event's payload no longer matches the digest its hash covers, and no later purge
    /// event lists it as erased (with the digest of what is there now): altered.
    PayloadAltered,
}

/// The outcome of verifying the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub events: i64,
    /// Hash of the last event (the head); record it elsewhere to detect truncation later.
    pub head: String,
    /// The first bad event and what is wrong with it.
    pub first_bad: Option<(i64, ChainProblem)>,
    /// The first row of a state table (users, settings, model versions, feature
    /// documentation, claims, cases) that is not what the log says: someone edited the table
    /// instead of acting through oordeel. Only looked for when the chain is intact.
    pub state: Option<super::replay::Disagreement>,
}

impl Store {
    /// Recomputes the whole chain in sequence order and reports the first event that does
    /// not fit. Streams the log, so memory stays flat however long it is.
    pub fn verify_chain(&self) -> Result<ChainReport> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, at, actor, role, kind, case_id, payload, prev_hash, hash, payload_digest
             FROM events ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut expected_seq = 1;
        let mut prev_hash = GENESIS_HASH.to_owned();
        let mut count = 0;
        // v2 events whose payload does not match its digest, with the digest of what is
        // there: tampering unless a later purge event lists exactly that.
        let mut unexplained = std::collections::BTreeMap::new();
        let mut first_bad = None;
        while let Some(r) = rows.next()? {
            let record = EventRecord {
                seq: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                role: r.get(3)?,
                kind: r.get(4)?,
                case_id: r.get(5)?,
                payload: r.get(6)?,
            };
            let stored_prev: String = r.get(7)?;
            let stored_hash: String = r.get(8)?;
            let digest: Option<String> = r.get(9)?;
            let computed = match &digest {
                Some(d) => record.chain_hash_v2(&prev_hash, d),
                None => record.chain_hash(&prev_hash),
            };
            let problem = if record.seq != expected_seq {
                Some(ChainProblem::Gap {
                    expected: expected_seq,
                    found: record.seq,
                })
            } else if stored_prev != prev_hash {
                Some(ChainProblem::BrokenLink)
            } else if computed != stored_hash {
                Some(ChainProblem::Altered)
            } else {
                None
            };
            if let Some(p) = problem {
                first_bad = Some((record.seq, p));
                break;
            }
            if let Some(d) = digest {
                let now = payload_digest(&record.payload);
                if now != d {
                    unexplained.insert(record.seq, now);
                }
            }
            if record.kind == EventKind::Purge.as_code() {
                // Its own payload was checked above (a purge is never erased itself).
                let purge: PurgeRecord = serde_json::from_str(&record.payload).map_err(|e| {
                    super::StoreError::Corrupt(format!("purge event {}: {e}", record.seq))
                })?;
                for erased in purge.erased {
                    if unexplained.get(&erased.seq) == Some(&erased.digest) {
                        unexplained.remove(&erased.seq);
                    }
                }
            }
            count += 1;
            expected_seq += 1;
            prev_hash = stored_hash;
        }
        drop(rows);
        drop(stmt);
        // An altered payload before the first broken link is the first bad event; the
        // events before it are the intact ones.
        if let Some((&seq, _)) = unexplained.iter().next() {
            return Ok(ChainReport {
                events: seq - 1,
                head: self.hash_of(seq - 1)?,
                first_bad: Some((seq, ChainProblem::PayloadAltered)),
                state: None,
            });
        }
        if first_bad.is_some() {
            return Ok(ChainReport {
                events: count,
                head: prev_hash,
                first_bad,
                state: None,
            });
        }
        let state = super::replay::first_disagreement(&self.conn)?;
        Ok(ChainReport {
            events: count,
            head: prev_hash,
            first_bad: None,
            state,
        })
    }

    /// The stored hash of event `seq` (the genesis hash for 0).
    fn hash_of(&self, seq: i64) -> Result<String> {
        Ok(self
            .conn
            .cached_row("SELECT hash FROM events WHERE seq = ?1", [seq], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or_else(|| GENESIS_HASH.to_owned()))
    }

    /// Appends one event in its own transaction (for events that change no other state).
    pub fn record_event(
        &mut self,
        actor: &Actor,
        kind: EventKind,
        case_id: Option<i64>,
        payload: &Value,
    ) -> Result<i64> {
        let at = timestamp(self.now());
        let tx = self.write_tx()?;
        let seq = append(&tx, &at, actor, kind, case_id, payload)?;
        tx.commit()?;
        Ok(seq)
    }
}
