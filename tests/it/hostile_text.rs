//! Hostile text on screen: notes, pseudonyms, creditor names, districts, reviewer names and
//! the caseload title that carry an OSC 52 clipboard write, a clear-screen CSI or a bidi
//! override reach the rendered buffer as visible escapes, and no cell holds the raw character.
//! (ratatui itself drops control characters silently, but draws a U+202E into a cell.)

use crate::common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::console::{buffer, press};
use common::hostile::*;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use oordeel::console::testing::{FakeBackend, Write};
use oordeel::console::{App, ConsoleOptions, handle_event};
use oordeel::domain::view::NoteView;
use oordeel::i18n::{Lang, set_lang};
use oordeel::store::{ReviewSession, Store};
use ratatui::buffer::Buffer;

fn today() -> NaiveDate {
    common::TODAY.parse().unwrap()
}

/// The screen as text, one line per row, and a check that no cell holds a raw control, bidi
/// or invisible character.
fn checked_screen(app: &App, width: u16, height: u16) -> String {
    let buf: Buffer = buffer(app, width, height);
    let mut text = String::new();
    for y in 0..height {
        for x in 0..width {
            let symbol = buf[(x, y)].symbol();
            assert!(
                !raw_hostile_char(symbol),
                "raw {symbol:?} in the cell at {x},{y}"
            );
            text.push_str(symbol);
        }
        text.push('\n');
    }
    text
}

fn assert_shows(screen: &str, shown: &str) {
    assert!(screen.contains(shown), "{shown} not on screen:\n{screen}");
}

fn key(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    let event = KeyEvent::new_with_kind(code, modifiers, KeyEventKind::Press);
    handle_event(app, Event::Key(event));
}

/// The fake backend's top case with every string hostile, in the queue and in full.
#[test]
fn hostile_strings_from_the_fake_backend_show_as_escapes() {
    set_lang(Lang::En);
    let (backend, fake) = FakeBackend::new(20, today());
    {
        let mut s = fake.state();
        let case_id = s.rows[0].case_id;
        s.rows[0].household = PSEUDONYM.into();
        let d = s.details.iter_mut().find(|d| d.case_id == case_id).unwrap();
        d.household.pseudonym = PSEUDONYM.into();
        d.household.district = DISTRICT.into();
        d.signals[0].creditor = CREDITOR.into();
        d.notes.push(NoteView {
            seq: 999,
            at: Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap(),
            author: AUTHOR.into(),
            text: NOTE.into(),
        });
    }
    let mut app = App::new(Box::new(backend), ConsoleOptions::new(today())).unwrap();
    handle_event(&mut app, Event::Resize(80, 24));
    let screen = checked_screen(&app, 80, 24);
    assert_shows(&screen, PSEUDONYM_SHOWN);
    assert_shows(&screen, DISTRICT_SHOWN);
    // The pane keeps the note's start: the clipboard write, cut with an ellipsis.
    assert_shows(&screen, "\"\\x1b]52;c;SGVsbG8=");

    handle_event(&mut app, Event::Resize(120, 40));
    press(&mut app, "<enter>");
    let screen = checked_screen(&app, 120, 40);
    for shown in [NOTE_SHOWN, CREDITOR_SHOWN, AUTHOR_SHOWN, PSEUDONYM_SHOWN] {
        assert_shows(&screen, shown);
    }
    assert_shows(&screen, "  second line");
}

/// A bidi override typed as a key (as a terminal without bracketed paste delivers a paste)
/// and escape sequences pasted into the note editor: shown and saved as escapes.
#[test]
fn hostile_text_typed_or_pasted_into_a_note_is_escaped() {
    set_lang(Lang::En);
    let (backend, fake) = FakeBackend::new(5, today());
    let mut app = App::new(Box::new(backend), ConsoleOptions::new(today())).unwrap();
    handle_event(&mut app, Event::Resize(80, 24));
    let case_id = app.selected().unwrap().case_id;
    press(&mut app, "n ok");
    key(&mut app, KeyCode::Char('\u{202e}'), KeyModifiers::NONE);
    key(&mut app, KeyCode::Char('\u{200b}'), KeyModifiers::SHIFT);
    handle_event(
        &mut app,
        Event::Paste("\x1b]52;c;SGVsbG8=\x07\x1b[2J".into()),
    );
    let screen = checked_screen(&app, 80, 24);
    assert_shows(&screen, "ok\\u{202e}\\u{200b}\\x1b]52;c;SGVsbG8=\\x07");
    press(&mut app, "<c-s>");
    assert_eq!(
        fake.writes(),
        vec![Write::Note {
            case_id,
            text: "ok\\u{202e}\\u{200b}\\x1b]52;c;SGVsbG8=\\x07\\x1b[2J".into()
        }]
    );
}

/// The same strings put into a real demo database (a note through the store's review
/// session, the rest through SQL as an import would), read back by the real store.
#[test]
fn hostile_strings_from_the_real_store_show_as_escapes() {
    set_lang(Lang::En);
    let db = common::demo(400);
    let case_id = poison(&db.path);
    let mut store = Store::open(&db.path).unwrap();
    store.set_clock(Box::new(|| {
        Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
    }));
    // The admin (the test process, owner of the file) sees every team's case.
    let admin = common::os_user();
    let actor = store.identify(&common::identity(Some(&admin))).unwrap();
    let session = ReviewSession::start(store, actor).unwrap();
    let mut app = App::new(Box::new(session), ConsoleOptions::new(today())).unwrap();
    assert_eq!(app.selected().unwrap().case_id, case_id);
    handle_event(&mut app, Event::Resize(80, 24));
    let screen = checked_screen(&app, 80, 24);
    for shown in [TITLE_SHOWN, PSEUDONYM_SHOWN, DISTRICT_SHOWN] {
        assert_shows(&screen, shown);
    }
    assert_shows(&screen, "\"\\x1b]52;c;SGVsbG8=");

    // 120 wide: this case's longest signal line wraps; the full view counts wrapped lines,
    // so paging still reaches the last note line.
    handle_event(&mut app, Event::Resize(120, 40));
    press(&mut app, "<enter>");
    let screen = checked_screen(&app, 120, 40);
    for shown in [CREDITOR_SHOWN, TITLE_SHOWN] {
        assert_shows(&screen, shown);
    }
    // The district is a model feature: the chart's value column shows it escaped too
    // (cut to the column's width, so only its start is checked).
    assert_shows(&screen, "Noord\\x1b");
    // The notes come after the whole chart.
    press(&mut app, "<pgdn> <pgdn>");
    let screen = checked_screen(&app, 120, 40);
    for shown in [NOTE_SHOWN, AUTHOR_SHOWN] {
        assert_shows(&screen, shown);
    }
}
