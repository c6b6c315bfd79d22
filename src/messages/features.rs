//! Why a feature is refused (undocumented, or its text names a forbidden ground), in the
//! user's language.

use std::fmt;

use crate::domain::feature_governance::FeatureRefusal;
use crate::domain::feature_rules::CONFIGURED_GROUND;
use crate::i18n::{lookup, t, tf};

/// The ground of a term in the user's language (a configured term says so).
pub fn ground_label(ground: &str) -> String {
    if ground == CONFIGURED_GROUND {
        return t("model_error.ground_configured").to_owned();
    }
    lookup(&format!("feature_ground.{ground}"))
        .map(str::to_owned)
        .unwrap_or_else(|| ground.replace('_', " "))
}

impl fmt::Display for FeatureRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            FeatureRefusal::Undocumented { feature } => {
                tf("model_error.undocumented_feature", &[("feature", feature)])
            }
            FeatureRefusal::Forbidden {
                feature,
                field,
                found,
            } => tf(
                "model_error.forbidden_feature",
                &[
                    ("feature", feature),
                    ("field", &t(&format!("model_error.field_{field}"))),
                    ("term", &found.term),
                    ("ground", &ground_label(&found.ground)),
                ],
            ),
        };
        f.write_str(&text)
    }
}
