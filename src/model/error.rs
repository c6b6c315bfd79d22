//! Errors of the model layer, as facts; `messages::model` says each in the user's language
//! (what went wrong, where, and what to do about it).

use super::FeatureKind;

/// What went wrong while training or scoring.
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
