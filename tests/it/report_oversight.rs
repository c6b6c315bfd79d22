//! `oordeel report oversight` and `report since`: a hasty reviewer who accepts everything
//! within two seconds of opening is flagged, a careful one is not; re-review lists follow.

use crate::common;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};
use common::{demo, identity, oordeel, query_i64};
use oordeel::domain::decision::Decision;
use oordeel::store::{ReviewSession, Store};
use predicates::str::contains;

/// A review session whose clock stands still until the test moves it (milliseconds since
/// `base`).
fn clocked(
    path: &std::path::Path,
    name: &str,
    base: DateTime<Utc>,
) -> (ReviewSession, Arc<AtomicI64>) {
    let millis = Arc::new(AtomicI64::new(0));
    let mut store = Store::open(path).expect("open");
    let shared = Arc::clone(&millis);
    store.set_clock(Box::new(move || {
        base + Duration::milliseconds(shared.load(Ordering::SeqCst))
    }));
    let actor = store.identify(&identity(Some(name))).expect("demo user");
    (ReviewSession::start(store, actor).expect("session"), millis)
}

fn open_cases(path: &std::path::Path, team: &str, skip: usize, n: usize) -> Vec<i64> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT id FROM cases WHERE team = ?1 AND status = 'open'
             ORDER BY queue_rank LIMIT ?2 OFFSET ?3",
        )
        .unwrap();
    stmt.query_map(rusqlite::params![team, n as i64, skip as i64], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// `oordeel settings set KEY VALUE` as the demo's admin.
fn set(path: &std::path::Path, key: &str, value: &str) -> assert_cmd::assert::Assert {
    oordeel()
        .args(["settings", "set", key, value, "--db"])
        .arg(path)
        .assert()
}

fn report(path: &std::path::Path, as_name: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    oordeel()
        .args(["--as", as_name, "report"])
        .args(args)
        .arg("--db")
        .arg(path)
        .assert()
}

/// The report's line that starts with `start`.
fn line_of(text: &str, start: &str) -> String {
    text.lines()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no line for {start}:\n{text}"))
        .to_owned()
}

fn stdout(a: assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.success().get_output().stdout.clone()).unwrap()
}

/// anna accepts 12 cases, each 1.5 s after opening it; bram opens 12, opens each one's full
/// explanation, reads for a minute or more and rejects a quarter of them; daan (Zuid) decides only 5. All after the
/// demo's scoring run, so each decision falls under it.
fn played(path: &std::path::Path) -> DateTime<Utc> {
    let base = Utc::now() + Duration::hours(1);
    let cases = open_cases(path, "Noord", 0, 24);
    assert_eq!(cases.len(), 24, "the demo has enough open Noord cases");
    let (mut anna, clock) = clocked(path, "anna", base);
    for (i, &case) in cases[..12].iter().enumerate() {
        clock.store(i as i64 * 10_000, Ordering::SeqCst);
        anna.open_case(case).unwrap();
        clock.store(i as i64 * 10_000 + 1_500, Ordering::SeqCst);
        anna.decide(case, Decision::Accept, None).unwrap();
    }
    anna.end(None).unwrap();
    let (mut bram, clock) = clocked(path, "bram", base + Duration::hours(1));
    for (i, &case) in cases[12..].iter().enumerate() {
        let start = i as i64 * 300_000;
        clock.store(start, Ordering::SeqCst);
        bram.open_case(case).unwrap();
        bram.explanation_viewed(case).unwrap();
        clock.store(start + 60_000 + i as i64 * 7_000, Ordering::SeqCst);
        if i % 4 == 0 {
            bram.decide(case, Decision::Reject, Some("low_need"))
                .unwrap();
        } else {
            bram.decide(case, Decision::Accept, None).unwrap();
        }
    }
    bram.end(None).unwrap();
    let (mut daan, clock) = clocked(path, "daan", base);
    for (i, &case) in open_cases(path, "Zuid", 0, 5).iter().enumerate() {
        clock.store(i as i64 * 1_000, Ordering::SeqCst);
        daan.open_case(case).unwrap();
        daan.decide(case, Decision::Accept, None).unwrap();
    }
    daan.end(None).unwrap();
    base
}

