//! How good a model version is on the held-out part, overall and per group: the figures a
//! model card shows. Stored as JSON in `model_versions.evaluation` ([`Evaluation`]).
//!
//! Precision at capacity: a district team can take up `capacity_per_team` cases a month. The
//! held-out part is a `held_out_share` sample of the labelled cases, so a team's held-out
//! cases stand for its caseload scaled by that share, and the team takes up the top
//! `k = max(1, round(capacity_per_team * held_out_share))` of them by logit (ties by row order,
//! which is case order). Overall precision pools every team's top k; a group's precision is
//! the share of positives among the selected cases of that group.

use serde::{Deserialize, Serialize};

use super::calibration::CalibrationReport;
use crate::domain::fairness::DEFAULT_MIN_GROUP;
use crate::domain::metrics;

/// Layout version of [`Evaluation`], raised when a field changes meaning.
pub const EVALUATION_FORMAT: u32 = 1;

/// Number of equal-count bins of the reliability table.
pub const RELIABILITY_BINS: usize = 10;

/// A model version's held-out evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// [`EVALUATION_FORMAT`] at the time of writing.
    pub format: u32,
    /// Rows in the held-out (test) part.
    pub n_held_out: usize,
    /// Held-out rows as a share of all labelled rows.
    pub held_out_share: f64,
    /// Which calibration was chosen and the held-out log-loss of each candidate.
    pub calibration: CalibrationReport,
    /// Precision at the teams' capacity.
    pub capacity: CapacityPrecision,
    /// All held-out rows (group `"all"`).
    pub overall: GroupQuality,
    /// Per protected attribute, per value.
    pub by_attribute: Vec<AttributeQuality>,
}

/// Precision of each team's top k held-out cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CapacityPrecision {
    /// Cases a team can take up per month (settings key `capacity_per_team`).
    pub capacity_per_team: u32,
    /// Cases each team selects from its held-out cases: capacity scaled to the held-out share.
    pub k_per_team: usize,
    /// Cases selected over all teams, and how many of them had the outcome.
    pub selected: usize,
    pub selected_positives: usize,
    /// `selected_positives / selected` (pooled over teams); `None` when nothing was selected.
    pub precision: Option<f64>,
    /// Per team, by team name.
    pub teams: Vec<TeamPrecision>,
}

/// One team's precision at capacity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamPrecision {
    pub team: String,
    /// Held-out cases of the team, and positives among them.
    pub n: usize,
    pub positives: usize,
    /// Cases selected: `min(k_per_team, n)`.
    pub selected: usize,
    pub selected_positives: usize,
    /// `selected_positives / selected`.
    pub precision: Option<f64>,
}

/// The groups of one protected attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeQuality {
    /// `gender`, `age_band` or `migration_background`.
    pub attribute: String,
    /// One per value seen in the held-out part (`not_recorded` when missing), by value.
    pub groups: Vec<GroupQuality>,
}

/// Quality figures of a set of held-out rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupQuality {
    /// The value of the attribute, or `"all"`.
    pub group: String,
    /// Held-out rows in the group, and positives among them.
    pub n: usize,
    pub positives: usize,
    /// `None` for groups under 10 rows: counts only, like the fairness audit.
    pub metrics: Option<Quality>,
}

/// Figures of a group of at least 10 held-out rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Area under the ROC curve; `None` when the group has one outcome only.
    pub auc: Option<f64>,
    /// Mean squared error of the probabilities.
    pub brier: f64,
    /// Mean log-loss of the probabilities.
    pub log_loss: f64,
    /// Mean probability minus observed rate (positive: the model overestimates the group).
    pub calibration_gap: f64,
    /// Cases of the group among the teams' selections, and the share of them with the outcome.
    pub selected: usize,
    pub precision_at_capacity: Option<f64>,
    pub reliability: Reliability,
}

/// Reliability table: equal-count bins by predicted probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reliability {
    /// Up to 10 bins, lowest probabilities first; their `n` add up to the group's n.
    pub bins: Vec<ReliabilityBin>,
    /// Expected calibration error: sum over bins of `n_bin / n * |mean_predicted - observed|`.
    pub expected_calibration_error: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    /// Lowest and highest predicted probability in the bin.
    pub lower: f64,
    pub upper: f64,
    pub n: usize,
    pub mean_predicted: f64,
    /// Share of the bin's rows with the outcome.
    pub observed_rate: f64,
}

/// The held-out rows, aligned: entry `i` of every slice is the same row.
pub struct HeldOut<'a> {
    /// Ranking logits (ranking is by logit, never by the calibrated probability).
    pub logits: &'a [f64],
    /// Calibrated probabilities (`TrainedModel::probability`).
    pub probabilities: &'a [f64],
    pub labels: &'a [bool],
    /// The team (district) of each row.
    pub teams: &'a [String],
    /// Per protected attribute, its name and each row's value.
    pub attributes: &'a [(String, Vec<String>)],
}

