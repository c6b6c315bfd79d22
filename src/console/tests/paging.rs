//! Paging through a large queue in windows, resuming, and reads that fail.

use crossterm::event::{KeyCode, KeyModifiers};

use super::{is_error, keys, open, press_key, selected, today};
use crate::console::backend::{self, QueueKey};
use crate::console::testing::FakeBackend;
use crate::console::window::{CAPACITY, CHUNK};
use crate::console::{App, ConsoleOptions, ui};
use crate::domain::decision::CaseStatus;
use crate::i18n::{Lang, set_lang};

#[test]
fn undo_finds_a_case_far_outside_the_window() {
    let (mut app, fake) = open(1000, 120, 40);
    keys(&mut app, "G");
    let (last, rank) = selected(&app);
    assert_eq!(rank, 1000);
    keys(&mut app, "ag");
    assert_eq!(selected(&app).1, 1);
    keys(&mut app, "u");
    assert_eq!(selected(&app).0, last);
    assert_eq!(fake.status_of(last), CaseStatus::Open);
}

#[test]
fn the_queue_is_paged_in_windows() {
    let (mut app, fake) = open(1000, 80, 24);
    let page = ui::queue_rows(24) as i64;
    assert_eq!(selected(&app).1, 1);
    keys(&mut app, &"j".repeat(150));
    assert_eq!(selected(&app).1, 151);
    keys(&mut app, &"k".repeat(120));
    assert_eq!(selected(&app).1, 31);
    press_key(&mut app, KeyCode::PageDown, KeyModifiers::NONE);
    assert_eq!(selected(&app).1, 31 + page);
    press_key(&mut app, KeyCode::PageUp, KeyModifiers::NONE);
    assert_eq!(selected(&app).1, 31);
    keys(&mut app, "G");
    assert_eq!(selected(&app).1, 1000);
    keys(&mut app, "j");
    assert_eq!(selected(&app).1, 1000, "the end stays the end");
    keys(&mut app, &"k".repeat(300));
    assert_eq!(selected(&app).1, 700);
    for _ in 0..20 {
        press_key(&mut app, KeyCode::PageDown, KeyModifiers::NONE);
    }
    assert_eq!(selected(&app).1, 1000);
    keys(&mut app, "g");
    assert_eq!(selected(&app).1, 1);
    keys(&mut app, "k");
    assert_eq!(selected(&app).1, 1, "the top stays the top");
    for _ in 0..30 {
        press_key(&mut app, KeyCode::PageDown, KeyModifiers::NONE);
    }
    assert_eq!(selected(&app).1, 1 + 30 * page);

    // Never the whole queue: every read is one chunk, and the window stays bounded.
    let queries = fake.queries();
    assert!(queries.iter().all(|q| q.limit <= CHUNK));
    assert!(
        app.rows().len() <= CAPACITY + CHUNK,
        "window holds {}",
        app.rows().len()
    );
    assert!(
        queries
            .iter()
            .any(|q| matches!(q.start, backend::WindowStart::After(_)))
    );
    assert!(
        queries
            .iter()
            .any(|q| matches!(q.start, backend::WindowStart::Before(_)))
    );
    assert!(
        queries
            .iter()
            .any(|q| matches!(q.start, backend::WindowStart::Last))
    );
    // The rows held are contiguous and in queue order.
    let ranks: Vec<i64> = app.rows().iter().map(|r| r.rank.unwrap()).collect();
    assert!(ranks.windows(2).all(|w| w[1] == w[0] + 1));
}

#[test]
fn decisions_deep_in_the_queue_keep_the_window_consistent() {
    let (mut app, fake) = open(1000, 80, 24);
    keys(&mut app, &"j".repeat(130));
    for _ in 0..5 {
        keys(&mut app, "a");
    }
    assert_eq!(fake.writes().len(), 5);
    assert_eq!(selected(&app).1, 136);
    let ranks: Vec<i64> = app.rows().iter().map(|r| r.rank.unwrap()).collect();
    assert!(ranks.windows(2).all(|w| w[1] > w[0]));
    assert!(!ranks.contains(&131));
}

#[test]
fn reopening_resumes_where_the_reviewer_stopped() {
    set_lang(Lang::En);
    let (backend, fake) = FakeBackend::new(1000, today());
    let case_id = fake.state().rows[499].case_id;
    fake.state().resume = Some(QueueKey { rank: 500, case_id });
    let mut app = App::new(Box::new(backend), ConsoleOptions::new(today())).unwrap();
    assert_eq!(selected(&app), (case_id, 500));
    keys(&mut app, "k");
    assert_eq!(selected(&app).1, 499);
}

#[test]
fn a_failed_read_is_shown_and_the_cursor_stays() {
    let (mut app, fake) = open(200, 80, 24);
    fake.set_fail_reads(true);
    keys(&mut app, "G");
    assert!(is_error(&app));
    assert_eq!(selected(&app).1, 1);
    fake.set_fail_reads(false);
    keys(&mut app, "G");
    assert_eq!(selected(&app).1, 200);
}

/// The mouse: a click on a queue row selects (and opens) it, the wheel moves through the
/// queue and scrolls the full view; a click does nothing while a popup has the keys.
#[test]
fn a_click_selects_a_row_and_the_wheel_moves_and_scrolls() {
    use super::esc;
    use crate::console::{Action, handle_event, update};
    use crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mouse = |kind, column, row| {
        Event::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    let (mut app, fake) = open(20, 120, 40);
    // Header, top border, column header: the fourth row on screen (y = 3 + 3) is the
    // fourth case.
    let fourth = app.rows()[3].case_id;
    assert!(handle_event(
        &mut app,
        mouse(MouseEventKind::Down(MouseButton::Left), 5, 6)
    ));
    assert_eq!(selected(&app).0, fourth);
    assert_eq!(fake.opened().last(), Some(&fourth));
    // Below the last row, on a border or over the detail pane: nothing.
    let before = selected(&app).0;
    handle_event(
        &mut app,
        mouse(MouseEventKind::Down(MouseButton::Left), 5, 2),
    );
    handle_event(
        &mut app,
        mouse(MouseEventKind::Down(MouseButton::Left), 80, 6),
    );
    assert_eq!(selected(&app).0, before);
    handle_event(&mut app, mouse(MouseEventKind::ScrollDown, 80, 10));
    assert_eq!(selected(&app).0, app.rows()[4].case_id);
    // The reason picker has the keys: a click behind it selects nothing.
    keys(&mut app, "r");
    handle_event(
        &mut app,
        mouse(MouseEventKind::Down(MouseButton::Left), 5, 3),
    );
    assert_eq!(selected(&app).0, app.rows()[4].case_id);
    esc(&mut app);
    // In the full view the wheel scrolls it.
    update(&mut app, Action::Detail);
    handle_event(&mut app, mouse(MouseEventKind::ScrollDown, 60, 10));
    assert_eq!(app.scroll(), 3);
    handle_event(&mut app, mouse(MouseEventKind::ScrollUp, 60, 10));
    handle_event(&mut app, mouse(MouseEventKind::ScrollUp, 60, 10));
    assert_eq!(app.scroll(), 0);
}
