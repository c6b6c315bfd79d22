//! A household, its arrears signals and the attributes kept apart from the model.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Generates `as_code`/`from_code` for enums stored as short, stable text codes.
/// The codes are what the database and the JSON exports hold; labels come from i18n.
macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}
pub(crate) use coded_enum;

coded_enum!(
    /// Composition of the household (CBS categories).
    HouseholdType {
        Single => "single",
        SingleParent => "single_parent",
        CoupleWithChildren => "couple_with_children",
        CoupleWithoutChildren => "couple_without_children",
    }
);

impl HouseholdType {
    /// Whether `children` fits this composition: a single person or a couple without
    /// children has none, a single parent or a couple with children at least one.
    pub fn fits_children(self, children: u8) -> bool {
        match self {
            HouseholdType::Single | HouseholdType::CoupleWithoutChildren => children == 0,
            HouseholdType::SingleParent | HouseholdType::CoupleWithChildren => children > 0,
        }
    }
}

coded_enum!(
    /// Main source of income of the household.
    IncomeSource {
        Work => "work",
        Benefit => "benefit",
        Pension => "pension",
        SelfEmployed => "self_employed",
        NoIncome => "none",
    }
);

coded_enum!(
    /// Who signalled the arrears (the four creditor kinds of the Wgs).
    CreditorType {
        Rent => "rent",
        Energy => "energy",
        Water => "water",
        HealthInsurance => "health_insurance",
    }
);

/// The pseudonymous facts about a household that reviewers see and the model may use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Household {
    /// Stable pseudonym such as `H-04821`; the only identity shown before a reveal.
    pub pseudonym: String,
    pub household_type: HouseholdType,
    pub children: u8,
    pub income_source: IncomeSource,
    /// District (wijk); the district team is the team that handles the case.
    pub district: String,
    pub earlier_debt_help: bool,
    pub known_to_district_team: bool,
    pub wmo_youth_support: bool,
}

/// Identifying data, stored apart and shown only after a logged reveal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalData {
    pub name: String,
    pub bsn: String,
    pub address: String,
    pub birth_date: NaiveDate,
}

/// Protected attributes: used by the fairness audit only, never offered to the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtectedAttributes {
    /// Gender of the head of household: `female`, `male`, `other`.
    pub gender: String,
    /// Age band of the head of household, e.g. `30-39`.
    pub age_band: String,
    /// CBS grouping: `netherlands`, `europe`, `outside_europe`.
    pub migration_background: String,
}

/// The codes of the protected attributes the fairness audit groups by.
pub const GENDERS: &[&str] = &["female", "male", "other", "unknown"];
pub const AGE_BANDS: &[&str] = &["18-29", "30-39", "40-49", "50-64", "65+", "unknown"];
pub const MIGRATION_BACKGROUNDS: &[&str] = &["netherlands", "europe", "outside_europe", "unknown"];

/// The age band of someone born on `birth`, on `on` (the bands of [`AGE_BANDS`]; under 18
/// counts as the first: a head of household is rarely younger).
pub fn age_band(birth: NaiveDate, on: NaiveDate) -> &'static str {
    let age = on.years_since(birth).unwrap_or(0);
    match age {
        0..=29 => "18-29",
        30..=39 => "30-39",
        40..=49 => "40-49",
        50..=64 => "50-64",
        _ => "65+",
    }
}

/// One arrears signal from a creditor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    pub creditor_type: CreditorType,
    pub creditor: String,
    /// Arrears in euro cents, so sums are exact.
    pub amount_cents: i64,
    pub months_in_arrears: u32,
    pub received_on: NaiveDate,
    /// For energy and water: the announced end-of-supply date, when there is one.
    pub end_of_supply_on: Option<NaiveDate>,
    /// The creditor announced eviction, cut-off or cancellation of insurance.
    pub threat: bool,
}

/// Flags derived from a household's signals for one reporting month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SignalFlags {
    /// *meervoudig*: several signals at the address in the month.
    pub multiple: bool,
    /// *opeenvolgend*: another signal at the address in the six months before.
    pub repeated: bool,
    /// Eviction, cut-off or cancellation threatens: the short deadline applies.
    pub threat: bool,
}

/// Derives the flags for the month starting at `month_start` (first day of the month).
pub fn derive_flags(signals: &[Signal], month_start: NaiveDate) -> SignalFlags {
    use chrono::Months;
    let month_end = month_start + Months::new(1);
    let six_before = month_start - Months::new(6);
    let in_month: Vec<&Signal> = signals
        .iter()
        .filter(|s| s.received_on >= month_start && s.received_on < month_end)
        .collect();
    SignalFlags {
        multiple: in_month.len() > 1,
        repeated: signals
            .iter()
            .any(|s| s.received_on >= six_before && s.received_on < month_start),
        threat: in_month.iter().any(|s| s.threat),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal(on: &str, threat: bool) -> Signal {
        Signal {
            creditor_type: CreditorType::Rent,
            creditor: "Woonstad".into(),
            amount_cents: 10_000,
            months_in_arrears: 2,
            received_on: on.parse().unwrap(),
            end_of_supply_on: None,
            threat,
        }
    }

    #[test]
    fn codes_round_trip() {
        for t in HouseholdType::ALL {
            assert_eq!(HouseholdType::from_code(t.as_code()), Some(*t));
        }
        assert_eq!(CreditorType::from_code("gas"), None);
    }

    #[test]
    fn flags_follow_the_month_and_the_six_months_before() {
        let month: NaiveDate = "2026-11-01".parse().unwrap();
        let one = [signal("2026-11-03", false)];
        assert_eq!(derive_flags(&one, month), SignalFlags::default());
        let two = [signal("2026-11-03", false), signal("2026-11-20", true)];
        let f = derive_flags(&two, month);
        assert!(f.multiple && f.threat && !f.repeated);
        let earlier = [signal("2026-11-03", false), signal("2026-05-02", false)];
        assert!(derive_flags(&earlier, month).repeated);
        let too_early = [signal("2026-11-03", false), signal("2026-04-30", false)];
        assert!(!derive_flags(&too_early, month).repeated);
    }
}
