//! Errors of the model layer. Each message says what went wrong, where, and what to do about
//! it, because it usually ends up verbatim in front of an admin running `oordeel train`.

use std::fmt;

use super::FeatureKind;
use crate::i18n::{t, tf};

/// What went wrong while training or scoring. The texts are in `assets/strings.toml` under
/// `[model_error]`, in Dutch and English.
#[derive(Debug)]
pub enum ModelError {
    NoFeatures,
    DuplicateFeature {
        name: String,
    },
    ProtectedFeature {
        name: String,
    },
    NoRows,
    LabelCount {
        rows: usize,
        labels: usize,
    },
    SingleClass {
        class: bool,
        count: usize,
    },
    TooFewOfClass {
        class: bool,
        count: usize,
    },
    MissingFeature {
        feature: String,
    },
    WrongKind {
        feature: String,
        expected: FeatureKind,
        found: String,
    },
    NotFinite {
        feature: String,
        value: f64,
    },
    AtRow {
        row: usize,
        source: Box<ModelError>,
    },
    Width {
        expected: usize,
        found: usize,
    },
    InvalidOption(String),
    NotConverged {
        gradient: f64,
        max_iterations: u64,
    },
    Fit(String),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ModelError::NoFeatures => t("model_error.no_features").to_owned(),
            ModelError::DuplicateFeature { name } => {
                tf("model_error.duplicate_feature", &[("name", name)])
            }
            ModelError::ProtectedFeature { name } => {
                tf("model_error.protected_feature", &[("name", name)])
            }
            ModelError::NoRows => t("model_error.no_rows").to_owned(),
            ModelError::LabelCount { rows, labels } => tf(
                "model_error.label_count",
                &[("rows", rows), ("labels", labels)],
            ),
            ModelError::SingleClass { class, count } => tf(
                "model_error.single_class",
                &[("class", class), ("count", count)],
            ),
            ModelError::TooFewOfClass { class, count } => tf(
                "model_error.too_few_of_class",
                &[("class", class), ("count", count)],
            ),
            ModelError::MissingFeature { feature } => {
                tf("model_error.missing_feature", &[("feature", feature)])
            }
            ModelError::WrongKind {
                feature,
                expected,
                found,
            } => tf(
                "model_error.wrong_kind",
                &[
                    ("feature", feature),
                    ("expected", &kind_text(*expected)),
                    ("found", found),
                ],
            ),
            ModelError::NotFinite { feature, value } => tf(
                "model_error.not_finite",
                &[("feature", feature), ("value", value)],
            ),
            ModelError::AtRow { row, source } => {
                tf("model_error.at_row", &[("row", row), ("source", source)])
            }
            ModelError::Width { expected, found } => tf(
                "model_error.width",
                &[("expected", expected), ("found", found)],
            ),
            ModelError::InvalidOption(what) => tf("model_error.invalid_option", &[("what", what)]),
            ModelError::NotConverged {
                gradient,
                max_iterations,
            } => tf(
                "model_error.not_converged",
                &[
                    ("gradient", &format!("{gradient:e}")),
                    ("max_iterations", max_iterations),
                ],
            ),
            ModelError::Fit(cause) => tf("model_error.fit", &[("cause", cause)]),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for ModelError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ModelError::AtRow { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl ModelError {
    /// Attach the (0-based) row index to a per-row error.
    pub(crate) fn at_row(self, row: usize) -> ModelError {
        ModelError::AtRow {
            row,
            source: Box::new(self),
        }
    }
}

fn kind_text(kind: FeatureKind) -> &'static str {
    match kind {
        FeatureKind::Numeric => t("model_error.kind_numeric"),
        FeatureKind::Categorical => t("model_error.kind_categorical"),
    }
}
