//! Signed checkpoints kept outside the database: the signing key, the file each log's
//! checkpoints are appended to, the command each new one is handed to, and checking a file of
//! them against a log ([`check`]).
//!
//! Whoever can write the database can rewrite and re-hash its whole chain, cut its tail or
//! put an older copy back. A checkpoint signed before that, and kept where they cannot
//! reach (the auditor's mailbox, another host), shows it: the chain no longer reproduces the
//! head it signed. oordeel signs one after every command that wrote, at the end of every
//! review session, and every `every` events of a long one; it never signs a log that does
//! not extend its last checkpoint.

pub mod check;
mod file;
mod hand_off;
pub mod key;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::domain::checkpoint::{Checkpoint, CheckpointError, log_id, origin};
use crate::paths::CheckpointSettings;
use crate::store::{Store, StoreError};

pub use key::SigningKey;

use file::{full_path, last_checkpoint, open_locked};
pub(crate) use file::{private_parent, write_new};

/// Events of a long session between two checkpoints, unless the settings say otherwise.
pub const DEFAULT_EVERY: u64 = 100;

/// How long the hand-off command may take before it is stopped, unless the settings say.
pub const DEFAULT_TIMEOUT: u64 = 20;

/// What went wrong with a key, a checkpoint file or the command (sentences in `messages`).
#[derive(Debug)]
pub enum Fault {
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// No home directory to keep the key or the checkpoints in, and no setting naming one.
    NoPlace,
    KeyExists(PathBuf),
    BadKeyName(String),
    KeyReadableByOthers {
        path: PathBuf,
        mode: u32,
    },
    BadKeyFile(PathBuf),
    /// A command that must sign found no key.
    NoKey(PathBuf),
    Store(StoreError),
    /// The hand-off command could not be run or failed (what it said on stderr).
    Command {
        program: String,
        problem: String,
    },
    /// The hand-off command did not finish in time and was stopped.
    CommandTimedOut {
        program: String,
        seconds: u64,
    },
    /// A `[checkpoints]` setting oordeel cannot use.
    BadSetting {
        key: &'static str,
        problem: &'static str,
    },
    /// A checkpoint file that is not what oordeel writes.
    BadFile {
        path: PathBuf,
        problem: CheckpointError,
    },
}

impl Fault {
    pub(crate) fn io(path: &Path, error: std::io::Error) -> Fault {
        Fault::Io {
            path: path.to_owned(),
            error,
        }
    }
}

impl From<StoreError> for Fault {
    fn from(e: StoreError) -> Self {
        Fault::Store(e)
    }
}

impl std::error::Error for Fault {}

/// Where the key and the checkpoints are, as the settings file says or by default.
#[derive(Debug, Clone)]
pub struct Setup {
    pub key_file: PathBuf,
    pub dir: PathBuf,
    pub every: u64,
    pub command: Option<Vec<String>>,
    /// How long `command` may take.
    pub timeout: std::time::Duration,
}

impl Setup {
    pub fn from_settings(settings: &CheckpointSettings) -> Result<Setup, Fault> {
        let absolute = |key: &'static str, p: &Option<PathBuf>| match p {
            Some(p) if !p.is_absolute() => Err(Fault::BadSetting {
                key,
                problem: "checkpoint.fault.not_absolute",
            }),
            _ => Ok(()),
        };
        absolute("key", &settings.key)?;
        absolute("dir", &settings.dir)?;
        if settings.every == Some(0) {
            return Err(Fault::BadSetting {
                key: "every",
                problem: "checkpoint.fault.every_zero",
            });
        }
        let key_file = match &settings.key {
            Some(k) => k.clone(),
            None => crate::paths::checkpoint_key().ok_or(Fault::NoPlace)?,
        };
        let dir = match &settings.dir {
            Some(d) => d.clone(),
            None => crate::paths::checkpoint_dir().ok_or(Fault::NoPlace)?,
        };
        Ok(Setup {
            key_file,
            dir,
            every: settings.every.unwrap_or(DEFAULT_EVERY),
            command: settings.command.clone().filter(|c| !c.is_empty()),
            timeout: std::time::Duration::from_secs(
                settings.timeout.unwrap_or(DEFAULT_TIMEOUT).max(1),
            ),
        })
    }

    /// The checkpoint file of the database at `db`: named after the file and a digest of
    /// its full path, so two tenants' databases never share one, and a log whose first event
    /// was rewritten still finds the checkpoints that name its old identity.
    pub fn file_for(&self, db: &Path) -> PathBuf {
        let full = full_path(db);
        let digest = Sha256::digest(full.as_os_str().as_encoded_bytes());
        let name = db
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "oordeel".to_owned());
        self.dir
            .join(format!("{name}-{}.checkpoints", &hex::encode(digest)[..8]))
    }
}

/// Before a new database is made at `db`: the checkpoints of the one that was there before
/// (removed, or replaced by `demo --force`) are moved aside to `<file>.replaced-<time>`,
/// kept, so the new log's checkpoints start a file of their own instead of being refused as
/// another log's. Returns where they went.
pub fn set_aside_for_new_database(setup: &Setup, db: &Path) -> Result<Option<PathBuf>, Fault> {
    let file = setup.file_for(db);
    if !file.exists() {
        return Ok(None);
    }
    let mut aside = file.as_os_str().to_owned();
    aside.push(format!(
        ".replaced-{}",
        Utc::now().format("%Y%m%dT%H%M%S%.6fZ")
    ));
    let aside = PathBuf::from(aside);
    std::fs::rename(&file, &aside).map_err(|e| Fault::io(&file, e))?;
    Ok(Some(aside))
}

