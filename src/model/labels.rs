//! Where a model version's labels came from, how it corrects for selective labels, and how
//! it compares with the version in use. Stored as JSON in `model_versions.labels`
//! ([`LabelReport`]).
//!
//! **Selective labels.** An outcome is only known for a household someone contacted, so the
//! labels of the ranked cases say more about the old selection than about need. The hidden
//! random arm is a uniform sample of the scored cases whose outreach happens whatever the
//! reviewer decided (docs/model.md, "The learning loop"): its labels are the unbiased ones. Two
//! corrections use it:
//!
//! - [`Correction::RandomArmOnly`]: train on the arm's labelled cases alone, once there are
//!   enough of them ([`ARM_ONLY_MIN_CASES`], [`ARM_ONLY_MIN_EACH`]);
//! - [`Correction::InverseProbability`]: before that, every label is used, and each arm case
//!   counts `round(1 / share)` times: the inverse of its probability of being drawn, so the
//!   arm stands for the whole scored population it was drawn from, beside the (biased)
//!   ranked and history labels that stand only for themselves. It shrinks the bias; it
//!   cannot remove it.
//!
//! `--correction none` trains on every label as it is, for comparison.

use serde::{Deserialize, Serialize};

use super::evaluation::Evaluation;
use crate::domain::outcome::LabelSource;

/// Layout version of [`LabelReport`].
pub const LABELS_FORMAT: u32 = 1;

/// The arm alone trains the model from this many labelled arm cases...
pub const ARM_ONLY_MIN_CASES: usize = 200;
/// ...with at least this many of each outcome.
pub const ARM_ONLY_MIN_EACH: usize = 30;

/// How selective labels are corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Correction {
    /// Every label as it is.
    None,
    /// Every label; each random-arm case weighted by the inverse of its draw probability.
    InverseProbability,
    /// The random arm's labels only.
    RandomArmOnly,
}

impl Correction {
    pub fn as_code(self) -> &'static str {
        match self {
            Correction::None => "none",
            Correction::InverseProbability => "inverse_probability",
            Correction::RandomArmOnly => "random_arm_only",
        }
    }
}

/// Labelled cases and positives among them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub cases: usize,
    pub positives: usize,
}

/// Labels per source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sources {
    pub history: Count,
    pub ranked: Count,
    pub random: Count,
}

impl Sources {
    pub fn count(sources: &[LabelSource], labels: &[bool]) -> Sources {
        let mut s = Sources::default();
        for (source, &label) in sources.iter().zip(labels) {
            let c = match source {
                LabelSource::History => &mut s.history,
                LabelSource::Ranked => &mut s.ranked,
                LabelSource::Random => &mut s.random,
            };
            c.cases += 1;
            c.positives += usize::from(label);
        }
        s
    }

    fn arm_is_enough(&self) -> bool {
        let arm = self.random;
        arm.cases >= ARM_ONLY_MIN_CASES
            && arm.positives >= ARM_ONLY_MIN_EACH
            && arm.cases - arm.positives >= ARM_ONLY_MIN_EACH
    }
}

/// The correction `auto` picks: the arm alone when it is large enough, weighting while it
/// has labels at all, none before.
pub fn choose(requested: Option<Correction>, sources: &Sources) -> Correction {
    requested.unwrap_or(if sources.arm_is_enough() {
        Correction::RandomArmOnly
    } else if sources.random.cases > 0 {
        Correction::InverseProbability
    } else {
        Correction::None
    })
}

/// The rows a correction trains on (indices, ascending) and each one's whole-number weight.
pub fn rows_and_weights(
    correction: Correction,
    sources: &[LabelSource],
    arm_share: f64,
) -> (Vec<usize>, Vec<u32>) {
    let arm_weight = arm_weight(arm_share);
    let mut rows = Vec::new();
    let mut weights = Vec::new();
    for (i, &source) in sources.iter().enumerate() {
        let weight = match (correction, source) {
            (Correction::RandomArmOnly, LabelSource::Random) => 1,
            (Correction::RandomArmOnly, _) => continue,
            (Correction::InverseProbability, LabelSource::Random) => arm_weight,
            _ => 1,
        };
        rows.push(i);
        weights.push(weight);
    }
    (rows, weights)
}

/// `round(1 / share)`, at least 1: the copies of an arm case under inverse weighting.
pub fn arm_weight(share: f64) -> u32 {
    if share > 0.0 {
        ((1.0 / share).round() as u32).max(1)
    } else {
        1
    }
}

/// Quality on a set of labelled cases.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SetQuality {
    pub n: usize,
    pub positives: usize,
    /// `None` with one outcome only.
    pub auc: Option<f64>,
    pub brier: f64,
    pub log_loss: f64,
    /// `None` when no row was selected at capacity.
    pub precision_at_capacity: Option<f64>,
}

impl SetQuality {
    pub fn from_evaluation(e: &Evaluation) -> Option<SetQuality> {
        let m = e.overall.metrics.as_ref()?;
        Some(SetQuality {
            n: e.overall.n,
            positives: e.overall.positives,
            auc: m.auc,
            brier: m.brier,
            log_loss: m.log_loss,
            precision_at_capacity: e.capacity.precision,
        })
    }
}

/// A group's share of the selection at capacity against everyone's: outside
/// [`DISPARITY_BAND`] it is flagged, as in the fairness audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disparity {
    pub attribute: String,
    pub group: String,
    /// Selection rate of the group divided by the selection rate of all.
    pub ratio: f64,
}

/// The four-fifths band of the fairness audit.
pub const DISPARITY_BAND: (f64, f64) = (0.8, 1.25);

