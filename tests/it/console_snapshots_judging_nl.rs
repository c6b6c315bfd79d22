//! Judge-first mode and the "are you sure?" prompt in Dutch, at 80x24 without colour.

use crate::common;

use std::time::Duration;

use chrono::NaiveDate;
use common::console::{press, screen};
use crossterm::event::Event;
use oordeel::console::clock::Clock;
use oordeel::console::testing::FakeBackend;
use oordeel::console::{App, ConsoleOptions, handle_event};
use oordeel::i18n::{Lang, set_lang};

fn open(judge_first: bool) -> App {
    set_lang(Lang::Nl);
    let today: NaiveDate = "2026-11-27".parse().unwrap();
    let (backend, handle) = FakeBackend::new(200, today);
    handle.state().judge_first = judge_first;
    let options = ConsoleOptions {
        confirm_within: Some(Duration::from_secs(5)),
        no_color: true,
        clock: Clock::manual().0,
        ..ConsoleOptions::new(today)
    };
    let mut app = App::new(Box::new(backend), options).unwrap();
    handle_event(&mut app, Event::Resize(80, 24));
    app
}

#[test]
fn eerst_zelf_oordelen() {
    insta::assert_snapshot!(screen(&open(true), 80, 24));
}

#[test]
fn eerst_zelf_oordelen_na_het_oordeel() {
    let mut app = open(true);
    press(&mut app, "1");
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn weet_u_het_zeker() {
    let mut app = open(false);
    press(&mut app, "r 1");
    insta::assert_snapshot!(screen(&app, 80, 24));
}
