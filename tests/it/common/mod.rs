//! Shared helpers for the integration tests: a small demo database in a temporary directory.

#![allow(dead_code)]

pub mod aged;
pub mod console;
pub mod hostile;
pub mod lindenhaven;
pub mod signing;

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

/// `oordeel ARGS --db DB` in a terminal of `rows` x `cols` (through bash's `stty`, so the
/// console reads that size), English, for `rexpect` to spawn in a pseudo-terminal.
pub fn console_in_pty(db: &Path, rows: u16, cols: u16, args: &str) -> std::process::Command {
    let bin = assert_cmd::cargo::cargo_bin("oordeel");
    let mut cmd = std::process::Command::new("bash");
    cmd.arg("-c")
        .arg(format!(
            "stty rows {rows} cols {cols} && exec '{}' {args} --db '{}'",
            bin.display(),
            db.display()
        ))
        .env("TERM", "xterm-256color")
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

/// `oordeel export --format json` of the database into a pipe (exact data), which must succeed.
pub fn export_json(path: &Path) -> Vec<u8> {
    oordeel()
        .args(["export", "--format", "json", "--db"])
        .arg(path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
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

/// The best-ranked open case of team Noord that no four-eyes rule catches for an accept or
/// a deferral (no eviction or cut-off threat).
pub const NOORD_PLAIN_CASE: &str = "SELECT id FROM cases WHERE team = 'Noord' AND status = 'open'
     AND urgent = 0 ORDER BY queue_rank LIMIT 1";

/// A review session of user `name` on the database, as `oordeel review --as NAME` would start
/// one (the test process owns the file, so `--as` is honoured). The demo's users are listed
/// in `oordeel::commands::DEMO_USERS`: anna and bram review team Noord, daan team Zuid.
pub fn session(path: &Path, name: &str) -> oordeel::store::ReviewSession {
    let store = oordeel::store::Store::open(path).expect("open");
    let actor = store
        .identify(&identity(Some(name)))
        .expect("a user of the demo");
    oordeel::store::ReviewSession::start(store, actor).expect("session starts")
}

/// A review session of whoever runs the tests: the first admin of a database they made.
pub fn session_as_me(path: &Path) -> oordeel::store::ReviewSession {
    let store = oordeel::store::Store::open(path).expect("open");
    let me = os_user();
    let actor = store
        .identify(&oordeel::store::Identity {
            os_user: &me,
            uid: nix::unistd::Uid::current().as_raw(),
            as_name: None,
        })
        .expect("the owner is a user");
    oordeel::store::ReviewSession::start(store, actor).expect("session starts")
}

/// The identity of this test process, optionally acting `--as` someone.
pub fn identity(as_name: Option<&str>) -> oordeel::store::Identity<'_> {
    oordeel::store::Identity {
        os_user: "test-process",
        uid: nix::unistd::Uid::current().as_raw(),
        as_name,
    }
}

/// The name of the operating-system user running the tests: the demo's admin.
pub fn os_user() -> String {
    oordeel::identity::os_user()
}

/// Appends an event to the log exactly as oordeel would (v2, chained to the last one), with
/// nothing but SQL: for a test that needs a state the program refuses to make itself (a
/// hostile name from before the checks, a feature list no command writes), told by the log
/// as well as the table, so nothing disagrees. Returns its number.
pub fn append_event(
    path: &Path,
    (actor, role): (&str, &str),
    kind: &str,
    case_id: Option<i64>,
    payload: serde_json::Value,
) -> i64 {
    use oordeel::domain::event::{EventRecord, GENESIS_HASH, canonical_payload, payload_digest};
    let conn = rusqlite::Connection::open(path).expect("open");
    let (seq, prev): (i64, String) = conn
        .query_row(
            "SELECT coalesce(max(seq), 0), coalesce((SELECT hash FROM events
                 ORDER BY seq DESC LIMIT 1), ?1) FROM events",
            [GENESIS_HASH],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the head");
    let record = EventRecord {
        seq: seq + 1,
        at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        actor: actor.to_owned(),
        role: role.to_owned(),
        kind: kind.to_owned(),
        case_id,
        payload: canonical_payload(&payload),
    };
    let digest = payload_digest(&record.payload);
    conn.execute(
        "INSERT INTO events (seq, at, actor, role, kind, case_id, payload, prev_hash, hash,
                             payload_digest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        rusqlite::params![
            record.seq,
            record.at,
            record.actor,
            record.role,
            record.kind,
            record.case_id,
            record.payload,
            prev,
            record.chain_hash_v2(&prev, &digest),
            digest
        ],
    )
    .expect("append");
    record.seq
}

/// Sets a settings row and logs it as a `setting_changed` by the demo's admin, with SQL only
/// (see [`append_event`]): for values `oordeel settings set` would refuse.
pub fn set_setting_by_sql(path: &Path, key: &str, value: &str) {
    let conn = rusqlite::Connection::open(path).expect("open");
    let was: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .ok();
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
    .expect("setting");
    drop(conn);
    append_event(
        path,
        (&os_user(), "admin"),
        "setting_changed",
        None,
        serde_json::json!({ "key": key, "value": value, "was": was }),
    );
}

/// Removes every event whose kind is not in `kinds` and numbers the rest from 1 again, with
/// the sqlite3 shell's means (the delete trigger dropped and put back). For making a
/// database look older than the kinds it holds; run [`rechain_as_v1`] afterwards, as the
/// hashes no longer fit. Events that point at others by number must not be among them.
pub fn keep_only_events(path: &std::path::Path, kinds: &[&str]) {
    let list = kinds
        .iter()
        .map(|k| format!("'{k}'"))
        .collect::<Vec<_>>()
        .join(", ");
    drop_events_where(path, &format!("kind NOT IN ({list})"));
}

/// Removes every event of `kind` and numbers the rest from 1 again (see [`keep_only_events`]).
pub fn keep_only_events_except(path: &std::path::Path, kind: &str) {
    drop_events_where(path, &format!("kind = '{kind}'"));
}

fn drop_events_where(path: &std::path::Path, condition: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER events_refuse_delete; DROP TRIGGER events_refuse_update;
         DELETE FROM events WHERE {condition};
         CREATE TEMP TABLE kept AS SELECT * FROM events ORDER BY seq;
         DELETE FROM events;
         INSERT INTO events SELECT * FROM kept;
         UPDATE events SET seq = -seq;
         UPDATE events SET seq = (SELECT count(*) FROM kept k WHERE k.seq <= -events.seq);
         DROP TABLE kept;
         CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
         BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted'); END;
         CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
         BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be changed'); END;"
    ))
    .unwrap();
}

