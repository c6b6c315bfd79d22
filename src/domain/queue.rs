//! Positions and windows in the review queue: the queue is always read a window at a time
//! (keyset pagination), never loaded whole.

use super::decision::Decision;
use super::judge_first::JudgeFirstScope;

/// Position in the queue ordering: by rank, unscored cases last, ties by case id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct QueueKey {
    /// The row's position (`QueueRow::position`): its rank in the current scoring run
    /// (`i64::MAX` when unscored), or in judge-first mode its arrival day.
    pub rank: i64,
    pub case_id: i64,
}

/// Where a window of the queue starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowStart {
    /// The top of the queue.
    First,
    /// The bottom of the queue (the window ends with the last row).
    Last,
    /// Rows strictly after this key.
    After(QueueKey),
    /// Rows strictly before this key (the window ends just before it).
    Before(QueueKey),
    /// Rows from this key on, inclusive.
    From(QueueKey),
}

/// The lists the console reads a window of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueList {
    /// The review queue.
    #[default]
    Queue,
    /// Decisions waiting for a second signature.
    ToSign,
    /// The reader's own accepted cases whose outreach has no final outcome yet, the longest
    /// overdue first (always by deadline).
    Outcomes,
    /// The cases the reader's last search found (`ReviewBackend::search`), in the queue's
    /// order, decided ones too.
    Search,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowQuery {
    /// Which list: the queue itself, or one of the lists beside it.
    pub list: QueueList,
    /// In the queue itself: false, open cases only; true, decided cases too.
    pub include_decided: bool,
    /// Nearest deadline first (then case number), instead of the queue's own order.
    pub by_deadline: bool,
    pub start: WindowStart,
    pub limit: usize,
}

/// Figures for the header line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueueSummary {
    /// Title of the caseload, e.g. "Vroegsignalering".
    pub caseload: String,
    /// The team whose queue this is; `None` when the reviewer sees every team.
    pub team: Option<String>,
    pub model_version: Option<i64>,
    pub open: i64,
    /// Decisions of this team waiting for a second signature.
    pub to_sign: i64,
    /// Decisions by this reviewer today (retracted ones excluded).
    pub decided_today: i64,
    /// Set while a supervisor has halted the model (`oordeel halt`).
    pub halt: Option<HaltNotice>,
    /// For supervisors and admins: the latest scoring run, when it drifted significantly
    /// from the training data (the people who can review or halt it are told).
    pub drift_run: Option<i64>,
    /// Set when this reviewer works judge-first: the queue in arrival order, no scores, and
    /// each case's model view shown only after their own initial judgment.
    pub judge_first: Option<JudgeFirstScope>,
    /// How far a new database has come, for an empty queue to say what to import next.
    pub imported: Imported,
}

/// What a database holds so far: an empty queue on a new `oordeel init` says what comes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Imported {
    /// No household and no case.
    Nothing,
    /// Households, but no signal has opened a case yet.
    Households,
    /// Cases: an empty queue means every case is decided.
    #[default]
    Cases,
}

/// What the order of a reviewer's queue and what it may show rest on. When any of it changes
/// (a supervisor halts or resumes the model, a scoring run ranks the queue again, judge-first
/// is switched for the team, a case is reassigned), an open console reads its queue again at
/// once instead of at its next minute tick.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueueBasis {
    pub halt: Option<HaltNotice>,
    /// The latest scoring run.
    pub run: Option<i64>,
    pub judge_first: Option<JudgeFirstScope>,
    /// The latest `reassigned` event.
    pub reassigned: Option<i64>,
}

/// Who halted the model, when (RFC 3339) and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HaltNotice {
    pub by: String,
    pub at: String,
    pub reason: String,
}

/// A judgment that `undo_last` retracted.
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    pub case_id: i64,
    pub household: String,
    pub step: UndoneStep,
}

/// What was retracted: a decision (the case reopens) or a step of its outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum UndoneStep {
    Decision(Decision),
    Outcome(super::outcome::OutcomeStep),
}
