//! `oordeel explain --case ID`: the exact additive explanation of a case's score, and the
//! proof that the stored score is what its features and model version give (see
//! [`reproduction`]): a score that does not reproduce is a finding, and exits non-zero.

mod reproduction;

use crate::store::Refusal;
use std::process::ExitCode;

use color_eyre::eyre::{Result, eyre};

use super::Context;
use crate::cli::{ExplainArgs, Format};
use crate::domain::text::sanitize;
use crate::domain::view::FeatureValue;
use crate::i18n::{self, t, t_or, tf};

pub fn run(ctx: &Context, args: &ExplainArgs) -> Result<ExitCode> {
    let (store, actor) = ctx.open()?;
    let detail = store.case_detail(&actor, args.case_id)?;
    // Judge-first: the same promise as in the console, no score before one's own judgment.
    if detail.judge_first.is_some_and(|j| j.initial.is_none()) {
        let case = crate::store::CaseRef {
            id: args.case_id,
            household: detail.household.pseudonym.clone(),
        };
        return Err(crate::store::StoreError::Refused(Refusal::JudgeFirst(case)).into());
    }
    // Halted: people who decide work without the model, here as in the console. Those who
    // oversee it may still look at what it said, which is how a halt gets investigated.
    if let Some(halt) = store.halt_notice()? {
        if actor.role.decides() && !actor.role.administers() {
            return Err(eyre!(tf(
                "cli.explain.halted",
                &[("by", &halt.by), ("reason", &halt.reason)]
            )));
        }
        super::warn(&tf(
            "cli.explain.halted_overseer",
            &[("by", &halt.by), ("reason", &halt.reason)],
        ));
    }
    let unscored = if detail.status == crate::domain::decision::CaseStatus::Closed {
        "cli.explain.closed"
    } else {
        "cli.explain.unscored"
    };
    let (explanation, ranking) = store
        .explanation(args.case_id)?
        .ok_or_else(|| eyre!(tf(unscored, &[("case", &args.case_id)])))?;
    let check = reproduction::check(&store, args.case_id)?
        .ok_or_else(|| eyre!(tf(unscored, &[("case", &args.case_id)])))?;
    let exit = if check.failed() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    };
    if args.format == Format::Json {
        let mut value = serde_json::to_value(&explanation)?;
        if let (Some(out), serde_json::Value::Object(extra)) = (value.as_object_mut(), check.json())
        {
            out.extend(extra);
        }
        let mut json = serde_json::to_vec_pretty(&value)?;
        json.push(b'\n');
        super::write_data(&json)?;
        return Ok(exit);
    }
    let lang = ctx.lang;
    let signed = |v: f64| {
        let s = i18n::number(lang, v, 3);
        if v >= 0.0 { format!("+{s}") } else { s }
    };
    super::say(&tf(
        "cli.explain.heading",
        &[
            ("case", &args.case_id),
            ("household", &sanitize(&detail.household.pseudonym)),
            ("version", &explanation.model_version),
        ],
    ));
    let rows: Vec<(String, String)> = explanation
        .contributions
        .iter()
        .map(|c| {
            let label = t_or(&format!("feature.{}", c.feature), &c.feature);
            let value = match &c.value {
                FeatureValue::Number(n) => {
                    i18n::number(lang, *n, if n.fract() == 0.0 { 0 } else { 2 })
                }
                FeatureValue::Category(s) => t_or(&format!("{}.{s}", c.feature), s).to_owned(),
            };
            (
                format!("{} = {}", sanitize(label), sanitize(&value)),
                signed(c.contribution),
            )
        })
        .collect();
    let width = rows
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0)
        .max(30);
    super::say(&format!(
        "  {:<width$}  {:>8}",
        t("cli.explain.baseline"),
        signed(explanation.intercept)
    ));
    for (label, value) in &rows {
        super::say(&format!("  {label:<width$}  {value:>8}"));
    }
    super::say(&format!(
        "  {:<width$}  {:>8}",
        t("cli.explain.logit"),
        signed(explanation.logit)
    ));
    // Without a place when the queue is not in the model's order (halted since).
    let summary = match ranking.rank {
        Some(rank) => tf(
            "cli.explain.summary",
            &[
                ("score", &i18n::number(lang, explanation.score, 3)),
                ("rank", &i18n::number(lang, rank as f64, 0)),
                ("ranked", &i18n::number(lang, ranking.ranked as f64, 0)),
                ("auc", &i18n::number(lang, ranking.auc, 2)),
            ],
        ),
        None => tf(
            "cli.explain.summary_unranked",
            &[
                ("score", &i18n::number(lang, explanation.score, 3)),
                ("auc", &i18n::number(lang, ranking.auc, 2)),
            ],
        ),
    };
    super::say(&summary);
    for line in check.lines() {
        super::say(&line);
    }
    Ok(exit)
}
