//! The reproduction check of `explain`: recompute a case's stored score from its features and
//! the stored model version, and say whether every bit is the same, or precisely what is not.

use color_eyre::eyre::Result;
use serde_json::{Value, json};

use crate::domain::feature_hash::spec_hash;
use crate::i18n::{t, tf};
use crate::model::{Difference, Recorded, Reproduction, reproduce};
use crate::store::Store;

/// What `explain` found when it recomputed a score.
pub struct Check {
    pub version: i64,
    /// The hash stored with the score; empty when it was not recorded (before schema 3).
    pub recorded_hash: String,
    pub reproduction: Reproduction,
    /// `Some(false)` when the stored specification is not the one that was approved;
    /// `None` when no approval with a specification hash is logged.
    pub model_as_approved: Option<bool>,
}

impl Check {
    /// A finding: the score does not reproduce, or the model is not the approved one.
    pub fn failed(&self) -> bool {
        !self.reproduction.reproduced() || self.model_as_approved == Some(false)
    }

    /// The fields `explain --format json` adds.
    pub fn json(&self) -> Value {
        let differences: Vec<Value> = self
            .reproduction
            .differences
            .iter()
            .map(difference_json)
            .collect();
        json!({
            "features_hash": (!self.recorded_hash.is_empty()).then_some(&self.recorded_hash),
            "features_hash_now": self.reproduction.features_hash,
            "reproduced": self.reproduction.reproduced(),
            "model_as_approved": self.model_as_approved,
            "differences": differences,
        })
    }

    /// Lines for people: one verdict, then each difference.
    pub fn lines(&self) -> Vec<String> {
        let r = &self.reproduction;
        let short = |h: &str| h.chars().take(16).collect::<String>();
        let mut out = Vec::new();
        if r.reproduced() && self.recorded_hash.is_empty() {
            out.push(tf(
                "cli.explain.reproduced_unhashed",
                &[("version", &self.version)],
            ));
        } else if r.reproduced() {
            out.push(tf(
                "cli.explain.reproduced",
                &[
                    ("version", &self.version),
                    ("hash", &short(&r.features_hash)),
                ],
            ));
        } else {
            out.push(t("cli.explain.not_reproduced").to_owned());
            let features_changed = r
                .differences
                .iter()
                .any(|d| matches!(d, Difference::FeaturesChanged { .. }));
            let numbers_differ = r.differences.iter().any(|d| {
                matches!(
                    d,
                    Difference::Logit { .. }
                        | Difference::Probability { .. }
                        | Difference::Contribution { .. }
                        | Difference::ContributionCount { .. }
                )
            });
            if numbers_differ && !features_changed {
                let key = if self.recorded_hash.is_empty() {
                    "cli.explain.numbers_differ"
                } else {
                    "cli.explain.model_differs"
                };
                out.push(format!("  {}", tf(key, &[("version", &self.version)])));
            }
            for d in &r.differences {
                out.push(format!("  - {}", difference_text(d)));
            }
        }
        if self.model_as_approved == Some(false) {
            out.push(tf(
                "cli.explain.spec_changed",
                &[("version", &self.version)],
            ));
        }
        out
    }
}

/// Recomputes the latest stored score of `case_id`; `None` when it was never scored.
pub fn check(store: &Store, case_id: i64) -> Result<Option<Check>> {
    let Some(recorded) = store.recorded_score(case_id)? else {
        return Ok(None);
    };
    let stored = store.model_version(recorded.model_version)?;
    let model = stored.model()?;
    let reproduction = reproduce(
        &model,
        &recorded.features,
        &Recorded {
            logit: recorded.logit,
            probability: recorded.probability,
            contributions: &recorded.contributions,
            features_hash: &recorded.features_hash,
        },
    );
    let model_as_approved = store
        .approvals()?
        .remove(&stored.version)
        .filter(|a| !a.spec_hash.is_empty())
        .map(|a| a.spec_hash == spec_hash(&stored.spec));
    Ok(Some(Check {
        version: stored.version,
        recorded_hash: recorded.features_hash,
        reproduction,
        model_as_approved,
    }))
}

fn difference_text(d: &Difference) -> String {
    let pair = |key: &str, what: &str, recorded: f64, now: f64| {
        tf(
            key,
            &[
                ("what", &what),
                ("recorded", &format!("{recorded:?}")),
                ("now", &format!("{now:?}")),
            ],
        )
    };
    match d {
        Difference::FeaturesChanged { recorded, now } => tf(
            "cli.explain.features_changed",
            &[("recorded", recorded), ("now", now)],
        ),
        Difference::FeatureMissing(name) => tf("cli.explain.feature_missing", &[("feature", name)]),
        Difference::Unscorable(what) => tf("cli.explain.unscorable", &[("what", what)]),
        Difference::Logit { recorded, now } => {
            pair("cli.explain.differs", "logit", *recorded, *now)
        }
        Difference::Probability { recorded, now } => pair(
            "cli.explain.differs",
            t("cli.explain.chance"),
            *recorded,
            *now,
        ),
        Difference::Contribution {
            feature,
            recorded,
            now,
        } => pair("cli.explain.differs", feature, *recorded, *now),
        Difference::ContributionCount { recorded, now } => tf(
            "cli.explain.count_differs",
            &[("recorded", recorded), ("now", now)],
        ),
    }
}

fn difference_json(d: &Difference) -> Value {
    match d {
        Difference::FeaturesChanged { recorded, now } => {
            json!({ "kind": "features_changed", "recorded": recorded, "now": now })
        }
        Difference::FeatureMissing(name) => json!({ "kind": "feature_missing", "feature": name }),
        Difference::Unscorable(what) => json!({ "kind": "unscorable", "reason": what }),
        Difference::Logit { recorded, now } => {
            json!({ "kind": "logit", "recorded": recorded, "now": now })
        }
        Difference::Probability { recorded, now } => {
            json!({ "kind": "probability", "recorded": recorded, "now": now })
        }
        Difference::Contribution {
            feature,
            recorded,
            now,
        } => {
            json!({ "kind": "contribution", "feature": feature, "recorded": recorded, "now": now })
        }
        Difference::ContributionCount { recorded, now } => {
            json!({ "kind": "contribution_count", "recorded": recorded, "now": now })
        }
    }
}
