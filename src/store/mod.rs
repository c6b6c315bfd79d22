//! SQLite storage: opening with the right pragmas, migrations, the event log, queue queries.
//! All SQL of oordeel lives under this module.

mod access;
mod cached;
mod caseload;
mod checkpoints;
mod citizen;
mod claims;
mod error;
mod events;
mod export;
mod fairness;
mod features;
mod halt;
mod history;
mod household_story;
mod households;
mod imports;
mod indexes;
mod judge_first;
mod log_export;
mod migrations;
mod model_card;
mod models;
mod outcomes;
mod oversight;
mod queue;
mod register;
mod registry;
mod replay;
mod retention;
mod review;
mod scoring;
mod search;
mod settings;
mod signal_matching;
mod signals;
mod signing;
mod stats;
mod users;

use std::fs::OpenOptions;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags};

use cached::CachedSql;

pub use access::{AccessQuery, AccessRecord};
pub use caseload::{CaseloadWriter, NewCase};
pub use checkpoints::{CheckpointRef, LogHead, Restoration};
pub use claims::{ClaimState, ClaimView, LEASE, OpenedCase};
pub use error::{CaseRef, IoFailure, Refusal, Result, SettingExpects, StoreError};
pub use events::{Actor, ChainProblem, ChainReport};
pub use export::{ExportFilter, ExportedEvent};
pub use fairness::{AuditCase, AuditCaseload, GroupAttribute, OutcomeKind, outcome_kind};
pub use features::{FeatureDoc, FeatureMetadata};
pub use history::HistoryImportSummary;
pub use households::{ExtractFile, HouseholdImportSummary};
pub use imports::{ImportInfo, ImportedRecord, NewImport};
pub use log_export::LogLine;
pub use migrations::{APPLICATION_ID, LATEST as SCHEMA_VERSION};
pub use model_card::{DecisionTally, FeatureContributions};
pub use models::{
    CAPACITY_KEY, ModelVersion, PROTECTED_COLUMNS, ScoreRow, TrainingGroups, TrainingRows,
    case_set, in_case_set, shipped_capacity,
};
pub use outcomes::{LoopFacts, OutcomeFault, OutcomeImportSummary, OutcomeRefusal};
pub use oversight::{
    DecisionFacts, DecisionToReview, FLOOR_KEY as OVERSIGHT_FLOOR_KEY, SinceFilter,
    shipped_oversight_limits,
};
pub use register::RegisterRows;
pub use registry::{Approval, RecordedScore};
pub use replay::Disagreement;
pub use retention::PurgeOutcome;
pub use review::ReviewSession;
pub use scoring::{RANDOM_ARM_KEY, RunSummary};
pub use settings::SETTABLE as SETTABLE_SETTINGS;
pub use signal_matching::{NewHousehold, WaitingSignal};
pub use signals::SignalImportSummary;
pub use stats::RecentDecision;
pub use users::{Identity, require as require_role};

/// Source of the current time; replaceable so tests and snapshots are deterministic.
pub type Clock = Box<dyn Fn() -> DateTime<Utc> + Send>;

/// An open oordeel database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    clock: Clock,
    /// Model versions read and checked against the log, while nothing has written since
    /// (see [`models::ModelCache`]).
    models: std::cell::RefCell<models::ModelCache>,
}

impl Store {
    /// Opens an existing oordeel database, migrating an older schema forward.
    pub fn open(path: &Path) -> Result<Store> {
        // Told apart before SQLite sees the file: a database served over SSH is there but not
        // for other accounts, and "no database here" would send them to create one.
        // access(2), not a trial open: closing any descriptor of the file would drop the POSIX
        // locks that this process's other SQLite connections hold on it, and corrupt it.
        let access = nix::unistd::access(
            path,
            nix::unistd::AccessFlags::R_OK | nix::unistd::AccessFlags::W_OK,
        );
        if let Err(errno) = access {
            let failure = match errno {
                nix::errno::Errno::ENOENT => IoFailure::Missing,
                nix::errno::Errno::EACCES | nix::errno::Errno::EPERM => IoFailure::NoAccess {
                    me: crate::identity::os_user(),
                },
                other => IoFailure::Os(std::io::Error::from(other).to_string()),
            };
            return Err(StoreError::Io {
                path: path.to_owned(),
                failure,
            });
        }
        if path.is_dir() {
            return Err(StoreError::Io {
                path: path.to_owned(),
                failure: IoFailure::IsDirectory,
            });
        }
        Self::open_inner(path, false)
    }

