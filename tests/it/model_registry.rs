//! The model registry as an admin, an auditor and a reviewer meet it: a new version ranks
//! nothing until a second admin approves it, the registry can be read, and `explain`
//! reproduces a stored score bit for bit (or says what changed).

use crate::common;

use std::path::Path;

use common::{DemoDb, demo, oordeel, query_i64, sql};
use predicates::prelude::*;
use predicates::str::contains;

fn run(db: &DemoDb, args: &[&str]) -> assert_cmd::assert::Assert {
    oordeel().args(args).arg("--db").arg(&db.path).assert()
}

fn json_of(db: &DemoDb, args: &[&str]) -> serde_json::Value {
    let out = run(db, args).success().get_output().stdout.clone();
    serde_json::from_slice(&out).expect("JSON")
}

fn events(path: &Path, kind: &str) -> i64 {
    query_i64(
        path,
        &format!("SELECT count(*) FROM events WHERE kind = '{kind}'"),
    )
}

#[test]
fn a_new_version_ranks_nothing_until_a_second_admin_approves_it() {
    let db = demo(300);
    let ranked_before = query_i64(&db.path, "SELECT count(*) FROM scoring_runs");
    run(&db, &["train"])
        .success()
        .stdout(contains("model version 2"))
        .stdout(contains("oordeel model approve 2"));

    run(&db, &["score"])
        .failure()
        .stderr(contains("model version 2 is not approved"))
        .stderr(contains("oordeel model approve 2"));
    // Refused, not passed over for version 1: no new run, the queue as it was.
    assert_eq!(
        query_i64(&db.path, "SELECT count(*) FROM scoring_runs"),
        ranked_before
    );

    // The admin who trained it may not approve it, and is told how to get a second admin.
    run(&db, &["model", "approve", "2"])
        .failure()
        .stderr(contains("A second admin must approve it"))
        .stderr(contains("oordeel users add NAME --role admin"));
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT count(*) FROM model_versions WHERE version = 2 AND approved_by IS NOT NULL"
        ),
        0
    );
    // Nor may anyone who is not an admin.
    run(&db, &["--as", "fatima", "model", "approve", "2"])
        .failure()
        .stderr(contains("approve model versions"));

    run(&db, &["users", "add", "second", "--role", "admin"]).success();
    run(&db, &["--as", "second", "model", "approve", "2"])
        .success()
        .stdout(contains("You are approving model version 2"))
        .stdout(contains("total_arrears_eur"))
        .stdout(contains("AUC"))
        .stdout(contains("approved by second"));
    run(&db, &["--as", "second", "model", "approve", "2"])
        .failure()
        .stderr(contains("already approved by second"));

    run(&db, &["score"])
        .success()
        .stdout(contains("model version 2"));
    assert_eq!(
        query_i64(&db.path, "SELECT max(model_version) FROM scoring_runs"),
        2
    );
    assert_eq!(events(&db.path, "model_approved"), 2, "demo's and second's");
    let payload_ok = query_i64(
        &db.path,
        "SELECT count(*) FROM events WHERE kind = 'model_approved' AND actor = 'second'
           AND json_extract(payload, '$.model_version') = 2
           AND json_extract(payload, '$.trainer') = (SELECT trained_by FROM model_versions
                                                     WHERE version = 2)
           AND json_extract(payload, '$.training_data_hash') =
               (SELECT training_data_hash FROM model_versions WHERE version = 2)
           AND json_extract(payload, '$.demo_shortcut') IS NULL",
    );
    assert_eq!(payload_ok, 1);
    run(&db, &["verify"]).success();
}

#[test]
fn approval_set_by_hand_does_not_let_a_version_score() {
    let db = demo(300);
    run(&db, &["train"]).success();
    sql(
        &db.path,
        "UPDATE model_versions SET approved_by = 'mallory', approved_at = '2026-01-01T00:00:00Z'
         WHERE version = 2",
    );
    run(&db, &["score"])
        .failure()
        .stderr(contains(
            "the model_versions table says `mallory` at version 2 (approved_by)",
        ))
        .stderr(contains("the event log says -"))
        .stderr(contains("oordeel verify"));
}

