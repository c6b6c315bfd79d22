//! The console's stats view, put together: the store's recent decisions counted into
//! progress, per-reviewer and per-day figures with the rubber-stamp monitor's definition of
//! an override, the open queue's histogram, the stored calibration of the model that ranks
//! the queue, and the fairness engine's table for the oversight roles.

use chrono::{DateTime, Days, Local, NaiveDate, TimeZone, Utc};

use super::rubber_stamp::{overrode, recommended};
use crate::domain::decision::CaseStatus;
use crate::domain::fairness::{self, AuditOptions, AuditRow, DEFAULT_CUTOFF, FairnessError};
use crate::domain::stats::{
    Calibration, CalibrationBin, FairnessTable, OVERRIDE_DAYS, Progress, QueueScores,
    REVIEWER_DAYS, ReviewerFigures, ReviewerLine, Stats, overrides_by_day, week_start,
};
use crate::store::{Actor, GroupAttribute, OutcomeKind, Store, StoreError, outcome_kind};

/// The attribute of the fairness table: the default `--by` of `report fairness`.
const FAIRNESS_BY: GroupAttribute = GroupAttribute::MigrationBackground;

/// Reads the stats of `actor`'s scope, days counted in local time from `today` (the
/// console's day, as the header's "today" is).
pub fn read(store: &Store, actor: &Actor, today: NaiveDate) -> Result<Stats, StoreError> {
    let week = week_start(today);
    let earliest = [
        today - Days::new(REVIEWER_DAYS as u64 - 1),
        today - Days::new(OVERRIDE_DAYS as u64 - 1),
        week,
    ]
    .into_iter()
    .min()
    .unwrap_or(today);
    let decisions = store.standing_decisions_since(actor, &local_midnight(earliest))?;
    // (reviewer, local day, overrode?) per standing decision, nothing after today.
    let counted: Vec<(&str, NaiveDate, Option<bool>)> = decisions
        .iter()
        .filter_map(|d| {
            let day = DateTime::parse_from_rfc3339(&d.at)
                .ok()?
                .with_timezone(&Local)
                .date_naive();
            let o = overrode(d.decision, recommended(d.rank_and_cutoff));
            (day <= today).then_some((d.reviewer.as_str(), day, o))
        })
        .collect();

    let decides = actor.role.decides();
    let count = |from: NaiveDate, who: Option<&str>| {
        counted
            .iter()
            .filter(|(r, day, _)| *day >= from && who.is_none_or(|w| w == *r))
            .count() as u64
    };
    let me = actor.name.as_str();
    let progress = Progress {
        today_team: count(today, None),
        week_team: count(week, None),
        today_you: decides.then(|| count(today, Some(me))),
        week_you: decides.then(|| count(week, Some(me))),
        week: chrono::Datelike::iso_week(&today).week(),
        open: store.count_status(actor, CaseStatus::Open)?.max(0) as u64,
        to_sign: store.count_status(actor, CaseStatus::ToSign)?.max(0) as u64,
    };

    let from = today - Days::new(REVIEWER_DAYS as u64 - 1);
    let line = |name: &str, who: Option<&str>| {
        let mut l = ReviewerLine {
            name: name.to_owned(),
            ..ReviewerLine::default()
        };
        for (_, _, o) in counted
            .iter()
            .filter(|(r, day, _)| *day >= from && who.is_none_or(|w| w == *r))
        {
            l.decisions += 1;
            l.overrides.add(*o);
        }
        l
    };
    let mut names: Vec<&str> = counted
        .iter()
        .filter(|(_, day, _)| *day >= from)
        .map(|(r, _, _)| *r)
        .collect();
    names.sort_unstable();
    names.dedup();
    let reviewers = ReviewerFigures {
        you: decides.then(|| line(me, Some(me))),
        team: line("", None),
        // Per-reviewer override rates are the rubber-stamp monitor's data: who agrees with
        // the model how often is for the people who oversee the work (supervisors, auditors,
        // admins), not for colleagues comparing one another. Decided here, where the figures
        // are made, so no screen can show what it was never given.
        each: actor
            .role
            .audits()
            .then(|| names.iter().map(|n| line(n, Some(n))).collect()),
    };

    let run = store.latest_run()?;
    let histogram = if store.halt_notice()?.is_some() {
        QueueScores::Halted
    } else if run.is_none() {
        QueueScores::NotScored
    } else {
        let (counts, unscored) = store.open_score_histogram(actor)?;
        QueueScores::Bins { counts, unscored }
    };
    let calibration = match run {
        Some((_, version, _)) => Some(calibration(store, version)?),
        None => None,
    };
    let fairness = if actor.role.audits() && run.is_some() {
        fairness_table(store, actor)?
    } else {
        None
    };
    Ok(Stats {
        team: actor.team_scope().map(str::to_owned),
        read_at: store
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        progress,
        reviewers,
        histogram,
        overrides_by_day: overrides_by_day(today, counted.iter().map(|(_, d, o)| (*d, *o))),
        calibration,
        fairness,
    })
}

