//! The event log is tamper-evident: `oordeel verify` passes on an intact log and names the
//! first bad event after an alteration, deletion, reordering or insertion done the way an
//! attacker with the sqlite3 shell would (dropping the append-only triggers first).

use crate::common;

use common::{demo, oordeel, query_i64, sql};
use oordeel::domain::decision::Decision;
use oordeel::store::Store;
use predicates::str::contains;

/// A demo database with a few decisions and a note on top of the demo's own events.
fn logged_db() -> common::DemoDb {
    let db = demo(300);
    let mut session = common::session(&db.path, &common::os_user());
    let open: Vec<i64> = {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        let mut stmt = conn
            .prepare("SELECT id FROM cases WHERE status = 'open' ORDER BY queue_rank LIMIT 4")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    session.decide(open[0], Decision::Accept, None).unwrap();
    session
        .decide(open[1], Decision::Reject, Some("resolved"))
        .unwrap();
    session.note(open[2], "called, no answer").unwrap();
    session.decide(open[3], Decision::Defer, None).unwrap();
    session.undo_last().unwrap();
    session.end(Some(open[3])).unwrap();
    db
}

fn verify(db: &common::DemoDb) -> assert_cmd::assert::Assert {
    oordeel().arg("verify").arg("--db").arg(&db.path).assert()
}

#[test]
fn an_intact_log_verifies() {
    let db = logged_db();
    let events = query_i64(&db.path, "SELECT count(*) FROM events");
    assert!(
        events >= 9,
        "demo events plus session, decisions, note, retract: {events}"
    );
    verify(&db)
        .success()
        .stdout(contains(format!("{events} events")));
}

#[test]
fn the_triggers_refuse_update_and_delete() {
    let db = logged_db();
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let update = conn.execute("UPDATE events SET actor = 'mallory' WHERE seq = 2", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = conn.execute("DELETE FROM events WHERE seq = 2", []);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
}

#[test]
fn an_altered_event_is_named() {
    let db = logged_db();
    let seq = query_i64(
        &db.path,
        "SELECT min(seq) FROM events WHERE kind = 'decision'",
    );
    sql(
        &db.path,
        &format!(
            "DROP TRIGGER events_refuse_update;
             UPDATE events SET payload = replace(payload, '\"accept\"', '\"reject\"') WHERE seq = {seq};"
        ),
    );
    verify(&db)
        .failure()
        .stderr(contains(format!("event {seq}")))
        .stderr(contains("altered"));
}

#[test]
fn a_deleted_event_is_named() {
    let db = logged_db();
    let seq = query_i64(&db.path, "SELECT min(seq) FROM events WHERE kind = 'note'");
    sql(
        &db.path,
        &format!("DROP TRIGGER events_refuse_delete; DELETE FROM events WHERE seq = {seq};"),
    );
    verify(&db)
        .failure()
        .stderr(contains(format!("event {}", seq + 1)))
        .stderr(contains(format!("event {seq} is missing")));
}

#[test]
fn reordered_events_are_named() {
    let db = logged_db();
    let a = query_i64(
        &db.path,
        "SELECT min(seq) FROM events WHERE kind = 'decision'",
    );
    let b = a + 1;
    sql(
        &db.path,
        &format!(
            "DROP TRIGGER events_refuse_update;
             UPDATE events SET seq = -1 WHERE seq = {a};
             UPDATE events SET seq = {a} WHERE seq = {b};
             UPDATE events SET seq = {b} WHERE seq = -1;"
        ),
    );
    verify(&db)
        .failure()
        .stderr(contains(format!("event {a}")))
        .stderr(contains("chain"));
}

#[test]
fn an_inserted_event_is_named() {
    let db = logged_db();
    // The attacker forges a decision after event `at`, renumbering the rest to make room,
    // and even gives the forged event a correct hash over its own fields.
    let at = query_i64(
        &db.path,
        "SELECT min(seq) FROM events WHERE kind = 'decision'",
    );
    let store = Store::open(&db.path).unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let prev_hash: String = conn
        .query_row("SELECT hash FROM events WHERE seq = ?1", [at], |r| r.get(0))
        .unwrap();
    let forged = oordeel::domain::event::EventRecord {
        seq: at + 1,
        at: "2026-11-27T12:00:00.000000Z".into(),
        actor: "mallory".into(),
        role: "reviewer".into(),
        kind: "decision".into(),
        case_id: Some(1),
        payload: r#"{"decision":"reject"}"#.into(),
    };
    let hash = forged.chain_hash(&prev_hash);
    conn.execute_batch(
        "DROP TRIGGER events_refuse_update;
         UPDATE events SET seq = -seq WHERE seq > 0;",
    )
    .unwrap();
    conn.execute(
        &format!("UPDATE events SET seq = -seq + 1 WHERE seq < -{at}"),
        [],
    )
    .unwrap();
    conn.execute("UPDATE events SET seq = -seq WHERE seq < 0", [])
        .unwrap();
    conn.execute(
        "INSERT INTO events (seq, at, actor, role, kind, case_id, payload, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        rusqlite::params![
            forged.seq,
            forged.at,
            forged.actor,
            forged.role,
            forged.kind,
            forged.case_id,
            forged.payload,
            prev_hash,
            hash
        ],
    )
    .unwrap();
    // The forged event itself fits; the one after it no longer links to its predecessor.
    verify(&db)
        .failure()
        .stderr(contains(format!("event {}", at + 2)))
        .stderr(contains("chain"));
}

#[test]
fn verify_on_a_missing_database_says_where_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope.db");
    oordeel()
        .arg("verify")
        .arg("--db")
        .arg(&path)
        .assert()
        .failure()
        .stderr(contains("nope.db"))
        .stderr(contains("oordeel demo"));
    assert!(!path.exists(), "verify must not create a database");
}

#[test]
fn a_case_decided_behind_the_logs_back_is_named() {
    let db = logged_db();
    let case = query_i64(
        &db.path,
        "SELECT id FROM cases WHERE status = 'open' LIMIT 1",
    );
    sql(
        &db.path,
        &format!("UPDATE cases SET status = 'accepted' WHERE id = {case};"),
    );
    verify(&db)
        .failure()
        .stderr(contains(format!("(case {case}) (status)")))
        .stderr(contains("the cases table says accepted"))
        .stderr(contains("while the log says open"))
        .stderr(contains("The table was changed outside oordeel"));
}
