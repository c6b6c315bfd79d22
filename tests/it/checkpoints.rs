//! Signed checkpoints kept outside the database. Each attack is done as someone with the
//! database file and the sqlite3 shell would: a log rewritten and re-hashed, a tail of ten
//! events cut, yesterday's copy put back. `verify` alone passes the first (the chain is
//! consistent again); `verify --checkpoints` fails every one, naming the checkpoint and the
//! events, and oordeel refuses to sign over any of them.

use crate::common;

use common::query_i64;
use common::signing::{Account, copy_of, cut_tail, delete_and_rehash};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

/// A demo database whose account has a key; an auditor read a household's file (the event
/// the attacker will want gone), and an admin added a user afterwards. Each command signed.
pub(crate) fn signed_db() -> (Account, common::DemoDb) {
    let db = common::demo(300);
    let account = Account::new();
    account.make_key(&db.path);
    let household: String = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row("SELECT pseudonym FROM households LIMIT 1", [], |r| r.get(0))
        .unwrap();
    account
        .oordeel()
        .args(["citizen", &household, "--as", "ilse", "--out"])
        .arg(db.dir.path().join("letter.txt"))
        .arg("--db")
        .arg(&db.path)
        .assert()
        .success();
    add_user(&account, &db, "zeger");
    (account, db)
}

pub(crate) fn add_user(
    account: &Account,
    db: &common::DemoDb,
    name: &str,
) -> assert_cmd::assert::Assert {
    account.add_reviewer(&db.path, name)
}

pub(crate) fn events(db: &common::DemoDb) -> i64 {
    query_i64(&db.path, "SELECT count(*) FROM events")
}

#[test]
fn the_key_is_owner_only_its_public_half_beside_it_and_in_the_log() {
    use std::os::unix::fs::PermissionsExt;
    let db = common::demo(300);
    let account = Account::new();
    // A reviewer may not make one, and nothing is made for them.
    account
        .oordeel()
        .args(["checkpoint", "key", "--as", "anna", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("admins only"));
    assert!(!account.key_file().exists());
    account
        .oordeel()
        .args(["checkpoint", "key", "--name", "oordeel.test", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains("oordeel.test+").and(contains("Checkpoint signed")));
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&account.key_file()), 0o600);
    assert_eq!(mode(&account.config_dir()), 0o700);
    let recorded: String = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT json_extract(payload, '$.verifier_key') FROM events
             WHERE kind = 'checkpoint_key'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(recorded, account.public_key());
    // The model card and the register entry name it, for whoever checks an export.
    for args in [&["report", "model"][..], &["register", "export"][..]] {
        account
            .oordeel()
            .args(args)
            .arg("--db")
            .arg(&db.path)
            .assert()
            .success()
            .stdout(contains(recorded.as_str()));
    }
    // Asked again, it keeps the key: a new one would orphan the checkpoints signed so far.
    account.make_key(&db.path);
    assert_eq!(recorded, account.public_key());
    // A key others can read is refused, as ssh refuses one.
    std::fs::set_permissions(account.key_file(), std::fs::Permissions::from_mode(0o644)).unwrap();
    account
        .oordeel()
        .args(["checkpoint", "sign", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("can be read by others").and(contains("chmod 600")));
}

#[test]
fn every_command_that_writes_signs_and_an_intact_log_agrees_with_all() {
    let (account, db) = signed_db();
    // The key's own, the citizen report's, the new user's.
    assert_eq!(account.checkpoints(), 3);
    let file = account.checkpoint_file();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(&format!("\n{}\n", events(&db))), "{text}");
    account
        .verify(&db.path, &file)
        .success()
        .stdout(contains("Checkpoints intact: 3").and(contains("with 0 events since")));
    // `verify` writes nothing and signs nothing.
    assert_eq!(account.checkpoints(), 3);
    // A key the checkpoints were not signed with.
    let other = Account::new();
    let other_db = common::demo(300);
    other.make_key(&other_db.path);
    account
        .oordeel()
        .arg("verify")
        .arg("--db")
        .arg(&db.path)
        .arg("--checkpoints")
        .arg(&file)
        .arg("--key")
        .arg(other.public_key())
        .assert()
        .failure()
        .stderr(contains("checkpoint 1 (line 1): signed with oordeel.test+"));
}

