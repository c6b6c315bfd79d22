//! `oordeel export --log`: every event as one JSON line with its hashes, enough for a third
//! party to check the chain without oordeel. The check is re-implemented here from docs/audit.md's
//! description with `sha2` alone (none of oordeel's code), and `assets/verify-log.py` is run
//! on the same file when `python3` is on PATH.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use common::aged::{self, OLD_NOTE};
use common::{oordeel, query_i64};
use predicates::str::contains;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The chain hash: a tag, then each field as `len ":" bytes 0x00`.
fn chain_hash(e: &Value, prev: &str, version: u8, last: &str) -> String {
    let case = e["case_id"]
        .as_i64()
        .map(|c| c.to_string())
        .unwrap_or_default();
    let seq = e["seq"].as_i64().unwrap().to_string();
    let mut bytes = format!("oordeel-event-v{version}\0").into_bytes();
    for field in [
        prev,
        &seq,
        e["at"].as_str().unwrap(),
        e["actor"].as_str().unwrap(),
        e["role"].as_str().unwrap(),
        e["kind"].as_str().unwrap(),
        &case,
        last,
    ] {
        bytes.extend(format!("{}:", field.len()).bytes());
        bytes.extend(field.bytes());
        bytes.push(0);
    }
    sha(&bytes)
}

/// Ok(head hash) or Err(seq of the first bad event).
fn check(jsonl: &str) -> Result<String, i64> {
    let mut prev = "0".repeat(64);
    let mut unexplained: BTreeMap<i64, String> = BTreeMap::new();
    let first = |unexplained: &BTreeMap<i64, String>, n| {
        Err(unexplained.keys().next().copied().unwrap_or(n))
    };
    for (i, line) in jsonl.lines().enumerate() {
        let n = i as i64 + 1;
        let e: Value = serde_json::from_str(line).map_err(|_| n)?;
        let payload = e["payload"].as_str().unwrap();
        let computed = match e["payload_digest"].as_str() {
            Some(d) => chain_hash(&e, &prev, 2, d),
            None => chain_hash(&e, &prev, 1, payload),
        };
        if e["seq"].as_i64() != Some(n) || e["prev_hash"] != prev.as_str() || computed != e["hash"]
        {
            return first(&unexplained, n);
        }
        let now = sha(payload.as_bytes());
        if e["payload_digest"].as_str().is_some_and(|d| d != now) {
            unexplained.insert(n, now);
        }
        if e["kind"] == "purge" {
            let purge: Value = serde_json::from_str(payload).unwrap();
            for erased in purge["erased"].as_array().unwrap() {
                let seq = erased["seq"].as_i64().unwrap();
                if unexplained.get(&seq).map(String::as_str) == erased["digest"].as_str() {
                    unexplained.remove(&seq);
                }
            }
        }
        prev = e["hash"].as_str().unwrap().to_owned();
    }
    match unexplained.keys().next() {
        Some(seq) => Err(*seq),
        None => Ok(prev),
    }
}

fn python3() -> bool {
    std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn run_script(log: &Path) -> std::process::Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/verify-log.py");
    std::process::Command::new("python3")
        .arg(script)
        .arg(log)
        .output()
        .unwrap()
}

#[test]
fn a_third_party_checks_the_exported_log_and_finds_a_one_byte_change() {
    let db = aged::aged();
    let note = db.seq_of_note(OLD_NOTE);
    oordeel()
        .args(["purge", "--before", &db.before.to_string(), "--db"])
        .arg(db.path())
        .assert()
        .success();
    let log = db.db.dir.path().join("log.jsonl");
    oordeel()
        .args(["export", "--log", "--out"])
        .arg(&log)
        .arg("--db")
        .arg(db.path())
        .assert()
        .success()
        .stderr(contains("verify-log.py"));
    let text = std::fs::read_to_string(&log).unwrap();
    let events = query_i64(db.path(), "SELECT count(*) FROM events");
    assert_eq!(text.lines().count() as i64, events);

    // Intact, with the purge's erasure accepted, and the same head as `oordeel verify`.
    let head = check(&text).expect("the exported chain checks out");
    oordeel()
        .arg("verify")
        .arg("--db")
        .arg(db.path())
        .assert()
        .success()
        .stdout(contains(&head));
    let erased: Value = serde_json::from_str(text.lines().nth(note as usize - 1).unwrap()).unwrap();
    assert_eq!(erased["erased_by"].as_i64(), Some(events));
    assert!(!text.contains(OLD_NOTE));

    // One byte changed in a decision's payload.
    let decision = text
        .lines()
        .find(|l| l.contains(r#""kind":"decision""#) && l.contains("accept"))
        .unwrap();
    let seq = serde_json::from_str::<Value>(decision).unwrap()["seq"]
        .as_i64()
        .unwrap();
    let tampered = text.replacen(decision, &decision.replacen("accept", "acceqt", 1), 1);
    assert_eq!(tampered.len(), text.len());
    assert_eq!(check(&tampered), Err(seq));
    let tampered_log = db.db.dir.path().join("tampered.jsonl");
    std::fs::write(&tampered_log, &tampered).unwrap();

    if !python3() {
        eprintln!("python3 not on PATH: assets/verify-log.py not run");
        return;
    }
    let good = run_script(&log);
    let stdout = String::from_utf8_lossy(&good.stdout);
    assert!(good.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!("OK: {events} events, head hash {head}")),
        "{stdout}"
    );
    let bad = run_script(&tampered_log);
    let stdout = String::from_utf8_lossy(&bad.stdout);
    assert_eq!(bad.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("BROKEN at event {seq}")),
        "{stdout}"
    );
}

#[test]
fn auditors_and_admins_export_the_log_supervisors_do_not() {
    let db = common::demo(150);
    let events = query_i64(&db.path, "SELECT count(*) FROM events");
    let out = oordeel()
        .args(["export", "--log", "--as", "ilse", "--db"])
        .arg(&db.path)
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(stdout.lines().count() as i64, events);
    assert!(check(&stdout).is_ok());
    for field in [
        "seq",
        "at",
        "actor",
        "role",
        "kind",
        "case_id",
        "payload",
        "payload_digest",
        "prev_hash",
        "hash",
        "erased_by",
    ] {
        assert!(stdout.contains(&format!("\"{field}\":")), "{field}");
    }
    oordeel()
        .args(["export", "--log", "--as", "fatima", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("auditors and admins"));
    // The decisions export keeps its contract.
    oordeel()
        .args(["export", "--log", "--format", "json", "--db"])
        .arg(&db.path)
        .assert()
        .failure();
}
