//! Quality measures of a model on held-out cases, and the seeded stratified split that holds
//! them out. Definitions follow scikit-learn so figures can be compared with a reference.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// How well a model did on the held-out test part of the training data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Area under the ROC curve on the test part (0.5 = chance, 1 = perfect ranking).
    pub auc: f64,
    /// Mean squared error of the probabilities on the test part.
    pub brier: f64,
    /// Mean log-loss of the probabilities on the test part.
    pub log_loss: f64,
    pub n_train: usize,
    /// Rows set aside to fit the calibration (0 in versions trained before calibration).
    #[serde(default)]
    pub n_calibration: usize,
    pub n_test: usize,
    /// Share of positive labels over all labelled rows (train and test).
    pub positive_rate: f64,
}

/// Area under the ROC curve: the chance that a random positive scores above a random negative,
/// ties counting half. Computed as the Mann-Whitney U statistic with average ranks for ties,
/// which equals scikit-learn's `roc_auc_score`. NaN when either class is absent.
pub fn auc(scores: &[f64], labels: &[bool]) -> f64 {
    assert_eq!(scores.len(), labels.len(), "auc: one label per score");
    let n_pos = labels.iter().filter(|&&l| l).count();
    let n_neg = labels.len() - n_pos;
    if n_pos == 0 || n_neg == 0 {
        return f64::NAN;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_unstable_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    // Sum the 1-based ranks of the positives; a run of equal scores shares its average rank.
    let mut rank_sum_pos = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && scores[order[end]] == scores[order[start]] {
            end += 1;
        }
        let average_rank = (start + 1 + end) as f64 / 2.0;
        let positives = order[start..end].iter().filter(|&&i| labels[i]).count();
        rank_sum_pos += average_rank * positives as f64;
        start = end;
    }
    let (p, n) = (n_pos as f64, n_neg as f64);
    (rank_sum_pos - p * (p + 1.0) / 2.0) / (p * n)
}

/// Brier score: mean of `(p - y)^2`. NaN for no rows.
pub fn brier(probabilities: &[f64], labels: &[bool]) -> f64 {
    assert_eq!(
        probabilities.len(),
        labels.len(),
        "brier: one label per probability"
    );
    let sum: f64 = probabilities
        .iter()
        .zip(labels)
        .map(|(&p, &y)| (p - f64::from(u8::from(y))).powi(2))
        .sum();
    sum / probabilities.len() as f64
}

/// Mean log-loss `-[y ln p + (1 - y) ln(1 - p)]`, with `p` clipped to `[eps, 1 - eps]`
/// (machine epsilon, as scikit-learn does) so a confident mistake costs much but not infinity.
pub fn log_loss(probabilities: &[f64], labels: &[bool]) -> f64 {
    assert_eq!(
        probabilities.len(),
        labels.len(),
        "log_loss: one label per probability"
    );
    let eps = f64::EPSILON;
    let sum: f64 = probabilities
        .iter()
        .zip(labels)
        .map(|(&p, &y)| {
            let p = p.clamp(eps, 1.0 - eps);
            if y { -p.ln() } else { -(1.0 - p).ln() }
        })
        .sum();
    sum / probabilities.len() as f64
}

/// Split row indices into (train, test), holding out `test_share` of each class separately so
/// both parts keep the base rate. Deterministic for a seed (ChaCha8, stable across platforms).
/// Each class with at least two rows puts at least one in each part, so test metrics exist.
/// Both index lists come back ascending, so the training rows keep the data's order.
pub fn stratified_split(labels: &[bool], test_share: f64, seed: u64) -> (Vec<usize>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut train = Vec::with_capacity(labels.len());
    let mut test = Vec::new();
    for class in [false, true] {
        let mut idx: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] == class).collect();
        idx.shuffle(&mut rng);
        let n = idx.len();
        let mut n_test = (n as f64 * test_share).round() as usize;
        if n >= 2 {
            n_test = n_test.clamp(1, n - 1);
        } else {
            n_test = 0;
        }
        test.extend_from_slice(&idx[..n_test]);
        train.extend_from_slice(&idx[n_test..]);
    }
    train.sort_unstable();
    test.sort_unstable();
    (train, test)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_counts_ties_as_half() {
        // Positives score 0.8, 0.5, 0.5; negatives 0.5, 0.2.
        // Pairs (pos > neg): 0.8 beats both (2); each 0.5 beats 0.2 (2) and ties 0.5 (2 x 0.5).
        // AUC = (2 + 2 + 1) / (3 * 2) = 5/6.
        let scores = [0.8, 0.5, 0.5, 0.5, 0.2];
        let labels = [true, true, true, false, false];
        assert!((auc(&scores, &labels) - 5.0 / 6.0).abs() < 1e-15);
        // Order of rows does not matter.
        let scores = [0.5, 0.2, 0.5, 0.8, 0.5];
        let labels = [false, false, true, true, true];
        assert!((auc(&scores, &labels) - 5.0 / 6.0).abs() < 1e-15);
    }

    #[test]
    fn auc_extremes() {
        assert_eq!(auc(&[0.1, 0.9], &[false, true]), 1.0);
        assert_eq!(auc(&[0.9, 0.1], &[false, true]), 0.0);
        assert_eq!(auc(&[0.3, 0.3, 0.3], &[false, true, true]), 0.5);
        assert!(auc(&[0.3, 0.4], &[true, true]).is_nan());
    }

    #[test]
    fn brier_and_log_loss_by_hand() {
        let p = [0.9, 0.2, 0.6];
        let y = [true, false, false];
        let b = (0.01 + 0.04 + 0.36) / 3.0;
        assert!((brier(&p, &y) - b).abs() < 1e-15);
        let l = -(0.9f64.ln() + 0.8f64.ln() + 0.4f64.ln()) / 3.0;
        assert!((log_loss(&p, &y) - l).abs() < 1e-15);
        // A certain mistake is clipped, not infinite.
        assert!(log_loss(&[0.0], &[true]).is_finite());
    }

    #[test]
    fn split_is_stratified_disjoint_and_seeded() {
        let labels: Vec<bool> = (0..1000).map(|i| i % 10 < 3).collect(); // 300 positive
        let (train, test) = stratified_split(&labels, 0.25, 7);
        assert_eq!(train.len() + test.len(), 1000);
        assert_eq!(test.len(), 250);
        assert_eq!(test.iter().filter(|&&i| labels[i]).count(), 75);
        assert_eq!(train.iter().filter(|&&i| labels[i]).count(), 225);
        let mut all: Vec<usize> = train.iter().chain(&test).copied().collect();
        all.sort_unstable();
        assert!(all.iter().enumerate().all(|(k, &i)| k == i));
        assert!(train.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            stratified_split(&labels, 0.25, 7),
            (train.clone(), test.clone())
        );
        assert_ne!(stratified_split(&labels, 0.25, 8).1, test);
    }

    #[test]
    fn split_keeps_a_rare_class_in_both_parts() {
        let mut labels = vec![false; 100];
        labels[10] = true;
        labels[20] = true;
        let (train, test) = stratified_split(&labels, 0.1, 1);
        assert_eq!(train.iter().filter(|&&i| labels[i]).count(), 1);
        assert_eq!(test.iter().filter(|&&i| labels[i]).count(), 1);
    }
}
