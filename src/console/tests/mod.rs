//! `update()` tests against the in-memory fake backend: what each key does to the state and
//! what it writes, including failures, paste, undo and paging through a large queue.

use chrono::NaiveDate;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

mod claims;
mod elsewhere;
mod judging;
mod paging;
mod refusals;

use super::app::{Popup, StatusKind};
use super::testing::{FakeBackend, FakeHandle, Write};
use super::*;
use crate::domain::decision::{CaseStatus, Decision};
use crate::i18n::{Lang, set_lang};

pub(super) fn today() -> NaiveDate {
    "2026-11-27".parse().unwrap()
}

pub(super) fn open(n: usize, width: u16, height: u16) -> (App, FakeHandle) {
    set_lang(Lang::En);
    let (backend, handle) = FakeBackend::new(n, today());
    let mut app = App::new(Box::new(backend), ConsoleOptions::new(today())).unwrap();
    update(&mut app, Action::Resize(width, height));
    (app, handle)
}

pub(super) fn press_key(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    handle_event(
        app,
        Event::Key(KeyEvent::new_with_kind(
            code,
            modifiers,
            KeyEventKind::Press,
        )),
    );
}

/// Types each character as a key press.
pub(super) fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let modifiers = if c.is_ascii_uppercase() {
            KeyModifiers::SHIFT
        } else {
            KeyModifiers::NONE
        };
        press_key(app, KeyCode::Char(c), modifiers);
    }
}

pub(super) fn esc(app: &mut App) {
    press_key(app, KeyCode::Esc, KeyModifiers::NONE);
}

pub(super) fn selected(app: &App) -> (i64, i64) {
    let r = app.selected().expect("a case is selected");
    (r.case_id, r.rank.unwrap())
}

pub(super) fn is_error(app: &App) -> bool {
    app.status().is_some_and(|s| s.kind == StatusKind::Error)
}

#[test]
fn accept_moves_on_and_the_case_leaves_the_queue() {
    let (mut app, fake) = open(20, 120, 40);
    let (first, _) = selected(&app);
    let second = app.rows()[1].case_id;
    let open_before = app.summary().open;
    keys(&mut app, "a");
    assert_eq!(
        fake.writes(),
        vec![Write::Decision {
            case_id: first,
            decision: Decision::Accept,
            reason: None
        }]
    );
    assert_eq!(selected(&app).0, second);
    assert!(app.rows().iter().all(|r| r.case_id != first));
    assert_eq!(app.summary().open, open_before - 1);
    assert_eq!(app.summary().decided_today, 1);
    assert_eq!(app.detail().unwrap().case_id, second);
    keys(&mut app, "d");
    assert_eq!(fake.status_of(second), CaseStatus::Deferred);
}

#[test]
fn reject_takes_a_reason_and_escape_writes_nothing() {
    let (mut app, fake) = open(20, 120, 40);
    let (first, _) = selected(&app);
    keys(&mut app, "r");
    assert!(matches!(app.popup(), Some(Popup::Reason)));
    esc(&mut app);
    assert!(app.popup().is_none());
    assert!(fake.writes().is_empty());
    assert_eq!(selected(&app).0, first);

    keys(&mut app, "rx");
    assert!(
        matches!(app.popup(), Some(Popup::Reason)),
        "an unknown key keeps the picker open"
    );
    // Hotkeys do not fire inside the picker.
    keys(&mut app, "a");
    assert!(fake.writes().is_empty());
    keys(&mut app, "2");
    assert_eq!(
        fake.writes(),
        vec![Write::Decision {
            case_id: first,
            decision: Decision::Reject,
            reason: Some("resolved".into())
        }]
    );
    assert!(app.popup().is_none());
    assert_ne!(selected(&app).0, first);
    assert!(
        app.status()
            .unwrap()
            .text
            .contains("Arrears already resolved")
    );
}