/// Evaluate the held-out rows.
pub fn evaluate(
    rows: &HeldOut<'_>,
    held_out_share: f64,
    capacity_per_team: u32,
    calibration: CalibrationReport,
) -> Evaluation {
    let n = rows.labels.len();
    let k_per_team = ((f64::from(capacity_per_team) * held_out_share).round() as usize).max(1);
    let (capacity, selected) = select_at_capacity(rows, k_per_team, capacity_per_team);
    let all: Vec<usize> = (0..n).collect();
    let overall = group_quality("all", &all, rows, &selected);
    let by_attribute = rows
        .attributes
        .iter()
        .map(|(attribute, values)| {
            let mut names: Vec<&String> = values.iter().collect();
            names.sort();
            names.dedup();
            let groups = names
                .into_iter()
                .map(|name| {
                    let members: Vec<usize> = (0..n).filter(|&i| &values[i] == name).collect();
                    group_quality(name, &members, rows, &selected)
                })
                .collect();
            AttributeQuality {
                attribute: attribute.clone(),
                groups,
            }
        })
        .collect();
    Evaluation {
        format: EVALUATION_FORMAT,
        n_held_out: n,
        held_out_share,
        calibration,
        capacity,
        overall,
        by_attribute,
    }
}

/// Each team's top k by logit; returns the figures and, per row, whether it was selected.
fn select_at_capacity(
    rows: &HeldOut<'_>,
    k: usize,
    capacity_per_team: u32,
) -> (CapacityPrecision, Vec<bool>) {
    let mut teams: Vec<&String> = rows.teams.iter().collect();
    teams.sort();
    teams.dedup();
    let mut selected = vec![false; rows.labels.len()];
    let mut per_team = Vec::with_capacity(teams.len());
    for team in teams {
        let mut members: Vec<usize> = (0..rows.labels.len())
            .filter(|&i| &rows.teams[i] == team)
            .collect();
        // Highest logit first; a stable sort keeps row (case) order among ties.
        members.sort_by(|&a, &b| rows.logits[b].total_cmp(&rows.logits[a]));
        let top = &members[..k.min(members.len())];
        top.iter().for_each(|&i| selected[i] = true);
        let selected_positives = top.iter().filter(|&&i| rows.labels[i]).count();
        per_team.push(TeamPrecision {
            team: team.clone(),
            n: members.len(),
            positives: members.iter().filter(|&&i| rows.labels[i]).count(),
            selected: top.len(),
            selected_positives,
            precision: ratio(selected_positives, top.len()),
        });
    }
    let total: usize = per_team.iter().map(|t| t.selected).sum();
    let hits: usize = per_team.iter().map(|t| t.selected_positives).sum();
    let capacity = CapacityPrecision {
        capacity_per_team,
        k_per_team: k,
        selected: total,
        selected_positives: hits,
        precision: ratio(hits, total),
        teams: per_team,
    };
    (capacity, selected)
}

fn group_quality(
    group: &str,
    members: &[usize],
    rows: &HeldOut<'_>,
    selected: &[bool],
) -> GroupQuality {
    let labels: Vec<bool> = members.iter().map(|&i| rows.labels[i]).collect();
    let positives = labels.iter().filter(|&&l| l).count();
    let metrics = (members.len() >= DEFAULT_MIN_GROUP).then(|| {
        let p: Vec<f64> = members.iter().map(|&i| rows.probabilities[i]).collect();
        let picked: Vec<usize> = members.iter().copied().filter(|&i| selected[i]).collect();
        let auc = metrics::auc(&p, &labels);
        let mean_p = p.iter().sum::<f64>() / p.len() as f64;
        Quality {
            auc: auc.is_finite().then_some(auc),
            brier: metrics::brier(&p, &labels),
            log_loss: metrics::log_loss(&p, &labels),
            calibration_gap: mean_p - positives as f64 / labels.len() as f64,
            selected: picked.len(),
            precision_at_capacity: ratio(
                picked.iter().filter(|&&i| rows.labels[i]).count(),
                picked.len(),
            ),
            reliability: reliability(&p, &labels),
        }
    });
    GroupQuality {
        group: group.to_string(),
        n: members.len(),
        positives,
        metrics,
    }
}

/// Reliability deciles: rows sorted by probability (ties in row order), cut into
/// `min(10, n)` bins whose sizes differ by at most one.
pub fn reliability(probabilities: &[f64], labels: &[bool]) -> Reliability {
    let n = probabilities.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| probabilities[a].total_cmp(&probabilities[b]));
    let count = RELIABILITY_BINS.min(n);
    let mut bins = Vec::with_capacity(count);
    let mut ece = 0.0;
    for b in 0..count {
        let part = &order[b * n / count..(b + 1) * n / count];
        let p: Vec<f64> = part.iter().map(|&i| probabilities[i]).collect();
        let mean_predicted = p.iter().sum::<f64>() / p.len() as f64;
        let observed_rate = part.iter().filter(|&&i| labels[i]).count() as f64 / part.len() as f64;
        ece += part.len() as f64 / n as f64 * (mean_predicted - observed_rate).abs();
        bins.push(ReliabilityBin {
            lower: p[0],
            upper: p[p.len() - 1],
            n: part.len(),
            mean_predicted,
            observed_rate,
        });
    }
    Reliability {
        bins,
        expected_calibration_error: ece,
    }
}

fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}
