//! What became of a household after the decision: the outcome of the outreach, in two steps,
//! and the label a model learns from it.
//!
//! The label is the one the history carries: "problematic debts confirmed and help
//! accepted". A household that was reached and declined help has it false; one whose debts
//! turned out not to be problematic has it false; one that was never reached has no label at
//! all. That last rule is deliberate: the history's label counts an unreached household as
//! "no", which is how the old selection leaks into a model (the groups outreach reached less
//! often look as if they needed less). An own outcome says "unknown" instead.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::household::coded_enum;

coded_enum!(
    /// One step of what the outreach found.
    OutcomeStep {
        /// Contact was tried and did not reach the household.
        NotReached => "not_reached",
        /// Reached; the household declined help.
        Declined => "declined",
        /// Reached; the household accepted help (debts still being looked at).
        HelpAccepted => "help_accepted",
        /// Debt help found problematic debts.
        DebtsConfirmed => "debts_confirmed",
        /// Debt help found no problematic debts.
        NoProblematicDebts => "no_problematic_debts",
    }
);

/// Which of the two questions a step answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Was the household reached, and did it accept help?
    Contact,
    /// Later: were there problematic debts?
    Debts,
}

impl OutcomeStep {
    pub fn stage(self) -> Stage {
        match self {
            OutcomeStep::NotReached | OutcomeStep::Declined | OutcomeStep::HelpAccepted => {
                Stage::Contact
            }
            OutcomeStep::DebtsConfirmed | OutcomeStep::NoProblematicDebts => Stage::Debts,
        }
    }

    /// The key of the step in the console's outcome picker, in picker order.
    pub fn key(self) -> char {
        match self {
            OutcomeStep::NotReached => '1',
            OutcomeStep::Declined => '2',
            OutcomeStep::HelpAccepted => '3',
            OutcomeStep::DebtsConfirmed => '4',
            OutcomeStep::NoProblematicDebts => '5',
        }
    }

    pub fn from_key(key: char) -> Option<OutcomeStep> {
        OutcomeStep::ALL.iter().copied().find(|s| s.key() == key)
    }
}

impl Stage {
    pub fn as_code(self) -> &'static str {
        match self {
            Stage::Contact => "contact",
            Stage::Debts => "debts",
        }
    }
}

/// A case's outcome as its standing events give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Outcome {
    pub contact: Option<(OutcomeStep, NaiveDate)>,
    pub debts: Option<(OutcomeStep, NaiveDate)>,
}

/// Why a step cannot be recorded on what stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRefusal {
    /// Debts can only be known of a household that accepted help.
    DebtsBeforeHelp,
    /// The contact step cannot change to "not reached" or "declined" once debts are known.
    DebtsKnown,
    /// The stage has a step already (another one, or the same on another day): the record
    /// is corrected by undoing that step first, never by writing over it.
    StageRecorded(OutcomeStep),
    /// The debts' day lies before the day help was accepted.
    BeforeHelp(NaiveDate),
}

impl Outcome {
    /// This outcome with `step` recorded on `on`, or why not: each stage takes one step, in
    /// order (debts after help was accepted, not before its day). A wrong step is undone
    /// (a `retract` in the log), never written over.
    pub fn with(self, step: OutcomeStep, on: NaiveDate) -> Result<Outcome, StepRefusal> {
        let mut next = self;
        match step.stage() {
            Stage::Contact => {
                if self.debts.is_some() {
                    return Err(StepRefusal::DebtsKnown);
                }
                if let Some((standing, _)) = self.contact {
                    return Err(StepRefusal::StageRecorded(standing));
                }
                next.contact = Some((step, on));
            }
            Stage::Debts => {
                let Some((OutcomeStep::HelpAccepted, accepted_on)) = self.contact else {
                    return Err(StepRefusal::DebtsBeforeHelp);
                };
                if let Some((standing, _)) = self.debts {
                    return Err(StepRefusal::StageRecorded(standing));
                }
                if on < accepted_on {
                    return Err(StepRefusal::BeforeHelp(accepted_on));
                }
                next.debts = Some((step, on));
            }
        }
        Ok(next)
    }