/// Groups (of at least 10 rows) selected outside the band.
pub fn disparities(e: &Evaluation) -> Vec<Disparity> {
    let all = e.overall.n.max(1) as f64;
    let overall_rate = e.capacity.selected as f64 / all;
    let mut out = Vec::new();
    if overall_rate <= 0.0 {
        return out;
    }
    for a in &e.by_attribute {
        for g in &a.groups {
            let Some(m) = &g.metrics else { continue };
            let ratio = (m.selected as f64 / g.n as f64) / overall_rate;
            if ratio < DISPARITY_BAND.0 || ratio > DISPARITY_BAND.1 {
                out.push(Disparity {
                    attribute: a.attribute.clone(),
                    group: g.group.clone(),
                    ratio,
                });
            }
        }
    }
    out
}

/// Two versions on the same cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SideBySide {
    pub champion: SetQuality,
    pub challenger: SetQuality,
    pub champion_disparities: Vec<Disparity>,
    pub challenger_disparities: Vec<Disparity>,
}

/// How much worse a figure must be to count as worse: below what three decimals show.
pub const WORSE_BY: f64 = 0.0005;

impl SideBySide {
    /// The figures on which the challenger is worse: `auc`, `brier`, `log_loss`,
    /// `precision_at_capacity`.
    pub fn worse(&self) -> Vec<&'static str> {
        let (a, b) = (&self.champion, &self.challenger);
        let mut out = Vec::new();
        if let (Some(x), Some(y)) = (a.auc, b.auc)
            && y < x - WORSE_BY
        {
            out.push("auc");
        }
        if b.brier > a.brier + WORSE_BY {
            out.push("brier");
        }
        if b.log_loss > a.log_loss + WORSE_BY {
            out.push("log_loss");
        }
        if let (Some(x), Some(y)) = (a.precision_at_capacity, b.precision_at_capacity)
            && y < x - WORSE_BY
        {
            out.push("precision_at_capacity");
        }
        out
    }

    /// Disparities the challenger flags that the champion did not.
    pub fn new_disparities(&self) -> Vec<&Disparity> {
        self.challenger_disparities
            .iter()
            .filter(|d| {
                !self
                    .champion_disparities
                    .iter()
                    .any(|c| c.attribute == d.attribute && c.group == d.group)
            })
            .collect()
    }
}

/// A challenger against the champion: on the held-out cases neither was fitted on, and on
/// the random arm's among them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub champion: i64,
    pub challenger: i64,
    /// `None` when fewer than 10 such cases, or one outcome only.
    pub held_out: Option<SideBySide>,
    pub random_arm: Option<SideBySide>,
    /// Why a part is missing, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
    /// On the demo: both against the hidden truth, champion first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truth: Option<[TruthCheck; 2]>,
}

impl Comparison {
    /// Worse anywhere, or a disparity the champion did not have: approval then needs a
    /// typed confirmation.
    pub fn needs_confirmation(&self) -> bool {
        [&self.held_out, &self.random_arm]
            .into_iter()
            .flatten()
            .any(|s| !s.worse().is_empty() || !s.new_disparities().is_empty())
    }
}

/// The demo's hidden truth against a model, on every case of the current month (decided or
/// not): what no real municipality can know.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TruthCheck {
    pub n: usize,
    /// Share of the cases that truly need help.
    pub true_rate: f64,
    pub mean_predicted: f64,
    pub auc: f64,
    pub expected_calibration_error: f64,
}

/// Everything `model_versions.labels` says about a version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelReport {
    pub format: u32,
    pub sources: Sources,
    pub correction: Correction,
    /// The arm's share of the scored cases, and the weight of an arm case under
    /// [`Correction::InverseProbability`].
    pub arm_share: f64,
    pub arm_weight: u32,
    /// Labelled cases the fit used (before weighting).
    pub used: usize,
    /// On the held-out random-arm cases: the one unbiased estimate of quality on everyone.
    pub random_arm: Option<SetQuality>,
    /// Random-arm cases of the held-out part (fewer than 10: no figures).
    pub random_arm_held_out: usize,
    pub truth: Option<TruthCheck>,
    /// Against the version that ranked the queue when this one was trained.
    pub comparison: Option<Comparison>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use LabelSource::*;

    #[test]
    fn auto_weights_a_small_arm_and_trains_on_a_large_one_alone() {
        let small = Sources {
            random: Count {
                cases: 40,
                positives: 12,
            },
            ..Sources::default()
        };
        assert_eq!(choose(None, &small), Correction::InverseProbability);
        let large = Sources {
            random: Count {
                cases: 400,
                positives: 120,
            },
            ..Sources::default()
        };
        assert_eq!(choose(None, &large), Correction::RandomArmOnly);
        assert_eq!(choose(None, &Sources::default()), Correction::None);
        assert_eq!(choose(Some(Correction::None), &large), Correction::None);
    }

    #[test]
    fn arm_cases_count_as_often_as_the_inverse_of_their_share() {
        let sources = [History, Random, Ranked, Random];
        let (rows, weights) = rows_and_weights(Correction::InverseProbability, &sources, 0.05);
        assert_eq!(rows, vec![0, 1, 2, 3]);
        assert_eq!(weights, vec![1, 20, 1, 20]);
        let (rows, weights) = rows_and_weights(Correction::RandomArmOnly, &sources, 0.05);
        assert_eq!((rows, weights), (vec![1, 3], vec![1, 1]));
        let (_, weights) = rows_and_weights(Correction::None, &sources, 0.05);
        assert_eq!(weights, vec![1; 4]);
    }
}
