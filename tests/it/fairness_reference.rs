//! The fairness audit matches Fairlearn. `tests/data/fairness_expected.json` holds Fairlearn
//! 0.15 `MetricFrame` figures and scikit-learn `roc_auc_score` on
//! `tests/data/fairness_fixture.csv` (case_id, district, outcome, score): per district the
//! count, selection rate, TPR, FPR, FNR and PPV at two cutoffs (score >= 0.5; the 300
//! highest scores, ties by file order), the overall selection rate, demographic parity and
//! equalized odds difference and ratio, and the AUC per district and overall.
//! `oordeel::domain::fairness::audit` must match every figure to 1e-9.

use oordeel::domain::fairness::{AuditOptions, AuditRow, Cutoff, FairnessReport, audit};
use serde_json::Value;

const FIXTURE: &str = include_str!("../data/fairness_fixture.csv");
const EXPECTED: &str = include_str!("../data/fairness_expected.json");
const TOLERANCE: f64 = 1e-9;

fn rows() -> Vec<AuditRow> {
    let mut reader = csv::Reader::from_reader(FIXTURE.as_bytes());
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (group, outcome, score) = (col("district"), col("outcome"), col("score"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            AuditRow {
                groups: vec![r[group].to_string()],
                outcome: match &r[outcome] {
                    "1" => true,
                    "0" => false,
                    other => panic!("outcome {other:?}"),
                },
                score: r[score].parse().unwrap(),
            }
        })
        .collect()
}

/// Asserts `got` equals the JSON number `want` to [`TOLERANCE`]; returns the error.
fn close(what: &str, got: Option<f64>, want: &Value) -> f64 {
    let want = want
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: expected figure missing"));
    let got = got.unwrap_or_else(|| panic!("{what}: undefined, expected {want}"));
    let error = (got - want).abs();
    assert!(error <= TOLERANCE, "{what}: got {got}, expected {want}");
    error
}

fn report(cutoff: Cutoff) -> FairnessReport {
    audit(
        &rows(),
        &AuditOptions {
            resamples: 0,
            ..AuditOptions::new(cutoff)
        },
    )
    .unwrap()
}

#[test]
fn every_figure_matches_fairlearn() {
    let expected: Value = serde_json::from_str(EXPECTED).unwrap();
    let mut checked = 0;
    let mut max_error: f64 = 0.0;
    for (name, cutoff) in [
        ("threshold_0.5", Cutoff::Threshold(0.5)),
        ("top_k_300", Cutoff::TopK(300)),
    ] {
        let want = &expected["cutoffs"][name];
        let got = report(cutoff);
        let by_group = want["by_group"].as_object().unwrap();
        assert_eq!(got.groups.len(), by_group.len(), "{name}: groups");
        for (key, figures) in by_group {
            let g = got
                .group(key)
                .unwrap_or_else(|| panic!("{name}: group {key} missing"));
            for (metric, value) in figures.as_object().unwrap() {
                let have = match metric.as_str() {
                    "count" => Some(g.count as f64),
                    "selection_rate" => g.rates.selection_rate,
                    "tpr" => g.rates.tpr,
                    "fpr" => g.rates.fpr,
                    "fnr" => g.rates.fnr,
                    "ppv" => g.rates.ppv,
                    other => panic!("{name}: unknown metric {other}"),
                };
                max_error = max_error.max(close(&format!("{name} {key} {metric}"), have, value));
                checked += 1;
            }
        }
        let s = &got.summary;
        for (field, have) in [
            ("overall_selection_rate", got.overall_selection_rate),
            (
                "demographic_parity_difference",
                s.demographic_parity_difference,
            ),
            ("demographic_parity_ratio", s.demographic_parity_ratio),
            ("equalized_odds_difference", s.equalized_odds_difference),
            ("equalized_odds_ratio", s.equalized_odds_ratio),
        ] {
            max_error = max_error.max(close(&format!("{name} {field}"), have, &want[field]));
            checked += 1;
        }
        // Every key of the cutoff's object was checked.
        assert_eq!(
            want.as_object().unwrap().len(),
            6,
            "{name}: unexpected figures"
        );
    }
    let got = report(Cutoff::Threshold(0.5));
    for (key, value) in expected["auc_by_group"].as_object().unwrap() {
        let auc = got.group(key).and_then(|g| g.auc);
        max_error = max_error.max(close(&format!("auc {key}"), auc, value));
        checked += 1;
    }
    max_error = max_error.max(close(
        "auc overall",
        got.overall_auc,
        &expected["auc_overall"],
    ));
    checked += 1;
    // 2 cutoffs x (3 groups x 6 metrics + 5 summary figures) + 3 group AUCs + overall AUC.
    assert_eq!(checked, 2 * (3 * 6 + 5) + 3 + 1);
    eprintln!("fairness reference: {checked} figures, max abs error {max_error:e}");
}

#[test]
fn top_k_selects_exactly_k_and_the_reference_is_the_largest_district() {
    let got = report(Cutoff::TopK(300));
    assert_eq!((got.total, got.selected), (2000, 300));
    assert_eq!(got.reference, "noord");
    let shares: f64 = got
        .groups
        .iter()
        .map(|g| g.share_of_selected.unwrap())
        .sum();
    assert!((shares - 1.0).abs() < 1e-12);
}
