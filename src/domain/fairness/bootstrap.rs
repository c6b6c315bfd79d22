//! Seeded percentile bootstrap intervals for the rates of one group.

use std::collections::BTreeMap;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{Confusion, Interval, Rate};

/// Percentile bootstrap of every rate of one group: resample its (selected, outcome) pairs
/// with replacement `resamples` times, keep the selection fixed, and take the
/// (1 - confidence) / 2 and (1 + confidence) / 2 quantiles (linear interpolation, as
/// NumPy's default) of the resamples where the rate is defined.
pub(super) fn bootstrap(
    pairs: &[(bool, bool)],
    resamples: usize,
    confidence: f64,
    rng: &mut ChaCha8Rng,
) -> BTreeMap<Rate, Interval> {
    let mut draws: BTreeMap<Rate, Vec<f64>> = BTreeMap::new();
    if pairs.is_empty() {
        return BTreeMap::new();
    }
    for _ in 0..resamples {
        let mut confusion = Confusion::default();
        for _ in 0..pairs.len() {
            let (s, o) = pairs[rng.gen_range(0..pairs.len())];
            confusion.add(s, o);
        }
        let rates = confusion.rates();
        for rate in Rate::ALL {
            if let Some(v) = rates.get(rate) {
                draws.entry(rate).or_default().push(v);
            }
        }
    }
    let alpha = (1.0 - confidence.clamp(0.0, 1.0)) / 2.0;
    draws
        .into_iter()
        .map(|(rate, mut values)| {
            values.sort_by(f64::total_cmp);
            (
                rate,
                Interval {
                    low: quantile(&values, alpha),
                    high: quantile(&values, 1.0 - alpha),
                },
            )
        })
        .collect()
}

/// Quantile `q` of sorted, non-empty `values`, interpolating linearly between neighbours.
fn quantile(values: &[f64], q: f64) -> f64 {
    let position = q * (values.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    values[below] + (values[above] - values[below]) * (position - below as f64)
}
