//! The model's view of a demo household: named features, never a protected attribute.

use std::collections::BTreeMap;

use chrono::Months;

use super::DemoHousehold;
use chrono::NaiveDate;

use crate::domain::household::{CreditorType, Household, Signal, SignalFlags};
use crate::domain::view::FeatureValue;

/// Feature names and whether each is categorical, in a fixed order.
///
/// Amounts and counts describe the signals of the case month only; earlier signals count
/// through `repeated_signal`. No protected attribute (gender, age band, migration
/// background) and no personal data appear here; the tests check that.
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

/// The feature values of a household's case in the month from `month_start`, from its
/// signals (all of them; the month's are picked here) and the month's derived flags. The
/// demo and `oordeel signals import` both compute features here, so a signal that arrives
/// through a file is scored exactly like a generated one.
pub fn features_of(
    household: &Household,
    signals: &[Signal],
    month_start: NaiveDate,
    flags: SignalFlags,
) -> BTreeMap<String, FeatureValue> {
    let next_month = month_start + Months::new(1);
    let in_month: Vec<_> = signals
        .iter()
        .filter(|s| s.received_on >= month_start && s.received_on < next_month)
        .collect();
    let has = |kind: CreditorType| in_month.iter().any(|s| s.creditor_type == kind);
    let cents: i64 = in_month.iter().map(|s| s.amount_cents).sum();
    let max_months = in_month
        .iter()
        .map(|s| s.months_in_arrears)
        .max()
        .unwrap_or(0);
    let rent_months = in_month
        .iter()
        .filter(|s| s.creditor_type == CreditorType::Rent)
        .map(|s| s.months_in_arrears)
        .max()
        .unwrap_or(0);
    let hh = household;

    let number = |v: f64| FeatureValue::Number(v);
    let flag = |b: bool| FeatureValue::Number(if b { 1.0 } else { 0.0 });
    let values = [
        number(cents as f64 / 100.0),
        number(f64::from(max_months)),
        number(f64::from(rent_months)),
        number(in_month.len() as f64),
        number(f64::from(hh.children)),
        flag(has(CreditorType::Rent)),
        flag(has(CreditorType::Energy)),
        flag(has(CreditorType::Water)),
        flag(has(CreditorType::HealthInsurance)),
        flag(flags.multiple),
        flag(flags.repeated),
        flag(flags.threat),
        flag(hh.earlier_debt_help),
        flag(hh.known_to_district_team),
        flag(hh.wmo_youth_support),
        FeatureValue::Category(hh.household_type.as_code().to_string()),
        FeatureValue::Category(hh.income_source.as_code().to_string()),
        FeatureValue::Category(hh.district.clone()),
    ];
    FEATURES
        .iter()
        .zip(values)
        .map(|((name, _), value)| (name.to_string(), value))
        .collect()
}