/// Local midnight at the start of `day`, as RFC 3339 UTC (the event log's times). On a day
/// that starts inside a DST gap, the first moment that exists.
fn local_midnight(day: NaiveDate) -> String {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    Local
        .from_local_datetime(&midnight)
        .earliest()
        .unwrap_or_else(|| Local.from_utc_datetime(&midnight))
        .with_timezone(&Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// The stored held-out calibration of `version`: the overall reliability table when the
/// version has an evaluation (versions trained before evaluations were stored have only
/// AUC, Brier and log-loss).
fn calibration(store: &Store, version: i64) -> Result<Calibration, StoreError> {
    // A version that cannot be read shows no calibration rather than no stats at all.
    let m = store.model_version(version)?;
    let evaluation = m.decode().ok().and_then(|d| d.evaluation);
    let quality = evaluation.as_ref().and_then(|e| e.overall.metrics.as_ref());
    Ok(Calibration {
        version,
        method: evaluation.as_ref().map(|e| {
            serde_json::to_value(e.calibration.chosen)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        }),
        auc: m.auc,
        brier: m.brier,
        log_loss: m.log_loss,
        n_held_out: evaluation.as_ref().map(|e| e.n_held_out),
        bins: quality
            .map(|q| {
                q.reliability
                    .bins
                    .iter()
                    .map(|b| CalibrationBin {
                        predicted: b.mean_predicted,
                        observed: b.observed_rate,
                        n: b.n,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        expected_calibration_error: quality.map(|q| q.reliability.expected_calibration_error),
    })
}

/// The model's selection at the default cutoff per migration background, as `report
/// fairness` computes it for the whole ranking, without the bootstrap. `None` when every
/// group is too small to show.
fn fairness_table(store: &Store, actor: &Actor) -> Result<Option<FairnessTable>, StoreError> {
    let caseload = store.fairness_caseload(actor, &[FAIRNESS_BY])?;
    let all: Vec<_> = caseload.cases.iter().collect();
    let outcome = outcome_kind(&all);
    let rows: Vec<AuditRow> = all
        .iter()
        .map(|c| AuditRow {
            groups: c.groups.clone(),
            outcome: match outcome {
                OutcomeKind::Truth => c.truly_needed.unwrap_or(false),
                OutcomeKind::Recorded => c.recorded_outcome.unwrap_or(false),
                OutcomeKind::Unavailable => false,
            },
            score: c.probability,
        })
        .collect();
    let options = AuditOptions {
        resamples: 0,
        ..AuditOptions::new(DEFAULT_CUTOFF)
    };
    match fairness::audit(&rows, &options) {
        Ok(report) => Ok(Some(FairnessTable {
            attribute: FAIRNESS_BY.as_code().to_owned(),
            with_outcome: outcome != OutcomeKind::Unavailable,
            report,
        })),
        // Nothing scored in scope, or every group under ten: no table, not an error.
        Err(FairnessError::Empty | FairnessError::AllSuppressed(_)) => Ok(None),
        Err(e) => Err(StoreError::Corrupt(format!("fairness table: {e}"))),
    }
}
