//! The rubber-stamp monitor (`oordeel report oversight`): per reviewer, how often their
//! decisions follow the model, how long they look at a case, and flags for the patterns of
//! automation bias (AI Act art. 14(4)(b)). Pure arithmetic on decisions the store read; no I/O.
//!
//! The model "recommends" a case when its rank lies within what the teams can take up in the
//! ranking the decision was taken under: rank <= teams x `capacity_per_team` (all cases when
//! fewer were ranked). Accepting a recommended case or rejecting one outside agrees with the
//! model; the opposite overrides it; a deferral and a decision on an unranked case do
//! neither. Time on a case runs from the reviewer's latest opening of it (`view` event) to
//! the decision: a case opened, left and opened again counts from the last opening.

use serde::Serialize;

use crate::domain::decision::Decision;
use crate::domain::judge_first::InitialJudgment;

/// One decision as the monitor sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewedDecision {
    pub reviewer: String,
    pub decision: Decision,
    /// False when a retraction or send-back undid it later.
    pub standing: bool,
    /// Whether the model recommended the case; `None` when it was not ranked.
    pub recommended: Option<bool>,
    /// Seconds from the reviewer's latest opening of the case to the decision; `None` when
    /// they never opened it.
    pub seconds_on_case: Option<f64>,
    /// Whether the reviewer opened the case's full explanation before deciding.
    pub explanation_viewed: bool,
    /// Judge-first mode: the reviewer's own view before seeing the model's.
    pub initial: Option<InitialJudgment>,
}

/// The limits the flags use.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    /// Flag when the share of decisions agreeing with the model is above this.
    pub agreement_limit: f64,
    /// Flag when the median time on a case is below this many seconds.
    pub floor_seconds: f64,
    /// Reviewers with fewer decisions are counted, not shown.
    pub min_decisions: usize,
}

/// Why a reviewer is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// Agrees with the model more often than the limit.
    HighAgreement,
    /// Median time on a case under the floor.
    Hasty,
}

/// What the monitor measured about one reviewer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewerOversight {
    pub reviewer: String,
    /// Decisions that still stand.
    pub standing: usize,
    /// Every decision taken, including those undone later.
    pub all: usize,
    /// Standing decisions on ranked cases that the measures below are taken over.
    pub on_ranked: usize,
    /// Share of `on_ranked` that agrees with the model.
    pub agreement: Option<f64>,
    /// Share of `on_ranked` that goes against it (deferrals are neither).
    pub override_rate: Option<f64>,
    pub median_seconds: Option<f64>,
    /// The 10th percentile: the quickest tenth of their decisions took at most this long.
    pub p10_seconds: Option<f64>,
    /// Standing decisions on a case they never opened.
    pub never_opened: usize,
    /// Share of standing decisions taken without opening the case's full explanation.
    pub without_explanation: Option<f64>,
    /// Standing decisions preceded by the reviewer's own judgment (judge-first mode).
    pub judged_first: usize,
    /// Of those on ranked cases where the first judgment took a side: how often that first
    /// judgment agreed with the model, before the reviewer saw it ...
    pub agreement_before: Option<f64>,
    /// ... and how often the final decision did, on the same cases, after.
    pub agreement_after: Option<f64>,
    /// Share of judged-first decisions that kept the first judgment (both taking a side).
    pub kept_first_judgment: Option<f64>,
    /// How often the console asked "are you sure?" about a quick decision (set by the
    /// caller, who counts the prompt events).
    pub quick_prompts: usize,
    pub flags: Vec<Flag>,
}

/// The report: reviewers shown (alphabetical) and how many were left out as too few.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OversightReport {
    pub reviewers: Vec<ReviewerOversight>,
    /// Reviewers with fewer than `thresholds.min_decisions` standing decisions.
    pub suppressed: usize,
    pub thresholds: Thresholds,
}

/// Whether the model recommended a case: its rank lies within the cutoff (teams x capacity)
/// of the ranking the decision was taken under; `None` for an unranked case.
pub fn recommended(rank_and_cutoff: Option<(i64, i64)>) -> Option<bool> {
    rank_and_cutoff.map(|(rank, cutoff)| rank <= cutoff)
}

/// Whether a decision went against the model: `Some(true)` for an override (accepting a case
/// it did not recommend, rejecting one it did), `Some(false)` for agreement, `None` for a
/// deferral or an unranked case. The one definition the monitor and the stats view share.
pub fn overrode(decision: Decision, recommended: Option<bool>) -> Option<bool> {
    match (decision, recommended?) {
        (Decision::Accept, true) | (Decision::Reject, false) => Some(false),
        (Decision::Accept, false) | (Decision::Reject, true) => Some(true),
        (Decision::Defer, _) => None,
    }
}

