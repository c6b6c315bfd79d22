//! Calibration and held-out evaluation.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{cases, defs};
use crate::model::calibration::{self, CalibrationMethod, Chosen, Isotonic, Platt};
use crate::model::evaluation::{self, HeldOut};
use crate::model::train::fold_platt;
use crate::model::*;

/// Logits uniform on [-4, 4], outcomes drawn from `sigmoid(a * logit + b)`.
fn drawn(n: usize, a: f64, b: f64, seed: u64) -> (Vec<f64>, Vec<bool>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let logits: Vec<f64> = (0..n).map(|_| rng.gen_range(-4.0..4.0)).collect();
    let labels = logits
        .iter()
        .map(|&z| rng.gen_bool(sigmoid(a * z + b)))
        .collect();
    (logits, labels)
}

#[test]
fn platt_recovers_known_a_and_b() {
    let (logits, labels) = drawn(40_000, 0.6, -0.8, 3);
    let p = Platt::fit(&logits, &labels).unwrap();
    assert!((p.a - 0.6).abs() < 0.03, "{p:?}");
    assert!((p.b + 0.8).abs() < 0.03, "{p:?}");
    // A single class has no maximum-likelihood fit.
    assert!(Platt::fit(&logits, &vec![true; logits.len()]).is_none());
}

#[test]
fn isotonic_matches_a_hand_computed_pav() {
    // Outcomes 0 1 0 1 0 1 at logits 1..6: the violators (1,0) pool twice into 0.5.
    let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let y = [false, true, false, true, false, true];
    let iso = Isotonic::fit(&x, &y).unwrap();
    assert_eq!(iso.thresholds, x.to_vec());
    assert_eq!(iso.values, vec![0.0, 0.5, 0.5, 0.5, 0.5, 1.0]);
    assert_eq!(iso.apply(1.5), 0.25); // interpolated
    assert_eq!(iso.apply(3.7), 0.5);
    assert_eq!(iso.apply(-10.0), 0.0); // clipped below
    assert_eq!(iso.apply(99.0), 1.0); // clipped above
    // Equal logits are merged first (mean 1/2, weight 2), then pooled with the 0 after them:
    // (1 + 0) / 3 for both points.
    let iso = Isotonic::fit(&[1.0, 1.0, 2.0], &[true, false, false]).unwrap();
    assert_eq!(iso.thresholds, vec![1.0, 2.0]);
    assert!(iso.values.iter().all(|&v| (v - 1.0 / 3.0).abs() < 1e-15));
    assert!(Isotonic::fit(&[], &[]).is_none());
}

#[test]
fn isotonic_is_monotone() {
    let (logits, labels) = drawn(3_000, 1.3, 0.2, 4);
    let iso = Isotonic::fit(&logits, &labels).unwrap();
    assert!(iso.values.windows(2).all(|w| w[0] <= w[1]));
    assert!(iso.thresholds.windows(2).all(|w| w[0] < w[1]));
    let mut previous = f64::NEG_INFINITY;
    for k in 0..=2_000 {
        let p = iso.apply(-5.0 + k as f64 * 0.005);
        assert!((0.0..=1.0).contains(&p) && p >= previous);
        previous = p;
    }
}

#[test]
fn calibration_is_kept_when_it_improves_held_out_log_loss() {
    // The logits are half as steep as the truth: calibration clearly helps.
    let (cal, cal_y) = drawn(4_000, 2.0, 0.5, 5);
    let (test, test_y) = drawn(4_000, 2.0, 0.5, 6);
    let (chosen, report) = calibration::choose((&cal, &cal_y), (&test, &test_y));
    assert_ne!(report.chosen, CalibrationMethod::None);
    assert!(!matches!(chosen, Chosen::None));
    let before = report.log_loss_of(CalibrationMethod::None).unwrap();
    let after = report.log_loss_of(report.chosen).unwrap();
    assert!(after < before - 0.01, "{report:?}");
    assert_eq!(report.candidates.len(), 3);
    assert_eq!(report.n_calibration, 4_000);
}

