//! The hidden truth of a case and how the historical label came about.
//!
//! `latent_need` is on the log-odds scale: a weighted sum of what the case shows, plus the
//! household's unobserved distress, plus noise close to logistic (Irwin–Hall, see
//! [`super::draw::normalish`]). A household truly needed help when it is positive.
//!
//! The label records "problematic debt confirmed and help accepted within 3 months". It could
//! only be recorded when past outreach reached the household, and that depended on the
//! district (`District::reach_percent`): the planted bias.

use rand::Rng;

use super::draw::{chance, normalish};
use super::places::District;
use super::population::{Profile, f};
use crate::domain::household::{IncomeSource, Signal, SignalFlags};

/// Weights of the latent need (log-odds). Kept here, in one place, and in assets/demo/README.md.
pub(super) mod weight {
    pub const INTERCEPT: f64 = -3.1;
    /// Per square root of the case month's arrears in thousands of euros.
    pub const SQRT_ARREARS_K: f64 = 1.0;
    pub const PER_MONTH_IN_ARREARS: f64 = 0.18;
    pub const THREAT: f64 = 0.9;
    pub const MULTIPLE: f64 = 0.5;
    pub const REPEATED: f64 = 0.7;
    pub const BENEFIT: f64 = 0.5;
    pub const NO_INCOME: f64 = 0.8;
    pub const SELF_EMPLOYED: f64 = 0.6;
    pub const PENSION: f64 = -0.4;
    /// Per child, up to three.
    pub const PER_CHILD: f64 = 0.15;
    pub const EARLIER_DEBT_HELP: f64 = 0.8;
    pub const KNOWN_TO_DISTRICT_TEAM: f64 = -0.6;
    /// Per unit of hidden distress centred on 0 (distress runs over [0, 1)).
    pub const DISTRESS: f64 = 1.2;
    /// Standard deviation of the noise.
    pub const NOISE_SD: f64 = 1.4;
}

/// The latent need of a household with these case-month signals and flags.
pub(super) fn latent_need(
    rng: &mut impl Rng,
    profile: &Profile,
    case_signals: &[Signal],
    flags: SignalFlags,
    distress: f64,
) -> f64 {
    use weight::*;
    let cents: i64 = case_signals.iter().map(|s| s.amount_cents).sum();
    let arrears_k = cents as f64 / 100_000.0;
    let max_months = case_signals
        .iter()
        .map(|s| s.months_in_arrears)
        .max()
        .unwrap_or(0);
    let income = match profile.income_source {
        IncomeSource::Work => 0.0,
        IncomeSource::Benefit => BENEFIT,
        IncomeSource::NoIncome => NO_INCOME,
        IncomeSource::SelfEmployed => SELF_EMPLOYED,
        IncomeSource::Pension => PENSION,
    };
    INTERCEPT
        + SQRT_ARREARS_K * arrears_k.sqrt()
        + PER_MONTH_IN_ARREARS * f64::from(max_months)
        + THREAT * f(flags.threat)
        + MULTIPLE * f(flags.multiple)
        + REPEATED * f(flags.repeated)
        + income
        + PER_CHILD * f64::from(profile.children.min(3))
        + EARLIER_DEBT_HELP * f(profile.earlier_debt_help)
        + KNOWN_TO_DISTRICT_TEAM * f(profile.known_to_district_team)
        + DISTRESS * (distress - 0.5)
        + NOISE_SD * normalish(rng)
}

/// Whether past outreach reached the household, so that its outcome could be recorded.
pub(super) fn reached(rng: &mut impl Rng, district: &District) -> bool {
    chance(rng, f64::from(district.reach_percent) / 100.0)
}
