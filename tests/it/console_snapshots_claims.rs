//! Working alongside others, on the fake backend at 80x24 and 120x40: a case someone else
//! has open, personal data before and after `v`, and the four-eyes rule (a decision that
//! waits, the to-sign queue, confirming, sending back, and refusing one's own decision).
//! Each test checks the screen and what was written, so a console that shows the right
//! words but writes the wrong thing (or the reverse) fails.

use crate::common;

use chrono::NaiveDate;
use common::console::{press, screen};
use crossterm::event::Event;
use oordeel::console::testing::{FakeBackend, FakeHandle, Write};
use oordeel::console::{App, ConsoleOptions, handle_event};
use oordeel::domain::decision::{CaseStatus, Decision};
use oordeel::domain::role::Role;
use oordeel::i18n::{Lang, set_lang};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The fake's first cases: 1000 (ranked 1, eviction threatened), 1001, 1002, ...
const TOP: i64 = 1000;
/// bram's claim lasts until 10:05 (UTC, as the tests run in).
const UNTIL: &str = "2026-11-27T10:05:00Z";

fn today() -> NaiveDate {
    "2026-11-27".parse().unwrap()
}

/// A console for `user` in `role`, the fake set up by `setup` before it opens.
fn open(
    user: &str,
    role: Role,
    setup: impl FnOnce(&FakeHandle),
    width: u16,
    height: u16,
) -> (App, FakeHandle) {
    set_lang(Lang::En);
    let (backend, fake) = FakeBackend::new_as(40, today(), user, role);
    setup(&fake);
    let mut app = App::new(Box::new(backend), ConsoleOptions::new(today())).unwrap();
    handle_event(&mut app, Event::Resize(width, height));
    (app, fake)
}

fn decisions(fake: &FakeHandle) -> Vec<Write> {
    fake.writes()
        .into_iter()
        .filter(|w| {
            matches!(
                w,
                Write::Decision { .. } | Write::Signed { .. } | Write::SentBack { .. }
            )
        })
        .collect()
}

#[test]
fn a_case_someone_else_has_open_is_marked_and_refused() {
    for (w, h) in SIZES {
        let (mut app, fake) = open(
            "anna",
            Role::Reviewer,
            |f| {
                f.hold(TOP, "bram", UNTIL);
                f.hold(TOP + 2, "carla", UNTIL);
            },
            w,
            h,
        );
        press(&mut app, "a");
        let shown = screen(&app, w, h);
        insta::assert_snapshot!(format!("held_refused_{w}x{h}"), shown);
        assert!(
            shown.contains("being handled by bram until 10:05"),
            "{shown}"
        );
        assert!(
            shown.contains("● carla"),
            "the other held row is marked: {shown}"
        );
        assert!(decisions(&fake).is_empty(), "nothing decided");
        assert_eq!(fake.status_of(TOP), CaseStatus::Open);
        // `r` is refused before the reason picker opens, so no reason is picked in vain.
        press(&mut app, "r");
        assert!(app.popup().is_none());
        assert!(app.status().unwrap().text.contains("bram"));
        // Once bram leaves, the same key decides.
        fake.let_go(TOP);
        press(&mut app, "a");
        assert_eq!(decisions(&fake).len(), 1);
    }
}

#[test]
fn ascii_marks_held_cases_with_an_at_sign() {
    set_lang(Lang::En);
    let (backend, fake) = FakeBackend::new(40, today());
    fake.hold(TOP + 1, "bram", UNTIL);
    let mut options = ConsoleOptions::new(today());
    options.ascii = true;
    options.no_color = true;
    let mut app = App::new(Box::new(backend), options).unwrap();
    handle_event(&mut app, Event::Resize(80, 24));
    press(&mut app, "j");
    let shown = screen(&app, 80, 24);
    insta::assert_snapshot!("held_ascii_80x24", shown);
    assert!(shown.contains("@ bram"), "{shown}");
}

#[test]
fn personal_data_shows_only_after_v_and_only_on_that_case() {
    for (w, h) in SIZES {
        let (mut app, fake) = open("anna", Role::Reviewer, |_| {}, w, h);
        let before = screen(&app, w, h);
        insta::assert_snapshot!(format!("reveal_before_{w}x{h}"), before);
        assert!(before.contains("personal data hidden"));
        assert!(!before.contains("BSN"));
        press(&mut app, "v");
        let after = screen(&app, w, h);
        insta::assert_snapshot!(format!("reveal_after_{w}x{h}"), after);
        assert!(
            after.contains("Fatma Yılmaz") && after.contains("BSN "),
            "{after}"
        );
        assert_eq!(fake.writes(), [Write::Reveal { case_id: TOP }]);
        // A second `v` on the same case logs nothing more.
        press(&mut app, "v");
        assert_eq!(fake.writes().len(), 1);
        // Leaving the case hides it again, also on coming back.
        press(&mut app, "j k");
        let back = screen(&app, w, h);
        assert!(!back.contains("Fatma"), "{back}");
        assert!(back.contains("personal data hidden"));
    }
}

#[test]
fn revealed_text_is_made_safe_and_shown_in_full_detail() {
    let (mut app, _) = open("anna", Role::Reviewer, |_| {}, 120, 40);
    // Case 1002's name carries an OSC sequence that would retitle the terminal.
    press(&mut app, "j j v <enter>");
    let shown = screen(&app, 120, 40);
    insta::assert_snapshot!("reveal_full_detail_120x40", shown);
    assert!(shown.contains("Priya\\x1b]0;owned\\x07 Ramdin"), "{shown}");
    assert!(!shown.contains('\x1b'));
}

