//! Retention in the store: which households a purge before a date takes, and the purge itself
//! in one transaction, logged as a `purge` event (`domain::retention` holds the rules).
//!
//! A household is taken when none of its cases is open, deferred or waiting for a signature,
//! and the last thing that happened to each case (its latest decision, retraction, signature,
//! send-back or note; for a historical case without events its opening date) was before the
//! date. A note counts: a reviewer who writes about a case today shows it still matters.
//!
//! What goes: name, BSN, address and birth date (`personal_data`); gender, age band and
//! migration background (`protected_attributes`), because the AI Act lets a provider process
//! them for bias detection only until the data reach the end of their retention period
//! (art. 10(5)(e)) and a closed case older than the retention date has; the demo's hidden truth
//! (`demo_truth`), the stand-in for what a real file would know about the person; and the free
//! text of the household's notes and send-backs in the log (v2 events only). What stays: the
//! pseudonymous household (the features the model saw), its signals, cases, scores and every
//! decision with its reason: the record of what the system and its people decided.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::events::{Actor, append, timestamp};
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::event::{EventKind, payload_digest};
use crate::domain::retention::{
    ERASABLE_KINDS, Erased, PurgeCounts, PurgeRecord, latest_before, redact,
};

/// What a purge did, or in a dry run would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgeOutcome {
    /// The `purge` event's seq; `None` for a dry run.
    pub seq: Option<i64>,
    pub record: PurgeRecord,
}

/// The households and log entries a purge takes.
struct Plan {
    households: Vec<i64>,
    /// v2 events to erase: seq and current payload.
    erasable: Vec<(i64, String)>,
    counts: PurgeCounts,
    /// v1 events holding text about the households that cannot be erased.
    not_erasable: Vec<i64>,
}

impl Store {
    /// Erases the personal data of households whose cases all closed before `before` (or,
    /// with `dry_run`, counts what would go and writes nothing). Admins only; `before` must
    /// be at least [`crate::domain::retention::MIN_RETENTION_DAYS`] days ago.
    pub fn purge(
        &mut self,
        actor: &Actor,
        before: NaiveDate,
        dry_run: bool,
    ) -> Result<PurgeOutcome> {
        require(actor, actor.role.administers(), "error.action.purge")?;
        let now = self.now();
        let latest = latest_before(now.date_naive());
        if before > latest {
            return Err(StoreError::Refused(Refusal::PurgeTooRecent {
                before,
                latest,
            }));
        }
        // A household is purged only when no extract since `before` held it; with no
        // extract since then, that would be every household the register still holds.
        let newest: Option<String> = self.conn.cached_row(
            "SELECT max(last_seen) FROM household_keys WHERE key NOT LIKE 'signal-%'",
            [],
            |r| r.get(0),
        )?;
        if let Some(newest) = newest
            && newest.as_str() < before.to_string().as_str()
        {
            return Err(StoreError::Refused(Refusal::RegisterOutdated {
                before,
                newest,
            }));
        }
        if dry_run {
            // A read transaction: one consistent snapshot, and nothing written.
            let tx = self.conn.unchecked_transaction()?;
            let plan = plan(&tx, before)?;
            return Ok(PurgeOutcome {
                seq: None,
                record: PurgeRecord {
                    before,
                    counts: plan.counts,
                    erased: Vec::new(),
                    not_erasable: plan.not_erasable,
                },
            });
        }
        let at = timestamp(now);
        // Erased means erased: SQLite leaves deleted rows and replaced payloads in the file's
        // free space unless told to overwrite them with zeros.
        self.conn.pragma_update(None, "secure_delete", true)?;
        let tx = self.acting_tx(actor)?;
        let plan = plan(&tx, before)?;
        // The purge event comes first, so it can list the digest of every replacement, and
        // the trigger lets an erasure through only when a later `purge` event exists.
        let purge_seq: i64 =
            tx.cached_row("SELECT coalesce(max(seq), 0) + 1 FROM events", [], |r| {
                r.get(0)
            })?;
        let mut replacements = Vec::with_capacity(plan.erasable.len());
        let mut erased = Vec::with_capacity(plan.erasable.len());
        for (seq, payload) in &plan.erasable {
            let replacement = redact(payload, purge_seq)
                .map_err(|e| StoreError::Corrupt(format!("event {seq}: {e}")))?;
            erased.push(Erased {
                seq: *seq,
                digest: payload_digest(&replacement),
            });
            replacements.push((*seq, replacement));
        }
        let record = PurgeRecord {
            before,
            counts: plan.counts,
            erased,
            not_erasable: plan.not_erasable,
        };
        let payload = serde_json::to_value(&record)
            .map_err(|e| StoreError::Corrupt(format!("purge record: {e}")))?;
        let seq = append(&tx, &at, actor, EventKind::Purge, None, &payload)?;
        debug_assert_eq!(seq, purge_seq);
        for (seq, replacement) in &replacements {
            tx.cached_execute(
                "UPDATE events SET payload = ?1 WHERE seq = ?2",
                params![replacement, seq],
            )?;
        }
        for household in &plan.households {
            for table in [
                "personal_data",
                "protected_attributes",
                "demo_truth",
                "household_keys",
            ] {
                tx.cached_execute(
                    &format!("DELETE FROM {table} WHERE household_id = ?1"),
                    [household],
                )?;
            }
            // The first erasure is the date screens show; a later purge of leftovers keeps it.
            tx.cached_execute(
                "INSERT INTO erasures (household_id, purge_seq, erased_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(household_id) DO NOTHING",
                params![household, seq, at],
            )?;
        }
        // How creditors named people in signals read before the date: personal data that
        // outlives the wait for an admin no longer than any other.
        tx.cached_execute(
            &format!("UPDATE unmatched_signals SET identity = '{{}}' WHERE {OLD_IDENTITY}"),
            [before.to_string()],
        )?;
        tx.commit()?;
        self.overwrite_erased()?;
        Ok(PurgeOutcome {
            seq: Some(seq),
            record,
        })
    }

