//! Errors of the model layer. Each message says what went wrong, where, and what to do about
//! it, because it usually ends up verbatim in front of an admin running `oordeel train`.

use thiserror::Error;

use super::FeatureKind;

#[derive(Debug, Error)]
pub enum ModelError {
    #[error("no features to train on: list at least one model feature in the profile")]
    NoFeatures,

    #[error(
        "feature `{name}` is listed twice: each feature may appear once in the model's feature list"
    )]
    DuplicateFeature { name: String },

    #[error(
        "feature `{name}` is a protected attribute and may never enter the model; \
         remove it from the model's feature list (protected attributes feed the fairness audit only)"
    )]
    ProtectedFeature { name: String },

    #[error("no training rows: import or generate households with known outcomes first")]
    NoRows,

    #[error("{rows} rows but {labels} labels: every training row needs exactly one outcome label")]
    LabelCount { rows: usize, labels: usize },

    #[error(
        "all {count} training labels are `{class}`: a model needs cases with and without the \
         outcome; add historical cases of the other outcome"
    )]
    SingleClass { class: bool, count: usize },

    #[error(
        "only {count} training cases have outcome `{class}`: at least 2 are needed so one can be \
         held out for testing; add more historical cases"
    )]
    TooFewOfClass { class: bool, count: usize },

    #[error("feature `{feature}` is missing: every row must carry every model feature")]
    MissingFeature { feature: String },

    #[error(
        "feature `{feature}` should be {} but holds {found}; fix the import profile or the data",
        kind_text(*.expected)
    )]
    WrongKind {
        feature: String,
        expected: FeatureKind,
        found: String,
    },

    #[error("feature `{feature}` holds {value}, which is not a finite number; fix the data")]
    NotFinite { feature: String, value: f64 },

    #[error("row {row}: {source}")]
    AtRow {
        row: usize,
        #[source]
        source: Box<ModelError>,
    },

    #[error(
        "a buffer of {found} values was given where the model needs {expected}; size it from \
         the model (`encoding.width()` for encoded columns, one per feature for contributions)"
    )]
    Width { expected: usize, found: usize },

    #[error("invalid training option: {0}")]
    InvalidOption(String),

    #[error(
        "the logistic regression did not converge (largest gradient per row {gradient:e} with \
         at most {max_iterations} iterations per run): raise max_iterations, or the L2 penalty \
         if some feature separates the outcomes perfectly"
    )]
    NotConverged { gradient: f64, max_iterations: u64 },

    #[error("logistic regression (linfa) failed: {0}; check the data for extreme values")]
    Fit(String),
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
        FeatureKind::Numeric => "a number",
        FeatureKind::Categorical => "a category (text)",
    }
}
