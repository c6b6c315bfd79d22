//! Scoring and exact explanations.
//!
//! A case's logit is built from per-feature contributions and nothing else:
//!
//! ```text
//! contribution_f = sum over f's encoded columns k of coef_k * z_k     (in column order)
//! logit          = intercept + sum over features f of contribution_f  (in model order)
//! ```
//!
//! [`TrainedModel::score`] and [`TrainedModel::score_logit`] run the same arithmetic in the same
//! order, so the logit used for ranking and the one shown beside an explanation are the same
//! bits, and `intercept + sum(contributions)` differs from it only by the order of the final
//! additions (far below 1e-9).

use serde::{Deserialize, Serialize};

use super::features::FittedFeature;
use super::{FeatureRow, ModelError, TrainedModel};
use crate::domain::view::{Contribution, FeatureValue};

/// A scored case with its explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    pub logit: f64,
    pub probability: f64,
    /// One entry per source feature, largest absolute contribution first (ties in model
    /// order). A categorical feature's value is the case's category.
    pub contributions: Vec<Contribution>,
}

impl TrainedModel {
    /// Score one case and explain it exactly.
    pub fn score<R: FeatureRow + ?Sized>(&self, row: &R) -> Result<Scored, ModelError> {
        let mut logit = self.intercept;
        let mut contributions = Vec::with_capacity(self.encoding.features().len());
        self.for_each_contribution(row, |feature, value, c| {
            logit += c;
            contributions.push(Contribution {
                feature: feature.name.clone(),
                value: value.clone(),
                contribution: c,
            });
        })?;
        // Stable sort: equal sizes keep model order, so the listing is deterministic.
        contributions.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
        Ok(Scored {
            logit,
            probability: self.probability(logit),
            contributions,
        })
    }

    /// The logit alone, for ranking many cases: no allocation, same bits as [`Self::score`].
    pub fn score_logit<R: FeatureRow + ?Sized>(&self, row: &R) -> Result<f64, ModelError> {
        let mut logit = self.intercept;
        self.for_each_contribution(row, |_, _, c| logit += c)?;
        Ok(logit)
    }

    /// Per-feature contributions in model order into `out` (one per entry of
    /// `self.encoding.features()`), returning the logit: an explanation without allocating,
    /// for writing a million of them back. Same bits as [`Self::score`].
    pub fn contributions_into<R: FeatureRow + ?Sized>(
        &self,
        row: &R,
        out: &mut [f64],
    ) -> Result<f64, ModelError> {
        let features = self.encoding.features().len();
        if out.len() != features {
            return Err(ModelError::Width {
                expected: features,
                found: out.len(),
            });
        }
        let mut logit = self.intercept;
        let mut k = 0;
        self.for_each_contribution(row, |_, _, c| {
            logit += c;
            out[k] = c;
            k += 1;
        })?;
        Ok(logit)
    }

    /// Calls `f(feature, value, contribution)` for each source feature in model order.
    fn for_each_contribution<'r, R: FeatureRow + ?Sized>(
        &self,
        row: &'r R,
        mut f: impl FnMut(&FittedFeature, &'r FeatureValue, f64),
    ) -> Result<(), ModelError> {
        let width = self.encoding.width();
        if self.coefficients.len() != width {
            return Err(ModelError::Width {
                expected: width,
                found: self.coefficients.len(),
            });
        }
        let mut at = 0;
        for (k, feature) in self.encoding.features().iter().enumerate() {
            let w = feature.width();
            let value = row.feature(k, &feature.name);
            let c = feature.contribution(value, &self.coefficients[at..at + w])?;
            // contribution() has refused a missing value.
            f(feature, value.expect("present"), c);
            at += w;
        }
        Ok(())
    }
}

/// The logistic function, without overflow for large |t|.
pub fn sigmoid(t: f64) -> f64 {
    if t >= 0.0 {
        1.0 / (1.0 + (-t).exp())
    } else {
        let e = t.exp();
        e / (1.0 + e)
    }
}
