//! The fake's stats: fixed, made-up figures (not computed from the fake's cases) so snapshots
//! of the stats view never drift. They follow the store's rules on what each role receives:
//! per-reviewer lines and the fairness table only for the oversight roles, "you" only for
//! roles that decide.

use chrono::{Datelike, Days, NaiveDate};

use crate::domain::fairness::{AuditOptions, AuditRow, DEFAULT_CUTOFF, audit};
use crate::domain::role::Role;
use crate::domain::stats::{
    Calibration, CalibrationBin, DayOverrides, FairnessTable, OVERRIDE_DAYS, OverrideCount,
    Progress, QueueScores, ReviewerFigures, ReviewerLine, Stats,
};

/// (name, decisions, on ranked, overrides) over the last 30 days, team Noord.
const REVIEWERS: [(&str, u64, u64, u64); 3] = [
    ("anna", 84, 80, 6),
    ("bram", 112, 105, 3),
    ("carla", 41, 38, 9),
];

/// Open cases per probability bin, lowest first: 1,000 as in the fake's queue.
const HISTOGRAM: [u64; 10] = [3, 10, 41, 96, 152, 188, 171, 160, 121, 58];

/// (on ranked, overrides) per day, oldest first; (0, 0) is a day without decisions.
const DAYS: [(u64, u64); OVERRIDE_DAYS] = [
    (0, 0),
    (0, 0),
    (18, 1),
    (22, 3),
    (15, 0),
    (20, 2),
    (9, 1),
    (0, 0),
    (0, 0),
    (16, 4),
    (21, 2),
    (0, 0),
    (19, 1),
    (12, 2),
];

/// (predicted, observed, n) of the held-out reliability table.
const BINS: [(f64, f64, usize); 10] = [
    (0.08, 0.07, 150),
    (0.15, 0.17, 150),
    (0.22, 0.20, 150),
    (0.29, 0.31, 150),
    (0.36, 0.35, 150),
    (0.44, 0.46, 150),
    (0.52, 0.50, 150),
    (0.61, 0.64, 150),
    (0.72, 0.70, 150),
    (0.86, 0.88, 150),
];

pub(super) fn fake_stats(today: NaiveDate, user: &str, role: Role) -> Stats {
    let line = |name: &str, (decisions, on_ranked, overrides): (u64, u64, u64)| ReviewerLine {
        name: name.to_owned(),
        decisions,
        overrides: OverrideCount {
            on_ranked,
            overrides,
        },
    };
    let mine = REVIEWERS
        .iter()
        .find(|r| r.0 == user)
        .map(|r| (r.1, r.2, r.3))
        .unwrap_or((0, 0, 0));
    let total = REVIEWERS
        .iter()
        .fold((0, 0, 0), |t, r| (t.0 + r.1, t.1 + r.2, t.2 + r.3));
    let first = today - Days::new(OVERRIDE_DAYS as u64 - 1);
    Stats {
        team: (!role.all_teams()).then(|| "Noord".to_owned()),
        read_at: format!("{today}T09:30:00Z"),
        progress: Progress {
            today_team: 14,
            week_team: 63,
            today_you: role.decides().then_some(5),
            week_you: role.decides().then_some(21),
            week: today.iso_week().week(),
            open: 1000,
            to_sign: 3,
        },
        reviewers: ReviewerFigures {
            you: role.decides().then(|| line(user, mine)),
            team: line("", total),
            each: role.audits().then(|| {
                REVIEWERS
                    .iter()
                    .map(|r| line(r.0, (r.1, r.2, r.3)))
                    .collect()
            }),
        },
        histogram: QueueScores::Bins {
            counts: HISTOGRAM,
            unscored: 0,
        },
        overrides_by_day: first
            .iter_days()
            .zip(DAYS)
            .map(|(day, (on_ranked, overrides))| DayOverrides {
                day,
                count: OverrideCount {
                    on_ranked,
                    overrides,
                },
            })
            .collect(),
        calibration: Some(Calibration {
            version: 3,
            method: Some("isotonic".to_owned()),
            auc: 0.78,
            brier: 0.182,
            log_loss: 0.541,
            n_held_out: Some(1500),
            bins: BINS
                .iter()
                .map(|&(predicted, observed, n)| CalibrationBin {
                    predicted,
                    observed,
                    n,
                })
                .collect(),
            expected_calibration_error: Some(0.018),
        }),
        fairness: role.audits().then(fairness),
    }
}

/// The engine's own table over made-up rows: three groups the model selects at different
/// rates, and one too small to show. A test checks the rows select what they claim.
fn fairness() -> FairnessTable {
    // (group, cases, of which needed help, selected among needed, selected among not needed)
    // 288 selected of 957: exactly the top 30 %, the report's default cutoff.
    let groups = [
        ("netherlands", 600, 240, 140, 34),
        ("europe", 150, 60, 29, 5),
        ("outside_europe", 200, 90, 60, 18),
        ("unknown", 7, 3, 2, 0),
    ];
    let mut rows = Vec::new();
    for (group, n, needed, hit, false_alarm) in groups {
        for i in 0..n {
            let outcome = i < needed;
            let selected = if outcome {
                i < hit
            } else {
                i - needed < false_alarm
            };
            rows.push(AuditRow {
                groups: vec![group.to_owned()],
                outcome,
                // Selected rows above the cut, the rest below; distinct scores keep it exact.
                score: if selected { 0.9 } else { 0.1 } - i as f64 * 1e-6,
            });
        }
    }
    let options = AuditOptions {
        resamples: 0,
        ..AuditOptions::new(DEFAULT_CUTOFF)
    };
    FairnessTable {
        attribute: "migration_background".to_owned(),
        with_outcome: true,
        report: audit(&rows, &options).expect("the made-up rows audit"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_made_up_rows_select_the_top_30_percent_as_planned() {
        let r = fairness().report;
        assert_eq!((r.total, r.selected), (957, 288));
        assert_eq!(r.reference, "netherlands");
        assert_eq!(r.suppressed_groups, 1);
        let nl = r.group("netherlands").unwrap();
        assert_eq!((nl.confusion.tp, nl.confusion.fp), (140, 34));
    }
}
