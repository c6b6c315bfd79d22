//! `oordeel model list|show|approve`: the model registry. Listing and showing are for those who
//! oversee (admins, auditors, supervisors); approving is for an admin other than the trainer.

pub(super) mod compare;
mod show;

use std::process::ExitCode;

use color_eyre::eyre::Result;
use serde_json::json;

use super::Context;
use crate::cli::{Format, ModelApproveArgs, ModelCommand, ModelListArgs};
use crate::i18n::{self, Lang, t, tf};
use crate::store::{Approval, ModelVersion};

pub fn run(ctx: &Context, cmd: &ModelCommand) -> Result<ExitCode> {
    match cmd {
        ModelCommand::List(args) => list(ctx, args),
        ModelCommand::Show(args) => show::run(ctx, args),
        ModelCommand::Approve(args) => approve(ctx, args),
        ModelCommand::Compare(args) => compare::run(ctx, args),
    }
}

fn list(ctx: &Context, args: &ModelListArgs) -> Result<ExitCode> {
    let (store, actor) = ctx.open()?;
    let versions = store.model_versions(&actor)?;
    let approvals = store.approvals()?;
    for m in &versions {
        if let Some(d) = store.model_disagreement(m.version)? {
            warn_disagreement(&d);
        }
    }
    let queue = store.latest_run()?.map(|(_, version, _)| version);
    if args.format == Format::Json {
        let list: Vec<serde_json::Value> = versions
            .iter()
            .map(|m| {
                json!({
                    "version": m.version,
                    "algorithm": m.algorithm,
                    "trained_at": m.trained_at,
                    "trained_by": m.trained_by,
                    "auc": m.auc,
                    "brier": m.brier,
                    "log_loss": m.log_loss,
                    "training_data_hash": m.training_data_hash,
                    "approved_by": m.approved_by,
                    "approved_at": m.approved_at,
                    "demo_shortcut": approvals.get(&m.version).is_some_and(|a| a.demo_shortcut),
                    "ranks_queue": queue == Some(m.version),
                })
            })
            .collect();
        super::write_data(format!("{}\n", serde_json::to_string_pretty(&list)?).as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    if versions.is_empty() {
        super::say(t("cli.model.none"));
        return Ok(ExitCode::SUCCESS);
    }
    let lang = ctx.lang;
    super::say(&format!(
        "{:>7}  {:<20}  {:<28}  {:>6}  {:>6}  {:>8}  {}",
        t("cli.model.version"),
        t("cli.model.algorithm"),
        t("cli.model.trained"),
        "AUC",
        "Brier",
        "log-loss",
        t("cli.model.approval"),
    ));
    for m in &versions {
        let mut approval = approval_text(lang, m, approvals.get(&m.version));
        if queue == Some(m.version) {
            approval = format!("{approval} · {}", t("cli.model.ranks_queue"));
        }
        super::say(&format!(
            "{:>7}  {:<20}  {:<28}  {:>6}  {:>6}  {:>8}  {}",
            m.version,
            // The name only: the details in brackets are for `model show`.
            m.algorithm.split(" (").next().unwrap_or(&m.algorithm),
            format!("{} {}", when(lang, &m.trained_at), m.trained_by),
            i18n::number(lang, m.auc, 3),
            i18n::number(lang, m.brier, 3),
            i18n::number(lang, m.log_loss, 3),
            approval,
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// "by NAME, DATE" (marked when it was the demo's shortcut), or "not approved".
fn approval_text(lang: Lang, m: &ModelVersion, approval: Option<&Approval>) -> String {
    match (&m.approved_by, &m.approved_at) {
        (Some(by), Some(at)) => {
            let text = tf(
                "cli.model.approved_by",
                &[("by", by), ("at", &when(lang, at))],
            );
            if approval.is_some_and(|a| a.demo_shortcut) {
                format!("{text} ({})", t("cli.model.demo_shortcut"))
            } else {
                text
            }
        }
        _ => t("cli.model.not_approved").to_owned(),
    }
}

/// A stored time in the user's language and time zone.
fn when(lang: Lang, at: &str) -> String {
    i18n::local_time(lang, at, true).unwrap_or_else(|| at.to_owned())
}

fn approve(ctx: &Context, args: &ModelApproveArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    // Refusals (not an admin, own model, already approved) come before the summary.
    let m = store.approvable(&actor, args.version)?;
    let lang = ctx.lang;
    super::say(&tf(
        "cli.model.approving",
        &[
            ("version", &m.version),
            ("algorithm", &m.algorithm),
            ("at", &when(lang, &m.trained_at)),
            ("trainer", &m.trained_by),
        ],
    ));
    super::say(&format!("  {}", metrics_line(lang, &m)));
    super::say(&format!(
        "  {}",
        tf(
            "cli.model.features",
            &[
                ("count", &m.features.len()),
                ("list", &m.features.join(", ")),
            ],
        )
    ));
    super::say(&format!(
        "  {}",
        tf("cli.model.data", &[("hash", &m.training_data_hash)])
    ));
    let recorded = |v: &Option<String>| {
        if v.is_some() {
            t("cli.model.recorded")
        } else {
            t("cli.model.not_recorded")
        }
    };
    super::say(&format!(
        "  {}",
        tf(
            "cli.model.checks",
            &[
                ("evaluation", &recorded(&m.evaluation)),
                ("proxy_check", &recorded(&m.proxy_check)),
            ],
        )
    ));
    // The strong proxies the approver must weigh, named rather than merely "recorded".
    let strong: Vec<String> = m
        .proxy_check
        .as_deref()
        .and_then(|p| serde_json::from_str::<crate::model::ProxyCheck>(p).ok())
        .map(|p| {
            p.strong()
                .iter()
                .map(|pair| {
                    format!(
                        "{} ~ {} (Cramér's V {})",
                        pair.feature,
                        pair.attribute,
                        i18n::number(lang, pair.cramers_v, 2)
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if !strong.is_empty() {
        super::say(&format!(
            "  {}",
            tf("cli.model.strong_proxies", &[("list", &strong.join("; "))])
        ));
    }
    // Against the version that ranks the queue now, on cases neither was fitted on: a
    // version worse on any figure, or with a disparity the one in use did not have, is
    // approved only by typing so.
    if let Some((_, champion, _)) = store.latest_run()?
        && champion != args.version
    {
        let comparison = compare::between(&store, &actor, champion, args.version)?;
        for line in compare::describe(&comparison, lang) {
            super::say(&format!("  {line}"));
        }
        if comparison.needs_confirmation() {
            let expected = format!("approve {}", args.version);
            super::say(&tf("cli.model.type_to_approve", &[("text", &expected)]));
            let mut typed = String::new();
            std::io::stdin().read_line(&mut typed)?;
            if typed.trim() != expected {
                color_eyre::eyre::bail!(tf(
                    "cli.model.not_confirmed",
                    &[("version", &args.version), ("text", &expected)]
                ));
            }
        }
    }
    super::say(&format!("  {}", t("cli.model.confirms")));
    let approval = store.approve_model(&actor, args.version)?;
    super::say(&tf(
        "cli.model.approved",
        &[
            ("version", &approval.version),
            ("by", &approval.by),
            ("spec", &approval.spec_hash),
        ],
    ));
    Ok(ExitCode::SUCCESS)
}

/// "Held out: AUC · Brier · log-loss" of a version.
pub(super) fn metrics_line(lang: Lang, m: &ModelVersion) -> String {
    tf(
        "cli.model.metrics",
        &[
            ("auc", &i18n::number(lang, m.auc, 3)),
            ("brier", &i18n::number(lang, m.brier, 3)),
            ("log_loss", &i18n::number(lang, m.log_loss, 3)),
        ],
    )
}

/// A registry row edited by hand, named on stderr: what is shown is what the log says.
pub(super) fn warn_disagreement(d: &crate::store::Disagreement) {
    use crate::messages::one_line as error_value;
    super::warn(&format!(
        "oordeel: {}",
        tf(
            "cli.model.disagrees",
            &[
                ("row", &d.row),
                ("column", &d.column),
                ("stored", &error_value(d.stored.as_deref())),
                ("logged", &error_value(d.logged.as_deref())),
            ]
        )
    ));
}
