//! Everything that can happen to the console. Keys (through the keymap), pastes and resizes
//! become one `Action` each, and `update()` is the only place that acts on them, so tests can
//! drive the console exactly as a reviewer does without a terminal.

use crossterm::event::KeyEvent;

use crate::domain::decision::Decision;
use crate::domain::judge_first::InitialJudgment;
use crate::domain::role::Role;

/// The name of each action a key can be bound to is its keymap name (`page_down`), its help
/// label (`keys.page_down` in `assets/strings.toml`) and its serde name, all from the one
/// `strum` attribute: a typo in a key table is a compile error, in a keymap file a refusal.
/// Actions that only the event loop or a popup makes are `disabled`: no file can bind them.
#[derive(
    Debug, Clone, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString, serde::Serialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(into = "&'static str")]
pub enum Action {
    // Moving through the queue.
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,

    // Judgments: each is committed through the backend before the screen moves on.
    /// Judge-first mode: the reviewer's own view of the case, before the model's is shown.
    JudgeNeedsHelp,
    JudgeNoNeed,
    JudgeUnsure,
    /// Accept: offer help.
    Accept,
    /// Opens the reason picker; the rejection itself is `PickReason`.
    Reject,
    Defer,
    /// Opens the note editor; the note itself is `SaveNote`.
    Note,
    /// Retracts this reviewer's last decision.
    Undo,
    /// Shows name, BSN, address and birth date of the case on screen (logged).
    Reveal,

    // The four-eyes rule.
    /// Shows the decisions waiting for a second signature, or the queue again.
    ToSign,
    /// A senior confirms a decision waiting for a second signature.
    Sign,
    /// Opens the send-back editor; the sending itself is `SaveNote` there.
    SendBack,

    // Views.
    Help,
    /// Shows or hides decided cases in the queue.
    ToggleDecided,
    /// Reads the queue nearest deadline first, or in its own order again.
    ByDeadline,
    /// Turns judge-first mode on or off for this reviewer.
    #[strum(serialize = "judge_first")]
    ToggleJudgeFirst,
    /// Opens or closes the full-screen detail view.
    Detail,
    /// Leaves the full-screen detail view, or clears the status line.
    Back,
    /// Opens or closes the stats view (figures read once per opening).
    Stats,
    /// Opens the outcome picker on a case where help was offered; the step itself is
    /// `PickOutcome`.
    Outcome,
    /// Shows this reviewer's accepted cases still waiting for an outcome, or the queue again.
    Outcomes,
    /// In the outcome picker: the key of a step.
    #[strum(disabled)]
    PickOutcome(char),
    /// In the outcome picker: the day one earlier (-1) or later (+1).
    #[strum(disabled)]
    ShiftDay(i64),
    Quit,

    /// Opens or closes the household's whole history (read-only, logged).
    History,

    // Finding a household.
    /// Opens the search prompt: cases are found as the reviewer types.
    Search,
    /// Opens the prompt for a household's number, to go straight to it.
    Jump,
    /// In a search's results: the next case found, or the previous one.
    NextMatch,
    PreviousMatch,
    /// In the search prompt: keeps what was found and opens the case selected.
    Confirm,
    /// Leaves the search (its prompt or its results) for the queue where it was.
    EndSearch,
    /// A click on a row of the queue pane: the row's place in the window the console holds.
    #[strum(disabled)]
    ClickRow(usize),
    /// The mouse wheel over the full view or the stats view: lines to scroll (up is less
    /// than 0).
    #[strum(disabled)]
    Scroll(i16),
    /// In the search prompt: a key for the text typed.
    #[strum(disabled)]
    SearchKey(KeyEvent),

    /// In the reason picker: the key of a reason.
    #[strum(disabled)]
    PickReason(char),
    /// In the note editor: a key for the text area.
    #[strum(disabled)]
    EditorKey(KeyEvent),
    #[strum(serialize = "save")]
    SaveNote,
    /// Closes the open popup (reason picker, note editor, help) without doing anything.
    Cancel,
    /// Bracketed paste. Only ever text for the note editor, never a hotkey.
    #[strum(disabled)]
    Paste(String),
    #[strum(disabled)]
    Resize(u16, u16),
    /// Once a minute from the event loop: renews the claim on the case on screen and reads
    /// the queue again, so other people's claims and decisions show up.
    #[strum(disabled)]
    Tick,
    /// Twice a second from the event loop: when another process wrote to the database and
    /// what the queue rests on changed (a halt, a resume, a new ranking, judge-first, a
    /// reassignment), reads the queue again at once.
    #[strum(disabled)]
    Poll,
}

impl Action {
    /// The name in keymap.toml and in the help's label key (`keys.<name>`).
    pub fn name(&self) -> &'static str {
        self.into()
    }

    /// The key's action of a decision (for "press it again to confirm").
    pub fn of(decision: Decision) -> Action {
        match decision {
            Decision::Accept => Action::Accept,
            Decision::Reject => Action::Reject,
            Decision::Defer => Action::Defer,
        }
    }

    /// The judgment a judge-first key gives.
    pub fn judgment(&self) -> Option<InitialJudgment> {
        match self {
            Action::JudgeNeedsHelp => Some(InitialJudgment::NeedsHelp),
            Action::JudgeNoNeed => Some(InitialJudgment::NoNeed),
            Action::JudgeUnsure => Some(InitialJudgment::Unsure),
            _ => None,
        }
    }

    /// Actions that must keep a key: overriding the model is never harder than agreeing with
    /// it, and a reviewer must always be able to undo, get help and leave. In judge-first
    /// mode a reviewer cannot decide without first judging, so the judgments are required too.
    pub fn required(&self) -> bool {
        matches!(
            self,
            Action::Accept
                | Action::Reject
                | Action::Defer
                | Action::Undo
                | Action::Help
                | Action::Quit
                | Action::JudgeNeedsHelp
                | Action::JudgeNoNeed
                | Action::JudgeUnsure
        )
    }

    /// Whether `role` may use the action at all; the key bar leaves out what the store would
    /// refuse (the help lists everything, so a reviewer learns what exists).
    pub fn allowed(&self, role: Role) -> bool {
        match self {
            Action::Accept
            | Action::Reject
            | Action::Defer
            | Action::Undo
            | Action::ToggleJudgeFirst
            | Action::Outcome
            | Action::Outcomes => role.decides(),
            Action::Note => role.decides() || role.supervises(),
            Action::Reveal => role.reveals(),
            Action::Sign | Action::SendBack => role.signs(),
            _ => true,
        }
    }
}
