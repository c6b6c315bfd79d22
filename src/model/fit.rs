//! The logistic-regression fit itself: linfa-logistic's `LogisticRegression` (L-BFGS).
//!
//! What linfa 0.8 minimises (read in linfa-logistic 0.8.1, `logistic_loss`), with labels
//! mapped to ±1 and the intercept `b` left out of the penalty:
//!
//! ```text
//! sum_i -ln sigmoid(y_i (x_i . w + b))  +  alpha / 2 * ||w||^2
//! ```
//!
//! That is scikit-learn's `LogisticRegression` objective with `C = 1 / alpha` (and
//! `penalty=None` for `alpha = 0`). Two details of linfa matter here:
//!
//! * It stops when the gradient's norm falls below `gradient_tolerance` (absolute, default
//!   1e-4), after `max_iterations` (default 100), or, silently, when argmin's line search gives
//!   up or an iteration changes the cost by less than machine epsilon; `fit` does not say
//!   which. The defaults are far too loose for amounts in the thousands next to 0/1 flags. So
//!   we measure convergence ourselves (see [`linfa_fit_converged`]).
//! * Its "positive" class (+1) is the *more frequent* label (the first seen on a tie), not
//!   `true`. We ask the fitted model which class is positive and flip the signs when needed,
//!   so our coefficients always give the log-odds of `true`.

use linfa::DatasetBase;
use linfa::traits::Fit;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2, ArrayView2, ShapeBuilder};

use super::ModelError;

/// Solver settings passed to linfa.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Solver {
    /// Upper bound on L-BFGS iterations of one linfa run.
    pub max_iterations: u64,
    /// Converged once every component of the gradient, taken with respect to standardised
    /// coefficients and divided by the number of rows, is below this. Per row, so the same
    /// setting means the same precision for 5 000 rows and for 700 000; in standardised terms,
    /// so a column in euros and a 0/1 flag are held to the same precision.
    pub gradient_tolerance_per_row: f64,
    /// linfa runs at most, each warm-started where the previous one stopped (see
    /// [`linfa_fit_converged`]).
    pub max_runs: usize,
}

impl Default for Solver {
    fn default() -> Solver {
        Solver {
            max_iterations: 1_000,
            gradient_tolerance_per_row: 1e-8,
            max_runs: 5,
        }
    }
}

/// Fit `P(y = true | x) = sigmoid(b + x . w)` on `x` as given (no encoding) and return `(b, w)`,
/// minimising the sum of log-losses plus `l2 / 2 * ||w||^2` (the intercept is not penalised):
/// scikit-learn's objective with `C = 1 / l2`.
///
/// Raw features can be badly scaled (euros next to 0/1 flags), which leaves L-BFGS crawling. So
/// the fit runs in two steps, each one linfa's logistic regression:
///
/// 1. on standardised columns `z = (x - m) / s`. Shifting a column is absorbed exactly by the
///    unpenalised intercept, and scaling it by `1/s` multiplies its coefficient by `s`; so for
///    `l2 = 0` this is exactly the same optimum, mapped back as `w = w' / s`,
///    `b = b' - sum(w m)`. With `l2 > 0` the penalty would become `l2 / s_j^2` per column,
///    which linfa's single `alpha` cannot express, so step 1 is then only a starting point
///    (with the weakest of those penalties, `l2 / max s_j^2`, which keeps it bounded);
/// 2. for `l2 > 0`, linfa is warm-started from that point on the requested objective
///    exactly: on the centred columns divided by one common scale `c = max s_j`, with
///    `alpha = l2 / c^2`. Centring moves only the (unpenalised) intercept, by `w . m`; a common
///    scale maps `w` to `w c` and `l2 / 2 ||w||^2` to `(l2 / c^2) / 2 ||w c||^2`, the same
///    function. The common scale is needed because argmin's line search never tries a step
///    below sqrt(eps) ~ 1.5e-8, and with euros left as they are the first step must be smaller
///    than that, so L-BFGS would stall at once.
///
/// On the reference fixture this reaches scikit-learn's coefficients to ~2e-7 relative (for
/// the unpenalised fit, closer to the optimum than scikit-learn's own figures).
pub fn fit_logistic(
    x: ArrayView2<f64>,
    y: &[bool],
    l2: f64,
) -> Result<(f64, Vec<f64>), ModelError> {
    fit_logistic_with(x, y, l2, &Solver::default())
}