#[test]
fn the_hasty_reviewer_is_flagged_and_the_careful_one_is_not() {
    let db = demo(400);
    played(&db.path);
    let text = stdout(report(&db.path, &common::os_user(), &["oversight"]));
    let line = |name: &str| line_of(&text, name);
    let anna = line("anna ");
    assert!(anna.contains("12/12") && anna.contains("100%"), "{anna}");
    assert!(
        anna.contains("1.5 s") && anna.contains("AGREE FAST"),
        "{anna}"
    );
    let bram = line("bram ");
    assert!(
        bram.contains("12/12") && bram.contains("75%") && bram.contains("25%"),
        "{bram}"
    );
    assert!(!bram.contains("AGREE") && !bram.contains("FAST"), "{bram}");
    // daan decided five cases: counted, not shown.
    assert!(!text.contains("daan"), "{text}");
    assert!(text.contains("1 reviewer(s) with fewer than 10"), "{text}");
    assert!(text.contains("anna: median 1.5 s on a case"), "{text}");
    assert!(text.contains("SCHUFA"), "{text}");
    // anna never opened a full explanation, bram always did.
    assert!(anna.contains("100%  AGREE FAST"), "{anna}");
    assert!(bram.trim_end().ends_with(" 0%"), "{bram}");
    // The table fits 80 columns (paragraphs wrap at the terminal's width, not in a pipe).
    for row in [line("reviewer"), anna, bram] {
        assert!(row.chars().count() <= 80, "{row}");
    }

    let json: serde_json::Value = serde_json::from_str(&stdout(report(
        &db.path,
        "ilse",
        &["oversight", "--format", "json"],
    )))
    .unwrap();
    let reviewers = json["reviewers"].as_array().unwrap();
    assert_eq!(reviewers.len(), 2);
    assert_eq!(
        reviewers[0]["flags"],
        serde_json::json!(["high_agreement", "hasty"])
    );
    assert_eq!(reviewers[1]["flags"], serde_json::json!([]));
    assert_eq!(reviewers[1]["p10_seconds"], serde_json::json!(67.0));
    assert_eq!(reviewers[0]["without_explanation"], serde_json::json!(1.0));
    assert_eq!(reviewers[1]["without_explanation"], serde_json::json!(0.0));
    assert_eq!(json["suppressed"], 1);

    // With room for 10 cases per team the model recommends only the top 50 (five teams):
    // bram's cases rank lower, so his accepts override it and his rejects agree.
    set(&db.path, "capacity_per_team", "10").success();
    let text = stdout(report(&db.path, "ilse", &["oversight"]));
    let bram = line_of(&text, "bram ");
    assert!(bram.contains("25%") && bram.contains("75%"), "{text}");
    assert!(line_of(&text, "anna ").contains("100%"), "{text}");

    // A higher floor in the settings flags bram too; a lower one clears anna's speed.
    set(&db.path, "oversight_floor_seconds", "1000").success();
    let text = stdout(report(&db.path, "ilse", &["oversight"]));
    assert!(text.contains("bram: median"), "{text}");
    set(&db.path, "oversight_floor_seconds", "1").success();
    let text = stdout(report(&db.path, "ilse", &["oversight"]));
    assert!(!text.contains("FAST") && text.contains("AGREE"), "{text}");
    let refused = set(&db.path, "oversight_floor_seconds", "soon").failure();
    let err = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        err.contains("`soon` is not a value for `oversight_floor_seconds`"),
        "{err}"
    );
    // Only admins change settings.
    oordeel()
        .args([
            "--as",
            "fatima",
            "settings",
            "set",
            "oversight_floor_seconds",
            "5",
            "--db",
        ])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("admins only"));
}

#[test]
fn supervisors_see_their_own_team_and_reviewers_none() {
    let db = demo(400);
    played(&db.path);
    let text = stdout(report(&db.path, "gijs", &["oversight"]));
    assert!(
        text.contains("team Zuid") && !text.contains("anna"),
        "{text}"
    );
    let text = stdout(report(
        &db.path,
        "fatima",
        &["oversight", "--team", "Noord"],
    ));
    assert!(text.contains("anna") && text.contains("bram"), "{text}");
    let refused = report(&db.path, "fatima", &["oversight", "--team", "Zuid"]).failure();
    let err = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(err.contains("own team (Noord) only, not Zuid"), "{err}");
    report(&db.path, "anna", &["oversight"]).failure();
    report(&db.path, "anna", &["since", "--model", "1"]).failure();
}

#[test]
fn report_since_lists_standing_decisions_for_re_review() {
    let db = demo(400);
    let base = played(&db.path);
    // bram's session began an hour after anna's: from then on, only his twelve.
    let from = (base + Duration::minutes(59)).to_rfc3339();
    let text = stdout(report(&db.path, "ilse", &["since", "--time", &from]));
    assert!(text.contains("12 standing decisions since"), "{text}");
    assert!(text.contains("bram") && !text.contains("anna"), "{text}");
    // The reasons in words, as the console shows them; the reviewer's column says so.
    assert_eq!(
        text.matches("reason: No support need after review").count(),
        3,
        "{text}"
    );
    assert!(
        !text.contains("low_need") && text.lines().next().unwrap().contains("reviewer"),
        "{text}"
    );
    let widest = text.lines().map(|l| l.chars().count()).max();
    assert!(widest <= Some(80), "{text}");

    // Undone decisions are not listed; the JSON carries what re-review needs.
    let (mut anna, _) = clocked(&db.path, "anna", base + Duration::hours(3));
    anna.undo_last().unwrap().expect("a decision to undo");
    let json: serde_json::Value = serde_json::from_str(&stdout(report(
        &db.path,
        "ilse",
        &["since", "--model", "1", "--format", "json"],
    )))
    .unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 12 + 11 + 5);
    let first = &rows[0];
    for key in [
        "case_id",
        "household",
        "decision",
        "reviewer",
        "at",
        "rank",
        "selection",
    ] {
        assert!(!first[key].is_null(), "{key} in {first}");
    }
    assert_eq!(first["model_version"], 1);
    assert_eq!(
        rows.len() as i64,
        query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind = 'decision'"
        ) - 1
    );
    // A supervisor sees their team's; a version never trained and a bad moment are refused.
    let text = stdout(report(&db.path, "gijs", &["since", "--model", "1"]));
    assert!(text.contains("5 standing decisions"), "{text}");
    let refused = report(&db.path, "ilse", &["since", "--model", "9"]).failure();
    assert!(!refused.get_output().stderr.is_empty());
    let refused = report(&db.path, "ilse", &["since", "--time", "yesterday"]).failure();
    let err = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(err.contains("\"yesterday\" is not a moment"), "{err}");
    let text = stdout(report(&db.path, "ilse", &["since", "--time", "2000-01-01"]));
    assert!(text.contains("28 standing decisions"), "{text}");
}

