//! The command line as a user meets it: every command, its output, and its error paths.

use crate::common;

use common::{TODAY, demo, oordeel, query_i64};
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn every_command_has_help() {
    for cmd in [
        "demo", "train", "score", "review", "explain", "export", "verify",
    ] {
        oordeel()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(contains("--db"));
    }
}

#[test]
fn demo_creates_a_ranked_caseload_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub").join("demo.db");
    oordeel()
        .args([
            "demo",
            "--households",
            "400",
            "--seed",
            "3",
            "--today",
            TODAY,
            "--db",
        ])
        .arg(&path)
        .assert()
        .success()
        .stderr(contains(path.display().to_string()))
        .stderr(contains("400 households"));
    assert_eq!(query_i64(&path, "SELECT count(*) FROM households"), 400);
    let open = query_i64(&path, "SELECT count(*) FROM cases WHERE status = 'open'");
    let ranked = query_i64(
        &path,
        "SELECT count(*) FROM cases WHERE queue_rank < 9223372036854775807",
    );
    assert!(
        open > 50,
        "about 30% of households have an open case: {open}"
    );
    assert_eq!(open, ranked, "every open case is ranked");
    // The database and its directory are the owner's alone.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "database mode {mode:o}");
    let wal = path.with_extension("db-wal");
    if wal.exists() {
        assert_eq!(
            std::fs::metadata(&wal).unwrap().permissions().mode() & 0o077,
            0
        );
    }
}

#[test]
fn demo_is_deterministic_by_seed() {
    let a = demo(200);
    let b = demo(200);
    let snapshot = |p: &std::path::Path| {
        let conn = rusqlite::Connection::open(p).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT h.pseudonym, h.district, c.features, c.outcome, p.bsn
                 FROM households h JOIN cases c ON c.household_id = h.id
                 JOIN personal_data p ON p.household_id = h.id ORDER BY h.id",
            )
            .unwrap();
        stmt.query_map([], |r| {
            Ok(format!(
                "{}|{}|{}|{:?}|{}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, String>(4)?
            ))
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect::<Vec<_>>()
    };
    assert_eq!(snapshot(&a.path), snapshot(&b.path));
}

#[test]
fn demo_refuses_to_overwrite_without_force() {
    let db = demo(100);
    oordeel()
        .args(["demo", "--households", "100", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("already exists"))
        .stderr(contains("--force"));
    oordeel()
        .args([
            "demo",
            "--households",
            "120",
            "--today",
            TODAY,
            "--force",
            "--db",
        ])
        .arg(&db.path)
        .assert()
        .success();
    assert_eq!(query_i64(&db.path, "SELECT count(*) FROM households"), 120);
}

#[test]
fn demo_rejects_a_household_count_out_of_range() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["0", "99", "1000001", "many"] {
        oordeel()
            .args(["demo", "--households", bad, "--db"])
            .arg(dir.path().join("x.db"))
            .assert()
            .failure()
            .stderr(contains("--households"));
    }
    assert!(!dir.path().join("x.db").exists());
}

#[test]
fn a_foreign_file_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "this is not a database, just text that is long enough to have a header",
    )
    .unwrap();
    let before = std::fs::read(&text).unwrap();
    for cmd in ["verify", "score", "train", "export"] {
        oordeel()
            .arg(cmd)
            .arg("--db")
            .arg(&text)
            .assert()
            .failure()
            .stderr(contains("notes.txt"))
            .stderr(contains("not an SQLite database"));
    }
    oordeel()
        .args(["demo", "--force", "--db"])
        .arg(&text)
        .assert()
        .failure()
        .stderr(contains("not an SQLite database"));
    assert_eq!(std::fs::read(&text).unwrap(), before);

    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);")
        .unwrap();
    oordeel()
        .arg("verify")
        .arg("--db")
        .arg(&other)
        .assert()
        .failure()
        .stderr(contains("not an oordeel database"));
}

#[test]
fn a_database_from_a_newer_oordeel_is_refused() {
    let db = demo(100);
    common::sql(&db.path, "PRAGMA user_version = 99;");
    oordeel()
        .arg("verify")
        .arg("--db")
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("newer oordeel"))
        .stderr(contains("schema 99"));
}