    /// Creates a new database at `path` (owner-only permissions), or opens it if it exists.
    pub fn create(path: &Path) -> Result<Store> {
        if let Some(dir) = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.exists())
        {
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
            // The data directory holds personal data: owner only.
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        }
        if !path.exists() {
            // Create the file ourselves with mode 0600: SQLite gives the WAL and SHM files
            // the same permissions as the database file.
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .map_err(|e| io_error(path, e))?;
        }
        Self::open_inner(path, true)
    }

    /// `initialise`: an empty file may become a new oordeel database (only `create` says so;
    /// opening an empty file by mistake, or a log truncated to nothing, is refused).
    fn open_inner(path: &Path, initialise: bool) -> Result<Store> {
        let open_err = |source| StoreError::Open {
            path: path.to_owned(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(open_err)?;
        // Before the first read: the last process to close the database checkpoints it under
        // an exclusive lock, and one opening it meanwhile must wait, not fail. (rusqlite
        // installs a 5 s timeout by itself, a default it says is subject to change.)
        conn.busy_handler(Some(wait_for_lock)).map_err(open_err)?;
        let foreign = |found| StoreError::ForeignDatabase {
            path: path.to_owned(),
            found,
        };
        // The first read of the header fails with NOTADB for a file that is not SQLite at all.
        let app_id: i64 = match conn.pragma_query_value(None, "application_id", |r| r.get(0)) {
            Ok(v) => v,
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::NotADatabase =>
            {
                return Err(StoreError::NotSqlite {
                    path: path.to_owned(),
                });
            }
            Err(e) => return Err(open_err(e)),
        };
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(open_err)?;
        if app_id != APPLICATION_ID {
            let tables: i64 = conn
                .cached_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
                .map_err(open_err)?;
            // A brand-new empty file is ours to initialise; anything else is someone else's.
            if app_id != 0 || version != 0 || tables != 0 {
                return Err(foreign(app_id));
            }
            if !initialise {
                return Err(StoreError::Uninitialised {
                    path: path.to_owned(),
                });
            }
        }
        if version > migrations::LATEST {
            return Err(StoreError::NewerSchema {
                path: path.to_owned(),
                found: version,
                known: migrations::LATEST,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        // FULL: a decision acknowledged on screen survives a power cut.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(open_err)?;
        // Room for every statement a decision runs (see `cached`).
        conn.set_prepared_statement_cache_capacity(cached::CAPACITY);
        // A page cache of up to 64 MB (SQLite's default is 2 MB): at a million households the
        // queue's nine indexes on `cases` no longer fit in 2 MB, and every batch write or
        // header count went to the kernel for pages it had just evicted. Allocated as used,
        // so a console that reads a window at a time stays small.
        conn.pragma_update(None, "cache_size", -CACHE_KIB)
            .map_err(open_err)?;
        // Statement journals in memory: with foreign keys and triggers every INSERT in a long
        // transaction copies each page it touches to one, and in a temporary file that was
        // a third of a demo's or an import's time in write(2). They hold one statement's
        // pages at most.
        conn.pragma_update(None, "temp_store", "MEMORY")
            .map_err(open_err)?;
        // Large sorts (an index made after a first load, a queue's indexes after a run) on
        // two threads: the machines oordeel runs on have two cores at least.
        conn.pragma_update(None, "threads", 2).map_err(open_err)?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
            clock: Box::new(Utc::now),
            models: Default::default(),
        };
        if version < migrations::LATEST {
            store.upgrade().map_err(|e| match e {
                StoreError::Sql(source) => open_err(source),
                other => other,
            })?;
        }
        restrict_permissions(path);
        Ok(store)
    }

    /// Brings an older schema up to date and, when that creates the users table, makes the
    /// file's owner its first admin: one transaction, which reads the version again under the
    /// write lock. Reviewers logging in right after an upgrade open the old database at the
    /// same moment; exactly one of them migrates it, and none sees a half-done upgrade (a table
    /// that already exists, a users table without its admin).
    fn upgrade(&mut self) -> Result<()> {
        let owner = std::fs::metadata(&self.path)
            .map_err(|e| io_error(&self.path, e))?
            .uid();
        let at = events::timestamp(self.now());
        let tx = self.write_tx()?;
        let from: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        migrations::migrate(&tx, from)?;
        if from < 2 {
            users::bootstrap_users(&tx, owner, &at)?;
        }
        if from < 3 {
            features::install_shipped_rules(&tx)?;
            // The shipped team capacity, for precision at capacity (assets/capacity.toml).
            tx.cached_execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO NOTHING",
                rusqlite::params![models::CAPACITY_KEY, models::shipped_capacity().to_string()],
            )?;
        }
        if from < 4 {
            // The shipped share of the hidden random arm (assets/random_arm.toml).
            tx.cached_execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO NOTHING",
                rusqlite::params![
                    scoring::RANDOM_ARM_KEY,
                    scoring::shipped_random_arm_share().to_string()
                ],
            )?;
        }
        if (1..10).contains(&from) {
            caseload::fill_address_parts(&tx)?;
        }
        if from < 9 {
            // From now on every change of a setting is an event; what the table holds now is
            // the start. (The owner acts, as for the first admin.)
            let owner = Actor {
                name: crate::identity::user_name(owner),
                role: crate::domain::role::Role::Admin,
                team: None,
                via: None,
            };
            let reason = if from == 0 { "created" } else { "upgraded" };
            settings::record(&tx, &owner, &at, reason)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Starts a write transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so
    /// a read-then-write (the chain's last hash, a case's status) cannot race another writer.
    pub(crate) fn write_tx(&mut self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }

    /// SQLite's `data_version`: changes when another connection commits to the database, not
    /// when this one does. Reading it costs no query, so an idle console asks it often.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Replaces the clock (tests, snapshots).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A setting from the settings table (e.g. the caseload title), refused when the row is
    /// not what the log says (`settings`).
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        settings::read(&self.conn, key)
    }
}

/// SQLite's page cache per connection, in KiB (see `Store::open`).
const CACHE_KIB: i64 = 64 * 1024;

/// How long a statement waits for another process's lock before it fails with "database is
/// locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The sleep before the next try for a lock another process holds: short, and never longer
/// than 10 ms. SQLite's own busy handler (`busy_timeout`) sleeps ever longer, up to 100 ms, so
/// with many writers the one that has waited longest tries least often and can starve towards
/// the timeout. With sixteen processes deciding as fast as they can (tests/it/concurrency.rs) the
/// slowest claim or decision took 0.8 to 4 s with SQLite's handler and 0.2 to 0.5 s with this
/// one, at the same throughput.
fn lock_delay(tries: u64) -> Duration {
    Duration::from_millis([1, 2, 5, 10][tries.min(3) as usize])
}

/// The busy handler: `tries` counts the earlier calls for the same statement; `true` tries
/// again. The time waited is counted in nominal sleeps, as SQLite counts it, so on a loaded
/// machine a statement waits longer, never shorter.
fn wait_for_lock(tries: i32) -> bool {
    let tries = u64::try_from(tries).unwrap_or(0);
    if (0..tries).map(lock_delay).sum::<Duration>() >= BUSY_TIMEOUT {
        return false;
    }
    std::thread::sleep(lock_delay(tries));
    true
}

/// Tightens the database and its WAL/SHM files to owner-only, whatever created them.
fn restrict_permissions(path: &Path) {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let mut shm = path.as_os_str().to_owned();
    shm.push("-shm");
    for p in [path.to_owned(), PathBuf::from(wal), PathBuf::from(shm)] {
        if std::fs::metadata(&p).is_ok_and(|m| m.permissions().mode() & 0o077 != 0) {
            let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600));
        }
    }
}

pub(crate) fn io_error(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_owned(),
        failure: IoFailure::Os(e.to_string()),
    }
}

/// Removes a database and its WAL/SHM files (for `demo --force`).
pub fn remove_database(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(Path::new(&p), e)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_is_waited_for_five_seconds_in_short_sleeps() {
        let waited = |tries: u64| (0..tries).map(lock_delay).sum::<Duration>();
        let gives_up = (0..)
            .find(|&t| waited(t) >= BUSY_TIMEOUT)
            .expect("gives up");
        assert!(waited(gives_up) < BUSY_TIMEOUT + Duration::from_millis(10));
        assert!((0..gives_up).all(|t| lock_delay(t) <= Duration::from_millis(10)));
        assert!(!wait_for_lock(gives_up as i32));
    }
}
