//! The stats view in Dutch (the language is per thread, so these run beside the English ones):
//! Dutch labels, decimal commas and thousands dots, for a reviewer and for a supervisor in
//! NO_COLOR and ASCII.

use crate::common;

use chrono::NaiveDate;
use common::console::{press, screen};
use crossterm::event::Event;
use oordeel::console::testing::FakeBackend;
use oordeel::console::{App, ConsoleOptions, handle_event};
use oordeel::domain::role::Role;
use oordeel::i18n::{Lang, set_lang};

fn session(user: &str, role: Role, plain: bool, keys: &str, (w, h): (u16, u16)) -> String {
    set_lang(Lang::Nl);
    let today: NaiveDate = "2026-11-27".parse().unwrap();
    let (backend, _) = FakeBackend::new_as(1000, today, user, role);
    let mut options = ConsoleOptions::new(today);
    options.ascii = plain;
    options.no_color = plain;
    let mut app = App::new(Box::new(backend), options).unwrap();
    handle_event(&mut app, Event::Resize(w, h));
    press(&mut app, keys);
    screen(&app, w, h)
}

#[test]
fn reviewer_in_dutch() {
    let first = session("anna", Role::Reviewer, false, "s", (80, 24));
    assert!(first.contains("Voortgang"));
    assert!(first.contains("1.000 open"), "Dutch thousands dot");
    assert!(first.contains("0,9–1,0"), "Dutch decimal comma");
    insta::assert_snapshot!("nl_stats_reviewer_80x24", first);
    insta::assert_snapshot!(
        "nl_stats_reviewer_page2_80x24",
        session("anna", Role::Reviewer, false, "s <pgdn>", (80, 24))
    );
    insta::assert_snapshot!(
        "nl_stats_reviewer_120x40",
        session("anna", Role::Reviewer, false, "s", (120, 40))
    );
}

#[test]
fn supervisor_in_dutch_without_colour() {
    for keys in ["s", "s <pgdn>", "s G"] {
        let name = match keys {
            "s" => "nl_stats_supervisor_plain_80x24",
            "s <pgdn>" => "nl_stats_supervisor_plain_page2_80x24",
            _ => "nl_stats_supervisor_plain_end_80x24",
        };
        insta::assert_snapshot!(
            name,
            session("fatima", Role::Supervisor, true, keys, (80, 24))
        );
    }
    let wide = session("fatima", Role::Supervisor, true, "s", (120, 40));
    assert!(wide.contains("migratieachtergrond"));
    insta::assert_snapshot!("nl_stats_supervisor_plain_120x40", wide);
}
