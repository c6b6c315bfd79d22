//! The stop button: a supervisor halts the model, no new scores appear, the queue falls back
//! to arrival order with deadlines first, every console shows a banner and no score, and a
//! different supervisor or admin must resume.

use crate::common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::console::{press, screen};
use common::{DemoDb, demo, oordeel, query_i64};
use crossterm::event::Event;
use oordeel::console::{App, ConsoleOptions, handle_event};
use oordeel::i18n::{Lang, set_lang};
use oordeel::store::{ReviewSession, Store};
use predicates::str::contains;

fn run(db: &DemoDb, args: &[&str]) -> assert_cmd::assert::Assert {
    oordeel().args(args).arg("--db").arg(&db.path).assert()
}

fn runs(db: &DemoDb) -> i64 {
    query_i64(&db.path, "SELECT count(*) FROM scoring_runs")
}

#[test]
fn a_halt_stops_scoring_until_a_second_person_resumes() {
    let db = demo(600);
    // A reviewer cannot stop the model, and a halt needs a reason.
    run(&db, &["--as", "anna", "halt", "--reason", "x"])
        .failure()
        .stderr(contains("halt or resume the model"));
    run(&db, &["--as", "fatima", "halt", "--reason", "  "])
        .failure()
        .stderr(contains("give a reason"));

    run(
        &db,
        &[
            "--as",
            "fatima",
            "halt",
            "--reason",
            "district acts as a proxy",
        ],
    )
    .success()
    .stdout(contains("Model halted by fatima"));
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind = 'halted' AND actor = 'fatima'
               AND json_extract(payload, '$.reason') = 'district acts as a proxy'"
        ),
        1
    );
    // The queue: arrival order, nearest deadline first, no probabilities.
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let deadlines: Vec<(String, String)> = conn
        .prepare(
            "SELECT deadline_on, opened_on FROM cases WHERE status != 'closed'
             ORDER BY queue_rank, id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(deadlines.len() > 100);
    assert!(
        deadlines.windows(2).all(|w| w[0] <= w[1]),
        "deadlines first"
    );
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT count(*) FROM cases WHERE status != 'closed' AND probability IS NOT NULL"
        ),
        0
    );

    // No new scores while halted: scoring is refused and writes nothing.
    let before = runs(&db);
    run(&db, &["score"])
        .failure()
        .stderr(contains("halted by fatima"))
        .stderr(contains("oordeel resume"));
    assert_eq!(runs(&db), before);
    run(&db, &["--as", "gijs", "halt", "--reason", "again"])
        .failure()
        .stderr(contains("already halted by fatima"));
    // People who decide see no explanation on the command line either; those who oversee
    // may look at what the model gave before, told that it is halted.
    let case = query_i64(
        &db.path,
        "SELECT id FROM cases WHERE team = 'Noord' AND status = 'open' LIMIT 1",
    )
    .to_string();
    run(&db, &["--as", "anna", "explain", "--case", &case])
        .failure()
        .stderr(contains("people who decide see no score or explanation"));
    run(&db, &["--as", "ilse", "explain", "--case", &case])
        .success()
        .stderr(contains("this is what it gave before the halt"));

    // The one who halted may not resume; another supervisor may.
    run(&db, &["--as", "fatima", "resume"])
        .failure()
        .stderr(contains("fatima halted the model and may not resume it"));
    run(&db, &["--as", "gijs", "resume"])
        .success()
        .stdout(contains("lifted by gijs"));
    run(&db, &["--as", "gijs", "resume"])
        .failure()
        .stderr(contains("not halted"));
    run(&db, &["score"]).success();
    assert_eq!(runs(&db), before + 1);
    run(&db, &["verify"]).success();
}

/// Every console shows the banner, and no score or explanation, while the model is halted.
#[test]
fn the_console_shows_the_halt_and_no_score() {
    let db = demo(400);
    run(
        &db,
        &[
            "--as",
            "fatima",
            "halt",
            "--reason",
            "district acts as a proxy",
        ],
    )
    .success();
    set_lang(Lang::En);
    let mut store = Store::open(&db.path).unwrap();
    store.set_clock(Box::new(|| {
        Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
    }));
    let actor = store.identify(&common::identity(Some("anna"))).unwrap();
    let session = ReviewSession::start(store, actor).unwrap();
    let today: NaiveDate = common::TODAY.parse().unwrap();
    let mut app = App::new(Box::new(session), ConsoleOptions::new(today)).unwrap();
    handle_event(&mut app, Event::Resize(80, 24));
    let shown = screen(&app, 80, 24);
    let header = shown.lines().next().unwrap();
    assert!(header.contains("MODEL HALTED by fatima"), "{shown}");
    assert!(
        shown.contains("Model halted: no score or explanation."),
        "{shown}"
    );
    assert!(!shown.contains("Why this rank"), "{shown}");
    press(&mut app, "<enter>");
    let full = screen(&app, 80, 24);
    assert!(full.contains("Model halted: no score"), "{full}");
}
