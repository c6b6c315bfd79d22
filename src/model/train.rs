//! Training a model version: split, encode, fit with linfa, calibrate, measure on the held-out
//! part.
//!
//! The procedure, kept simple on purpose so a model card can state it in four lines:
//!
//! 1. split the labelled rows into a test part (`test_share`, 25% by default) and the rest,
//!    then carve a calibration part (`calibration_share` of the rest, 20% by default) from
//!    that rest; both splits stratified by outcome and seeded, so it is reproducible;
//! 2. fit the encoding (means, stds, categories) and the logistic regression on the training
//!    part only;
//! 3. fit Platt scaling and isotonic regression on the calibration part, and keep the one with
//!    the lowest log-loss on the test part, only if it beats the uncalibrated model
//!    (see `calibration.rs`);
//! 4. measure AUC, Brier score and log-loss of that very model on the test part.
//!
//! The model that is kept is the one measured: there is no refit on all rows, so the reported
//! figures describe exactly the coefficients in use.

use ndarray::{Array2, ShapeBuilder};
use serde::{Deserialize, Serialize};

use super::calibration::{self, CalibrationReport, Chosen, Isotonic};
use super::fit::{Fitted, Solver, linfa_fit_converged};
use super::split::Split;
use super::training_hash::TrainingHasher;
use super::{Encoding, FeatureDef, FeatureRow, ModelError, validate_features};
use crate::domain::metrics::{self, Metrics};

/// Names the algorithm in a model version, for the model card and the register.
pub const ALGORITHM: &str =
    "logistic regression (linfa-logistic 0.8, L-BFGS, L2 on standardised features)";

/// A fit whose largest gradient component per row (standardised) is above this is refused:
/// its coefficients could be off in the third decimal. Converged fits are near 1e-9.
const NOT_CONVERGED: f64 = 1e-6;

/// How to train.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainOptions {
    /// L2 penalty on the coefficients of the standardised features: linfa's `alpha`,
    /// scikit-learn's `1 / C`. The objective is `sum(log-loss) + l2 / 2 * ||w||^2`.
    pub l2: f64,
    /// Share of each outcome held out to measure the model, in (0, 1).
    pub test_share: f64,
    /// Seed of the train/test split (the calibration split uses `seed + 1`).
    pub seed: u64,
    /// Share of each outcome, among the rows not held out, set aside to fit the calibration
    /// on, in [0, 1): 0 turns calibration off.
    #[serde(default = "default_calibration_share")]
    pub calibration_share: f64,
    /// Upper bound on L-BFGS iterations of one linfa run (a few warm-started runs may follow
    /// one that stops short; see `fit.rs`).
    pub max_iterations: u64,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            l2: 1.0,
            test_share: 0.25,
            seed: 1,
            calibration_share: default_calibration_share(),
            max_iterations: 1_000,
        }
    }
}

fn default_calibration_share() -> f64 {
    0.2
}

/// A trained model version: everything needed to score and explain, and to say how it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainedModel {
    pub algorithm: String,
    pub features: Vec<FeatureDef>,
    pub encoding: Encoding,
    /// Log-odds of a case with every encoded column at its training mean.
    pub intercept: f64,
    /// One per encoded column, in [`Encoding::column_names`] order.
    pub coefficients: Vec<f64>,
    pub l2: f64,
    pub metrics: Metrics,
    /// SHA-256 (hex) of the encoded training matrix and labels (byte layout: `TrainingHasher`
    /// in `model/train.rs`); the same rows, labels, features and seed give the same hash.
    pub training_data_hash: String,
    pub test_share: f64,
    pub seed: u64,
    /// Isotonic calibration applied to the logit, when it was chosen (Platt scaling, being
    /// affine, is folded into `intercept` and `coefficients` instead). Absent in versions
    /// trained before calibration existed: those use `sigmoid(logit)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isotonic: Option<Isotonic>,
}

