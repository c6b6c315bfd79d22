//! Calibration: mapping the model's logit to a probability that matches observed rates.
//!
//! Two calibrators, both monotone in the logit, so neither changes the ranking:
//!
//! * [`Platt`]: `p = sigmoid(a * logit + b)`, fitted by Newton's method (maximum likelihood,
//!   plain 0/1 targets). Affine in the logit, so it is folded into the model itself
//!   (`intercept' = a * intercept + b`, `coef' = a * coef`) and explanations stay exact.
//! * [`Isotonic`]: pool-adjacent-violators on the logit, as scikit-learn's
//!   `IsotonicRegression(out_of_bounds="clip")`: a non-decreasing step function through the
//!   calibration rows, linearly interpolated between them, clipped outside.
//!
//! [`choose`] runs the protocol: both are fitted on the calibration part, the held-out part
//! decides, and a calibrator is kept only when it lowers held-out log-loss.

use serde::{Deserialize, Serialize};

use super::explain::sigmoid;
use crate::domain::metrics;

/// Platt scaling `p = sigmoid(a * logit + b)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Platt {
    pub a: f64,
    pub b: f64,
}

impl Platt {
    /// Maximum-likelihood `a`, `b` for `labels` given `logits`, by Newton's method with a
    /// backtracking line search from the identity (`a = 1, b = 0`). `None` when the rows hold
    /// a single class or the fit does not give finite numbers (separable calibration data).
    pub fn fit(logits: &[f64], labels: &[bool]) -> Option<Platt> {
        assert_eq!(logits.len(), labels.len(), "platt: one label per logit");
        let positives = labels.iter().filter(|&&l| l).count();
        if positives == 0 || positives == labels.len() {
            return None;
        }
        let loss = |a: f64, b: f64| -> f64 {
            logits
                .iter()
                .zip(labels)
                .map(|(&z, &y)| softplus(a * z + b) - if y { a * z + b } else { 0.0 })
                .sum()
        };
        let (mut a, mut b) = (1.0, 0.0);
        let mut current = loss(a, b);
        let n = logits.len() as f64;
        for _ in 0..100 {
            let (mut ga, mut gb, mut haa, mut hab, mut hbb) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for (&z, &y) in logits.iter().zip(labels) {
                let p = sigmoid(a * z + b);
                let r = p - f64::from(u8::from(y));
                let w = p * (1.0 - p);
                ga += r * z;
                gb += r;
                haa += w * z * z;
                hab += w * z;
                hbb += w;
            }
            // Converged: the gradient per row is at rounding level for a loss of order one.
            if ga.abs().max(gb.abs()) / n < 1e-10 {
                break;
            }
            let det = haa * hbb - hab * hab;
            if !(det.is_finite() && det > 1e-300) {
                break;
            }
            let (da, db) = ((hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det);
            if da.abs() <= 1e-12 * (1.0 + a.abs()) && db.abs() <= 1e-12 * (1.0 + b.abs()) {
                break;
            }
            // Halve the Newton step until the loss goes down: Newton alone can overshoot.
            let mut step = 1.0;
            let mut improved = false;
            while step > 1e-6 {
                let (na, nb) = (a - step * da, b - step * db);
                let next = loss(na, nb);
                if next.is_finite() && next < current {
                    (a, b, current) = (na, nb, next);
                    improved = true;
                    break;
                }
                step /= 2.0;
            }
            if !improved {
                break;
            }
        }
        (a.is_finite() && b.is_finite()).then_some(Platt { a, b })
    }

    pub fn apply(&self, logit: f64) -> f64 {
        sigmoid(self.a * logit + self.b)
    }
}

/// `ln(1 + e^t)` without overflow.
fn softplus(t: f64) -> f64 {
    t.max(0.0) + (-t.abs()).exp().ln_1p()
}

/// Isotonic regression of the outcome on the logit (scikit-learn's `IsotonicRegression`,
/// increasing, `out_of_bounds="clip"`): `thresholds` are the distinct calibration logits in
/// ascending order, `values` the fitted rate at each; in between, linear interpolation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Isotonic {
    pub thresholds: Vec<f64>,
    pub values: Vec<f64>,
}

impl Isotonic {
    /// Pool adjacent violators. Rows with the same logit are first merged into one point
    /// weighted by their count (their mean outcome), as scikit-learn does. `None` for no rows.
    pub fn fit(logits: &[f64], labels: &[bool]) -> Option<Isotonic> {
        assert_eq!(logits.len(), labels.len(), "isotonic: one label per logit");
        let mut order: Vec<usize> = (0..logits.len()).collect();
        order.sort_by(|&i, &j| logits[i].total_cmp(&logits[j]));
        // Blocks of (first logit, last logit, sum of outcomes, weight), merged while the
        // mean outcome would decrease.
        let mut thresholds: Vec<f64> = Vec::new();
        let mut sums: Vec<f64> = Vec::new();
        let mut weights: Vec<f64> = Vec::new();
        for &i in &order {
            let y = f64::from(u8::from(labels[i]));
            if thresholds.last() == Some(&logits[i]) {
                *sums.last_mut().expect("same length") += y;
                *weights.last_mut().expect("same length") += 1.0;
            } else {
                thresholds.push(logits[i]);
                sums.push(y);
                weights.push(1.0);
            }
        }
        if thresholds.is_empty() {
            return None;
        }
        // PAV over the distinct logits: a stack of pooled blocks (sum, weight, points).
        let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(sums.len());
        for (&s, &w) in sums.iter().zip(&weights) {
            blocks.push((s, w, 1));
            while blocks.len() >= 2 {
                let (s2, w2, k2) = blocks[blocks.len() - 1];
                let (s1, w1, k1) = blocks[blocks.len() - 2];
                if s1 / w1 <= s2 / w2 {
                    break;
                }
                blocks.pop();
                *blocks.last_mut().expect("two blocks") = (s1 + s2, w1 + w2, k1 + k2);
            }
        }
        let values: Vec<f64> = blocks
            .iter()
            .flat_map(|&(s, w, k)| std::iter::repeat_n(s / w, k))
            .collect();
        Some(Isotonic { thresholds, values })
    }

