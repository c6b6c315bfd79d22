//! `update(&mut App, Action)`: the only place the console's state changes. Every judgment is
//! written through the backend first; the screen moves on only when that write succeeded.

use crate::store::Refusal;
use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::action::Action;
use super::app::{App, PendingDecision, Popup, View};
use super::keymap::Context;
use super::window::key_of;
use super::{casework, editor, history_view, judging, outcomes, search, stats_view, ui};
use crate::domain::decision::{CaseStatus, Decision};
use crate::domain::queue::UndoneStep;
use crate::domain::text::sanitize;
use crate::i18n::{Lang, lang, t};
use crate::store::StoreError;

/// Turns a terminal event into an action and applies it. Returns whether the screen needs
/// redrawing: only key presses that mean something, pastes and resizes do.
pub fn handle_event(app: &mut App, event: Event) -> bool {
    let action = match event {
        Event::Key(key) => app.key_action(key),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        Event::Mouse(m) => app.mouse_action(m),
        _ => None,
    };
    match action {
        Some(action) => {
            update(app, action);
            true
        }
        None => false,
    }
}

impl App {
    /// What a click or the wheel does: a click on a queue row selects it, the wheel moves
    /// through the queue or scrolls the full view. Nothing while a popup or the search
    /// prompt has the keys (a click must not decide or open behind them).
    pub fn mouse_action(&self, m: MouseEvent) -> Option<Action> {
        if self.popup.is_some() || self.search_typing() {
            return None;
        }
        match m.kind {
            MouseEventKind::Down(MouseButton::Left) if self.view.is_queue() => {
                ui::queue_row_at(self, m.column, m.row).map(Action::ClickRow)
            }
            MouseEventKind::ScrollDown if self.view.is_queue() => Some(Action::Down),
            MouseEventKind::ScrollUp if self.view.is_queue() => Some(Action::Up),
            MouseEventKind::ScrollDown => Some(Action::Scroll(3)),
            MouseEventKind::ScrollUp => Some(Action::Scroll(-3)),
            _ => None,
        }
    }

    /// The action a key press fires in the current state: popups see keys first, and only
    /// presses count (release and repeat events from enhanced keyboards are ignored).
    pub fn key_action(&self, key: KeyEvent) -> Option<Action> {
        if key.kind != KeyEventKind::Press {
            return None;
        }
        // Ctrl-C always leaves, whatever the keymap or popup.
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return Some(Action::Quit);
        }
        match &self.popup {
            Some(Popup::Note(_) | Popup::SendBack(_) | Popup::RejectNote(..)) => Some(
                self.keymap
                    .action_in(Context::Editor, key)
                    .unwrap_or(Action::EditorKey(key)),
            ),
            Some(Popup::Reason) => self
                .keymap
                .action_in(Context::Popup, key)
                .or(match key.code {
                    KeyCode::Char(c)
                        if !key
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                    {
                        Some(Action::PickReason(c))
                    }
                    _ => None,
                }),
            Some(Popup::Outcome(_)) => {
                self.keymap
                    .action_in(Context::Popup, key)
                    .or(match key.code {
                        KeyCode::Left | KeyCode::Char('-') => Some(Action::ShiftDay(-1)),
                        KeyCode::Right | KeyCode::Char('+') => Some(Action::ShiftDay(1)),
                        KeyCode::Char(c)
                            if !key
                                .modifiers
                                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                        {
                            Some(Action::PickOutcome(c))
                        }
                        _ => None,
                    })
            }
            Some(Popup::Help) => self
                .keymap
                .action_in(Context::Popup, key)
                .or_else(|| match self.keymap.action_for(key) {
                    Some(Action::Help | Action::Back) => Some(Action::Cancel),
                    Some(Action::Quit) => Some(Action::Quit),
                    _ => None,
                }),
            // Only the decision key asked about confirms; Esc goes back to the case.
            Some(Popup::Confirm(_)) => self.keymap.action_in(Context::Popup, key).or_else(|| {
                match self.keymap.action_for(key) {
                    Some(a @ (Action::Accept | Action::Reject | Action::Defer)) => Some(a),
                    Some(Action::Back) => Some(Action::Cancel),
                    Some(Action::Quit) => Some(Action::Quit),
                    _ => None,
                }
            }),
            None if self.search_typing() => {
                let plain = matches!(key.code, KeyCode::Char(_))
                    && !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
                let bound = (!plain)
                    .then(|| self.keymap.action_in(Context::Search, key))
                    .flatten();
                Some(bound.unwrap_or(Action::SearchKey(key)))
            }
            // In a search's results n/N move and Esc ends it; in the full view the review's
            // keys hold (n is a note there, Esc back to the results).
            None if self.showing_search_results() && self.view.is_queue() => self
                .keymap
                .action_in(Context::Search, key)
                .filter(|a| *a != Action::Confirm)
                .or_else(|| self.keymap.action_for(key)),
            None => self.keymap.action_for(key),
        }
    }
}

