//! Which labelled rows train the model, which calibrate it and which test it.

use super::TrainOptions;
use crate::domain::metrics;

/// Which labelled rows went where (indices into the caller's rows, each list ascending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub train: Vec<usize>,
    pub calibration: Vec<usize>,
    pub test: Vec<usize>,
}

impl Split {
    /// Seeded and stratified: the test part first, then the calibration part from the rest.
    pub fn new(labels: &[bool], opts: &TrainOptions) -> Split {
        let (rest, test) = metrics::stratified_split(labels, opts.test_share, opts.seed);
        if opts.calibration_share <= 0.0 {
            return Split {
                train: rest,
                calibration: Vec::new(),
                test,
            };
        }
        let rest_labels: Vec<bool> = rest.iter().map(|&i| labels[i]).collect();
        let (train, calibration) = metrics::stratified_split(
            &rest_labels,
            opts.calibration_share,
            opts.seed.wrapping_add(1),
        );
        Split {
            train: train.iter().map(|&k| rest[k]).collect(),
            calibration: calibration.iter().map(|&k| rest[k]).collect(),
            test,
        }
    }
}
