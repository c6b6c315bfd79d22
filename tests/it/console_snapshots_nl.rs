//! Dutch snapshots: labels from the Dutch table, Dutch number and date formats (the language
//! is per thread, so these run beside the English ones in one binary).

use chrono::NaiveDate;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use oordeel::console::testing::FakeBackend;
use oordeel::console::{App, ConsoleOptions, handle_event, ui};
use oordeel::i18n::{Lang, set_lang};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn session(keys: &str, width: u16, height: u16) -> String {
    set_lang(Lang::Nl);
    let today: NaiveDate = "2026-11-27".parse().unwrap();
    let (backend, _) = FakeBackend::new(1000, today);
    let mut app = App::new(Box::new(backend), ConsoleOptions::new(today)).unwrap();
    handle_event(&mut app, Event::Resize(width, height));
    for c in keys.chars() {
        let key =
            KeyEvent::new_with_kind(KeyCode::Char(c), KeyModifiers::NONE, KeyEventKind::Press);
        handle_event(&mut app, Event::Key(key));
    }
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::render(&app, frame)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn start_in_dutch() {
    insta::assert_snapshot!("nl_start_80x24", session("", 80, 24));
    insta::assert_snapshot!("nl_start_120x40", session("j", 120, 40));
}

#[test]
fn reject_in_dutch() {
    insta::assert_snapshot!("nl_reason_picker_80x24", session("r", 80, 24));
    insta::assert_snapshot!("nl_rejected_80x24", session("r1", 80, 24));
}

#[test]
fn help_in_dutch() {
    insta::assert_snapshot!("nl_help_80x24", session("?", 80, 24));
}

#[test]
fn too_small_in_dutch() {
    insta::assert_snapshot!("nl_too_small_70x30", session("", 70, 30));
}