/// Measures every reviewer in `decisions`.
pub fn measure(decisions: &[ReviewedDecision], thresholds: Thresholds) -> OversightReport {
    let mut names: Vec<&str> = decisions.iter().map(|d| d.reviewer.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let mut reviewers = Vec::new();
    let mut suppressed = 0;
    for name in names {
        let mine: Vec<&ReviewedDecision> =
            decisions.iter().filter(|d| d.reviewer == name).collect();
        let r = reviewer(name, &mine, thresholds);
        if r.standing < thresholds.min_decisions {
            suppressed += 1;
        } else {
            reviewers.push(r);
        }
    }
    OversightReport {
        reviewers,
        suppressed,
        thresholds,
    }
}

fn reviewer(name: &str, mine: &[&ReviewedDecision], limits: Thresholds) -> ReviewerOversight {
    let standing: Vec<&&ReviewedDecision> = mine.iter().filter(|d| d.standing).collect();
    let (mut agree, mut over, mut ranked) = (0usize, 0usize, 0usize);
    for d in &standing {
        if d.recommended.is_none() {
            continue;
        }
        ranked += 1;
        match overrode(d.decision, d.recommended) {
            Some(false) => agree += 1,
            Some(true) => over += 1,
            None => {}
        }
    }
    let share = |n: usize| (ranked > 0).then(|| n as f64 / ranked as f64);
    let judged = judge_first_measures(&standing);
    let mut times: Vec<f64> = standing.iter().filter_map(|d| d.seconds_on_case).collect();
    times.sort_by(f64::total_cmp);
    let agreement = share(agree);
    let median_seconds = percentile(&times, 50.0);
    let mut flags = Vec::new();
    if agreement.is_some_and(|a| a > limits.agreement_limit) {
        flags.push(Flag::HighAgreement);
    }
    if median_seconds.is_some_and(|m| m < limits.floor_seconds) {
        flags.push(Flag::Hasty);
    }
    ReviewerOversight {
        reviewer: name.to_owned(),
        standing: standing.len(),
        all: mine.len(),
        on_ranked: ranked,
        agreement,
        override_rate: share(over),
        median_seconds,
        p10_seconds: percentile(&times, 10.0),
        never_opened: standing
            .iter()
            .filter(|d| d.seconds_on_case.is_none())
            .count(),
        without_explanation: (!standing.is_empty()).then(|| {
            standing.iter().filter(|d| !d.explanation_viewed).count() as f64 / standing.len() as f64
        }),
        judged_first: judged.count,
        agreement_before: judged.before,
        agreement_after: judged.after,
        kept_first_judgment: judged.kept,
        quick_prompts: 0,
        flags,
    }
}

/// What judge-first decisions show about the model's pull on a reviewer.
struct JudgedFirst {
    count: usize,
    before: Option<f64>,
    after: Option<f64>,
    kept: Option<f64>,
}

fn judge_first_measures(standing: &[&&ReviewedDecision]) -> JudgedFirst {
    let judged: Vec<(&ReviewedDecision, InitialJudgment)> = standing
        .iter()
        .filter_map(|d| d.initial.map(|j| (**d, j)))
        .collect();
    // Before and after on the same cases: ranked, a side taken first, and then decided
    // one way or the other (a deferral agrees with neither).
    let (mut n, mut before, mut after) = (0usize, 0usize, 0usize);
    for (d, j) in &judged {
        let Some(recommended) = d.recommended else {
            continue;
        };
        let (Some(first), Some(last)) = (
            j.agrees_with(recommended),
            decision_agrees(d.decision, recommended),
        ) else {
            continue;
        };
        n += 1;
        before += usize::from(first);
        after += usize::from(last);
    }
    let sides: Vec<bool> = judged
        .iter()
        .filter_map(|(d, j)| j.kept_by(d.decision))
        .collect();
    let ratio = |k: usize, of: usize| (of > 0).then(|| k as f64 / of as f64);
    JudgedFirst {
        count: judged.len(),
        before: ratio(before, n),
        after: ratio(after, n),
        kept: ratio(sides.iter().filter(|k| **k).count(), sides.len()),
    }
}

/// Whether a decision agrees with the model's recommendation; `None` for a deferral.
fn decision_agrees(decision: Decision, recommended: bool) -> Option<bool> {
    match decision {
        Decision::Accept => Some(recommended),
        Decision::Reject => Some(!recommended),
        Decision::Defer => None,
    }
}

/// The nearest-rank percentile of sorted values: the smallest value with at least `p`% of
/// the values at or below it.
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Thresholds = Thresholds {
        agreement_limit: 0.95,
        floor_seconds: 10.0,
        min_decisions: 10,
    };

    fn decision(
        reviewer: &str,
        decision: Decision,
        recommended: bool,
        seconds: f64,
    ) -> ReviewedDecision {
        ReviewedDecision {
            reviewer: reviewer.into(),
            decision,
            standing: true,
            recommended: Some(recommended),
            seconds_on_case: Some(seconds),
            explanation_viewed: seconds >= 30.0,
            initial: None,
        }
    }

    #[test]
    fn a_reviewer_who_accepts_every_recommendation_in_seconds_is_flagged_twice() {
        let hasty: Vec<_> = (0..12)
            .map(|i| decision("hans", Decision::Accept, true, 1.0 + f64::from(i) * 0.1))
            .collect();
        let report = measure(&hasty, LIMITS);
        let hans = &report.reviewers[0];
        assert_eq!(hans.agreement, Some(1.0));
        assert_eq!(hans.override_rate, Some(0.0));
        assert_eq!(hans.flags, vec![Flag::HighAgreement, Flag::Hasty]);
        assert!(hans.median_seconds.unwrap() < 2.0);
        assert_eq!(hans.without_explanation, Some(1.0));
    }

    #[test]
    fn a_careful_reviewer_who_overrides_sometimes_is_not_flagged() {
        let mut careful: Vec<_> = (0..10)
            .map(|i| decision("cora", Decision::Accept, true, 60.0 + f64::from(i)))
            .collect();
        careful.push(decision("cora", Decision::Reject, true, 240.0));
        careful.push(decision("cora", Decision::Defer, true, 30.0));
        let report = measure(&careful, LIMITS);
        let cora = &report.reviewers[0];
        assert_eq!(cora.on_ranked, 12);
        assert!((cora.agreement.unwrap() - 10.0 / 12.0).abs() < 1e-12);
        assert!((cora.override_rate.unwrap() - 1.0 / 12.0).abs() < 1e-12);
        assert!(cora.flags.is_empty());
        assert_eq!(cora.without_explanation, Some(0.0));
        // Nearest rank: the 2nd of 12 sorted times (30, 60, 61, ...) and the 6th.
        assert_eq!(cora.p10_seconds, Some(60.0));
        assert_eq!(cora.median_seconds, Some(64.0));
    }

    #[test]
    fn reviewers_under_ten_standing_decisions_are_counted_not_shown() {
        let mut ds: Vec<_> = (0..9)
            .map(|_| decision("few", Decision::Accept, true, 1.0))
            .collect();
        // Undone decisions do not count towards the ten.
        let mut undone = decision("few", Decision::Accept, true, 1.0);
        undone.standing = false;
        ds.push(undone);
        ds.extend((0..10).map(|_| decision("many", Decision::Reject, false, 20.0)));
        let report = measure(&ds, LIMITS);
        assert_eq!(report.suppressed, 1);
        assert_eq!(report.reviewers.len(), 1);
        assert_eq!(report.reviewers[0].reviewer, "many");
        assert_eq!(report.reviewers[0].flags, vec![Flag::HighAgreement]);
    }

    #[test]
    fn judge_first_compares_the_first_view_and_the_decision_with_the_model() {
        use InitialJudgment::*;
        let mut ds = Vec::new();
        // Four recommended cases: first views need, need, no need, unsure; all accepted.
        for j in [NeedsHelp, NeedsHelp, NoNeed, Unsure] {
            let mut d = decision("jo", Decision::Accept, true, 60.0);
            d.initial = Some(j);
            ds.push(d);
        }
        // A case the model did not recommend: first view "needs help", then rejected.
        let mut d = decision("jo", Decision::Reject, false, 60.0);
        d.initial = Some(NeedsHelp);
        ds.push(d);
        // Five decided without judging first, which the judge-first measures leave out.
        ds.extend((0..5).map(|_| decision("jo", Decision::Accept, true, 60.0)));
        let jo = &measure(&ds, LIMITS).reviewers[0];
        assert_eq!(jo.judged_first, 5);
        // Four took a side first: agreed 2 of 4 before (need, need on recommended), and
        // 4 of 4 after: the model pulled the "no need" and the rejected "needs help" along.
        assert_eq!(jo.agreement_before, Some(0.5));
        assert_eq!(jo.agreement_after, Some(1.0));
        // Kept: need→accept twice, no need→accept not, need→reject not: 2 of 4.
        assert_eq!(jo.kept_first_judgment, Some(0.5));
    }

    #[test]
    fn unranked_and_unopened_cases_are_counted_apart() {
        let mut ds: Vec<_> = (0..10)
            .map(|_| decision("ida", Decision::Reject, true, 30.0))
            .collect();
        ds[0].recommended = None;
        ds[1].seconds_on_case = None;
        let ida = &measure(&ds, LIMITS).reviewers[0];
        assert_eq!((ida.standing, ida.on_ranked, ida.never_opened), (10, 9, 1));
        assert_eq!(ida.agreement, Some(0.0));
        assert_eq!(ida.override_rate, Some(1.0));
    }
}
