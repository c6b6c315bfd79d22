//! The learning loop on the real store and binary: a reviewer records what the outreach
//! found in the console (and undoes it), the debt-help export brings in the rest (the random
//! arm's whatever was decided), all or nothing; `train` learns from those labels and says
//! where they came from, and a new version is compared with the one in use before it may
//! rank.

use crate::common;

use common::console::{press, screen};
use common::{DemoDb, demo, oordeel, query_i64, session};
use oordeel::console::{App, ConsoleOptions};
use oordeel::domain::decision::Decision;
use oordeel::i18n::{Lang, set_lang};
use predicates::str::contains;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// The console of `name`, dated today (an outcome cannot be dated before its decision).
fn console_of(db: &DemoDb, name: &str) -> App {
    set_lang(Lang::En);
    let s = session(&db.path, name);
    let mut app = App::new(Box::new(s), ConsoleOptions::new(today())).unwrap();
    oordeel::console::update(&mut app, oordeel::console::Action::Resize(120, 40));
    app
}

/// anna accepts the best-ranked plain case of Noord; returns it and its household.
fn anna_accepts(db: &DemoDb) -> (i64, String) {
    let case = query_i64(&db.path, common::NOORD_PLAIN_CASE);
    let mut s = session(&db.path, "anna");
    s.open_case(case).unwrap();
    s.decide(case, Decision::Accept, None).unwrap();
    s.end(None).unwrap();
    let household = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT h.pseudonym FROM cases c JOIN households h ON h.id = c.household_id
             WHERE c.id = ?1",
            [case],
            |r| r.get(0),
        )
        .unwrap();
    (case, household)
}

#[test]
fn a_reviewer_records_the_outreach_in_steps_from_a_list_and_undoes_them() {
    let db = demo(2000);
    let (case, household) = anna_accepts(&db);
    let mut app = console_of(&db, "anna");
    // An open case has no outreach to report on.
    press(&mut app, "e");
    assert!(screen(&app, 120, 40).contains("An outcome belongs to a case where help was offered"));

    press(&mut app, "w");
    let list = screen(&app, 120, 40);
    assert!(list.contains("Waiting for an outcome"), "{list}");
    assert!(list.contains(&household), "{list}");

    press(&mut app, "e");
    let picker = screen(&app, 120, 40);
    assert!(picker.contains("reached, help accepted"), "{picker}");
    press(&mut app, "3");
    assert!(
        screen(&app, 120, 40)
            .contains(&format!("Recorded for {household}: reached, help accepted"))
    );
    let outcome = |sql: &str| query_i64(&db.path, &sql.replace("CASE", &case.to_string()));
    assert_eq!(
        outcome("SELECT count(*) FROM outcomes WHERE case_id = CASE AND contact = 'help_accepted'"),
        1
    );
    // Help accepted, debts not yet known: still waiting, no label yet.
    assert!(screen(&app, 120, 40).contains(&household));
    assert_eq!(
        outcome("SELECT count(*) FROM cases WHERE id = CASE AND outcome IS NULL"),
        1
    );

    press(&mut app, "e 4");
    let done = screen(&app, 120, 40);
    assert!(
        done.contains("None of your cases where help was offered"),
        "{done}"
    );
    assert_eq!(outcome("SELECT outcome FROM cases WHERE id = CASE"), 1);
    // `e` in the empty list says the list is empty, not the queue.
    press(&mut app, "e");
    assert!(screen(&app, 120, 40).contains("None of your cases waits for an outcome."));

    press(&mut app, "u");
    assert!(screen(&app, 120, 40).contains(&format!(
        "Undone: outcome \"problematic debts confirmed\" on {household}; the decision stands."
    )));
    assert_eq!(
        outcome("SELECT count(*) FROM cases WHERE id = CASE AND outcome IS NULL"),
        1
    );
    assert_eq!(
        outcome("SELECT count(*) FROM cases WHERE id = CASE AND status = 'accepted'"),
        1
    );
    assert_eq!(
        outcome("SELECT count(*) FROM events WHERE kind = 'outcome' AND case_id = CASE"),
        2
    );
    drop(app);
    oordeel()
        .args(["verify", "--db"])
        .arg(&db.path)
        .assert()
        .success();
    // Undo goes back step by step: the help accepted, then the decision itself.
    let mut s = session(&db.path, "anna");
    let first = s.undo_last().unwrap().unwrap();
    assert!(matches!(
        first.step,
        oordeel::domain::queue::UndoneStep::Outcome(_)
    ));
    let second = s.undo_last().unwrap().unwrap();
    assert!(matches!(
        second.step,
        oordeel::domain::queue::UndoneStep::Decision(Decision::Accept)
    ));
    assert_eq!(
        outcome("SELECT count(*) FROM outcomes WHERE case_id = CASE"),
        0
    );
}

