//! Judge-first mode and the "are you sure?" prompt, on the fake backend with a manual clock.

use std::time::Duration;

use super::{esc, keys, press_key, today};
use crate::console::app::Popup;
use crate::console::clock::{Clock, ManualClock};
use crate::console::testing::{FakeBackend, FakeHandle, Write};
use crate::console::{App, ConsoleOptions, update};
use crate::domain::decision::Decision;
use crate::domain::judge_first::{InitialJudgment, JudgeFirstScope};
use crate::i18n::{Lang, set_lang};
use crossterm::event::{KeyCode, KeyModifiers};

/// A console that asks about decisions within 5 s of opening, on a clock the test moves.
pub(super) fn open_timed(n: usize) -> (App, FakeHandle, ManualClock) {
    set_lang(Lang::En);
    let (backend, handle) = FakeBackend::new(n, today());
    let (clock, hand) = Clock::manual();
    let options = ConsoleOptions {
        confirm_within: Some(Duration::from_secs(5)),
        clock,
        ..ConsoleOptions::new(today())
    };
    let mut app = App::new(Box::new(backend), options).unwrap();
    update(&mut app, crate::console::Action::Resize(120, 40));
    (app, handle, hand)
}

pub(super) fn decisions(fake: &FakeHandle) -> Vec<Write> {
    fake.writes()
        .into_iter()
        .filter(|w| matches!(w, Write::Decision { .. }))
        .collect()
}

pub(super) fn prompts(fake: &FakeHandle) -> usize {
    fake.writes()
        .iter()
        .filter(|w| matches!(w, Write::QuickPrompt { .. }))
        .count()
}

#[test]
fn a_quick_accept_asks_once_and_the_same_key_records_it() {
    let (mut app, fake, clock) = open_timed(5);
    let first = app.selected().unwrap().case_id;
    clock.advance(Duration::from_secs(2));
    keys(&mut app, "a");
    assert!(matches!(app.popup(), Some(Popup::Confirm(p)) if p.case_id == first));
    assert!(decisions(&fake).is_empty(), "nothing recorded yet");
    assert_eq!(
        fake.writes(),
        vec![Write::QuickPrompt {
            case_id: first,
            decision: Decision::Accept
        }]
    );
    // Nothing is pre-selected: Enter and other keys leave the question standing.
    press_key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    keys(&mut app, "rdy");
    assert!(matches!(app.popup(), Some(Popup::Confirm(_))));
    assert!(decisions(&fake).is_empty());
    keys(&mut app, "a");
    assert!(app.popup().is_none());
    assert_eq!(
        decisions(&fake),
        vec![Write::Decision {
            case_id: first,
            decision: Decision::Accept,
            reason: None
        }]
    );
    assert_eq!(prompts(&fake), 1);
}

#[test]
fn esc_records_nothing_and_the_question_is_not_asked_twice() {
    let (mut app, fake, _clock) = open_timed(5);
    let first = app.selected().unwrap().case_id;
    keys(&mut app, "r1");
    assert!(
        matches!(app.popup(), Some(Popup::Confirm(p)) if p.reason.as_deref() == Some("already_in_care"))
    );
    esc(&mut app);
    assert!(app.popup().is_none());
    assert!(decisions(&fake).is_empty());
    assert!(app.status().unwrap().text.contains("nothing recorded"));
    // Asked once per opening: the reviewer looked again and decides.
    keys(&mut app, "r1");
    assert_eq!(
        decisions(&fake),
        vec![Write::Decision {
            case_id: first,
            decision: Decision::Reject,
            reason: Some("already_in_care".into())
        }]
    );
    assert_eq!(prompts(&fake), 1);
}

#[test]
fn a_decision_after_the_limit_and_any_deferral_go_straight_through() {
    let (mut app, fake, clock) = open_timed(5);
    clock.advance(Duration::from_secs(6));
    keys(&mut app, "a");
    assert!(app.popup().is_none());
    assert_eq!(decisions(&fake).len(), 1);
    // The next case opened just now: a deferral is still not asked about.
    keys(&mut app, "d");
    assert_eq!(decisions(&fake).len(), 2);
    assert_eq!(prompts(&fake), 0);
    // But an accept on the case after it is.
    keys(&mut app, "a");
    assert_eq!(prompts(&fake), 1);
}

