//! Every feature oordeel can compute for a case from its household and its signals: the
//! household's facts (from the municipality's extract), and aggregates of the signals of the
//! case's month. A caseload's features are a choice from this catalogue, stored in the
//! database (settings key `features`): the demo makes one choice (`ingest::demo::FEATURES`),
//! a municipality's household profile another. Training, explanations and the model card
//! work on whatever was chosen; nothing downstream knows the list.
//!
//! Amounts and counts describe the signals of the case month only; earlier signals count
//! through `repeated_signal`. No protected attribute (gender, age band, migration
//! background) and no personal data can be a feature: none is in the catalogue.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use serde::Deserialize;

use super::household::{CreditorType, Household, Signal, SignalFlags};
use super::view::FeatureValue;

/// What a case's features are computed from.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub household: &'a Household,
    /// All of the household's signals; those of the month from `month_start` are picked here.
    pub signals: &'a [Signal],
    pub month_start: NaiveDate,
    pub flags: SignalFlags,
}

/// Every feature of the catalogue: (name, categorical?).
pub const CATALOGUE: &[(&str, bool)] = &[
    ("total_arrears_eur", false),
    ("max_months_in_arrears", false),
    ("rent_months_in_arrears", false),
    ("energy_months_in_arrears", false),
    ("water_months_in_arrears", false),
    ("health_insurance_months_in_arrears", false),
    ("signal_count", false),
    ("rent_signal", false),
    ("energy_signal", false),
    ("water_signal", false),
    ("health_insurance_signal", false),
    ("multiple_signals", false),
    ("repeated_signal", false),
    ("threat", false),
    ("children", false),
    ("earlier_debt_help", false),
    ("known_to_district_team", false),
    ("wmo_youth_support", false),
    ("household_type", true),
    ("income_source", true),
    ("district", true),
];

/// Whether `name` is a catalogue feature, and if so whether it is categorical.
pub fn categorical(name: &str) -> Option<bool> {
    CATALOGUE
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, categorical)| *categorical)
}

/// The value of catalogue feature `name` for a case; `None` for a name not in the catalogue.
pub fn value(name: &str, inputs: &Inputs<'_>) -> Option<FeatureValue> {
    let next_month = inputs.month_start + Months::new(1);
    let in_month = || {
        inputs
            .signals
            .iter()
            .filter(move |s| s.received_on >= inputs.month_start && s.received_on < next_month)
    };
    let has = |kind: CreditorType| in_month().any(|s| s.creditor_type == kind);
    let months_of = |kind: CreditorType| {
        in_month()
            .filter(|s| s.creditor_type == kind)
            .map(|s| s.months_in_arrears)
            .max()
            .unwrap_or(0)
    };
    let number = FeatureValue::Number;
    let flag = |b: bool| FeatureValue::Number(if b { 1.0 } else { 0.0 });
    let h = inputs.household;
    Some(match name {
        "total_arrears_eur" => {
            number(in_month().map(|s| s.amount_cents).sum::<i64>() as f64 / 100.0)
        }
        "max_months_in_arrears" => number(f64::from(
            in_month().map(|s| s.months_in_arrears).max().unwrap_or(0),
        )),
        "rent_months_in_arrears" => number(f64::from(months_of(CreditorType::Rent))),
        "energy_months_in_arrears" => number(f64::from(months_of(CreditorType::Energy))),
        "water_months_in_arrears" => number(f64::from(months_of(CreditorType::Water))),
        "health_insurance_months_in_arrears" => {
            number(f64::from(months_of(CreditorType::HealthInsurance)))
        }
        "signal_count" => number(in_month().count() as f64),
        "rent_signal" => flag(has(CreditorType::Rent)),
        "energy_signal" => flag(has(CreditorType::Energy)),
        "water_signal" => flag(has(CreditorType::Water)),
        "health_insurance_signal" => flag(has(CreditorType::HealthInsurance)),
        "multiple_signals" => flag(inputs.flags.multiple),
        "repeated_signal" => flag(inputs.flags.repeated),
        "threat" => flag(inputs.flags.threat),
        "children" => number(f64::from(h.children)),
        "earlier_debt_help" => flag(h.earlier_debt_help),
        "known_to_district_team" => flag(h.known_to_district_team),
        "wmo_youth_support" => flag(h.wmo_youth_support),
        "household_type" => FeatureValue::Category(h.household_type.as_code().to_owned()),
        "income_source" => FeatureValue::Category(h.income_source.as_code().to_owned()),
        "district" => FeatureValue::Category(h.district.clone()),
        _ => return None,
    })
}

/// How a case's features are computed from its household, all its signals, its month and
/// flags, for a caseload whose `declared` features are all in the catalogue (checked when
/// they were declared: `categorical` knows each).
pub fn computer<'a>(
    declared: &'a [(String, bool)],
) -> impl Fn(&Household, &[Signal], NaiveDate, SignalFlags) -> Vec<FeatureValue> + 'a {
    move |household, signals, month_start, flags| {
        let inputs = Inputs {
            household,
            signals,
            month_start,
            flags,
        };
        values(declared, &inputs).expect("every declared feature is in the catalogue")
    }
}

/// The values of `features` (a caseload's choice, in its order) for one case; the first name
/// that is not in the catalogue if there is one.
pub fn values(
    features: &[(String, bool)],
    inputs: &Inputs<'_>,
) -> Result<Vec<FeatureValue>, String> {
    features
        .iter()
        .map(|(name, _)| value(name, inputs).ok_or_else(|| name.clone()))
        .collect()
}

/// One feature's documentation (`assets/features.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureDocumentation {
    pub source: String,
    pub legal_basis: String,
    pub description: String,
}

/// The documentation of every catalogue feature, by name: what a caseload that chooses the
/// feature records in `feature_metadata` (its approver being whoever declared it).
pub fn documentation() -> BTreeMap<String, FeatureDocumentation> {
    toml::from_str(include_str!("../../assets/features.toml"))
        .expect("assets/features.toml is valid (tested)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::feature_rules::FeatureRules;

    #[test]
    fn every_feature_is_documented_and_none_declares_a_forbidden_meaning() {
        let docs = documentation();
        let mut names: Vec<&str> = CATALOGUE.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        assert_eq!(docs.keys().map(String::as_str).collect::<Vec<_>>(), names);
        let rules = FeatureRules::shipped();
        for (name, d) in &docs {
            for text in [name, &d.source, &d.description, &d.legal_basis] {
                assert_eq!(rules.find_term(text), None, "{name}: {text}");
            }
        }
    }

    #[test]
    fn no_protected_ground_or_personal_datum_is_in_the_catalogue() {
        let rules = FeatureRules::shipped();
        for (name, _) in CATALOGUE {
            assert_eq!(rules.find_term(name), None, "{name}");
            for word in [
                "gender",
                "age",
                "migration",
                "bsn",
                "name",
                "birth",
                "address",
            ] {
                assert!(!name.split('_').any(|w| w == word), "{name}");
            }
        }
    }
}
