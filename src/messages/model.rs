//! What went wrong while training or scoring, in the user's language: it usually ends up
//! verbatim in front of an admin running `oordeel train`. The texts are under
//! `[model_error]` in `assets/strings.toml`.

use std::fmt;

use crate::i18n::{t, tf};
use crate::model::{FeatureKind, ModelError, UnreadableVersion};

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

fn kind_text(kind: FeatureKind) -> &'static str {
    match kind {
        FeatureKind::Numeric => t("model_error.kind_numeric"),
        FeatureKind::Categorical => t("model_error.kind_categorical"),
    }
}

impl fmt::Display for UnreadableVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = tf("cli.score.bad_model", &[("version", &self.version)]);
        write!(f, "{what}: {}", self.source)
    }
}

impl std::error::Error for UnreadableVersion {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}