pub fn update(app: &mut App, action: Action) {
    match action {
        Action::Resize(w, h) => return resize(app, w, h),
        Action::Quit => return quit(app),
        Action::Paste(text) => return editor::paste(app, &text),
        Action::Tick => return casework::tick(app),
        Action::Poll => return casework::poll(app),
        _ => {}
    }
    // Below the minimum size the reviewer cannot see the case: nothing but quitting acts.
    if app.too_small() {
        return;
    }
    match app.popup.take() {
        Some(Popup::Reason) => reason_picker(app, action),
        Some(Popup::Note(e)) => editor::note_editor(app, e, action),
        Some(Popup::SendBack(e)) => editor::send_back_editor(app, e, action),
        Some(Popup::RejectNote(reason, e)) => editor::reject_note_editor(app, reason, e, action),
        Some(Popup::Help) => {
            if !matches!(action, Action::Cancel) {
                app.popup = Some(Popup::Help);
            }
        }
        Some(Popup::Confirm(pending)) => confirm(app, pending, action),
        Some(Popup::Outcome(pending)) => outcomes::picker(app, pending, action),
        None => review(app, action),
    }
}

fn review(app: &mut App, action: Action) {
    app.status = None;
    app.new_case = false;
    if app.search_typing() {
        return match action {
            Action::SearchKey(key) => search::key(app, key),
            Action::Confirm => search::confirm(app),
            Action::EndSearch => search::end(app, false),
            Action::NextMatch => navigate(app, |w, b| w.move_by(b, 1)),
            Action::PreviousMatch => navigate(app, |w, b| w.move_by(b, -1)),
            _ => {}
        };
    }
    if app.view.is_stats() {
        return stats_view::update(app, action);
    }
    if app.view.is_history() {
        return history_view::update(app, action);
    }
    let page = app.window.view() as isize;
    match action {
        Action::Down => navigate(app, |w, b| w.move_by(b, 1)),
        Action::Up => navigate(app, |w, b| w.move_by(b, -1)),
        Action::PageDown if app.view.is_full_detail() => {
            app.scroll_to(app.scroll().saturating_add(page as u16));
        }
        Action::PageUp if app.view.is_full_detail() => {
            app.scroll_to(app.scroll().saturating_sub(page as u16));
        }
        Action::PageDown => navigate(app, |w, b| w.move_by(b, page)),
        Action::PageUp => navigate(app, |w, b| w.move_by(b, -page)),
        Action::First => navigate(app, |w, b| w.first(b)),
        Action::Last => navigate(app, |w, b| w.last(b)),
        Action::JudgeNeedsHelp | Action::JudgeNoNeed | Action::JudgeUnsure => {
            let judgment = action.judgment().expect("a judge-first action");
            judging::judge(app, judgment)
        }
        Action::ToggleJudgeFirst => judging::toggle_judge_first(app),
        Action::Accept | Action::Reject | Action::Defer if judging::awaiting_judgment(app) => {
            let key = |name| app.keymap.first_key(Context::Review, name, app.theme.ascii);
            let text = t("console.status.judge_first_needed")
                .replace("{needs_help}", &key(Action::JudgeNeedsHelp))
                .replace("{no_need}", &key(Action::JudgeNoNeed))
                .replace("{unsure}", &key(Action::JudgeUnsure));
            app.info(text);
        }
        Action::Accept => decide(app, Decision::Accept, None, None),
        Action::Defer => decide(app, Decision::Defer, None, None),
        // Refused now rather than after the reason is picked (someone else has it, it is
        // decided, another team's): the store's own checks, asked before anything opens.
        Action::Reject => match app.selected().map(|r| r.case_id) {
            None => app.info(t("console.status.queue_empty")),
            Some(case_id) => match app.backend.may_decide(case_id) {
                Ok(()) => app.popup = Some(Popup::Reason),
                Err(e) => {
                    let row = app.selected().cloned().expect("a case is selected");
                    let screen_row = app.window.screen_row();
                    refused(app, &row, screen_row, &e);
                }
            },
        },
        Action::Note => editor::open_note(app),
        Action::Undo => undo(app),
        Action::Reveal => casework::reveal(app),
        Action::ToSign => casework::toggle_to_sign(app),
        Action::Outcome => outcomes::open_picker(app),
        Action::Outcomes => outcomes::toggle_list(app),
        Action::Sign => casework::sign(app),
        Action::SendBack => casework::start_send_back(app),
        Action::Help => app.popup = Some(Popup::Help),
        Action::ToggleDecided => {
            let show = !app.window.include_decided();
            match app.window.set_include_decided(&*app.backend, show) {
                Ok(()) => {
                    app.load_detail();
                    app.info(t(if show {
                        "console.status.showing_decided"
                    } else {
                        "console.status.hiding_decided"
                    }));
                }
                Err(e) => app.fail(&e),
            }
        }
        Action::ByDeadline => {
            let on = !app.window.by_deadline();
            match app.window.set_by_deadline(&*app.backend, on) {
                Ok(()) => {
                    app.load_detail();
                    app.info(t(if on {
                        "console.status.by_deadline"
                    } else {
                        "console.status.own_order"
                    }));
                }
                Err(e) => app.fail(&e),
            }
        }
        Action::Detail => {
            app.view = match app.view {
                View::Queue => {
                    // Logged for the rubber-stamp monitor, committed before the screen
                    // moves on: when the write fails, the error shows and the queue stays.
                    // Not while judge-first hides the explanation: nothing of it was seen.
                    if !app.log_full_view(true) {
                        return;
                    }
                    View::FullDetail { scroll: 0 }
                }
                View::FullDetail { .. } | View::Stats { .. } | View::History { .. } => View::Queue,
            };
        }
        Action::ClickRow(row) => {
            let delta = row as isize - app.window.cursor() as isize;
            navigate(app, |w, b| w.move_by(b, delta))
        }
        Action::Scroll(lines) => app.scroll_to(app.scroll().saturating_add_signed(lines)),
        Action::History => history_view::open(app),
        Action::Search => search::start(app, false),
        Action::Jump => search::start(app, true),
        Action::NextMatch => navigate(app, |w, b| w.move_by(b, 1)),
        Action::PreviousMatch => navigate(app, |w, b| w.move_by(b, -1)),
        Action::EndSearch => search::end(app, true),
        Action::Back => app.view = View::Queue,
        Action::Stats => stats_view::open(app),
        _ => {}
    }
}