#[test]
fn without_a_limit_nothing_is_asked() {
    let (mut app, fake) = super::open(5, 120, 40);
    keys(&mut app, "a");
    assert_eq!(decisions(&fake).len(), 1);
    assert_eq!(prompts(&fake), 0);
}

#[test]
fn judge_first_hides_the_model_until_the_reviewers_own_judgment() {
    let (mut app, fake) = super::open(30, 120, 40);
    fake.state().team_judge_first = true;
    // The team's setting shows from the next read (the minute tick), and cannot be undone.
    update(&mut app, crate::console::Action::Tick);
    assert_eq!(app.summary().judge_first, Some(JudgeFirstScope::Team));
    keys(&mut app, "J");
    assert!(
        super::is_error(&app),
        "the team's setting cannot be turned off"
    );
    fake.state().team_judge_first = false;
    update(&mut app, crate::console::Action::Tick);
    keys(&mut app, "J");
    assert_eq!(app.summary().judge_first, Some(JudgeFirstScope::Own));
    // Arrival order, no rank or chance anywhere.
    assert!(
        app.rows()
            .iter()
            .all(|r| r.rank.is_none() && r.probability.is_none())
    );
    let ranked_first = 1000;
    assert_ne!(app.selected().unwrap().case_id, ranked_first);
    let case = app.selected().unwrap().case_id;
    let d = app.detail().unwrap();
    assert!(d.explanation.is_none() && d.ranking.is_none());
    // The full view before judging shows no explanation, so none is logged as seen.
    super::press_key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(fake.explained().is_empty());
    super::press_key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    // Deciding first is refused in the console (and by the store).
    keys(&mut app, "a");
    assert!(decisions(&fake).is_empty());
    assert!(
        app.status()
            .unwrap()
            .text
            .contains("First your own judgment")
    );
    keys(&mut app, "1");
    assert!(
        app.detail().unwrap().explanation.is_some(),
        "shown after judging"
    );
    assert_eq!(
        app.detail().unwrap().judge_first.unwrap().initial,
        Some(InitialJudgment::NeedsHelp)
    );
    // A second judgment of the same case is refused.
    keys(&mut app, "2");
    assert!(super::is_error(&app));
    keys(&mut app, "r1");
    assert_eq!(
        decisions(&fake),
        vec![Write::Decision {
            case_id: case,
            decision: Decision::Reject,
            reason: Some("already_in_care".into())
        }]
    );
    // The next case is hidden again until judged.
    assert!(app.detail().unwrap().explanation.is_none());
    // Off again: ranked order, scores back.
    keys(&mut app, "J");
    assert_eq!(app.summary().judge_first, None);
    assert_eq!(app.selected().unwrap().rank, Some(1));
    assert!(app.detail().unwrap().explanation.is_some());
}

#[test]
fn judgments_are_refused_outside_judge_first_mode() {
    let (mut app, fake) = super::open(5, 120, 40);
    keys(&mut app, "1");
    assert!(fake.writes().is_empty());
    assert!(
        app.status()
            .unwrap()
            .text
            .contains("not working judge-first")
    );
}

#[test]
fn o_reads_the_queue_nearest_deadline_first_and_back() {
    let (mut app, fake) = super::open(60, 120, 40);
    keys(&mut app, "o");
    assert!(app.showing_by_deadline());
    let due: Vec<_> = app
        .rows()
        .iter()
        .map(|r| (r.deadline_on, r.case_id))
        .collect();
    assert!(due.windows(2).all(|w| w[0] <= w[1]), "{due:?}");
    assert!(due[0].0 < today(), "overdue cases first");
    assert!(
        app.rows().iter().all(|r| r.probability.is_some()),
        "scores stay"
    );
    // A decision and its undo keep the deadline order.
    let first = app.selected().unwrap().case_id;
    keys(&mut app, "a");
    keys(&mut app, "u");
    assert_eq!(app.selected().unwrap().case_id, first);
    assert!(
        fake.writes()
            .iter()
            .any(|w| matches!(w, Write::Retract { .. }))
    );
    keys(&mut app, "o");
    assert!(!app.showing_by_deadline());
    assert_eq!(app.selected().unwrap().rank, Some(1));
}
