//! The hidden random arm: each scoring run draws a share of the open cases at random and puts
//! them among the ranked ones; nothing a reviewer sees tells them apart, their decisions say
//! where they came from, and the fairness audit can take them alone.

use crate::common;

use chrono::{TimeZone, Utc};
use common::console::{press, screen};
use common::{demo, oordeel, query_i64, session, sql};
use crossterm::event::Event;
use oordeel::console::{App, ConsoleOptions, handle_event};
use oordeel::domain::decision::Decision;
use oordeel::domain::queue::{WindowQuery, WindowStart};
use oordeel::i18n::{Lang, set_lang};
use oordeel::store::{ReviewSession, Store};
use predicates::str::contains;

fn all_open() -> WindowQuery {
    WindowQuery {
        include_decided: false,
        by_deadline: false,
        list: oordeel::domain::queue::QueueList::Queue,
        start: WindowStart::First,
        limit: 100_000,
    }
}

#[test]
fn about_five_percent_of_open_cases_are_drawn_and_spread_through_the_queue() {
    let db = demo(2000);
    let open = query_i64(&db.path, "SELECT count(*) FROM cases WHERE status = 'open'");
    let random = query_i64(
        &db.path,
        "SELECT count(*) FROM cases WHERE status = 'open' AND selection = 'random'",
    );
    assert_eq!(random, (open as f64 * 0.05).round() as i64, "{open} open");
    assert_eq!(
        query_i64(&db.path, "SELECT random_arm FROM scoring_runs"),
        random
    );
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT json_extract(payload, '$.random_arm.cases') FROM events WHERE kind = 'scored'"
        ),
        random
    );
    // Spread: one arm case in each of `random` equal stretches of the queue.
    let ranked = query_i64(&db.path, "SELECT cases FROM scoring_runs");
    let stretch = ranked / random;
    let in_top_stretch = query_i64(
        &db.path,
        &format!(
            "SELECT count(*) FROM cases WHERE selection = 'random' AND status = 'open' AND queue_rank <= {stretch}"
        ),
    );
    let in_bottom_half = query_i64(
        &db.path,
        &format!(
            "SELECT count(*) FROM cases WHERE selection = 'random' AND status = 'open' AND queue_rank > {}",
            ranked / 2
        ),
    );
    assert_eq!(in_top_stretch, 1);
    assert!((random / 2 - 1..=random / 2 + 1).contains(&in_bottom_half));
    // Drawn, not chosen: the arm's median model rank sits mid-ranking, far below the top.
    let median_model_rank = query_i64(
        &db.path,
        "SELECT s.rank FROM scores s JOIN cases c ON c.id = s.case_id
         WHERE c.selection = 'random' ORDER BY s.rank
         LIMIT 1 OFFSET (SELECT count(*) / 2 FROM cases WHERE selection = 'random')",
    );
    assert!(
        median_model_rank > ranked / 5,
        "median rank {median_model_rank}"
    );

    // A second run redraws: a fresh arm of the same size, not the same cases.
    oordeel()
        .args(["score", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains(format!("{random} open cases drawn at random")));
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT count(*) FROM cases WHERE selection = 'random'"
        ),
        random
    );
}

#[test]
fn a_decision_on_an_arm_case_records_selection_random() {
    let db = demo(400);
    let case = query_i64(
        &db.path,
        "SELECT id FROM cases WHERE team = 'Noord' AND status = 'open' AND urgent = 0
         AND selection = 'random' ORDER BY queue_rank LIMIT 1",
    );
    let mut anna = session(&db.path, "anna");
    anna.decide(case, Decision::Accept, None).unwrap();
    drop(anna);
    let selection = |kind: &str| {
        rusqlite::Connection::open(&db.path)
            .unwrap()
            .query_row(
                "SELECT json_extract(payload, '$.selection') FROM events
                 WHERE kind = ?1 AND case_id = ?2",
                rusqlite::params![kind, case],
                |r| r.get::<_, String>(0),
            )
            .unwrap()
    };
    assert_eq!(selection("decision"), "random");
    // The next run leaves a decided case's selection as its decision recorded it.
    oordeel()
        .args(["score", "--db"])
        .arg(&db.path)
        .assert()
        .success();
    assert_eq!(
        query_i64(
            &db.path,
            &format!("SELECT selection = 'random' FROM cases WHERE id = {case}")
        ),
        1
    );
}

/// anna's console on the database, cursor moved `down` rows, at 120x40.
fn console_screen(db: &common::DemoDb, down: usize) -> String {
    set_lang(Lang::En);
    let mut store = Store::open(&db.path).unwrap();
    store.set_clock(Box::new(|| {
        Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
    }));
    let actor = store.identify(&common::identity(Some("anna"))).unwrap();
    let session = ReviewSession::start(store, actor).unwrap();
    let mut app = App::new(
        Box::new(session),
        ConsoleOptions::new(common::TODAY.parse().unwrap()),
    )
    .unwrap();
    handle_event(&mut app, Event::Resize(120, 40));
    press(&mut app, &"j ".repeat(down));
    screen(&app, 120, 40)
}

#[test]
fn the_console_shows_an_arm_case_exactly_as_it_would_a_ranked_one() {
    let db = demo(400);
    let anna = session(&db.path, "anna");
    let rows = anna
        .store()
        .queue_window(anna.actor(), &all_open())
        .unwrap();
    let arm_case = query_i64(
        &db.path,
        "SELECT id FROM cases WHERE team = 'Noord' AND status = 'open' AND selection = 'random'
         ORDER BY queue_rank LIMIT 1",
    );
    let index = rows.iter().position(|r| r.case_id == arm_case).unwrap();
    let detail = anna.store().case_detail(anna.actor(), arm_case).unwrap();
    drop(anna);
    let before = console_screen(&db, index);
    assert!(before.contains(&rows[index].household), "{before}");

    // The same database with nothing marked random: not a character of the screen, the queue
    // rows or the case detail changes.
    sql(&db.path, "UPDATE cases SET selection = 'ranked'");
    assert_eq!(console_screen(&db, index), before);
    let anna = session(&db.path, "anna");
    assert_eq!(
        anna.store()
            .queue_window(anna.actor(), &all_open())
            .unwrap(),
        rows
    );
    assert_eq!(
        anna.store().case_detail(anna.actor(), arm_case).unwrap(),
        detail
    );
    // The rank shown is the queue place, the list's own column: the model's rank (far down
    // for a drawn case) would give it away.
    assert_eq!(detail.ranking.unwrap().rank, rows[index].rank);
}

#[test]
fn the_fairness_audit_can_take_the_random_arm_alone() {
    let db = demo(2000);
    let arm = query_i64(
        &db.path,
        "SELECT count(*) FROM cases WHERE selection = 'random' AND status != 'closed'",
    );
    let out = oordeel()
        .args([
            "report",
            "fairness",
            "--source",
            "model",
            "--arm",
            "random",
            "--min-group",
            "2",
            "--format",
            "json",
            "--db",
        ])
        .arg(&db.path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["arm"], "random");
    assert_eq!(report["population"], arm);
    // The model's cutoff stays the whole ranking's top 30 %, as a score threshold.
    assert_eq!(report["model"]["cutoff"]["kind"], "threshold", "{report}");

    sql(&db.path, "UPDATE cases SET selection = 'ranked'");
    oordeel()
        .args(["report", "fairness", "--arm", "random", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("no random-arm cases"));
}
