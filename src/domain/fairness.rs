//! Fairness audit of a ranking: how selection and its errors fall across groups of a
//! protected attribute (and intersections of several), as Fairlearn and Aequitas define them.
//!
//! A row is "selected" when the cutoff picks it (the model flags it for support); the outcome
//! is what turned out to be true (support was needed). Per group, with TP, FP, TN, FN counted
//! from selected versus outcome:
//!
//! - selection rate = (TP + FP) / n
//! - share of all selected = group's selected / all selected (Aequitas `ppr`)
//! - TPR = TP / (TP + FN), FNR = FN / (TP + FN) = 1 - TPR
//! - FPR = FP / (FP + TN)
//! - PPV = TP / (TP + FP), FDR = FP / (TP + FP) = 1 - PPV
//! - FOR = FN / (FN + TN)
//! - AUC = chance that a random positive scores above a random negative, ties half
//!
//! A rate whose denominator is zero is undefined and is `None`, never NaN.
//!
//! Nothing here performs I/O: reading a caseload and printing the report live in
//! `commands`.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::model::metrics;

/// Joins the values of several attributes into one intersectional group key.
pub const INTERSECTION_SEPARATOR: &str = " × ";

/// Groups with fewer rows than this are not shown (see [`AuditOptions::min_group`]).
pub const DEFAULT_MIN_GROUP: usize = 10;

/// A disparity ratio inside this closed band is not flagged (the "four-fifths" band of
/// Aequitas: 0.8 and its reciprocal 1.25).
pub const DISPARITY_BAND: (f64, f64) = (0.8, 1.25);

/// One audited case.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    /// The value of each protected attribute, in the order the attributes were named.
    pub groups: Vec<String>,
    /// Whether support turned out to be needed (the label).
    pub outcome: bool,
    /// The model's score: higher means more need.
    pub score: f64,
}

impl AuditRow {
    /// The row's group key: the attribute values joined by [`INTERSECTION_SEPARATOR`],
    /// e.g. `"female × 30-39"`.
    pub fn key(&self) -> String {
        self.groups.join(INTERSECTION_SEPARATOR)
    }
}

/// Which rows count as selected.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Cutoff {
    /// Selected when score >= the threshold.
    Threshold(f64),
    /// The K highest scores; equal scores in input order (the earlier row first).
    TopK(usize),
    /// The highest P percent: K = ceil(n * P / 100), then as [`Cutoff::TopK`].
    TopPercent(f64),
}

impl Cutoff {
    /// Selection flag per score, in input order.
    pub fn select(&self, scores: &[f64]) -> Vec<bool> {
        match *self {
            Cutoff::Threshold(t) => scores.iter().map(|&s| s >= t).collect(),
            Cutoff::TopK(k) => top_k(scores, k),
            Cutoff::TopPercent(p) => {
                let k = (scores.len() as f64 * p.clamp(0.0, 100.0) / 100.0).ceil() as usize;
                top_k(scores, k)
            }
        }
    }
}

fn top_k(scores: &[f64], k: usize) -> Vec<bool> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    // Stable sort: equal scores keep input order.
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut selected = vec![false; scores.len()];
    for &i in order.iter().take(k) {
        selected[i] = true;
    }
    selected
}

/// Confusion counts of selected versus outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Confusion {
    pub tp: usize,
    pub fp: usize,
    pub tn: usize,
    pub fn_: usize,
}

impl Confusion {
    fn add(&mut self, selected: bool, outcome: bool) {
        match (selected, outcome) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, false) => self.tn += 1,
            (false, true) => self.fn_ += 1,
        }
    }

    pub fn count(&self) -> usize {
        self.tp + self.fp + self.tn + self.fn_
    }

    pub fn selected(&self) -> usize {
        self.tp + self.fp
    }

    /// The rates of this table; each `None` when its denominator is zero.
    pub fn rates(&self) -> Rates {
        Rates {
            selection_rate: ratio(self.selected(), self.count()),
            tpr: ratio(self.tp, self.tp + self.fn_),
            fpr: ratio(self.fp, self.fp + self.tn),
            fnr: ratio(self.fn_, self.tp + self.fn_),
            ppv: ratio(self.tp, self.tp + self.fp),
            fdr: ratio(self.fp, self.tp + self.fp),
            false_omission_rate: ratio(self.fn_, self.fn_ + self.tn),
        }
    }
}