#[test]
fn train_then_score_adds_a_model_version_and_a_new_ranking() {
    let db = demo(300);
    oordeel()
        .args(["train", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains("model version 2"))
        .stdout(contains("AUC"));
    // A new version ranks only once a second admin approved it (tests/it/model_registry.rs).
    oordeel()
        .args(["users", "add", "second", "--role", "admin", "--db"])
        .arg(&db.path)
        .assert()
        .success();
    oordeel()
        .args(["model", "approve", "2", "--as", "second", "--db"])
        .arg(&db.path)
        .assert()
        .success();
    oordeel()
        .args(["score", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains("model version 2"));
    assert_eq!(
        query_i64(&db.path, "SELECT max(model_version) FROM scoring_runs"),
        2
    );
    oordeel()
        .args(["train", "--l2=-1", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("--l2"));
}

#[test]
fn explain_shows_contributions_that_add_up() {
    let db = demo(300);
    let case = query_i64(&db.path, "SELECT id FROM cases WHERE queue_rank = 1");
    let out = oordeel()
        .args([
            "explain",
            "--format",
            "json",
            "--case",
            &case.to_string(),
            "--db",
        ])
        .arg(&db.path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["case_id"], case);
    assert_eq!(v["model_version"], 1);
    let sum: f64 = v["intercept"].as_f64().unwrap()
        + v["contributions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["contribution"].as_f64().unwrap())
            .sum::<f64>();
    assert!((sum - v["logit"].as_f64().unwrap()).abs() < 1e-9);
    let score = v["score"].as_f64().unwrap();
    assert!((score - 1.0 / (1.0 + (-v["logit"].as_f64().unwrap()).exp())).abs() < 1e-12);
    for c in v["contributions"].as_array().unwrap() {
        assert!(c["feature"].is_string() && c.get("value").is_some());
    }

    oordeel()
        .args(["explain", "--case", &case.to_string(), "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains("Baseline"))
        .stdout(contains("rank 1 of"));
    oordeel()
        .args([
            "--lang",
            "nl",
            "explain",
            "--case",
            &case.to_string(),
            "--db",
        ])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains("rang 1 van"));
    oordeel()
        .args(["explain", "--case", "999999", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("no case 999999"));
}

#[test]
fn export_on_an_empty_log_is_empty_and_writes_files_whole() {
    let db = demo(100);
    oordeel()
        .args(["export", "--format", "json", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("[]"));
    let out = db.dir.path().join("export.csv");
    oordeel()
        .args(["export", "--out"])
        .arg(&out)
        .arg("--db")
        .arg(&db.path)
        .assert()
        .success();
    assert!(out.exists());
    oordeel()
        .args(["export", "--out", "/nonexistent-dir/x.csv", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("/nonexistent-dir/x.csv"));
}

#[test]
fn review_without_a_terminal_says_so() {
    let db = demo(100);
    oordeel()
        .args(["review", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("needs a terminal"));
}

#[test]
fn unknown_commands_and_flags_are_refused_plainly() {
    oordeel()
        .arg("frobnicate")
        .assert()
        .failure()
        .stderr(contains("frobnicate"));
    oordeel()
        .args(["verify", "--nope"])
        .assert()
        .failure()
        .stderr(contains("--nope"));
}

#[test]
fn an_empty_file_is_not_taken_for_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    for cmd in ["verify", "export", "score", "train"] {
        oordeel()
            .arg(cmd)
            .arg("--db")
            .arg(&empty)
            .assert()
            .failure()
            .stderr(contains("empty.db"))
            .stderr(contains("empty, not an oordeel database"));
    }
    assert_eq!(
        std::fs::metadata(&empty).unwrap().len(),
        0,
        "the file was left as it was"
    );
}

#[test]
fn a_deferred_case_can_be_decided_later_and_undo_returns_it_to_deferred() {
    use oordeel::domain::decision::Decision;
    let db = demo(200);
    let case = query_i64(&db.path, common::NOORD_PLAIN_CASE);
    let mut s = common::session(&db.path, "anna");
    s.decide(case, Decision::Defer, None).unwrap();
    s.decide(case, Decision::Accept, None).unwrap();
    let status = |db: &common::DemoDb| {
        rusqlite::Connection::open(&db.path)
            .unwrap()
            .query_row("SELECT status FROM cases WHERE id = ?1", [case], |r| {
                r.get::<_, String>(0)
            })
            .unwrap()
    };
    assert_eq!(status(&db), "accepted");
    assert!(
        s.decide(case, Decision::Reject, Some("other")).is_err(),
        "an accepted case is settled"
    );
    s.undo_last().unwrap();
    assert_eq!(
        status(&db),
        "deferred",
        "undoing the accept leaves the deferral standing"
    );
    s.undo_last().unwrap();
    assert_eq!(status(&db), "open");
    oordeel()
        .args(["verify", "--db"])
        .arg(&db.path)
        .assert()
        .success();
}

#[test]
fn exports_are_private_and_safe_to_open_in_a_spreadsheet() {
    let db = demo(100);
    let case = query_i64(&db.path, common::NOORD_PLAIN_CASE);
    let mut s = common::session(&db.path, "anna");
    s.note(case, "=HYPERLINK(\"http://x.example\",\"click\")")
        .unwrap();
    let out = db.dir.path().join("notes.csv");
    oordeel()
        .args(["export", "--out"])
        .arg(&out)
        .arg("--db")
        .arg(&db.path)
        .assert()
        .success();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o077,
        0
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("event,case_id,household,decision,reason,note,"),
        "{text}"
    );
    assert!(text.contains("\"'=HYPERLINK("), "{text}");
    // JSON keeps the text exactly as written.
    oordeel()
        .args(["export", "--format", "json", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains("\"=HYPERLINK("));
}

#[test]
fn explain_on_a_historical_case_says_it_is_not_ranked() {
    let db = demo(100);
    let closed = query_i64(
        &db.path,
        "SELECT min(id) FROM cases WHERE status = 'closed'",
    );
    oordeel()
        .args(["explain", "--case", &closed.to_string(), "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("closed historical case"));
}

/// `oordeel … | head` closes the pipe before oordeel has written everything: the rest is
/// simply not wanted. No panic, no error message, a successful exit.
#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let db = common::demo(300);
    for args in [
        &["features", "list"][..],
        &["model", "list"],
        &["report", "model"],
        &["export", "--format", "json"],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("oordeel"))
            .env("LANG", "en_GB.UTF-8")
            .args(args)
            .arg("--db")
            .arg(&db.path)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        // Close the reading end before oordeel writes: every write hits a broken pipe.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
    }
}
