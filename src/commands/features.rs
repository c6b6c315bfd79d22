//! `oordeel features ...`: the documentation of each model feature and the rules on which
//! features may not be used; and the governance steps `train` runs (refusal, proxy check).

use std::process::ExitCode;

use color_eyre::eyre::Result;
use serde_json::json;

use super::Context;
use crate::cli::{FeatureForbidArgs, FeatureSetArgs, FeaturesCommand, FeaturesListArgs, Format};
use crate::domain::feature_governance::{DeclaredMeaning, check_features};
use crate::domain::feature_rules::FeatureRules;
use crate::domain::text::sanitize;
use crate::i18n::{self, t, tf};
use crate::messages::ground_label;
use crate::model::{ProxyCheck, proxy_check};
use crate::store::{Actor, FeatureDoc, PROTECTED_COLUMNS, Store, TrainingRows};

pub fn run(ctx: &Context, cmd: &FeaturesCommand) -> Result<ExitCode> {
    match cmd {
        FeaturesCommand::List(args) => list(ctx, args),
        FeaturesCommand::Set(args) => set(ctx, args),
        FeaturesCommand::Forbid(args) => forbid(ctx, args),
        FeaturesCommand::Catalogue => catalogue(),
    }
}

/// Every feature a household profile may choose, with what it is: no database needed.
fn catalogue() -> Result<ExitCode> {
    let docs = crate::domain::feature_catalogue::documentation();
    let mut out = vec![t("cli.features.catalogue").to_owned()];
    for (name, categorical) in crate::domain::feature_catalogue::CATALOGUE {
        let kind = if *categorical {
            "categorical"
        } else {
            "numeric"
        };
        out.push(format!(
            "  {name} ({})",
            t(&format!("cli.features.kind_{kind}"))
        ));
        if let Some(d) = docs.get(*name) {
            out.push(format!("      {}", d.description));
        }
    }
    super::say(&out.join("\n"));
    Ok(ExitCode::SUCCESS)
}

fn list(ctx: &Context, args: &FeaturesListArgs) -> Result<ExitCode> {
    let (store, actor) = ctx.open()?;
    let features = store.feature_metadata(&actor)?;
    let rules = store.feature_rules()?;
    if args.format == Format::Json {
        let out = json!({ "features": features, "rules": rules });
        super::write_data(format!("{}\n", serde_json::to_string_pretty(&out)?).as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    for f in &features {
        super::say(&format!(
            "{} ({})",
            sanitize(&f.name),
            t(&format!("cli.features.kind_{}", f.kind))
        ));
        for (label, text) in [
            ("cli.features.description", &f.description),
            ("cli.features.source", &f.source),
            ("cli.features.legal_basis", &f.legal_basis),
        ] {
            super::say(&format!("  {:<20} {}", t(label), sanitize(text)));
        }
        super::say(&format!(
            "  {:<20} {}, {}",
            t("cli.features.approved"),
            sanitize(&f.approved_by),
            super::claims::local_time(&f.approved_at)
        ));
    }
    super::say(&tf("cli.features.count", &[("count", &features.len())]));
    super::say(&tf(
        "cli.features.rules",
        &[(
            "threshold",
            &i18n::number(ctx.lang, rules.proxy_threshold, 2),
        )],
    ));
    for (ground, terms) in &rules.terms {
        super::say(&format!(
            "  {:<34} {}",
            ground_label(ground),
            sanitize(&terms.join(", "))
        ));
    }
    Ok(ExitCode::SUCCESS)
}

fn set(ctx: &Context, args: &FeatureSetArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    let doc = FeatureDoc {
        name: &args.name,
        source: &args.source,
        legal_basis: &args.legal_basis,
        description: &args.description,
    };
    store.document_features(&actor, &[doc])?;
    super::say(&tf(
        "cli.features.documented",
        &[("name", &args.name), ("by", &actor.name)],
    ));
    // Documented as declared, but say now what training will say later.
    let rules = store.feature_rules()?;
    let verdict = check_features([args.name.as_str()], &rules, |_| {
        Some(DeclaredMeaning {
            description: &args.description,
            source: &args.source,
        })
    });
    if let Err(refusal) = verdict {
        super::warn(&tf(
            "cli.features.will_refuse",
            &[("why", &refusal.to_string())],
        ));
    }
    Ok(ExitCode::SUCCESS)
}

fn forbid(ctx: &Context, args: &FeatureForbidArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    let key = if store.forbid_feature_term(&actor, &args.term)? {
        "cli.features.forbidden"
    } else {
        "cli.features.already_forbidden"
    };
    super::say(&tf(key, &[("term", &args.term.trim())]));
    // The version ranking the queue was trained under the old rules: say at once if the new
    // term catches one of its features, so nobody approves or keeps it unawares.
    if let Some((_, version, _)) = store.latest_run()? {
        let model = store.model_version(version)?;
        let verdict = store.feature_refusal(&actor, &model.features)?;
        if let Err(refusal) = verdict {
            super::warn(&tf(
                "cli.features.in_use_refused",
                &[("version", &version), ("why", &refusal.to_string())],
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuses training when a feature is undocumented or forbidden by the database's rules;
/// returns the rules for the proxy check.
pub(super) fn check_before_training(
    store: &Store,
    actor: &Actor,
    data: &TrainingRows,
) -> Result<FeatureRules> {
    let names: Vec<String> = data.features.iter().map(|(n, _)| n.clone()).collect();
    let verdict = store.feature_refusal(actor, &names)?;
    let rules = store.feature_rules()?;
    if let Err(refusal) = verdict {
        color_eyre::eyre::bail!(tf(
            "cli.features.train_refused",
            &[("why", &refusal.to_string())]
        ));
    }
    Ok(rules)
}

/// Every feature against every protected attribute on the training rows (JSON for
/// `model_versions.proxy_check`), with one warning line per strong proxy.
pub(super) fn proxy_check_for_training(
    store: &Store,
    data: &TrainingRows,
    rules: &FeatureRules,
) -> Result<ProxyCheck> {
    let groups = store.training_groups()?;
    let check = proxy_check(
        &data.features,
        &data.rows,
        &PROTECTED_COLUMNS,
        &groups.rows,
        rules.proxy_threshold,
    );
    let lang = i18n::lang();
    for pair in check.strong() {
        super::warn(&tf(
            "cli.features.strong_proxy",
            &[
                ("feature", &pair.feature),
                ("attribute", &pair.attribute),
                ("v", &i18n::number(lang, pair.cramers_v, 2)),
                (
                    "nmi",
                    &i18n::number(lang, pair.normalized_mutual_information, 3),
                ),
                ("threshold", &i18n::number(lang, check.threshold, 2)),
            ],
        ));
    }
    Ok(check)
}
