//! The reference side of the drift watch, kept with a model version when it is trained: per
//! feature the bins of `domain::drift` and the training data's shares in them, and the same
//! for the score. Scoring then tallies the cases it scores into those bins as it goes, so a
//! run holds neither its population nor the training data (at a million households the two
//! were most of `score`'s memory and a second read of every labelled case).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::drift::{self, DriftLevel, DriftMeasure, DriftReport, shares};
use super::view::FeatureValue;

/// The bins of one distribution and the reference's share in each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Bins {
    /// Cut at the reference's deciles; one bin more than edges, and a last one for a value
    /// that is not a number (share 0 in the reference).
    Numeric { edges: Vec<f64>, shares: Vec<f64> },
    /// One bin per category the reference holds (sorted), and a last one for the unseen.
    Categorical {
        levels: Vec<String>,
        shares: Vec<f64>,
    },
}

impl Bins {
    /// The bins of numbers (a numeric feature, or the score).
    pub fn numeric(values: &[f64]) -> Bins {
        let edges = drift::decile_edges(values);
        let mut counts = vec![0usize; edges.len() + 2];
        let last = edges.len() + 1;
        for &v in values {
            counts[if v.is_nan() {
                last
            } else {
                edges.partition_point(|e| v > *e)
            }] += 1;
        }
        Bins::Numeric {
            shares: shares(&counts, values.len()),
            edges,
        }
    }

    /// The bins of categories, from how often each occurs.
    pub fn categorical(counts: &BTreeMap<String, usize>) -> Bins {
        let n = counts.values().sum();
        let mut tally: Vec<usize> = counts.values().copied().collect();
        tally.push(0);
        Bins::Categorical {
            levels: counts.keys().cloned().collect(),
            shares: shares(&tally, n),
        }
    }

    fn len(&self) -> usize {
        match self {
            Bins::Numeric { shares, .. } | Bins::Categorical { shares, .. } => shares.len(),
        }
    }

    fn shares(&self) -> &[f64] {
        match self {
            Bins::Numeric { shares, .. } | Bins::Categorical { shares, .. } => shares,
        }
    }

    fn bin_of_number(&self, v: f64) -> usize {
        match self {
            Bins::Numeric { .. } if v.is_nan() => self.len() - 1,
            Bins::Numeric { edges, .. } => edges.partition_point(|e| v > *e),
            Bins::Categorical { .. } => self.bin_of_text(&v.to_string()),
        }
    }

    fn bin_of_text(&self, text: &str) -> usize {
        match self {
            Bins::Numeric { .. } => self.len() - 1,
            Bins::Categorical { levels, .. } => levels
                .binary_search_by(|l| l.as_str().cmp(text))
                .unwrap_or(levels.len()),
        }
    }

    fn bin_of(&self, value: &FeatureValue) -> usize {
        match value {
            FeatureValue::Number(n) => self.bin_of_number(*n),
            FeatureValue::Category(c) => self.bin_of_text(c),
        }
    }
}

/// What the scored population is compared with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriftReference {
    /// The cases it was taken from.
    pub cases: usize,
    /// Whether those are exactly the cases the model was trained and tested on.
    pub is_training_data: bool,
    /// Per feature, in the model's order.
    pub features: Vec<Bins>,
    pub score: Bins,
}

impl DriftReference {
    /// The reference of `rows` reference rows: `value(i, j)` is row `i`'s value of the
    /// model's feature `j` (declared categorical when `categorical[j]`), `scores[i]` the
    /// model's score of row `i`. One column at a time, so only one column of numbers is held
    /// for its deciles. A value of the other kind than its feature's declaration counts as
    /// text (a category in a numeric feature falls outside every decile).
    pub fn from_columns<'v>(
        categorical: &[bool],
        scores: &[f64],
        is_training_data: bool,
        value: impl Fn(usize, usize) -> &'v FeatureValue,
    ) -> DriftReference {
        let rows = scores.len();
        let features = categorical
            .iter()
            .enumerate()
            .map(|(j, &categorical)| {
                if categorical {
                    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
                    for i in 0..rows {
                        let text = match value(i, j) {
                            FeatureValue::Category(t) => std::borrow::Cow::Borrowed(t.as_str()),
                            FeatureValue::Number(n) => std::borrow::Cow::Owned(n.to_string()),
                        };
                        match counts.get_mut(text.as_ref()) {
                            Some(c) => *c += 1,
                            None => {
                                counts.insert(text.into_owned(), 1);
                            }
                        }
                    }
                    Bins::categorical(&counts)
                } else {
                    let numbers: Vec<f64> = (0..rows)
                        .map(|i| value(i, j).as_number().unwrap_or(f64::NAN))
                        .collect();
                    Bins::numeric(&numbers)
                }
            })
            .collect();
        DriftReference {
            cases: rows,
            is_training_data,
            features,
            score: Bins::numeric(scores),
        }
    }
}

/// The scored population, counted into the reference's bins as it is scored.
pub struct Tally<'r> {
    reference: &'r DriftReference,
    features: Vec<Vec<usize>>,
    score: Vec<usize>,
    cases: usize,
}