impl TrainedModel {
    /// The estimated probability for a case with this logit (from [`Self::score_logit`]):
    /// the one function score, explain and tests use, so a calibration applies everywhere.
    pub fn probability(&self, logit: f64) -> f64 {
        match &self.isotonic {
            Some(iso) => iso.apply(logit),
            None => super::explain::sigmoid(logit),
        }
    }
}

/// A trained model with how it was calibrated and which rows it was tested on.
#[derive(Debug, Clone)]
pub struct Training {
    pub model: TrainedModel,
    pub calibration: CalibrationReport,
    pub split: Split,
    /// The solver's time alone (standardising, fitting, converging), for the scale
    /// benchmark's comparison with scikit-learn on the same matrix.
    pub fit_time: std::time::Duration,
    /// The rows and columns of the matrix it fitted.
    pub fit_shape: (usize, usize),
}

/// Train a model on labelled rows (`labels[i]` = the outcome of `rows[i]`). Rows are
/// [`RawRow`](super::RawRow)s, or value slices in the order of `defs`.
pub fn train<R: FeatureRow>(
    defs: &[FeatureDef],
    rows: &[R],
    labels: &[bool],
    opts: &TrainOptions,
) -> Result<TrainedModel, ModelError> {
    train_with_report(defs, rows, labels, opts).map(|t| t.model)
}

/// [`train`], also returning the calibration report and the split (for the evaluation).
pub fn train_with_report<R: FeatureRow>(
    defs: &[FeatureDef],
    rows: &[R],
    labels: &[bool],
    opts: &TrainOptions,
) -> Result<Training, ModelError> {
    train_weighted(defs, rows, labels, None, opts)
}

