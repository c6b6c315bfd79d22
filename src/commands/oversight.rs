//! `oordeel report oversight`: the rubber-stamp monitor, as text at 80 columns or JSON.

use std::process::ExitCode;

use color_eyre::eyre::Result;
use serde::Serialize;

use super::Context;
use crate::cli::{Format, OversightArgs};
use crate::domain::drift::DriftLevel;
use crate::domain::text::sanitize;
use crate::i18n::{lang, number, t, tf};
use crate::oversight::rubber_stamp::{
    Flag, OversightReport, ReviewedDecision, ReviewerOversight, Thresholds, measure, recommended,
};
use crate::store::shipped_oversight_limits;

/// Reviewers with fewer standing decisions are counted, not shown: too few to judge.
pub const MIN_DECISIONS: usize = 10;

/// The JSON document: the report and what it covers.
#[derive(Serialize)]
struct Document<'a> {
    team: Option<&'a str>,
    since: Option<String>,
    /// The model recommends a case ranked within teams x this many cases.
    capacity_per_team: u32,
    #[serde(flatten)]
    report: &'a OversightReport,
    /// The latest scoring run, when it drifted significantly from the training data.
    drift: Option<DriftNotice>,
}

/// A significant drift of the latest scoring run: a reason to review the ranking or halt it.
#[derive(Serialize)]
struct DriftNotice {
    run: i64,
    /// `(name, psi)` of the score and each feature at or above the significance level.
    shifted: Vec<(String, f64)>,
}

fn drift_notice(store: &crate::store::Store) -> Result<Option<DriftNotice>> {
    Ok(store.latest_drift()?.and_then(|(run, d)| {
        let shifted: Vec<(String, f64)> = std::iter::once(&d.score)
            .chain(d.features.iter())
            .filter(|m| m.level == DriftLevel::Significant)
            .map(|m| (m.name.clone(), m.psi))
            .collect();
        (!shifted.is_empty()).then_some(DriftNotice { run, shifted })
    }))
}

