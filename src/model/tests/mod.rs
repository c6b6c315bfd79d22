//! Tests across the module: training end to end, exact explanations, refusals, the data hash.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::domain::view::FeatureValue;

mod encoding;
mod quality;
mod reproduce;

const INCOME: &[&str] = &["work", "benefit", "pension", "self_employed", "none"];
const HOUSEHOLD: &[&str] = &["single", "single_parent", "couple_with_children"];

fn defs() -> Vec<FeatureDef> {
    vec![
        FeatureDef::numeric("arrears_months"),
        FeatureDef::numeric("arrears_amount_eur"),
        FeatureDef::numeric("multiple_signals"),
        FeatureDef::categorical("income_source"),
        FeatureDef::categorical("household_type"),
        FeatureDef::numeric("always_one"),
    ]
}

/// Synthetic labelled cases with a known logistic truth, deterministic by seed.
fn cases(n: usize, seed: u64) -> (Vec<RawRow>, Vec<bool>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows = Vec::with_capacity(n);
    let mut labels = Vec::with_capacity(n);
    for _ in 0..n {
        let months = rng.gen_range(0..12) as f64;
        let amount = (rng.gen_range(0.0..8.0f64)).exp().round();
        let multiple = f64::from(u8::from(rng.gen_bool(0.3)));
        let income = rng.gen_range(0..INCOME.len());
        let household = rng.gen_range(0..HOUSEHOLD.len());
        let t = -2.0
            + 0.3 * months
            + 0.0004 * amount
            + 0.8 * multiple
            + [0.0, 0.7, -0.5, 0.2, 1.0][income];
        let label = rng.gen_bool(explain::sigmoid(t));
        let mut row = RawRow::new();
        row.insert("arrears_months".into(), FeatureValue::Number(months));
        row.insert("arrears_amount_eur".into(), FeatureValue::Number(amount));
        row.insert("multiple_signals".into(), FeatureValue::Number(multiple));
        row.insert(
            "income_source".into(),
            FeatureValue::Category(INCOME[income].into()),
        );
        row.insert(
            "household_type".into(),
            FeatureValue::Category(HOUSEHOLD[household].into()),
        );
        row.insert("always_one".into(), FeatureValue::Number(1.0));
        rows.push(row);
        labels.push(label);
    }
    (rows, labels)
}

#[test]
fn trains_a_useful_model_and_measures_it_on_held_out_rows() {
    let (rows, labels) = cases(4000, 11);
    let model = train(&defs(), &rows, &labels, &TrainOptions::default()).unwrap();
    let m = &model.metrics;
    assert_eq!(m.n_train + m.n_calibration + m.n_test, 4000);
    assert_eq!(model.metrics.n_test, 1000);
    assert!(
        model.metrics.auc > 0.7 && model.metrics.auc < 1.0,
        "{:?}",
        model.metrics
    );
    assert!(model.metrics.brier > 0.0 && model.metrics.brier < 0.25);
    assert!(model.metrics.log_loss > 0.0 && model.metrics.log_loss < 0.69);
    assert_eq!(model.coefficients.len(), model.encoding.width());
    assert!(model.coefficients.iter().all(|c| c.is_finite()));
    // The truth pushes months up, and "pension" down relative to "none".
    let names = model.encoding.column_names();
    let coef = |name: &str| model.coefficients[names.iter().position(|n| n == name).unwrap()];
    assert!(coef("arrears_months") > 0.5);
    assert!(coef("income_source=none") > coef("income_source=pension"));
    // The constant column carries nothing and produced no NaN.
    assert_eq!(coef("always_one"), 0.0);
}

#[test]
fn explanations_are_exact_on_random_rows() {
    let (rows, labels) = cases(3000, 5);
    let model = train(&defs(), &rows, &labels, &TrainOptions::default()).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let (mut probe, _) = cases(500, 6);
    // Also probe values never seen in training: unseen categories and far-out numbers.
    for row in probe.iter_mut().step_by(7) {
        row.insert(
            "income_source".into(),
            FeatureValue::Category("unknown".into()),
        );
        row.insert(
            "arrears_amount_eur".into(),
            FeatureValue::Number(rng.gen_range(-1e5..1e6)),
        );
        row.insert(
            "always_one".into(),
            FeatureValue::Number(rng.gen_range(-3.0..3.0)),
        );
    }
    let mut encoded = vec![0.0; model.encoding.width()];
    for row in &probe {
        let scored = model.score(row).unwrap();
        let sum: f64 = scored.contributions.iter().map(|c| c.contribution).sum();
        assert!((model.intercept + sum - scored.logit).abs() < 1e-9);
        assert_eq!(
            scored.logit.to_bits(),
            model.score_logit(row).unwrap().to_bits()
        );
        assert!((scored.probability - explain::sigmoid(scored.logit)).abs() < 1e-15);
        // The logit is the plain linear model on the encoded row.
        model.encoding.encode_into(row, &mut encoded).unwrap();
        let linear: f64 = model.intercept
            + encoded
                .iter()
                .zip(&model.coefficients)
                .map(|(z, c)| z * c)
                .sum::<f64>();
        assert!((linear - scored.logit).abs() < 1e-9);
        // One entry per source feature, largest first, with the raw value.
        assert_eq!(scored.contributions.len(), defs().len());
        let sizes: Vec<f64> = scored
            .contributions
            .iter()
            .map(|c| c.contribution.abs())
            .collect();
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
        let income = scored
            .contributions
            .iter()
            .find(|c| c.feature == "income_source")
            .unwrap();
        assert_eq!(income.value, row["income_source"]);
    }
}

