//! The demo caseload: a synthetic municipality (Voorbeeldstad) with vroegsignalering cases.
//!
//! Generation is deterministic by ([`DemoConfig::seed`], [`DemoConfig::reference_date`]):
//! every household has its own ChaCha8 stream (the key comes from the seed, the stream number
//! is the household's index), so households can be generated one at a time, in any order or
//! in parallel, and always come out the same, byte for byte, on every platform. Only integer
//! arithmetic and IEEE-exact float operations (+, −, ×, ÷, √) are used (see `draw.rs`).
//!
//! # The municipality
//!
//! Five districts ([`DISTRICTS`]), each with its own team. About 30% of households are open
//! cases of the reference month (signals up to the reference date, awaiting review), 70% are
//! closed cases from the twelve months before, with a historical outcome. Each case has one
//! to three signals from different creditors in its month, sometimes earlier signals in the
//! six months before. `assets/demo/README.md` gives all the numbers.
//!
//! # Ground truth and the planted bias
//!
//! Every household has a hidden [`DemoCase::latent_need`] (log-odds; see `truth.rs`): arrears,
//! months in arrears, threats, multiple and repeated signals, income, children and earlier
//! debt help raise it, being known to the district team lowers it, and unobserved distress
//! and noise add to it. The household truly needed help when it is positive
//! ([`DemoCase::truly_needed`]).
//!
//! The historical label ([`DemoCase::outcome`], "problematic debt confirmed and help accepted
//! within 3 months") is `truly needed AND reached`: an outcome could only be recorded when
//! past outreach reached the household. **Outreach reached 90% of households in Noord and
//! West**, the two districts of an intensive-outreach pilot, **and 55% in Oost and Centrum and
//! 50% in Zuid** (`District::reach_percent` in `places.rs`). Noord and West have the most
//! residents with a migration background from outside Europe (60% and 50%, against 12-24%
//! elsewhere), so that group's label rate is inflated relative to its true need: a
//! model trained on the labels learns "Noord/West" (and, through district as a proxy,
//! migration background) as a sign of need, and over-selects those households relative to
//! their true need while missing need in Oost, Zuid and Centrum. The fairness audit should
//! find exactly that.

mod draw;
mod feature_docs;
mod features;
mod names;
mod places;
mod population;
mod signals;
mod truth;

#[cfg(test)]
mod tests;

use chrono::{Datelike, Months, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::bsn;
use crate::domain::calendar;
use crate::domain::household::{
    CreditorType, Household, PersonalData, ProtectedAttributes, Signal, SignalFlags, derive_flags,
};

pub use feature_docs::{FeatureDocumentation, feature_documentation};
pub use features::{FEATURES, feature_defs, features, features_of};
pub use places::MUNICIPALITY;

/// The districts (wijken) of the demo municipality; each district is a team.
pub const DISTRICTS: &[&str] = &["Noord", "Oost", "Zuid", "West", "Centrum"];

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoConfig {
    pub seed: u64,
    /// Number of households, [`DemoConfig::DEFAULT_HOUSEHOLDS`] by default, at most
    /// [`DemoConfig::MAX_HOUSEHOLDS`].
    pub households: usize,
    /// "Today": open cases belong to this date's month and have signals up to this date.
    pub reference_date: NaiveDate,
}

impl DemoConfig {
    pub const DEFAULT_SEED: u64 = 42;
    pub const DEFAULT_HOUSEHOLDS: usize = 5_000;
    pub const MAX_HOUSEHOLDS: usize = 1_000_000;

    /// The default seed and size for the given "today".
    pub fn new(reference_date: NaiveDate) -> Self {
        DemoConfig {
            seed: Self::DEFAULT_SEED,
            households: Self::DEFAULT_HOUSEHOLDS,
            reference_date,
        }
    }

    /// Refuses sizes the generator does not support (0 households is allowed).
    pub fn validate(&self) -> Result<(), String> {
        if self.households > Self::MAX_HOUSEHOLDS {
            return Err(format!(
                "at most {} households can be generated, not {}",
                Self::MAX_HOUSEHOLDS,
                self.households
            ));
        }
        Ok(())
    }
}

/// The case a household's signals opened, and what is known (and hidden) about it.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoCase {
    /// Date of the earliest signal of the case's month.
    pub opened_on: NaiveDate,
    /// [`calendar::first_contact_deadline`]`(opened_on, flags.threat)`.
    pub deadline_on: NaiveDate,
    /// [`derive_flags`] for the case's month.
    pub flags: SignalFlags,
    /// In the reference month and awaiting review (no label); false: historical and closed.
    pub open: bool,
    /// For closed cases: "problematic debt confirmed and help accepted within 3 months" as
    /// recorded (truly needed AND reached by past outreach); `None` for open cases.
    pub outcome: Option<bool>,
    /// The hidden truth (log-odds scale), never a model feature; kept for evaluation.
    pub latent_need: f64,
}