/// [`train_with_report`] with whole-number weights: row `i` counts `copies[i]` times in
/// the fit and in the calibration, exactly as if it were there that often (the log-loss is a
/// sum over rows). The split is made on the rows themselves, so no copy of a held-out row is
/// ever trained on, and the held-out figures count each row once.
pub fn train_weighted<R: FeatureRow>(
    defs: &[FeatureDef],
    rows: &[R],
    labels: &[bool],
    copies: Option<&[u32]>,
    opts: &TrainOptions,
) -> Result<Training, ModelError> {
    validate_features(defs)?;
    check_options(opts)?;
    if rows.is_empty() {
        return Err(ModelError::NoRows);
    }
    if rows.len() != labels.len() {
        return Err(ModelError::LabelCount {
            rows: rows.len(),
            labels: labels.len(),
        });
    }
    if let Some(c) = copies
        && (c.len() != rows.len() || c.contains(&0))
    {
        return Err(ModelError::InvalidOption(format!(
            "weights: one whole number of at least 1 per row ({} rows, {} weights)",
            rows.len(),
            c.len()
        )));
    }
    let positives = labels.iter().filter(|&&l| l).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return Err(ModelError::SingleClass {
            class: positives > 0,
            count: labels.len(),
        });
    }
    for (class, count) in [(true, positives), (false, negatives)] {
        if count < 2 {
            return Err(ModelError::TooFewOfClass { class, count });
        }
    }

    let split = Split::new(labels, opts);
    let weighted = |idx: &[usize]| -> Vec<usize> {
        match copies {
            Some(c) => idx
                .iter()
                .flat_map(|&i| std::iter::repeat_n(i, c[i] as usize))
                .collect(),
            None => idx.to_vec(),
        }
    };
    let train_idx = &weighted(&split.train);
    let calibration_idx = weighted(&split.calibration);
    let test_idx = &split.test;
    let encoding = Encoding::fit_iter(defs, train_idx.iter().map(|&i| &rows[i]))
        .map_err(|e| renumber(e, train_idx))?;
    let width = encoding.width();

    // Column-major: linfa's gradient X^T r then walks contiguous columns (see fit.rs).
    let mut x = Array2::<f64>::zeros((train_idx.len(), width).f());
    let mut y = Vec::with_capacity(train_idx.len());
    let mut hasher = TrainingHasher::new(train_idx.len(), &encoding.column_names());
    let mut buf = vec![0.0; width];
    for (k, &i) in train_idx.iter().enumerate() {
        encoding
            .encode_into(&rows[i], &mut buf)
            .map_err(|e| e.at_row(i))?;
        x.row_mut(k).iter_mut().zip(&buf).for_each(|(a, &v)| *a = v);
        hasher.row(&buf, labels[i]);
        y.push(labels[i]);
    }
    let training_data_hash = hasher.finish();

    let solver = Solver {
        max_iterations: opts.max_iterations,
        ..Solver::default()
    };
    let fit_started = std::time::Instant::now();
    let fitted = fit_standardised(x.view(), &y, opts.l2, &solver, WARM_START_ROWS)?;
    let fit_time = fit_started.elapsed();
    let fit_shape = x.dim();
    drop(x);
    if fitted.gradient > NOT_CONVERGED {
        return Err(ModelError::NotConverged {
            gradient: fitted.gradient,
            max_iterations: opts.max_iterations,
        });
    }
    let (intercept, coefficients) = (fitted.b, fitted.w);

    let mut model = TrainedModel {
        algorithm: ALGORITHM.to_string(),
        features: defs.to_vec(),
        encoding,
        intercept,
        coefficients,
        l2: opts.l2,
        metrics: Metrics {
            auc: f64::NAN,
            brier: f64::NAN,
            log_loss: f64::NAN,
            n_train: train_idx.len(),
            n_calibration: calibration_idx.len(),
            n_test: test_idx.len(),
            positive_rate: positives as f64 / labels.len() as f64,
        },
        training_data_hash,
        test_share: opts.test_share,
        seed: opts.seed,
        isotonic: None,
    };

    let (cal_logits, cal_labels) = logits_of(&model, rows, labels, &calibration_idx)?;
    let (test_logits, test_labels) = logits_of(&model, rows, labels, test_idx)?;
    let (chosen, report) =
        calibration::choose((&cal_logits, &cal_labels), (&test_logits, &test_labels));
    match chosen {
        Chosen::None => {}
        Chosen::Platt(p) => fold_platt(&mut model, p),
        Chosen::Isotonic(iso) => model.isotonic = Some(iso),
    }

    // Measure with the same scoring path the queue uses.
    let (test_logits, _) = logits_of(&model, rows, labels, test_idx)?;
    let probabilities: Vec<f64> = test_logits.iter().map(|&z| model.probability(z)).collect();
    model.metrics.auc = metrics::auc(&probabilities, &test_labels);
    model.metrics.brier = metrics::brier(&probabilities, &test_labels);
    model.metrics.log_loss = metrics::log_loss(&probabilities, &test_labels);
    Ok(Training {
        model,
        calibration: report,
        split,
        fit_time,
        fit_shape,
    })
}

/// Platt scaling is affine in the logit: folded into intercept and coefficients, the model's
/// contributions still add up to its (now calibrated) logit, and scoring code is unchanged.
pub(crate) fn fold_platt(model: &mut TrainedModel, p: calibration::Platt) {
    model.intercept = p.a * model.intercept + p.b;
    model.coefficients.iter_mut().for_each(|c| *c *= p.a);
}

/// The logits and labels of the rows at `idx`.
fn logits_of<R: FeatureRow>(
    model: &TrainedModel,
    rows: &[R],
    labels: &[bool],
    idx: &[usize],
) -> Result<(Vec<f64>, Vec<bool>), ModelError> {
    let mut logits = Vec::with_capacity(idx.len());
    for &i in idx {
        logits.push(model.score_logit(&rows[i]).map_err(|e| e.at_row(i))?);
    }
    Ok((logits, idx.iter().map(|&i| labels[i]).collect()))
}

/// Rows in the subsample that gives a large fit its starting point.
const WARM_START_ROWS: usize = 20_000;

