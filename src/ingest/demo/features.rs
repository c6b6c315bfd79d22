//! The demo's choice of features from the catalogue (`domain::feature_catalogue`): what its
//! model learns from. A municipality's household profile makes its own choice.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::DemoHousehold;
use crate::domain::feature_catalogue::{self, Inputs};
use crate::domain::household::{Household, Signal, SignalFlags};
use crate::domain::view::FeatureValue;

/// The demo's features and whether each is categorical, in a fixed order; every one is a
/// catalogue feature (a test checks it).
pub const FEATURES: &[(&str, bool)] = &[
    ("total_arrears_eur", false),
    ("max_months_in_arrears", false),
    ("rent_months_in_arrears", false),
    ("signal_count", false),
    ("children", false),
    ("rent_signal", false),
    ("energy_signal", false),
    ("water_signal", false),
    ("health_insurance_signal", false),
    ("multiple_signals", false),
    ("repeated_signal", false),
    ("threat", false),
    ("earlier_debt_help", false),
    ("known_to_district_team", false),
    ("wmo_youth_support", false),
    ("household_type", true),
    ("income_source", true),
    ("district", true),
];

/// `(name, categorical)` for every feature, in the order of [`FEATURES`].
pub fn feature_defs() -> Vec<(&'static str, bool)> {
    FEATURES.to_vec()
}

/// The feature values of one household, keyed by the names of [`FEATURES`].
pub fn features(h: &DemoHousehold) -> BTreeMap<String, FeatureValue> {
    features_of(&h.household, &h.signals, h.case.month_start(), h.case.flags)
}

/// The demo's features of a household's case in the month from `month_start`, computed by
/// the catalogue, as `oordeel signals import` computes them for any caseload.
pub fn features_of(
    household: &Household,
    signals: &[Signal],
    month_start: NaiveDate,
    flags: SignalFlags,
) -> BTreeMap<String, FeatureValue> {
    let inputs = Inputs {
        household,
        signals,
        month_start,
        flags,
    };
    FEATURES
        .iter()
        .map(|(name, _)| {
            let value = feature_catalogue::value(name, &inputs).expect("a catalogue feature");
            ((*name).to_owned(), value)
        })
        .collect()
}
