//! `oordeel report model`: the model card, as text, JSON or one self-contained HTML file.

use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::Context;
use crate::cli::{CardFormat, ModelCardArgs};
use crate::domain::fairness::{self, AuditOptions, AuditRow, Cutoff};
use crate::domain::four_eyes::FourEyesRule;
use crate::i18n::{self, t, tf};
use crate::model::DecodedVersion;
use crate::oversight::model_card::{
    FairnessSection, FeatureFacts, GroupHistogram, ModelCard, ModelFacts, OversightFacts, document,
    html, range_of,
};
use crate::store::{GroupAttribute, PROTECTED_COLUMNS, Store};

/// Equal probability bins of the score distribution chart.
const DISTRIBUTION_BINS: usize = 20;

pub fn run(ctx: &Context, args: &ModelCardArgs) -> Result<ExitCode> {
    let (store, actor) = ctx.open()?;
    crate::store::require_role(&actor, actor.role.audits(), "error.action.audit")?;
    let card = gather(&store, &actor, args.version)?;
    let bytes = match args.format {
        CardFormat::Json => format!("{}\n", serde_json::to_string_pretty(&card)?),
        // A document for people, even in a pipe: feature texts come from the database.
        CardFormat::Text => crate::domain::text::sanitize_text(&document::to_text(
            &card.title(),
            &card.blocks(ctx.lang, false),
            80,
        ))
        .into_owned(),
        CardFormat::Html => {
            html::to_html(ctx.lang.code(), &card.title(), &card.blocks(ctx.lang, true))
        }
    }
    .into_bytes();
    match &args.out {
        Some(path) => {
            // Owner-only: the card names the trainer, approver and documenting admins.
            super::write_whole(path, &bytes, 0o600)?;
            super::warn(&tf("cli.card.written", &[("path", &path.display())]));
        }
        None => super::write_data(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn gather(store: &Store, actor: &crate::store::Actor, version: Option<i64>) -> Result<ModelCard> {
    let run = store.latest_run()?;
    let stored = match version.or(run.map(|(_, v, _)| v)) {
        Some(v) => store.model_version(v)?,
        None => store.latest_model()?,
    };
    let in_use = run.is_some_and(|(_, v, _)| v == stored.version);
    let DecodedVersion {
        model: trained,
        evaluation,
        proxy_check,
        labels,
    } = stored.decode()?;
    let documented = store.feature_metadata(actor)?;
    let features = trained
        .features
        .iter()
        .map(|f| {
            let meta = documented.iter().find(|m| m.name == f.name);
            FeatureFacts {
                name: f.name.clone(),
                kind: format!("{:?}", f.kind).to_lowercase(),
                description: meta.map(|m| m.description.clone()),
                source: meta.map(|m| m.source.clone()),
                legal_basis: meta.map(|m| m.legal_basis.clone()),
                approved_by: meta.map(|m| m.approved_by.clone()),
            }
        })
        .collect();
    let (fairness, score_distribution, contribution_ranges) = if in_use {
        let mut histograms = Vec::new();
        for attribute in PROTECTED_COLUMNS {
            for (group, counts) in store.score_distribution(actor, attribute, DISTRIBUTION_BINS)? {
                histograms.push(GroupHistogram {
                    attribute: attribute.to_string(),
                    group,
                    counts,
                });
            }
        }
        let ranges = store
            .contribution_samples(actor)?
            .iter()
            .filter_map(|c| range_of(&c.feature, &c.values))
            .collect();
        (fairness_section(store, actor)?, histograms, ranges)
    } else {
        (None, Vec::new(), Vec::new())
    };
    let tally = store.decision_tally(actor)?;
    let rules = store.four_eyes_rules()?;
    Ok(ModelCard {
        generated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        demo: store.is_demo()?,
        model: ModelFacts {
            version: stored.version,
            algorithm: stored.algorithm.clone(),
            trained_at: stored.trained_at.clone(),
            trained_by: stored.trained_by.clone(),
            approved_by: stored.approved_by.clone(),
            approved_at: stored.approved_at.clone(),
            demo_shortcut: store
                .approvals()?
                .get(&stored.version)
                .is_some_and(|a| a.demo_shortcut),
            training_data_hash: stored.training_data_hash.clone(),
            n_train: trained.metrics.n_train,
            n_test: trained.metrics.n_test,
            positive_rate: trained.metrics.positive_rate,
            auc: stored.auc,
            brier: stored.brier,
            log_loss: stored.log_loss,
            in_use,
            ranked_cases: run.filter(|_| in_use).map(|(_, _, n)| n),
        },
        features,
        evaluation,
        proxy_check,
        fairness,
        score_distribution,
        contribution_ranges,
        oversight: OversightFacts {
            four_eyes: rules.rule.iter().map(four_eyes_sentence).collect(),
            decisions: tally.decisions,
            reviewers: tally.reviewers,
            overrides: tally.overrides,
            checkpoint_key: store.checkpoint_key()?,
        },
        learning_loop: labels
            .as_ref()
            .map(|r| super::train_labels::describe_labels(r, crate::i18n::lang()))
            .unwrap_or_default(),
        comparison: labels.and_then(|r| r.comparison),
    })
}

/// The model's top 30% per migration background, against the demo's true need where the
/// database has it, else the recorded outcome; `None` when no ranked case has either.
fn fairness_section(store: &Store, actor: &crate::store::Actor) -> Result<Option<FairnessSection>> {
    let caseload = store.fairness_caseload(actor, &[GroupAttribute::MigrationBackground])?;
    let truth = caseload.cases.iter().any(|c| c.truly_needed.is_some());
    let rows: Vec<AuditRow> = caseload
        .cases
        .iter()
        .filter_map(|c| {
            let outcome = if truth {
                c.truly_needed
            } else {
                c.recorded_outcome
            }?;
            Some(AuditRow {
                groups: c.groups.clone(),
                outcome,
                score: c.probability,
            })
        })
        .collect();
    if rows.is_empty() {
        return Ok(None);
    }
    let options = AuditOptions::new(Cutoff::TopPercent(30.0));
    let report = fairness::audit(&rows, &options)?;
    let outcome = if truth {
        t("card.fairness.truth")
    } else {
        t("card.fairness.recorded")
    };
    Ok(Some(FairnessSection {
        outcome: outcome.to_string(),
        report,
    }))
}

fn four_eyes_sentence(rule: &FourEyesRule) -> String {
    use crate::domain::decision::Decision;
    let what = match rule.decisions.as_slice() {
        [] => t("card.four_eyes.any"),
        [Decision::Reject] => t("card.four_eyes.reject"),
        [Decision::Accept] => t("card.four_eyes.accept"),
        _ => t("card.four_eyes.some"),
    };
    let mut conditions = Vec::new();
    if let Some(p) = rule.top_percent {
        conditions.push(tf(
            "card.four_eyes.top",
            &[("percent", &i18n::number(i18n::lang(), p, 0))],
        ));
    }
    if !rule.threat_signals.is_empty() {
        conditions.push(t("card.four_eyes.threat").to_string());
    }
    tf(
        "card.four_eyes.sentence",
        &[("what", &what), ("conditions", &conditions.join(" "))],
    )
    .replace("  ", " ")
}
