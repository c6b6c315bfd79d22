//! The proxy check: how strongly each feature is associated with each protected attribute on
//! the training rows, so an approver sees which features could stand in for one.
//!
//! Two measures per (feature, attribute) pair, both 0 for independence and 1 for a perfect
//! one-to-one association:
//!
//! - **Cramér's V** = √(χ² / (n · (min(r, c) − 1))) on the r × c contingency table, without
//!   bias correction (as `scipy.stats.contingency.association(..., method="cramer")`); rows
//!   or columns that stay empty do not count in r and c. A table with one row or one column
//!   has V = 0.
//! - **Normalised mutual information** = I(X; Y) / ((H(X) + H(Y)) / 2) (scikit-learn's
//!   `normalized_mutual_info_score` with its default arithmetic normalisation); 0 when both
//!   entropies are 0.
//!
//! Categorical features count by value (a 0/1 feature is two categories). A numeric feature is
//! cut into up to [`NUMERIC_BINS`] equal-count (quantile) bins: the edges are the values at
//! positions ⌊k·n/10⌋, k = 1..9, of the sorted column, duplicates dropped, and a value's bin is
//! the number of edges at or below it, so equal values always share a bin and a count with few
//! distinct values gets fewer bins. A pair is a **strong proxy** when V ≥ the threshold of the
//! database's feature rules. Rows without recorded protected attributes are left out.

use serde::{Deserialize, Serialize};

use crate::domain::view::FeatureValue;

/// Numeric features are cut into at most this many equal-count bins.
pub const NUMERIC_BINS: usize = 10;

/// The proxy check of one model version, stored as JSON in `model_versions.proxy_check`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProxyCheck {
    /// Cramér's V at or above which a pair is flagged.
    pub threshold: f64,
    /// Bins for numeric features (equal-count).
    pub numeric_bins: usize,
    /// Training rows with recorded protected attributes (the rows measured).
    pub rows: usize,
    /// One entry per feature and protected attribute, in feature order.
    pub pairs: Vec<ProxyPair>,
}

/// One feature against one protected attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProxyPair {
    pub feature: String,
    pub attribute: String,
    pub cramers_v: f64,
    pub normalized_mutual_information: f64,
    /// Categories (or bins) of the feature and values of the attribute that occur.
    pub feature_levels: usize,
    pub attribute_levels: usize,
    /// `cramers_v >= threshold`.
    pub strong_proxy: bool,
}

impl ProxyCheck {
    /// The flagged pairs, strongest first.
    pub fn strong(&self) -> Vec<&ProxyPair> {
        let mut out: Vec<&ProxyPair> = self.pairs.iter().filter(|p| p.strong_proxy).collect();
        out.sort_by(|a, b| b.cramers_v.total_cmp(&a.cramers_v));
        out
    }
}

/// Measures every feature (`features[j]` = (name, categorical?), `rows[i][j]` its value)
/// against every attribute (`groups[i][a]` = row i's value of `attributes[a]`, `None` when not
/// recorded).
pub fn proxy_check<const A: usize>(
    features: &[(String, bool)],
    rows: &[Vec<FeatureValue>],
    attributes: &[&str; A],
    groups: &[Option<[String; A]>],
    threshold: f64,
) -> ProxyCheck {
    let measured: Vec<(usize, &[String; A])> = groups
        .iter()
        .enumerate()
        .take(rows.len())
        .filter_map(|(i, g)| g.as_ref().map(|g| (i, g)))
        .collect();
    // Each attribute's value per measured row as a small number: the tables are then counted
    // into arrays instead of a map keyed by strings (seven seconds at 700,000 rows).
    let attribute_codes: Vec<(Vec<u32>, usize)> = (0..A)
        .map(|a| codes(measured.iter().map(|(_, g)| g[a].as_str())))
        .collect();
    let mut pairs = Vec::with_capacity(features.len() * A);
    for (j, (name, categorical)) in features.iter().enumerate() {
        let column: Vec<Option<&FeatureValue>> =
            measured.iter().map(|(i, _)| rows[*i].get(j)).collect();
        let (levels, level_count) = feature_levels(&column, *categorical);
        for (a, attribute) in attributes.iter().enumerate() {
            let (other, other_count) = &attribute_codes[a];
            let table = Contingency::from_codes(&levels, level_count, other, *other_count);
            let v = table.cramers_v();
            pairs.push(ProxyPair {
                feature: name.clone(),
                attribute: (*attribute).to_owned(),
                cramers_v: v,
                normalized_mutual_information: table.normalized_mutual_information(),
                feature_levels: table.rows,
                attribute_levels: table.cols,
                strong_proxy: v >= threshold,
            });
        }
    }
    ProxyCheck {
        threshold,
        numeric_bins: NUMERIC_BINS,
        rows: measured.len(),
        pairs,
    }
}

/// A level of a feature: a category (a number in a categorical feature counts by its text,
/// as the category of the same text), a numeric bin, or missing.
#[derive(PartialEq, Eq, Hash)]
enum Level<'a> {
    Category(std::borrow::Cow<'a, str>),
    Bin(usize),
    Missing,
}

