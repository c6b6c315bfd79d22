//! Drift watch: the population stability index (PSI) of the cases being scored against the
//! data the model learnt from.
//!
//! ```text
//! PSI = Σ over bins i of (a_i − e_i) × ln(a_i / e_i)
//! ```
//!
//! with `e_i` the reference (training) share and `a_i` the scored population's share in bin
//! `i`. A share of 0 is replaced by `EPSILON` = 0.0001 before the sum (an empty bin would make
//! the logarithm infinite); the shares are not renormalised afterwards.
//!
//! Bins: for a numeric feature (and for the score), at most 10, cut at the reference's
//! deciles. Edge `k` (k = 1..9) is the nearest-rank quantile, the sorted reference value at
//! place `ceil(k × n / 10)` (1-based); equal edges collapse, so a feature with few distinct
//! values gets fewer bins. A value `v` falls in bin `#{edges e : v > e}`, so the bins are
//! `(-inf, e1], (e1, e2], …, (e_last, +inf)`. A categorical feature has one bin per category
//! seen in the reference plus one for categories it never saw.
//!
//! Reading (a common convention): under 0.1 stable, 0.1 to 0.25 a moderate shift, 0.25 or
//! more a significant shift, which `score` warns about.

use serde::{Deserialize, Serialize};

#[cfg(test)]
use super::view::FeatureValue;

/// The share standing in for an empty bin.
pub const EPSILON: f64 = 1e-4;
/// From here a shift is moderate.
pub const MODERATE: f64 = 0.1;
/// From here a shift is significant: the run is recorded with a warning.
pub const SIGNIFICANT: f64 = 0.25;
/// Deciles.
pub const BINS: usize = 10;

/// How far a distribution moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftLevel {
    Stable,
    Moderate,
    Significant,
}

impl DriftLevel {
    pub fn of(psi: f64) -> DriftLevel {
        if psi >= SIGNIFICANT {
            DriftLevel::Significant
        } else if psi >= MODERATE {
            DriftLevel::Moderate
        } else {
            DriftLevel::Stable
        }
    }
}

/// One measured distribution: a feature, or the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftMeasure {
    pub name: String,
    pub psi: f64,
    pub level: DriftLevel,
}

/// A scoring run's drift against the model's reference data, as the `scored` event and the
/// `scoring_runs.drift` column keep it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftReport {
    /// Cases in the reference (the closed cases with an outcome at scoring time).
    pub reference_cases: usize,
    /// False when that is not the number the model was trained and tested on: cases have
    /// closed since, and the reference is no longer exactly the training data.
    pub reference_is_training_data: bool,
    pub scored_cases: usize,
    /// The worst of `score` and `features`.
    pub level: DriftLevel,
    pub score: DriftMeasure,
    /// Per feature, in the model's order.
    pub features: Vec<DriftMeasure>,
}

impl DriftReport {
    /// The measures at `Significant`, score first.
    pub fn significant(&self) -> impl Iterator<Item = &DriftMeasure> {
        std::iter::once(&self.score)
            .chain(&self.features)
            .filter(|m| m.level == DriftLevel::Significant)
    }
}

/// `Σ (a − e) ln(a / e)` over paired shares, each share floored at [`EPSILON`].
pub fn psi(expected: &[f64], actual: &[f64]) -> f64 {
    expected
        .iter()
        .zip(actual)
        .map(|(&e, &a)| {
            let (e, a) = (e.max(EPSILON), a.max(EPSILON));
            (a - e) * (a / e).ln()
        })
        .sum()
}

/// The decile edges of `reference` (see the module note), duplicates collapsed.
pub fn decile_edges(reference: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = reference
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n == 0 {
        return Vec::new();
    }
    let mut edges: Vec<f64> = (1..BINS)
        .map(|k| sorted[(k * n).div_ceil(BINS).max(1) - 1])
        .collect();
    edges.dedup();
    edges
}

/// Shares of `values` in the bins cut at `edges`.
#[cfg(test)]
fn numeric_shares(edges: &[f64], values: &[f64]) -> Vec<f64> {
    let mut counts = vec![0usize; edges.len() + 1];
    for v in values {
        counts[edges.partition_point(|e| v > e)] += 1;
    }
    shares(&counts, values.len())
}

/// Each bin's count as a share of `n` (0 for every bin when `n` is 0).
pub(super) fn shares(counts: &[usize], n: usize) -> Vec<f64> {
    counts
        .iter()
        .map(|&c| if n == 0 { 0.0 } else { c as f64 / n as f64 })
        .collect()
}

// The whole-column forms below are the definition a scoring run's tally
// (`domain::drift_reference`) is tested against; scoring itself bins as it goes.

/// PSI of numbers, binned at the reference's deciles.
#[cfg(test)]
pub fn numeric_psi(reference: &[f64], current: &[f64]) -> f64 {
    let edges = decile_edges(reference);
    psi(
        &numeric_shares(&edges, reference),
        &numeric_shares(&edges, current),
    )
}