/// bram works judge-first (his team's setting): his own first view agrees with the model on
/// two thirds of the cases, his decisions on all of them. The report shows the model's pull.
#[test]
fn judge_first_shows_agreement_before_and_after_seeing_the_model() {
    use oordeel::domain::judge_first::InitialJudgment;
    let db = demo(400);
    oordeel()
        .args(["--as", "fatima", "judge-first", "on", "--db"])
        .arg(&db.path)
        .assert()
        .success();
    let base = Utc::now() + Duration::hours(1);
    let (mut bram, clock) = clocked(&db.path, "bram", base);
    for (i, &case) in open_cases(&db.path, "Noord", 0, 12).iter().enumerate() {
        let start = i as i64 * 120_000;
        clock.store(start, Ordering::SeqCst);
        bram.open_case(case).unwrap();
        let first = if i % 3 == 0 {
            InitialJudgment::NoNeed
        } else {
            InitialJudgment::NeedsHelp
        };
        clock.store(start + 40_000, Ordering::SeqCst);
        bram.judge(case, first).unwrap();
        if i < 2 {
            bram.quick_decision_prompt(case, Decision::Accept, 2.0, 5.0)
                .unwrap();
        }
        clock.store(start + 60_000, Ordering::SeqCst);
        bram.decide(case, Decision::Accept, None).unwrap();
    }
    bram.end(None).unwrap();
    let text = stdout(report(&db.path, "fatima", &["oversight"]));
    let table = text
        .split("Own judgment first")
        .nth(1)
        .unwrap_or_else(|| panic!("no judge-first table:\n{text}"));
    let row = line_of(
        table.trim_start_matches(|c| c != '\n').trim_start(),
        "bram ",
    );
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells, ["bram", "12", "67%", "100%", "67%", "2"], "{text}");
    let json: serde_json::Value = serde_json::from_str(&stdout(report(
        &db.path,
        "fatima",
        &["oversight", "--format", "json"],
    )))
    .unwrap();
    let bram = &json["reviewers"][0];
    assert_eq!(bram["judged_first"], 12);
    assert_eq!(bram["agreement_after"], 1.0);
    assert_eq!(bram["quick_prompts"], 2);
}

/// A reviewer who works in the full view all day: Enter once, then every decision opens the
/// next case there, its whole explanation on screen. Each of those cases counts as explained
/// (it was 11 of 12 "without explanation" when only the first one was logged), and the view
/// says plainly that the case changed.
#[test]
fn decisions_taken_in_the_full_view_count_as_explained() {
    use common::console::{press, screen};
    let db = demo(400);
    oordeel::i18n::set_lang(oordeel::i18n::Lang::En);
    let store = Store::open(&db.path).unwrap();
    let actor = store.identify(&identity(Some("anna"))).unwrap();
    let session = ReviewSession::start(store, actor).unwrap();
    let today = common::TODAY.parse().unwrap();
    let mut app = oordeel::console::App::new(
        Box::new(session),
        oordeel::console::ConsoleOptions::new(today),
    )
    .unwrap();
    press(&mut app, "<enter>");
    let first = app.detail().unwrap().household.pseudonym.clone();
    assert!(!screen(&app, 120, 40).contains("NEXT CASE"));
    press(&mut app, "a");
    let text = screen(&app, 120, 40);
    let next = app.detail().unwrap().household.pseudonym.clone();
    assert_ne!(next, first);
    assert!(
        text.contains(&format!("NEXT CASE  Household {next}")),
        "{text}"
    );
    // The marker is for the moment the case changes; the next key takes it away.
    press(&mut app, "<pgdn>");
    assert!(!screen(&app, 120, 40).contains("NEXT CASE"));
    for _ in 0..11 {
        press(&mut app, "a");
    }
    drop(app);
    let json: serde_json::Value = serde_json::from_str(&stdout(report(
        &db.path,
        "ilse",
        &["oversight", "--format", "json"],
    )))
    .unwrap();
    let anna = json["reviewers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reviewer"] == "anna")
        .unwrap_or_else(|| panic!("anna is reported: {json}"));
    assert_eq!(anna["standing"], 12, "{anna}");
    assert_eq!(
        anna["without_explanation"],
        serde_json::json!(0.0),
        "{anna}"
    );
}