#[test]
fn a_checkpoint_altered_in_its_file_is_named() {
    let (account, db) = signed_db();
    let file = account.checkpoint_file();
    let text = std::fs::read_to_string(&file).unwrap();
    let n = events(&db);
    std::fs::write(
        &file,
        text.replace(&format!("\n{n}\n"), &format!("\n{}\n", n + 5)),
    )
    .unwrap();
    account
        .verify(&db.path, &file)
        .failure()
        .stderr(contains("checkpoint 3").and(contains("its signature does not match its text")));
}

#[test]
fn a_log_rewritten_and_rehashed_fails_naming_the_checkpoint() {
    let (account, db) = signed_db();
    let file = account.checkpoint_file();
    let report = query_i64(
        &db.path,
        "SELECT seq FROM events WHERE kind = 'citizen_report'",
    );
    delete_and_rehash(&db.path, "citizen_report");
    // The chain alone cannot tell: it is consistent again.
    common::oordeel()
        .arg("verify")
        .arg("--db")
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains("Event log intact"));
    account.verify(&db.path, &file).failure().stderr(
        contains("checkpoint 2 (line 8, signed ")
            .and(contains(format!("rewritten at or before event {report}")))
            .and(contains(format!("after event {}", report - 1)))
            .and(contains("2 of 3 checkpoints do not agree")),
    );
    // Nothing is signed over it: the next command that writes says why, and still succeeds.
    add_user(&account, &db, "yara")
        .stderr(contains("no checkpoint signed").and(contains("rewritten")));
    assert_eq!(account.checkpoints(), 3);
}

#[test]
fn a_tail_cut_by_ten_events_fails_naming_the_checkpoint_and_the_events() {
    let (account, db) = signed_db();
    for i in 0..8 {
        add_user(&account, &db, &format!("extra{i}"));
    }
    let file = account.checkpoint_file();
    let n = events(&db);
    cut_tail(&db.path, 10);
    account.verify(&db.path, &file).failure().stderr(
        contains(format!("{n} events): the log holds only {}", n - 10)).and(contains(format!(
            "deleted from the log: events {} to {n}",
            n - 9
        ))),
    );
    add_user(&account, &db, "yara").stderr(contains(format!(
        "the log holds {} events, but the last checkpoint",
        n - 9
    )));
}

#[test]
fn yesterdays_copy_put_back_fails_and_an_acknowledged_restore_passes() {
    let (account, db) = signed_db();
    let yesterday = db.dir.path().join("yesterday.db");
    copy_of(&db.path, &yesterday);
    let kept = events(&db);
    for i in 0..3 {
        add_user(&account, &db, &format!("later{i}"));
    }
    let lost = events(&db);
    std::fs::copy(&yesterday, &db.path).unwrap();
    let file = account.checkpoint_file();
    account.verify(&db.path, &file).failure().stderr(
        contains(format!(
            "the log holds only {kept}; missing: events {} to {lost}",
            kept + 1
        ))
        .and(contains("an older copy put back")),
    );
    // Anyone can append an event saying the loss is known; it does not count unsigned.
    let lost_ref: Vec<serde_json::Value> = std::fs::read_to_string(&file)
        .unwrap()
        .split("\n\n")
        .filter_map(|n| {
            let lines: Vec<&str> = n.lines().collect();
            let events: i64 = lines.get(1)?.parse().ok()?;
            (events > kept).then(|| {
                let head = base64_to_hex(lines[2]);
                let time = lines[3].trim_start_matches("time ");
                serde_json::json!({ "events": events, "head": head, "time": time })
            })
        })
        .collect();
    assert_eq!(lost_ref.len(), 3, "the three later checkpoints");
    let forged = db.dir.path().join("forged.db");
    std::fs::copy(&db.path, &forged).unwrap();
    common::append_event(
        &forged,
        (&common::os_user(), "admin"),
        "log_restored",
        None,
        serde_json::json!({ "agrees_with": null, "lost": lost_ref, "reason": "forged" }),
    );
    account
        .verify(&forged, &file)
        .failure()
        .stderr(contains("missing"));
    // Work went on at once on the restored copy (a second later: checkpoints are signed to
    // the second), and the signer would not sign over it.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    add_user(&account, &db, "went_on").stderr(contains("after a restore from a backup"));
    // The admin acknowledges it; that is signed, and from then on the loss is shown, not failed.
    account
        .restored(&db.path, "disk lost; restored from yesterday's copy")
        .success()
        .stdout(contains("Recorded: 3 checkpoints cover").and(contains("Checkpoint signed")));
    account.verify(&db.path, &file).success().stdout(
        contains("Lost in a restore: the events of 3 checkpoints")
            .and(contains("restored from yesterday's copy"))
            .and(contains("Checkpoints intact")),
    );
    add_user(&account, &db, "after").stderr(contains("no checkpoint").not());
}

