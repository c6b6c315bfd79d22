//! The console's stats view (`s`) as plain figures: progress, decisions per reviewer, the
//! open queue's score histogram, the override rate per day, the current model's calibration
//! and, for the oversight roles, the fairness table. The store reads the facts and
//! `oversight::stats` puts them together; nothing in here performs I/O.

use chrono::{Datelike, Days, NaiveDate};

use super::fairness::FairnessReport;

/// Bins of the score histogram: equal bins of probability over 0–1.
pub const HISTOGRAM_BINS: usize = 10;

/// Days of the override-rate sparkline, today included.
pub const OVERRIDE_DAYS: usize = 14;

/// Days the per-reviewer figures cover, today included. Thirty rather than "this week": on a
/// Monday morning a week holds a handful of decisions per person, and an override rate over
/// three decisions says nothing.
pub const REVIEWER_DAYS: usize = 30;

/// Everything the stats view shows, for one actor's scope (their team; every team for admins
/// and auditors).
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// The team the figures cover; `None` for every team.
    pub team: Option<String>,
    /// When the figures were read (RFC 3339), so the screen can say how fresh they are.
    pub read_at: String,
    pub progress: Progress,
    pub reviewers: ReviewerFigures,
    pub histogram: QueueScores,
    /// One entry per day, oldest first, the last one today ([`OVERRIDE_DAYS`] in all).
    pub overrides_by_day: Vec<DayOverrides>,
    /// The model version that ranks the queue, with its held-out calibration.
    pub calibration: Option<Calibration>,
    /// Only for supervisors, auditors and admins (`Role::audits`), and only when a scored
    /// caseload has groups to compare; reviewers and seniors never receive it.
    pub fairness: Option<FairnessTable>,
}

/// Standing decisions (retracted and sent-back ones excluded), today and this ISO week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub today_team: u64,
    pub week_team: u64,
    /// `None` for roles that decide nothing (supervisors, auditors).
    pub today_you: Option<u64>,
    pub week_you: Option<u64>,
    /// ISO week number of today.
    pub week: u32,
    pub open: u64,
    pub to_sign: u64,
}

/// One person's (or the team's) decisions over [`REVIEWER_DAYS`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReviewerLine {
    pub name: String,
    /// Standing decisions, deferrals included.
    pub decisions: u64,
    /// Override counts as the rubber-stamp monitor defines them (`oversight::rubber_stamp`).
    pub overrides: OverrideCount,
}

/// Decisions on ranked cases and how many of them went against the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OverrideCount {
    /// Standing accepts and rejects on cases the model ranked (the denominator).
    pub on_ranked: u64,
    pub overrides: u64,
}

impl OverrideCount {
    pub fn add(&mut self, overrode: Option<bool>) {
        if let Some(o) = overrode {
            self.on_ranked += 1;
            self.overrides += u64::from(o);
        }
    }

    /// `None` when no decision on a ranked case counts: a gap, never 0 %.
    pub fn rate(&self) -> Option<f64> {
        (self.on_ranked > 0).then(|| self.overrides as f64 / self.on_ranked as f64)
    }
}

/// Decisions per reviewer. Per-reviewer override rates are oversight data (AI Act 14(4)(b),
/// the rubber-stamp monitor): reviewers and seniors get their own line and the team total,
/// only supervisors, auditors and admins get `each`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReviewerFigures {
    /// The actor's own line, when their role decides.
    pub you: Option<ReviewerLine>,
    /// Everyone in scope together.
    pub team: ReviewerLine,
    /// Every reviewer in scope by name; `None` for roles that may not see it.
    pub each: Option<Vec<ReviewerLine>>,
}

/// The score histogram of the open queue, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub enum QueueScores {
    /// Open cases per bin of [`HISTOGRAM_BINS`], lowest probabilities first.
    Bins {
        counts: [u64; HISTOGRAM_BINS],
        /// Open cases without a probability (not scored yet).
        unscored: u64,
    },
    /// A supervisor halted the model: the queue is in arrival order, scores are not used.
    Halted,
    /// No model has scored the queue.
    NotScored,
}

/// The bin of a probability: `[i/10, (i+1)/10)`, the last bin closed so 1.0 counts in it.
/// Out-of-range values are clamped; NaN counts in the first bin rather than vanishing.
pub fn histogram_bin(p: f64) -> usize {
    let scaled = (p.clamp(0.0, 1.0) * HISTOGRAM_BINS as f64).floor();
    if scaled.is_nan() {
        return 0;
    }
    (scaled as usize).min(HISTOGRAM_BINS - 1)
}

/// Counts probabilities into [`HISTOGRAM_BINS`] bins.
pub fn histogram(probabilities: impl IntoIterator<Item = f64>) -> [u64; HISTOGRAM_BINS] {
    let mut counts = [0; HISTOGRAM_BINS];
    for p in probabilities {
        counts[histogram_bin(p)] += 1;
    }
    counts
}

/// One day of the override sparkline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayOverrides {
    pub day: NaiveDate,
    pub count: OverrideCount,
}