impl DemoCase {
    /// First day of the case's month.
    pub fn month_start(&self) -> NaiveDate {
        self.opened_on.with_day(1).expect("day 1 exists")
    }

    /// Whether the household truly needed help (whatever the record says).
    pub fn truly_needed(&self) -> bool {
        self.latent_need > 0.0
    }
}

/// One synthetic household with everything the demo knows about it.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoHousehold {
    /// 0-based position in the generation order; the pseudonym is `index + 1`.
    pub index: usize,
    pub household: Household,
    pub personal: PersonalData,
    pub protected: ProtectedAttributes,
    /// All signals, oldest first: the case month's and any from the six months before.
    pub signals: Vec<Signal>,
    pub case: DemoCase,
}

/// Share of households whose case is open (in the reference month).
const OPEN_SHARE: f64 = 0.30;
/// Months of history before the reference month that closed cases come from.
const HISTORY_MONTHS: usize = 12;
/// Months before a case month in which an earlier signal makes it *opeenvolgend*.
const EARLIER_MONTHS: usize = 6;

/// Generates households lazily; `generate` streams from it, and it can also be shared by
/// threads that each generate their own range of indexes.
pub struct Generator {
    config: DemoConfig,
    key: <ChaCha8Rng as SeedableRng>::Seed,
    /// Candidate signal dates per month, index `k` = `k` months before the reference month:
    /// working days (for the reference month, up to the reference date), or every day when a
    /// month has none so far.
    days: Vec<Vec<NaiveDate>>,
    month_starts: Vec<NaiveDate>,
    bsn_step: u64,
    bsn_offset: u64,
    width: usize,
}

impl Generator {
    /// # Panics
    /// When the configuration does not pass [`DemoConfig::validate`].
    pub fn new(config: &DemoConfig) -> Self {
        if let Err(message) = config.validate() {
            panic!("{message}");
        }
        let reference = config.reference_date;
        let this_month = reference.with_day(1).expect("day 1 exists");
        let months = HISTORY_MONTHS + EARLIER_MONTHS + 1;
        let month_starts: Vec<NaiveDate> = (0..months)
            .map(|k| this_month - Months::new(k as u32))
            .collect();
        let days = month_starts
            .iter()
            .map(|&start| {
                let end = if start == this_month {
                    reference
                } else {
                    (start + Months::new(1)).pred_opt().expect("in range")
                };
                let all: Vec<NaiveDate> = start.iter_days().take_while(|d| *d <= end).collect();
                let working: Vec<NaiveDate> = all
                    .iter()
                    .copied()
                    .filter(|d| calendar::is_working_day(*d))
                    .collect();
                if working.is_empty() { all } else { working }
            })
            .collect();
        // The BSN of household i comes from block offset + i·step (mod 9,000,000): distinct
        // for distinct i because the step is coprime with 9,000,000 = 2⁶·3²·5⁶.
        let mut mix = ChaCha8Rng::seed_from_u64(config.seed ^ 0x6273_6e5f_7065_726d);
        let bsn_offset = mix.gen_range(0..BSN_BLOCKS);
        let mut bsn_step = mix.gen_range(1_000_000..BSN_BLOCKS);
        while bsn_step % 2 == 0 || bsn_step % 3 == 0 || bsn_step % 5 == 0 {
            bsn_step += 1;
        }
        let digits = config.households.to_string().len();
        Generator {
            key: ChaCha8Rng::seed_from_u64(config.seed).get_seed(),
            config: config.clone(),
            days,
            month_starts,
            bsn_step,
            bsn_offset,
            width: digits.max(5),
        }
    }

    /// Number of households this generator was configured for.
    pub fn len(&self) -> usize {
        self.config.households
    }

