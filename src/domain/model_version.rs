//! A model version as the store keeps it: the model's own serialisation as opaque JSON beside
//! the figures every report needs. `model::version` decodes it, in one place.

/// A model version as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelVersion {
    pub version: i64,
    pub algorithm: String,
    /// Feature names in the order of the stored contributions.
    pub features: Vec<String>,
    /// The model's own serialisation (features, encoding, coefficients, intercept, metrics).
    pub spec: String,
    pub intercept: f64,
    pub auc: f64,
    pub brier: f64,
    pub log_loss: f64,
    pub training_data_hash: String,
    pub trained_at: String,
    pub trained_by: String,
    /// The admin who approved this version for scoring (never its trainer), and when.
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    /// Held-out evaluation (JSON written by `model/`): calibration, per-group metrics.
    pub evaluation: Option<String>,
    /// Every feature against every protected attribute (JSON), strong proxies flagged.
    pub proxy_check: Option<String>,
    /// Where the labels came from, the correction for selective labels, the evaluation on
    /// the random arm and the comparison with the version in use (JSON, `model::labels`).
    pub labels: Option<String>,
    /// The cases it was fitted and calibrated on ([`case_set`]); `None` for versions
    /// trained before own labels existed, which learned from history cases only.
    pub trained_on: Option<Vec<u8>>,
}

/// A set of case numbers as a bitset: bit `i % 8` of byte `i / 8` is case `i`.
pub fn case_set(cases: impl IntoIterator<Item = i64>) -> Vec<u8> {
    let mut bits = Vec::new();
    for c in cases {
        let Ok(i) = usize::try_from(c) else { continue };
        if bits.len() <= i / 8 {
            bits.resize(i / 8 + 1, 0);
        }
        bits[i / 8] |= 1 << (i % 8);
    }
    bits
}

/// Whether case `c` is in a [`case_set`].
pub fn in_case_set(bits: &[u8], c: i64) -> bool {
    usize::try_from(c)
        .ok()
        .and_then(|i| bits.get(i / 8).map(|b| b & (1 << (i % 8)) != 0))
        .unwrap_or(false)
}