    /// The label: problematic debts confirmed and help accepted (true), reached without
    /// that (false), or unknown (never reached, or help accepted and debts not yet known).
    pub fn label(&self) -> Option<bool> {
        match (self.contact.map(|(s, _)| s), self.debts.map(|(s, _)| s)) {
            (Some(OutcomeStep::Declined), _) => Some(false),
            (Some(OutcomeStep::HelpAccepted), Some(OutcomeStep::DebtsConfirmed)) => Some(true),
            (Some(OutcomeStep::HelpAccepted), Some(OutcomeStep::NoProblematicDebts)) => Some(false),
            _ => None,
        }
    }

    /// Nothing more is to come: not reached, declined, or the debts known. The console's
    /// list of outcomes due applies the same rule in SQL (`store::queue`).
    pub fn complete(&self) -> bool {
        matches!(
            self.contact.map(|(s, _)| s),
            Some(OutcomeStep::NotReached | OutcomeStep::Declined)
        ) || self.debts.is_some()
    }
}

/// Where a training label came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelSource {
    /// A past case from the debt-help history (`history import`, or the demo's history).
    History,
    /// An own case the ranking put in the queue, labelled by its outreach.
    Ranked,
    /// An own case of the hidden random arm, labelled by its outreach.
    Random,
}

/// Within how many months after a rejection a new signal for the household counts as "came
/// back" (the *opeenvolgend* window of the signals).
pub const RETURN_WINDOW_MONTHS: u32 = 6;

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn the_label_needs_help_accepted_and_debts_known() {
        let none = Outcome::default();
        assert_eq!(none.label(), None);
        let unreached = none.with(OutcomeStep::NotReached, day(2)).unwrap();
        assert_eq!(unreached.label(), None, "never reached is unknown, not no");
        assert!(unreached.complete());
        let declined = none.with(OutcomeStep::Declined, day(2)).unwrap();
        assert_eq!(declined.label(), Some(false));
        let helped = none.with(OutcomeStep::HelpAccepted, day(2)).unwrap();
        assert_eq!(helped.label(), None);
        assert!(!helped.complete());
        let confirmed = helped.with(OutcomeStep::DebtsConfirmed, day(20)).unwrap();
        assert_eq!(confirmed.label(), Some(true));
        let cleared = helped
            .with(OutcomeStep::NoProblematicDebts, day(20))
            .unwrap();
        assert_eq!(cleared.label(), Some(false));
    }

    #[test]
    fn debts_come_after_help_was_accepted() {
        assert_eq!(
            Outcome::default().with(OutcomeStep::DebtsConfirmed, day(3)),
            Err(StepRefusal::DebtsBeforeHelp)
        );
        let confirmed = Outcome::default()
            .with(OutcomeStep::HelpAccepted, day(2))
            .unwrap()
            .with(OutcomeStep::DebtsConfirmed, day(9))
            .unwrap();
        assert_eq!(
            confirmed.with(OutcomeStep::Declined, day(10)),
            Err(StepRefusal::DebtsKnown)
        );
    }

    #[test]
    fn a_recorded_step_is_never_written_over_and_debts_do_not_precede_help() {
        let helped = Outcome::default()
            .with(OutcomeStep::HelpAccepted, day(10))
            .unwrap();
        assert_eq!(
            helped.with(OutcomeStep::NotReached, day(12)),
            Err(StepRefusal::StageRecorded(OutcomeStep::HelpAccepted))
        );
        assert_eq!(
            helped.with(OutcomeStep::DebtsConfirmed, day(9)),
            Err(StepRefusal::BeforeHelp(day(10)))
        );
        let confirmed = helped.with(OutcomeStep::DebtsConfirmed, day(20)).unwrap();
        assert_eq!(
            confirmed.with(OutcomeStep::NoProblematicDebts, day(21)),
            Err(StepRefusal::StageRecorded(OutcomeStep::DebtsConfirmed))
        );
    }

    #[test]
    fn picker_keys_are_unique() {
        let mut keys: Vec<char> = OutcomeStep::ALL.iter().map(|s| s.key()).collect();
        keys.dedup();
        assert_eq!(keys.len(), OutcomeStep::ALL.len());
        assert_eq!(
            OutcomeStep::from_key('4'),
            Some(OutcomeStep::DebtsConfirmed)
        );
    }
}
