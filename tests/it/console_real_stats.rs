//! The stats view on the real store: decisions taken through `ReviewSession` show up in the
//! counts (today, per reviewer, overrides), a retracted one does not, and what each role is
//! given follows the rules. The demo is generated for a fixed date and the clock is fixed, so
//! the screens never drift.

use crate::common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::console::{press, screen};
use crossterm::event::Event;
use oordeel::console::backend::ReviewBackend;
use oordeel::console::{App, ConsoleOptions, handle_event};
use oordeel::domain::decision::Decision;
use oordeel::domain::stats::{QueueScores, Stats};
use oordeel::i18n::{Lang, set_lang};
use oordeel::store::{ReviewSession, Store};

fn today() -> NaiveDate {
    common::TODAY.parse().unwrap()
}

/// A 400-household demo whose ranking was made at 08:00 on TODAY. The demo stamps its
/// scoring run with the wall clock, and a decision counts against the ranking in force when
/// it was taken: with the sessions' clock fixed at 10:00 on TODAY, a run stamped later (any
/// test run after TODAY) would leave every decision unranked.
fn demo() -> common::DemoDb {
    let db = common::demo(400);
    common::sql(
        &db.path,
        "UPDATE scoring_runs SET at = '2026-11-27T08:00:00.000000Z'",
    );
    db
}

/// A session of `name` with the clock at 10:00 UTC on TODAY.
fn session(db: &common::DemoDb, name: &str) -> ReviewSession {
    let mut store = Store::open(&db.path).unwrap();
    store.set_clock(Box::new(|| {
        Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
    }));
    let actor = store.identify(&common::identity(Some(name))).unwrap();
    ReviewSession::start(store, actor).unwrap()
}

/// Team Noord's open cases, best first.
fn noord_top(db: &common::DemoDb, n: i64) -> Vec<i64> {
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT id FROM cases WHERE team = 'Noord' AND status = 'open'
             ORDER BY queue_rank, id LIMIT ?1",
        )
        .unwrap();
    stmt.query_map([n], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

fn stats(db: &common::DemoDb, name: &str) -> Stats {
    ReviewBackend::stats(&session(db, name), today()).unwrap()
}

#[test]
fn decisions_count_and_a_retracted_one_does_not() {
    let db = demo();
    let top = noord_top(&db, 4);
    let before = stats(&db, "anna");
    assert_eq!(before.progress.today_team, 0);
    let open_before = before.progress.open;

    let mut anna = session(&db, "anna");
    // The model recommends Noord's best-ranked cases: accepting one agrees with it,
    // rejecting one overrides it.
    anna.decide(top[0], Decision::Accept, None).unwrap();
    anna.decide(top[1], Decision::Reject, Some("resolved"))
        .unwrap();
    // Taken, then undone: counts nowhere.
    anna.decide(top[2], Decision::Accept, None).unwrap();
    anna.undo_last().unwrap().expect("a decision to undo");
    let mut bram = session(&db, "bram");
    bram.decide(top[3], Decision::Defer, None).unwrap();

    let s = stats(&db, "anna");
    let p = s.progress;
    assert_eq!((p.today_you, p.week_you), (Some(2), Some(2)));
    assert_eq!((p.today_team, p.week_team), (3, 3));
    assert_eq!(p.open, open_before - 3, "three cases left the open queue");
    let you = s.reviewers.you.as_ref().unwrap();
    assert_eq!(you.decisions, 2);
    assert_eq!((you.overrides.on_ranked, you.overrides.overrides), (2, 1));
    // The team: bram's deferral is a decision but neither agrees nor overrides.
    assert_eq!(s.reviewers.team.decisions, 3);
    assert_eq!(s.reviewers.team.overrides.on_ranked, 2);
    let today = s.overrides_by_day.last().unwrap();
    assert_eq!(today.day, self::today());
    assert_eq!(today.count.rate(), Some(0.5));
    assert!(
        s.overrides_by_day[..13]
            .iter()
            .all(|d| d.count.rate().is_none()),
        "days without decisions are gaps"
    );
    // A reviewer gets no colleague's figures and no fairness table.
    assert!(s.reviewers.each.is_none());
    assert!(s.fairness.is_none());
    assert!(matches!(s.histogram, QueueScores::Bins { .. }));
    let c = s
        .calibration
        .as_ref()
        .expect("the demo's model ranks the queue");
    assert!(!c.bins.is_empty());

    // The supervisor of Noord sees both reviewers, and the fairness table.
    let f = stats(&db, "fatima");
    let each = f.reviewers.each.as_ref().unwrap();
    let names: Vec<(&str, u64)> = each
        .iter()
        .map(|l| (l.name.as_str(), l.decisions))
        .collect();
    assert_eq!(names, [("anna", 2), ("bram", 1)]);
    assert!(f.reviewers.you.is_none(), "a supervisor decides nothing");
    assert_eq!(f.progress.today_you, None);
    let table = f
        .fairness
        .as_ref()
        .expect("a fairness table for a supervisor");
    assert_eq!(table.attribute, "migration_background");
    // Team Zuid's reviewer sees none of Noord's decisions.
    assert_eq!(stats(&db, "daan").progress.today_team, 0);
}

#[test]
fn a_halted_model_has_no_histogram() {
    let db = demo();
    let mut store = Store::open(&db.path).unwrap();
    let gijs = store.identify(&common::identity(Some("gijs"))).unwrap();
    store.halt(&gijs, "testing the stats view").unwrap();
    assert_eq!(stats(&db, "anna").histogram, QueueScores::Halted);
}

/// The view itself on the real store after anna accepted and rejected through the keys.
#[test]
fn the_view_on_the_real_store() {
    set_lang(Lang::En);
    for (w, h) in [(80, 24), (120, 40)] {
        let db = demo();
        let mut app =
            App::new(Box::new(session(&db, "anna")), ConsoleOptions::new(today())).unwrap();
        handle_event(&mut app, Event::Resize(w, h));
        press(&mut app, "a j r 3 s");
        insta::assert_snapshot!(format!("real_stats_{w}x{h}"), screen(&app, w, h));
    }
}

/// How long one opening of the stats view reads, on a database named by
/// `OORDEEL_STATS_DB` (e.g. `oordeel demo --households 200000 --reviewed 2000`). Not a timed
/// test: it prints the figures. `cargo test --release --test console_real_stats -- --ignored
/// --nocapture`.
#[test]
#[ignore]
fn time_one_opening() {
    let Some(path) = std::env::var_os("OORDEEL_STATS_DB") else {
        return;
    };
    let today = chrono::Local::now().date_naive();
    for name in ["anna", "fatima", &common::os_user()] {
        let store = Store::open(std::path::Path::new(&path)).unwrap();
        let actor = store.identify(&common::identity(Some(name))).unwrap();
        let start = std::time::Instant::now();
        let s = oordeel::oversight::stats::read(&store, &actor, today).unwrap();
        let took = start.elapsed();
        println!(
            "{name} ({:?}): {took:?}; {} open, {} decisions in 30 days, fairness {}",
            actor.role,
            s.progress.open,
            s.reviewers.team.decisions,
            s.fairness.is_some()
        );
    }
}
