//! Scoring a caseload: the newest approved version ranks every case under review, in the
//! model's feature order, with exact contributions, and the run is stored with its random arm
//! (drawn by `domain::random_arm` inside the store's transaction) and its drift against the
//! cases the model learned from.

use crate::domain::drift::DriftReport;
use crate::domain::drift_reference::DriftReference;
use crate::domain::feature_hash::FeatureHasher;
use crate::domain::view::FeatureValue;
use crate::model::{ModelError, TrainedModel, UnreadableVersion};
use crate::store::{Actor, RunSummary, ScoreRow, Store, StoreError, TrainingRows};

/// Why a caseload could not be scored; nothing was stored (said in `messages::pipeline`).
#[derive(Debug)]
pub enum ScoreError {
    Store(StoreError),
    Unreadable(UnreadableVersion),
    /// The caseload no longer has a feature the version was trained on.
    MissingFeature {
        feature: String,
        version: i64,
    },
    /// A training row the model cannot score (it learned from them: the data changed).
    Reference(ModelError),
}

impl From<StoreError> for ScoreError {
    fn from(e: StoreError) -> Self {
        ScoreError::Store(e)
    }
}

impl From<UnreadableVersion> for ScoreError {
    fn from(e: UnreadableVersion) -> Self {
        ScoreError::Unreadable(e)
    }
}

/// Scores every case that is not closed, ranks them (highest chance first, ties by case
/// number) and stores the run with its random arm and its drift against the closed cases;
/// returns the run and the drift (`None` without closed cases to compare with).
///
/// The newest version must be approved: an unapproved one is refused by name, never passed
/// over for an older approved one (that would rank with a model nobody chose to use now).
pub fn score_and_store(
    store: &mut Store,
    actor: &Actor,
) -> Result<(RunSummary, Option<DriftReport>), ScoreError> {
    let stored = store.latest_model()?;
    store.require_approved(stored.version)?;
    let model = stored.model()?;
    let names: Vec<String> = store.feature_list()?.into_iter().map(|(n, _)| n).collect();
    // Where each of the model's features sits in the caseload's feature list: the caseload
    // may have gained or reordered features since the model was trained.
    let source: Vec<usize> = stored
        .features
        .iter()
        .map(|f| {
            names
                .iter()
                .position(|n| n == f)
                .ok_or_else(|| ScoreError::MissingFeature {
                    feature: f.clone(),
                    version: stored.version,
                })
        })
        .collect::<Result<_, _>>()?;
    let in_order = source.iter().enumerate().all(|(i, &j)| i == j);
    let reference = reference_for(store, &stored, &model, &source)?;
    let mut tally = reference.as_ref().map(|r| r.tally());
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
            .map_err(|e| StoreError::Corrupt(format!("case {case_id}: {e}")))?;
        if let Some(t) = tally.as_mut() {
            t.add(row, probability);
        }
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
    let drift = tally.and_then(|t| t.report(&stored.features));
    let run = store.write_scoring_run(actor, stored.version, &rows, drift.as_ref())?;
    Ok((run, drift))
}

/// What the scored cases are compared with: the bins the version keeps from its training
/// data, or, for a version trained before schema 12 kept them, the closed cases with a known
/// outcome now (the rows `train` learns from), binned here. When cases have closed since
/// that version was trained the second has grown past its training data, and the report
/// says so (`reference_is_training_data`). `None` without any such cases.
fn reference_for(
    store: &Store,
    stored: &crate::store::ModelVersion,
    model: &TrainedModel,
    source: &[usize],
) -> Result<Option<DriftReference>, ScoreError> {
    if let Some(text) = store.drift_reference(stored.version)? {
        let reference: DriftReference = serde_json::from_str(&text).map_err(|e| {
            StoreError::Corrupt(format!(
                "drift reference of model version {}: {e}",
                stored.version
            ))
        })?;
        return Ok(Some(reference));
    }
    let training = store.training_rows()?;
    if training.rows.is_empty() {
        return Ok(None);
    }
    let m = &model.metrics;
    let exact = training.rows.len() == m.n_train + m.n_calibration + m.n_test;
    drift_reference(model, &training, source, exact)
        .map(Some)
        .map_err(ScoreError::Reference)
}

/// The drift watch's reference taken from labelled rows: `source[j]` is where the model's
/// feature `j` sits in `data`'s feature list; each row scored by `model`, then binned
/// (`train` keeps this with a new version; `score` makes it for one trained before).
pub fn drift_reference(
    model: &TrainedModel,
    data: &TrainingRows,
    source: &[usize],
    is_training_data: bool,
) -> Result<DriftReference, ModelError> {
    let categorical: Vec<bool> = source.iter().map(|&j| data.features[j].1).collect();
    let mut contributions = vec![0.0; source.len()];
    let mut row: Vec<FeatureValue> = Vec::with_capacity(source.len());
    let mut scores = Vec::with_capacity(data.rows.len());
    let in_order = source.iter().enumerate().all(|(i, &j)| i == j);
    for values in &data.rows {
        let values: &[FeatureValue] = if in_order {
            values
        } else {
            row.clear();
            row.extend(source.iter().map(|&j| values[j].clone()));
            &row
        };
        scores.push(model.score_into(values, &mut contributions)?.1);
    }
    Ok(DriftReference::from_columns(
        &categorical,
        &scores,
        is_training_data,
        |i, j| &data.rows[i][source[j]],
    ))
}
