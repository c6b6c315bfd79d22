//! The fitted feature encoding: how a raw row becomes the standardised vector the model sees.
//!
//! Numeric features become one column `(x - mean) / std`. A categorical feature becomes one
//! indicator column per value seen in training (sorted, so the layout does not depend on row
//! order), each standardised the same way with mean `p` and std `sqrt(p (1 - p))`. Standardising
//! the indicators too keeps every column at mean 0, which is what makes the intercept the
//! log-odds of an average case and makes L2 treat all columns alike.
//!
//! Means and stds are population statistics (divide by n, like scikit-learn's `StandardScaler`)
//! over the training rows only. A column with no spread gets std 1 so nothing divides by zero:
//! its training values encode as 0 and its coefficient stays 0.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{FeatureDef, FeatureKind, FeatureRow, ModelError, validate_features};
use crate::domain::view::FeatureValue;

/// The encoding fitted on the training rows; kept as JSON inside a model version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Encoding {
    features: Vec<FittedFeature>,
}

/// One source feature and its fitted columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedFeature {
    pub name: String,
    #[serde(flatten)]
    pub encoding: FeatureEncoding,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FeatureEncoding {
    Numeric { mean: f64, std: f64 },
    Categorical { categories: Vec<CategoryColumn> },
}

/// One indicator column of a categorical feature: `value` seen in a share `mean` of the rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryColumn {
    pub value: String,
    pub mean: f64,
    pub std: f64,
}

impl Encoding {
    /// Fit means, stds and category lists on the training rows.
    pub fn fit<R: FeatureRow>(defs: &[FeatureDef], rows: &[R]) -> Result<Encoding, ModelError> {
        Encoding::fit_iter(defs, rows)
    }

    /// As [`Encoding::fit`], from any row source in one pass (the store can stream rows).
    pub fn fit_iter<'a, R: FeatureRow + ?Sized + 'a>(
        defs: &[FeatureDef],
        rows: impl IntoIterator<Item = &'a R>,
    ) -> Result<Encoding, ModelError> {
        validate_features(defs)?;
        let mut accs: Vec<Acc> = defs.iter().map(|d| Acc::new(d.kind)).collect();
        let mut n = 0usize;
        for (i, row) in rows.into_iter().enumerate() {
            for (k, (def, acc)) in defs.iter().zip(&mut accs).enumerate() {
                acc.observe(&def.name, row.feature(k, &def.name))
                    .map_err(|e| e.at_row(i))?;
            }
            n += 1;
        }
        if n == 0 {
            return Err(ModelError::NoRows);
        }
        let features = defs
            .iter()
            .zip(accs)
            .map(|(def, acc)| FittedFeature {
                name: def.name.clone(),
                encoding: acc.finish(n),
            })
            .collect();
        Ok(Encoding { features })
    }

    /// Number of encoded columns.
    pub fn width(&self) -> usize {
        self.features.iter().map(FittedFeature::width).sum()
    }

    pub fn features(&self) -> &[FittedFeature] {
        &self.features
    }

    /// The source feature definitions, in model order.
    pub fn defs(&self) -> Vec<FeatureDef> {
        self.features
            .iter()
            .map(|f| FeatureDef {
                name: f.name.clone(),
                kind: f.kind(),
            })
            .collect()
    }

    /// Names of the encoded columns: `feature` or `feature=value` for an indicator.
    pub fn column_names(&self) -> Vec<String> {
        let mut names = Vec::with_capacity(self.width());
        for f in &self.features {
            match &f.encoding {
                FeatureEncoding::Numeric { .. } => names.push(f.name.clone()),
                FeatureEncoding::Categorical { categories } => {
                    names.extend(categories.iter().map(|c| format!("{}={}", f.name, c.value)))
                }
            }
        }
        names
    }

    /// Encode one row into `out` (length [`Encoding::width`]). A category not seen in training
    /// gets all its indicators 0 (then standardised); a missing feature is an error.
    pub fn encode_into<R: FeatureRow + ?Sized>(
        &self,
        row: &R,
        out: &mut [f64],
    ) -> Result<(), ModelError> {
        if out.len() != self.width() {
            return Err(ModelError::Width {
                expected: self.width(),
                found: out.len(),
            });
        }
        let mut at = 0;
        for (k, f) in self.features.iter().enumerate() {
            let w = f.width();
            f.encode_value(row.feature(k, &f.name), &mut out[at..at + w])?;
            at += w;
        }
        Ok(())
    }
}

impl FittedFeature {
    pub fn kind(&self) -> FeatureKind {
        match self.encoding {
            FeatureEncoding::Numeric { .. } => FeatureKind::Numeric,
            FeatureEncoding::Categorical { .. } => FeatureKind::Categorical,
        }
    }

    pub fn width(&self) -> usize {
        match &self.encoding {
            FeatureEncoding::Numeric { .. } => 1,
            FeatureEncoding::Categorical { categories } => categories.len(),
        }
    }

