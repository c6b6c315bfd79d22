//! The console on the real SQLite store and a real demo caseload: whole-screen snapshots at
//! 80x24 and 120x40 after key sequences, and the database afterwards. The demo is generated
//! for a fixed date and the store's clock is fixed, so the screens never drift.

use crate::common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::console::{press, screen};
use crossterm::event::Event;
use oordeel::console::{App, ConsoleOptions, handle_event};
use oordeel::i18n::{Lang, set_lang};
use oordeel::store::{ReviewSession, Store};

fn today() -> NaiveDate {
    common::TODAY.parse().unwrap()
}

/// A review session of `anna` on a fresh 400-household demo, the clock at 10:00 on TODAY.
fn open(db: &common::DemoDb, width: u16, height: u16) -> App {
    set_lang(Lang::En);
    let mut store = Store::open(&db.path).unwrap();
    store.set_clock(Box::new(|| {
        Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
    }));
    let actor = store.identify(&common::identity(Some("anna"))).unwrap();
    let session = ReviewSession::start(store, actor).unwrap();
    let mut app = App::new(Box::new(session), ConsoleOptions::new(today())).unwrap();
    handle_event(&mut app, Event::Resize(width, height));
    app
}

fn check(name: &str, keys: &str) -> common::DemoDb {
    let mut last = None;
    for (w, h) in [(80, 24), (120, 40)] {
        let db = common::demo(400);
        let mut app = open(&db, w, h);
        press(&mut app, keys);
        insta::assert_snapshot!(format!("real_{name}_{w}x{h}"), screen(&app, w, h));
        last = Some(db);
    }
    last.unwrap()
}

fn statuses(db: &common::DemoDb) -> Vec<(i64, String)> {
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let mut stmt = conn
        .prepare("SELECT queue_rank, status FROM cases WHERE status NOT IN ('open', 'closed') ORDER BY queue_rank")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn start_shows_the_top_of_the_ranking() {
    check("start", "");
}

#[test]
fn accept_and_reject_with_a_reason() {
    let db = check("decisions", "a j r 3");
    // anna sees team Noord only: its top case (rank 5 overall) was accepted; then the cursor
    // moved one down past the new top and the case at rank 14 was rejected. Both carry an
    // eviction or cut-off threat, so the four-eyes rule holds both for a second signature.
    assert_eq!(
        statuses(&db),
        [(5, "to_sign".to_owned()), (14, "to_sign".to_owned())]
    );
    let reason = common::query_i64(
        &db.path,
        "SELECT count(*) FROM events WHERE kind = 'decision'
           AND json_extract(payload, '$.reason') = 'payment_plan'",
    );
    assert_eq!(reason, 1);
}

#[test]
fn a_note_is_saved_and_shown() {
    let db = check("note", "n Letter <space> sent <space> 27/11. <c-s>");
    let text: String = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT json_extract(payload, '$.text') FROM events WHERE kind = 'note'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(text, "Letter sent 27/11.");
}

#[test]
fn undo_brings_the_case_back() {
    let db = check("undo", "a d u");
    // Team Noord's top case (rank 5 overall) waits for a second signature (four-eyes).
    assert_eq!(statuses(&db), [(5, "to_sign".to_owned())]);
    assert_eq!(
        common::query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind = 'retract'"
        ),
        1
    );
}

#[test]
fn help_lists_every_key() {
    check("help", "?");
}

#[test]
fn a_case_decided_in_another_session_is_refused_and_leaves_the_queue() {
    let db = common::demo(400);
    let mut app = open(&db, 80, 24);
    let top = app.selected().unwrap().case_id;
    // Another reviewer decides the same case first.
    let mut other = common::session(&db.path, "bram");
    other
        .decide(top, oordeel::domain::decision::Decision::Accept, None)
        .unwrap();
    press(&mut app, "a");
    let shown = screen(&app, 80, 24);
    // The top case threatens an eviction: bram's accept waits for a senior's signature.
    assert!(
        shown.contains("waits for a second signature on bram's decision"),
        "{shown}"
    );
    assert_ne!(
        app.selected().unwrap().case_id,
        top,
        "the queue was read again"
    );
    let decisions = common::query_i64(
        &db.path,
        "SELECT count(*) FROM events WHERE kind = 'decision'",
    );
    assert_eq!(decisions, 1, "only bram's decision was written");
}

/// Back after a break (or after `score` re-ranked), the console opens on the case the session
/// left off at, with the ranks above it still in view rather than scrolled away.
#[test]
fn a_new_session_resumes_at_the_last_case_with_the_top_of_the_queue_in_view() {
    let db = common::demo(400);
    let mut app = open(&db, 80, 24);
    let first = screen(&app, 80, 24);
    press(&mut app, "j j j j j q");
    drop(app);
    let app = open(&db, 80, 24);
    let again = screen(&app, 80, 24);
    let rows = |s: &str| -> Vec<String> {
        s.lines()
            .skip(3)
            .take(6)
            .map(|l| l.trim_start_matches('"').chars().skip(3).take(30).collect())
            .collect()
    };
    // The same six ranks at the top, the sixth selected.
    assert_eq!(rows(&first), rows(&again), "{again}");
    assert!(again.lines().nth(8).unwrap().starts_with("\"│>"), "{again}");
}

/// Seen in a trial: after `score` ranked the queue again the console reopened mid-queue
/// without a word. It now says that the order changed, where the reviewer is, and how to get
/// to the top; without a new ranking it says nothing of the kind.
#[test]
fn after_a_new_ranking_the_console_says_where_it_reopened() {
    let db = common::demo(400);
    let mut app = open(&db, 120, 40);
    press(&mut app, "j j j q");
    drop(app);
    let app = open(&db, 120, 40);
    assert!(!screen(&app, 120, 40).contains("ranked again"));
    drop(app);
    common::oordeel()
        .args(["score", "--db"])
        .arg(&db.path)
        .assert()
        .success();
    let app = open(&db, 120, 40);
    let shown = screen(&app, 120, 40);
    let household = app.selected().unwrap().household.clone();
    assert!(
        shown.contains("The queue was ranked again since your last session (scoring run 2)")
            && shown.contains(&format!("you are back at {household}, where you stopped")),
        "{shown}"
    );
}