/// The days `OVERRIDE_DAYS` back to today, each with the counts of `decisions` (day, did it
/// override) taken on it; days without any stay at zero counts, so their rate is `None`.
pub fn overrides_by_day(
    today: NaiveDate,
    decisions: impl IntoIterator<Item = (NaiveDate, Option<bool>)>,
) -> Vec<DayOverrides> {
    let first = today - Days::new(OVERRIDE_DAYS as u64 - 1);
    let mut days: Vec<DayOverrides> = first
        .iter_days()
        .take(OVERRIDE_DAYS)
        .map(|day| DayOverrides {
            day,
            count: OverrideCount::default(),
        })
        .collect();
    for (day, overrode) in decisions {
        if let Some(d) = days.iter_mut().find(|d| d.day == day) {
            d.count.add(overrode);
        }
    }
    days
}

/// The most recent day with a rate, and the rate pooled over all days (overrides over
/// decisions, so a quiet day weighs less than a busy one).
pub fn latest_and_pooled(days: &[DayOverrides]) -> (Option<(NaiveDate, f64)>, Option<f64>) {
    let latest = days
        .iter()
        .rev()
        .find_map(|d| d.count.rate().map(|r| (d.day, r)));
    let mut total = OverrideCount::default();
    for d in days {
        total.on_ranked += d.count.on_ranked;
        total.overrides += d.count.overrides;
    }
    (latest, total.rate())
}

/// Monday of the ISO week of `day`.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// The held-out calibration of the model version that ranks the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    pub version: i64,
    /// `none`, `platt` or `isotonic`; `None` when the version has no stored evaluation.
    pub method: Option<String>,
    pub auc: f64,
    pub brier: f64,
    pub log_loss: f64,
    /// Held-out rows the table was computed on.
    pub n_held_out: Option<usize>,
    /// Equal-count bins, lowest predictions first; empty without a stored evaluation.
    pub bins: Vec<CalibrationBin>,
    pub expected_calibration_error: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalibrationBin {
    pub predicted: f64,
    pub observed: f64,
    pub n: usize,
}

/// The fairness table of the model's selection over one attribute, without intervals (a
/// bootstrap is too slow for a screen; `oordeel report fairness` has them).
#[derive(Debug, Clone, PartialEq)]
pub struct FairnessTable {
    /// The attribute's code, e.g. `migration_background`.
    pub attribute: String,
    /// Whether TPR and FPR mean anything: false when neither the demo's truth nor a recorded
    /// outcome is known for every case (then only selection rates are shown).
    pub with_outcome: bool,
    /// The engine's report; `report.cutoff` says which cases the model selects.
    pub report: FairnessReport,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn histogram_edges_fall_in_the_first_and_last_bin() {
        assert_eq!(histogram_bin(0.0), 0);
        assert_eq!(histogram_bin(0.099_999), 0);
        assert_eq!(histogram_bin(0.1), 1);
        assert_eq!(histogram_bin(0.95), 9);
        assert_eq!(histogram_bin(1.0), 9);
        assert_eq!(histogram_bin(-0.2), 0);
        assert_eq!(histogram_bin(1.7), 9);
        assert_eq!(histogram_bin(f64::NAN), 0);
        let counts = histogram([0.0, 1.0, 1.0, 0.5, 0.55]);
        assert_eq!(counts, [1, 0, 0, 0, 0, 2, 0, 0, 0, 2]);
        assert_eq!(counts.iter().sum::<u64>(), 5);
    }

    #[test]
    fn days_without_decisions_are_gaps_not_zero() {
        let today = day("2026-11-27");
        let days = overrides_by_day(
            today,
            [
                (day("2026-11-27"), Some(true)),
                (day("2026-11-27"), Some(false)),
                (day("2026-11-25"), Some(false)),
                // A deferral counts as a decision but neither agrees nor overrides.
                (day("2026-11-24"), None),
                // Outside the fourteen days: ignored.
                (day("2026-11-13"), Some(true)),
            ],
        );
        assert_eq!(days.len(), OVERRIDE_DAYS);
        assert_eq!(days[0].day, day("2026-11-14"));
        assert_eq!(days[13].day, today);
        let rates: Vec<Option<f64>> = days.iter().map(|d| d.count.rate()).collect();
        assert_eq!(rates[13], Some(0.5));
        assert_eq!(rates[12], None);
        assert_eq!(rates[11], Some(0.0));
        assert_eq!(rates[10], None, "a day of deferrals only has no rate");
        assert!(rates[..10].iter().all(Option::is_none));
        let (latest, pooled) = latest_and_pooled(&days);
        assert_eq!(latest, Some((today, 0.5)));
        assert_eq!(pooled, Some(1.0 / 3.0));
        let empty = overrides_by_day(today, []);
        assert_eq!(latest_and_pooled(&empty), (None, None));
    }

    #[test]
    fn the_iso_week_starts_on_monday() {
        // 2026-11-27 is a Friday; 2026-11-23 the Monday before.
        assert_eq!(week_start(day("2026-11-27")), day("2026-11-23"));
        assert_eq!(week_start(day("2026-11-23")), day("2026-11-23"));
        assert_eq!(week_start(day("2026-11-29")), day("2026-11-23"));
        assert_eq!(week_start(day("2027-01-01")), day("2026-12-28"));
    }
}