    /// The calibrated probability of a logit: interpolated, clipped to the fitted range.
    pub fn apply(&self, logit: f64) -> f64 {
        let (x, y) = (&self.thresholds, &self.values);
        let last = x.len() - 1;
        if logit.is_nan() {
            return f64::NAN;
        }
        if logit <= x[0] {
            return y[0];
        }
        if logit >= x[last] {
            return y[last];
        }
        // First threshold above the logit; the one before it is at or below.
        let hi = x.partition_point(|&t| t <= logit);
        let lo = hi - 1;
        let share = (logit - x[lo]) / (x[hi] - x[lo]);
        y[lo] + share * (y[hi] - y[lo])
    }
}

/// Which calibration a model version uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalibrationMethod {
    /// `sigmoid(logit)` as fitted.
    None,
    /// Platt scaling, folded into intercept and coefficients.
    Platt,
    /// Isotonic regression on the logit, applied after it (`TrainedModel::isotonic`).
    Isotonic,
}

/// One candidate's figure on the held-out part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationCandidate {
    pub method: CalibrationMethod,
    /// Mean log-loss on the held-out part (lower is better).
    pub held_out_log_loss: f64,
    /// Brier score on the held-out part.
    pub held_out_brier: f64,
}

/// What the calibration step did and why (stored in the evaluation, shown in the model card).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationReport {
    /// The calibration in use.
    pub chosen: CalibrationMethod,
    /// Rows the calibrators were fitted on (carved from the labelled rows; never test rows).
    pub n_calibration: usize,
    /// Every candidate that could be fitted, the uncalibrated model first.
    pub candidates: Vec<CalibrationCandidate>,
    /// The Platt parameters, when Platt was fitted with a positive slope (chosen or not).
    pub platt: Option<Platt>,
}

impl CalibrationReport {
    /// Held-out log-loss of a method, if it was a candidate.
    pub fn log_loss_of(&self, method: CalibrationMethod) -> Option<f64> {
        self.candidates
            .iter()
            .find(|c| c.method == method)
            .map(|c| c.held_out_log_loss)
    }
}

/// The chosen calibration, ready to be put into a model.
pub enum Chosen {
    None,
    Platt(Platt),
    Isotonic(Isotonic),
}

/// Fit both calibrators on the calibration part and keep the one with the lowest held-out
/// log-loss, only if it beats the uncalibrated model (a tie keeps the model as it is).
pub fn choose(
    calibration: (&[f64], &[bool]),
    held_out: (&[f64], &[bool]),
) -> (Chosen, CalibrationReport) {
    let (cal_logits, cal_labels) = calibration;
    let (test_logits, test_labels) = held_out;
    let judge = |method: CalibrationMethod, f: &dyn Fn(f64) -> f64| {
        let p: Vec<f64> = test_logits.iter().map(|&z| f(z)).collect();
        CalibrationCandidate {
            method,
            held_out_log_loss: metrics::log_loss(&p, test_labels),
            held_out_brier: metrics::brier(&p, test_labels),
        }
    };
    let mut candidates = vec![judge(CalibrationMethod::None, &sigmoid)];
    // A slope at or below zero would reverse or flatten the ranking: never a candidate.
    let platt = Platt::fit(cal_logits, cal_labels).filter(|p| p.a > 0.0);
    if let Some(p) = platt {
        candidates.push(judge(CalibrationMethod::Platt, &|z| p.apply(z)));
    }
    // Isotonic on a single-class calibration part would be a constant: not a candidate.
    let both_classes = cal_labels.iter().any(|&l| l) && cal_labels.iter().any(|&l| !l);
    let isotonic = if both_classes {
        Isotonic::fit(cal_logits, cal_labels)
    } else {
        None
    };
    if let Some(iso) = &isotonic {
        candidates.push(judge(CalibrationMethod::Isotonic, &|z| iso.apply(z)));
    }
    let best = candidates
        .iter()
        .skip(1)
        .filter(|c| c.held_out_log_loss < candidates[0].held_out_log_loss)
        .min_by(|a, b| a.held_out_log_loss.total_cmp(&b.held_out_log_loss))
        .map_or(CalibrationMethod::None, |c| c.method);
    let chosen = match (best, platt, isotonic) {
        (CalibrationMethod::Platt, Some(p), _) => Chosen::Platt(p),
        (CalibrationMethod::Isotonic, _, Some(iso)) => Chosen::Isotonic(iso),
        _ => Chosen::None,
    };
    let report = CalibrationReport {
        chosen: best,
        n_calibration: cal_logits.len(),
        candidates,
        platt,
    };
    (chosen, report)
}