impl DriftReference {
    pub fn tally(&self) -> Tally<'_> {
        Tally {
            reference: self,
            features: self.features.iter().map(|b| vec![0; b.len()]).collect(),
            score: vec![0; self.score.len()],
            cases: 0,
        }
    }
}

impl Tally<'_> {
    /// One scored case, in the model's feature order, with its score.
    pub fn add(&mut self, row: &[FeatureValue], score: f64) {
        for ((counts, bins), value) in self
            .features
            .iter_mut()
            .zip(&self.reference.features)
            .zip(row)
        {
            counts[bins.bin_of(value)] += 1;
        }
        self.score[self.reference.score.bin_of_number(score)] += 1;
        self.cases += 1;
    }

    /// The report, `None` when nothing was scored or the reference is empty. `names`: the
    /// model's features, in its order.
    pub fn report(self, names: &[String]) -> Option<DriftReport> {
        if self.cases == 0 || self.reference.cases == 0 {
            return None;
        }
        let n = self.cases;
        let features: Vec<DriftMeasure> = names
            .iter()
            .zip(&self.reference.features)
            .zip(&self.features)
            .map(|((name, bins), counts)| {
                drift::measure(name, drift::psi(bins.shares(), &shares(counts, n)))
            })
            .collect();
        let score = drift::measure(
            "score",
            drift::psi(self.reference.score.shares(), &shares(&self.score, n)),
        );
        let level = features
            .iter()
            .chain(std::iter::once(&score))
            .map(|m| m.level)
            .max_by_key(|l| *l as u8)
            .unwrap_or(DriftLevel::Stable);
        Some(DriftReport {
            reference_cases: self.reference.cases,
            reference_is_training_data: self.reference.is_training_data,
            scored_cases: n,
            level,
            score,
            features,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(v: f64) -> FeatureValue {
        FeatureValue::Number(v)
    }
    fn cat(c: &str) -> FeatureValue {
        FeatureValue::Category(c.to_owned())
    }

    /// Tallying into stored bins gives the PSI that binning both columns whole gives.
    #[test]
    fn a_tally_gives_the_psi_of_the_whole_columns() {
        let reference: Vec<(f64, &str, f64)> = (0..500)
            .map(|i| {
                (
                    f64::from(i % 37),
                    ["a", "b", "c"][i as usize % 3],
                    f64::from(i) / 500.0,
                )
            })
            .collect();
        let current: Vec<(f64, &str, f64)> = (0..300)
            .map(|i| {
                (
                    f64::from(i % 23) + 5.0,
                    ["a", "b", "d"][i as usize % 4 % 3],
                    0.5,
                )
            })
            .collect();
        let rows: Vec<[FeatureValue; 2]> = reference
            .iter()
            .map(|(x, c, _)| [num(*x), cat(c)])
            .collect();
        let scores: Vec<f64> = reference.iter().map(|r| r.2).collect();
        let stored =
            DriftReference::from_columns(&[false, true], &scores, true, |i, j| &rows[i][j]);
        let json = serde_json::to_string(&stored).unwrap();
        let stored: DriftReference = serde_json::from_str(&json).unwrap();
        let mut tally = stored.tally();
        for (x, c, s) in &current {
            tally.add(&[num(*x), cat(c)], *s);
        }
        let report = tally
            .report(&["x".to_owned(), "c".to_owned()])
            .expect("a report");
        let col = |v: &[(f64, &str, f64)], k: usize| -> Vec<FeatureValue> {
            v.iter()
                .map(|r| if k == 0 { num(r.0) } else { cat(r.1) })
                .collect()
        };
        for k in 0..2 {
            let (r, c) = (col(&reference, k), col(&current, k));
            let whole =
                drift::feature_psi(&r.iter().collect::<Vec<_>>(), &c.iter().collect::<Vec<_>>());
            assert!(
                (report.features[k].psi - whole).abs() < 1e-12,
                "{k}: {report:?} {whole}"
            );
        }
        let scores = |v: &[(f64, &str, f64)]| -> Vec<f64> { v.iter().map(|r| r.2).collect() };
        let whole = drift::numeric_psi(&scores(&reference), &scores(&current));
        assert!((report.score.psi - whole).abs() < 1e-12);
        assert_eq!((report.reference_cases, report.scored_cases), (500, 300));
        assert!(report.features[1].psi > 0.1, "the unseen category shows");
    }

    #[test]
    fn a_category_in_a_numeric_feature_falls_outside_every_decile() {
        let rows: Vec<FeatureValue> = (0..100).map(|i| num(f64::from(i))).collect();
        let stored = DriftReference::from_columns(&[false], &[0.5; 100], true, |i, _| &rows[i]);
        let mut tally = stored.tally();
        for _ in 0..100 {
            tally.add(&[cat("unknown")], 0.5);
        }
        let report = tally.report(&["x".to_owned()]).expect("a report");
        assert_eq!(report.features[0].level, DriftLevel::Significant);
    }

    #[test]
    fn nothing_scored_is_no_report() {
        let stored = DriftReference::from_columns(&[false], &[], true, |_, _| unreachable!());
        assert!(stored.tally().report(&["x".to_owned()]).is_none());
    }
}
