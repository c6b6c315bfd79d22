//! Scoring as it is stored, and reproducing a stored score bit for bit.
//!
//! [`TrainedModel::score_into`] is the one computation behind a stored score: `score` stores
//! what it returns and `explain` runs it again on the case's features, so whatever the model
//! computes (a calibration included) is compared like for like. Equality means equal bits
//! (`f64::to_bits`), not "close": the same features through the same model must give the
//! same numbers.

use super::{FeatureRow, ModelError, TrainedModel};
use crate::domain::feature_hash::FeatureHasher;
use crate::domain::view::FeatureValue;

impl TrainedModel {
    /// Per-feature contributions in model order into `out`, returning (logit, probability):
    /// exactly what `score` stores for a case.
    pub fn score_into<R: FeatureRow + ?Sized>(
        &self,
        row: &R,
        out: &mut [f64],
    ) -> Result<(f64, f64), ModelError> {
        let logit = self.contributions_into(row, out)?;
        Ok((logit, self.probability(logit)))
    }
}

/// What was stored for a case when it was scored.
#[derive(Debug, Clone, Copy)]
pub struct Recorded<'a> {
    pub logit: f64,
    pub probability: f64,
    /// In the model's feature order.
    pub contributions: &'a [f64],
    /// Empty when not recorded (scores written before schema 3).
    pub features_hash: &'a str,
}

/// One way a recomputation differs from what was stored.
#[derive(Debug, Clone, PartialEq)]
pub enum Difference {
    /// The case's features are not the ones it was scored on.
    FeaturesChanged {
        recorded: String,
        now: String,
    },
    /// The case no longer has a feature the model uses.
    FeatureMissing(String),
    /// The model cannot score the features (a category or number it refuses).
    Unscorable(String),
    Logit {
        recorded: f64,
        now: f64,
    },
    Probability {
        recorded: f64,
        now: f64,
    },
    Contribution {
        feature: String,
        recorded: f64,
        now: f64,
    },
    /// A different number of contributions was stored than the model has features.
    ContributionCount {
        recorded: usize,
        now: usize,
    },
}

/// The outcome of recomputing a stored score.
#[derive(Debug, Clone, PartialEq)]
pub struct Reproduction {
    /// Hash of the case's features now, in model order.
    pub features_hash: String,
    pub logit: f64,
    pub probability: f64,
    /// In the model's feature order (NaN where it could not be computed).
    pub contributions: Vec<f64>,
    pub differences: Vec<Difference>,
}

impl Reproduction {
    pub fn reproduced(&self) -> bool {
        self.differences.is_empty()
    }
}

/// Recomputes a case's score from its current `features` (name, value; any order) with
/// `model`, and compares hash, logit, probability and every contribution with `recorded`.
pub fn reproduce(
    model: &TrainedModel,
    features: &[(String, FeatureValue)],
    recorded: &Recorded<'_>,
) -> Reproduction {
    let names: Vec<&str> = model.features.iter().map(|f| f.name.as_str()).collect();
    let mut differences = Vec::new();
    let mut row: Vec<FeatureValue> = Vec::with_capacity(names.len());
    for name in &names {
        match features.iter().find(|(n, _)| n == name) {
            Some((_, v)) => row.push(v.clone()),
            None => differences.push(Difference::FeatureMissing((*name).to_owned())),
        }
    }
    let features_hash = FeatureHasher::new().hash(&names, &row);
    if !recorded.features_hash.is_empty() && recorded.features_hash != features_hash {
        differences.push(Difference::FeaturesChanged {
            recorded: recorded.features_hash.to_owned(),
            now: features_hash.clone(),
        });
    }
    let mut contributions = vec![f64::NAN; names.len()];
    let computed = if row.len() == names.len() {
        model
            .score_into(&row, &mut contributions)
            .map_err(|e| differences.push(Difference::Unscorable(e.to_string())))
            .ok()
    } else {
        None
    };
    // Nothing to compare when the score could not be computed: the reason is recorded.
    let (logit, probability) = computed.unwrap_or((f64::NAN, f64::NAN));
    if computed.is_some() {
        compare(
            recorded,
            &names,
            logit,
            probability,
            &contributions,
            &mut differences,
        );
    }
    Reproduction {
        features_hash,
        logit,
        probability,
        contributions,
        differences,
    }
}

/// Bit-for-bit comparison of a recomputation with the stored numbers.
fn compare(
    recorded: &Recorded<'_>,
    names: &[&str],
    logit: f64,
    probability: f64,
    contributions: &[f64],
    differences: &mut Vec<Difference>,
) {
    let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
    if !same(recorded.logit, logit) {
        differences.push(Difference::Logit {
            recorded: recorded.logit,
            now: logit,
        });
    }
    if !same(recorded.probability, probability) {
        differences.push(Difference::Probability {
            recorded: recorded.probability,
            now: probability,
        });
    }
    if recorded.contributions.len() != contributions.len() {
        differences.push(Difference::ContributionCount {
            recorded: recorded.contributions.len(),
            now: contributions.len(),
        });
        return;
    }
    for ((name, r), n) in names.iter().zip(recorded.contributions).zip(contributions) {
        if !same(*r, *n) {
            differences.push(Difference::Contribution {
                feature: (*name).to_owned(),
                recorded: *r,
                now: *n,
            });
        }
    }
}
