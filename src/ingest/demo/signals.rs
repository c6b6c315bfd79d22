//! Arrears signals: those of the case month, and earlier ones that make a case *opeenvolgend*.

use chrono::{Days, NaiveDate};
use rand::Rng;

use super::draw::{chance, pick, weighted};
use super::places::{District, creditor};
use super::population::{Costs, Profile, euros};
use crate::domain::household::{CreditorType, Signal};

/// How often each creditor kind signals: rent most, then health insurance, energy, water.
const KIND_WEIGHTS: [(CreditorType, u32); 4] = [
    (CreditorType::Rent, 45),
    (CreditorType::HealthInsurance, 27),
    (CreditorType::Energy, 20),
    (CreditorType::Water, 8),
];

/// Health insurers signal from two months of unpaid premium.
const HEALTH_INSURANCE_MIN_MONTHS: u32 = 2;
/// Premium per adult per month, in cents.
const PREMIUM: i64 = euros(150);
/// Collection costs an energy supplier adds from the second month, in cents.
const ENERGY_COLLECTION_COSTS: i64 = euros(40);

/// What the signal draws need to know about the household.
pub(super) struct Context<'a> {
    pub profile: &'a Profile,
    pub costs: &'a Costs,
    pub district: &'a District,
    /// Hidden financial distress in `[0, 1)`: more signals, longer arrears, more threats.
    pub distress: f64,
}

/// One to three signals from different creditors, received on `days` (the case month's
/// candidate dates).
pub(super) fn case_signals(rng: &mut impl Rng, cx: &Context, days: &[NaiveDate]) -> Vec<Signal> {
    let mut count = 1;
    if chance(rng, 0.18 + 0.25 * cx.distress) {
        count += 1;
        if chance(rng, 0.25 + 0.25 * cx.distress) {
            count += 1;
        }
    }
    // Draw without replacement: a drawn kind gets weight 0.
    let mut kinds = KIND_WEIGHTS;
    let mut signals = Vec::with_capacity(count + 2);
    for _ in 0..count {
        let kind = *weighted(rng, &kinds);
        for (k, w) in kinds.iter_mut() {
            if *k == kind {
                *w = 0;
            }
        }
        let received_on = *pick(rng, days);
        let months = months_in_arrears(rng, kind, cx.distress);
        let amount_cents = amount(rng, kind, months, cx);
        let threat = threatens(rng, kind, months, cx.distress);
        let end_of_supply_on = match kind {
            CreditorType::Energy | CreditorType::Water if threat => {
                Some(received_on + Days::new(rng.gen_range(21..=56u64)))
            }
            _ => None,
        };
        signals.push(Signal {
            creditor_type: kind,
            creditor: creditor(rng, kind, cx.district).to_string(),
            amount_cents,
            months_in_arrears: months,
            received_on,
            end_of_supply_on,
            threat,
        });
    }
    signals
}

/// Zero to two signals from the six months before the case month (`months_before[k - 1]`
/// holds the candidate dates of the month `k` months before).
pub(super) fn earlier_signals(
    rng: &mut impl Rng,
    cx: &Context,
    months_before: &[Vec<NaiveDate>],
) -> Vec<Signal> {
    let p = 0.12 + 0.25 * cx.distress + 0.10 * f64::from(u8::from(cx.profile.earlier_debt_help));
    let mut count = 0;
    if chance(rng, p) {
        count += 1;
        if chance(rng, 0.25) {
            count += 1;
        }
    }
    (0..count)
        .map(|_| {
            let kind = *weighted(rng, &KIND_WEIGHTS);
            let back = rng.gen_range(1..=6u32) as usize;
            let received_on = *pick(rng, &months_before[back - 1]);
            let months = match kind {
                CreditorType::HealthInsurance => HEALTH_INSURANCE_MIN_MONTHS,
                _ => rng.gen_range(1..=3u32),
            };
            Signal {
                creditor_type: kind,
                creditor: creditor(rng, kind, cx.district).to_string(),
                amount_cents: amount(rng, kind, months, cx),
                months_in_arrears: months,
                received_on,
                end_of_supply_on: None,
                threat: false,
            }
        })
        .collect()
}

/// 1 to 8 months, mostly 1-3, longer under distress; health insurance from 2 months.
fn months_in_arrears(rng: &mut impl Rng, kind: CreditorType, distress: f64) -> u32 {
    let mut months = *weighted(
        rng,
        &[
            (1u32, 16),
            (2, 30),
            (3, 20),
            (4, 12),
            (5, 9),
            (6, 6),
            (7, 4),
            (8, 3),
        ],
    );
    if chance(rng, 0.5 * distress) {
        months += rng.gen_range(1..=3u32);
    }
    if kind == CreditorType::HealthInsurance {
        months = months.max(HEALTH_INSURANCE_MIN_MONTHS);
    }
    months.min(8)
}

/// Arrears in cents: months of rent less a partial payment; energy terms plus collection
/// costs; water terms; €150 premium per adult per month.
fn amount(rng: &mut impl Rng, kind: CreditorType, months: u32, cx: &Context) -> i64 {
    let months = i64::from(months);
    match kind {
        CreditorType::Rent => {
            let partial = rng.gen_range(0..=cx.costs.rent * 3 / 10);
            months * cx.costs.rent - partial
        }
        CreditorType::Energy => {
            let costs = if months > 1 {
                ENERGY_COLLECTION_COSTS
            } else {
                0
            };
            months * cx.costs.energy + costs
        }
        CreditorType::Water => months * cx.costs.water,
        CreditorType::HealthInsurance => months * PREMIUM * cx.profile.adults(),
    }
}

/// Whether the creditor announced eviction, cut-off or cancellation.
fn threatens(rng: &mut impl Rng, kind: CreditorType, months: u32, distress: f64) -> bool {
    let months = f64::from(months);
    let p = match kind {
        CreditorType::Rent if months >= 3.0 => 0.15 + 0.06 * (months - 3.0) + 0.15 * distress,
        CreditorType::Rent if months >= 2.0 => 0.05,
        CreditorType::Rent => 0.0,
        CreditorType::Energy => 0.06 + 0.02 * months + 0.08 * distress,
        CreditorType::Water => 0.06 + 0.02 * months,
        CreditorType::HealthInsurance if months >= 4.0 => 0.10,
        CreditorType::HealthInsurance => 0.0,
    };
    chance(rng, p)
}