#[test]
fn the_demo_approves_its_first_version_as_a_marked_shortcut() {
    let db = demo(300);
    let list = json_of(&db, &["model", "list", "--format", "json"]);
    let v1 = &list[0];
    assert_eq!(v1["version"], 1);
    assert_eq!(v1["approved_by"], v1["trained_by"]);
    assert_eq!(v1["demo_shortcut"], true);
    assert_eq!(v1["ranks_queue"], true);
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind = 'model_approved'
               AND json_extract(payload, '$.demo_shortcut') = 1"
        ),
        1
    );
    run(&db, &["model", "list"])
        .success()
        .stdout(contains("demo shortcut"))
        .stdout(contains("ranks the current queue"));
    run(&db, &["model", "show", "1"])
        .success()
        .stdout(contains("A real deployment refuses this"));
}

#[test]
fn list_and_show_read_the_registry_in_text_and_json() {
    let db = demo(300);
    run(&db, &["train"]).success();
    run(&db, &["--as", "ilse", "model", "list"])
        .success()
        .stdout(contains("not approved"))
        .stdout(contains("logistic"));
    let list = json_of(&db, &["--as", "gijs", "model", "list", "--format", "json"]);
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(list[1]["approved_by"].is_null());
    assert_eq!(list[1]["ranks_queue"], false);
    assert!(list[1]["auc"].as_f64().unwrap() > 0.5);

    let show = json_of(
        &db,
        &["--as", "ilse", "model", "show", "2", "--format", "json"],
    );
    assert_eq!(show["version"], 2);
    assert_eq!(show["features"][0]["name"], "total_arrears_eur");
    assert_eq!(show["features"][0]["kind"], "numeric");
    assert!(
        show["coefficients"].as_array().unwrap().len()
            >= show["features"].as_array().unwrap().len()
    );
    assert!(show["metrics"]["n_test"].as_u64().unwrap() > 0);
    assert!(show["approval"].is_null());
    assert_eq!(show["spec_hash"].as_str().unwrap().len(), 64);

    // Evaluation and proxy check are written by training; shown as the JSON they are.
    sql(
        &db.path,
        r#"UPDATE model_versions SET evaluation = '{"calibration":{"bins":[0.1,0.2]}}',
               proxy_check = '[{"feature":"children","attribute":"gender","cramers_v":0.04}]'
           WHERE version = 2"#,
    );
    let show = json_of(&db, &["model", "show", "2", "--format", "json"]);
    assert_eq!(show["evaluation"]["calibration"]["bins"][1], 0.2);
    assert_eq!(show["proxy_check"][0]["cramers_v"], 0.04);
    run(&db, &["model", "show", "2"])
        .success()
        .stdout(contains("Features, in model order:"))
        .stdout(contains("intercept"))
        .stdout(contains("\"cramers_v\": 0.04"))
        .stdout(contains("oordeel model approve 2"));

    run(&db, &["model", "show", "9"])
        .failure()
        .stderr(contains("no model version 9"));
}

#[test]
fn reviewers_may_not_read_or_approve_the_registry() {
    let db = demo(300);
    for args in [
        &["--as", "anna", "model", "list"][..],
        &["--as", "carla", "model", "show", "1"],
        &["--as", "ilse", "model", "approve", "1"],
    ] {
        run(&db, args).failure().stderr(contains("may not"));
    }
}