/// Moves through the queue; on a read failure the cursor stays and the error shows.
fn navigate(
    app: &mut App,
    step: impl FnOnce(
        &mut super::window::QueueWindow,
        &dyn super::backend::ReviewBackend,
    ) -> Result<(), crate::store::StoreError>,
) {
    let before = app.selected().map(|r| r.case_id);
    match step(&mut app.window, &*app.backend) {
        Ok(()) => {
            if app.selected().map(|r| r.case_id) != before || app.detail().is_none() {
                app.load_detail();
            }
        }
        Err(e) => app.fail(&e),
    }
}

/// Writes a decision, then shows the next case. A failed write leaves everything in place.
///
/// Every decision key asks the store first whether the decision could be made at all (a
/// case someone else holds, one decided already, waiting for a signature): only then may
/// "are you sure?" come, so no prompt is shown, or logged, for a decision that never could.
pub(super) fn decide(app: &mut App, decision: Decision, reason: Option<&str>, note: Option<&str>) {
    let Some(row) = app.selected().cloned() else {
        return app.info(t("console.status.queue_empty"));
    };
    let screen_row = app.window.screen_row();
    if let Err(e) = app.backend.may_decide(row.case_id) {
        return refused(app, &row, screen_row, &e);
    }
    if judging::ask_if_quick(app, decision, reason, note) {
        return;
    }
    if let Err(e) = app.backend.decide(row.case_id, decision, reason, note) {
        return refused(app, &row, screen_row, &e);
    }
    // A plain read of the decided case: did the four-eyes rule hold it for a signature?
    // (Its status first: the whole detail, for the rule's name, only when it did.)
    let held_for = match app.backend.status(row.case_id) {
        Ok(CaseStatus::ToSign) => app
            .backend
            .detail(row.case_id)
            .ok()
            .map(|d| casework::waiting_rule(&d)),
        _ => None,
    };
    let moved = casework::move_past(app, &row, screen_row);
    app.load_summary();
    app.load_detail();
    let household = sanitize(&row.household).into_owned();
    let reason_label = reason
        .map(|code| app_reason_label(app, code))
        .unwrap_or_default();
    let text = match held_for {
        Some(rule) => t("console.status.to_sign")
            .replace("{household}", &household)
            .replace("{rule}", &rule),
        None => match decision {
            Decision::Accept => t("console.status.accepted"),
            Decision::Reject => t("console.status.rejected"),
            Decision::Defer => t("console.status.deferred"),
        }
        .replace("{household}", &household)
        .replace("{reason}", &reason_label),
    };
    app.info(text);
    if let Err(e) = moved {
        app.fail(&e);
    }
}