/// Each row's level of the feature as a code (the category, or the numeric bin), and how
/// many levels occur.
fn feature_levels(column: &[Option<&FeatureValue>], categorical: bool) -> (Vec<u32>, usize) {
    let edges = if categorical {
        Vec::new()
    } else {
        quantile_edges(
            column
                .iter()
                .filter_map(|v| v.and_then(FeatureValue::as_number))
                .filter(|x| x.is_finite())
                .collect(),
        )
    };
    codes(column.iter().map(|v| match v {
        Some(FeatureValue::Category(c)) => Level::Category(c.as_str().into()),
        Some(FeatureValue::Number(x)) if categorical => Level::Category(x.to_string().into()),
        // The number of edges at or below the value (the edges are sorted).
        Some(FeatureValue::Number(x)) if x.is_finite() => {
            Level::Bin(edges.partition_point(|e| *e <= *x))
        }
        _ => Level::Missing,
    }))
}

/// Numbers the distinct values in the order they first occur: (each value's code, how many).
fn codes<K: Eq + std::hash::Hash>(values: impl Iterator<Item = K>) -> (Vec<u32>, usize) {
    let mut seen: std::collections::HashMap<K, u32> = std::collections::HashMap::new();
    let out = values
        .map(|v| {
            let next = seen.len() as u32;
            *seen.entry(v).or_insert(next)
        })
        .collect();
    (out, seen.len())
}

/// The distinct values at positions ⌊k·n/bins⌋ (k = 1..bins−1) of the sorted numbers.
pub fn quantile_edges(mut numbers: Vec<f64>) -> Vec<f64> {
    numbers.sort_by(f64::total_cmp);
    let n = numbers.len();
    let mut edges: Vec<f64> = (1..NUMERIC_BINS)
        .filter_map(|k| numbers.get(k * n / NUMERIC_BINS).copied())
        .collect();
    edges.dedup();
    edges
}

/// A contingency table of two labelled variables: `rows` × `cols` counts, every row and
/// column with a count.
pub struct Contingency {
    rows: usize,
    cols: usize,
    counts: Vec<Vec<f64>>,
    n: f64,
}

impl Contingency {
    /// Counts the pairs `(x[i], y[i])`; only levels that occur get a row or a column.
    pub fn count<X: AsRef<str>, Y: AsRef<str>>(x: &[X], y: &[Y]) -> Contingency {
        let (x, nx) = codes(x.iter().map(AsRef::as_ref));
        let (y, ny) = codes(y.iter().map(AsRef::as_ref));
        Contingency::from_codes(&x, nx, &y, ny)
    }

    /// Counts the pairs `(x[i], y[i])` of codes below `nx` and `ny`, each of which occurs.
    fn from_codes(x: &[u32], nx: usize, y: &[u32], ny: usize) -> Contingency {
        let mut counts = vec![vec![0.0; ny]; nx];
        for (&a, &b) in x.iter().zip(y) {
            counts[a as usize][b as usize] += 1.0;
        }
        Contingency {
            rows: nx,
            cols: ny,
            n: x.len().min(y.len()) as f64,
            counts,
        }
    }

    /// A table from counts directly (tests, hand-computed examples).
    pub fn from_counts(counts: Vec<Vec<f64>>) -> Contingency {
        let n = counts.iter().flatten().sum();
        Contingency {
            rows: counts.len(),
            cols: counts.first().map_or(0, Vec::len),
            counts,
            n,
        }
    }

    fn margins(&self) -> (Vec<f64>, Vec<f64>) {
        let row: Vec<f64> = self.counts.iter().map(|r| r.iter().sum()).collect();
        let col: Vec<f64> = (0..self.cols)
            .map(|j| self.counts.iter().map(|r| r[j]).sum())
            .collect();
        (row, col)
    }

    /// Pearson's χ² against independence, over the non-empty rows and columns.
    pub fn chi_square(&self) -> f64 {
        let (row, col) = self.margins();
        let mut chi2 = 0.0;
        for (i, r) in self.counts.iter().enumerate() {
            for (j, observed) in r.iter().enumerate() {
                let expected = row[i] * col[j] / self.n;
                if expected > 0.0 {
                    chi2 += (observed - expected).powi(2) / expected;
                }
            }
        }
        chi2
    }

    /// Cramér's V (module docs); 0 for a table with one non-empty row or column.
    pub fn cramers_v(&self) -> f64 {
        let (row, col) = self.margins();
        let r = row.iter().filter(|c| **c > 0.0).count();
        let c = col.iter().filter(|c| **c > 0.0).count();
        let k = r.min(c);
        if k < 2 || self.n <= 0.0 {
            return 0.0;
        }
        (self.chi_square() / (self.n * (k - 1) as f64))
            .sqrt()
            .min(1.0)
    }

    /// I(X; Y) / ((H(X) + H(Y)) / 2), natural logarithms (the base cancels).
    pub fn normalized_mutual_information(&self) -> f64 {
        let (row, col) = self.margins();
        let entropy = |m: &[f64]| -> f64 {
            m.iter()
                .filter(|c| **c > 0.0)
                .map(|c| {
                    let p = c / self.n;
                    -p * p.ln()
                })
                .sum()
        };
        let (hx, hy) = (entropy(&row), entropy(&col));
        if hx + hy <= 0.0 {
            return 0.0;
        }
        let mut mi = 0.0;
        for (i, r) in self.counts.iter().enumerate() {
            for (j, c) in r.iter().enumerate() {
                if *c > 0.0 {
                    mi += c / self.n * (c * self.n / (row[i] * col[j])).ln();
                }
            }
        }
        (mi.max(0.0) / ((hx + hy) / 2.0)).min(1.0)
    }
}

#[cfg(test)]
#[path = "proxy_tests.rs"]
mod tests;