#[test]
fn calibration_is_dropped_when_it_does_not_improve_held_out_log_loss() {
    // The calibration part is steeper than the held-out truth (which the logits already
    // match): both calibrators learn the wrong slope and lose on the held-out part.
    let (cal, cal_y) = drawn(4_000, 3.0, 0.0, 7);
    let (test, test_y) = drawn(4_000, 1.0, 0.0, 8);
    let (chosen, report) = calibration::choose((&cal, &cal_y), (&test, &test_y));
    assert_eq!(report.chosen, CalibrationMethod::None, "{report:?}");
    assert!(matches!(chosen, Chosen::None));
    let before = report.log_loss_of(CalibrationMethod::None).unwrap();
    assert!(
        report
            .candidates
            .iter()
            .skip(1)
            .all(|c| c.held_out_log_loss >= before)
    );
    assert!(report.platt.is_some_and(|p| p.a > 2.0));
}

/// Folding Platt into the model keeps explanations exact and the ranking as it was.
#[test]
fn folded_platt_keeps_explanations_exact_and_ranking_unchanged() {
    let (rows, labels) = cases(2_000, 21);
    let model = train(&defs(), &rows, &labels, &TrainOptions::default()).unwrap();
    let mut folded = model.clone();
    fold_platt(&mut folded, Platt { a: 1.7, b: -0.4 });
    let (probe, _) = cases(400, 22);
    let order = |m: &TrainedModel| {
        let logits: Vec<f64> = probe.iter().map(|r| m.score_logit(r).unwrap()).collect();
        let mut idx: Vec<usize> = (0..probe.len()).collect();
        idx.sort_by(|&a, &b| logits[b].total_cmp(&logits[a]).then(a.cmp(&b)));
        idx
    };
    assert_eq!(order(&model), order(&folded));
    for row in &probe {
        let s = folded.score(row).unwrap();
        let sum: f64 = s.contributions.iter().map(|c| c.contribution).sum();
        assert!((folded.intercept + sum - s.logit).abs() < 1e-9);
        let raw = model.score_logit(row).unwrap();
        assert!((s.logit - (1.7 * raw - 0.4)).abs() < 1e-9);
        assert_eq!(s.probability, sigmoid(s.logit));
    }
}

/// With isotonic chosen the logit is still explained exactly, and the probability is the
/// isotonic map of that logit, through `TrainedModel::probability` everywhere.
#[test]
fn isotonic_model_scores_through_its_probability_function() {
    let (rows, labels) = cases(2_000, 23);
    let mut model = train(&defs(), &rows, &labels, &TrainOptions::default()).unwrap();
    let logits: Vec<f64> = rows.iter().map(|r| model.score_logit(r).unwrap()).collect();
    let iso = Isotonic::fit(&logits, &labels).unwrap();
    model.isotonic = Some(iso.clone());
    for row in rows.iter().take(300) {
        let s = model.score(row).unwrap();
        let sum: f64 = s.contributions.iter().map(|c| c.contribution).sum();
        assert!((model.intercept + sum - s.logit).abs() < 1e-9);
        assert_eq!(s.probability, iso.apply(s.logit));
        assert_eq!(s.probability, model.probability(s.logit));
    }
    // A spec written before calibration existed still loads, as sigmoid(logit).
    let mut json: serde_json::Value = serde_json::to_value(&model).unwrap();
    json.as_object_mut().unwrap().remove("isotonic");
    let old: TrainedModel = serde_json::from_value(json).unwrap();
    assert!(old.isotonic.is_none());
    assert_eq!(old.probability(0.3), sigmoid(0.3));
}