#[test]
fn same_data_same_hash_and_model() {
    let (rows, labels) = cases(800, 3);
    let opts = TrainOptions::default();
    let a = train(&defs(), &rows, &labels, &opts).unwrap();
    let b = train(&defs(), &rows, &labels, &opts).unwrap();
    assert_eq!(a.training_data_hash.len(), 64);
    assert_eq!(a.training_data_hash, b.training_data_hash);
    assert_eq!(a, b);

    let mut changed = labels.clone();
    let train_idx = Split::new(&labels, &opts).train;
    changed[train_idx[0]] = !changed[train_idx[0]];
    let c = train(&defs(), &rows, &changed, &opts).unwrap();
    assert_ne!(a.training_data_hash, c.training_data_hash);

    let json = serde_json::to_string(&a).unwrap();
    let back: TrainedModel = serde_json::from_str(&json).unwrap();
    assert_eq!(back.training_data_hash, a.training_data_hash);
    assert_eq!(back.encoding.column_names(), a.encoding.column_names());
    // serde_json without its `float_roundtrip` feature may read a float back 1 ulp off.
    for row in &rows {
        assert!((back.score_logit(row).unwrap() - a.score_logit(row).unwrap()).abs() < 1e-12);
    }
}

#[test]
fn refuses_protected_attributes() {
    let (rows, labels) = cases(100, 1);
    for name in [
        "gender",
        "Age_Band",
        "migration-background",
        "head_nationality",
        "language",
    ] {
        let mut d = defs();
        d.push(FeatureDef::categorical(name));
        let err = train(&d, &rows, &labels, &TrainOptions::default()).unwrap_err();
        assert!(
            matches!(err, ModelError::ProtectedFeature { .. }),
            "{name}: {err}"
        );
        assert!(err.to_string().contains("protected attribute"));
        assert!(Encoding::fit(&d, &rows).is_err());
    }
    assert!(!is_protected("arrears_months"));
    assert!(!is_protected("household_type"));
    assert!(is_protected("AGE_BAND_head"));
    // One source of truth: every attribute kept for the audit is refused by the shipped rules.
    assert!(
        crate::model::PROTECTED_ATTRIBUTES
            .iter()
            .all(|a| is_protected(a))
    );
}

#[test]
fn refuses_unusable_training_sets() {
    let (rows, labels) = cases(100, 2);
    let opts = TrainOptions::default();
    assert!(matches!(
        train::<RawRow>(&defs(), &[], &[], &opts),
        Err(ModelError::NoRows)
    ));
    assert!(matches!(
        train(&defs(), &rows, &[true; 100], &opts),
        Err(ModelError::SingleClass {
            class: true,
            count: 100
        })
    ));
    assert!(matches!(
        train(&defs(), &rows, &labels[..50], &opts),
        Err(ModelError::LabelCount {
            rows: 100,
            labels: 50
        })
    ));
    let mut one = vec![false; 100];
    one[4] = true;
    assert!(matches!(
        train(&defs(), &rows, &one, &opts),
        Err(ModelError::TooFewOfClass {
            class: true,
            count: 1
        })
    ));
    assert!(matches!(
        train(&[], &rows, &labels, &opts),
        Err(ModelError::NoFeatures)
    ));
    let twice = vec![FeatureDef::numeric("arrears_months"); 2];
    assert!(matches!(
        train(&twice, &rows, &labels, &opts),
        Err(ModelError::DuplicateFeature { .. })
    ));
    for bad in [
        TrainOptions {
            l2: -1.0,
            ..opts.clone()
        },
        TrainOptions {
            test_share: 1.0,
            ..opts.clone()
        },
        TrainOptions {
            max_iterations: 0,
            ..opts.clone()
        },
    ] {
        assert!(matches!(
            train(&defs(), &rows, &labels, &bad),
            Err(ModelError::InvalidOption(_))
        ));
    }
    // A bad row is reported by its position in the caller's slice, train or test part alike.
    for i in [0, 57, 99] {
        let mut broken = rows.clone();
        broken[i].remove("household_type");
        let err = train(&defs(), &broken, &labels, &opts)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            format!(
                "row {i}: feature `household_type` is missing: every row must carry every model feature"
            )
        );
    }
}

#[test]
fn score_refuses_rows_it_cannot_read() {
    let (rows, labels) = cases(300, 4);
    let model = train(&defs(), &rows, &labels, &TrainOptions::default()).unwrap();
    let mut row = rows[0].clone();
    row.insert(
        "arrears_months".into(),
        FeatureValue::Category("many".into()),
    );
    assert!(matches!(
        model.score(&row),
        Err(ModelError::WrongKind { .. })
    ));
    row.remove("arrears_months");
    assert!(matches!(
        model.score_logit(&row),
        Err(ModelError::MissingFeature { .. })
    ));
}

#[test]
fn positional_rows_match_named_rows() {
    let (rows, labels) = cases(600, 8);
    let names: Vec<String> = defs().into_iter().map(|d| d.name).collect();
    let positional: Vec<Vec<FeatureValue>> = rows
        .iter()
        .map(|r| names.iter().map(|n| r[n].clone()).collect())
        .collect();
    let opts = TrainOptions::default();
    let a = train(&defs(), &rows, &labels, &opts).unwrap();
    let b = train(&defs(), &positional, &labels, &opts).unwrap();
    assert_eq!(a, b);
    for (r, p) in rows.iter().zip(&positional) {
        assert_eq!(a.score(r).unwrap(), a.score(p.as_slice()).unwrap());
    }
    let short = &positional[0][..3];
    assert!(matches!(
        a.score_logit(short),
        Err(ModelError::MissingFeature { .. })
    ));
}
