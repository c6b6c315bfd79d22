//! The stats view (`s`) in English on the fake backend's fixed figures: snapshots at 80x24
//! (scrolled through) and 120x40, for a reviewer and a supervisor, in colour, NO_COLOR and
//! ASCII; and what the view lets the keys do.

use crate::common;

use chrono::NaiveDate;
use common::console::{buffer, press, screen};
use crossterm::event::Event;
use oordeel::console::testing::{FakeBackend, FakeHandle};
use oordeel::console::{App, ConsoleOptions, handle_event};
use oordeel::domain::role::Role;
use oordeel::i18n::{Lang, set_lang};

fn today() -> NaiveDate {
    "2026-11-27".parse().unwrap()
}

fn open(
    user: &str,
    role: Role,
    options: impl FnOnce(&mut ConsoleOptions),
    (width, height): (u16, u16),
) -> (App, FakeHandle) {
    set_lang(Lang::En);
    let (backend, handle) = FakeBackend::new_as(1000, today(), user, role);
    let mut o = ConsoleOptions::new(today());
    options(&mut o);
    let mut app = App::new(Box::new(backend), o).unwrap();
    handle_event(&mut app, Event::Resize(width, height));
    (app, handle)
}

fn snap(name: &str, user: &str, role: Role, plain: bool, keys: &str, size: (u16, u16)) {
    let (mut app, _) = open(
        user,
        role,
        |o| {
            o.ascii = plain;
            o.no_color = plain;
        },
        size,
    );
    press(&mut app, keys);
    insta::assert_snapshot!(
        format!("stats_{name}_{}x{}", size.0, size.1),
        screen(&app, size.0, size.1)
    );
}

#[test]
fn reviewer_at_80x24_scrolled_through() {
    snap("reviewer", "anna", Role::Reviewer, false, "s", (80, 24));
    snap(
        "reviewer_page2",
        "anna",
        Role::Reviewer,
        false,
        "s <pgdn>",
        (80, 24),
    );
    snap(
        "reviewer_end",
        "anna",
        Role::Reviewer,
        false,
        "s G",
        (80, 24),
    );
}

#[test]
fn supervisor_at_80x24_scrolled_through() {
    snap(
        "supervisor",
        "fatima",
        Role::Supervisor,
        false,
        "s",
        (80, 24),
    );
    snap(
        "supervisor_page2",
        "fatima",
        Role::Supervisor,
        false,
        "s <pgdn>",
        (80, 24),
    );
    snap(
        "supervisor_end",
        "fatima",
        Role::Supervisor,
        false,
        "s G",
        (80, 24),
    );
}

#[test]
fn wide_screens_use_two_columns() {
    snap("reviewer", "anna", Role::Reviewer, false, "s", (120, 40));
    snap(
        "supervisor",
        "fatima",
        Role::Supervisor,
        false,
        "s",
        (120, 40),
    );
}

#[test]
fn ascii_and_no_color() {
    snap(
        "ascii_supervisor",
        "fatima",
        Role::Supervisor,
        true,
        "s",
        (80, 24),
    );
    snap(
        "ascii_supervisor_end",
        "fatima",
        Role::Supervisor,
        true,
        "s G",
        (80, 24),
    );
    snap(
        "ascii_supervisor",
        "fatima",
        Role::Supervisor,
        true,
        "s",
        (120, 40),
    );
}

/// Only the oversight roles see per-reviewer rates and the fairness table.
#[test]
fn fairness_and_colleagues_only_for_oversight_roles() {
    let all = |user, role| {
        let (mut app, _) = open(user, role, |_| {}, (120, 40));
        press(&mut app, "s");
        screen(&app, 120, 40)
    };
    let reviewer = all("anna", Role::Reviewer);
    assert!(!reviewer.contains("migration background"));
    assert!(!reviewer.contains("bram"));
    assert!(reviewer.contains("you"));
    let supervisor = all("fatima", Role::Supervisor);
    assert!(supervisor.contains("The model's selection by migration background"));
    assert!(supervisor.contains("bram"));
    assert!(supervisor.contains("outside_europe"));
    let senior = all("carla", Role::Senior);
    assert!(!senior.contains("migration background"));
}

#[test]
fn figures_are_read_once_per_opening_and_keys_do_not_decide() {
    let (mut app, handle) = open("anna", Role::Reviewer, |_| {}, (80, 24));
    press(&mut app, "s");
    assert!(app.view().is_stats());
    for _ in 0..5 {
        let _ = screen(&app, 80, 24);
    }
    press(&mut app, "j j k <pgdn> a r d u");
    assert_eq!(
        handle.state().stats_reads,
        1,
        "redraws and scrolling read nothing"
    );
    assert!(
        handle.writes().is_empty(),
        "no decision from inside the stats view"
    );
    assert!(
        app.status()
            .unwrap()
            .text
            .contains("Back to the queue first (s)")
    );
    press(&mut app, "<esc>");
    assert!(app.view().is_queue());
    press(&mut app, "s");
    assert_eq!(handle.state().stats_reads, 2, "opening again reads afresh");
    press(&mut app, "s");
    assert!(app.view().is_queue());
}

#[test]
fn a_failed_read_keeps_the_queue_and_says_why() {
    let (mut app, handle) = open("anna", Role::Reviewer, |_| {}, (80, 24));
    handle.set_fail_reads(true);
    press(&mut app, "s");
    assert!(app.view().is_queue());
    assert!(app.status().unwrap().text.contains("database is locked"));
}

/// Scrolling stops at the last line: `G` then `k` moves up at once.
#[test]
fn scrolling_stops_at_the_end() {
    let (mut app, _) = open("fatima", Role::Supervisor, |_| {}, (80, 24));
    press(&mut app, "s G");
    let end = screen(&app, 80, 24);
    press(&mut app, "j j");
    assert_eq!(screen(&app, 80, 24), end);
    press(&mut app, "k");
    assert_ne!(screen(&app, 80, 24), end);
}

/// NO_COLOR: not one cell of the stats view carries a colour.
#[test]
fn no_color_means_no_colours() {
    use ratatui::style::Color;
    let (mut app, _) = open("fatima", Role::Supervisor, |o| o.no_color = true, (120, 40));
    press(&mut app, "s");
    let b = buffer(&app, 120, 40);
    assert!(
        b.content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
}

/// ASCII mode: every character on the screen is ASCII.
#[test]
fn ascii_mode_draws_ascii_only() {
    for size in [(80, 24), (120, 40)] {
        for keys in ["s", "s G"] {
            let (mut app, _) = open("fatima", Role::Supervisor, |o| o.ascii = true, size);
            press(&mut app, keys);
            let text = screen(&app, size.0, size.1);
            assert!(
                text.is_ascii(),
                "{}",
                text.lines()
                    .filter(|l| !l.is_ascii())
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
}
