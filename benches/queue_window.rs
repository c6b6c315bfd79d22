//! Does reading the queue cost the same at any size? Builds a small and a large demo caseload
//! in the same run, times the console's reads on both (a window at the top, in the middle and
//! at the bottom, and one case's detail), and prints the large/small ratio: keyset pagination
//! should keep it near 1, whatever the queue's length.
//!
//! `cargo bench --bench queue_window` (large = 200,000 households; set OORDEEL_BENCH_LARGE to
//! change it, e.g. 1000000).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use oordeel::domain::decision::CaseStatus;
use oordeel::domain::queue::{QueueKey, WindowQuery, WindowStart};
use oordeel::store::{Identity, Store};

fn build(dir: &Path, households: usize) -> Store {
    let path = dir.join(format!("bench-{households}.db"));
    let status = Command::new(env!("CARGO_BIN_EXE_oordeel"))
        .args([
            "demo",
            "--households",
            &households.to_string(),
            "--today",
            "2026-11-27",
            "--db",
        ])
        .arg(&path)
        .status()
        .expect("run oordeel demo");
    assert!(status.success());
    Store::open(&path).expect("open bench db")
}

/// Median time of `f` over `runs` runs.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// The reads of a reviewer of team Noord (the demo's `anna`): the team-scoped queue.
fn measure(store: &Store) -> Vec<(&'static str, Duration)> {
    let actor = store
        .identify(&Identity {
            os_user: "bench",
            uid: nix::unistd::Uid::current().as_raw(),
            as_name: Some("anna"),
        })
        .expect("the demo has anna");
    let actor = &actor;
    let open = store.count_status(actor, CaseStatus::Open).unwrap();
    let window = |start| WindowQuery {
        include_decided: false,
        by_deadline: false,
        list: oordeel::domain::queue::QueueList::Queue,
        start,
        limit: 60,
    };
    let middle = store
        .queue_window(
            actor,
            &window(WindowStart::From(QueueKey {
                rank: open / 2,
                case_id: 0,
            })),
        )
        .unwrap()[0]
        .case_id;
    let key = store.queue_key(actor, middle, false).unwrap().unwrap();
    vec![
        (
            "window at the top",
            median(200, || {
                drop(
                    store
                        .queue_window(actor, &window(WindowStart::First))
                        .unwrap(),
                )
            }),
        ),
        (
            "window mid-queue",
            median(200, || {
                drop(
                    store
                        .queue_window(actor, &window(WindowStart::After(key)))
                        .unwrap(),
                )
            }),
        ),
        (
            "window at the bottom",
            median(200, || {
                drop(
                    store
                        .queue_window(actor, &window(WindowStart::Last))
                        .unwrap(),
                )
            }),
        ),
        (
            "one case's detail",
            median(200, || drop(store.case_detail(actor, middle).unwrap())),
        ),
        (
            "open count (header)",
            median(50, || {
                assert!(store.count_status(actor, CaseStatus::Open).unwrap() > 0)
            }),
        ),
    ]
}

fn main() {
    let large: usize = std::env::var("OORDEEL_BENCH_LARGE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let dir = tempfile::tempdir().unwrap();
    let small = measure(&build(dir.path(), 5_000));
    let big = measure(&build(dir.path(), large));
    println!(
        "{:<24} {:>12} {:>12} {:>8}",
        "read", "5,000", large, "ratio"
    );
    for ((name, s), (_, b)) in small.iter().zip(&big) {
        println!(
            "{name:<24} {:>10.1}µs {:>10.1}µs {:>8.2}",
            s.as_secs_f64() * 1e6,
            b.as_secs_f64() * 1e6,
            b.as_secs_f64() / s.as_secs_f64()
        );
    }
}