/// `numerator / denominator`, `None` when the denominator is zero.
pub fn ratio(numerator: usize, denominator: usize) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

/// The rates that get a disparity and a confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rate {
    SelectionRate,
    Tpr,
    Fpr,
    Fnr,
    Ppv,
    Fdr,
    FalseOmissionRate,
}

impl Rate {
    pub const ALL: [Rate; 7] = [
        Rate::SelectionRate,
        Rate::Tpr,
        Rate::Fpr,
        Rate::Fnr,
        Rate::Ppv,
        Rate::Fdr,
        Rate::FalseOmissionRate,
    ];

    /// Short name as used in reports and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Rate::SelectionRate => "selection_rate",
            Rate::Tpr => "tpr",
            Rate::Fpr => "fpr",
            Rate::Fnr => "fnr",
            Rate::Ppv => "ppv",
            Rate::Fdr => "fdr",
            Rate::FalseOmissionRate => "for",
        }
    }
}

/// The rates of one group (definitions in the module documentation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Rates {
    pub selection_rate: Option<f64>,
    pub tpr: Option<f64>,
    pub fpr: Option<f64>,
    pub fnr: Option<f64>,
    pub ppv: Option<f64>,
    pub fdr: Option<f64>,
    #[serde(rename = "for")]
    pub false_omission_rate: Option<f64>,
}

impl Rates {
    pub fn get(&self, rate: Rate) -> Option<f64> {
        match rate {
            Rate::SelectionRate => self.selection_rate,
            Rate::Tpr => self.tpr,
            Rate::Fpr => self.fpr,
            Rate::Fnr => self.fnr,
            Rate::Ppv => self.ppv,
            Rate::Fdr => self.fdr,
            Rate::FalseOmissionRate => self.false_omission_rate,
        }
    }
}

/// A percentile bootstrap confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// Everything reported for one (unsuppressed) group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupMetrics {
    pub key: String,
    pub count: usize,
    pub selected: usize,
    pub confusion: Confusion,
    /// The group's selected / all selected rows (including suppressed groups').
    pub share_of_selected: Option<f64>,
    pub rates: Rates,
    /// AUC of the scores within the group; `None` when the group lacks either outcome.
    pub auc: Option<f64>,
    /// Bootstrap interval per rate; absent when the rate is undefined in every resample or
    /// no resampling was asked for.
    pub intervals: BTreeMap<Rate, Interval>,
}

/// Disparity of one rate of one group against the reference group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Disparity {
    pub rate: Rate,
    /// group's rate / reference group's rate; `None` when either is undefined or the
    /// reference's rate is zero.
    pub ratio: Option<f64>,
    /// True when `ratio` lies outside [`DISPARITY_BAND`].
    pub flagged: bool,
}

/// Disparities of one group against the reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupDisparity {
    pub key: String,
    pub disparities: Vec<Disparity>,
}

/// Group-spread figures over the shown groups, as Fairlearn computes them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Summary {
    /// max - min of the groups' selection rates.
    pub demographic_parity_difference: Option<f64>,
    /// min / max of the groups' selection rates.
    pub demographic_parity_ratio: Option<f64>,
    /// max(TPR spread, FPR spread), each spread being max - min over the groups.
    pub equalized_odds_difference: Option<f64>,
    /// min(TPR min/max, FPR min/max).
    pub equalized_odds_ratio: Option<f64>,
}

/// How to audit.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditOptions {
    pub cutoff: Cutoff,
    /// Group key to compare against; by default the largest shown group (first key in
    /// sorted order on a tie).
    pub reference: Option<String>,
    /// Groups with fewer rows are suppressed.
    pub min_group: usize,
    /// Bootstrap resamples per group; 0 skips the intervals.
    pub resamples: usize,
    /// Confidence level of the intervals, e.g. 0.95.
    pub confidence: f64,
    pub seed: u64,
}