/// A decision the store refused: the refusal shows; when the case was decided meanwhile
/// (by someone else, in another session), the queue is read as it is now first.
pub(super) fn refused(
    app: &mut App,
    row: &crate::domain::view::QueueRow,
    screen_row: usize,
    e: &StoreError,
) {
    if matches!(e, StoreError::Refused(Refusal::AlreadyDecided { .. })) {
        let _ = app.window.goto(&*app.backend, key_of(row), screen_row);
        app.load_summary();
        app.load_detail();
    }
    casework::note_refusal(app, e);
    app.fail(e);
}

fn app_reason_label(app: &App, code: &str) -> String {
    app.reasons
        .iter()
        .find(|r| r.code == code)
        .map(|r| sanitize(if lang() == Lang::Nl { &r.nl } else { &r.en }).into_owned())
        .unwrap_or_else(|| sanitize(code).into_owned())
}

fn reason_picker(app: &mut App, action: Action) {
    match action {
        Action::PickReason(key) => match app
            .reasons
            .iter()
            .find(|r| r.key == key)
            .map(|r| (r.code.clone(), r.needs_note))
        {
            // "Other": the note says why, and saving it records the rejection.
            Some((code, true)) => editor::open_reject_note(app, code),
            Some((code, false)) => decide(app, Decision::Reject, Some(&code), None),
            None => {
                app.popup = Some(Popup::Reason);
                app.info(
                    t("console.status.no_such_reason")
                        .replace("{key}", &sanitize(&key.to_string())),
                );
            }
        },
        Action::Cancel => app.info(t("console.status.reject_cancelled")),
        _ => app.popup = Some(Popup::Reason),
    }
}

/// The "are you sure?" prompt: the same decision key records the decision (the prompt is
/// not shown again for this opening), Esc leaves it unrecorded.
fn confirm(app: &mut App, pending: PendingDecision, action: Action) {
    if judging::confirms(&pending, &action) {
        return decide(
            app,
            pending.decision,
            pending.reason.as_deref(),
            pending.note.as_deref(),
        );
    }
    match action {
        Action::Cancel => app.info(
            t("console.status.quick_cancelled")
                .replace("{household}", &sanitize(&pending.household)),
        ),
        _ => app.popup = Some(Popup::Confirm(pending)),
    }
}