    pub fn is_empty(&self) -> bool {
        self.config.households == 0
    }

    /// The pseudonym of household `index`: `H-00001` for index 0, wider from 100,000 up.
    pub fn pseudonym(&self, index: usize) -> String {
        format!("H-{:0width$}", index + 1, width = self.width)
    }

    /// Household `index` (any index below 9,000,000 works; BSNs stay unique).
    pub fn household(&self, index: usize) -> DemoHousehold {
        let mut rng = ChaCha8Rng::from_seed(self.key);
        rng.set_stream(index as u64);
        let reference = self.config.reference_date;

        let district = places::district(&mut rng);
        let profile = population::profile(&mut rng, district);
        let costs = population::costs(&mut rng, &profile);
        let distress = draw::unit(&mut rng);
        let back = if draw::chance(&mut rng, OPEN_SHARE) {
            0
        } else {
            rng.gen_range(1..=HISTORY_MONTHS as u32) as usize
        };
        let cx = signals::Context {
            profile: &profile,
            costs: &costs,
            district,
            distress,
        };
        let case_signals = signals::case_signals(&mut rng, &cx, &self.days[back]);
        let mut all =
            signals::earlier_signals(&mut rng, &cx, &self.days[back + 1..=back + EARLIER_MONTHS]);
        all.extend(case_signals);
        all.sort_by_key(|s| (s.received_on, kind_order(s.creditor_type)));

        let month_start = self.month_starts[back];
        let flags = derive_flags(&all, month_start);
        // Sorted by date, the case month's signals are the tail.
        let in_month = &all[all.partition_point(|s| s.received_on < month_start)..];
        let opened_on = in_month[0].received_on;
        let latent_need = truth::latent_need(&mut rng, &profile, in_month, flags, distress);
        let reached = truth::reached(&mut rng, district);
        let open = back == 0;

        let name = names::full_name(&mut rng, profile.migration_background, profile.gender);
        let address = places::address(&mut rng, district);
        let birth_date = population::birth_date(&mut rng, profile.age_band, reference);
        let bsn_block = 1_000_000 + (self.bsn_offset + index as u64 * self.bsn_step) % BSN_BLOCKS;
        let bsn = bsn::from_block(bsn_block as u32, rng.r#gen::<u32>());

        DemoHousehold {
            index,
            household: Household {
                pseudonym: self.pseudonym(index),
                household_type: profile.household_type,
                children: profile.children,
                income_source: profile.income_source,
                district: district.name.to_string(),
                earlier_debt_help: profile.earlier_debt_help,
                known_to_district_team: profile.known_to_district_team,
                wmo_youth_support: profile.wmo_youth_support,
            },
            personal: PersonalData {
                name,
                bsn,
                address,
                birth_date,
            },
            protected: ProtectedAttributes {
                gender: profile.gender.to_string(),
                age_band: population::AGE_BANDS[profile.age_band].0.to_string(),
                migration_background: profile.migration_background.to_string(),
            },
            signals: all,
            case: DemoCase {
                opened_on,
                deadline_on: calendar::first_contact_deadline(opened_on, flags.threat),
                flags,
                open,
                outcome: (!open).then_some(latent_need > 0.0 && reached),
                latent_need,
            },
        }
    }
}

/// Seven-digit BSN blocks available (1,000,000..=9,999,999).
const BSN_BLOCKS: u64 = 9_000_000;

fn kind_order(kind: CreditorType) -> usize {
    CreditorType::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("listed")
}

/// The households signalled for the first time in the reference month of `config`, from
/// index `from` on (`count` candidates, of which about 30% have a case that month): the
/// demo's later months, each a fresh stretch of indices so no household is made twice.
pub fn new_in_month(
    config: &DemoConfig,
    from: usize,
    count: usize,
) -> impl Iterator<Item = DemoHousehold> + use<> {
    let generator = Generator::new(config);
    (from..from + count)
        .map(move |index| generator.household(index))
        .filter(|h| h.case.open)
}

/// All households of `config`, in index order, generated one at a time.
///
/// # Panics
/// When the configuration does not pass [`DemoConfig::validate`].
pub fn generate(config: &DemoConfig) -> impl ExactSizeIterator<Item = DemoHousehold> + use<> {
    let generator = Generator::new(config);
    (0..config.households).map(move |index| generator.household(index))
}
