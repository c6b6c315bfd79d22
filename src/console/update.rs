//! `update(&mut App, Action)`: the only place the console's state changes. Every judgment is
//! written through the backend first; the screen moves on only when that write succeeded.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::style::Style;
use ratatui_textarea::TextArea;

use super::action::Action;
use super::app::{App, Popup, View};
use super::keymap::Context;
use super::sanitize::sanitize;
use super::ui;
use super::window::key_of;
use crate::domain::decision::Decision;
use crate::i18n::{Lang, lang, t};

/// Turns a terminal event into an action and applies it. Returns whether the screen needs
/// redrawing: only key presses that mean something, pastes and resizes do.
pub fn handle_event(app: &mut App, event: Event) -> bool {
    let action = match event {
        Event::Key(key) => app.key_action(key),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
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
            Some(Popup::Note(_)) => Some(
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
            Some(Popup::Help) => self
                .keymap
                .action_in(Context::Popup, key)
                .or_else(|| match self.keymap.action_for(key) {
                    Some(Action::Help | Action::Back) => Some(Action::Cancel),
                    Some(Action::Quit) => Some(Action::Quit),
                    _ => None,
                }),
            None => self.keymap.action_for(key),
        }
    }
}

pub fn update(app: &mut App, action: Action) {
    match action {
        Action::Resize(w, h) => return resize(app, w, h),
        Action::Quit => return quit(app),
        Action::Paste(text) => return paste(app, &text),
        _ => {}
    }
    // Below the minimum size the reviewer cannot see the case: nothing but quitting acts.
    if app.too_small() {
        return;
    }
    match app.popup.take() {
        Some(Popup::Reason) => reason_picker(app, action),
        Some(Popup::Note(editor)) => note_editor(app, editor, action),
        Some(Popup::Help) => {
            if !matches!(action, Action::Cancel) {
                app.popup = Some(Popup::Help);
            }
        }
        None => review(app, action),
    }
}

fn review(app: &mut App, action: Action) {
    app.status = None;
    let page = app.window.view() as isize;
    match action {
        Action::Down => navigate(app, |w, b| w.move_by(b, 1)),
        Action::Up => navigate(app, |w, b| w.move_by(b, -1)),
        Action::PageDown if app.view == View::FullDetail => {
            app.detail_scroll = app.detail_scroll.saturating_add(page as u16);
        }
        Action::PageUp if app.view == View::FullDetail => {
            app.detail_scroll = app.detail_scroll.saturating_sub(page as u16);
        }
        Action::PageDown => navigate(app, |w, b| w.move_by(b, page)),
        Action::PageUp => navigate(app, |w, b| w.move_by(b, -page)),
        Action::First => navigate(app, |w, b| w.first(b)),
        Action::Last => navigate(app, |w, b| w.last(b)),
        Action::Accept => decide(app, Decision::Accept, None),
        Action::Defer => decide(app, Decision::Defer, None),
        Action::Reject => match app.selected() {
            None => app.info(t("console.status.queue_empty")),
            Some(row) if row.status != crate::domain::decision::CaseStatus::Open => {
                app.info(t("console.status.already_decided"));
            }
            Some(_) => app.popup = Some(Popup::Reason),
        },
        Action::Note => open_editor(app),
        Action::Undo => undo(app),
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
        Action::Detail => {
            app.view = match app.view {
                View::Queue => View::FullDetail,
                View::FullDetail => View::Queue,
            };
            app.detail_scroll = 0;
        }
        Action::Back => app.view = View::Queue,
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
            if app.selected().map(|r| r.case_id) != before || app.detail.is_none() {
                app.load_detail();
            }
        }
        Err(e) => app.fail(&e),
    }
}

