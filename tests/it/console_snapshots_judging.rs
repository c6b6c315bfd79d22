//! Whole-screen snapshots of judge-first mode and of the "are you sure?" prompt at 80x24, on
//! the fake backend without colour. The language is set once per process: the Dutch ones
//! are in `console_snapshots_judging_nl.rs`.

use crate::common;

use std::time::Duration;

use chrono::NaiveDate;
use common::console::{press, screen};
use crossterm::event::Event;
use oordeel::console::clock::{Clock, ManualClock};
use oordeel::console::testing::FakeBackend;
use oordeel::console::{App, ConsoleOptions, handle_event};
use oordeel::i18n::{Lang, set_lang};

fn today() -> NaiveDate {
    "2026-11-27".parse().unwrap()
}

/// The console for anna with judge-first on for herself (or not), asking about decisions
/// within 5 s of opening a case on a clock the test moves.
pub fn open(lang: Lang, judge_first: bool) -> (App, ManualClock) {
    set_lang(lang);
    let (backend, handle) = FakeBackend::new(200, today());
    handle.state().judge_first = judge_first;
    let (clock, hand) = Clock::manual();
    let options = ConsoleOptions {
        confirm_within: Some(Duration::from_secs(5)),
        no_color: true,
        clock,
        ..ConsoleOptions::new(today())
    };
    let mut app = App::new(Box::new(backend), options).unwrap();
    handle_event(&mut app, Event::Resize(80, 24));
    (app, hand)
}

#[test]
fn judge_first_before_the_reviewers_judgment() {
    let (app, _) = open(Lang::En, true);
    let text = screen(&app, 80, 24);
    assert!(!text.contains("0."), "no score anywhere: {text}");
    insta::assert_snapshot!(text);
}

#[test]
fn judge_first_after_the_reviewers_judgment() {
    let (mut app, _) = open(Lang::En, true);
    press(&mut app, "2");
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn are_you_sure_after_two_seconds() {
    let (mut app, clock) = open(Lang::En, false);
    clock.advance(Duration::from_secs(2));
    press(&mut app, "a");
    insta::assert_snapshot!(screen(&app, 80, 24));
}
