//! `oordeel purge`: names, BSNs and notes of households whose cases closed long ago go, the
//! pseudonymous decisions stay, and `verify` still passes; a tampered erased payload, a date
//! less than six months ago and a non-admin are refused or named.

use crate::common;
use oordeel::store::Refusal;

use chrono::{Days, Utc};
use common::aged::{self, AgedDb, OLD_NOTE, OLD_SEND_BACK, OPEN_OLD_NOTE, RECENT_NOTE};
use common::{oordeel, query_i64, sql};
use oordeel::store::StoreError;
use predicates::prelude::*;
use predicates::str::contains;
use sha2::{Digest, Sha256};

fn purge(db: &AgedDb) -> assert_cmd::Command {
    let mut cmd = oordeel();
    cmd.args(["purge", "--before", &db.before.to_string(), "--db"])
        .arg(db.path());
    cmd
}

fn verify(db: &AgedDb) -> assert_cmd::assert::Assert {
    oordeel().arg("verify").arg("--db").arg(db.path()).assert()
}

/// Name and BSN of a household, as the demo stored them.
fn identity_of(db: &AgedDb, household: i64) -> (String, String) {
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    conn.query_row(
        "SELECT name, bsn FROM personal_data WHERE household_id = ?1",
        [household],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// The database file and its WAL, byte for byte (no connection is open between commands).
fn file_digest(db: &AgedDb) -> String {
    let mut h = Sha256::new();
    for suffix in ["", "-wal"] {
        let mut p = db.path().as_os_str().to_owned();
        p.push(suffix);
        if let Ok(bytes) = std::fs::read(&p) {
            h.update(&bytes);
        }
    }
    hex::encode(h.finalize())
}

fn contains_bytes(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn a_purge_erases_names_bsns_and_notes_and_verify_still_passes() {
    let db = aged::aged();
    let households = [db.household_of(db.plain), db.household_of(db.urgent)];
    let (name, bsn) = identity_of(&db, households[0]);
    let events_before = query_i64(db.path(), "SELECT count(*) FROM events");
    let (note, send_back) = (db.seq_of_note(OLD_NOTE), db.seq_of_note(OLD_SEND_BACK));

    // The search index (schema 13) finds the name and the note's words before the purge.
    let surname = name.split_whitespace().last().unwrap().to_lowercase();
    let note_word = OLD_NOTE
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.len() > 3)
        .unwrap()
        .to_lowercase();
    let indexed = |table: &str, rowid: i64, word: &str| {
        query_i64(
            db.path(),
            &format!(
                "SELECT count(*) FROM {table} WHERE {table} MATCH '\"{word}\"' AND rowid = {rowid}"
            ),
        )
    };
    assert_eq!(indexed("search_people", households[0], &surname), 1);
    assert_eq!(indexed("search_notes", note, &note_word), 1);

    // A dry run says what would go and writes nothing at all.
    let digest = file_digest(&db);
    purge(&db)
        .arg("--dry-run")
        .assert()
        .success()
        .stdout(contains("Dry run, nothing written"))
        .stdout(contains("text of log entries             2"));
    assert_eq!(file_digest(&db), digest, "a dry run changes nothing");

    let out = purge(&db)
        .assert()
        .success()
        .stdout(contains("done and logged"));
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let purge_seq = events_before + 1;
    assert!(stdout.contains(&format!("(event {purge_seq})")), "{stdout}");
    for h in households {
        for table in ["personal_data", "protected_attributes", "demo_truth"] {
            let left = query_i64(
                db.path(),
                &format!("SELECT count(*) FROM {table} WHERE household_id = {h}"),
            );
            assert_eq!(left, 0, "{table} of household {h}");
        }
    }
    // The texts are gone from the log; the decisions, the send-back's link and the
    // pseudonym stay.
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    for seq in [note, send_back] {
        let (text, by, household): (Option<String>, i64, String) = conn
            .query_row(
                "SELECT json_extract(payload, '$.text'), json_extract(payload, '$.erased_by'),
                        json_extract(payload, '$.household') FROM events WHERE seq = ?1",
                [seq],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((text, by), (None, purge_seq), "event {seq}");
        assert!(household.starts_with("H-"));
    }
    let retracts: i64 = conn
        .query_row(
            "SELECT json_extract(payload, '$.retracts') FROM events WHERE seq = ?1",
            [send_back],
            |r| r.get(0),
        )
        .unwrap();
    assert!(retracts > 0 && retracts < send_back);
    assert_eq!(aged::status(db.path(), db.plain), "accepted");
    // The open case's notes, old and new, are untouched.
    for text in [OPEN_OLD_NOTE, RECENT_NOTE] {
        db.seq_of_note(text);
    }
    drop(conn);
    // Nor can a search find them any more.
    assert_eq!(indexed("search_people", households[0], &surname), 0);
    assert_eq!(indexed("search_notes", note, &note_word), 0);
    verify(&db).success().stdout(contains("Event log intact"));

    // Not even in the file's free pages (secure_delete during the purge).
    let bytes = std::fs::read(db.path()).unwrap();
    for gone in [name.as_str(), bsn.as_str(), OLD_NOTE, OLD_SEND_BACK] {
        assert!(!contains_bytes(&bytes, gone), "`{gone}` still in the file");
    }

    // A second purge finds nothing left and logs that too.
    purge(&db)
        .assert()
        .success()
        .stdout(contains("households                      0"));
    verify(&db).success();
}

#[test]
fn every_reader_copes_with_an_erased_household() {
    let db = aged::aged();
    purge(&db).assert().success();
    let today = Utc::now().date_naive().to_string();
    // The console's reveal (v): not an error, the date it was erased.
    let mut anna = common::session(db.path(), "anna");
    match anna.reveal(db.plain) {
        Err(e @ StoreError::Refused(Refusal::Erased(_))) => {
            assert!(e.to_string().contains(&format!("erased on {today}")), "{e}")
        }
        other => panic!("expected Erased, got {other:?}"),
    }
    // The detail pane and the citizen report show the note as erased.
    let actor = anna.actor().clone();
    let detail = anna.store().case_detail(&actor, db.plain).unwrap();
    assert!(
        oordeel::messages::written(&detail.notes[0].text).contains("erased on"),
        "{:?}",
        detail.notes
    );
    let history = anna.store().case_detail(&actor, db.urgent).unwrap().history;
    assert!(
        history.iter().any(|d| d
            .note
            .as_ref()
            .is_some_and(|n| oordeel::messages::written(n).contains("erased on"))),
        "{history:?}"
    );
    drop(anna);
    let household: String = {
        let conn = rusqlite::Connection::open(db.path()).unwrap();
        conn.query_row(
            "SELECT pseudonym FROM households WHERE id = ?1",
            [db.household_of(db.plain)],
            |r| r.get(0),
        )
        .unwrap()
    };
    oordeel()
        .args(["citizen", &household, "--as", "ilse", "--db"])
        .arg(db.path())
        .assert()
        .success()
        .stdout(contains("gewist op"))
        .stdout(contains("[gewist op"));
    oordeel()
        .args(["explain", "--case", &db.plain.to_string(), "--db"])
        .arg(db.path())
        .assert()
        .success();
    let export = String::from_utf8(common::export_json(db.path())).unwrap();
    assert!(!export.contains(OLD_NOTE) && export.contains("\"decision\": \"accept\""));
}

#[test]
fn a_tampered_erased_payload_fails_verify() {
    let db = aged::aged();
    let note = db.seq_of_note(OLD_NOTE);
    purge(&db).assert().success();
    // Someone "restores" a different text into the erased note.
    sql(
        db.path(),
        &format!(
            "DROP TRIGGER events_refuse_update;
             UPDATE events SET payload = json_set(payload, '$.text', 'forged') WHERE seq = {note};"
        ),
    );
    verify(&db)
        .failure()
        .stderr(contains(format!("event {note}")))
        .stderr(contains("no purge event lists it"));
}

#[test]
fn an_erasure_no_purge_lists_is_named() {
    let db = aged::aged();
    let old_open_note = db.seq_of_note(OPEN_OLD_NOTE);
    purge(&db).assert().success();
    let purge_seq = query_i64(
        db.path(),
        "SELECT max(seq) FROM events WHERE kind = 'purge'",
    );
    // The trigger's one opening, used by hand: an old v2 note the purge did not take.
    sql(
        db.path(),
        &format!(
            "UPDATE events SET payload = json_set(payload, '$.text', json('null'),
                                                  '$.erased_by', {purge_seq})
             WHERE seq = {old_open_note};"
        ),
    );
    verify(&db)
        .failure()
        .stderr(contains(format!("event {old_open_note}")));
}

#[test]
fn the_triggers_still_refuse_every_other_change() {
    let db = aged::aged();
    let (note, recent) = (db.seq_of_note(OLD_NOTE), db.seq_of_note(RECENT_NOTE));
    purge(&db).assert().success();
    let purge_seq = query_i64(
        db.path(),
        "SELECT max(seq) FROM events WHERE kind = 'purge'",
    );
    let conn = rusqlite::Connection::open(db.path()).unwrap();
    let refused = |sql: String| {
        let e = conn.execute(&sql, []).expect_err(&sql);
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    };
    let erase = |seq: i64| {
        format!(
            "UPDATE events SET payload = json_set(payload, '$.text', json('null'),
                                                  '$.erased_by', {purge_seq}) WHERE seq = {seq}"
        )
    };
    refused(erase(recent)); // younger than 183 days
    refused(erase(note)); // erased already
    refused(format!(
        "UPDATE events SET actor = 'mallory' WHERE seq = {note}"
    ));
    refused(format!(
        "UPDATE events SET payload = '{{}}', payload_digest = NULL WHERE seq = {note}"
    ));
    refused(format!(
        "UPDATE events SET payload = replace(payload, 'accept', 'reject')
         WHERE kind = 'decision' AND case_id = {}",
        db.plain
    ));
    refused(format!("DELETE FROM events WHERE seq = {purge_seq}"));
}

#[test]
fn a_date_less_than_six_months_ago_is_refused() {
    let db = aged::aged();
    let events = query_i64(db.path(), "SELECT count(*) FROM events");
    let recent = Utc::now().date_naive() - Days::new(100);
    let latest = Utc::now().date_naive() - Days::new(183);
    oordeel()
        .args(["purge", "--before", &recent.to_string(), "--db"])
        .arg(db.path())
        .assert()
        .failure()
        .stderr(contains("at least six months"))
        .stderr(contains(latest.to_string()));
    assert_eq!(query_i64(db.path(), "SELECT count(*) FROM events"), events);
}

#[test]
fn only_admins_purge() {
    let db = aged::aged();
    for who in ["ilse", "fatima", "anna"] {
        purge(&db)
            .args(["--as", who, "--dry-run"])
            .assert()
            .failure()
            .stderr(contains("admins only"));
    }
    assert_eq!(
        query_i64(db.path(), "SELECT count(*) FROM personal_data"),
        300
    );
}

#[test]
fn v1_entries_are_named_and_left_alone() {
    let db = aged::aged();
    let (note, send_back) = (db.seq_of_note(OLD_NOTE), db.seq_of_note(OLD_SEND_BACK));
    // As if the whole log had been written before the upgrade.
    common::rechain_as_v1(db.path());
    purge(&db)
        .assert()
        .success()
        .stdout(contains("text of log entries             0"))
        .stderr(contains("before the upgrade"))
        .stderr(contains(format!("events {note}, {send_back}")));
    assert_eq!(
        query_i64(
            db.path(),
            &format!(
                "SELECT count(*) FROM personal_data WHERE household_id = {}",
                db.household_of(db.plain)
            )
        ),
        0
    );
    verify(&db).success();
    // The v1 texts do not bring the household back in the next purge.
    purge(&db)
        .assert()
        .success()
        .stdout(contains("households                      0"))
        .stderr(contains("before the upgrade").not());
}

/// Every erased household, not one: the demo's bulk insert splits pages and leaves stale
/// copies of rows in their free space and on the freelist, which deleting the rows (even with
/// `secure_delete`) never touches. The files are read raw, as `strings x.db` would.
#[test]
fn after_a_purge_no_byte_of_any_erased_household_is_in_the_files() {
    use std::collections::{BTreeMap, HashSet};

    let db = common::demo(3000);
    let read_people = || -> BTreeMap<i64, [String; 4]> {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        let mut stmt = conn
            .prepare("SELECT household_id, name, bsn, address, birth_date FROM personal_data")
            .unwrap();
        stmt.query_map([], |r| {
            Ok((r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    };
    let people = read_people();
    let before = Utc::now().date_naive() - Days::new(190);
    oordeel()
        .args(["purge", "--before", &before.to_string(), "--db"])
        .arg(&db.path)
        .assert()
        .success();
    let left = read_people();
    let erased: Vec<&[String; 4]> = people
        .iter()
        .filter(|(id, _)| !left.contains_key(id))
        .map(|(_, p)| p)
        .collect();
    assert!(erased.len() > 500, "{} households erased", erased.len());

    // A name, an address or a birth date that a remaining household shares may stay; a BSN
    // is one person's. Pairs of adjacent fields are how a stored row reads.
    let kept: HashSet<&str> = left.values().flatten().map(String::as_str).collect();
    let bsns: HashSet<&[u8]> = erased.iter().map(|p| p[1].as_bytes()).collect();
    let mut needles: Vec<String> = Vec::new();
    for [name, bsn, address, birth] in &erased {
        needles.push(format!("{name}{bsn}"));
        needles.push(format!("{bsn}{address}"));
        needles.push(format!("{address}{birth}"));
        for field in [name, address] {
            if !kept.contains(field.as_str()) && field.len() >= 12 {
                needles.push(field.clone());
            }
        }
    }
    let finder = aho_corasick::AhoCorasick::new(&needles).unwrap();
    let mut found = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let mut path = db.path.as_os_str().to_owned();
        path.push(suffix);
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        for m in finder.find_overlapping_iter(&bytes) {
            found.push(format!("{suffix:?}: {}", needles[m.pattern().as_usize()]));
        }
        // Every run of exactly nine digits that is not inside a run of lowercase hex digits
        // (a hash may hold nine digits by chance).
        let hex = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
        let mut at = 0;
        while at < bytes.len() {
            if !bytes[at].is_ascii_digit() {
                at += 1;
                continue;
            }
            let end = at
                + bytes[at..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
            let in_hash = at > 0 && hex(&bytes[at - 1]) && bytes.get(end).is_some_and(hex);
            if end - at == 9 && !in_hash && bsns.contains(&bytes[at..end]) {
                found.push(format!(
                    "{suffix:?}: BSN {}",
                    String::from_utf8_lossy(&bytes[at..end])
                ));
            }
            at = end;
        }
    }
    assert!(found.is_empty(), "still in the files: {found:#?}");
}