#[test]
fn training_reports_its_calibration_and_a_three_way_split() {
    let (rows, labels) = cases(4_000, 11);
    let t = train_with_report(&defs(), &rows, &labels, &TrainOptions::default()).unwrap();
    let s = &t.split;
    assert_eq!(s.test.len(), 1_000);
    assert_eq!(s.calibration.len(), 600);
    assert_eq!(s.train.len(), 2_400);
    assert_eq!(t.model.metrics.n_train, 2_400);
    let mut all: Vec<usize> = [&s.train, &s.calibration, &s.test]
        .into_iter()
        .flatten()
        .copied()
        .collect();
    all.sort_unstable();
    assert!(all.iter().enumerate().all(|(k, &i)| k == i));
    assert_eq!(t.calibration.n_calibration, 600);
    // The stored metrics are those of the chosen candidate.
    let chosen = t.calibration.log_loss_of(t.calibration.chosen).unwrap();
    assert!((chosen - t.model.metrics.log_loss).abs() < 1e-12);
    assert_eq!(
        t.model.isotonic.is_some(),
        t.calibration.chosen == CalibrationMethod::Isotonic
    );
}

#[test]
fn reliability_deciles_cover_every_row() {
    let (logits, labels) = drawn(1_234, 1.0, 0.0, 9);
    let p: Vec<f64> = logits.iter().map(|&z| sigmoid(z)).collect();
    let r = evaluation::reliability(&p, &labels);
    assert_eq!(r.bins.len(), 10);
    assert_eq!(r.bins.iter().map(|b| b.n).sum::<usize>(), 1_234);
    assert!(r.bins.iter().all(|b| b.n == 123 || b.n == 124));
    assert!(r.bins.windows(2).all(|w| w[0].upper <= w[1].lower));
    assert!(r.expected_calibration_error < 0.06, "{r:?}");
    // Fewer rows than bins: one bin per row.
    assert_eq!(evaluation::reliability(&p[..4], &labels[..4]).bins.len(), 4);
}

#[test]
fn precision_at_capacity_takes_each_teams_top_k() {
    // Two teams of 6; logits fall with the row number, so each team's top 2 are its first 2.
    let logits: Vec<f64> = (0..12).map(|i| -(i as f64)).collect();
    let probabilities: Vec<f64> = logits.iter().map(|&z| sigmoid(z)).collect();
    let labels = [
        true, false, true, false, false, false, //
        false, true, false, true, false, true, //
    ];
    let teams: Vec<String> = (0..12)
        .map(|i| if i % 2 == 0 { "A" } else { "B" }.to_string())
        .collect();
    let attributes = vec![(
        "gender".to_string(),
        (0..12)
            .map(|i| if i < 6 { "f" } else { "m" }.to_string())
            .collect(),
    )];
    let rows = HeldOut {
        logits: &logits,
        probabilities: &probabilities,
        labels: &labels,
        teams: &teams,
        attributes: &attributes,
    };
    let report = calibration::choose((&logits, &labels), (&logits, &labels)).1;
    // Capacity 8 on a held-out share of 0.25: k = 2 per team.
    let e = evaluation::evaluate(&rows, 0.25, 8, report);
    assert_eq!(e.capacity.k_per_team, 2);
    let a = &e.capacity.teams[0];
    // Team A holds rows 0, 2, 4, 6, 8, 10; its top 2 are rows 0 and 2, both positive.
    assert_eq!(
        (a.team.as_str(), a.n, a.selected, a.selected_positives),
        ("A", 6, 2, 2)
    );
    // Team B holds rows 1, 3, 5, 7, 9, 11; its top 2 are rows 1 and 3, both negative.
    let b = &e.capacity.teams[1];
    assert_eq!((b.n, b.selected_positives), (6, 0));
    assert_eq!(e.capacity.precision, Some(0.5));
    // Groups of 6 are under 10: counts only.
    let gender = &e.by_attribute[0];
    assert_eq!(gender.groups.len(), 2);
    assert!(
        gender
            .groups
            .iter()
            .all(|g| g.n == 6 && g.metrics.is_none())
    );
    assert_eq!(e.overall.n, 12);
    let overall = e.overall.metrics.as_ref().unwrap();
    assert_eq!(overall.selected, 4);
    assert_eq!(overall.precision_at_capacity, Some(0.5));
}