/// linfa on the standardised training matrix, `sum(log-loss) + l2 / 2 ||w||^2`.
///
/// Each linfa iteration on 700 000 rows costs a few passes over the whole matrix, and from
/// zero L-BFGS needs many. So a large fit first runs on an evenly spaced subsample of about
/// 20 000 rows (`sample`; with `l2` scaled by the subsample's share, so both objectives weigh the
/// penalty alike per row) and starts the full fit from there: the full fit still runs to
/// the same convergence test on all rows, so the result is the full-data optimum, reached in
/// fewer full passes (about 2.5x faster on 700 000 rows).
fn fit_standardised(
    x: ndarray::ArrayView2<f64>,
    y: &[bool],
    l2: f64,
    solver: &Solver,
    sample: usize,
) -> Result<Fitted, ModelError> {
    // The columns are standardised already, so their scale for judging convergence is 1.
    let ones = vec![1.0; x.ncols()];
    let start = if y.len() >= 5 * sample {
        let stride = y.len().div_ceil(sample);
        let picks: Vec<usize> = (0..y.len()).step_by(stride).collect();
        let xs = Array2::from_shape_fn((picks.len(), x.ncols()).f(), |(i, j)| x[(picks[i], j)]);
        let ys: Vec<bool> = picks.iter().map(|&i| y[i]).collect();
        // Both classes are all but certain in so many evenly spaced rows; if not, start cold.
        if ys.iter().any(|&l| l) && ys.iter().any(|&l| !l) {
            let alpha = l2 * picks.len() as f64 / y.len() as f64;
            Some(linfa_fit_converged(
                xs.view(),
                &ys,
                alpha,
                None,
                &ones,
                solver,
            )?)
        } else {
            None
        }
    } else {
        None
    };
    let from = start.as_ref().map(|f| (f.b, f.w.as_slice()));
    linfa_fit_converged(x, y, l2, from, &ones, solver)
}

fn check_options(opts: &TrainOptions) -> Result<(), ModelError> {
    if !(opts.l2.is_finite() && opts.l2 >= 0.0) {
        return Err(ModelError::InvalidOption(format!(
            "l2 must be a finite number >= 0 (1.0 is the default), got {}",
            opts.l2
        )));
    }
    if !(opts.test_share > 0.0 && opts.test_share < 1.0) {
        return Err(ModelError::InvalidOption(format!(
            "test_share must lie strictly between 0 and 1 (0.25 is the default), got {}",
            opts.test_share
        )));
    }
    if !(opts.calibration_share >= 0.0 && opts.calibration_share < 1.0) {
        return Err(ModelError::InvalidOption(format!(
            "calibration_share must lie in [0, 1) (0.2 is the default), got {}",
            opts.calibration_share
        )));
    }
    if opts.max_iterations == 0 {
        return Err(ModelError::InvalidOption(
            "max_iterations must be at least 1 (1000 is the default)".into(),
        ));
    }
    Ok(())
}

/// Errors from fitting the encoding count rows within the training part: report the row's
/// position in the caller's slice instead.
fn renumber(err: ModelError, train_idx: &[usize]) -> ModelError {
    match err {
        ModelError::AtRow { row, source } => ModelError::AtRow {
            row: train_idx[row],
            source,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn warm_start_reaches_the_same_optimum() {
        let (sample, d) = (400, 4);
        let n = 5 * sample;
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let x = Array2::from_shape_fn((n, d).f(), |_| rng.gen_range(-1.7..1.7));
        let y: Vec<bool> = x
            .rows()
            .into_iter()
            .map(|r| {
                let t = 0.3 + r[0] - 0.5 * r[1] + 0.2 * r[3];
                rng.gen_bool(super::super::sigmoid(t))
            })
            .collect();
        let solver = Solver::default();
        let warm = fit_standardised(x.view(), &y, 1.0, &solver, sample).unwrap();
        let cold = linfa_fit_converged(x.view(), &y, 1.0, None, &[1.0; 4], &solver).unwrap();
        assert!(warm.gradient < 1e-8 && cold.gradient < 1e-8);
        assert!((warm.b - cold.b).abs() < 1e-6);
        assert!(
            warm.w
                .iter()
                .zip(&cold.w)
                .all(|(a, b)| (a - b).abs() < 1e-6)
        );
    }
}
