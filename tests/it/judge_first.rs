//! Judge-first mode on the real store and binary: a supervisor turns it on for a team; its
//! reviewers then see the queue in arrival order without scores, never see a case's score or
//! explanation before recording their own judgment, cannot decide without one, and cannot
//! turn the team's setting off. Both judgments are events the oversight report compares.

use crate::common;
use oordeel::store::Refusal;

use chrono::NaiveDate;
use common::console::{press, screen};
use common::{DemoDb, demo, oordeel, query_i64, session};
use crossterm::event::Event;
use oordeel::console::{App, ConsoleOptions, handle_event};
use oordeel::domain::decision::Decision;
use oordeel::domain::judge_first::{InitialJudgment, JudgeFirstScope};
use oordeel::domain::queue::{WindowQuery, WindowStart};
use oordeel::i18n::{Lang, set_lang};
use oordeel::store::StoreError;
use predicates::str::contains;

fn run(db: &DemoDb, args: &[&str]) -> assert_cmd::assert::Assert {
    oordeel().args(args).arg("--db").arg(&db.path).assert()
}

fn top(limit: usize) -> WindowQuery {
    WindowQuery {
        include_decided: false,
        by_deadline: false,
        list: oordeel::domain::queue::QueueList::Queue,
        start: WindowStart::First,
        limit,
    }
}

#[test]
fn only_a_supervisor_of_the_team_or_an_admin_sets_it() {
    let db = demo(300);
    run(&db, &["--as", "anna", "judge-first", "on"])
        .failure()
        .stderr(contains("judge-first mode for a team"));
    run(
        &db,
        &["--as", "gijs", "judge-first", "on", "--team", "Noord"],
    )
    .failure()
    .stderr(contains("Noord"));
    run(&db, &["judge-first", "on"])
        .failure()
        .stderr(contains("--team"));
    run(&db, &["judge-first", "on", "--team", "Nord"])
        .failure()
        .stderr(contains("there is no team Nord"));
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind = 'judge_first_set'"
        ),
        0,
        "refusals change nothing"
    );
    run(&db, &["--as", "fatima", "judge-first", "on"])
        .success()
        .stdout(contains("Team Noord now works judge-first"));
    run(&db, &["--as", "fatima", "judge-first", "on"])
        .success()
        .stdout(contains("nothing changed"));
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind = 'judge_first_set' AND actor = 'fatima'
               AND json_extract(payload, '$.team') = 'Noord'"
        ),
        1
    );
    // Zuid is untouched.
    let daan = session(&db.path, "daan");
    assert_eq!(daan.summary().unwrap().judge_first, None);
}

