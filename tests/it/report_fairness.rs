//! `oordeel report fairness` end to end: an external caseload matches Fairlearn, bad files are
//! refused with file, line and column, roles bound what is audited, the demo's planted bias
//! is found, and simulated reviewers give the side-by-side something to show.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{DemoDb, TODAY, oordeel, query_i64};
use serde_json::Value;

const FIXTURE: &str = "tests/data/fairness_fixture.csv";
const EXPECTED: &str = include_str!("../data/fairness_expected.json");
const REVIEWED: i64 = 300;

/// One demo of 3,000 households with 300 simulated decisions (of the 373 open cases of Noord
/// and Zuid), shared by the tests here
/// (generating it is the slow part). Never written to by a test.
fn reviewed_demo() -> &'static Path {
    static DEMO: OnceLock<DemoDb> = OnceLock::new();
    &DEMO
        .get_or_init(|| demo_with(3000, &["--reviewed", &REVIEWED.to_string()]))
        .path
}

fn demo_with(households: u32, extra: &[&str]) -> DemoDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.db");
    oordeel()
        .args(["demo", "--households", &households.to_string()])
        .args(["--seed", "42", "--today", TODAY])
        .args(extra)
        .arg("--db")
        .arg(&path)
        .assert()
        .success();
    DemoDb { dir, path }
}

/// `report fairness ARGS --db PATH` as user `as_name` (None: the owner, an admin).
fn report(path: &Path, as_name: Option<&str>, args: &[&str]) -> assert_cmd::assert::Assert {
    let mut cmd = oordeel();
    cmd.args(["report", "fairness"])
        .args(args)
        .arg("--db")
        .arg(path);
    if let Some(name) = as_name {
        cmd.args(["--as", name]);
    }
    cmd.assert()
}

fn json(assert: assert_cmd::assert::Assert) -> Value {
    let out = assert.success().get_output().stdout.clone();
    serde_json::from_slice(&out).expect("JSON on stdout")
}

fn fixture_report(cutoff: &str) -> Value {
    json(
        oordeel()
            .args(["report", "fairness", "--input", FIXTURE, "--by", "district"])
            .args([
                "--id-column",
                "case_id",
                "--cutoff",
                cutoff,
                "--format",
                "json",
            ])
            // No database is opened with --input: a path that does not exist is no obstacle.
            .args(["--db", "/nonexistent/oordeel.db"])
            .assert(),
    )
}

fn close(what: &str, got: &Value, want: &Value) {
    let (got, want) = (got.as_f64(), want.as_f64());
    assert!(
        matches!((got, want), (Some(g), Some(w)) if (g - w).abs() <= 1e-9),
        "{what}: got {got:?}, expected {want:?}"
    );
}

#[test]
fn an_external_caseload_gives_fairlearns_figures() {
    let expected: Value = serde_json::from_str(EXPECTED).unwrap();
    let mut checked = 0;
    for (name, cutoff) in [("threshold_0.5", "score:0.5"), ("top_k_300", "top:300")] {
        let got = fixture_report(cutoff);
        assert_eq!(got["source"], "input");
        assert_eq!(got["population"], 2000);
        let model = &got["model"];
        let want = &expected["cutoffs"][name];
        let groups = model["groups"].as_array().unwrap();
        assert_eq!(groups.len(), want["by_group"].as_object().unwrap().len());
        for (key, figures) in want["by_group"].as_object().unwrap() {
            let g = groups
                .iter()
                .find(|g| g["key"] == key.as_str())
                .unwrap_or_else(|| panic!("{name}: group {key} missing"));
            for (metric, value) in figures.as_object().unwrap() {
                let have = if metric == "count" {
                    &g["count"]
                } else {
                    &g["rates"][metric]
                };
                close(&format!("{name} {key} {metric}"), have, value);
                checked += 1;
            }
        }
        close(
            &format!("{name} overall selection rate"),
            &model["overall_selection_rate"],
            &want["overall_selection_rate"],
        );
        for field in [
            "demographic_parity_difference",
            "demographic_parity_ratio",
            "equalized_odds_difference",
            "equalized_odds_ratio",
        ] {
            close(
                &format!("{name} {field}"),
                &model["summary"][field],
                &want[field],
            );
        }
        checked += 5;
        if name == "threshold_0.5" {
            for (key, value) in expected["auc_by_group"].as_object().unwrap() {
                let g = groups.iter().find(|g| g["key"] == key.as_str()).unwrap();
                close(&format!("auc {key}"), &g["auc"], value);
                checked += 1;
            }
            close(
                "auc overall",
                &model["overall_auc"],
                &expected["auc_overall"],
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 2 * (3 * 6 + 5) + 3 + 1);
}

#[test]
fn the_text_report_of_a_file_shows_intervals_flags_and_a_legend() {
    let out = oordeel()
        .args(["report", "fairness", "--input", FIXTURE, "--by", "district"])
        .args(["--id-column", "case_id", "--cutoff", "top:300"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("Cases:      2,000 from the file"), "{text}");
    assert!(text.contains("reference group: noord"), "{text}");
    // An interval as `0.08 [0.07–0.10]`, a flagged ratio with `!`, and the legend for it.
    assert!(
        text.lines()
            .any(|l| l.starts_with("noord") && l.contains(" [0."))
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("west") && l.contains("!"))
    );
    assert!(text.contains("! = outside 0.80–1.25"), "{text}");
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest <= 80, "a line of {widest} characters");
}

/// Writes `content` as a CSV in `dir` and runs the report on it, which must fail; returns
/// stderr.
fn refused(dir: &Path, name: &str, content: &str) -> String {
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, content).unwrap();
    let out = oordeel()
        .args(["report", "fairness", "--input"])
        .arg(&path)
        .assert()
        .failure()
        .get_output()
        .clone();
    assert!(out.stdout.is_empty(), "{name}: nothing on stdout");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(name), "{name}: the file is named: {err}");
    assert_eq!(err.lines().count(), 1, "{name}: one message: {err}");
    err
}

