//! `oordeel register export`: the entry for the public Algoritmeregister (standard 1.0.0).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use color_eyre::eyre::{Result, WrapErr, bail};

use super::Context;
use crate::cli::{RegisterCommand, RegisterExportArgs};
use crate::i18n::tf;
use crate::oversight::register::schema::{Pattern, Problem, Standard, Violation};
use crate::oversight::register::{
    self, DEMO_ORGANISATION, Facts, FeatureFacts, ModelFacts, Organisation,
};
use crate::store::{ModelVersion, RegisterRows};

pub fn run(ctx: &Context, cmd: &RegisterCommand) -> Result<ExitCode> {
    match cmd {
        RegisterCommand::Export(args) => export(ctx, args),
    }
}

fn export(ctx: &Context, args: &RegisterExportArgs) -> Result<ExitCode> {
    let (store, actor) = ctx.open()?;
    let rows = store.register_rows(&actor)?;
    let four_eyes = store.four_eyes_rules()?;
    let (org, org_source) = organisation(args.organisation.as_deref(), rows.is_demo)?;
    let facts = facts(&store, rows, four_eyes)?;
    let record = register::build(&org, &facts);
    let violations = Standard::embedded().check(&record.to_value());
    if !violations.is_empty() {
        let lines: Vec<String> = violations.iter().map(describe).collect();
        bail!(tf(
            "cli.register.invalid",
            &[("source", &org_source), ("problems", &lines.join("\n  "))]
        ));
    }
    let bytes = format!("{}\n", serde_json::to_string_pretty(&record)?).into_bytes();
    match &args.out {
        Some(path) => {
            // Readable by all: the entry is written to be published.
            super::write_whole(path, &bytes, 0o644)?;
            super::warn(&tf(
                "cli.register.written",
                &[("path", &path.display()), ("status", &facts.status())],
            ));
        }
        None => super::write_data(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The organisation file: `--organisation`, else the user's config file, else (for the demo
/// caseload only) the demo municipality's. A real caseload without one is refused: the
/// register must not publish Voorbeeldstad's contact address for a real municipality.
pub(super) fn organisation(given: Option<&Path>, is_demo: bool) -> Result<(Organisation, String)> {
    let configured = crate::paths::organisation_file();
    let path: Option<PathBuf> = match given {
        Some(p) => Some(p.to_path_buf()),
        None => configured.clone().filter(|p| p.exists()),
    };
    let Some(path) = path else {
        if is_demo {
            super::warn(crate::i18n::t("cli.register.demo_organisation"));
            let org = Organisation::parse(DEMO_ORGANISATION).expect("the demo file parses");
            return Ok((org, "assets/register/organisation.toml".into()));
        }
        let config = configured
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "organisation.toml".into());
        bail!(tf("cli.register.no_organisation", &[("config", &config)]));
    };
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path)
        .wrap_err_with(|| tf("cli.register.unreadable", &[("path", &shown)]))?;
    let org = Organisation::parse(&text).map_err(|e| {
        color_eyre::eyre::eyre!(tf(
            "cli.register.bad_organisation",
            &[("path", &shown), ("error", &e.to_string().trim())]
        ))
    })?;
    Ok((org, shown))
}

fn facts(
    store: &crate::store::Store,
    rows: RegisterRows,
    four_eyes: crate::domain::four_eyes::FourEyesRules,
) -> Result<Facts> {
    let approvals = store.approvals()?;
    let model = rows
        .in_use
        .as_ref()
        .map(|m| {
            model_facts(
                m,
                approvals.get(&m.version).is_some_and(|a| a.demo_shortcut),
            )
        })
        .transpose()?;
    let proxy_flags = rows
        .in_use
        .as_ref()
        .and_then(|m| m.proxy_check.as_deref())
        .map(proxy_flags)
        .unwrap_or_default();
    Ok(Facts {
        model,
        features: rows
            .features
            .into_iter()
            .map(|(name, description, source)| FeatureFacts {
                name,
                description,
                source,
            })
            .collect(),
        four_eyes,
        in_use_since: rows
            .in_use_since
            .and_then(|at| at.get(..7).map(str::to_string)),
        proxy_flags,
        checkpoint_key: store.checkpoint_key()?,
    })
}

fn model_facts(m: &ModelVersion, demo_shortcut: bool) -> Result<ModelFacts> {
    let trained = m.model()?;
    Ok(ModelFacts {
        version: m.version,
        features: m.features.len(),
        n_train: trained.metrics.n_train,
        n_test: trained.metrics.n_test,
        auc: m.auc,
        brier: m.brier,
        training_data_hash: m.training_data_hash.clone(),
        trained_at: m.trained_at.clone(),
        approved_by: m.approved_by.clone(),
        approved_at: m.approved_at.clone(),
        demo_shortcut,
    })
}

/// The strong proxies of a version's proxy check, in Dutch words. A check that does not
/// parse (written by another version of oordeel) is left out rather than failing the export.
fn proxy_flags(json: &str) -> Vec<String> {
    let Ok(check) = serde_json::from_str::<crate::model::ProxyCheck>(json) else {
        return Vec::new();
    };
    check
        .strong()
        .into_iter()
        .map(|p| {
            format!(
                "{} hangt samen met {} (Cramérs V {})",
                p.feature,
                attribute_nl(&p.attribute),
                format!("{:.2}", p.cramers_v).replace('.', ",")
            )
        })
        .collect()
}

fn attribute_nl(attribute: &str) -> &str {
    match attribute {
        "gender" => "geslacht",
        "age_band" => "leeftijd",
        "migration_background" => "migratieachtergrond",
        other => other,
    }
}

fn describe(v: &Violation) -> String {
    let (key, args): (&str, Vec<(&str, String)>) = match &v.problem {
        Problem::Unknown => ("cli.register.problem.unknown", vec![]),
        Problem::Missing => ("cli.register.problem.missing", vec![]),
        Problem::TooLong(n, max) => (
            "cli.register.problem.too_long",
            vec![("length", n.to_string()), ("max", max.to_string())],
        ),
        Problem::NotPermitted(value) => (
            "cli.register.problem.not_permitted",
            vec![("value", value.clone())],
        ),
        Problem::TooMany(n, max) => (
            "cli.register.problem.too_many",
            vec![("count", n.to_string()), ("max", max.to_string())],
        ),
        Problem::Shape(shape) => (
            "cli.register.problem.shape",
            vec![("shape", shape.to_string())],
        ),
        Problem::Markup => ("cli.register.problem.markup", vec![]),
        Problem::Hidden(code) => (
            "cli.register.problem.hidden",
            vec![("code", format!("U+{code:04X}"))],
        ),
        Problem::Pattern(Pattern::EmailOrHttps) => ("cli.register.problem.email_or_https", vec![]),
        Problem::Pattern(Pattern::Https) => ("cli.register.problem.https", vec![]),
        Problem::Pattern(Pattern::YearMonth) => ("cli.register.problem.year_month", vec![]),
    };
    let mut all: Vec<(&str, &dyn std::fmt::Display)> = vec![("field", &v.field)];
    for (k, value) in &args {
        all.push((k, value));
    }
    let line = tf(key, &all);
    if FROM_DATABASE.contains(&v.field.as_str()) {
        format!(
            "{line} {}",
            crate::i18n::t("cli.register.problem.from_database")
        )
    } else {
        line
    }
}

/// Fields oordeel writes from the database: a problem there is corrected in the feature
/// documentation, not in the organisation file.
const FROM_DATABASE: [&str; 4] = [
    "source_data",
    "methods_and_models",
    "human_intervention",
    "risks",
];
