//! Reproducing a stored score: equal bits for the same features and model, and a precise
//! difference when either changed.

use super::*;
use crate::domain::feature_hash::features_hash;

/// A trained model, one case as (name, value) pairs, and what `score` stored for it.
struct ScoredCase {
    model: TrainedModel,
    features: Vec<(String, FeatureValue)>,
    contributions: Vec<f64>,
    logit: f64,
    probability: f64,
    hash: String,
}

impl ScoredCase {
    fn recorded(&self) -> Recorded<'_> {
        Recorded {
            logit: self.logit,
            probability: self.probability,
            contributions: &self.contributions,
            features_hash: &self.hash,
        }
    }
}

fn scored_case() -> ScoredCase {
    let (rows, labels) = cases(600, 3);
    let model = train(&defs(), &rows, &labels, &TrainOptions::default()).unwrap();
    let features: Vec<(String, FeatureValue)> = rows[0]
        .iter()
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    let names: Vec<&str> = model.features.iter().map(|f| f.name.as_str()).collect();
    let in_order: Vec<FeatureValue> = names.iter().map(|n| rows[0][*n].clone()).collect();
    let mut contributions = vec![0.0; names.len()];
    let (logit, probability) = model.score_into(&in_order, &mut contributions).unwrap();
    let hash = features_hash(&names, &in_order);
    ScoredCase {
        model,
        features,
        contributions,
        logit,
        probability,
        hash,
    }
}

#[test]
fn the_same_features_and_model_reproduce_every_bit() {
    let case = scored_case();
    let r = reproduce(&case.model, &case.features, &case.recorded());
    assert!(r.reproduced(), "{:?}", r.differences);
    assert_eq!(r.features_hash, case.hash);
    assert_eq!(r.logit.to_bits(), case.logit.to_bits());
    // An unrecorded hash (scores from before schema 3) is no difference by itself.
    let unhashed = Recorded {
        features_hash: "",
        ..case.recorded()
    };
    assert!(reproduce(&case.model, &case.features, &unhashed).reproduced());
}

#[test]
fn changed_features_are_named_as_such() {
    let mut case = scored_case();
    let months = case
        .features
        .iter_mut()
        .find(|(n, _)| n == "arrears_months")
        .unwrap();
    months.1 = FeatureValue::Number(months.1.as_number().unwrap() + 1.0);
    let r = reproduce(&case.model, &case.features, &case.recorded());
    assert!(matches!(
        r.differences[0],
        Difference::FeaturesChanged { .. }
    ));
    let moved: Vec<&str> = r
        .differences
        .iter()
        .filter_map(|d| match d {
            Difference::Contribution { feature, .. } => Some(feature.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(moved, ["arrears_months"], "only the changed feature moves");
}

#[test]
fn a_changed_model_differs_with_the_same_features() {
    let mut case = scored_case();
    case.model.intercept += 0.25;
    let r = reproduce(&case.model, &case.features, &case.recorded());
    assert!(!r.reproduced());
    assert!(
        !r.differences
            .iter()
            .any(|d| matches!(d, Difference::FeaturesChanged { .. }))
    );
    assert!(matches!(r.differences[0], Difference::Logit { .. }));
}

#[test]
fn a_missing_feature_is_reported_not_scored() {
    let mut case = scored_case();
    case.features.retain(|(n, _)| n != "income_source");
    let r = reproduce(&case.model, &case.features, &case.recorded());
    assert_eq!(
        r.differences[0],
        Difference::FeatureMissing("income_source".into())
    );
}
