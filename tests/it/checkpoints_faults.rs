//! Signed checkpoints when something is wrong other than the log: a rewrite dressed up as a
//! restore, the wrong key or file given, a hand-off that hangs, a key gone, a setting oordeel
//! cannot use. Each is said, with what to do; none is taken for what it is not.

use crate::checkpoints::{add_user, events, signed_db};
use crate::common;

use common::signing::{Account, cut_tail};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

#[test]
fn a_rewrite_in_place_is_not_acknowledged_as_a_restore() {
    let (account, db) = signed_db();
    // One event's payload changed where it stands, keeping its time, and the chain re-hashed.
    common::sql(
        &db.path,
        "DROP TRIGGER events_refuse_update;
         UPDATE events SET payload = replace(payload, 'zeger', 'zegertje')
         WHERE kind = 'user_added' AND payload LIKE '%zeger%';
         CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
         BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events cannot be changed'); END;
         UPDATE users SET name = 'zegertje' WHERE name = 'zeger';",
    );
    common::rechain(&db.path, true);
    let events = events(&db);
    account
        .oordeel()
        .args([
            "checkpoint",
            "restored",
            "--reason",
            "covering it up",
            "--db",
        ])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(
            contains("No restore to acknowledge")
                .and(contains(format!("covers event {events}")))
                .and(contains("That is a rewritten log")),
        );
    assert_eq!(
        common::query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind = 'log_restored'"
        ),
        0
    );
    // A blank reason is refused before anything is read.
    account
        .restored(&db.path, "  ")
        .failure()
        .stderr(contains("may not be blank"));
}

#[test]
fn a_wrong_key_or_file_is_the_readers_to_fix_not_an_incident() {
    let (account, db) = signed_db();
    let export = db.dir.path().join("log.jsonl");
    account.export_log(&db.path, &export).success();
    account
        .verify(&db.path, &export)
        .failure()
        .stderr(contains("could not be checked").and(contains("Stop writing").not()));
    account
        .oordeel()
        .arg("verify")
        .arg("--db")
        .arg(&db.path)
        .arg("--checkpoints")
        .arg(account.checkpoint_file())
        .args(["--key", "/nonexistent/checkpoint.pub"])
        .assert()
        .failure()
        .stderr(contains(
            "/nonexistent/checkpoint.pub: there is no such file",
        ));
}

#[test]
fn a_hand_off_that_hangs_is_stopped_and_said() {
    let db = common::demo(300);
    let account = Account::new();
    // A script whose own child would finish the job later: stopping the script stops it too.
    let mark = account.home.path().join("finished");
    account.settings(&format!(
        "[checkpoints]\ncommand = [\"sh\", \"-c\", \"sleep 3; touch {}\"]\ntimeout = 1\n",
        mark.display()
    ));
    let started = std::time::Instant::now();
    account
        .oordeel()
        .args(["checkpoint", "key", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stderr(contains("had not finished after 1 s and was stopped"));
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    assert_eq!(account.checkpoints(), 1, "the checkpoint stays in the file");
    std::thread::sleep(std::time::Duration::from_secs(4));
    assert!(!mark.exists(), "the script's sleep was stopped with it");
}

#[test]
fn signing_that_stops_says_so_and_status_shows_why() {
    let (account, db) = signed_db();
    // The key gone, while the database's checkpoints show there was one.
    let aside = account.home.path().join("key.offline");
    std::fs::rename(account.key_file(), &aside).unwrap();
    add_user(&account, &db, "k1").stderr(contains("no checkpoint signed: there is no key at"));
    // Status still reads the checkpoints, with the public half that stayed.
    account
        .oordeel()
        .args(["checkpoint", "status", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(
            contains("(the private key is missing)")
                .and(contains("Newest:            37 events"))
                .and(contains("Signing:           off")),
        );
    std::fs::rename(&aside, account.key_file()).unwrap();
    // A relative database path names the same file, before and after it exists.
    cut_tail(&db.path, 2);
    let status = account
        .oordeel()
        .current_dir(db.dir.path())
        .args(["checkpoint", "status", "--db", "demo.db"])
        .assert()
        .success();
    let said = String::from_utf8_lossy(&status.get_output().stdout).into_owned();
    assert!(
        said.contains(&account.checkpoint_file().display().to_string()),
        "{said}"
    );
    assert!(
        said.contains("no checkpoint signed: the log holds"),
        "{said}"
    );
    // A setting it cannot use is named.
    account.settings("[checkpoints]\nevery = 0\n");
    add_user(&account, &db, "k2")
        .stderr(contains("[checkpoints] every").and(contains("at least 1")));
}