/// What a signing attempt did.
#[derive(Debug)]
pub enum Signing {
    Signed {
        checkpoint: Checkpoint,
        note: String,
        file: PathBuf,
    },
    /// Fewer new events than asked for since the last checkpoint.
    UpToDate,
    /// Nothing to sign yet.
    EmptyLog,
    /// The log does not extend the last checkpoint: signing it would vouch for a rewritten,
    /// cut or rolled-back log.
    Refused(Divergence),
}

/// How the log departs from the last checkpoint in the file.
#[derive(Debug, Clone)]
pub enum Divergence {
    /// The log holds fewer events than the checkpoint covered.
    Shorter {
        file: PathBuf,
        last: Checkpoint,
        events_now: i64,
    },
    /// The log's event at the checkpoint's count has another hash.
    Rewritten {
        file: PathBuf,
        last: Checkpoint,
        hash_now: String,
    },
    /// The checkpoint names another log (its first event was rewritten, or another
    /// database now sits at this path).
    OtherLog {
        file: PathBuf,
        last: Checkpoint,
        origin_now: String,
    },
}

/// The log as the signer sees it before signing.
struct State {
    head: crate::store::LogHead,
    origin_now: String,
    last: Option<Checkpoint>,
    divergence: Option<Divergence>,
}

/// The signing key with where its checkpoints go.
pub struct Signer {
    pub key: SigningKey,
    pub setup: Setup,
    /// Whether each checkpoint is flushed to disk before it is handed on. A console's
    /// mid-session signing leaves that to the kernel: its flush would queue behind, and
    /// ahead of, the reviewer's own commits, and a checkpoint lost in a crash costs nothing
    /// (the next one covers the same events, and the one handed off is kept elsewhere).
    pub durable: bool,
}

impl Signer {
    /// The signer of this account; `None` when it has no key (nothing is signed then).
    pub fn load(setup: Setup) -> Result<Option<Signer>, Fault> {
        Ok(key::load(&setup.key_file)?.map(|key| Signer {
            key,
            setup,
            durable: true,
        }))
    }

    /// Signs the log's head if at least `min_new` events came since the last checkpoint in
    /// the database's file and the log extends it; appends it to the file and returns it.
    /// `accept_divergence` is for `checkpoint restored` alone, right after the admin
    /// acknowledged the loss: every other caller refuses to sign over a divergence.
    pub fn sign_if_new(
        &self,
        store: &Store,
        db: &Path,
        min_new: i64,
        now: DateTime<Utc>,
        accept_divergence: bool,
    ) -> Result<Signing, Fault> {
        let path = self.setup.file_for(db);
        let file = open_locked(&path)?;
        // Read under the lock, after it: another process may have just signed a later head.
        let Some(State {
            head,
            origin_now,
            last,
            divergence,
        }) = self.state(store, &path, &file)?
        else {
            return Ok(Signing::EmptyLog);
        };
        let since = head.events - last.as_ref().map_or(0, |l| l.events);
        match divergence {
            Some(d) if !accept_divergence => return Ok(Signing::Refused(d)),
            None if since < min_new => return Ok(Signing::UpToDate),
            _ => {}
        }
        let checkpoint = Checkpoint {
            origin: origin_now,
            events: head.events,
            head: head.hash,
            time: now,
        };
        let note = checkpoint
            .sign(&self.key.signer)
            .map_err(|problem| Fault::BadFile {
                path: path.clone(),
                problem,
            })?;
        let mut file = file;
        file.write_all(format!("{note}\n").as_bytes())
            .and_then(|_| {
                if self.durable {
                    file.sync_data()
                } else {
                    Ok(())
                }
            })
            .map_err(|e| Fault::io(&path, e))?;
        Ok(Signing::Signed {
            checkpoint,
            note,
            file: path,
        })
    }

    /// Why the next signing would be refused, if it would: asked without taking the lock or
    /// making the file (for `checkpoint status`).
    pub fn would_refuse(&self, store: &Store, db: &Path) -> Result<Option<Divergence>, Fault> {
        let path = self.setup.file_for(db);
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Fault::io(&path, e)),
        };
        Ok(self.state(store, &path, &file)?.and_then(|s| s.divergence))
    }

    /// The log's head and identity against the last checkpoint this key signed in `file`;
    /// `None` for an empty log.
    fn state(
        &self,
        store: &Store,
        path: &Path,
        file: &std::fs::File,
    ) -> Result<Option<State>, Fault> {
        let Some(head) = store.log_head()? else {
            return Ok(None);
        };
        let first = store.event_hash(1)?.unwrap_or_default();
        let origin_now = origin(&self.key.name, &log_id(&first));
        let last = last_checkpoint(file, path, &self.key.verifier_key)?;
        let file = path.to_owned();
        let divergence = match &last {
            None => None,
            Some(last) if last.origin != origin_now => Some(Divergence::OtherLog {
                file,
                last: last.clone(),
                origin_now: origin_now.clone(),
            }),
            Some(last) if head.events < last.events => Some(Divergence::Shorter {
                file,
                last: last.clone(),
                events_now: head.events,
            }),
            Some(last) => {
                let hash_now = store.event_hash(last.events)?.unwrap_or_default();
                (hash_now != last.head).then(|| Divergence::Rewritten {
                    file,
                    last: last.clone(),
                    hash_now,
                })
            }
        };
        Ok(Some(State {
            head,
            origin_now,
            last,
            divergence,
        }))
    }

    /// Whether the database's checkpoint file can be appended to (and its lock taken), before
    /// something is recorded that a checkpoint must then sign over.
    pub fn can_append(&self, db: &Path) -> Result<(), Fault> {
        open_locked(&self.setup.file_for(db)).map(drop)
    }
}