#[test]
fn a_reviewer_never_sees_a_score_before_their_own_judgment() {
    let db = demo(600);
    run(&db, &["--as", "fatima", "judge-first", "on"]).success();
    let mut anna = session(&db.path, "anna");
    assert_eq!(
        anna.summary().unwrap().judge_first,
        Some(JudgeFirstScope::Team)
    );
    // Arrival order (day opened, then case number), and no rank or score leaves the store.
    let actor = anna.actor().clone();
    let rows = anna.store().queue_window(&actor, &top(500)).unwrap();
    assert!(rows.len() > 20);
    assert!(
        rows.iter()
            .all(|r| r.rank.is_none() && r.probability.is_none())
    );
    let opened: Vec<(NaiveDate, i64)> = rows
        .iter()
        .map(|r| {
            let d = anna.store().case_detail(&actor, r.case_id).unwrap();
            (d.opened_on, r.case_id)
        })
        .collect();
    assert!(opened.windows(2).all(|w| w[0] < w[1]), "arrival order");
    // Paging in that order meets every row once.
    let mut paged = Vec::new();
    let mut start = WindowStart::First;
    loop {
        let q = WindowQuery {
            start,
            limit: 7,
            ..top(7)
        };
        let page = anna.store().queue_window(&actor, &q).unwrap();
        let Some(last) = page.last() else { break };
        start = WindowStart::After(oordeel::console::window::key_of(last));
        paged.extend(page.iter().map(|r| r.case_id));
    }
    let all: Vec<i64> = rows.iter().map(|r| r.case_id).collect();
    assert_eq!(paged, all);

    let case = rows[0].case_id;
    // Not through the command line either.
    run(
        &db,
        &["--as", "anna", "explain", "--case", &case.to_string()],
    )
    .failure()
    .stderr(contains("first your own judgment"));
    let opened = anna.open_case(case).unwrap();
    assert!(opened.detail.explanation.is_none() && opened.detail.ranking.is_none());
    assert!(matches!(
        anna.decide(case, Decision::Accept, None),
        Err(StoreError::Refused(Refusal::JudgeFirst(c))) if c.id == case
    ));
    // Turning it off is refused while the team works judge-first.
    assert!(matches!(
        anna.set_own_judge_first(false),
        Err(StoreError::Refused(Refusal::JudgeFirstByTeam(t))) if t == "Noord"
    ));
    anna.judge(case, InitialJudgment::NoNeed).unwrap();
    assert!(matches!(
        anna.judge(case, InitialJudgment::NeedsHelp),
        Err(StoreError::Refused(Refusal::AlreadyJudged { .. }))
    ));
    let shown = anna.store().case_detail(&actor, case).unwrap();
    assert!(
        shown.explanation.is_some(),
        "the model's view after judging"
    );
    anna.decide(case, Decision::Accept, None).unwrap();
    // Both judgments are in the log, in that order, with the rank the reviewer had not seen.
    let kinds: String = {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        conn.query_row(
            &format!(
                "SELECT group_concat(kind, ',') FROM (SELECT kind FROM events
                 WHERE case_id = {case} AND kind IN ('initial_judgment', 'decision') ORDER BY seq)"
            ),
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(kinds, "initial_judgment,decision");
    assert_eq!(
        query_i64(
            &db.path,
            &format!(
                "SELECT count(*) FROM events WHERE case_id = {case} AND kind = 'initial_judgment'
                   AND json_extract(payload, '$.judgment') = 'no_need'
                   AND json_extract(payload, '$.rank') >= 1"
            )
        ),
        1
    );
    // Another team's reviewer and a senior see the model as before.
    let daan = session(&db.path, "daan");
    let rows = daan.store().queue_window(daan.actor(), &top(5)).unwrap();
    assert!(
        rows.iter()
            .all(|r| r.rank.is_some() && r.probability.is_some())
    );
    assert!(
        rows.windows(2).all(|w| w[0].rank < w[1].rank),
        "ranked order"
    );
    run(&db, &["verify"]).success();
}

#[test]
fn the_console_shows_no_score_until_the_reviewer_judged() {
    set_lang(Lang::En);
    let db = demo(400);
    let anna = session(&db.path, "anna");
    let today = chrono::Local::now().date_naive();
    let mut app = App::new(Box::new(anna), ConsoleOptions::new(today)).unwrap();
    handle_event(&mut app, Event::Resize(100, 30));
    let before = screen(&app, 100, 30);
    assert!(before.contains("chance 0."), "ranked: {before}");
    press(&mut app, "J");
    let blind = screen(&app, 100, 30);
    assert!(blind.contains("judge first"), "{blind}");
    assert!(blind.contains("Your own judgment first"), "{blind}");
    assert!(
        !blind.contains("chance") && !blind.contains("0."),
        "{blind}"
    );
    assert!(
        blind.contains("1 needs help"),
        "the key bar leads with judging: {blind}"
    );
    press(&mut app, "a");
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind = 'decision'"
        ),
        0
    );
    press(&mut app, "3");
    let judged = screen(&app, 100, 30);
    assert!(judged.contains("Your first judgment: unsure"), "{judged}");
    assert!(judged.contains("chance 0."), "{judged}");
    press(&mut app, "d");
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind = 'decision'"
        ),
        1
    );
    press(&mut app, "q");
    // The setting is the reviewer's own and lasts: the next session starts judge-first.
    let again = session(&db.path, "anna");
    assert_eq!(
        again.summary().unwrap().judge_first,
        Some(JudgeFirstScope::Own)
    );
}

/// The console's `o`: nearest deadline first, overdue at the top, paged a window at a time;
/// with scores for a ranked reader, without for one working judge-first.
#[test]
fn the_queue_reads_nearest_deadline_first() {
    let db = demo(600);
    let anna = session(&db.path, "anna");
    let actor = anna.actor().clone();
    let by_deadline = |limit, start| WindowQuery {
        by_deadline: true,
        start,
        limit,
        ..top(limit)
    };
    let all = anna
        .store()
        .queue_window(&actor, &by_deadline(1000, WindowStart::First))
        .unwrap();
    assert!(all.len() > 20, "{}", all.len());
    assert!(
        all.windows(2)
            .all(|w| (w[0].deadline_on, w[0].case_id) < (w[1].deadline_on, w[1].case_id))
    );
    assert!(all.iter().all(|r| r.probability.is_some()));
    let mut paged = Vec::new();
    let mut start = WindowStart::First;
    loop {
        let page = anna
            .store()
            .queue_window(&actor, &by_deadline(9, start))
            .unwrap();
        let Some(last) = page.last() else { break };
        start = WindowStart::After(oordeel::console::window::key_of(last));
        paged.extend(page.iter().map(|r| r.case_id));
    }
    assert_eq!(paged, all.iter().map(|r| r.case_id).collect::<Vec<_>>());
    // Resuming at a case finds it in the same order.
    let middle = &all[all.len() / 2];
    let key = anna
        .store()
        .queue_key(&actor, middle.case_id, true)
        .unwrap()
        .unwrap();
    let from = anna
        .store()
        .queue_window(&actor, &by_deadline(1, WindowStart::From(key)))
        .unwrap();
    assert_eq!(from[0].case_id, middle.case_id);
    run(&db, &["--as", "fatima", "judge-first", "on"]).success();
    let blind = anna
        .store()
        .queue_window(&actor, &by_deadline(50, WindowStart::First))
        .unwrap();
    assert!(
        blind
            .iter()
            .all(|r| r.rank.is_none() && r.probability.is_none())
    );
}
