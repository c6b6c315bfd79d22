//! Claims from the console's side: each case landed on is opened once, the claim is renewed
//! by the minute tick (which redraws only when something changed), and leaving every case or
//! quitting frees it.

use super::*;

#[test]
fn each_case_landed_on_is_opened_once() {
    let (mut app, fake) = open(20, 120, 40);
    let first = selected(&app).0;
    assert_eq!(
        fake.opened(),
        [first],
        "the first case opens with the console"
    );
    assert!(fake.claimed(first));
    keys(&mut app, "j");
    let second = selected(&app).0;
    assert_eq!(fake.opened(), [first, second]);
    assert!(
        fake.claimed(second) && !fake.claimed(first),
        "one claim at a time"
    );
    // Reading the same case again is no new opening: a note, a resize, the help, a toggle.
    keys(&mut app, "nseen");
    press_key(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    update(&mut app, Action::Resize(100, 30));
    keys(&mut app, "?");
    esc(&mut app);
    keys(&mut app, "t");
    keys(&mut app, "t");
    assert_eq!(fake.opened(), [first, second]);
    // `k` at the top of the queue stays on the case: still no new opening.
    keys(&mut app, "gk");
    assert_eq!(fake.opened(), [first, second, first]);
}

#[test]
fn the_tick_renews_the_claim_and_redraws_only_on_change() {
    let (mut app, fake) = open(20, 120, 40);
    let first = selected(&app).0;
    assert!(!tick(&mut app), "nothing changed: no redraw");
    assert_eq!(fake.state().renewals, [first]);
    // Someone opens the next case: the tick shows it.
    let second = app.rows()[1].case_id;
    fake.hold(second, "bram", "2026-11-27T10:05:00Z");
    assert!(tick(&mut app));
    assert_eq!(app.rows()[1].held_by.as_deref(), Some("bram"));
    assert!(!tick(&mut app));
    assert_eq!(fake.opened(), [first], "a tick opens nothing");
}

#[test]
fn a_case_decided_elsewhere_does_not_move_the_cursor_on_a_tick() {
    let (mut app, fake) = open(20, 120, 40);
    let first = selected(&app).0;
    // anna's lease lapsed and bram took the case.
    fake.hold(first, "bram", "2026-11-27T10:05:00Z");
    assert!(tick(&mut app));
    assert_eq!(app.rows()[0].held_by.as_deref(), Some("bram"));
    // bram decides it: it leaves the open queue, and his claim goes with it.
    fake.let_go(first);
    {
        let mut s = fake.state();
        s.rows[0].status = CaseStatus::Accepted;
        s.details[0].status = CaseStatus::Accepted;
    }
    assert!(tick(&mut app));
    assert_eq!(selected(&app).0, first, "the screen does not jump");
    assert_eq!(app.rows()[0].status, CaseStatus::Accepted);
    assert_eq!(app.rows()[0].held_by, None, "no stale marker");
    assert_eq!(fake.opened(), [first]);
}

#[test]
fn someone_elses_claim_shows_and_clears() {
    set_lang(Lang::En);
    let (backend, fake) = FakeBackend::new(5, today());
    fake.hold(1000, "bram", "2026-11-27T10:05:00Z");
    let mut app = App::new(Box::new(backend), ConsoleOptions::new(today())).unwrap();
    update(&mut app, Action::Resize(120, 40));
    assert!(matches!(app.claim(), backend::ClaimState::HeldBy { holder, .. } if holder == "bram"));
    keys(&mut app, "d");
    assert!(is_error(&app));
    assert!(fake.writes().is_empty());
    fake.let_go(1000);
    assert!(tick(&mut app), "the tick takes the claim once bram is gone");
    assert!(matches!(app.claim(), backend::ClaimState::Mine { .. }));
    assert!(fake.claimed(1000));
}

#[test]
fn leaving_every_case_or_quitting_frees_the_claim() {
    let (mut app, fake) = open(5, 120, 40);
    let first = selected(&app).0;
    assert!(fake.claimed(first));
    // The to-sign queue is empty: no case on screen, no claim.
    keys(&mut app, "f");
    assert!(app.selected().is_none());
    assert!(!fake.claimed(first));
    keys(&mut app, "f");
    assert_eq!(selected(&app).0, first, "back where the queue was");
    assert!(fake.claimed(first));
    keys(&mut app, "q");
    assert!(!fake.claimed(first));
    assert!(matches!(
        fake.writes().last(),
        Some(Write::EndSession { .. })
    ));
}

/// Seen in a trial: "held by bram" stayed a minute after bram had left, and his claim on the
/// next row showed only at the tick. Another process's write shows at the next poll.
#[test]
fn another_reviewers_claim_and_its_end_show_at_the_next_poll_not_the_tick() {
    set_lang(Lang::En);
    let (backend, fake) = FakeBackend::new(5, today());
    fake.hold(1000, "bram", "2026-11-27T10:05:00Z");
    let mut app = App::new(Box::new(backend), ConsoleOptions::new(today())).unwrap();
    update(&mut app, Action::Resize(120, 40));
    assert!(matches!(app.claim(), backend::ClaimState::HeldBy { .. }));
    let second = app.rows()[1].case_id;
    fake.write_elsewhere(|_| {});
    fake.let_go(1000);
    fake.hold(second, "bram", "2026-11-27T10:05:00Z");
    update(&mut app, Action::Poll);
    assert!(matches!(app.claim(), backend::ClaimState::Mine { .. }));
    assert!(fake.claimed(1000));
    assert_eq!(app.rows()[1].held_by.as_deref(), Some("bram"));
    // Nothing written elsewhere: a poll reads nothing more.
    let queries = fake.queries().len();
    update(&mut app, Action::Poll);
    assert_eq!(fake.queries().len(), queries);
}