const PROFILE: &str = r#"
name = "schuldhulp-uitkomsten"
delimiter = ";"
[columns.Zaak]
role = "case"
[columns.Datum]
role = "date"
[columns.Uitkomst]
role = "outcome"
values = { not_reached = ["niet bereikt"], declined = ["geweigerd"], help_accepted = ["aanvaard"], debts_confirmed = ["problematisch"], no_problematic_debts = ["niet problematisch"] }
"#;

/// `oordeel outcomes import [EXTRA] --db DB --profile PROFILE FILE`.
fn import_outcomes(
    db: &DemoDb,
    profile: &std::path::Path,
    file: &std::path::Path,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    oordeel()
        .args(["outcomes", "import"])
        .args(extra)
        .arg("--db")
        .arg(&db.path)
        .arg("--profile")
        .arg(profile)
        .arg(file)
        .assert()
}

#[test]
fn the_debt_help_export_brings_in_the_random_arm_whatever_was_decided_all_or_nothing() {
    let db = demo(2000);
    let (accepted, _) = anna_accepts(&db);
    // A random-arm case of Noord that anna rejects: its outreach happens all the same.
    let arm = query_i64(
        &db.path,
        "SELECT id FROM cases WHERE team = 'Noord' AND status = 'open' AND urgent = 0
           AND selection = 'random' ORDER BY queue_rank LIMIT 1",
    );
    let mut s = session(&db.path, "anna");
    s.open_case(arm).unwrap();
    s.decide(arm, Decision::Reject, Some("low_need")).unwrap();
    s.end(None).unwrap();
    let open = query_i64(
        &db.path,
        "SELECT id FROM cases WHERE status = 'open' LIMIT 1",
    );
    let day = today().format("%d-%m-%Y");
    let dir = &db.dir;
    let profile = dir.path().join("uitkomsten.toml");
    std::fs::write(&profile, PROFILE).unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!("Zaak;Datum;Uitkomst\n{arm};{day};aanvaard\n{open};{day};geweigerd\n"),
    )
    .unwrap();
    let outcome_events = || {
        query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind LIKE 'outcome%'",
        )
    };
    import_outcomes(&db, &profile, &bad, &[])
        .failure()
        .stderr(contains("bad.csv:3:"))
        .stderr(contains(
            "is open: an outcome of the outreach belongs to a decided case",
        ));
    assert_eq!(outcome_events(), 0, "all or nothing");

    let good = dir.path().join("export.csv");
    std::fs::write(
        &good,
        format!(
            "Zaak;Datum;Uitkomst\n{arm};{day};aanvaard\n{arm};{day};niet problematisch\n{accepted};{day};geweigerd\n"
        ),
    )
    .unwrap();
    import_outcomes(&db, &profile, &good, &["--dry-run"])
        .success()
        .stdout(contains(
            "would record 3 steps (2 of them in the random arm)",
        ));
    assert_eq!(outcome_events(), 0, "a dry run writes nothing");
    import_outcomes(&db, &profile, &good, &[])
        .success()
        .stdout(contains("3 steps recorded (2 of them in the random arm)"));
    assert_eq!(
        query_i64(
            &db.path,
            &format!("SELECT outcome FROM cases WHERE id = {arm}")
        ),
        0
    );
    assert_eq!(
        query_i64(
            &db.path,
            &format!("SELECT outcome FROM cases WHERE id = {accepted}")
        ),
        0
    );
    // The same export again: nothing new.
    import_outcomes(&db, &profile, &good, &[])
        .success()
        .stdout(contains("0 steps recorded"))
        .stdout(contains("3 were known already"));
    // A recorded step is never written over: a contradicting export is refused whole.
    let contradicts = dir.path().join("contradicts.csv");
    std::fs::write(
        &contradicts,
        format!("Zaak;Datum;Uitkomst\n{accepted};{day};niet bereikt\n{arm};{day};niet bereikt\n"),
    )
    .unwrap();
    let before = outcome_events();
    import_outcomes(&db, &profile, &contradicts, &[])
        .failure()
        .stderr(contains("contradicts.csv:2:"))
        .stderr(contains("\"reached, help declined\" is recorded already"))
        .stderr(contains("contradicts.csv:3:"))
        .stderr(contains("its debts are known already"));
    assert_eq!(outcome_events(), before);
    // A label set by hand, without the outreach's events, is named by verify.
    common::sql(
        &db.path,
        &format!("UPDATE cases SET outcome = 1 WHERE id = {arm}"),
    );
    oordeel()
        .args(["verify", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("outcome"));
}

