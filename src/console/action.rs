//! Everything that can happen to the console. Keys (through the keymap), pastes and resizes
//! become one `Action` each, and `update()` is the only place that acts on them, so tests can
//! drive the console exactly as a reviewer does without a terminal.

use crossterm::event::KeyEvent;

use crate::domain::judge_first::InitialJudgment;

#[derive(Debug, Clone, PartialEq, Eq)]
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
    Judge(InitialJudgment),
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
    PickOutcome(char),
    /// In the outcome picker: the day one earlier (-1) or later (+1).
    ShiftDay(i64),
    Quit,

    /// In the reason picker: the key of a reason.
    PickReason(char),
    /// In the note editor: a key for the text area.
    EditorKey(KeyEvent),
    SaveNote,
    /// Closes the open popup (reason picker, note editor, help) without doing anything.
    Cancel,
    /// Bracketed paste. Only ever text for the note editor, never a hotkey.
    Paste(String),
    Resize(u16, u16),
    /// Once a minute from the event loop: renews the claim on the case on screen and reads
    /// the queue again, so other people's claims and decisions show up.
    Tick,
    /// Twice a second from the event loop: when another process wrote to the database and
    /// what the queue rests on changed (a halt, a resume, a new ranking, judge-first, a
    /// reassignment), reads the queue again at once.
    Poll,
}