    /// Write this feature's standardised columns for `value` into `out` (`out.len() == width`).
    fn encode_value(
        &self,
        value: Option<&FeatureValue>,
        out: &mut [f64],
    ) -> Result<(), ModelError> {
        self.for_each_column(value, |k, z| out[k] = z)
    }

    /// This feature's exact share of the logit: `sum_k coefs[k] * z_k` over its columns, added
    /// in column order from 0.0. `coefs` holds this feature's slice of the coefficients.
    pub(crate) fn contribution(
        &self,
        value: Option<&FeatureValue>,
        coefs: &[f64],
    ) -> Result<f64, ModelError> {
        let mut sum = 0.0;
        self.for_each_column(value, |k, z| sum += coefs[k] * z)?;
        Ok(sum)
    }

    /// The one place a raw value becomes standardised columns, so training, scoring and
    /// explaining compute bit-identical values. Calls `f(column_within_feature, z)`.
    #[inline]
    fn for_each_column(
        &self,
        value: Option<&FeatureValue>,
        mut f: impl FnMut(usize, f64),
    ) -> Result<(), ModelError> {
        let value = value.ok_or_else(|| ModelError::MissingFeature {
            feature: self.name.clone(),
        })?;
        match (&self.encoding, value) {
            (FeatureEncoding::Numeric { mean, std }, FeatureValue::Number(x)) => {
                check_finite(&self.name, *x)?;
                f(0, (x - mean) / std);
            }
            (FeatureEncoding::Categorical { categories }, FeatureValue::Category(v)) => {
                for (k, c) in categories.iter().enumerate() {
                    let indicator = if c.value == *v { 1.0 } else { 0.0 };
                    f(k, (indicator - c.mean) / c.std);
                }
            }
            (_, found) => return Err(wrong_kind(&self.name, self.kind(), found)),
        }
        Ok(())
    }
}

/// Running statistics of one feature while fitting.
enum Acc {
    /// Welford's running mean and sum of squared deviations: one pass, no cancellation.
    Numeric {
        n: f64,
        mean: f64,
        m2: f64,
    },
    Categorical {
        counts: BTreeMap<String, usize>,
    },
}

impl Acc {
    fn new(kind: FeatureKind) -> Acc {
        match kind {
            FeatureKind::Numeric => Acc::Numeric {
                n: 0.0,
                mean: 0.0,
                m2: 0.0,
            },
            FeatureKind::Categorical => Acc::Categorical {
                counts: BTreeMap::new(),
            },
        }
    }

    fn observe(&mut self, name: &str, value: Option<&FeatureValue>) -> Result<(), ModelError> {
        let value = value.ok_or_else(|| ModelError::MissingFeature {
            feature: name.to_string(),
        })?;
        match (self, value) {
            (Acc::Numeric { n, mean, m2 }, FeatureValue::Number(x)) => {
                check_finite(name, *x)?;
                *n += 1.0;
                let delta = x - *mean;
                *mean += delta / *n;
                *m2 += delta * (x - *mean);
            }
            (Acc::Categorical { counts }, FeatureValue::Category(v)) => {
                // Look up by &str first so a seen category costs no allocation.
                match counts.get_mut(v.as_str()) {
                    Some(c) => *c += 1,
                    None => {
                        counts.insert(v.clone(), 1);
                    }
                }
            }
            (acc, found) => {
                let kind = match acc {
                    Acc::Numeric { .. } => FeatureKind::Numeric,
                    Acc::Categorical { .. } => FeatureKind::Categorical,
                };
                return Err(wrong_kind(name, kind, found));
            }
        }
        Ok(())
    }

    fn finish(self, rows: usize) -> FeatureEncoding {
        match self {
            Acc::Numeric { n, mean, m2 } => FeatureEncoding::Numeric {
                mean,
                std: usable_std((m2 / n).sqrt(), mean),
            },
            Acc::Categorical { counts } => FeatureEncoding::Categorical {
                categories: counts
                    .into_iter()
                    .map(|(value, count)| {
                        let p = count as f64 / rows as f64;
                        CategoryColumn {
                            value,
                            mean: p,
                            std: usable_std((p * (1.0 - p)).sqrt(), p),
                        }
                    })
                    .collect(),
            },
        }
    }
}

/// A std of 0 (a constant column), or one lost in the rounding of the mean, becomes 1.
fn usable_std(std: f64, mean: f64) -> f64 {
    if std.is_finite() && std > f64::MIN_POSITIVE && std > mean.abs() * 1e-12 {
        std
    } else {
        1.0
    }
}

fn check_finite(feature: &str, value: f64) -> Result<(), ModelError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(ModelError::NotFinite {
            feature: feature.to_string(),
            value,
        })
    }
}

fn wrong_kind(feature: &str, expected: FeatureKind, found: &FeatureValue) -> ModelError {
    let found = match found {
        FeatureValue::Number(n) => format!("the number {n}"),
        FeatureValue::Category(s) => format!("the text {s:?}"),
    };
    ModelError::WrongKind {
        feature: feature.to_string(),
        expected,
        found,
    }
}
