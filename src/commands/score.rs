//! `oordeel score`: rank every case under review with the newest model version.

use std::process::ExitCode;

use color_eyre::eyre::{Result, WrapErr, eyre};

use super::Context;
use crate::domain::feature_hash::FeatureHasher;
use crate::domain::view::FeatureValue;
use crate::i18n::{self, tf};
use crate::model::TrainedModel;
use crate::store::{Actor, ScoreRow, Store};

pub fn run(ctx: &Context) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    let (version, ranked) = score_and_store(&mut store, &actor)?;
    super::say(&tf(
        "cli.score.done",
        &[
            ("count", &i18n::number(ctx.lang, ranked as f64, 0)),
            ("version", &version),
        ],
    ));
    Ok(ExitCode::SUCCESS)
}

/// Scores every case that is not closed, ranks them (highest chance first, ties by case
/// number) and stores the run; returns (model version, cases ranked).
///
/// The newest version must be approved: an unapproved one is refused by name, never passed
/// over for an older approved one (that would rank with a model nobody chose to use now).
pub fn score_and_store(store: &mut Store, actor: &Actor) -> Result<(i64, usize)> {
    let stored = store.latest_model()?;
    store.require_approved(stored.version)?;
    let model: TrainedModel = serde_json::from_str(&stored.spec)
        .wrap_err_with(|| tf("cli.score.bad_model", &[("version", &stored.version)]))?;
    let names: Vec<String> = store.feature_list()?.into_iter().map(|(n, _)| n).collect();
    // Where each of the model's features sits in the caseload's feature list: the caseload
    // may have gained or reordered features since the model was trained.
    let source: Vec<usize> = stored
        .features
        .iter()
        .map(|f| {
            names.iter().position(|n| n == f).ok_or_else(|| {
                eyre!(tf(
                    "cli.score.missing_feature",
                    &[("feature", f), ("version", &stored.version)]
                ))
            })
        })
        .collect::<Result<_>>()?;
    let in_order = source.iter().enumerate().all(|(i, &j)| i == j);
    let mut rows: Vec<ScoreRow> = Vec::new();
    let mut reordered: Vec<FeatureValue> = Vec::with_capacity(source.len());
    // One hasher for every case: its buffer is reused (see `domain::feature_hash`).
    let mut hasher = FeatureHasher::new();
    store.for_each_case_to_score(|case_id, values| {
        let row: &[FeatureValue] = if in_order {
            values
        } else {
            reordered.clear();
            reordered.extend(source.iter().map(|&j| values[j].clone()));
            &reordered
        };
        // Contributions come out in the model's feature order, the order they are stored in.
        let mut contributions = vec![0.0; source.len()];
        let (logit, probability) = model
            .score_into(row, &mut contributions)
            .map_err(|e| crate::store::StoreError::Corrupt(format!("case {case_id}: {e}")))?;
        rows.push(ScoreRow {
            case_id,
            logit,
            probability,
            rank: 0,
            contributions,
            features_hash: hasher.hash(stored.features.as_slice(), row),
        });
        Ok(())
    })?;
    rows.sort_by(|a, b| b.logit.total_cmp(&a.logit).then(a.case_id.cmp(&b.case_id)));
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = i as i64 + 1;
    }
    store.write_scoring_run(actor, stored.version, &rows)?;
    Ok((stored.version, rows.len()))
}