pub(crate) fn fit_logistic_with(
    x: ArrayView2<f64>,
    y: &[bool],
    l2: f64,
    solver: &Solver,
) -> Result<(f64, Vec<f64>), ModelError> {
    check_inputs(x, y, l2)?;
    let (n, d) = x.dim();
    let means: Vec<f64> = x
        .columns()
        .into_iter()
        .map(|c| c.sum() / n as f64)
        .collect();
    let scales: Vec<f64> = x
        .columns()
        .into_iter()
        .zip(&means)
        .map(|(c, m)| {
            let std = (c.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n as f64).sqrt();
            if std > f64::MIN_POSITIVE { std } else { 1.0 }
        })
        .collect();

    // Column-major copies: linfa's gradient is X^T r, which then reads contiguous columns.
    let z = Array2::from_shape_fn((n, d).f(), |(i, j)| (x[(i, j)] - means[j]) / scales[j]);
    let alpha1 = if l2 == 0.0 {
        0.0
    } else {
        l2 / scales.iter().fold(0.0f64, |a, s| a.max(s * s))
    };
    let ones = vec![1.0; d];
    let step1 = linfa_fit_converged(z.view(), y, alpha1, None, &ones, solver)?;
    drop(z);
    let w: Vec<f64> = step1.w.iter().zip(&scales).map(|(w, s)| w / s).collect();
    // Intercept for centred columns: b1 + sum(w1 * (x - m) / s) = b1 + sum(w * (x - m)).
    let (b_centred, w) = if l2 == 0.0 {
        (step1.b, w)
    } else {
        // One common scale c for all columns: coefficients become w c, the penalty
        // l2 / 2 ||w||^2 = (l2 / c^2) / 2 ||w c||^2, so this is still the exact objective.
        let c = scales.iter().fold(0.0f64, |a, &s| a.max(s));
        let scaled = Array2::from_shape_fn((n, d).f(), |(i, j)| (x[(i, j)] - means[j]) / c);
        let wc: Vec<f64> = w.iter().map(|w| w * c).collect();
        let spreads: Vec<f64> = scales.iter().map(|s| s / c).collect();
        let start = Some((step1.b, wc.as_slice()));
        let step2 = linfa_fit_converged(scaled.view(), y, l2 / (c * c), start, &spreads, solver)?;
        (step2.b, step2.w.iter().map(|w| w / c).collect())
    };
    let b = b_centred - w.iter().zip(&means).map(|(w, m)| w * m).sum::<f64>();
    Ok((b, w))
}

/// A fit and how close it came to the optimum.
#[derive(Debug, Clone)]
pub(crate) struct Fitted {
    pub b: f64,
    pub w: Vec<f64>,
    /// Largest gradient component, standardised and per row (see [`Solver`]).
    pub gradient: f64,
}

