//! `oordeel demo --months M`: the months after the first. Each brings households signalled
//! for the first time that month (a fresh stretch of the generator's indices, so none is
//! made twice), is ranked by the version in use, reviewed by the simulated reviewers and
//! followed by the outcomes their outreach finds; the loop's labels, the random arm's among
//! them, grow month by month.

use chrono::NaiveDate;
use color_eyre::eyre::Result;

use super::Context;
use super::demo_review::Reviewed;
use crate::i18n::tf;
use crate::ingest::demo::{self, DemoConfig};
use crate::store::{Actor, Store};

/// One later month to simulate.
pub(super) struct Month<'a> {
    /// The first month's configuration (seed, households per month).
    pub base: &'a DemoConfig,
    pub defs: &'a [(String, bool)],
    /// 2 for the second month, and so on.
    pub number: u32,
    /// Its reference date: the last day of signals that month.
    pub reference: NaiveDate,
    /// Cases the simulated reviewers decide that month.
    pub reviewed: usize,
}

/// Adds the month's new cases, ranks the queue again, lets the reviewers decide and the
/// outcomes come back; says what happened on standard error.
pub(super) fn later_month(
    ctx: &Context,
    store: &mut Store,
    admin: &Actor,
    month: Month<'_>,
) -> Result<Reviewed> {
    let config = DemoConfig {
        reference_date: month.reference,
        ..month.base.clone()
    };
    let from = (month.number as usize - 1) * month.base.households;
    let mut row = Vec::with_capacity(month.defs.len());
    let added = store.add_to_caseload(admin, |writer| {
        for h in demo::new_in_month(&config, from, month.base.households) {
            super::demo::add_household(writer, &h, month.defs, &mut row)?;
        }
        Ok(())
    })?;
    crate::pipeline::score_and_store(store, admin)?;
    let seed = month.base.seed.wrapping_add(u64::from(month.number));
    let reviewed = super::demo_review::simulate(ctx, store, admin, month.reviewed, seed)?;
    say_month(month.number, month.reference, added, &reviewed);
    Ok(reviewed)
}

/// One line per month on standard error.
pub(super) fn say_month(number: u32, reference: NaiveDate, added: usize, reviewed: &Reviewed) {
    super::warn(&tf(
        "cli.demo.month",
        &[
            ("month", &number),
            ("date", &reference.to_string()),
            ("added", &added),
            ("accepted", &reviewed.accepted),
            ("rejected", &reviewed.rejected),
            ("labelled", &reviewed.outcomes.labelled),
        ],
    ));
}