/// PSI of categories: one bin per reference category, one for the unseen.
#[cfg(test)]
pub fn categorical_psi(reference: &[&str], current: &[&str]) -> f64 {
    let mut seen: Vec<&str> = reference.to_vec();
    seen.sort_unstable();
    seen.dedup();
    let count = |values: &[&str]| {
        let mut counts = vec![0usize; seen.len() + 1];
        for v in values {
            counts[seen.binary_search(v).unwrap_or(seen.len())] += 1;
        }
        shares(&counts, values.len())
    };
    psi(&count(reference), &count(current))
}

/// PSI of one feature's column (numbers or categories; a mixed column compares as text).
#[cfg(test)]
pub fn feature_psi(reference: &[&FeatureValue], current: &[&FeatureValue]) -> f64 {
    let numbers =
        |col: &[&FeatureValue]| -> Option<Vec<f64>> { col.iter().map(|v| v.as_number()).collect() };
    match (numbers(reference), numbers(current)) {
        (Some(r), Some(c)) => numeric_psi(&r, &c),
        _ => {
            let text = |col: &[&FeatureValue]| -> Vec<String> {
                col.iter()
                    .map(|v| match v {
                        FeatureValue::Number(n) => n.to_string(),
                        FeatureValue::Category(c) => c.clone(),
                    })
                    .collect()
            };
            let (r, c) = (text(reference), text(current));
            let r: Vec<&str> = r.iter().map(String::as_str).collect();
            let c: Vec<&str> = c.iter().map(String::as_str).collect();
            categorical_psi(&r, &c)
        }
    }
}

/// A named measure with its level.
pub fn measure(name: &str, psi: f64) -> DriftMeasure {
    DriftMeasure {
        name: name.to_string(),
        psi,
        level: DriftLevel::of(psi),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn psi_matches_a_hand_computed_value() {
        // 0.4 ln(0.9/0.5) + (-0.4) ln(0.1/0.5) = 0.235115 + 0.643775
        assert!(close(psi(&[0.5, 0.5], &[0.9, 0.1]), 0.878890));
        // 0.1 ln(0.3/0.2) + 0 + (-0.1) ln(0.4/0.5) = 0.040547 + 0.022314
        assert!(close(psi(&[0.2, 0.3, 0.5], &[0.3, 0.3, 0.4]), 0.062861));
        assert_eq!(psi(&[0.25; 4], &[0.25; 4]), 0.0);
    }

    #[test]
    fn an_empty_bin_counts_as_epsilon() {
        // 0.5 ln(1/0.5) + (0.0001 - 0.5) ln(0.0001/0.5) = 0.346574 + 4.257745
        assert!(close(psi(&[0.5, 0.5], &[1.0, 0.0]), 4.604319));
    }

    #[test]
    fn decile_edges_are_nearest_rank_and_collapse_ties() {
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(
            decile_edges(&ten),
            vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
        );
        // Children 0, 1, 2: three bins, (-inf, 0], (0, 1], (1, inf).
        let kids = [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 2.0, 2.0];
        assert_eq!(decile_edges(&kids), vec![0.0, 1.0, 2.0]);
    }

    #[test]
    fn the_same_population_is_stable_and_a_shifted_one_significant() {
        let reference: Vec<f64> = (0..1000).map(|i| f64::from(i % 100)).collect();
        assert!(numeric_psi(&reference, &reference).abs() < 1e-12);
        // Every value moved past the top decile: one bin holds everything.
        let shifted: Vec<f64> = reference.iter().map(|v| v + 1000.0).collect();
        let psi = numeric_psi(&reference, &shifted);
        assert_eq!(DriftLevel::of(psi), DriftLevel::Significant);
        // Hand-computed: nine bins 0.1 -> 0.0001, one 0.1 -> 1.0.
        let expected = 9.0 * (0.0001 - 0.1) * (0.0001f64 / 0.1).ln() + 0.9 * 10f64.ln();
        assert!(close(psi, expected));
    }

    #[test]
    fn unseen_categories_get_their_own_bin() {
        let reference = ["huur", "huur", "koop", "koop"];
        let current = ["huur", "huur", "woonboot", "woonboot"];
        // huur 0.5 -> 0.5; koop 0.5 -> 0 (eps); unseen 0 (eps) -> 0.5
        let eps = EPSILON;
        let expected = (eps - 0.5) * (eps / 0.5).ln() + (0.5 - eps) * (0.5 / eps).ln();
        assert!(close(categorical_psi(&reference, &current), expected));
    }

    #[test]
    fn levels_follow_the_convention() {
        assert_eq!(DriftLevel::of(0.05), DriftLevel::Stable);
        assert_eq!(DriftLevel::of(0.1), DriftLevel::Moderate);
        assert_eq!(DriftLevel::of(0.25), DriftLevel::Significant);
    }
}