#[test]
fn a_malformed_file_is_refused_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let head = "id,group,outcome,score\n";
    let err = refused(dir.path(), "no_score.csv", "id,group,outcome\n1,a,1\n");
    assert!(err.contains("line 1") && err.contains("`score`"), "{err}");
    let err = refused(
        dir.path(),
        "short.csv",
        &format!("{head}1,a,1,0.5\n2,a,1\n"),
    );
    assert!(err.contains("line 3") && err.contains("`score`"), "{err}");
    let err = refused(
        dir.path(),
        "outcome.csv",
        &format!("{head}1,a,1,0.5\n2,a,yes,0.4\n"),
    );
    assert!(err.contains("line 3") && err.contains("`outcome`") && err.contains("`yes`"));
    let err = refused(dir.path(), "nan.csv", &format!("{head}1,a,1,NaN\n"));
    assert!(err.contains("line 2") && err.contains("`score`") && err.contains("`NaN`"));
    let err = refused(dir.path(), "text.csv", &format!("{head}1,a,0,high\n"));
    assert!(err.contains("line 2") && err.contains("`high`"), "{err}");
    let err = refused(
        dir.path(),
        "dup.csv",
        &format!("{head}7,a,1,0.5\n8,b,0,0.1\n7,b,0,0.2\n"),
    );
    assert!(err.contains("line 4") && err.contains("`7`") && err.contains("line 2"));
    let err = refused(dir.path(), "empty.csv", "");
    assert!(err.contains("no cases"), "{err}");
    let err = refused(dir.path(), "header_only.csv", head);
    assert!(err.contains("no cases"), "{err}");
}

#[test]
fn a_bad_cutoff_or_attribute_is_refused_before_anything_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    let err = report(&db, None, &["--cutoff", "top%:150"]).failure();
    let err = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("--cutoff top%:150") && err.contains("top:K"),
        "{err}"
    );
    let err = report(&db, None, &["--by", "religion"]).failure();
    let err = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("--by religion") && err.contains("age_band"),
        "{err}"
    );
    assert!(!db.exists(), "no database was created");
}

#[test]
fn reviewers_and_seniors_are_refused_supervisors_see_their_team_auditors_all() {
    let db = reviewed_demo();
    for name in ["anna", "eva"] {
        let out = report(db, Some(name), &["--source", "model"]).failure();
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(
            err.contains("may not read the log and the reports"),
            "{name}: {err}"
        );
        assert!(out.get_output().stdout.is_empty());
    }
    let latest_run = "(SELECT max(id) FROM scoring_runs)";
    let all = query_i64(
        db,
        &format!("SELECT count(*) FROM scores WHERE run_id = {latest_run}"),
    );
    let noord = query_i64(
        db,
        &format!(
            "SELECT count(*) FROM scores s JOIN cases c ON c.id = s.case_id
             WHERE s.run_id = {latest_run} AND c.team = 'Noord'"
        ),
    );
    assert!(0 < noord && noord < all);
    let fatima = json(report(
        db,
        Some("fatima"),
        &["--source", "model", "--format", "json"],
    ));
    assert_eq!(fatima["population"], noord);
    assert_eq!(fatima["team"], "Noord");
    let ilse = json(report(
        db,
        Some("ilse"),
        &["--source", "model", "--format", "json"],
    ));
    assert_eq!(ilse["population"], all);
    assert_eq!(ilse["team"], Value::Null);
}

