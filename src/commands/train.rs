//! `oordeel train`: fit a model version on the labelled cases (the history and the own cases'
//! outcomes), corrected for selective labels, and store it with where its labels came from,
//! its evaluation on the random arm and its comparison with the version in use.

use crate::store::Refusal;
use std::process::ExitCode;

use color_eyre::eyre::{Result, bail};

use super::Context;
use super::train_quality::RowFacts;
use crate::cli::TrainArgs;
use crate::i18n::{self, tf};
use crate::model::labels::{self, Correction, Sources};
use crate::model::{self, FeatureDef, FeatureKind, Metrics, TrainOptions};
use crate::store::{Actor, ModelVersion, Store, TrainingRows};

pub fn run(ctx: &Context, args: &TrainArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    let correction = args.correction.map(Into::into);
    let (version, m) = train_and_store(&mut store, &actor, args.l2, args.seed, correction)?;
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
    super::train_labels::print_summary(&store, version, lang, super::say)?;
    super::say(&tf("cli.train.needs_approval", &[("version", &version)]));
    Ok(ExitCode::SUCCESS)
}

/// Trains on every labelled case (`correction`: `None` lets [`labels::choose`] pick) and
/// stores the model version (logged).
pub fn train_and_store(
    store: &mut Store,
    actor: &Actor,
    l2: f64,
    seed: u64,
    correction: Option<Correction>,
) -> Result<(i64, Metrics)> {
    if !(l2.is_finite() && l2 >= 0.0) {
        bail!(tf("cli.train.bad_l2", &[("l2", &l2)]));
    }
    // A new database has no caseload yet: that is too little history as well.
    let all = match store.training_rows() {
        Err(crate::store::StoreError::Refused(Refusal::Empty(_))) => TrainingRows {
            features: Vec::new(),
            rows: Vec::new(),
            labels: Vec::new(),
            sources: Vec::new(),
            case_ids: Vec::new(),
        },
        other => other?,
    };
    let sources = Sources::count(&all.sources, &all.labels);
    let correction = labels::choose(correction, &sources);
    let arm_share = store.random_arm_share()?;
    let (kept, weights) = labels::rows_and_weights(correction, &all.sources, arm_share);
    // Feature governance and the proxy check look at every labelled case, whichever the
    // correction keeps.
    let rules = super::features::check_before_training(store, actor, &all)?;
    let facts_all = RowFacts::read(store)?;
    let enough = enough_labels(&kept, &all.labels);
    let proxy = match enough {
        Ok(()) => super::features::proxy_check_for_training(store, &all, &rules)?,
        Err(e) => return Err(e),
    };
    let whole = kept.len() == all.rows.len();
    let facts = facts_all.keep(&kept);
    let data = keep(all, &kept);
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
    let copies = weights
        .iter()
        .any(|&w| w != 1)
        .then_some(weights.as_slice());
    let training = model::train_weighted(&defs, &data.rows, &data.labels, copies, &options)?;
    report_fit_time(&training);
    let evaluation = super::train_quality::held_out_evaluation(store, &data, &facts, &training)?;
    // The cases it was fitted and calibrated on: a later comparison uses none of them.
    let trained_on = crate::store::case_set(
        training
            .split
            .train
            .iter()
            .chain(&training.split.calibration)
            .map(|&i| data.case_ids[i]),
    );
    let report = super::train_labels::report(
        store,
        &data,
        &facts,
        &training,
        &trained_on,
        super::train_labels::Setup {
            sources,
            correction,
            arm_share,
            whole,
        },
    )?;
    let trained = training.model;
    // The drift watch's reference: the rows the model learned from, in its feature order.
    let in_order: Vec<usize> = (0..data.features.len()).collect();
    let drift_reference =
        crate::pipeline::score::drift_reference(&trained, &data, &in_order, true)?;
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
        labels: Some(serde_json::to_string(&report)?),
        trained_on: Some(trained_on),
    };
    let version = store.save_model_version(
        actor,
        &stored,
        Some(&serde_json::to_string(&drift_reference)?),
    )?;
    Ok((version, trained.metrics))
}

/// With `OORDEEL_TIMINGS` set, one JSON line on standard error with the solver's time alone
/// and the matrix's shape: what `benches/scale.py` compares with scikit-learn's fit.
fn report_fit_time(training: &model::Training) {
    if std::env::var_os("OORDEEL_TIMINGS").is_some() {
        let (rows, columns) = training.fit_shape;
        eprintln!(
            "{}",
            serde_json::json!({
                "fit_seconds": training.fit_time.as_secs_f64(),
                "fit_rows": rows,
                "columns": columns,
                "auc": training.model.metrics.auc,
            })
        );
    }
}

/// Below this a held-out part, a calibration part and both outcomes in each are not there
/// to be had: the model would be fitted and judged on a handful of cases.
const MIN_CASES: usize = 50;
const MIN_EACH: usize = 10;

fn enough_labels(kept: &[usize], labels: &[bool]) -> Result<()> {
    let positive = kept.iter().filter(|&&i| labels[i]).count();
    let negative = kept.len() - positive;
    if kept.len() < MIN_CASES || positive < MIN_EACH || negative < MIN_EACH {
        bail!(tf(
            "cli.train.no_history",
            &[
                ("found", &kept.len()),
                ("positive", &positive),
                ("negative", &negative),
                ("min", &MIN_CASES),
                ("each", &MIN_EACH),
            ]
        ));
    }
    Ok(())
}

/// The rows at `kept` (ascending), moved out of `all`.
fn keep(all: TrainingRows, kept: &[usize]) -> TrainingRows {
    if kept.len() == all.rows.len() {
        return all;
    }
    let mut wanted = kept.iter().copied().peekable();
    let mut out = TrainingRows {
        features: all.features,
        rows: Vec::with_capacity(kept.len()),
        labels: Vec::with_capacity(kept.len()),
        sources: Vec::with_capacity(kept.len()),
        case_ids: Vec::with_capacity(kept.len()),
    };
    let parts = all
        .rows
        .into_iter()
        .zip(all.labels)
        .zip(all.sources)
        .zip(all.case_ids);
    for (i, (((row, label), source), case)) in parts.enumerate() {
        if wanted.peek() == Some(&i) {
            wanted.next();
            out.rows.push(row);
            out.labels.push(label);
            out.sources.push(source);
            out.case_ids.push(case);
        }
    }
    out
}
