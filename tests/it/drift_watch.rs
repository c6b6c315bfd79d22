//! Drift watch: every scoring run measures the population stability index of each feature
//! and of the score against the closed cases the model learnt from, and warns at 0.25.

use crate::common;

use common::{demo, oordeel, query_i64, sql};
use oordeel::domain::drift::DriftLevel;
use oordeel::store::Store;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

#[test]
fn a_fresh_demo_is_stable_and_score_warns_of_nothing() {
    let db = demo(2000);
    oordeel()
        .args(["score", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stderr(contains("differs markedly").not());
    let (run, drift) = Store::open(&db.path)
        .unwrap()
        .latest_drift()
        .unwrap()
        .unwrap();
    assert_eq!(run, 2);
    assert_eq!(drift.level, DriftLevel::Stable, "{drift:?}");
    assert!(drift.reference_is_training_data);
    assert_eq!(
        drift.scored_cases as i64,
        query_i64(
            &db.path,
            "SELECT count(*) FROM cases WHERE status != 'closed'"
        )
    );
    assert_eq!(drift.features.len(), 18);
}

#[test]
fn shifted_arrears_are_recorded_and_warned_about() {
    let db = demo(2000);
    // Every open household's arrears ten times what they were: the first feature.
    sql(
        &db.path,
        "UPDATE cases SET features = json_set(features, '$[0]', json_extract(features, '$[0]') * 10)
         WHERE status != 'closed'",
    );
    oordeel()
        .args(["score", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stderr(contains(
            "Warning: run 2 differs markedly from the training data",
        ))
        .stderr(contains("total_arrears_eur"))
        .stderr(contains("max_months_in_arrears").not());
    let (run, drift) = Store::open(&db.path)
        .unwrap()
        .latest_drift()
        .unwrap()
        .unwrap();
    assert_eq!(run, 2);
    assert_eq!(drift.level, DriftLevel::Significant);
    let arrears = &drift.features[0];
    assert_eq!(arrears.name, "total_arrears_eur");
    assert_eq!(arrears.level, DriftLevel::Significant);
    assert!(arrears.psi > 1.0, "{arrears:?}");
    // The run and its event both keep it.
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT json_extract(drift, '$.level') = 'significant' FROM scoring_runs WHERE id = 2"
        ),
        1
    );
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT json_extract(payload, '$.drift.features[0].level') = 'significant'
             FROM events WHERE kind = 'scored' ORDER BY seq DESC LIMIT 1"
        ),
        1
    );
    oordeel()
        .args(["verify", "--db"])
        .arg(&db.path)
        .assert()
        .success();

    // The people who can review or halt the ranking are told: the oversight report
    // recommends it, and a supervisor's console header says so; a reviewer's does not.
    oordeel()
        .args(["--as", "fatima", "report", "oversight", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains("Drift: the latest ranking (run 2)"))
        .stdout(contains("oordeel halt"));
    let json: serde_json::Value = serde_json::from_slice(
        &oordeel()
            .args(["report", "oversight", "--format", "json", "--db"])
            .arg(&db.path)
            .assert()
            .success()
            .get_output()
            .stdout,
    )
    .unwrap();
    assert_eq!(json["drift"]["run"], 2);
    assert_eq!(json["drift"]["shifted"][1][0], "total_arrears_eur");
    for (who, told) in [("fatima", true), ("anna", false)] {
        let store = Store::open(&db.path).unwrap();
        let actor = store.identify(&common::identity(Some(who))).unwrap();
        let session = oordeel::store::ReviewSession::start(store, actor).unwrap();
        let summary = session.summary().unwrap();
        assert_eq!(summary.drift_run.is_some(), told, "{who}");
    }
}

/// The reference is the data the version learned from, kept with it at training: history
/// cases that lose their label afterwards leave the comparison as it was (before schema 12
/// it was re-read from the labelled cases at every run, and then there was none).
#[test]
fn a_caseload_whose_labels_went_keeps_the_reference_its_model_learned_from() {
    let db = demo(400);
    let before = Store::open(&db.path).unwrap().latest_drift().unwrap();
    let (_, before) = before.expect("the demo's run has a drift report");
    assert!(before.reference_is_training_data);
    sql(
        &db.path,
        "UPDATE cases SET outcome = NULL WHERE status = 'closed'",
    );
    oordeel()
        .args(["score", "--db"])
        .arg(&db.path)
        .assert()
        .success();
    let (run, after) = Store::open(&db.path)
        .unwrap()
        .latest_drift()
        .unwrap()
        .expect("still compared with the training data");
    assert_eq!(run, 2);
    assert_eq!(after.reference_cases, before.reference_cases);
    assert_eq!(after.features, before.features);
}
