//! Shared helpers for the integration tests: a small demo database in a temporary directory.

#![allow(dead_code)]

pub mod console;
pub mod hostile;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The reference date every test caseload is generated for, so tests do not depend on today.
pub const TODAY: &str = "2026-11-27";

/// A temporary directory holding a demo database.
pub struct DemoDb {
    pub dir: TempDir,
    pub path: PathBuf,
}

/// The `oordeel` binary with a clean environment: English, no colour override, no user db.
pub fn oordeel() -> Command {
    let mut cmd = Command::cargo_bin("oordeel").expect("the binary is built");
    cmd.env_remove("OORDEEL_DB")
        .env("LANG", "en_GB.UTF-8")
        .env_remove("LC_ALL");
    cmd
}

/// Generates, trains and scores a demo caseload of `households` households.
pub fn demo(households: u32) -> DemoDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.db");
    oordeel()
        .args([
            "demo",
            "--households",
            &households.to_string(),
            "--seed",
            "7",
            "--today",
            TODAY,
        ])
        .arg("--db")
        .arg(&path)
        .assert()
        .success();
    DemoDb { dir, path }
}

/// Runs raw SQL on the database the way someone with the sqlite3 shell would.
pub fn sql(path: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.execute_batch(sql).expect("sql runs");
}

pub fn query_i64(path: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.query_row(sql, [], |r| r.get(0)).expect("query")
}

/// A review session of `name` on the database, as the console would start one.
pub fn session(path: &Path, name: &str) -> oordeel::store::ReviewSession {
    let store = oordeel::store::Store::open(path).expect("open");
    oordeel::store::ReviewSession::start(store, oordeel::store::Actor::new(name, "reviewer"))
        .expect("session starts")
}
