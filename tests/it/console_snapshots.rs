//! Whole-screen snapshots of the console (English) at 80x24 and 120x40 after key sequences,
//! on the fake backend's fixed cases and a fixed `today`, so they never drift.

use crate::common;

use chrono::NaiveDate;
use common::console::{press, screen};
use crossterm::event::Event;
use oordeel::console::testing::FakeBackend;
use oordeel::console::{App, ConsoleOptions, handle_event, ui};
use oordeel::i18n::{Lang, set_lang};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn today() -> NaiveDate {
    "2026-11-27".parse().unwrap()
}

fn open(options: impl FnOnce(&mut ConsoleOptions), width: u16, height: u16) -> App {
    set_lang(Lang::En);
    let (backend, _) = FakeBackend::new(1000, today());
    let mut o = ConsoleOptions::new(today());
    options(&mut o);
    let mut app = App::new(Box::new(backend), o).unwrap();
    handle_event(&mut app, Event::Resize(width, height));
    app
}

/// Snapshots the screen after `keys` at both sizes.
fn check(name: &str, keys: &str) {
    for (w, h) in SIZES {
        let mut app = open(|_| {}, w, h);
        press(&mut app, keys);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&app, w, h));
    }
}

#[test]
fn start() {
    check("start", "");
}

#[test]
fn accept() {
    check("accept", "a");
}

#[test]
fn reason_picker() {
    check("reason_picker", "j r");
}

#[test]
fn reject_with_reason() {
    check("reject_with_reason", "j r 1");
}

#[test]
fn note_editor_open() {
    check(
        "note_editor",
        "j j n Called, <space> no <space> answer. <enter> Try <space> again <space> Monday.",
    );
}

#[test]
fn note_saved() {
    check("note_saved", "n Letter <space> sent. <c-s>");
}

#[test]
fn after_undo() {
    check("after_undo", "a a j j u");
}

#[test]
fn help_overlay() {
    check("help", "?");
}

#[test]
fn full_detail() {
    check("full_detail", "<enter>");
}

#[test]
fn decided_shown() {
    check("decided_shown", "a r 2 d t g");
}

#[test]
fn untrusted_note_is_shown_escaped() {
    // Case 3 carries a note with an ESC sequence and a bidi override.
    check("untrusted_note", "j j");
}

#[test]
fn too_small() {
    let app = open(|_| {}, 60, 20);
    insta::assert_snapshot!("too_small_60x20", screen(&app, 60, 20));
}

#[test]
fn ascii_and_no_color() {
    let mut app = open(
        |o| {
            o.ascii = true;
            o.no_color = true;
        },
        80,
        24,
    );
    press(&mut app, "j");
    insta::assert_snapshot!("ascii_80x24", screen(&app, 80, 24));
}

/// NO_COLOR: no cell carries a colour; selection and warnings still show through modifiers.
#[test]
fn no_color_means_no_colours() {
    let app = open(|o| o.no_color = true, 120, 40);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|frame| ui::render(&app, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    use ratatui::style::{Color, Modifier};
    assert!(
        buffer
            .content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
    assert!(
        buffer
            .content
            .iter()
            .any(|c| c.modifier.contains(Modifier::REVERSED))
    );
    assert!(
        buffer
            .content
            .iter()
            .any(|c| c.modifier.contains(Modifier::BOLD))
    );
}

/// At 100 columns the queue's key bar has no room for every key: `?` then says "more" (the
/// help lists the rest); wide enough for all, it says "help".
#[test]
fn the_key_bar_says_more_when_it_leaves_keys_out() {
    let bar = |w: u16| {
        let app = open(|_| {}, w, 30);
        screen(&app, w, 30)
            .lines()
            .last()
            .unwrap()
            .trim_matches('"')
            .to_owned()
    };
    let narrow = bar(100);
    assert!(
        narrow.contains("? more") && !narrow.contains("? help"),
        "{narrow}"
    );
    let wide = bar(220);
    assert!(
        wide.contains("? help") && wide.contains("s stats"),
        "{wide}"
    );
}
