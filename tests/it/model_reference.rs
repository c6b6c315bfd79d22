//! The trainer reaches scikit-learn's optimum. `tests/data/logistic_expected.json` holds
//! scikit-learn's `LogisticRegression(solver='lbfgs', tol=1e-10)` fits of
//! `tests/data/logistic_fixture.csv` (features used as-is, unscaled; label `needs_support`):
//! one unpenalised, one with L2 at C = 1. `oordeel::model::fit_logistic` must match the
//! intercept and every coefficient of both to 1e-4 relative, and the probabilities, AUC,
//! log-loss and Brier score that follow from them.

use ndarray::Array2;
use oordeel::domain::metrics;
use oordeel::model::{fit_logistic, sigmoid};
use serde_json::Value;

const FIXTURE: &str = include_str!("../data/logistic_fixture.csv");
const EXPECTED: &str = include_str!("../data/logistic_expected.json");

/// The fixture's features (in the order of `features` in the JSON) and labels.
fn fixture(features: &[String]) -> (Array2<f64>, Vec<bool>) {
    let mut lines = FIXTURE.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let picks: Vec<usize> = features.iter().map(|f| col(f)).collect();
    let label = col("needs_support");
    let mut values = Vec::new();
    let mut labels = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let cells: Vec<f64> = line.split(',').map(|c| c.trim().parse().unwrap()).collect();
        values.extend(picks.iter().map(|&j| cells[j]));
        labels.push(cells[label] == 1.0);
    }
    let x = Array2::from_shape_vec((labels.len(), picks.len()), values).unwrap();
    (x, labels)
}

fn relative_error(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs().max(1e-12)
}

fn check_fit(name: &str, l2: f64) {
    let expected: Value = serde_json::from_str(EXPECTED).unwrap();
    let features: Vec<String> = expected["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    let fit = &expected["fits"][name];
    let (x, y) = fixture(&features);
    assert_eq!(x.nrows(), 5000);

    let (intercept, coefficients) = fit_logistic(x.view(), &y, l2).unwrap();

    let mut worst = relative_error(intercept, fit["intercept"].as_f64().unwrap());
    assert!(
        worst < 1e-4,
        "{name}: intercept {intercept} vs {}",
        fit["intercept"]
    );
    for (feature, got) in features.iter().zip(&coefficients) {
        let want = fit["coefficients"][feature].as_f64().unwrap();
        let err = relative_error(*got, want);
        assert!(
            err < 1e-4,
            "{name}: {feature} {got} vs {want} (relative error {err:e})"
        );
        worst = worst.max(err);
    }
    eprintln!("{name}: largest relative error of intercept and coefficients {worst:e}");

    let probabilities: Vec<f64> = x
        .rows()
        .into_iter()
        .map(|row| {
            sigmoid(
                intercept
                    + row
                        .iter()
                        .zip(&coefficients)
                        .map(|(v, c)| v * c)
                        .sum::<f64>(),
            )
        })
        .collect();
    for (k, want) in fit["first_5_probabilities"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let want = want.as_f64().unwrap();
        assert!(
            (probabilities[k] - want).abs() < 1e-6,
            "{name}: probability of row {k} {} vs {want}",
            probabilities[k]
        );
    }
    let auc = metrics::auc(&probabilities, &y);
    let log_loss = metrics::log_loss(&probabilities, &y);
    let brier = metrics::brier(&probabilities, &y);
    assert!(
        (auc - fit["auc"].as_f64().unwrap()).abs() < 1e-6,
        "{name}: AUC {auc}"
    );
    let want = fit["mean_log_loss"].as_f64().unwrap();
    assert!(
        relative_error(log_loss, want) < 1e-8,
        "{name}: log-loss {log_loss} vs {want}"
    );
    let want = fit["brier"].as_f64().unwrap();
    assert!(
        relative_error(brier, want) < 1e-6,
        "{name}: Brier {brier} vs {want}"
    );
}

#[test]
fn unpenalised_fit_matches_scikit_learn() {
    check_fit("unpenalized", 0.0);
}

#[test]
fn l2_fit_matches_scikit_learn_with_alpha_one_over_c() {
    check_fit("l2_C1", 1.0);
}
