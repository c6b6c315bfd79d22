//! The demo's outcomes: after the simulated reviewers decide, what their outreach finds
//! comes back from the hidden truth, as it would from the field and the debt-help system.
//!
//! - Every accepted case, and every random-arm case whatever its decision (the arm's
//!   standard outreach), is contacted; [`REACH`] of them are reached, the same share in every
//!   district (the history's outreach reached some districts far less often: that bias
//!   stays in the history, not in the own labels).
//! - A reached household that truly needs help (latent need above 0) accepts it, and its
//!   debts are confirmed; one that does not declines, or accepts and its debts turn out not
//!   to be problematic, half and half.
//! - The debts are known for [`DEBTS_KNOWN`] of the households that accepted help: the rest
//!   wait, so the console's outcome list has something in it.
//!
//! An accepted case's steps are recorded by its reviewer in a simulated session (as in the
//! console); a rejected arm case's come through the debt-help export (`import_outcomes`),
//! as they would in a municipality.

use color_eyre::eyre::Result;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::Context;
use super::demo_review::{Decided, session_of};
use crate::domain::import::outcomes::{OutcomeRow, OutcomeTarget};
use crate::domain::outcome::OutcomeStep;
use crate::store::{Actor, Store};

/// Share of contacted households the outreach reaches.
pub const REACH: f64 = 0.8;
/// Share of households that accepted help whose debts are known by the end of the demo.
pub const DEBTS_KNOWN: f64 = 0.75;

/// What the simulation recorded.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Simulated {
    /// Steps recorded by reviewers, and through the debt-help export.
    pub by_reviewers: usize,
    pub imported: usize,
    /// Cases that ended with a label (true or false).
    pub labelled: usize,
}

pub(super) fn simulate(
    ctx: &Context,
    admin: &Actor,
    policy: &serde_json::Value,
    decided: &[Decided],
    rng: &mut ChaCha8Rng,
) -> Result<Simulated> {
    let today = chrono::Local::now().date_naive();
    let mut done = Simulated::default();
    let mut exported: Vec<OutcomeRow> = Vec::new();
    let mut by_reviewer: Vec<(&'static str, i64, Vec<OutcomeStep>)> = Vec::new();
    for case in decided {
        if !(case.accepted || case.random) {
            continue;
        }
        let steps = steps(case.need, rng);
        if steps.iter().any(|s| {
            matches!(
                s,
                OutcomeStep::Declined
                    | OutcomeStep::DebtsConfirmed
                    | OutcomeStep::NoProblematicDebts
            )
        }) {
            done.labelled += 1;
        }
        if case.accepted {
            by_reviewer.push((case.reviewer, case.case_id, steps));
        } else {
            for step in steps {
                let line = exported.len() as u64 + 2;
                exported.push(OutcomeRow {
                    line,
                    target: OutcomeTarget::Case(case.case_id),
                    on: today,
                    step,
                });
            }
        }
    }
    by_reviewer.sort_by_key(|(r, ..)| *r);
    for chunk in by_reviewer.chunk_by(|a, b| a.0 == b.0) {
        let mut session = session_of(ctx, chunk[0].0, policy)?;
        for (_, case_id, steps) in chunk {
            for &step in steps {
                session.record_outcome(*case_id, step, today)?;
                done.by_reviewers += 1;
            }
        }
        session.end(None)?;
    }
    if !exported.is_empty() {
        let mut store = Store::open(&ctx.db)?;
        match store.import_outcomes(
            admin,
            ("demo: debt-help export", "", "demo"),
            &exported,
            false,
        )? {
            Ok(summary) => done.imported = summary.recorded,
            Err(mut faults) => return Err(faults.remove(0).1.into()),
        }
    }
    Ok(done)
}

/// What the outreach finds for a household of this latent need.
fn steps(need: f64, rng: &mut ChaCha8Rng) -> Vec<OutcomeStep> {
    if !rng.gen_bool(REACH) {
        return vec![OutcomeStep::NotReached];
    }
    let known = rng.gen_bool(DEBTS_KNOWN);
    if need > 0.0 {
        let mut s = vec![OutcomeStep::HelpAccepted];
        if known {
            s.push(OutcomeStep::DebtsConfirmed);
        }
        s
    } else if rng.gen_bool(0.5) {
        vec![OutcomeStep::Declined]
    } else {
        let mut s = vec![OutcomeStep::HelpAccepted];
        if known {
            s.push(OutcomeStep::NoProblematicDebts);
        }
        s
    }
}
