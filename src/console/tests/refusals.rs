//! What a decision key does when the decision cannot be made, and what the refusal says:
//! checked before "are you sure?" (so no prompt is shown or logged for it), naming the
//! household as the screen does, and for a rejection that needs a note, the note first.

use super::judging::{decisions, open_timed, prompts};
use super::{esc, keys, press_key};
use crate::console::app::{Popup, StatusKind};
use crate::console::testing::Write;
use crate::domain::decision::Decision;
use crossterm::event::{KeyCode, KeyModifiers};

fn error_text(app: &crate::console::App) -> String {
    let status = app.status().expect("a refusal shows");
    assert_eq!(status.kind, StatusKind::Error, "{status:?}");
    status.text.clone()
}

#[test]
fn a_case_someone_else_holds_is_refused_before_are_you_sure() {
    let (mut app, fake, _clock) = open_timed(5);
    let case = app.selected().unwrap().case_id;
    let household = app.selected().unwrap().household.clone();
    fake.hold(case, "bram", "2026-11-27T10:05:00Z");
    // Within the five seconds that would ask: every decision key is refused at once.
    for key in ["a", "d", "r"] {
        keys(&mut app, key);
        assert!(app.popup().is_none(), "{key}: nothing opens");
        let text = error_text(&app);
        assert!(
            text.contains(&format!("{household} is being handled by bram")),
            "{key}: {text}"
        );
        assert!(
            !text.contains(&format!("case {case}")),
            "{key}: the household, not the case number: {text}"
        );
    }
    assert_eq!(
        prompts(&fake),
        0,
        "no prompt for a decision that could not be made"
    );
    assert!(decisions(&fake).is_empty());
}

#[test]
fn a_decision_waiting_for_someone_elses_signature_says_who_and_what_to_do() {
    let (mut app, fake, _clock) = open_timed(5);
    let case = app.selected().unwrap().case_id;
    let household = app.selected().unwrap().household.clone();
    fake.wait_for_signature(case, "bram", Decision::Accept);
    keys(&mut app, "t");
    while app.selected().unwrap().case_id != case {
        keys(&mut app, "j");
    }
    keys(&mut app, "a");
    let text = error_text(&app);
    assert!(
        text.contains(&format!(
            "{household} waits for a second signature on bram's decision"
        )),
        "{text}"
    );
    assert!(text.contains("Ask a senior of the team, or wait"), "{text}");
    assert!(
        !text.contains("undo"),
        "the reader cannot undo bram's decision: {text}"
    );
    assert_eq!(prompts(&fake), 0);
}

#[test]
fn rejecting_for_another_reason_needs_a_note_and_records_both() {
    let (mut app, fake, clock) = open_timed(5);
    clock.advance(std::time::Duration::from_secs(30));
    let case = app.selected().unwrap().case_id;
    keys(&mut app, "r9");
    assert!(matches!(app.popup(), Some(Popup::RejectNote(code, _)) if code == "other"));
    // Saving an empty note records nothing and keeps the editor.
    press_key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(matches!(app.popup(), Some(Popup::RejectNote(..))));
    assert!(fake.writes().is_empty());
    keys(&mut app, "moved abroad");
    press_key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(app.popup().is_none());
    assert_eq!(
        fake.writes(),
        vec![
            Write::Note {
                case_id: case,
                text: "moved abroad".into()
            },
            Write::Decision {
                case_id: case,
                decision: Decision::Reject,
                reason: Some("other".into())
            }
        ]
    );
    // Esc in the editor rejects nothing.
    keys(&mut app, "r9x");
    esc(&mut app);
    assert_eq!(decisions(&fake).len(), 1);
}
