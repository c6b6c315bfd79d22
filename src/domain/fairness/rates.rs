//! Confusion counts and the rates derived from them (definitions in the parent module).

use serde::Serialize;

/// Confusion counts of selected versus outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Confusion {
    pub tp: usize,
    pub fp: usize,
    pub tn: usize,
    /// `fn` in JSON (a Rust keyword, hence the underscore here).
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Confusion {
    pub(super) fn add(&mut self, selected: bool, outcome: bool) {
        match (selected, outcome) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, false) => self.tn += 1,
            (false, true) => self.fn_ += 1,
        }
    }

    pub fn count(&self) -> usize {
        self.tp + self.fp + self.tn + self.fn_
    }

    pub fn selected(&self) -> usize {
        self.tp + self.fp
    }

    /// The rates of this table; each `None` when its denominator is zero.
    pub fn rates(&self) -> Rates {
        self.rates_over(1)
    }

    /// The rates of this table; each `None` when its denominator is under `min`: a false
    /// positive rate over one negative case says nothing about a group, and its ratio to the
    /// reference would raise a flag over nothing.
    pub fn rates_over(&self, min: usize) -> Rates {
        let over = |n: usize, d: usize| if d >= min.max(1) { ratio(n, d) } else { None };
        Rates {
            selection_rate: over(self.selected(), self.count()),
            tpr: over(self.tp, self.tp + self.fn_),
            fpr: over(self.fp, self.fp + self.tn),
            fnr: over(self.fn_, self.tp + self.fn_),
            ppv: over(self.tp, self.tp + self.fp),
            fdr: over(self.fp, self.tp + self.fp),
            false_omission_rate: over(self.fn_, self.fn_ + self.tn),
        }
    }
}

/// `numerator / denominator`, `None` when the denominator is zero.
pub fn ratio(numerator: usize, denominator: usize) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

/// The rates that get a disparity and a confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rate {
    SelectionRate,
    Tpr,
    Fpr,
    Fnr,
    Ppv,
    Fdr,
    FalseOmissionRate,
}

impl Rate {
    pub const ALL: [Rate; 7] = [
        Rate::SelectionRate,
        Rate::Tpr,
        Rate::Fpr,
        Rate::Fnr,
        Rate::Ppv,
        Rate::Fdr,
        Rate::FalseOmissionRate,
    ];

    /// Short name as used in reports and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Rate::SelectionRate => "selection_rate",
            Rate::Tpr => "tpr",
            Rate::Fpr => "fpr",
            Rate::Fnr => "fnr",
            Rate::Ppv => "ppv",
            Rate::Fdr => "fdr",
            Rate::FalseOmissionRate => "for",
        }
    }
}

/// The rates of one group (definitions in the module documentation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Rates {
    pub selection_rate: Option<f64>,
    pub tpr: Option<f64>,
    pub fpr: Option<f64>,
    pub fnr: Option<f64>,
    pub ppv: Option<f64>,
    pub fdr: Option<f64>,
    #[serde(rename = "for")]
    pub false_omission_rate: Option<f64>,
}

impl Rates {
    pub fn get(&self, rate: Rate) -> Option<f64> {
        match rate {
            Rate::SelectionRate => self.selection_rate,
            Rate::Tpr => self.tpr,
            Rate::Fpr => self.fpr,
            Rate::Fnr => self.fnr,
            Rate::Ppv => self.ppv,
            Rate::Fdr => self.fdr,
            Rate::FalseOmissionRate => self.false_omission_rate,
        }
    }
}
