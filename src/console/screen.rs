//! The parts of the console's state that come and go: the view and what belongs to it, the
//! case on screen for one opening, the popup over them, and the message line. `App` holds
//! one of each.

use std::time::Duration;

use chrono::NaiveDate;
use ratatui_textarea::TextArea;

use super::backend::ClaimState;
use crate::domain::decision::Decision;
use crate::domain::household::PersonalData;
use crate::domain::view::CaseDetail;

/// A popup over the main view; keys go to it first.
pub enum Popup {
    /// Picking a reason after `r`.
    Reason,
    /// Writing a note.
    Note(Box<TextArea<'static>>),
    /// Sending a decision back to its reviewer, with an optional note.
    SendBack(Box<TextArea<'static>>),
    /// A rejection for a reason that needs a note ("other"): the note says why, and saving
    /// it records both.
    RejectNote(String, Box<TextArea<'static>>),
    Help,
    /// "Are you sure?" about a decision taken seconds after opening the case: the same
    /// decision key records it, Esc goes back to the case. Nothing is pre-selected.
    Confirm(PendingDecision),
    /// Picking a step of the outcome after `e`: a digit records it on the day shown,
    /// which the arrow keys move.
    Outcome(PendingOutcome),
}

/// The case an outcome is being recorded for, and the day it will carry.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingOutcome {
    pub case_id: i64,
    pub household: String,
    pub on: NaiveDate,
}

/// A decision the reviewer is asked to confirm.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingDecision {
    pub case_id: i64,
    pub household: String,
    pub decision: Decision,
    pub reason: Option<String>,
    /// The note that goes with it (a rejection for "other").
    pub note: Option<String>,
    /// Seconds between opening the case and the decision key.
    pub seconds: f64,
}

/// The main view under any popup, with what belongs to it alone.
#[derive(Debug, Clone, PartialEq)]
pub enum View {
    /// Queue on the left, detail on the right.
    Queue,
    /// The selected case over the whole screen, from its `scroll`-th line.
    FullDetail { scroll: u16 },
    /// Progress, reviewers, scores, overrides, calibration and fairness (`s`): figures read
    /// when it opened (a failed read leaves the queue on screen), from the `scroll`-th line.
    Stats {
        stats: Box<crate::domain::stats::Stats>,
        scroll: u16,
    },
    /// The household's whole story (`h`), read when it opened, from the `scroll`-th line.
    History {
        story: Box<crate::domain::household_story::HouseholdStory>,
        scroll: u16,
    },
}

impl View {
    pub fn is_queue(&self) -> bool {
        matches!(self, View::Queue)
    }

    pub fn is_full_detail(&self) -> bool {
        matches!(self, View::FullDetail { .. })
    }

    pub fn is_stats(&self) -> bool {
        matches!(self, View::Stats { .. })
    }

    pub fn is_history(&self) -> bool {
        matches!(self, View::History { .. })
    }
}

/// The case on screen as the backend knows it: opened (logged, maybe claimed) once per
/// landing. Everything here belongs to that one opening and goes when the reviewer leaves.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenCase {
    pub(crate) case_id: i64,
    /// What the detail pane shows; `None` when reading it again failed (the error shows).
    pub(crate) detail: Option<CaseDetail>,
    /// The claim on the case.
    pub(crate) claim: ClaimState,
    /// Personal data, once revealed.
    pub(crate) revealed: Option<PersonalData>,
    /// When (by the console's clock) it was opened.
    pub(crate) opened_at: Duration,
    /// Whether the "are you sure?" prompt was shown: it asks once per opening.
    pub(crate) prompted: bool,
    /// Whether its full explanation was logged as seen (`explanation_viewed`): every case
    /// whose explanation was on screen when it was decided counts as explained, however the
    /// full view got to it.
    pub(crate) explained: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

/// The message line: what the last action did, or why it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub kind: StatusKind,
    pub text: String,
}
