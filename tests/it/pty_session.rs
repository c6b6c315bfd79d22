//! The real binary in a pseudo-terminal: a reviewer opens the console, accepts three cases,
//! rejects two with reasons, writes a note, undoes one decision and quits; the database and
//! `oordeel export` then hold exactly those events, and the log verifies. Every one of those
//! decisions comes within seconds of opening its case, so each asks "are you sure?" once and
//! the same key again records it.

use crate::common;

use std::thread::sleep;
use std::time::Duration;

use common::{demo, oordeel};

/// Gives the console time to handle a key and commit before the next one arrives.
fn pause() {
    sleep(Duration::from_millis(250));
}

#[test]
fn a_review_session_in_a_real_terminal() {
    let db = demo(400);
    let cmd = common::console_in_pty(&db.path, 30, 110, "review");
    let mut p = rexpect::session::spawn_command(cmd, Some(15_000)).expect("spawn in a pty");
    p.exp_string("H-").expect("the queue shows households");
    pause();
    p.send("a").unwrap();
    p.flush().unwrap();
    p.exp_string("Are you sure?")
        .expect("a decision a moment after opening the case asks");
    pause();
    for keys in ["a", "a", "a", "a", "a", "r", "1", "r", "r", "2", "r"] {
        p.send(keys).unwrap();
        p.flush().unwrap();
        pause();
    }
    p.send("n").unwrap();
    p.flush().unwrap();
    pause();
    // Enter in a terminal sends a carriage return.
    p.send("called twice,\rno answer").unwrap();
    p.flush().unwrap();
    pause();
    p.send_control('s').unwrap();
    pause();
    p.send("u").unwrap();
    p.flush().unwrap();
    pause();
    p.send("q").unwrap();
    p.flush().unwrap();
    p.exp_eof().expect("the console quits on q");
    let status = p.process.wait().expect("exit status");
    assert!(
        matches!(status, rexpect::process::wait::WaitStatus::Exited(_, 0)),
        "console exit status {status:?}"
    );

    let out = common::export_json(&db.path);
    let events: Vec<serde_json::Value> = serde_json::from_slice(&out).unwrap();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["decision"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "accept", "accept", "accept", "reject", "reject", "note", "retract"
        ],
        "{events:#?}"
    );
    let user = oordeel::identity::os_user();
    for e in &events {
        assert_eq!(e["reviewer"], user.as_str());
        assert!(e["household"].as_str().unwrap().starts_with("H-"));
        assert!(e["at"].as_str().unwrap().contains('T'));
    }
    for e in &events[..5] {
        assert_eq!(e["model_version"], 1);
        assert!(e["score"].as_f64().unwrap() > 0.0);
        assert!(e["rank"].as_i64().unwrap() >= 1);
    }
    // The queue is taken from the top: the first accept is the top-ranked case.
    assert_eq!(events[0]["rank"], 1);
    assert_eq!(events[3]["reason"], "already_in_care");
    assert_eq!(events[4]["reason"], "resolved");
    assert_eq!(events[5]["note"], "called twice,\nno answer");
    // Undo retracts the last decision: the second rejection.
    assert_eq!(events[6]["retracts"], events[4]["event"]);
    assert_eq!(events[6]["case_id"], events[4]["case_id"]);
    let reopened = common::query_i64(
        &db.path,
        &format!(
            "SELECT count(*) FROM cases WHERE id = {} AND status = 'open'",
            events[4]["case_id"]
        ),
    );
    assert_eq!(reopened, 1, "the undone case is open again");

    // Each of the five decisions asked once, and the asking is in the log.
    let prompts = common::query_i64(
        &db.path,
        "SELECT count(*) FROM events WHERE kind = 'quick_decision_prompt'",
    );
    assert_eq!(prompts, 5);
    // Sessions start and end in the log, and the log verifies.
    let sessions = common::query_i64(
        &db.path,
        "SELECT count(*) FROM events WHERE kind IN ('session_start', 'session_end')",
    );
    assert_eq!(sessions, 2);
    oordeel()
        .args(["verify", "--db"])
        .arg(&db.path)
        .assert()
        .success();
}

/// Waits up to five seconds for `sql` to count at least one row.
fn eventually(path: &std::path::Path, sql: &str) -> bool {
    for _ in 0..50 {
        if common::query_i64(path, sql) > 0 {
            return true;
        }
        sleep(Duration::from_millis(100));
    }
    false
}

/// A dropped SSH connection: the reviewer's console gets SIGHUP. It must end the session at
/// once (freeing the claim, so a colleague can take the case without waiting for the lease
/// to lapse), lose no decision it had confirmed, and leave a log that verifies.
#[test]
fn a_hang_up_ends_the_session_and_frees_the_claim() {
    use rexpect::process::signal::Signal;
    use rexpect::process::wait::WaitStatus;

    let db = demo(400);
    let cmd = common::console_in_pty(&db.path, 24, 80, "review --as anna");
    let mut p = rexpect::session::spawn_command(cmd, Some(15_000)).expect("spawn in a pty");
    p.exp_string("H-").expect("the queue shows households");
    assert!(
        eventually(
            &db.path,
            "SELECT count(*) FROM claims WHERE holder = 'anna'"
        ),
        "landing on the first case claims it"
    );
    // One decision, confirmed on screen; then the next case is open and claimed.
    p.send("d").unwrap();
    p.flush().unwrap();
    p.exp_string("recorded").expect("the decision is confirmed");
    assert!(eventually(
        &db.path,
        "SELECT count(*) FROM claims c WHERE holder = 'anna' AND NOT EXISTS
           (SELECT 1 FROM events e WHERE e.case_id = c.case_id AND e.kind = 'decision')"
    ));

    p.process.signal(Signal::SIGHUP).expect("send SIGHUP");
    let mut status = None;
    for _ in 0..50 {
        match p.process.status() {
            Some(WaitStatus::StillAlive) | None => sleep(Duration::from_millis(100)),
            Some(s) => {
                status = Some(s);
                break;
            }
        }
    }
    if status.is_none() {
        let _ = p.process.signal(Signal::SIGKILL);
    }
    assert!(
        matches!(status, Some(WaitStatus::Exited(_, 0))),
        "the console leaves at once and cleanly on SIGHUP: {status:?}"
    );

    let count = |sql: &str| common::query_i64(&db.path, sql);
    assert_eq!(
        count("SELECT count(*) FROM claims WHERE holder = 'anna'"),
        0,
        "the claim is freed at once, not after the lease"
    );
    assert_eq!(
        count("SELECT count(*) FROM events WHERE kind = 'session_end' AND actor = 'anna'"),
        1
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM events WHERE kind = 'decision' AND actor = 'anna'
               AND json_extract(payload, '$.decision') = 'defer'"
        ),
        1,
        "the confirmed decision is kept"
    );
    oordeel()
        .args(["verify", "--db"])
        .arg(&db.path)
        .assert()
        .success();
}
