//! Scoring a caseload: the newest approved version ranks every case under review, in the
//! model's feature order, with exact contributions, and the run is stored with its random arm
//! (drawn by `domain::random_arm` inside the store's transaction) and its drift against the
//! cases the model learned from.

use crate::domain::drift::{self, DriftLevel, DriftMeasure, DriftReport};
use crate::domain::feature_hash::FeatureHasher;
use crate::domain::view::FeatureValue;
use crate::model::{ModelError, TrainedModel, UnreadableVersion};
use crate::store::{Actor, RunSummary, ScoreRow, Store, StoreError};

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
    let mut rows: Vec<ScoreRow> = Vec::new();
    let mut reordered: Vec<FeatureValue> = Vec::with_capacity(source.len());
    // One hasher for every case: its buffer is reused (see `domain::feature_hash`).
    let mut hasher = FeatureHasher::new();
    // The scored population's features, in the model's order, for the drift watch.
    let mut population: Vec<Vec<FeatureValue>> = Vec::new();
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
        rows.push(ScoreRow {
            case_id,
            logit,
            probability,
            rank: 0,
            contributions,
            features_hash: hasher.hash(stored.features.as_slice(), row),
        });
        population.push(row.to_vec());
        Ok(())
    })?;
    rows.sort_by(|a, b| b.logit.total_cmp(&a.logit).then(a.case_id.cmp(&b.case_id)));
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = i as i64 + 1;
    }
    let probabilities: Vec<f64> = rows.iter().map(|r| r.probability).collect();
    let drift = drift_against_reference(
        store,
        &model,
        &stored.features,
        &source,
        &population,
        &probabilities,
    )?;
    let run = store.write_scoring_run(actor, stored.version, &rows, drift.as_ref())?;
    Ok((run, drift))
}

/// PSI of every feature and of the score, scored population against the reference: the
/// closed cases with a known outcome, the rows `train` learns from. Recomputed here rather
/// than stored at training time, so every model version (older ones too) gets a drift watch
/// with the same code; when cases have closed since training the reference has grown past
/// the training data, and the report says so (`reference_is_training_data`).
fn drift_against_reference(
    store: &Store,
    model: &TrainedModel,
    names: &[String],
    source: &[usize],
    population: &[Vec<FeatureValue>],
    probabilities: &[f64],
) -> Result<Option<DriftReport>, ScoreError> {
    let training = store.training_rows()?;
    if training.rows.is_empty() || population.is_empty() {
        return Ok(None);
    }
    let reference: Vec<Vec<FeatureValue>> = training
        .rows
        .iter()
        .map(|row| source.iter().map(|&j| row[j].clone()).collect())
        .collect();
    let mut contributions = vec![0.0; source.len()];
    let mut reference_scores = Vec::with_capacity(reference.len());
    for row in &reference {
        let (_, p) = model
            .score_into(row.as_slice(), &mut contributions)
            .map_err(ScoreError::Reference)?;
        reference_scores.push(p);
    }
    let features: Vec<DriftMeasure> = names
        .iter()
        .enumerate()
        .map(|(j, name)| {
            let before: Vec<&FeatureValue> = reference.iter().map(|r| &r[j]).collect();
            let now: Vec<&FeatureValue> = population.iter().map(|r| &r[j]).collect();
            drift::measure(name, drift::feature_psi(&before, &now))
        })
        .collect();
    let score = drift::measure(
        "score",
        drift::numeric_psi(&reference_scores, probabilities),
    );
    let level = features
        .iter()
        .chain(std::iter::once(&score))
        .map(|m| m.level)
        .max_by_key(|l| *l as u8)
        .unwrap_or(DriftLevel::Stable);
    let m = &model.metrics;
    Ok(Some(DriftReport {
        reference_cases: reference.len(),
        reference_is_training_data: reference.len() == m.n_train + m.n_calibration + m.n_test,
        scored_cases: population.len(),
        level,
        score,
        features,
    }))
}
