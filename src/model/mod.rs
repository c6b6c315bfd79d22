//! Feature encoding, training (linfa logistic regression), scoring and exact explanations.
//!
//! The model is a logistic regression on standardised features:
//!
//! ```text
//! logit(row) = intercept + sum_j coef_j * z_j(row),   z_j = (x_j - mean_j) / std_j
//! ```
//!
//! Every encoded column has mean 0 on the training rows, so the intercept is the log-odds of an
//! "average" case, and `coef_j * z_j` is column j's exact share of the logit. A categorical
//! feature's one-hot columns are summed into one contribution, so an explanation lists source
//! features, and `intercept + sum(contributions) == logit` holds to rounding (principle 3).
//!
//! [`train`] splits the labelled rows (seeded, stratified), fits encoding and model on the
//! training part with linfa, calibrates on a separate calibration part when that helps
//! (`calibration.rs`), and measures AUC, Brier and log-loss on the held-out part;
//! [`evaluation`] adds per-group figures, reliability deciles and precision at capacity.
//! [`TrainedModel::probability`] turns a logit into the (calibrated) probability.
//! Rows are [`RawRow`]s or, much faster for a million cases, value slices in model order
//! (see [`FeatureRow`]); [`TrainedModel::score_logit`] and
//! [`TrainedModel::contributions_into`] score and explain without allocating.
//!
//! This module does no I/O: the store feeds it rows and keeps the [`TrainedModel`] as JSON.

pub mod calibration;
mod error;
pub mod evaluation;
mod explain;
mod features;
mod fit;
pub mod labels;
pub mod proxy;
mod reproduce;
mod split;
mod train;
mod training_hash;
mod version;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::domain::feature_rules::FeatureRules;
use crate::domain::view::FeatureValue;

pub use crate::domain::metrics::Metrics;
pub use calibration::{CalibrationMethod, CalibrationReport, Isotonic, Platt};
pub use error::ModelError;
pub use evaluation::Evaluation;
pub use explain::{Scored, sigmoid};
pub use features::{CategoryColumn, Encoding, FeatureEncoding, FittedFeature};
pub use fit::fit_logistic;
pub use proxy::{ProxyCheck, ProxyPair, proxy_check};
pub use reproduce::{Difference, Recorded, Reproduction, reproduce};
pub use split::Split;
pub use train::{
    ALGORITHM, TrainOptions, TrainedModel, Training, train, train_weighted, train_with_report,
};
pub use version::{DecodedVersion, UnreadableVersion};

/// How a feature enters the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureKind {
    /// A number, standardised.
    Numeric,
    /// Text with a few values, one-hot encoded (one column per value seen in training).
    Categorical,
}

/// One model feature: a name in the row and how to encode it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureDef {
    pub name: String,
    pub kind: FeatureKind,
}

impl FeatureDef {
    pub fn numeric(name: impl Into<String>) -> FeatureDef {
        FeatureDef {
            name: name.into(),
            kind: FeatureKind::Numeric,
        }
    }

    pub fn categorical(name: impl Into<String>) -> FeatureDef {
        FeatureDef {
            name: name.into(),
            kind: FeatureKind::Categorical,
        }
    }
}

/// One case's raw features, by name. A BTreeMap keeps iteration (and so any hashing) ordered.
pub type RawRow = std::collections::BTreeMap<String, FeatureValue>;

/// A case's features as the model reads them: by name from a [`RawRow`], or by position from
/// a slice of values in model order (`model.features`), which skips the name lookups when
/// ranking a million cases.
pub trait FeatureRow {
    /// The value of the feature at `index` in the model's feature list, called `name`.
    fn feature(&self, index: usize, name: &str) -> Option<&FeatureValue>;
}

impl FeatureRow for RawRow {
    fn feature(&self, _index: usize, name: &str) -> Option<&FeatureValue> {
        self.get(name)
    }
}

/// Values in the order of the model's features.
impl FeatureRow for [FeatureValue] {
    fn feature(&self, index: usize, _name: &str) -> Option<&FeatureValue> {
        self.get(index)
    }
}

impl FeatureRow for Vec<FeatureValue> {
    fn feature(&self, index: usize, _name: &str) -> Option<&FeatureValue> {
        self.get(index)
    }
}

/// Attributes that never enter the model (principle 4; Algoritmekader dat-02). They are kept for
/// the fairness audit only. The Dutch childcare-benefits scandal used nationality; Rotterdam's
/// welfare model used language and gender proxies.
pub const PROTECTED_ATTRIBUTES: &[&str] = &[
    "gender",
    "age_band",
    "migration_background",
    "nationality",
    "country_of_birth",
    "ethnicity",
    "religion",
    "language",
];

/// Whether a feature name is, or is built on, a protected attribute or a known proxy.
///
/// The shipped rules (`assets/feature_rules.toml`, [`FeatureRules`]) decide: a forbidden term
/// that occurs in the name as whole words, case-insensitively, with `_`, `-`, `.` and spaces
/// separating words (`head_gender`, `nationality_code`), because renaming a column must not
/// be a way around the rule. Over-refusing a harmless name is the cheaper mistake: the admin
/// renames it. Training also checks the database's own copy of the rules and each feature's
/// declared meaning (`commands::train`).
pub fn is_protected(name: &str) -> bool {
    FeatureRules::shipped().find_term(name).is_some()
}

/// Check a feature list before anything is fitted: non-empty, unique, nothing protected.
pub fn validate_features(defs: &[FeatureDef]) -> Result<(), ModelError> {
    if defs.is_empty() {
        return Err(ModelError::NoFeatures);
    }
    let mut seen = std::collections::BTreeSet::new();
    for def in defs {
        if is_protected(&def.name) {
            return Err(ModelError::ProtectedFeature {
                name: def.name.clone(),
            });
        }
        if !seen.insert(def.name.as_str()) {
            return Err(ModelError::DuplicateFeature {
                name: def.name.clone(),
            });
        }
    }
    Ok(())
}
