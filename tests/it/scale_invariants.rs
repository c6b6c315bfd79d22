//! What the work for scale keeps true: the counts the console's header reads from
//! `case_counts` are the cases' own counts after every kind of change, and the first load
//! builds every index it set aside. (The drift reference kept at training: `drift_watch`.)

use crate::common;
use oordeel::domain::decision::{CaseStatus, Decision};

/// `case_counts` against a count of `cases` itself, per team and status.
fn counts_agree(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).expect("open");
    let differ: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM (
                       SELECT team, status, count(*) AS n FROM cases GROUP BY 1, 2
                       EXCEPT SELECT team, status, n FROM case_counts WHERE n > 0))
                  + (SELECT count(*) FROM (
                       SELECT team, status, n FROM case_counts WHERE n > 0
                       EXCEPT SELECT team, status, count(*) FROM cases GROUP BY 1, 2))",
            [],
            |r| r.get(0),
        )
        .expect("compare");
    assert_eq!(differ, 0, "case_counts disagrees with cases");
}

#[test]
fn the_header_counts_follow_decisions_signatures_undo_and_reassignment() {
    let db = common::demo(600);
    counts_agree(&db.path);
    let mut anna = common::session(&db.path, "anna");
    let open_before = anna.summary().expect("summary").open;
    let case: i64 = common::query_i64(&db.path, common::NOORD_PLAIN_CASE);
    anna.open_case(case).expect("open");
    anna.decide(case, Decision::Accept, None).expect("decide");
    assert_eq!(anna.summary().expect("summary").open, open_before - 1);
    counts_agree(&db.path);
    anna.undo_last().expect("undo");
    assert_eq!(anna.summary().expect("summary").open, open_before);
    counts_agree(&db.path);
    // A decision the four-eyes rule catches waits for a signature: "to sign" goes up.
    let threat: i64 = common::query_i64(
        &db.path,
        "SELECT id FROM cases WHERE team = 'Noord' AND status = 'open' AND urgent = 1
         ORDER BY queue_rank LIMIT 1",
    );
    let to_sign = anna.summary().expect("summary").to_sign;
    anna.open_case(threat).expect("open");
    anna.decide(threat, Decision::Accept, None).expect("decide");
    assert_eq!(anna.summary().expect("summary").to_sign, to_sign + 1);
    counts_agree(&db.path);
    anna.end(None).expect("end");
    let mut carla = common::session(&db.path, "carla");
    carla.open_case(threat).expect("open");
    carla.sign(threat).expect("sign");
    assert_eq!(carla.summary().expect("summary").to_sign, to_sign);
    counts_agree(&db.path);
    carla.end(None).expect("end");
    common::oordeel()
        .args([
            "reassign",
            "--case",
            &case.to_string(),
            "--team",
            "Zuid",
            "--as",
            "fatima",
        ])
        .arg("--db")
        .arg(&db.path)
        .assert()
        .success();
    counts_agree(&db.path);
    let status: String = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row("SELECT status FROM cases WHERE id = ?1", [case], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(status, CaseStatus::Open.as_code());
}

/// The demo loads its caseload with the indexes set aside and builds them at the end: the
/// database has every index a fresh schema has, and SQLite finds them sound.
#[test]
fn a_first_load_leaves_every_index_in_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.db");
    common::oordeel()
        .args(["init", "--municipality", "Test", "--db"])
        .arg(&empty)
        .assert()
        .success();
    let db = common::demo(300);
    let indexes = |path: &std::path::Path| -> Vec<String> {
        let conn = rusqlite::Connection::open(path).expect("open");
        let mut stmt = conn
            .prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    assert_eq!(indexes(&db.path), indexes(&empty));
    let conn = rusqlite::Connection::open(&db.path).expect("open");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}
