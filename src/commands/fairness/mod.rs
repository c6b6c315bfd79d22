//! `oordeel report fairness`: how the model's selection and the reviewers' decisions fall
//! across groups of a protected attribute, with the engine of `domain::fairness`.

mod imported;
mod input;
mod text;

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use color_eyre::eyre::{Result, eyre};
use serde::Serialize;

use super::Context;
use crate::cli::{FairnessArgs, FairnessArm, FairnessSource, Format};
use crate::domain::decision::CaseStatus;
use crate::domain::fairness::{
    AuditOptions, AuditRow, Confusion, Cutoff, FairnessError, FairnessReport, Rate, audit,
};
use crate::i18n::tf;
use crate::store::{AuditCase, GroupAttribute};

// The console's stats view uses the same default, so it lives with the engine.
pub use crate::domain::fairness::DEFAULT_CUTOFF;

// Shared with the console's stats view, which audits the same caseload.
pub use crate::store::{OutcomeKind, outcome_kind};

/// Everything the report says, for text and JSON alike.
#[derive(Debug, Serialize)]
pub struct FairnessAudit {
    /// `model`, `decisions`, `both` or `input`.
    pub source: &'static str,
    /// `all`, or `random`: only the hidden random arm's cases, with the model's cutoff taken
    /// over the whole ranking (as a score threshold).
    pub arm: &'static str,
    pub by: Vec<String>,
    pub outcome: OutcomeKind,
    /// The cutoff as asked (`top%:30`); in a side-by-side it is applied to the whole
    /// ranking and the model's report states the resulting score threshold.
    pub cutoff: String,
    /// Cases audited.
    pub population: usize,
    /// Deferred cases and decisions waiting for a second signature, left out of a decisions
    /// audit.
    pub undecided_excluded: Option<usize>,
    /// True when `--source both` found too few decisions for any group (none at all, or
    /// fewer than `min_group` in every group) and shows the model alone.
    pub no_decisions: bool,
    /// The standing decisions `--source both` found, when it showed the model alone.
    pub decided: usize,
    pub team: Option<String>,
    pub model_version: Option<i64>,
    pub min_group: usize,
    pub seed: u64,
    /// Groups hidden for having fewer than `min_group` cases (the count is not shown).
    pub suppressed: Vec<String>,
    pub model: Option<FairnessReport>,
    pub decisions: Option<FairnessReport>,
    /// With `--import`: which import, and how many of its records have an outcome.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import: Option<imported::ImportSource>,
    /// The learning loop: random-arm cases with an observed outcome, rejected households
    /// that came back (a database audit only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learning_loop: Option<crate::store::LoopFacts>,
    /// With `--arm random`: the quality of the ranking version on the held-out arm cases,
    /// as its training measured it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arm_quality: Option<crate::model::labels::SetQuality>,
}