/// Rewrites the log as a schema-1 database held it: every event hashed in the v1 encoding,
/// `payload_digest` cleared, and the update trigger refusing everything. The upgrade then
/// appends v2 events after v1 ones, and `verify` must accept both.
pub fn rechain_as_v1(path: &std::path::Path) {
    rechain(path, false);
}

/// Recomputes every event's hash from its fields, as oordeel would have written them (v2 with
/// a fresh payload digest, or v1), with the update trigger dropped for the while.
pub fn rechain(path: &std::path::Path, v2: bool) {
    use oordeel::domain::event::{EventRecord, GENESIS_HASH, payload_digest};
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("DROP TRIGGER events_refuse_update;")
        .unwrap();
    let records: Vec<EventRecord> = conn
        .prepare("SELECT seq, at, actor, role, kind, case_id, payload FROM events ORDER BY seq")
        .unwrap()
        .query_map([], |r| {
            Ok(EventRecord {
                seq: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                role: r.get(3)?,
                kind: r.get(4)?,
                case_id: r.get(5)?,
                payload: r.get(6)?,
            })
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut prev = GENESIS_HASH.to_owned();
    for record in &records {
        let digest = v2.then(|| payload_digest(&record.payload));
        let hash = match &digest {
            Some(d) => record.chain_hash_v2(&prev, d),
            None => record.chain_hash(&prev),
        };
        conn.execute(
            "UPDATE events SET prev_hash = ?1, hash = ?2, payload_digest = ?3 WHERE seq = ?4",
            rusqlite::params![prev, hash, digest, record.seq],
        )
        .unwrap();
        prev = hash;
    }
    conn.execute_batch(
        "CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
         BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be changed'); END;",
    )
    .unwrap();
}
