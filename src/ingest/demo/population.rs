//! Who lives in a signalled household: composition, income, history, protected attributes.

use chrono::{Days, Months, NaiveDate};
use rand::Rng;

use super::draw::{chance, weighted};
use super::places::District;
use crate::domain::household::{HouseholdType, IncomeSource};

/// Age bands of the head of household, with the ages they span (65+ is capped at 95).
pub(super) const AGE_BANDS: [(&str, u32, u32); 5] = [
    ("18-29", 18, 29),
    ("30-39", 30, 39),
    ("40-49", 40, 49),
    ("50-64", 50, 64),
    ("65+", 65, 95),
];

/// Everything drawn about the people in a household (not their signals).
pub(super) struct Profile {
    pub migration_background: &'static str,
    pub age_band: usize,
    pub gender: &'static str,
    pub household_type: HouseholdType,
    pub children: u8,
    pub income_source: IncomeSource,
    pub earlier_debt_help: bool,
    pub known_to_district_team: bool,
    pub wmo_youth_support: bool,
}

impl Profile {
    /// Adults in the household (for health-insurance premiums).
    pub fn adults(&self) -> i64 {
        match self.household_type {
            HouseholdType::CoupleWithChildren | HouseholdType::CoupleWithoutChildren => 2,
            HouseholdType::Single | HouseholdType::SingleParent => 1,
        }
    }
}

pub(super) fn profile(rng: &mut impl Rng, district: &District) -> Profile {
    let [nl, eu, outside] = district.migration;
    let migration_background = *weighted(
        rng,
        &[
            ("netherlands", nl),
            ("europe", eu),
            ("outside_europe", outside),
        ],
    );
    // Signalled households skew to middle age; labour migrants from Europe are younger.
    let age_weights = match migration_background {
        "netherlands" => [18, 22, 22, 26, 12],
        "europe" => [25, 32, 22, 15, 6],
        _ => [18, 26, 26, 21, 9],
    };
    let age_band = *weighted(rng, &indexed(age_weights));

    use HouseholdType::*;
    let type_weights: [u32; 4] = match age_band {
        0 => [55, 22, 10, 13],
        1 => [36, 28, 24, 12],
        2 => [34, 26, 28, 12],
        3 => [52, 12, 14, 22],
        _ => [62, 0, 0, 38],
    };
    let household_type = *weighted(
        rng,
        &[
            (Single, type_weights[0]),
            (SingleParent, type_weights[1]),
            (CoupleWithChildren, type_weights[2]),
            (CoupleWithoutChildren, type_weights[3]),
        ],
    );
    // Per mille; "other" is rare. Most single parents are mothers (CBS: about 8 in 10).
    let gender = if household_type == SingleParent {
        *weighted(rng, &[("female", 840), ("male", 155), ("other", 5)])
    } else {
        *weighted(rng, &[("female", 475), ("male", 520), ("other", 5)])
    };
    let children = match household_type {
        SingleParent | CoupleWithChildren if age_band == 0 => {
            *weighted(rng, &[(1u8, 60), (2, 30), (3, 10)])
        }
        SingleParent | CoupleWithChildren => {
            *weighted(rng, &[(1u8, 40), (2, 34), (3, 17), (4, 7), (5, 2)])
        }
        Single | CoupleWithoutChildren => 0,
    };

    use IncomeSource::*;
    let income_source = if age_band == 4 {
        *weighted(
            rng,
            &[(Pension, 92), (Benefit, 4), (Work, 2), (SelfEmployed, 2)],
        )
    } else {
        let mut work = 40;
        let mut benefit = 34;
        let mut none = 7;
        if household_type == SingleParent {
            benefit += 12;
        }
        match migration_background {
            "outside_europe" => {
                benefit += 8;
                work -= 4;
            }
            "europe" => work += 10,
            _ => {}
        }
        if age_band == 0 {
            none += 6;
        }
        *weighted(
            rng,
            &[
                (Work, work),
                (Benefit, benefit),
                (SelfEmployed, 9),
                (NoIncome, none),
            ],
        )
    };

    let on_benefit = income_source == Benefit;
    let earlier_debt_help = chance(rng, 0.12 + 0.08 * f(on_benefit) + 0.04 * f(age_band >= 2));
    let known_to_district_team = chance(
        rng,
        0.18 + 0.10 * f(household_type == SingleParent)
            + 0.08 * f(on_benefit)
            + 0.06 * f(earlier_debt_help),
    );
    let wmo_youth_support = chance(
        rng,
        0.08 + 0.12 * f(children > 0) + 0.10 * f(age_band == 4) + 0.05 * f(known_to_district_team),
    );
    Profile {
        migration_background,
        age_band,
        gender,
        household_type,
        children,
        income_source,
        earlier_debt_help,
        known_to_district_team,
        wmo_youth_support,
    }
}

/// A birth date that makes the head `age` years old on `reference` for an age drawn in the
/// band (older ages in 65+ are rarer).
pub(super) fn birth_date(rng: &mut impl Rng, age_band: usize, reference: NaiveDate) -> NaiveDate {
    let (_, low, high) = AGE_BANDS[age_band];
    let age = if age_band == 4 {
        // The smaller of two uniform draws: 65 most likely, 95 rare.
        let a = rng.gen_range(low..=high);
        let b = rng.gen_range(low..=high);
        a.min(b)
    } else {
        rng.gen_range(low..=high)
    };
    // Born in (reference - (age+1) years, reference - age years].
    let latest = reference - Months::new(12 * age);
    let earliest_excluded = reference - Months::new(12 * (age + 1));
    let span = (latest - earliest_excluded).num_days() as u64;
    latest - Days::new(rng.gen_range(0..span))
}

/// Monthly amounts of a household in cents: rent, energy, water.
pub(super) struct Costs {
    pub rent: i64,
    pub energy: i64,
    pub water: i64,
}

pub(super) fn costs(rng: &mut impl Rng, profile: &Profile) -> Costs {
    let larger = i64::from(profile.children) * 2 + profile.adults();
    // Rent €600-1,050 in €5 steps, plus up to €40 for larger households.
    let rent = euros(600) + euros(5) * rng.gen_range(0..=90i64) + euros(10) * larger.min(4);
    let energy = euros(90) + euros(5) * rng.gen_range(0..=30i64) + euros(8) * larger.min(5);
    let water = euros(18) + 50 * rng.gen_range(0..=30i64) + euros(2) * larger.min(5);
    Costs {
        rent,
        energy,
        water,
    }
}

fn indexed<const N: usize>(weights: [u32; N]) -> [(usize, u32); N] {
    let mut out = [(0, 0); N];
    for (i, w) in weights.into_iter().enumerate() {
        out[i] = (i, w);
    }
    out
}

/// Whole euros in cents.
pub(super) const fn euros(amount: i64) -> i64 {
    amount * 100
}

/// 1.0 for true, 0.0 for false.
pub(super) fn f(flag: bool) -> f64 {
    if flag { 1.0 } else { 0.0 }
}