#[test]
fn each_new_checkpoint_is_handed_to_the_configured_command() {
    let db = common::demo(300);
    let account = Account::new();
    let handed = account.home.path().join("handed.txt");
    account.settings(&format!(
        "[checkpoints]\ncommand = [\"sh\", \"-c\", \"cat >> {}\"]\n",
        handed.display()
    ));
    account.make_key(&db.path);
    let text = std::fs::read_to_string(&handed).unwrap();
    assert!(
        text.contains("oordeel.test/") && text.contains("\n— oordeel.test "),
        "{text}"
    );
    // A command that fails is said; the checkpoint stays in the file, the command succeeds.
    account.settings("[checkpoints]\ncommand = [\"false\"]\n");
    account
        .oordeel()
        .args([
            "users", "add", "wim", "--role", "reviewer", "--team", "Noord", "--db",
        ])
        .arg(&db.path)
        .assert()
        .success()
        .stderr(contains("handing it on failed").and(contains("false")));
    assert_eq!(account.checkpoints(), 2);
}

#[test]
fn the_exported_log_carries_its_checkpoints_for_verify_log_py() {
    let (account, db) = signed_db();
    let out = db.dir.path().join("log.jsonl");
    account
        .export_log(&db.path, &out)
        .success()
        .stderr(contains("and 3 signed checkpoints"));
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("{\"checkpoint\":"))
            .count(),
        3
    );
    if std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("python3 not on PATH: assets/verify-log.py not run");
        return;
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/verify-log.py");
    // With the `cryptography` package if it is there, and with the script's own arithmetic.
    for pure in [false, true] {
        let mut run = std::process::Command::new("python3");
        run.arg(script)
            .arg(&out)
            .arg("--key")
            .arg(account.public_key());
        if pure {
            run.env("VERIFY_LOG_PURE_ED25519", "1");
        }
        let ok = run.output().unwrap();
        let said = String::from_utf8_lossy(&ok.stdout);
        assert!(
            ok.status.success() && said.contains("Checkpoints OK: 3"),
            "{said}"
        );
    }
    // The same export after a rewrite, re-hashed: the script names the checkpoint.
    delete_and_rehash(&db.path, "citizen_report");
    let rewritten = db.dir.path().join("rewritten.jsonl");
    account
        .oordeel()
        .args(["export", "--log", "--out"])
        .arg(&rewritten)
        .arg("--checkpoints")
        .arg(account.checkpoint_file())
        .arg("--db")
        .arg(&db.path)
        .assert()
        .success();
    let bad = std::process::Command::new("python3")
        .arg(script)
        .arg(&rewritten)
        .arg("--key")
        .arg(account.public_key())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&bad.stdout);
    assert!(
        !bad.status.success()
            && said.contains("CHECKPOINT checkpoint 2")
            && said.contains("rewritten"),
        "{said}"
    );
}

fn base64_to_hex(b64: &str) -> String {
    use base64::Engine;
    hex::encode(
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap(),
    )
}

#[test]
fn a_new_demo_at_the_same_path_keeps_the_old_checkpoints_aside_and_signs_its_own() {
    let (account, db) = signed_db();
    let old = account.checkpoint_file();
    account
        .oordeel()
        .args(["demo", "--households", "300", "--seed", "8", "--force"])
        .args(["--today", common::TODAY, "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stderr(contains("are kept as").and(contains(".replaced-")));
    // The new log's first checkpoint, in a file of its own; nothing refused.
    assert_eq!(account.checkpoints(), 1);
    assert_eq!(account.checkpoint_file(), old);
    add_user(&account, &db, "nieuw").stderr(contains("no checkpoint").not());
    account.verify(&db.path, &old).success();
    let aside: Vec<_> = std::fs::read_dir(old.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".replaced-"))
        .collect();
    assert_eq!(aside.len(), 1);
    // The old checkpoints belong to the old log, and say so.
    account
        .verify(&db.path, &aside[0])
        .failure()
        .stderr(contains("belongs to log oordeel.test/"));
}
