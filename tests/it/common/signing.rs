//! An account that signs checkpoints: its own settings and state directories (so a test's
//! key and checkpoints never touch the developer's), and what an attacker does to a log.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The service account's home: `XDG_CONFIG_HOME` and `XDG_STATE_HOME` inside one temp dir.
pub struct Account {
    pub home: TempDir,
}

impl Account {
    pub fn new() -> Account {
        Account {
            home: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// `oordeel` as this account.
    pub fn oordeel(&self) -> Command {
        let mut cmd = super::oordeel();
        cmd.env("XDG_CONFIG_HOME", self.home.path().join("config"))
            .env("XDG_STATE_HOME", self.home.path().join("state"));
        cmd
    }

    pub fn config_dir(&self) -> PathBuf {
        self.home.path().join("config/oordeel")
    }

    pub fn key_file(&self) -> PathBuf {
        self.config_dir().join("checkpoint.key")
    }

    /// The public key as `checkpoint key` wrote it beside the private one.
    pub fn public_key(&self) -> String {
        std::fs::read_to_string(self.config_dir().join("checkpoint.pub"))
            .expect("the public key file")
            .trim()
            .to_owned()
    }

    /// The one checkpoint file this account is writing (set-aside ones not counted).
    pub fn checkpoint_file(&self) -> PathBuf {
        let dir = self.home.path().join("state/oordeel/checkpoints");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("the checkpoint directory")
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "checkpoints"))
            .collect();
        assert_eq!(files.len(), 1, "one checkpoint file in {}", dir.display());
        files.remove(0)
    }

    /// How many checkpoints the file holds (one signature line each).
    pub fn checkpoints(&self) -> usize {
        std::fs::read_to_string(self.checkpoint_file())
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("— "))
            .count()
    }

    /// Writes the settings file's `[checkpoints]` table.
    pub fn settings(&self, toml: &str) {
        std::fs::create_dir_all(self.config_dir()).unwrap();
        std::fs::write(self.config_dir().join("config.toml"), toml).unwrap();
    }

    /// Makes the key on `db`; it signs its first checkpoint there.
    pub fn make_key(&self, db: &Path) {
        self.oordeel()
            .args(["checkpoint", "key", "--name", "oordeel.test", "--db"])
            .arg(db)
            .assert()
            .success();
    }

    /// Adds a reviewer of team Noord as the admin (a command that writes, so it signs).
    pub fn add_reviewer(&self, db: &Path, name: &str) -> assert_cmd::assert::Assert {
        self.oordeel()
            .args([
                "users", "add", name, "--role", "reviewer", "--team", "Noord", "--db",
            ])
            .arg(db)
            .assert()
            .success()
    }

    /// `export --log --out OUT` of `db`, as this account.
    pub fn export_log(&self, db: &Path, out: &Path) -> assert_cmd::assert::Assert {
        self.oordeel()
            .args(["export", "--log", "--out"])
            .arg(out)
            .arg("--db")
            .arg(db)
            .assert()
    }

    /// `checkpoint restored --reason REASON` on `db`, as this account.
    pub fn restored(&self, db: &Path, reason: &str) -> assert_cmd::assert::Assert {
        self.oordeel()
            .args(["checkpoint", "restored", "--reason", reason, "--db"])
            .arg(db)
            .assert()
    }

    /// `verify --checkpoints` with the public key, as the auditor runs it.
    pub fn verify(&self, db: &Path, file: &Path) -> assert_cmd::assert::Assert {
        self.oordeel()
            .arg("verify")
            .arg("--db")
            .arg(db)
            .arg("--checkpoints")
            .arg(file)
            .arg("--key")
            .arg(self.public_key())
            .assert()
    }
}

/// What an attacker with the sqlite3 shell and a small script does: deletes the events of
/// `kind`, numbers the rest from 1 again and re-hashes the whole chain as oordeel would, with
/// the append-only triggers dropped for the while and put back. `verify` alone then finds
/// nothing wrong.
pub fn delete_and_rehash(path: &Path, kind: &str) {
    super::keep_only_events_except(path, kind);
    super::rechain(path, true);
}

/// Deletes the last `n` events, as `DELETE FROM events WHERE seq > max - n` in the shell.
pub fn cut_tail(path: &Path, n: i64) {
    super::sql(
        path,
        &format!(
            "DROP TRIGGER events_refuse_delete;
             DELETE FROM events WHERE seq > (SELECT max(seq) - {n} FROM events);
             CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
             BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted'); END;"
        ),
    );
}

/// A copy of the database file as a backup would hold it (every process has closed it, so
/// the file alone is the whole database).
pub fn copy_of(path: &Path, to: &Path) {
    assert!(
        !path.with_extension("db-wal").exists()
            || std::fs::metadata(path.with_extension("db-wal"))
                .unwrap()
                .len()
                == 0,
        "the database is closed"
    );
    std::fs::copy(path, to).unwrap();
}
