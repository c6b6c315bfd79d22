//! Why a pipeline step stopped, in the user's language.

use std::fmt;

use crate::i18n::tf;
use crate::pipeline::ScoreError;

impl fmt::Display for ScoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScoreError::Store(e) => e.fmt(f),
            ScoreError::Unreadable(e) => e.fmt(f),
            ScoreError::MissingFeature { feature, version } => f.write_str(&tf(
                "cli.score.missing_feature",
                &[("feature", feature), ("version", version)],
            )),
            ScoreError::Reference(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ScoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ScoreError::Store(e) => e.source(),
            ScoreError::Unreadable(e) => e.source(),
            ScoreError::MissingFeature { .. } => None,
            ScoreError::Reference(e) => e.source(),
        }
    }
}