/// linfa's logistic regression, run again from where it stopped until it has converged.
///
/// One linfa run can stop short of the optimum without saying so: its L-BFGS also stops when
/// the line search fails or an iteration barely lowers the cost, which happens on badly scaled
/// columns, and `fit` reports neither. So we check the gradient ourselves and, while it is
/// too large and still shrinking, warm-start another run (which also clears L-BFGS's memory).
/// `scales` are the columns' spreads, to judge the gradient in standardised terms.
pub(crate) fn linfa_fit_converged(
    x: ArrayView2<f64>,
    y: &[bool],
    alpha: f64,
    start: Option<(f64, &[f64])>,
    scales: &[f64],
    solver: &Solver,
) -> Result<Fitted, ModelError> {
    // linfa stops on the plain norm of its gradient, in which a column of small spread has a
    // small say; scale its tolerance down by the smallest spread so it cannot stop before
    // our standardised criterion is met (|g_j| < tol n s_j for every column j).
    let smallest = scales.iter().fold(1.0f64, |a, &s| a.min(s));
    let linfa_tolerance = solver.gradient_tolerance_per_row * x.nrows() as f64 * smallest;
    let mut best: Option<Fitted> = None;
    for _ in 0..solver.max_runs.max(1) {
        let from = best.as_ref().map(|f| (f.b, f.w.as_slice())).or(start);
        let (b, w) = linfa_fit(x, y, alpha, from, linfa_tolerance, solver.max_iterations)?;
        let gradient = standardised_gradient(x, y, alpha, b, &w, scales);
        let previous = best.as_ref().map_or(f64::INFINITY, |f| f.gradient);
        if gradient < previous {
            best = Some(Fitted { b, w, gradient });
        }
        // Done when converged, or when another run no longer helps (at rounding level).
        if gradient <= solver.gradient_tolerance_per_row || gradient > 0.5 * previous {
            break;
        }
    }
    Ok(best.expect("at least one run"))
}

/// `max(|dL/db|, max_j |dL/dw_j| / s_j) / rows` for the objective linfa minimises, where
/// `dL/dw_j / s_j` is the derivative with respect to the coefficient of the standardised column.
fn standardised_gradient(
    x: ArrayView2<f64>,
    y: &[bool],
    alpha: f64,
    b: f64,
    w: &[f64],
    scales: &[f64],
) -> f64 {
    // Column by column, so a column-major matrix is read contiguously.
    let mut r = vec![b; x.nrows()];
    for (col, wj) in x.columns().into_iter().zip(w) {
        r.iter_mut().zip(col).for_each(|(t, v)| *t += wj * v);
    }
    for (t, &label) in r.iter_mut().zip(y) {
        *t = super::explain::sigmoid(*t) - f64::from(u8::from(label));
    }
    let mut worst = r.iter().sum::<f64>().abs();
    for ((col, wj), s) in x.columns().into_iter().zip(w).zip(scales) {
        let g = col.iter().zip(&r).map(|(v, r)| v * r).sum::<f64>() + alpha * wj;
        worst = worst.max(g.abs() / s);
    }
    worst / x.nrows() as f64
}

fn check_inputs(x: ArrayView2<f64>, y: &[bool], l2: f64) -> Result<(), ModelError> {
    if x.nrows() == 0 {
        return Err(ModelError::NoRows);
    }
    if x.nrows() != y.len() {
        return Err(ModelError::LabelCount {
            rows: x.nrows(),
            labels: y.len(),
        });
    }
    if !(l2.is_finite() && l2 >= 0.0) {
        return Err(ModelError::InvalidOption(format!(
            "l2 must be a finite number >= 0, got {l2}"
        )));
    }
    if let Some(((i, j), v)) = x.indexed_iter().find(|(_, v)| !v.is_finite()) {
        return Err(ModelError::NotFinite {
            feature: format!("column {j}"),
            value: *v,
        }
        .at_row(i));
    }
    let positives = y.iter().filter(|&&l| l).count();
    if positives == 0 || positives == y.len() {
        return Err(ModelError::SingleClass {
            class: positives > 0,
            count: y.len(),
        });
    }
    Ok(())
}