pub fn run(ctx: &Context, args: &OversightArgs) -> Result<ExitCode> {
    let (store, actor) = ctx.open()?;
    let team = store.oversight_team(&actor, args.team.as_deref())?;
    let since = args.since.and_then(super::report::local_midnight);
    let thresholds = Thresholds {
        agreement_limit: shipped_oversight_limits().0,
        floor_seconds: store.oversight_floor_seconds()?,
        min_decisions: MIN_DECISIONS,
    };
    let capacity = store.capacity_per_team()?;
    let decisions: Vec<ReviewedDecision> = store
        .decision_facts(&actor, team.as_deref(), since.as_deref())?
        .into_iter()
        .map(|d| ReviewedDecision {
            reviewer: d.reviewer,
            decision: d.decision,
            standing: d.standing,
            recommended: recommended(d.rank_and_cutoff),
            seconds_on_case: d.seconds_on_case,
            explanation_viewed: d.explanation_viewed,
            initial: d.initial,
        })
        .collect();
    let mut report = measure(&decisions, thresholds);
    let prompts = store.quick_prompts(&actor, team.as_deref(), since.as_deref())?;
    for r in &mut report.reviewers {
        r.quick_prompts = prompts.get(&r.reviewer).copied().unwrap_or(0);
    }
    let drift = drift_notice(&store)?;
    if args.format == Format::Json {
        let doc = Document {
            team: team.as_deref(),
            since: args.since.map(|d| d.to_string()),
            capacity_per_team: capacity,
            report: &report,
            drift,
        };
        super::write_data(format!("{}\n", serde_json::to_string_pretty(&doc)?).as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let scope = match &team {
        Some(team) => tf("cli.oversight.team", &[("team", &sanitize(team))]),
        None => t("cli.oversight.all_teams").to_owned(),
    };
    let mut title = tf("cli.oversight.title", &[("scope", &scope)]);
    if let Some(day) = args.since {
        title.push_str(&tf("cli.oversight.since", &[("date", &day)]));
    }
    super::say(&title);
    super::say(&tf(
        "cli.oversight.explain",
        &[
            ("capacity", &capacity),
            ("limit", &percent(thresholds.agreement_limit)),
            ("floor", &number(lang(), thresholds.floor_seconds, 0)),
        ],
    ));
    super::say("");
    super::say(&row(&[
        t("cli.oversight.col.reviewer"),
        t("cli.oversight.col.decisions"),
        t("cli.oversight.col.agree"),
        t("cli.oversight.col.override"),
        t("cli.oversight.col.median"),
        t("cli.oversight.col.p10"),
        t("cli.oversight.col.no_explanation"),
        t("cli.oversight.col.flags"),
    ]));
    for r in &report.reviewers {
        super::say(&reviewer_row(r));
    }
    if report.reviewers.is_empty() {
        super::say(t("cli.oversight.nobody"));
    }
    super::say("");
    for r in &report.reviewers {
        for flag in &r.flags {
            super::say(&flag_line(r, *flag, thresholds));
        }
    }
    if report.suppressed > 0 {
        super::say(&tf(
            "cli.oversight.suppressed",
            &[("count", &report.suppressed), ("min", &MIN_DECISIONS)],
        ));
    }
    super::say(t("cli.oversight.explanation_note"));
    judge_first_table(&report);
    if let Some(d) = &drift {
        let shifted: Vec<String> = d
            .shifted
            .iter()
            .map(|(name, psi)| format!("{name} {}", number(lang(), *psi, 2)))
            .collect();
        super::say("");
        super::say(&tf(
            "cli.oversight.drift",
            &[("run", &d.run), ("shifted", &shifted.join(", "))],
        ));
    }
    if report.reviewers.iter().any(|r| !r.flags.is_empty()) {
        super::say("");
        super::say(t("cli.oversight.schufa"));
    }
    Ok(ExitCode::SUCCESS)
}

/// One table line: reviewer, decisions, agree, override, median, p10, unopened, flags.
fn row(cells: &[&str]) -> String {
    format!(
        "{:<14} {:>10} {:>6} {:>7} {:>8} {:>7} {:>8}  {}",
        cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7]
    )
    .trim_end()
    .to_owned()
}

fn reviewer_row(r: &ReviewerOversight) -> String {
    let dash = || "-".to_owned();
    let flags: Vec<&str> = r
        .flags
        .iter()
        .map(|f| match f {
            Flag::HighAgreement => t("cli.oversight.flag.agree"),
            Flag::Hasty => t("cli.oversight.flag.fast"),
        })
        .collect();
    let name = sanitize(&r.reviewer);
    row(&[
        &name,
        &format!("{}/{}", r.standing, r.all),
        &r.agreement.map(percent).unwrap_or_else(dash),
        &r.override_rate.map(percent).unwrap_or_else(dash),
        &r.median_seconds.map(seconds).unwrap_or_else(dash),
        &r.p10_seconds.map(seconds).unwrap_or_else(dash),
        &r.without_explanation.map(percent).unwrap_or_else(dash),
        &flags.join(" "),
    ])
}

/// Judge-first and the quick-decision prompt, when either played a part: the reviewer's
/// own first view against the model before and after seeing it, and how often they were
/// asked "are you sure?".
fn judge_first_table(report: &OversightReport) {
    let shown: Vec<&ReviewerOversight> = report
        .reviewers
        .iter()
        .filter(|r| r.judged_first > 0 || r.quick_prompts > 0)
        .collect();
    if shown.is_empty() {
        return;
    }
    let dash = || "-".to_owned();
    let line = |cells: [&str; 6]| {
        format!(
            "{:<14} {:>8} {:>8} {:>8} {:>8} {:>8}",
            cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]
        )
        .trim_end()
        .to_owned()
    };
    super::say("");
    super::say(t("cli.oversight.judge_first_title"));
    super::say(&line([
        t("cli.oversight.col.reviewer"),
        t("cli.oversight.col.judged"),
        t("cli.oversight.col.before"),
        t("cli.oversight.col.after"),
        t("cli.oversight.col.kept"),
        t("cli.oversight.col.asked"),
    ]));
    for r in shown {
        super::say(&line([
            &sanitize(&r.reviewer),
            &r.judged_first.to_string(),
            &r.agreement_before.map(percent).unwrap_or_else(dash),
            &r.agreement_after.map(percent).unwrap_or_else(dash),
            &r.kept_first_judgment.map(percent).unwrap_or_else(dash),
            &r.quick_prompts.to_string(),
        ]));
    }
    super::say(t("cli.oversight.judge_first_note"));
}

fn flag_line(r: &ReviewerOversight, flag: Flag, limits: Thresholds) -> String {
    let name = sanitize(&r.reviewer);
    match flag {
        Flag::HighAgreement => tf(
            "cli.oversight.flagged_agree",
            &[
                ("name", &name),
                ("share", &r.agreement.map(percent).unwrap_or_default()),
                ("n", &r.on_ranked),
                ("limit", &percent(limits.agreement_limit)),
            ],
        ),
        Flag::Hasty => tf(
            "cli.oversight.flagged_fast",
            &[
                ("name", &name),
                ("median", &r.median_seconds.map(seconds).unwrap_or_default()),
                ("floor", &number(lang(), limits.floor_seconds, 0)),
            ],
        ),
    }
}

fn percent(share: f64) -> String {
    crate::format::percent(lang(), share, 0)
}

fn seconds(s: f64) -> String {
    format!("{} s", number(lang(), s, 1))
}