#[test]
fn train_learns_from_own_outcomes_states_their_sources_and_a_worse_version_needs_typing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let run = |args: &[&str]| {
        let mut cmd = oordeel();
        cmd.args(args).arg("--db").arg(&db);
        cmd
    };
    run(&[
        "demo",
        "--households",
        "3000",
        "--seed",
        "7",
        "--today",
        common::TODAY,
        "--reviewed",
        "500",
    ])
    .assert()
    .success()
    .stderr(contains("Challenger trained on those outcomes: version 2"));
    // Version 2 learned from own outcomes too, and says which and how it corrected.
    let own: i64 = query_i64(
        &db,
        "SELECT count(*) FROM cases WHERE status != 'closed' AND outcome IS NOT NULL",
    );
    assert!(own > 50, "{own} own labels");
    run(&["model", "show", "2"])
        .assert()
        .success()
        .stdout(contains("own cases from the ranking"))
        .stdout(contains("from the random arm"))
        .stdout(contains(
            "Correction for selective labels: inverse-probability weighting",
        ))
        .stdout(contains("Against the demo's hidden truth"));
    let compared = run(&["model", "compare", "1", "2"]).assert().success();
    let text = String::from_utf8_lossy(&compared.get_output().stdout).to_string();
    assert!(text.contains("version 2 against version 1"), "{text}");
    assert!(text.contains("Held-out cases"), "{text}");
    assert!(text.contains("precision at capacity"), "{text}");
    // Another admin approves; the comparison with version 1 comes first.
    run(&["users", "add", "piet", "--role", "admin"])
        .assert()
        .success();
    let approved = || {
        query_i64(
            &db,
            "SELECT count(*) FROM events WHERE kind = 'model_approved'
               AND json_extract(payload, '$.model_version') = 2",
        )
    };
    if text.contains("The new version is worse:") {
        run(&["model", "approve", "2", "--as", "piet"])
            .write_stdin("yes\n")
            .assert()
            .failure()
            .stdout(contains("Type `approve 2` to approve it anyway"))
            .stderr(contains("was not approved"));
        assert_eq!(approved(), 0);
        run(&["model", "approve", "2", "--as", "piet"])
            .write_stdin("approve 2\n")
            .assert()
            .success();
    } else {
        run(&["model", "approve", "2", "--as", "piet"])
            .assert()
            .success();
    }
    assert_eq!(approved(), 1);
}

#[test]
fn a_demo_of_several_months_brings_new_cases_each_month_and_their_outcomes_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    oordeel()
        .args([
            "demo",
            "--households",
            "1000",
            "--seed",
            "7",
            "--today",
            common::TODAY,
        ])
        .args(["--reviewed", "150", "--months", "2", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stderr(contains("Month 1 (to 2026-10-27)"))
        .stderr(contains("Month 2 (to 2026-11-27)"))
        .stderr(contains("Challenger trained on those outcomes"));
    // Each month was ranked by the version in use, and November's cases have outcomes too.
    assert_eq!(query_i64(&db, "SELECT count(*) FROM scoring_runs"), 2);
    assert_eq!(
        query_i64(
            &db,
            "SELECT count(DISTINCT model_version) FROM scoring_runs"
        ),
        1
    );
    let november = query_i64(
        &db,
        "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id
         WHERE e.kind = 'outcome' AND c.opened_on >= '2026-11-01'",
    );
    assert!(november > 0, "{november} outcome steps on November's cases");
    oordeel()
        .args(["verify", "--db"])
        .arg(&db)
        .assert()
        .success();
}
