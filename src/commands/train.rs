//! `oordeel train`: fit a model version on the historical outcomes and store it.

use std::process::ExitCode;

use color_eyre::eyre::{Result, bail};

use super::Context;
use crate::cli::TrainArgs;
use crate::i18n::{self, tf};
use crate::model::{self, FeatureDef, FeatureKind, Metrics, TrainOptions};
use crate::store::{Actor, ModelVersion, Store};

pub fn run(ctx: &Context, args: &TrainArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    let (version, m) = train_and_store(&mut store, &actor, args.l2, args.seed)?;
    let lang = ctx.lang;
    super::say(&tf(
        "cli.train.done",
        &[
            ("version", &version),
            ("train", &m.n_train),
            ("test", &m.n_test),
            ("auc", &i18n::number(lang, m.auc, 3)),
            ("brier", &i18n::number(lang, m.brier, 3)),
            ("log_loss", &i18n::number(lang, m.log_loss, 3)),
        ],
    ));
    super::train_quality::print_summary(&store, version, lang)?;
    super::say(&tf("cli.train.needs_approval", &[("version", &version)]));
    Ok(ExitCode::SUCCESS)
}

/// Trains on every closed case with a known outcome and stores the model version (logged).
pub fn train_and_store(
    store: &mut Store,
    actor: &Actor,
    l2: f64,
    seed: u64,
) -> Result<(i64, Metrics)> {
    if !(l2.is_finite() && l2 >= 0.0) {
        bail!(tf("cli.train.bad_l2", &[("l2", &l2)]));
    }
    // A new database has no caseload yet: that is too little history as well.
    let data = match store.training_rows() {
        Err(crate::store::StoreError::Empty(_)) => crate::store::TrainingRows {
            features: Vec::new(),
            rows: Vec::new(),
            labels: Vec::new(),
        },
        other => other?,
    };
    // Below this a held-out part, a calibration part and both outcomes in each are not there
    // to be had: the model would be fitted and judged on a handful of cases.
    const MIN_CASES: usize = 50;
    const MIN_EACH: usize = 10;
    let positive = data.labels.iter().filter(|&&l| l).count();
    let negative = data.labels.len() - positive;
    if data.rows.len() < MIN_CASES || positive < MIN_EACH || negative < MIN_EACH {
        bail!(tf(
            "cli.train.no_history",
            &[
                ("found", &data.rows.len()),
                ("positive", &positive),
                ("negative", &negative),
                ("min", &MIN_CASES),
                ("each", &MIN_EACH),
            ]
        ));
    }
    // Feature governance before anything is fitted: undocumented or forbidden features stop here.
    let rules = super::features::check_before_training(store, actor, &data)?;
    let defs: Vec<FeatureDef> = data
        .features
        .iter()
        .map(|(name, categorical)| FeatureDef {
            name: name.clone(),
            kind: if *categorical {
                FeatureKind::Categorical
            } else {
                FeatureKind::Numeric
            },
        })
        .collect();
    let options = TrainOptions {
        l2,
        seed,
        ..TrainOptions::default()
    };
    let training = model::train_with_report(&defs, &data.rows, &data.labels, &options)?;
    let evaluation = super::train_quality::held_out_evaluation(store, &data, &training)?;
    let trained = training.model;
    let proxy = super::features::proxy_check_for_training(store, &data, &rules)?;
    let stored = ModelVersion {
        version: 0,
        algorithm: trained.algorithm.clone(),
        features: trained.features.iter().map(|f| f.name.clone()).collect(),
        spec: serde_json::to_string(&trained)?,
        intercept: trained.intercept,
        auc: trained.metrics.auc,
        brier: trained.metrics.brier,
        log_loss: trained.metrics.log_loss,
        training_data_hash: trained.training_data_hash.clone(),
        trained_at: String::new(),
        trained_by: String::new(),
        approved_by: None,
        approved_at: None,
        evaluation: Some(serde_json::to_string(&evaluation)?),
        proxy_check: Some(serde_json::to_string(&proxy)?),
    };
    let version = store.save_model_version(actor, &stored)?;
    Ok((version, trained.metrics))
}
