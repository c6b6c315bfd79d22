//! The two text editors: a note on the case, and the note that goes with sending a decision
//! back. Keys type text there; only the editor's save and cancel keys act, and pasted text
//! is made safe before it lands.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Style;
use ratatui_textarea::TextArea;

use super::action::Action;
use super::app::{App, Popup};
use super::{casework, ui};
use crate::domain::text::sanitize;
use crate::i18n::t;

/// A fresh editor with a title and a placeholder, in the console's style.
fn editor(app: &App, title: String, placeholder: &str, save: &str) -> Box<TextArea<'static>> {
    let mut editor = TextArea::default();
    editor.set_cursor_line_style(Style::new());
    editor.set_placeholder_text(placeholder);
    editor.set_placeholder_style(app.theme.dim());
    editor.set_block(ui::note::editor_block(app, title, save));
    Box::new(editor)
}

pub(super) fn open_note(app: &mut App) {
    let Some(row) = app.selected() else {
        return app.info(t("console.status.queue_empty"));
    };
    let title = t("console.note.title").replace("{household}", &sanitize(&row.household));
    app.popup = Some(Popup::Note(editor(
        app,
        title,
        t("console.note.placeholder"),
        t("keys.save"),
    )));
}

/// The send-back editor, titled with the household and whose decision goes back.
pub(super) fn open_send_back(app: &mut App, household: &str, decided_by: &str) {
    let title = t("console.send_back.title")
        .replace("{household}", &sanitize(household))
        .replace("{reviewer}", &sanitize(decided_by));
    app.popup = Some(Popup::SendBack(editor(
        app,
        title,
        t("console.send_back.placeholder"),
        t("keys.send_back"),
    )));
}

/// The note a rejection for "other" needs, titled with the household and the reason.
pub(super) fn open_reject_note(app: &mut App, reason: String) {
    let Some(row) = app.selected() else {
        return app.info(t("console.status.queue_empty"));
    };
    let label = app
        .reasons
        .iter()
        .find(|r| r.code == reason)
        .map(|r| {
            if crate::i18n::lang() == crate::i18n::Lang::Nl {
                &r.nl
            } else {
                &r.en
            }
        })
        .map(|l| sanitize(l).into_owned())
        .unwrap_or_else(|| sanitize(&reason).into_owned());
    let title = t("console.reject_note.title")
        .replace("{household}", &sanitize(&row.household))
        .replace("{reason}", &label);
    app.popup = Some(Popup::RejectNote(
        reason,
        editor(
            app,
            title,
            t("console.reject_note.placeholder"),
            t("keys.reject_with_note"),
        ),
    ));
}

/// Saving records the note and the rejection together; an empty note records nothing and
/// keeps the editor open, as the reason needs one.
pub(super) fn reject_note_editor(
    app: &mut App,
    reason: String,
    mut editor: Box<TextArea<'static>>,
    action: Action,
) {
    match action {
        Action::EditorKey(key) => {
            type_key(&mut editor, key);
            app.popup = Some(Popup::RejectNote(reason, editor));
        }
        Action::SaveNote => {
            let text = editor.lines().join("\n");
            if text.trim().is_empty() {
                app.popup = Some(Popup::RejectNote(reason, editor));
                return app.info(t("console.status.reject_note_empty"));
            }
            super::update::decide(
                app,
                crate::domain::decision::Decision::Reject,
                Some(&reason),
                Some(text.trim_end()),
            );
            // A refused or failed write keeps the editor and its text.
            if app
                .status
                .as_ref()
                .is_some_and(|s| s.kind == super::app::StatusKind::Error)
            {
                app.popup = Some(Popup::RejectNote(reason, editor));
            }
        }
        Action::Cancel => app.info(t("console.status.reject_cancelled")),
        _ => app.popup = Some(Popup::RejectNote(reason, editor)),
    }
}

pub(super) fn note_editor(app: &mut App, mut editor: Box<TextArea<'static>>, action: Action) {
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

pub(super) fn send_back_editor(app: &mut App, mut editor: Box<TextArea<'static>>, action: Action) {
    match action {
        Action::EditorKey(key) => {
            type_key(&mut editor, key);
            app.popup = Some(Popup::SendBack(editor));
        }
        Action::SaveNote => {
            let text = editor.lines().join("\n");
            let note = Some(text.trim_end()).filter(|t| !t.trim().is_empty());
            if let Err(e) = casework::send_back(app, note) {
                // Keep the editor and its text: a refused send-back must not lose the note.
                app.popup = Some(Popup::SendBack(editor));
                app.fail(&e);
            }
        }
        Action::Cancel => app.info(t("console.status.send_back_cancelled")),
        _ => app.popup = Some(Popup::SendBack(editor)),
    }
}

/// Pasted text goes into an open editor, made safe first; anywhere else it is ignored, so a
/// paste can never fire hotkeys.
pub(super) fn paste(app: &mut App, text: &str) {
    match &mut app.popup {
        Some(Popup::Note(editor) | Popup::SendBack(editor) | Popup::RejectNote(_, editor)) => {
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