    /// Rewrites the whole database file and empties its WAL, so that no byte of an erased
    /// row survives anywhere in the files.
    ///
    /// `secure_delete` zeroes a row where it is deleted, but SQLite keeps other copies of
    /// rows it never deletes: a page split during a bulk insert (the demo's, an import's)
    /// moves cells to a new page and leaves the old bytes in the old page's unused space or
    /// on the freelist, and the WAL keeps earlier images of every page it wrote until it is
    /// reset. `VACUUM` writes every live row into fresh pages and truncates the file to
    /// them; a TRUNCATE checkpoint then copies those pages home and cuts the WAL to zero
    /// bytes. The `-shm` file holds only the WAL's index, never row data.
    ///
    /// Runs after the purge's transaction (VACUUM cannot run inside one). A purge whose
    /// rewrite was interrupted or blocked is completed by running it again: every purge
    /// rewrites the file, even when it finds nothing new to erase.
    fn overwrite_erased(&mut self) -> Result<()> {
        self.conn.execute_batch("VACUUM")?;
        // Waits (through the busy handler) for open consoles to finish their reads.
        let (busy, log, done): (i64, i64, i64) =
            self.conn
                .cached_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
        if busy != 0 || log != done {
            return Err(StoreError::PurgeNotOverwritten);
        }
        Ok(())
    }

    /// When the household's personal data was erased by a purge, if it was.
    pub fn erased_on(&self, household_id: i64) -> Result<Option<NaiveDate>> {
        erased_on(&self.conn, household_id)
    }
}

pub(crate) fn erased_on(conn: &Connection, household_id: i64) -> Result<Option<NaiveDate>> {
    use rusqlite::OptionalExtension;
    if let Some(d) = super::replay::erasures::check(conn, household_id)? {
        return Err(d.refusal());
    }
    let at: Option<String> = conn
        .cached_row(
            "SELECT erased_at FROM erasures WHERE household_id = ?1",
            [household_id],
            |r| r.get(0),
        )
        .optional()?;
    at.map(|at| Ok(super::queue::parse_time(&at)?.date_naive()))
        .transpose()
}

/// Waiting signals whose file was read before `?1` and whose identity is still there.
const OLD_IDENTITY: &str = "identity != '{}' AND import_seq IN
    (SELECT seq FROM events WHERE kind = 'signals_imported' AND at < ?1)";

/// For an event `e` whose text a purge erased: the time of that purge (else NULL).
pub(super) const ERASED_AT: &str = "(SELECT p.at FROM events p
      WHERE p.seq = json_extract(e.payload, '$.erased_by') AND p.kind = 'purge')";