#[test]
fn the_planted_bias_is_found_in_the_models_selection() {
    let got = json(report(
        reviewed_demo(),
        Some("ilse"),
        &["--source", "model", "--format", "json"],
    ));
    assert_eq!(got["outcome"], "truth");
    let model = &got["model"];
    assert_eq!(model["reference"], "netherlands");
    let outside = model["disparities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "outside_europe")
        .expect("outside_europe shown");
    let rate = |name: &str| {
        outside["disparities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["rate"] == name)
            .unwrap()
            .clone()
    };
    let selection = rate("selection_rate");
    assert!(selection["ratio"].as_f64().unwrap() > 1.25, "{selection}");
    assert_eq!(selection["flagged"], true);
    // Against true need, the model finds more of the needy households from outside Europe.
    assert!(rate("tpr")["ratio"].as_f64().unwrap() > 1.0);
}

#[test]
fn simulated_reviews_are_logged_and_shown_beside_the_model() {
    let db = reviewed_demo();
    let decisions = query_i64(db, "SELECT count(*) FROM events WHERE kind = 'decision'");
    assert_eq!(decisions, REVIEWED);
    let simulated = query_i64(
        db,
        "SELECT count(*) FROM events WHERE kind = 'session_start'
         AND json_extract(payload, '$.simulated.policy') IS NOT NULL",
    );
    assert!(simulated >= 3, "anna, bram and daan at least: {simulated}");
    let standing = query_i64(
        db,
        "SELECT count(*) FROM cases WHERE status IN ('accepted', 'rejected')",
    );
    assert_eq!(standing, REVIEWED, "four-eyes decisions were signed");
    oordeel()
        .arg("verify")
        .arg("--db")
        .arg(db)
        .assert()
        .success();

    let got = json(report(db, None, &["--format", "json"]));
    assert_eq!(got["source"], "both");
    assert_eq!(got["population"], REVIEWED);
    assert_eq!(got["model"]["total"], REVIEWED);
    assert_eq!(got["decisions"]["total"], REVIEWED);
    let accepted = query_i64(db, "SELECT count(*) FROM cases WHERE status = 'accepted'");
    assert_eq!(got["decisions"]["selected"], accepted);
    assert_eq!(got["model"]["cutoff"]["kind"], "threshold");

    let out = report(db, None, &["--lang", "en"]).success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("model and people side by side"), "{text}");
    assert!(
        text.contains("TPR model") && text.contains("TPR people"),
        "{text}"
    );
    assert!(text.contains("Ratio to netherlands (people)"), "{text}");
    let spread = text
        .lines()
        .find(|l| l.starts_with("demographic parity ratio"));
    assert_eq!(
        spread.map(|l| l.split_whitespace().count()),
        Some(5),
        "{text}"
    );
    // Side by side still fits an 80-column terminal, in both languages.
    for lang in ["en", "nl"] {
        let out = report(db, None, &["--lang", lang]).success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(
            widest <= 80,
            "{lang}: a line of {widest} characters\n{text}"
        );
    }
}

#[test]
fn without_decisions_the_side_by_side_says_so_and_shows_the_model() {
    let demo = demo_with(600, &[]);
    let out = report(&demo.path, None, &["--lang", "nl", "--by", "district"]).success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("nog geen staande beslissingen"), "{text}");
    assert!(text.contains("de selectie van het model"), "{text}");
    let got = json(report(&demo.path, None, &["--format", "json"]));
    assert_eq!(got["no_decisions"], true);
    assert!(got["decisions"].is_null() && got["model"].is_object());
    let refused = report(&demo.path, None, &["--source", "decisions"]).failure();
    let err = String::from_utf8(refused.get_output().stderr.clone()).unwrap();
    assert!(err.contains("nothing to audit"), "{err}");
}

/// The first day of reviewing: a few decisions, too few for any group to show. The default
/// side by side shows the model and says why, instead of refusing the whole audit.
#[test]
fn with_too_few_decisions_for_any_group_the_side_by_side_shows_the_model_and_says_why() {
    let demo = demo_with(600, &["--reviewed", "3"]);
    let out = report(&demo.path, None, &["--by", "migration_background"]).success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("Only 3 standing decisions so far, fewer than 10 in every group"),
        "{text}"
    );
    assert!(text.contains("the model's selection"), "{text}");
    // The cutoff in words; the JSON keeps the option's form.
    assert!(
        text.contains("Cutoff:     the top 30% of the ranking"),
        "{text}"
    );
    let got = json(report(&demo.path, None, &["--format", "json"]));
    assert_eq!(got["no_decisions"], true);
    assert_eq!(got["decided"], 3);
    assert_eq!(got["cutoff"], "top%:30");
}