#[test]
fn explain_reproduces_the_stored_score_bit_for_bit() {
    let db = demo(300);
    let case = query_i64(&db.path, "SELECT id FROM cases WHERE queue_rank = 1").to_string();
    let v = json_of(&db, &["explain", "--format", "json", "--case", &case]);
    assert_eq!(v["reproduced"], true);
    assert_eq!(v["model_as_approved"], true);
    let hash = v["features_hash"].as_str().unwrap();
    assert_eq!(hash.len(), 64);
    assert_eq!(v["features_hash_now"], hash);
    run(&db, &["explain", "--case", &case])
        .success()
        .stdout(contains("Reproduced bit for bit"));
}

#[test]
fn explain_reports_features_changed_since_scoring() {
    let db = demo(300);
    let case = query_i64(&db.path, "SELECT id FROM cases WHERE queue_rank = 1").to_string();
    sql(
        &db.path,
        &format!(
            "UPDATE cases SET features = json_set(features, '$[0]',
                 json_extract(features, '$[0]') + 1000) WHERE id = {case}"
        ),
    );
    run(&db, &["explain", "--case", &case])
        .failure()
        .stdout(contains("NOT REPRODUCED"))
        .stdout(contains("features changed since it was scored"))
        .stdout(contains("total_arrears_eur: stored"));
    let out = oordeel()
        .args(["explain", "--format", "json", "--case", &case, "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["reproduced"], false);
    assert_eq!(v["differences"][0]["kind"], "features_changed");
}

#[test]
fn explain_reports_a_model_changed_since_scoring() {
    let db = demo(300);
    let case = query_i64(&db.path, "SELECT id FROM cases WHERE queue_rank = 1").to_string();
    sql(
        &db.path,
        "UPDATE model_versions SET spec = json_set(spec, '$.intercept',
             json_extract(spec, '$.intercept') + 0.5) WHERE version = 1",
    );
    // No command may score or explain a case with a model the log never trained: explain
    // refuses it, naming the specification the approval pinned.
    run(&db, &["explain", "--case", &case])
        .failure()
        .stderr(contains("the model_versions table says"))
        .stderr(contains("at version 1 (spec)"))
        .stderr(contains("oordeel verify"));
}

#[test]
fn scores_from_before_the_hash_are_reported_as_not_recorded() {
    let db = demo(300);
    let case = query_i64(&db.path, "SELECT id FROM cases WHERE queue_rank = 1").to_string();
    sql(&db.path, "UPDATE scores SET features_hash = ''");
    let v = json_of(&db, &["explain", "--format", "json", "--case", &case]);
    assert!(v["features_hash"].is_null());
    assert_eq!(v["reproduced"], true);
    run(&db, &["explain", "--case", &case])
        .success()
        .stdout(contains("was not recorded").and(contains("bit for bit")));
}

/// A version trained under the old rules is not approved once its features break the rules
/// as they are now (here: district documented as following the residents' origin).
#[test]
fn approval_rechecks_the_feature_rules_of_today() {
    let db = demo(300);
    run(&db, &["train"]).success();
    run(&db, &["users", "add", "second", "--role", "admin"]).success();
    run(
        &db,
        &[
            "features",
            "set",
            "district",
            "--source",
            "BRP",
            "--legal-basis",
            "Wgs art. 8",
            "--description",
            "Wijk; hangt samen met de afkomst van bewoners",
        ],
    )
    .success();
    run(&db, &["--as", "second", "model", "approve", "2"])
        .failure()
        .stderr(contains("Model version 2 is not approved"))
        .stderr(contains("`district`"))
        .stderr(contains("train a new version"));
    assert_eq!(events(&db.path, "model_approved"), 1, "only the demo's own");
}

/// The approver sees the strong proxies by name, not just that a check was recorded.
#[test]
fn the_approval_summary_names_the_strong_proxies() {
    let db = demo(2000);
    run(&db, &["train"]).success();
    run(&db, &["users", "add", "second", "--role", "admin"]).success();
    run(&db, &["--as", "second", "model", "approve", "2"])
        .success()
        .stdout(contains("Strong proxies"))
        .stdout(contains("district ~ migration_background"));
}