#[test]
fn a_failed_write_shows_the_error_and_stays_put() {
    let (mut app, fake) = open(20, 120, 40);
    let (first, _) = selected(&app);
    fake.set_fail_writes(true);
    for k in ["a", "d", "r1", "u"] {
        keys(&mut app, k);
        assert!(is_error(&app), "{k}: {:?}", app.status());
        assert!(app.status().unwrap().text.contains("simulated"));
        assert_eq!(selected(&app).0, first);
        assert!(app.rows().iter().any(|r| r.case_id == first));
    }
    assert!(fake.writes().is_empty());
    // The next key clears the error; once writes work again, the decision goes through.
    fake.set_fail_writes(false);
    keys(&mut app, "a");
    assert!(!is_error(&app));
    assert_eq!(fake.writes().len(), 1);
}

#[test]
fn a_failed_note_keeps_the_editor_and_its_text() {
    let (mut app, fake) = open(5, 120, 40);
    keys(&mut app, "nkeep me");
    fake.set_fail_writes(true);
    press_key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(is_error(&app));
    assert_eq!(app.note_text().as_deref(), Some("keep me"));
    fake.set_fail_writes(false);
    press_key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(app.note_text().is_none());
    assert_eq!(fake.writes().len(), 1);
}

#[test]
fn notes_save_with_ctrl_s_and_cancel_with_escape() {
    let (mut app, fake) = open(5, 120, 40);
    let (case_id, _) = selected(&app);
    let notes_before = app.detail().unwrap().notes.len();
    keys(&mut app, "n");
    assert!(matches!(app.popup(), Some(Popup::Note(_))));
    // Keys type text: `a`, `q` and `u` are letters here, not hotkeys.
    keys(&mut app, "rang, quite upset");
    press_key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    keys(&mut app, "call back");
    press_key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(
        fake.writes(),
        vec![Write::Note {
            case_id,
            text: "rang, quite upset\ncall back".into()
        }]
    );
    assert!(app.popup().is_none());
    assert!(!app.should_quit());
    assert_eq!(selected(&app).0, case_id, "a note does not move on");
    assert_eq!(app.detail().unwrap().notes.len(), notes_before + 1);

    keys(&mut app, "nnever mind");
    esc(&mut app);
    assert!(app.popup().is_none());
    keys(&mut app, "n   ");
    press_key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(
        fake.writes().len(),
        1,
        "cancelled and blank notes are not written"
    );
}

#[test]
fn undo_brings_the_case_back_and_selects_it() {
    let (mut app, fake) = open(30, 120, 40);
    let (first, _) = selected(&app);
    keys(&mut app, "a");
    keys(&mut app, "jjj");
    assert_ne!(selected(&app).0, first);
    keys(&mut app, "u");
    assert_eq!(
        fake.writes().last(),
        Some(&Write::Retract { case_id: first })
    );
    assert_eq!(selected(&app).0, first);
    assert_eq!(app.detail().unwrap().case_id, first);
    assert_eq!(fake.status_of(first), CaseStatus::Open);
    assert!(app.status().unwrap().text.contains("Undone"));
    keys(&mut app, "u");
    assert_eq!(app.status().unwrap().text, "Nothing to undo.");
}

#[test]
fn paste_never_fires_a_hotkey() {
    let (mut app, fake) = open(5, 120, 40);
    let (first, _) = selected(&app);
    for text in ["a", "r1", "q", "u", "dddd", "\x1b"] {
        handle_event(&mut app, Event::Paste(text.into()));
    }
    assert!(fake.writes().is_empty());
    assert!(!app.should_quit());
    assert_eq!(selected(&app).0, first);
    assert!(app.popup().is_none());

    keys(&mut app, "n");
    handle_event(
        &mut app,
        Event::Paste("line one\r\nline two\x1b[2J a".into()),
    );
    assert_eq!(
        app.note_text().as_deref(),
        Some("line one\nline two\\x1b[2J a")
    );
    assert!(fake.writes().is_empty());
}