fn undo(app: &mut App) {
    let undone = match app.backend.undo_last() {
        Ok(Some(u)) => u,
        Ok(None) => return app.info(t("console.status.nothing_to_undo")),
        Err(e) => return app.fail(&e),
    };
    let decision = match undone.step {
        UndoneStep::Decision(d) => d,
        UndoneStep::Outcome(step) => {
            // The case keeps its decision; only the list of outcomes to record changes.
            if let Err(e) = app.window.reload(&*app.backend) {
                return app.fail(&e);
            }
            app.load_detail();
            return app.info(
                t("console.status.outcome_undone")
                    .replace("{step}", t(&format!("outcome.{}", step.as_code())))
                    .replace("{household}", &sanitize(&undone.household)),
            );
        }
    };
    // The case is open again: select it, wherever it is in the queue.
    let key = match app
        .backend
        .queue_key(undone.case_id, app.window.by_deadline())
    {
        Ok(Some(key)) => key,
        Ok(None) => return app.fail(&StoreError::Refused(Refusal::NoSuchCase(undone.case_id))),
        Err(e) => return app.fail(&e),
    };
    let screen_row = app.window.screen_row();
    let moved = app.window.goto(&*app.backend, key, screen_row);
    app.load_summary();
    app.load_detail();
    let decision = t(&format!("console.decision.{}", decision.as_code()));
    app.info(
        t("console.status.undone")
            .replace("{decision}", decision)
            .replace("{household}", &sanitize(&undone.household)),
    );
    if let Err(e) = moved {
        app.fail(&e);
    }
}

fn resize(app: &mut App, width: u16, height: u16) {
    app.size = (width, height);
    if let Err(e) = app.window.set_view(&*app.backend, ui::queue_rows(height)) {
        app.fail(&e);
    }
}

/// Records where the reviewer stopped and leaves. A failure to record it is reported once the
/// terminal is restored (the reviewer is leaving; the status line would not be seen).
fn quit(app: &mut App) {
    if app.quit {
        return;
    }
    let at = app.selected().map(|r| r.case_id);
    if let Err(e) = app.backend.end_session(at) {
        app.exit_error = Some(e);
    }
    app.quit = true;
}

/// The event loop's minute tick: renews the claim and reads the queue again. Returns whether
/// the screen changed, so an idle console is not redrawn for nothing.
pub fn tick(app: &mut App) -> bool {
    let before = Visible::of(app);
    update(app, Action::Tick);
    Visible::of(app) != before
}

/// The event loop's poll: whether what the queue rests on changed elsewhere. Returns whether
/// the screen changed; when nothing was written elsewhere it costs one pragma and no redraw.
pub fn poll(app: &mut App) -> bool {
    let before = Visible::of(app);
    update(app, Action::Poll);
    Visible::of(app) != before
}

/// What the screen shows of the state a tick may change. The reviewer's own claim on a row
/// shows nowhere, so it does not count.
#[derive(PartialEq)]
struct Visible {
    rows: Vec<(i64, CaseStatus, Option<String>)>,
    cursor: (usize, usize),
    summary: super::backend::QueueSummary,
    claim: super::backend::ClaimState,
    detail: Option<crate::domain::view::CaseDetail>,
    status: Option<super::app::Status>,
}

impl Visible {
    fn of(app: &App) -> Visible {
        let me = app.backend.reviewer();
        Visible {
            rows: app
                .window
                .rows()
                .iter()
                .map(|r| {
                    let other = r.held_by.clone().filter(|h| h != me);
                    (r.case_id, r.status, other)
                })
                .collect(),
            cursor: (app.window.cursor(), app.window.top()),
            summary: app.summary.clone(),
            claim: app.claim().clone(),
            detail: app.detail().cloned(),
            status: app.status.clone(),
        }
    }
}