/// The SQL list of the erasable kinds: `'note', 'sent_back'`.
pub(super) fn erasable_kinds() -> String {
    ERASABLE_KINDS
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plan(conn: &Connection, before: NaiveDate) -> Result<Plan> {
    let before = before.to_string();
    let kinds = erasable_kinds();
    // Event times are RFC 3339 text and dates YYYY-MM-DD, so `< 'YYYY-MM-DD'` on either means
    // "before that day" (UTC). Only v2 texts make a household worth taking again: v1 ones
    // can never go, and would bring the same household back in every later purge.
    let households: Vec<i64> = conn
        .prepare_cached(&format!(
            "WITH activity AS (
                 SELECT c.household_id AS hid,
                        max(coalesce(
                            (SELECT max(e.at) FROM events e WHERE e.case_id = c.id
                               AND e.kind IN ('decision', 'retract', 'signed', {kinds})),
                            c.opened_on)) AS last,
                        sum(c.status IN ('open', 'deferred', 'to_sign')) AS unfinished
                 FROM cases c GROUP BY c.household_id
                 -- A household of an extract without any case: its last extract counts.
                 UNION ALL
                 SELECT k.household_id, k.last_seen, 0 FROM household_keys k
                 WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.household_id = k.household_id))
             SELECT hid FROM activity
             WHERE unfinished = 0 AND last < ?1
               -- The register still holds it: its personal data match the next signals.
               AND NOT EXISTS (SELECT 1 FROM household_keys k
                               WHERE k.household_id = hid AND k.last_seen >= ?1)
               AND (EXISTS (SELECT 1 FROM personal_data WHERE household_id = hid)
                 OR EXISTS (SELECT 1 FROM household_keys WHERE household_id = hid)
                 OR EXISTS (SELECT 1 FROM protected_attributes WHERE household_id = hid)
                 OR EXISTS (SELECT 1 FROM demo_truth WHERE household_id = hid)
                 OR EXISTS (SELECT 1 FROM cases c JOIN events e ON e.case_id = c.id
                            WHERE c.household_id = hid AND e.kind IN ({kinds})
                              AND e.payload_digest IS NOT NULL
                              AND json_extract(e.payload, '$.text') IS NOT NULL
                              AND json_extract(e.payload, '$.erased_by') IS NULL))
             ORDER BY hid"
        ))?
        .query_map([&before], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut counts = PurgeCounts {
        households: households.len(),
        ..PurgeCounts::default()
    };
    let mut erasable = Vec::new();
    let mut not_erasable = Vec::new();
    let mut held = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM personal_data WHERE household_id = ?1),
                EXISTS (SELECT 1 FROM protected_attributes WHERE household_id = ?1),
                EXISTS (SELECT 1 FROM demo_truth WHERE household_id = ?1),
                EXISTS (SELECT 1 FROM household_keys WHERE household_id = ?1)",
    )?;
    // `e.at < ?2` is already implied by the household's last activity; kept so that no log
    // entry at or after the date (and so none younger than the minimum) is ever erased.
    let mut texts = conn.prepare_cached(&format!(
        "SELECT e.seq, e.payload, e.payload_digest IS NOT NULL
         FROM cases c JOIN events e ON e.case_id = c.id
         WHERE c.household_id = ?1 AND e.kind IN ({kinds}) AND e.at < ?2
           AND json_extract(e.payload, '$.text') IS NOT NULL
           AND json_extract(e.payload, '$.erased_by') IS NULL
         ORDER BY e.seq"
    ))?;
    for household in &households {
        let (personal, protected, truth, key): (bool, bool, bool, bool) = held
            .query_row([household], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
        counts.personal_data += usize::from(personal);
        counts.protected_attributes += usize::from(protected);
        counts.demo_truth += usize::from(truth);
        counts.household_keys += usize::from(key);
        let mut rows = texts.query(params![household, before])?;
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(0)?;
            if r.get::<_, bool>(2)? {
                erasable.push((seq, r.get(1)?));
            } else {
                not_erasable.push(seq);
            }
        }
    }
    erasable.sort_unstable();
    not_erasable.sort_unstable();
    counts.log_entries = erasable.len();
    counts.waiting_identities = conn.cached_row(
        &format!("SELECT count(*) FROM unmatched_signals WHERE {OLD_IDENTITY}"),
        [&before],
        |r| r.get::<_, i64>(0),
    )? as usize;
    Ok(Plan {
        households,
        erasable,
        counts,
        not_erasable,
    })
}
