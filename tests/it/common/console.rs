//! Driving the console without a terminal: key presses in, the rendered screen out.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use oordeel::console::{App, handle_event, ui};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Presses keys: single characters, or `<esc>`, `<enter>`, `<c-s>`, `<pgdn>` between spaces.
pub fn press(app: &mut App, keys: &str) {
    for token in keys.split_whitespace() {
        let (code, modifiers) = match token {
            "<esc>" => (KeyCode::Esc, KeyModifiers::NONE),
            "<enter>" => (KeyCode::Enter, KeyModifiers::NONE),
            "<pgdn>" => (KeyCode::PageDown, KeyModifiers::NONE),
            "<c-s>" => (KeyCode::Char('s'), KeyModifiers::CONTROL),
            "<space>" => (KeyCode::Char(' '), KeyModifiers::NONE),
            t => {
                for c in t.chars() {
                    let m = if c.is_ascii_uppercase() {
                        KeyModifiers::SHIFT
                    } else {
                        KeyModifiers::NONE
                    };
                    handle_event(
                        app,
                        Event::Key(KeyEvent::new_with_kind(
                            KeyCode::Char(c),
                            m,
                            KeyEventKind::Press,
                        )),
                    );
                }
                continue;
            }
        };
        handle_event(
            app,
            Event::Key(KeyEvent::new_with_kind(
                code,
                modifiers,
                KeyEventKind::Press,
            )),
        );
    }
}

pub fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::render(app, frame)).unwrap();
    terminal.backend().to_string()
}

/// The rendered cells themselves, for tests about what a single cell holds.
pub fn buffer(app: &App, width: u16, height: u16) -> ratatui::buffer::Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::render(app, frame)).unwrap();
    terminal.backend().buffer().clone()
}

/// The console of `user` on a demo database, in `lang`, the store's clock at 10:00 on TODAY
/// (screens never drift), at the given size.
pub fn open_at_ten(
    db: &std::path::Path,
    user: &str,
    lang: oordeel::i18n::Lang,
    width: u16,
    height: u16,
) -> App {
    use chrono::TimeZone;
    oordeel::i18n::set_lang(lang);
    let mut store = oordeel::store::Store::open(db).unwrap();
    store.set_clock(Box::new(|| {
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 27, 10, 0, 0)
            .unwrap()
    }));
    let actor = store.identify(&super::identity(Some(user))).unwrap();
    let session = oordeel::store::ReviewSession::start(store, actor).unwrap();
    let mut app = App::new(
        Box::new(session),
        oordeel::console::ConsoleOptions::new(super::TODAY.parse().unwrap()),
    )
    .unwrap();
    handle_event(&mut app, Event::Resize(width, height));
    app
}

/// The console of a database's first admin (whoever runs the tests), in English, at the
/// given size: how the tests on a municipality's own database look at it.
pub fn open_as_me(db: &std::path::Path, width: u16, height: u16) -> App {
    oordeel::i18n::set_lang(oordeel::i18n::Lang::En);
    let session = super::session_as_me(db);
    let today = super::TODAY.parse().unwrap();
    let mut app = App::new(
        Box::new(session),
        oordeel::console::ConsoleOptions::new(today),
    )
    .unwrap();
    oordeel::console::update(&mut app, oordeel::console::Action::Resize(width, height));
    app
}