/// One run of linfa's `LogisticRegression` on `x` exactly as given, optionally warm-started
/// at `(b, w)`, stopping at gradient norm `tolerance`. Returns `(b, w)` for the log-odds of
/// `true`.
fn linfa_fit(
    x: ArrayView2<f64>,
    y: &[bool],
    alpha: f64,
    start: Option<(f64, &[f64])>,
    tolerance: f64,
    max_iterations: u64,
) -> Result<(f64, Vec<f64>), ModelError> {
    let (n, d) = x.dim();
    // linfa's +1 class is the more frequent label, or the first seen on a tie (see top).
    let positives = y.iter().filter(|&&l| l).count();
    let expect_true_positive = match (2 * positives).cmp(&n) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => y[0],
    };
    let sign = if expect_true_positive { 1.0 } else { -1.0 };

    let mut params = LogisticRegression::default()
        .alpha(alpha)
        .with_intercept(true)
        .max_iterations(max_iterations)
        .gradient_tolerance(tolerance);
    if let Some((b, w)) = start {
        // linfa's parameter vector is [w..., b], in its own label orientation.
        let init = Array1::from_iter(w.iter().chain([&b]).map(|v| sign * v));
        debug_assert_eq!(init.len(), d + 1);
        params = params.initial_params(init);
    }
    let targets = Array1::from_iter(y.iter().copied());
    let dataset = DatasetBase::new(x, targets);
    let fitted = params
        .fit(&dataset)
        .map_err(|e| ModelError::Fit(e.to_string()))?;

    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    let b = sign * fitted.intercept();
    let w = fitted.params().iter().map(|v| sign * v).collect();
    Ok((b, w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    /// Gradient of the objective at (b, w), divided by the number of rows.
    fn mean_gradient(x: ArrayView2<f64>, y: &[bool], l2: f64, b: f64, w: &[f64]) -> Vec<f64> {
        let mut g = vec![0.0; w.len() + 1];
        for (row, &label) in x.rows().into_iter().zip(y) {
            let t = b + row.iter().zip(w).map(|(a, c)| a * c).sum::<f64>();
            let r = 1.0 / (1.0 + (-t).exp()) - f64::from(u8::from(label));
            row.iter().enumerate().for_each(|(j, v)| g[j] += r * v);
            g[w.len()] += r;
        }
        w.iter().enumerate().for_each(|(j, c)| g[j] += l2 * c);
        g.iter().map(|v| v / y.len() as f64).collect()
    }

    fn data() -> (Array2<f64>, Vec<bool>) {
        let x = array![
            [1.0, 200.0],
            [2.0, 900.0],
            [3.0, 150.0],
            [4.0, 1200.0],
            [5.0, 300.0],
            [6.0, 2500.0],
            [1.5, 2200.0],
            [2.5, 100.0],
        ];
        let y = vec![false, false, true, false, true, true, true, false];
        (x, y)
    }

    #[test]
    fn reaches_the_optimum_for_either_majority_class() {
        let (x, y) = data();
        for l2 in [0.0, 0.5] {
            for flip in [false, true] {
                // Flipping labels flips which class linfa calls positive: signs must follow.
                let y: Vec<bool> = y.iter().map(|&l| l != flip).collect();
                let (b, w) = fit_logistic(x.view(), &y, l2).unwrap();
                let g = mean_gradient(x.view(), &y, l2, b, &w);
                assert!(
                    g.iter().all(|v| v.abs() < 1e-7),
                    "l2 {l2} flip {flip}: {g:?}"
                );
            }
        }
        let (b, w) = fit_logistic(x.view(), &y, 0.5).unwrap();
        let yf: Vec<bool> = y.iter().map(|&l| !l).collect();
        let (bf, wf) = fit_logistic(x.view(), &yf, 0.5).unwrap();
        assert!((b + bf).abs() < 1e-6 && w.iter().zip(&wf).all(|(a, c)| (a + c).abs() < 1e-6));
    }

    #[test]
    fn refuses_bad_input() {
        let (x, y) = data();
        assert!(matches!(
            fit_logistic(x.view(), &[true; 8], 1.0),
            Err(ModelError::SingleClass {
                class: true,
                count: 8
            })
        ));
        assert!(matches!(
            fit_logistic(x.view(), &y[..3], 1.0),
            Err(ModelError::LabelCount { rows: 8, labels: 3 })
        ));
        assert!(matches!(
            fit_logistic(x.view(), &y, -1.0),
            Err(ModelError::InvalidOption(_))
        ));
        let mut bad = x.clone();
        bad[(3, 1)] = f64::INFINITY;
        let err = fit_logistic(bad.view(), &y, 1.0).unwrap_err().to_string();
        assert!(err.starts_with("row 3: feature `column 1`"), "{err}");
    }
}