/// Writes a decision, then shows the next case. A failed write leaves everything in place.
fn decide(app: &mut App, decision: Decision, reason: Option<&str>) {
    let Some(row) = app.selected().cloned() else {
        return app.info(t("console.status.queue_empty"));
    };
    let screen_row = app.window.cursor() - app.window.top().min(app.window.cursor());
    if let Err(e) = app.backend.decide(row.case_id, decision, reason) {
        if matches!(e, crate::store::StoreError::AlreadyDecided { .. }) {
            // Someone else decided it meanwhile: show the queue as it is now, then say so.
            let _ = app.window.goto(&*app.backend, key_of(&row), screen_row);
            app.load_summary();
            app.load_detail();
        }
        return app.fail(&e);
    }
    // Open cases only: the decided case has left the queue, so the window read from its key
    // starts at the next case. With decided cases shown it stays, and the cursor steps past.
    let moved = app
        .window
        .goto(&*app.backend, key_of(&row), screen_row)
        .and_then(|()| {
            if app.window.include_decided()
                && app.selected().is_some_and(|r| r.case_id == row.case_id)
            {
                app.window.move_by(&*app.backend, 1)
            } else {
                Ok(())
            }
        });
    app.load_summary();
    app.load_detail();
    let household = sanitize(&row.household).into_owned();
    let template = match decision {
        Decision::Accept => t("console.status.accepted"),
        Decision::Reject => t("console.status.rejected"),
        Decision::Defer => t("console.status.deferred"),
    };
    let reason_label = reason
        .map(|code| app_reason_label(app, code))
        .unwrap_or_default();
    app.info(
        template
            .replace("{household}", &household)
            .replace("{reason}", &reason_label),
    );
    if let Err(e) = moved {
        app.fail(&e);
    }
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
            .map(|r| r.code.clone())
        {
            Some(code) => decide(app, Decision::Reject, Some(&code)),
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

fn open_editor(app: &mut App) {
    let Some(row) = app.selected() else {
        return app.info(t("console.status.queue_empty"));
    };
    let mut editor = TextArea::default();
    editor.set_cursor_line_style(Style::new());
    editor.set_placeholder_text(t("console.note.placeholder"));
    editor.set_placeholder_style(app.theme.dim());
    let title = t("console.note.title").replace("{household}", &sanitize(&row.household));
    editor.set_block(ui::note::editor_block(app, title));
    app.popup = Some(Popup::Note(Box::new(editor)));
}

fn note_editor(app: &mut App, mut editor: Box<TextArea<'static>>, action: Action) {
    match action {
        Action::EditorKey(key) => {
            type_key(&mut editor, key);
            app.popup = Some(Popup::Note(editor));
        }
        Action::SaveNote => {
            let text = editor.lines().join("\n");
            let Some(case_id) = app.selected().map(|r| r.case_id) else {
                return app.info(t("console.status.queue_empty"));
            };
            if text.trim().is_empty() {
                return app.info(t("console.status.note_empty"));
            }
            match app.backend.note(case_id, text.trim_end()) {
                Ok(_) => {
                    app.load_detail();
                    app.info(t("console.status.note_saved"));
                }
                Err(e) => {
                    // Keep the editor and its text: a failed save must not lose the note.
                    app.popup = Some(Popup::Note(editor));
                    app.fail(&e);
                }
            }
        }
        Action::Cancel => app.info(t("console.status.note_discarded")),
        _ => app.popup = Some(Popup::Note(editor)),
    }
}

/// A typed character goes in as the note will later be shown, as paste does: a terminal
/// without bracketed paste delivers a paste as key presses, bidi overrides and all, and the
/// text area draws no cell for them, so the note would hide them until it was saved.
fn type_key(editor: &mut TextArea<'static>, key: KeyEvent) {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    if let (KeyCode::Char(c), true) = (key.code, plain)
        && let std::borrow::Cow::Owned(escaped) = sanitize(c.encode_utf8(&mut [0; 4]))
    {
        editor.insert_str(escaped);
        return;
    }
    editor.input(key);
}

/// Pasted text goes into an open note editor, made safe first; anywhere else it is ignored,
/// so a paste can never fire hotkeys.
fn paste(app: &mut App, text: &str) {
    match &mut app.popup {
        Some(Popup::Note(editor)) => {
            let normalised = text
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .replace('\t', "    ");
            let safe: Vec<String> = normalised
                .split('\n')
                .map(|l| sanitize(l).into_owned())
                .collect();
            editor.insert_str(safe.join("\n"));
        }
        _ => app.info(t("console.status.paste_ignored")),
    }
}

fn undo(app: &mut App) {
    let undone = match app.backend.undo_last() {
        Ok(Some(u)) => u,
        Ok(None) => return app.info(t("console.status.nothing_to_undo")),
        Err(e) => return app.fail(&e),
    };
    // The case is open again: select it, wherever it is in the queue.
    let rank = match app.backend.detail(undone.case_id) {
        Ok(d) => d.ranking.map(|r| r.rank).unwrap_or(i64::MAX),
        Err(e) => return app.fail(&e),
    };
    let key = super::backend::QueueKey {
        rank,
        case_id: undone.case_id,
    };
    let screen_row = app.window.cursor() - app.window.top().min(app.window.cursor());
    let moved = app.window.goto(&*app.backend, key, screen_row);
    app.load_summary();
    app.load_detail();
    let decision = t(&format!("console.decision.{}", undone.decision.as_code()));
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