#[test]
fn an_auditor_gets_the_refusal_and_no_reveal_is_written() {
    let (mut app, fake) = open("ilse", Role::Auditor, |_| {}, 80, 24);
    press(&mut app, "v");
    let shown = screen(&app, 80, 24);
    insta::assert_snapshot!("reveal_auditor_80x24", shown);
    assert!(
        shown.contains("ilse (auditor) may not see personal data"),
        "{shown}"
    );
    assert!(fake.writes().is_empty());
}

#[test]
fn a_decision_the_four_eyes_rule_catches_says_it_waits() {
    for (w, h) in SIZES {
        let (mut app, fake) = open("anna", Role::Reviewer, |f| f.state().four_eyes = true, w, h);
        press(&mut app, "a");
        let shown = screen(&app, w, h);
        insta::assert_snapshot!(format!("decided_to_sign_{w}x{h}"), shown);
        assert!(
            shown.contains("needs a senior's signature (eviction or cut-off threatened)"),
            "{shown}"
        );
        assert!(shown.contains("1 to sign"), "the header counts it: {shown}");
        assert_eq!(fake.status_of(TOP), CaseStatus::ToSign);
    }
}

/// carla (senior) with two decisions waiting: anna's accept of 1001 and bram's rejection of
/// 1003.
fn senior(w: u16, h: u16) -> (App, FakeHandle) {
    open(
        "carla",
        Role::Senior,
        |f| {
            f.wait_for_signature(TOP + 1, "anna", Decision::Accept);
            f.wait_for_signature(TOP + 3, "bram", Decision::Reject);
        },
        w,
        h,
    )
}

#[test]
fn the_to_sign_queue_shows_who_decided_what() {
    for (w, h) in SIZES {
        let (mut app, _) = senior(w, h);
        assert!(screen(&app, w, h).contains("2 to sign"));
        press(&mut app, "f");
        let shown = screen(&app, w, h);
        insta::assert_snapshot!(format!("to_sign_queue_{w}x{h}"), shown);
        assert!(app.showing_to_sign());
        assert_eq!(app.rows().len(), 2);
        assert!(shown.contains("by anna"), "{shown}");
        assert!(shown.contains("c confirm"), "{shown}");
    }
}

#[test]
fn a_senior_confirms_with_one_key() {
    for (w, h) in SIZES {
        let (mut app, fake) = senior(w, h);
        press(&mut app, "f c");
        let shown = screen(&app, w, h);
        insta::assert_snapshot!(format!("to_sign_confirmed_{w}x{h}"), shown);
        assert_eq!(decisions(&fake), [Write::Signed { case_id: TOP + 1 }]);
        assert_eq!(fake.status_of(TOP + 1), CaseStatus::Accepted);
        assert!(shown.contains("anna's decision stands: accept"), "{shown}");
        // The next waiting decision is on screen now.
        assert_eq!(app.selected().unwrap().case_id, TOP + 3);
    }
}

#[test]
fn a_senior_sends_back_with_a_note() {
    for (w, h) in SIZES {
        let (mut app, fake) = senior(w, h);
        press(&mut app, "f b Call <space> first.");
        insta::assert_snapshot!(format!("send_back_editor_{w}x{h}"), screen(&app, w, h));
        assert!(decisions(&fake).is_empty(), "nothing sent before Ctrl-S");
        press(&mut app, "<c-s>");
        let shown = screen(&app, w, h);
        insta::assert_snapshot!(format!("sent_back_{w}x{h}"), shown);
        assert_eq!(
            decisions(&fake),
            [Write::SentBack {
                case_id: TOP + 1,
                note: Some("Call first.".into())
            }]
        );
        assert_eq!(fake.status_of(TOP + 1), CaseStatus::Open);
        assert!(shown.contains("sent back to anna"), "{shown}");
    }
}

#[test]
fn nobody_signs_their_own_decision() {
    for (w, h) in SIZES {
        let (mut app, fake) = open(
            "carla",
            Role::Senior,
            |f| f.wait_for_signature(TOP + 1, "carla", Decision::Accept),
            w,
            h,
        );
        press(&mut app, "f c");
        let shown = screen(&app, w, h);
        insta::assert_snapshot!(format!("own_decision_refused_{w}x{h}"), shown);
        assert!(shown.contains("you made this decision yourself"), "{shown}");
        // Sending back is refused before any note is typed.
        press(&mut app, "b");
        assert!(app.popup().is_none());
        assert!(app.status().unwrap().text.contains("yourself"));
        assert!(decisions(&fake).is_empty());
        assert_eq!(fake.status_of(TOP + 1), CaseStatus::ToSign);
    }
}

#[test]
fn a_reviewer_cannot_sign_and_is_told_so() {
    let (mut app, fake) = open(
        "bram",
        Role::Reviewer,
        |f| f.wait_for_signature(TOP + 1, "anna", Decision::Accept),
        80,
        24,
    );
    press(&mut app, "f c");
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("may not sign"), "{shown}");
    assert!(
        !shown.contains("c confirm"),
        "no confirm key for a reviewer: {shown}"
    );
    assert!(decisions(&fake).is_empty());
}
