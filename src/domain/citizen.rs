//! What oordeel recorded about one household, for the household itself (GDPR art. 15, AI Act
//! art. 86: the right to an explanation of a decision supported by a high-risk system), and
//! the plain-Dutch letter that goes with it. The store gathers a [`CitizenRecord`] (and logs
//! the access); `oversight::letter` writes the letter from it. No I/O here.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::decision::CaseStatus;
use crate::domain::household::{Household, PersonalData, ProtectedAttributes, Signal};
use crate::domain::view::{DecisionView, Explanation, NoteView, Ranking};

/// Everything recorded about one household.
#[derive(Debug, Clone)]
pub struct CitizenRecord {
    pub household: Household,
    /// `None` when it was erased (`oordeel purge`) or never held.
    pub personal: Option<PersonalData>,
    /// The day a purge erased the personal data, if one did.
    pub erased_on: Option<NaiveDate>,
    /// The personal data was left out because the reader's role sees none (auditors).
    pub personal_withheld: bool,
    /// The household's number in the municipality's own systems (a client number), when an
    /// extract brought it: personal data too, and how the household finds itself.
    pub key: Option<String>,
    /// Gender, age band and migration background as recorded for the fairness audit (never
    /// read by the model): held about the household, so owed to it; withheld like the
    /// personal data.
    pub protected: Option<ProtectedAttributes>,
    /// Newest case first.
    pub cases: Vec<CitizenCase>,
    /// Who looked at the household's cases, oldest first: role and team, not names (the
    /// household is owed what was done with its data, not the staff's identities).
    pub accesses: Vec<Access>,
}

/// One case (a month of signals) of the household.
#[derive(Debug, Clone)]
pub struct CitizenCase {
    pub case_id: i64,
    pub opened_on: NaiveDate,
    pub deadline_on: NaiveDate,
    pub status: CaseStatus,
    /// For a closed case of the history (the demo's, or the debt-help system's import): the
    /// outcome the model learns from, problematic debt confirmed and help accepted within
    /// three months. Such a case had no deadline of its own.
    pub outcome: Option<bool>,
    pub signals: Vec<Signal>,
    /// The model's latest score of the case with its exact explanation, if it was scored.
    pub explanation: Option<Explanation>,
    pub ranking: Option<Ranking>,
    /// Decisions, retractions and signatures, oldest first (reviewer names left out of the
    /// letter, kept here for the officer who answers the request).
    pub decisions: Vec<DecisionView>,
    pub notes: Vec<NoteView>,
}

/// One access to the household's data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Access {
    pub at: DateTime<Utc>,
    /// `view`, `reveal`, `explanation_viewed` or `citizen_report`.
    pub kind: String,
    pub role: String,
    pub team: Option<String>,
}

impl CitizenCase {
    /// The decision that stands on the case, with its reason: the last decision not undone
    /// (a retraction or a send-back removes the one before it).
    pub fn standing_decision(&self) -> Option<&DecisionView> {
        Self::standing_in(&self.decisions)
    }

    /// The standing decision among `decisions`, oldest first.
    pub fn standing_in(decisions: &[DecisionView]) -> Option<&DecisionView> {
        let mut standing: Vec<&DecisionView> = Vec::new();
        for d in decisions {
            match d.decision.as_str() {
                "accept" | "reject" | "defer" => standing.push(d),
                "retract" | "sent_back" => {
                    standing.pop();
                }
                _ => {}
            }
        }
        standing.pop()
    }

    /// Whether a second person signed the standing decision.
    pub fn signed(&self) -> bool {
        self.decisions
            .last()
            .is_some_and(|d| d.decision == "signed")
    }
}