impl AuditOptions {
    /// Defaults: groups under 10 suppressed, 1,000 resamples, 95 %, seed 0.
    pub fn new(cutoff: Cutoff) -> Self {
        AuditOptions {
            cutoff,
            reference: None,
            min_group: DEFAULT_MIN_GROUP,
            resamples: 1000,
            confidence: 0.95,
            seed: 0,
        }
    }
}

/// Why an audit cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FairnessError {
    #[error("no rows to audit")]
    Empty,
    #[error("no group has at least {0} rows; all are suppressed")]
    AllSuppressed(usize),
    #[error("reference group {0:?} is not among the shown groups")]
    UnknownReference(String),
    #[error("score is not a finite number at row {0}")]
    BadScore(usize),
}

/// The audit.
///
/// Suppression: groups with fewer than `min_group` rows are left out of `groups`, of the
/// group-spread `summary` and of the disparities (their figures are too noisy and could
/// identify people), but their rows still count in `total`, `selected`,
/// `overall_selection_rate`, `overall_auc` and in the denominator of every group's
/// `share_of_selected`. `suppressed_groups` and `suppressed_rows` say how much was left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FairnessReport {
    pub cutoff: Cutoff,
    pub total: usize,
    pub selected: usize,
    pub overall_selection_rate: Option<f64>,
    pub overall_auc: Option<f64>,
    /// Shown groups, in sorted key order.
    pub groups: Vec<GroupMetrics>,
    pub suppressed_groups: usize,
    pub suppressed_rows: usize,
    pub summary: Summary,
    pub reference: String,
    /// Per shown group (the reference included), each rate against the reference.
    pub disparities: Vec<GroupDisparity>,
}

impl FairnessReport {
    pub fn group(&self, key: &str) -> Option<&GroupMetrics> {
        self.groups.iter().find(|g| g.key == key)
    }
}

/// Audits `rows` under `options`.
pub fn audit(rows: &[AuditRow], options: &AuditOptions) -> Result<FairnessReport, FairnessError> {
    if rows.is_empty() {
        return Err(FairnessError::Empty);
    }
    if let Some(i) = rows.iter().position(|r| !r.score.is_finite()) {
        return Err(FairnessError::BadScore(i + 1));
    }
    let scores: Vec<f64> = rows.iter().map(|r| r.score).collect();
    let outcomes: Vec<bool> = rows.iter().map(|r| r.outcome).collect();
    let selected = options.cutoff.select(&scores);
    let total_selected = selected.iter().filter(|&&s| s).count();

    // Row indices per group key, keys sorted.
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        members.entry(row.key()).or_default().push(i);
    }

    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut groups = Vec::new();
    let (mut suppressed_groups, mut suppressed_rows) = (0, 0);
    for (key, idx) in &members {
        if idx.len() < options.min_group {
            suppressed_groups += 1;
            suppressed_rows += idx.len();
            continue;
        }
        let mut confusion = Confusion::default();
        for &i in idx {
            confusion.add(selected[i], outcomes[i]);
        }
        let group_scores: Vec<f64> = idx.iter().map(|&i| scores[i]).collect();
        let group_outcomes: Vec<bool> = idx.iter().map(|&i| outcomes[i]).collect();
        let pairs: Vec<(bool, bool)> = idx.iter().map(|&i| (selected[i], outcomes[i])).collect();
        groups.push(GroupMetrics {
            key: key.clone(),
            count: idx.len(),
            selected: confusion.selected(),
            confusion,
            share_of_selected: ratio(confusion.selected(), total_selected),
            rates: confusion.rates(),
            auc: defined(metrics::auc(&group_scores, &group_outcomes)),
            intervals: bootstrap(&pairs, options.resamples, options.confidence, &mut rng),
        });
    }
    if groups.is_empty() {
        return Err(FairnessError::AllSuppressed(options.min_group));
    }

    let reference = match &options.reference {
        Some(r) if groups.iter().any(|g| &g.key == r) => r.clone(),
        Some(r) => return Err(FairnessError::UnknownReference(r.clone())),
        // max_by_key keeps the last maximum; iterate reversed so the first key wins a tie.
        None => groups
            .iter()
            .rev()
            .max_by_key(|g| g.count)
            .map(|g| g.key.clone())
            .unwrap_or_default(),
    };
    let reference_rates = groups
        .iter()
        .find(|g| g.key == reference)
        .map(|g| g.rates)
        .unwrap_or_default();
    let disparities = groups
        .iter()
        .map(|g| GroupDisparity {
            key: g.key.clone(),
            disparities: disparity(&g.rates, &reference_rates),
        })
        .collect();

    Ok(FairnessReport {
        cutoff: options.cutoff,
        total: rows.len(),
        selected: total_selected,
        overall_selection_rate: ratio(total_selected, rows.len()),
        overall_auc: defined(metrics::auc(&scores, &outcomes)),
        summary: summary(&groups),
        groups,
        suppressed_groups,
        suppressed_rows,
        reference,
        disparities,
    })
}

