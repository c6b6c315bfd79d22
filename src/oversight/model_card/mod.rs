//! The model card (`oordeel report model`): what the model is for, what it was trained on,
//! which features it reads and on what grounds, how good and how well calibrated it is overall
//! and per group, whether its selection is fair, which features act as proxies, where it falls
//! short, and which human oversight surrounds it.
//!
//! [`ModelCard`] holds the facts (and is the JSON form); [`ModelCard::blocks`] turns them into
//! a [`document::Block`] list in the user's language, which [`document::to_text`] and
//! [`html::to_html`] lay out. The HTML version adds inline SVG charts ([`svg`]).

pub mod document;
pub mod html;
mod sections;
pub mod svg;

use serde::Serialize;

use crate::domain::fairness::FairnessReport;
use crate::model::{Evaluation, ProxyCheck};

pub use svg::ContributionRange;

/// Everything the card shows. Serialised as the card's JSON.
#[derive(Debug, Clone, Serialize)]
pub struct ModelCard {
    /// RFC 3339.
    pub generated_at: String,
    /// Whether the caseload is the synthetic demo.
    pub demo: bool,
    pub model: ModelFacts,
    pub features: Vec<FeatureFacts>,
    /// Held-out evaluation, overall and per group (absent for versions trained before it).
    pub evaluation: Option<Evaluation>,
    /// Every feature against every protected attribute (absent for older versions).
    pub proxy_check: Option<ProxyCheck>,
    /// The model's selection on the ranked cases, per migration background.
    pub fairness: Option<FairnessSection>,
    /// Probability histograms of the ranked cases per group of each protected attribute.
    pub score_distribution: Vec<GroupHistogram>,
    /// How far each feature moves the ranked cases' log-odds.
    pub contribution_ranges: Vec<ContributionRange>,
    pub oversight: OversightFacts,
    /// Where the labels came from, the correction for selective labels, the random arm's
    /// figures and the comparison with the version in use, in sentences (empty for versions
    /// trained before the learning loop).
    pub learning_loop: Vec<String>,
    /// Against the version that ranked the queue when this one was trained.
    pub comparison: Option<crate::model::labels::Comparison>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelFacts {
    pub version: i64,
    pub algorithm: String,
    pub trained_at: String,
    pub trained_by: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    /// Approved by its own trainer when the demo was set up (never in a real deployment).
    pub demo_shortcut: bool,
    pub training_data_hash: String,
    pub n_train: usize,
    pub n_test: usize,
    /// Share of positive labels over all labelled rows.
    pub positive_rate: f64,
    pub auc: f64,
    pub brier: f64,
    pub log_loss: f64,
    /// Whether this version ranked the current queue.
    pub in_use: bool,
    /// Cases ranked by the latest scoring run with this version.
    pub ranked_cases: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FeatureFacts {
    pub name: String,
    pub kind: String,
    pub description: Option<String>,
    pub source: Option<String>,
    pub legal_basis: Option<String>,
    pub approved_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FairnessSection {
    /// What "needed support" means in this audit (demo truth or recorded outcome).
    pub outcome: String,
    pub report: FairnessReport,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupHistogram {
    pub attribute: String,
    pub group: String,
    /// Cases per probability bin, equal bins over 0–1.
    pub counts: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OversightFacts {
    /// The four-eyes rules, in words.
    pub four_eyes: Vec<String>,
    pub decisions: i64,
    pub reviewers: i64,
    pub overrides: i64,
    /// The public key the log's checkpoints are signed with, when one was made.
    pub checkpoint_key: Option<String>,
}

impl ModelCard {
    /// The card's title in the current language.
    pub fn title(&self) -> String {
        crate::i18n::tf("card.title", &[("version", &self.model.version)])
    }
}

/// Quantiles of a sorted sample (nearest rank), for the contribution ranges.
pub fn range_of(feature: &str, sorted: &[f64]) -> Option<ContributionRange> {
    let last = sorted.len().checked_sub(1)?;
    let q = |p: f64| sorted[((p * last as f64).round() as usize).min(last)];
    Some(ContributionRange {
        feature: feature.to_string(),
        min: sorted[0],
        p5: q(0.05),
        median: q(0.5),
        p95: q(0.95),
        max: sorted[last],
    })
}