#[test]
fn only_key_presses_count() {
    let (mut app, fake) = open(5, 120, 40);
    for kind in [KeyEventKind::Release, KeyEventKind::Repeat] {
        let key = KeyEvent::new_with_kind(KeyCode::Char('a'), KeyModifiers::NONE, kind);
        assert!(!handle_event(&mut app, Event::Key(key)));
    }
    assert!(fake.writes().is_empty());
}

#[test]
fn quitting_ends_the_session_at_the_current_case() {
    let (mut app, fake) = open(5, 120, 40);
    keys(&mut app, "j");
    let (case_id, _) = selected(&app);
    keys(&mut app, "q");
    assert!(app.should_quit());
    assert_eq!(
        fake.writes(),
        vec![Write::EndSession {
            at_case: Some(case_id)
        }]
    );

    let (mut app, fake) = open(5, 120, 40);
    keys(&mut app, "n");
    press_key(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(app.should_quit(), "Ctrl-C quits even from the editor");
    assert_eq!(fake.writes().len(), 1);
}

#[test]
fn a_failed_session_end_is_reported_not_lost() {
    let (mut app, fake) = open(5, 120, 40);
    fake.set_fail_writes(true);
    keys(&mut app, "q");
    assert!(app.should_quit());
    assert!(app.take_exit_error().is_some());
}

#[test]
fn a_too_small_window_allows_no_decisions() {
    let (mut app, fake) = open(5, 60, 20);
    keys(&mut app, "ar1dn");
    assert!(fake.writes().is_empty());
    assert!(app.popup().is_none());
    update(&mut app, Action::Resize(80, 24));
    keys(&mut app, "a");
    assert_eq!(fake.writes().len(), 1);
}

#[test]
fn decided_cases_can_be_shown_and_are_not_decided_twice() {
    let (mut app, fake) = open(10, 120, 40);
    let (first, _) = selected(&app);
    keys(&mut app, "a");
    keys(&mut app, "t");
    assert!(app.showing_decided());
    let row = app
        .rows()
        .iter()
        .find(|r| r.case_id == first)
        .expect("decided case shown");
    assert_eq!(row.status, CaseStatus::Accepted);
    keys(&mut app, "g");
    assert_eq!(selected(&app).0, first);
    keys(&mut app, "r");
    assert!(app.popup().is_none(), "no reason picker for a decided case");
    keys(&mut app, "a");
    assert!(
        is_error(&app),
        "the backend refuses a second decision: {:?}",
        app.status()
    );
    assert_eq!(fake.writes().len(), 1);
    // With decided cases shown, a decision steps to the next row.
    keys(&mut app, "j");
    let (second, _) = selected(&app);
    keys(&mut app, "d");
    assert_eq!(fake.status_of(second), CaseStatus::Deferred);
    assert_ne!(selected(&app).0, second);
    keys(&mut app, "t");
    assert!(app.rows().iter().all(|r| r.status == CaseStatus::Open));
}

#[test]
fn help_and_full_detail_open_and_close() {
    let (mut app, fake) = open(5, 120, 40);
    keys(&mut app, "?");
    assert!(matches!(app.popup(), Some(Popup::Help)));
    keys(&mut app, "a");
    assert!(
        fake.writes().is_empty(),
        "keys under the help overlay do nothing"
    );
    esc(&mut app);
    assert!(app.popup().is_none());
    press_key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(app.view().is_full_detail());
    press_key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(app.view().is_queue());
    press_key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    esc(&mut app);
    assert!(app.view().is_queue());
}

#[test]
fn opening_the_full_view_is_logged_once_per_opening() {
    let (mut app, fake) = open(5, 120, 40);
    let (case_id, _) = selected(&app);
    assert!(
        fake.explained().is_empty(),
        "the queue view logs no explanation"
    );
    press_key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(app.view().is_full_detail());
    // Back to the queue is no second viewing; opening it again is.
    press_key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(fake.explained(), vec![case_id]);
    press_key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(fake.explained(), vec![case_id, case_id]);
}