fn defined(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Each rate of `rates` against `reference`, flagged outside [`DISPARITY_BAND`].
pub fn disparity(rates: &Rates, reference: &Rates) -> Vec<Disparity> {
    Rate::ALL
        .iter()
        .map(|&rate| {
            let ratio = match (rates.get(rate), reference.get(rate)) {
                (Some(v), Some(r)) if r != 0.0 => Some(v / r),
                _ => None,
            };
            let flagged = ratio.is_some_and(|x| x < DISPARITY_BAND.0 || x > DISPARITY_BAND.1);
            Disparity {
                rate,
                ratio,
                flagged,
            }
        })
        .collect()
}

/// (max - min, min / max) of the defined values; ratio `None` when max is 0.
fn spread(values: impl Iterator<Item = Option<f64>>) -> (Option<f64>, Option<f64>) {
    let defined: Vec<f64> = values.flatten().collect();
    if defined.is_empty() {
        return (None, None);
    }
    let min = defined.iter().copied().fold(f64::INFINITY, f64::min);
    let max = defined.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (Some(max - min), (max != 0.0).then(|| min / max))
}

/// Fairlearn's between-groups figures over `groups`; groups with an undefined rate are
/// skipped for that rate.
pub fn summary(groups: &[GroupMetrics]) -> Summary {
    let (dp_diff, dp_ratio) = spread(groups.iter().map(|g| g.rates.selection_rate));
    let (tpr_diff, tpr_ratio) = spread(groups.iter().map(|g| g.rates.tpr));
    let (fpr_diff, fpr_ratio) = spread(groups.iter().map(|g| g.rates.fpr));
    let both = |a: Option<f64>, b: Option<f64>, f: fn(f64, f64) -> f64| match (a, b) {
        (Some(a), Some(b)) => Some(f(a, b)),
        (a, b) => a.or(b),
    };
    Summary {
        demographic_parity_difference: dp_diff,
        demographic_parity_ratio: dp_ratio,
        equalized_odds_difference: both(tpr_diff, fpr_diff, f64::max),
        equalized_odds_ratio: both(tpr_ratio, fpr_ratio, f64::min),
    }
}

/// Percentile bootstrap of every rate of one group: resample its (selected, outcome) pairs
/// with replacement `resamples` times, keep the selection fixed, and take the
/// (1 - confidence) / 2 and (1 + confidence) / 2 quantiles (linear interpolation, as
/// NumPy's default) of the resamples where the rate is defined.
fn bootstrap(
    pairs: &[(bool, bool)],
    resamples: usize,
    confidence: f64,
    rng: &mut ChaCha8Rng,
) -> BTreeMap<Rate, Interval> {
    let mut draws: BTreeMap<Rate, Vec<f64>> = BTreeMap::new();
    if pairs.is_empty() {
        return BTreeMap::new();
    }
    for _ in 0..resamples {
        let mut confusion = Confusion::default();
        for _ in 0..pairs.len() {
            let (s, o) = pairs[rng.gen_range(0..pairs.len())];
            confusion.add(s, o);
        }
        let rates = confusion.rates();
        for rate in Rate::ALL {
            if let Some(v) = rates.get(rate) {
                draws.entry(rate).or_default().push(v);
            }
        }
    }
    let alpha = (1.0 - confidence.clamp(0.0, 1.0)) / 2.0;
    draws
        .into_iter()
        .map(|(rate, mut values)| {
            values.sort_by(f64::total_cmp);
            (
                rate,
                Interval {
                    low: quantile(&values, alpha),
                    high: quantile(&values, 1.0 - alpha),
                },
            )
        })
        .collect()
}

/// Quantile `q` of sorted, non-empty `values`, interpolating linearly between neighbours.
fn quantile(values: &[f64], q: f64) -> f64 {
    let position = q * (values.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    values[below] + (values[above] - values[below]) * (position - below as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(groups: &[&str], outcome: bool, score: f64) -> AuditRow {
        AuditRow {
            groups: groups.iter().map(|g| g.to_string()).collect(),
            outcome,
            score,
        }
    }

    fn options(cutoff: Cutoff) -> AuditOptions {
        AuditOptions {
            resamples: 0,
            ..AuditOptions::new(cutoff)
        }
    }

    #[test]
    fn undefined_rates_are_none_not_nan() {
        // No positives: TPR and FNR are 0/0. Nobody selected: PPV and FDR are 0/0.
        let c = Confusion {
            tp: 0,
            fp: 0,
            tn: 5,
            fn_: 0,
        };
        let r = c.rates();
        assert_eq!(r.selection_rate, Some(0.0));
        assert_eq!((r.tpr, r.fnr, r.ppv, r.fdr), (None, None, None, None));
        assert_eq!(r.fpr, Some(0.0));
        assert_eq!(r.false_omission_rate, Some(0.0));
        assert_eq!(Confusion::default().rates(), Rates::default());

        let rows: Vec<AuditRow> = (0..12)
            .map(|i| row(&["a"], false, i as f64 / 100.0))
            .collect();
        let report = audit(&rows, &options(Cutoff::Threshold(0.5))).unwrap();
        let g = report.group("a").unwrap();
        assert_eq!(g.rates.tpr, None);
        assert_eq!(g.auc, None);
        assert_eq!(g.share_of_selected, None);
        assert_eq!(report.overall_auc, None);
    }

    #[test]
    fn small_groups_are_suppressed_but_still_counted_overall() {
        let mut rows: Vec<AuditRow> = (0..10).map(|i| row(&["big"], i % 2 == 0, 0.1)).collect();
        rows.extend((0..9).map(|_| row(&["small"], true, 0.9)));
        let report = audit(&rows, &options(Cutoff::Threshold(0.5))).unwrap();
        assert_eq!(report.groups.len(), 1);
        assert!(report.group("small").is_none());
        assert_eq!((report.suppressed_groups, report.suppressed_rows), (1, 9));
        assert_eq!((report.total, report.selected), (19, 9));
        assert_eq!(report.overall_selection_rate, Some(9.0 / 19.0));
        // The shown group's share counts the suppressed group's selections.
        assert_eq!(report.group("big").unwrap().share_of_selected, Some(0.0));
        assert!(report.disparities.iter().all(|d| d.key != "small"));
        assert_eq!(
            audit(
                &rows,
                &AuditOptions {
                    reference: Some("small".into()),
                    ..options(Cutoff::TopK(3))
                }
            ),
            Err(FairnessError::UnknownReference("small".into()))
        );
        let few: Vec<AuditRow> = rows
            .iter()
            .filter(|r| r.groups[0] == "small")
            .cloned()
            .collect();
        assert_eq!(
            audit(&few, &options(Cutoff::TopK(1))),
            Err(FairnessError::AllSuppressed(10))
        );
    }

    #[test]
    fn intersections_join_attribute_values() {
        let mut rows = Vec::new();
        for (sex, age) in [("female", "30-39"), ("female", "40-49"), ("male", "30-39")] {
            rows.extend((0..10).map(|i| row(&[sex, age], i < 5, i as f64 / 10.0)));
        }
        let report = audit(&rows, &options(Cutoff::TopPercent(50.0))).unwrap();
        let keys: Vec<&str> = report.groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["female × 30-39", "female × 40-49", "male × 30-39"]);
        assert_eq!(report.selected, 15);
        assert!(report.groups.iter().all(|g| g.count == 10));
    }

    #[test]
    fn cutoffs_select_as_documented() {
        let scores = [0.5, 0.9, 0.5, 0.1, 0.5];
        assert_eq!(
            Cutoff::Threshold(0.5).select(&scores),
            [true, true, true, false, true]
        );
        // Ties by input order: of the three 0.5s the first two are taken.
        assert_eq!(
            Cutoff::TopK(3).select(&scores),
            [true, true, true, false, false]
        );
        assert_eq!(
            Cutoff::TopPercent(30.0).select(&scores),
            [true, true, false, false, false]
        );
        assert_eq!(Cutoff::TopK(9).select(&scores), [true; 5]);
    }

    #[test]
    fn disparity_is_flagged_outside_the_band() {
        let reference = Rates {
            selection_rate: Some(0.5),
            tpr: Some(0.0),
            ..Rates::default()
        };
        let at = |v: f64| Rates {
            selection_rate: Some(v),
            ..reference
        };
        let flag = |v: f64| disparity(&at(v), &reference)[0];
        assert_eq!(flag(0.4).ratio, Some(0.8));
        assert!(!flag(0.4).flagged);
        assert!(!flag(0.625).flagged); // exactly 1.25
        assert!(flag(0.39).flagged);
        assert!(flag(0.63).flagged);
        // A zero or undefined reference rate gives no ratio and no flag.
        let d = disparity(&at(0.5), &reference);
        assert_eq!(
            (d[1].rate, d[1].ratio, d[1].flagged),
            (Rate::Tpr, None, false)
        );
        assert_eq!((d[2].ratio, d[2].flagged), (None, false));
    }

    #[test]
    fn reference_defaults_to_the_largest_group() {
        let mut rows: Vec<AuditRow> = (0..20)
            .map(|i| row(&["b"], i % 2 == 0, i as f64 / 20.0))
            .collect();
        rows.extend((0..30).map(|i| row(&["a"], i % 3 == 0, i as f64 / 30.0)));
        rows.extend((0..30).map(|i| row(&["c"], i % 3 == 0, i as f64 / 30.0)));
        let report = audit(&rows, &options(Cutoff::Threshold(0.5))).unwrap();
        assert_eq!(report.reference, "a");
        let own = &report
            .disparities
            .iter()
            .find(|d| d.key == "a")
            .unwrap()
            .disparities;
        assert!(
            own.iter()
                .all(|d| d.ratio.is_none_or(|r| r == 1.0) && !d.flagged)
        );
    }

    #[test]
    fn bootstrap_is_seeded_and_brackets_the_estimate() {
        let rows: Vec<AuditRow> = (0..200)
            .map(|i| row(&["a"], i % 3 == 0, (i * 37 % 200) as f64 / 200.0))
            .collect();
        let opts = AuditOptions {
            resamples: 200,
            seed: 7,
            ..AuditOptions::new(Cutoff::Threshold(0.5))
        };
        let first = audit(&rows, &opts).unwrap();
        assert_eq!(first, audit(&rows, &opts).unwrap());
        let g = &first.groups[0];
        for rate in Rate::ALL {
            let ci = g.intervals[&rate];
            let v = g.rates.get(rate).unwrap();
            assert!(ci.low <= v && v <= ci.high, "{rate:?}: {v} outside {ci:?}");
            assert!(ci.low < ci.high);
        }
    }
}