pub fn run(ctx: &Context, args: &FairnessArgs) -> Result<ExitCode> {
    let cutoff = match &args.cutoff {
        Some(text) => parse_cutoff(text)?,
        None => DEFAULT_CUTOFF,
    };
    let options = AuditOptions {
        reference: args.reference.clone(),
        min_group: args.min_group as usize,
        seed: args.seed,
        ..AuditOptions::new(cutoff)
    };
    let report = match (&args.input, &args.import) {
        (Some(path), _) => from_file(args, path, &options)?,
        (None, Some(which)) => imported::audit(ctx, args, which, &options)?,
        (None, None) => from_database(ctx, args, &options)?,
    };
    if args.format == Format::Json {
        super::write_data(format!("{}\n", serde_json::to_string_pretty(&report)?).as_bytes())?;
    } else {
        // Sanitised like `say`, but a reader that stops early (`| head`) ends the report
        // quietly instead of crashing it: the report is long.
        let rendered = text::render(ctx.lang, &report);
        let text = crate::domain::text::sanitize_text(&rendered);
        let mut out = std::io::stdout().lock();
        match writeln!(out, "{text}").and_then(|()| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => other?,
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `top:K`, `top%:P` or `score:T`.
pub fn parse_cutoff(text: &str) -> Result<Cutoff> {
    let bad = || eyre!(tf("cli.fairness.bad_cutoff", &[("value", &text)]));
    let (kind, value) = text.split_once(':').ok_or_else(bad)?;
    let value = value.trim();
    match kind.trim() {
        // Selecting nobody audits nothing: K and P must pick at least one case.
        "top" => match value.parse::<usize>() {
            Ok(k) if k > 0 => Ok(Cutoff::TopK(k)),
            _ => Err(bad()),
        },
        "top%" => match value.parse::<f64>() {
            Ok(p) if p > 0.0 && p <= 100.0 => Ok(Cutoff::TopPercent(p)),
            _ => Err(bad()),
        },
        "score" => match value.parse::<f64>() {
            Ok(t) if t.is_finite() => Ok(Cutoff::Threshold(t)),
            _ => Err(bad()),
        },
        _ => Err(bad()),
    }
}

fn cutoff_text(cutoff: Cutoff) -> String {
    match cutoff {
        Cutoff::TopK(k) => format!("top:{k}"),
        Cutoff::TopPercent(p) => format!("top%:{p}"),
        Cutoff::Threshold(t) => format!("score:{t}"),
    }
}

/// The attributes of `--by`, each at most once (`gender,gender` would pair a group with
/// itself).
fn split_by(by: Option<&str>, default: &str) -> Result<Vec<String>> {
    let names: Vec<String> = by
        .unwrap_or(default)
        .split(',')
        .map(|s| s.trim().to_owned())
        .collect();
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            return Err(eyre!(tf(
                "cli.fairness.repeated_attribute",
                &[("name", name)]
            )));
        }
    }
    Ok(names)
}

fn from_file(
    args: &FairnessArgs,
    path: &std::path::Path,
    options: &AuditOptions,
) -> Result<FairnessAudit> {
    let by = split_by(args.by.as_deref(), "group")?;
    let rows = input::read(
        path,
        &input::InputColumns {
            id: args.id_column.as_deref().unwrap_or("id"),
            groups: &by,
            outcome: args.outcome_column.as_deref().unwrap_or("outcome"),
            score: args.score_column.as_deref().unwrap_or("score"),
        },
    )?;
    imported::external("input", by, &rows, options, OutcomeKind::Recorded)
}

fn from_database(
    ctx: &Context,
    args: &FairnessArgs,
    options: &AuditOptions,
) -> Result<FairnessAudit> {
    let by = split_by(args.by.as_deref(), "migration_background")?;
    let attributes: Vec<GroupAttribute> = by
        .iter()
        .map(|name| {
            GroupAttribute::from_code(name).ok_or_else(|| {
                let known: Vec<&str> = GroupAttribute::ALL.iter().map(|a| a.as_code()).collect();
                eyre!(tf(
                    "cli.fairness.unknown_attribute",
                    &[("name", name), ("known", &known.join(", "))]
                ))
            })
        })
        .collect::<Result<_>>()?;
    let (store, actor) = ctx.open()?;
    let caseload = store.fairness_caseload(&actor, &attributes)?;
    // The whole ranking, for the model's cutoff; the audit may take the random arm only.
    let cases = &caseload.cases;
    let arm_only = args.arm == FairnessArm::Random;
    let audited: Vec<&AuditCase> = cases.iter().filter(|c| !arm_only || c.random).collect();
    if arm_only && audited.is_empty() {
        return Err(eyre!(crate::i18n::t("cli.fairness.no_random_arm")));
    }
    let decided: Vec<&AuditCase> = audited
        .iter()
        .copied()
        .filter(|c| decision(c).is_some())
        .collect();
    let undecided = audited
        .iter()
        .filter(|c| matches!(c.status, CaseStatus::Deferred | CaseStatus::ToSign))
        .count();
    // Side by side needs one group with enough decisions to show: until then (a new
    // database, the first day of reviewing) the model's audit is shown alone, and says why.
    let shown_group = |cases: &[&AuditCase]| {
        let mut sizes = std::collections::HashMap::<&[String], usize>::new();
        for c in cases {
            *sizes.entry(c.groups.as_slice()).or_default() += 1;
        }
        sizes.values().any(|n| *n >= options.min_group)
    };
    let no_decisions = args.source == FairnessSource::Both && !shown_group(&decided);
    let decided_count = decided.len();
    let (source, population): (&'static str, Vec<&AuditCase>) = match args.source {
        FairnessSource::Model => ("model", audited),
        FairnessSource::Both if no_decisions => ("model", audited),
        FairnessSource::Decisions => ("decisions", decided),
        FairnessSource::Both => ("both", decided),
    };
    if population.is_empty() {
        return Err(eyre!(tf("cli.fairness.nothing", &[("source", &source)])));
    }
    let outcome = outcome_kind(&population);
    let outcome_of = |c: &AuditCase| match outcome {
        OutcomeKind::Truth => c.truly_needed.unwrap_or(false),
        OutcomeKind::Recorded => c.recorded_outcome.unwrap_or(false),
        OutcomeKind::Unavailable => false,
    };
    let rows = |score: &dyn Fn(&AuditCase) -> f64| -> Vec<AuditRow> {
        population
            .iter()
            .map(|c| AuditRow {
                groups: c.groups.clone(),
                outcome: outcome_of(c),
                score: score(c),
            })
            .collect()
    };
    let model_rows = rows(&|c| c.probability);
    let model = match source {
        "model" if !arm_only => Some(run_audit(&model_rows, options, outcome)?),
        "model" | "both" => {
            // The model's selection is its cutoff over the whole ranking, not over the
            // decided cases (or the random arm) alone: as a score threshold, it carries over
            // to any subset.
            let all: Vec<f64> = cases.iter().map(|c| c.probability).collect();
            let threshold = options
                .cutoff
                .select(&all)
                .iter()
                .zip(&all)
                .filter(|(s, _)| **s)
                .map(|(_, p)| *p)
                // Nothing selected (a threshold above every score): select nothing here too.
                .fold(f64::INFINITY, f64::min);
            let whole_ranking = AuditOptions {
                cutoff: Cutoff::Threshold(threshold),
                ..options.clone()
            };
            Some(run_audit(&model_rows, &whole_ranking, outcome)?)
        }
        _ => None,
    };
    // People select by accepting: a 0/1 score with the threshold at 1/2.
    let decisions = match source {
        "decisions" | "both" => {
            let people = AuditOptions {
                cutoff: Cutoff::Threshold(0.5),
                ..options.clone()
            };
            let accepted = rows(&|c| if decision(c) == Some(true) { 1.0 } else { 0.0 });
            Some(run_audit(&accepted, &people, outcome)?)
        }
        _ => None,
    };
    Ok(FairnessAudit {
        source,
        arm: if arm_only { "random" } else { "all" },
        outcome,
        cutoff: cutoff_text(options.cutoff),
        population: population.len(),
        undecided_excluded: (source != "model").then_some(undecided),
        no_decisions,
        decided: if no_decisions { decided_count } else { 0 },
        team: caseload.team,
        model_version: Some(caseload.model_version),
        min_group: options.min_group,
        seed: options.seed,
        suppressed: suppressed(&model_rows, options.min_group),
        model,
        decisions,
        by,
        import: None,
        learning_loop: Some(store.loop_facts(&actor)?),
        arm_quality: if arm_only {
            store
                .model_version(caseload.model_version)?
                .decode()?
                .labels
                .and_then(|r| r.random_arm)
        } else {
            None
        },
    })
}

/// `Some(true)` for a standing acceptance, `Some(false)` for a standing rejection.
fn decision(case: &AuditCase) -> Option<bool> {
    match case.status {
        CaseStatus::Accepted => Some(true),
        CaseStatus::Rejected => Some(false),
        _ => None,
    }
}

fn run_audit(
    rows: &[AuditRow],
    options: &AuditOptions,
    outcome: OutcomeKind,
) -> Result<FairnessReport> {
    let mut report = audit(rows, options).map_err(|e| {
        eyre!(match e {
            FairnessError::Empty => tf("cli.fairness.nothing", &[("source", &"-")]),
            FairnessError::AllSuppressed(n) => tf("cli.fairness.all_suppressed", &[("n", &n)]),
            FairnessError::UnknownReference(r) => {
                let shown: Vec<String> = present_groups(rows, options.min_group);
                tf(
                    "cli.fairness.unknown_reference",
                    &[("group", &r), ("groups", &shown.join(", "))],
                )
            }
            FairnessError::BadScore(row) => tf("cli.fairness.bad_score", &[("row", &row)]),
        })
    })?;
    if outcome == OutcomeKind::Unavailable {
        without_outcome(&mut report);
    }
    Ok(report)
}

/// Without an outcome only selection means anything: every other figure is withdrawn rather
/// than computed against a made-up label.
fn without_outcome(report: &mut FairnessReport) {
    report.overall_auc = None;
    for g in &mut report.groups {
        g.confusion = Confusion::default();
        g.auc = None;
        let selection_rate = g.rates.selection_rate;
        g.rates = Default::default();
        g.rates.selection_rate = selection_rate;
        g.intervals.retain(|rate, _| *rate == Rate::SelectionRate);
    }
    for d in &mut report.disparities {
        for x in &mut d.disparities {
            if x.rate != Rate::SelectionRate {
                x.ratio = None;
                x.flagged = false;
            }
        }
    }
    report.summary.equalized_odds_difference = None;
    report.summary.equalized_odds_ratio = None;
}

fn group_sizes(rows: &[AuditRow]) -> BTreeMap<String, usize> {
    let mut sizes = BTreeMap::new();
    for row in rows {
        *sizes.entry(row.key()).or_insert(0) += 1;
    }
    sizes
}

fn suppressed(rows: &[AuditRow], min_group: usize) -> Vec<String> {
    group_sizes(rows)
        .into_iter()
        .filter(|(_, n)| *n < min_group)
        .map(|(k, _)| k)
        .collect()
}

fn present_groups(rows: &[AuditRow], min_group: usize) -> Vec<String> {
    group_sizes(rows)
        .into_iter()
        .filter(|(_, n)| *n >= min_group)
        .map(|(k, _)| k)
        .collect()
}
