//! A plain logistic regression for checking that the labels are learnable.

#![allow(clippy::needless_range_loop)]

use crate::domain::household::{HouseholdType, IncomeSource};
use crate::domain::view::FeatureValue;
use crate::ingest::demo::{DISTRICTS, DemoHousehold, feature_defs, features};

pub(in crate::ingest::demo) fn encode(h: &DemoHousehold) -> Vec<f64> {
    let values = features(h);
    let mut row = vec![1.0];
    for (name, categorical) in feature_defs() {
        match (&values[name], categorical) {
            (FeatureValue::Number(v), false) => row.push(if name == "total_arrears_eur" {
                v / 1000.0
            } else {
                *v
            }),
            (FeatureValue::Category(c), true) => {
                let levels: Vec<&str> = match name {
                    "household_type" => HouseholdType::ALL.iter().map(|t| t.as_code()).collect(),
                    "income_source" => IncomeSource::ALL.iter().map(|t| t.as_code()).collect(),
                    _ => DISTRICTS.to_vec(),
                };
                for level in &levels[1..] {
                    row.push(if c == level { 1.0 } else { 0.0 });
                }
            }
            _ => unreachable!(),
        }
    }
    row
}

/// Held-out AUC and the fitted weights.
pub(in crate::ingest::demo) fn fit_and_score(closed: &[DemoHousehold]) -> (f64, Vec<f64>) {
    let rows: Vec<(Vec<f64>, f64)> = closed
        .iter()
        .map(|h| {
            (
                encode(h),
                if h.case.outcome == Some(true) {
                    1.0
                } else {
                    0.0
                },
            )
        })
        .collect();
    let train: Vec<&(Vec<f64>, f64)> = rows.iter().step_by(2).collect();
    let test: Vec<&(Vec<f64>, f64)> = rows.iter().skip(1).step_by(2).collect();
    let p = rows[0].0.len();
    let mut w = vec![0.0; p];
    for _ in 0..8 {
        let mut grad = vec![0.0; p];
        let mut hess = vec![vec![0.0; p]; p];
        for (x, y) in &train {
            let z: f64 = x.iter().zip(&w).map(|(a, b)| a * b).sum();
            let mu = 1.0 / (1.0 + (-z).exp());
            let curvature = mu * (1.0 - mu);
            for i in 0..p {
                grad[i] += (y - mu) * x[i];
                let scaled = curvature * x[i];
                if scaled != 0.0 {
                    for j in i..p {
                        hess[i][j] += scaled * x[j];
                    }
                }
            }
        }
        for i in 0..p {
            grad[i] -= 1e-3 * w[i];
            hess[i][i] += 1e-3;
            for j in 0..i {
                hess[i][j] = hess[j][i];
            }
        }
        let step = solve(hess, grad);
        for i in 0..p {
            w[i] += step[i];
        }
    }
    let mut scored: Vec<(f64, f64)> = test
        .iter()
        .map(|(x, y)| (x.iter().zip(&w).map(|(a, b)| a * b).sum(), *y))
        .collect();
    (auc(&mut scored), w)
}

fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap();
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..n {
            let factor = a[row][col] / a[col][col];
            for k in col..n {
                a[row][k] -= factor * a[col][k];
            }
            b[row] -= factor * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let tail: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - tail) / a[row][row];
    }
    x
}

/// AUC by ranks (ties share their average rank).
pub(in crate::ingest::demo) fn auc(scored: &mut [(f64, f64)]) -> f64 {
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < scored.len() {
        let mut j = i;
        while j < scored.len() && scored[j].0 == scored[i].0 {
            j += 1;
        }
        let average = (i + j + 1) as f64 / 2.0;
        rank_sum += scored[i..j].iter().filter(|s| s.1 == 1.0).count() as f64 * average;
        i = j;
    }
    let positives = scored.iter().filter(|s| s.1 == 1.0).count() as f64;
    let negatives = scored.len() as f64 - positives;
    (rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives)
}
