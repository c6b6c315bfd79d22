//! `oordeel model show V`: one model version in full.
//!
//! The evaluation and proxy check are JSON written by training; they are shown as they are
//! (indented in text, nested in JSON), so this command need not change when they gain fields.

use std::process::ExitCode;

use color_eyre::eyre::Result;
use serde_json::{Value, json};

use super::{Context, approval_text, metrics_line, when};
use crate::cli::{Format, ModelShowArgs};
use crate::domain::feature_hash::spec_hash;
use crate::i18n::{self, t, tf};
use crate::model::FeatureKind;

pub fn run(ctx: &Context, args: &ModelShowArgs) -> Result<ExitCode> {
    let (store, actor) = ctx.open()?;
    let m = store.model_record(&actor, args.version)?;
    // The approval shown is the log's; a row that says otherwise is named, not believed.
    if let Some(d) = store.model_disagreement(m.version)? {
        super::warn_disagreement(&d);
    }
    let approval = store.approvals()?.remove(&m.version);
    let ranks_queue = store.latest_run()?.map(|(_, v, _)| v) == Some(m.version);
    // The specification is the model's own JSON; a version that no longer parses is still
    // shown, without the parts only the specification holds.
    let spec = m.model().ok();
    let spec_now = spec_hash(&m.spec);
    // The stored model is not the one that was approved: someone changed it since.
    let changed_since_approval = approval
        .as_ref()
        .filter(|a| !a.spec_hash.is_empty() && a.spec_hash != spec_now);
    let columns: Vec<(String, f64)> = spec
        .as_ref()
        .map(|s| {
            s.encoding
                .column_names()
                .into_iter()
                .zip(s.coefficients.iter().copied())
                .collect()
        })
        .unwrap_or_default();
    let kinds: Vec<Option<FeatureKind>> = m
        .features
        .iter()
        .map(|f| {
            spec.as_ref()
                .and_then(|s| s.features.iter().find(|d| &d.name == f).map(|d| d.kind))
        })
        .collect();

    if args.format == Format::Json {
        let parsed = |v: &Option<String>| -> Value {
            v.as_deref().map_or(Value::Null, |text| {
                serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
            })
        };
        let out = json!({
            "version": m.version,
            "algorithm": m.algorithm,
            "trained_at": m.trained_at,
            "trained_by": m.trained_by,
            "features": m.features.iter().zip(&kinds).map(|(name, kind)| json!({
                "name": name,
                "kind": kind,
            })).collect::<Vec<_>>(),
            "intercept": m.intercept,
            "coefficients": columns.iter().map(|(column, c)| json!({
                "column": column,
                "coefficient": c,
            })).collect::<Vec<_>>(),
            "metrics": spec.as_ref().map(|s| json!(s.metrics)).unwrap_or_else(|| json!({
                "auc": m.auc, "brier": m.brier, "log_loss": m.log_loss,
            })),
            "training_data_hash": m.training_data_hash,
            "spec_hash": spec_now,
            "approval": approval.as_ref().map(|a| json!({
                "by": a.by,
                "at": a.at,
                "spec_hash": a.spec_hash,
                "demo_shortcut": a.demo_shortcut,
            })),
            "approved_by": m.approved_by,
            "approved_at": m.approved_at,
            "changed_since_approval": changed_since_approval.is_some(),
            "ranks_queue": ranks_queue,
            "evaluation": parsed(&m.evaluation),
            "proxy_check": parsed(&m.proxy_check),
            "labels": parsed(&m.labels),
        });
        super::super::write_data(format!("{}\n", serde_json::to_string_pretty(&out)?).as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }

    let lang = ctx.lang;
    let say = super::super::say;
    say(&tf(
        "cli.model.heading",
        &[("version", &m.version), ("algorithm", &m.algorithm)],
    ));
    say(&format!(
        "  {}",
        tf(
            "cli.model.trained_line",
            &[("at", &when(lang, &m.trained_at)), ("by", &m.trained_by)],
        )
    ));
    let sizes = spec
        .as_ref()
        .map(|s| {
            tf(
                "cli.model.sizes",
                &[("train", &s.metrics.n_train), ("test", &s.metrics.n_test)],
            )
        })
        .unwrap_or_default();
    say(&format!("  {}{sizes}", metrics_line(lang, &m)));
    say(&format!(
        "  {}",
        tf("cli.model.data", &[("hash", &m.training_data_hash)])
    ));
    say(&format!(
        "  {}",
        tf("cli.model.spec", &[("hash", &spec_now)])
    ));
    match &m.approved_by {
        Some(_) => say(&format!(
            "  {}",
            tf(
                "cli.model.approval_line",
                &[("approval", &approval_text(lang, &m, approval.as_ref()))],
            )
        )),
        None => say(&format!(
            "  {}",
            tf(
                "cli.model.unapproved_hint",
                &[("version", &m.version), ("trainer", &m.trained_by)],
            )
        )),
    }
    if approval.as_ref().is_some_and(|a| a.demo_shortcut) {
        say(&format!("  {}", t("cli.model.shortcut_note")));
    }
    if let Some(a) = changed_since_approval {
        say(&format!(
            "  {}",
            tf(
                "cli.model.changed_since_approval",
                &[("approved", &a.spec_hash), ("now", &spec_now)],
            )
        ));
    }
    if ranks_queue {
        say(&format!("  {}", t("cli.model.ranks_queue_line")));
    }
    // Where the labels came from, the correction, the random arm, the comparison.
    if let Some(report) = m.decode()?.labels {
        say(&format!("\n{}", t("cli.model.labels_heading")));
        for line in super::super::train_labels::describe(&report, lang) {
            say(&format!("  {line}"));
        }
    }
    say(&format!("\n{}", t("cli.model.features_heading")));
    for (i, (name, kind)) in m.features.iter().zip(&kinds).enumerate() {
        let kind = match kind {
            Some(FeatureKind::Numeric) => t("cli.model.numeric"),
            Some(FeatureKind::Categorical) => t("cli.model.categorical"),
            None => "",
        };
        say(&format!("  {:>2}. {name}  {kind}", i + 1));
    }
    let signed = |v: f64| {
        let s = i18n::number(lang, v, 4);
        if v >= 0.0 { format!("+{s}") } else { s }
    };
    let width = columns
        .iter()
        .map(|(c, _)| c.chars().count())
        .max()
        .unwrap_or(0)
        .max(t("cli.model.intercept").chars().count());
    say(&format!("\n{}", t("cli.model.coefficients_heading")));
    say(&format!(
        "  {:<width$}  {:>9}",
        t("cli.model.intercept"),
        signed(m.intercept)
    ));
    for (column, c) in &columns {
        say(&format!("  {column:<width$}  {:>9}", signed(*c)));
    }
    for (heading, value) in [
        ("cli.model.evaluation_heading", &m.evaluation),
        ("cli.model.proxy_heading", &m.proxy_check),
    ] {
        say(&format!("\n{}", t(heading)));
        match value {
            Some(text) => {
                let pretty = serde_json::from_str::<Value>(text)
                    .ok()
                    .and_then(|v| serde_json::to_string_pretty(&v).ok())
                    .unwrap_or_else(|| text.clone());
                for line in pretty.lines() {
                    say(&format!("  {line}"));
                }
            }
            None => say(&format!("  {}", t("cli.model.not_recorded"))),
        }
    }
    Ok(ExitCode::SUCCESS)
}
