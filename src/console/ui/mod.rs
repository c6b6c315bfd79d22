//! Rendering: a pure function of `App`, one file per region of the screen.
//!
//! ```text
//!  header.rs   oordeel · Vroegsignalering · team Noord · 1.284 open · 3 to sign · anna  ? help
//! ┌ queue.rs ─────────────────────────┐┌ detail.rs ──────────────────────────────────────┐
//! │  #  Household  Chance  Due  Signal ││ oversight.rs: who else has it open, a decision  │
//! │> 1  H-04821    0.91    2 wd ! rent ││   waiting for a signature, personal data (v)    │
//! │  2  H-01377    0.88    18 d ● bram ││ facts, signals, flags, deadline                 │
//! │                                    ││ Why this ranking (log-odds; baseline -1.59)     │
//! │                                    ││ contributions.rs: signed bars either side of    │
//! │                                    ││                   an axis, largest first        │
//! │                                    ││ chance 0.91 · top 3% · model v3 · AUC 0.78      │
//! │                                    ││ notes (2) · last: "…"                           │
//! └────────────────────────────────────┘└─────────────────────────────────────────────────┘
//!  status.rs   what the last action did, or why it failed
//!  keybar.rs   a accept  r reject  d defer  n note  u undo  v reveal  ? help  q quit
//! ```
//!
//! `full_detail.rs` replaces the two panes (Enter); `reason.rs`, `note.rs` (notes and
//! send-backs), `confirm.rs` (are you sure?) and `help.rs` draw popups over them; `search.rs`
//! draws the search prompt on the message line (`/`, `:`); below 80x24 `too_small.rs` replaces
//! everything. In the to-sign queue (f) the queue pane lists decisions waiting for a second
//! signature and the key bar leads with confirm and send back.

pub mod confirm;
pub mod contributions;
pub mod detail;
pub mod format;
pub mod full_detail;
pub mod header;
pub mod help;
pub mod history;
pub mod keybar;
pub mod note;
pub mod outcome;
pub mod oversight;
pub mod queue;
pub mod reason;
pub mod search;
pub mod stats;
pub mod status;
pub mod too_small;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Block;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::app::{App, Popup, View};

/// The smallest terminal the console works in.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Queue rows visible at a terminal height: minus header, status and key bar lines, the
/// pane's two borders and its column header.
pub fn queue_rows(height: u16) -> usize {
    usize::from(height.saturating_sub(6)).max(1)
}

/// The queue pane's width: narrow at 80 columns so the explanation keeps its room.
pub(super) fn queue_width(width: u16) -> u16 {
    (34 + width.saturating_sub(MIN_WIDTH) * 3 / 10).min(56)
}

/// The row of the window a click at (`column`, `row`) lands on in the queue pane, if any:
/// below the header line, the pane's top border and its column header.
pub fn queue_row_at(app: &App, column: u16, row: u16) -> Option<usize> {
    let (width, height) = app.size;
    if width < MIN_WIDTH || height < MIN_HEIGHT || !app.view.is_queue() {
        return None;
    }
    // Inside the pane's borders, on a line that shows a case.
    if column == 0 || column + 1 >= queue_width(width) || row < 3 {
        return None;
    }
    let line = usize::from(row - 3);
    if line >= app.window.view() {
        return None;
    }
    let index = app.window.top() + line;
    (index < app.window.rows().len()).then_some(index)
}

/// Draws the whole screen for the current state.
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return too_small::render(app, frame, area);
    }
    let [header_area, body, status_area, keys_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(status::height(app, area.width)),
        Constraint::Length(1),
    ])
    .areas(area);
    header::render(app, frame, header_area);
    match &app.view {
        View::Queue => {
            let [queue_area, detail_area] = Layout::horizontal([
                Constraint::Length(queue_width(area.width)),
                Constraint::Fill(1),
            ])
            .areas(body);
            queue::render(app, frame, queue_area);
            detail::render(app, frame, detail_area);
        }
        View::FullDetail { .. } => full_detail::render(app, frame, body),
        View::Stats { .. } => stats::render(app, frame, body),
        View::History { .. } => history::render(app, frame, body),
    }
    status::render(app, frame, status_area);
    keybar::render(app, frame, keys_area);
    match &app.popup {
        Some(Popup::Reason) => reason::render(app, frame, body),
        Some(Popup::Note(editor) | Popup::SendBack(editor) | Popup::RejectNote(_, editor)) => {
            note::render(app, editor, frame, body)
        }
        // Over everything but the key bar: the keys need every line they can get at 80x24.
        Some(Popup::Confirm(pending)) => confirm::render(app, pending, frame, body),
        Some(Popup::Outcome(pending)) => outcome::render(app, pending, frame, body),
        Some(Popup::Help) => help::render(
            app,
            frame,
            Rect::new(area.x, area.y, area.width, area.height - 1),
        ),
        None => {}
    }
}

/// A bordered pane in the theme's border set.
pub(crate) fn pane<'a>(app: &App, title: Line<'a>) -> Block<'a> {
    Block::bordered()
        .border_set(app.theme.border_set())
        .border_style(app.theme.border())
        .title(title)
}

/// A rectangle of `width` x `height` centred in `area` (clipped to it).
pub(crate) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    )
}

/// Display width of a string in terminal cells.
pub(crate) fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Shortens `s` to `max` cells, ending in the ellipsis when something was cut.
pub(crate) fn fit(s: &str, max: usize, ellipsis: &str) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let room = max.saturating_sub(width(ellipsis));
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    if max >= width(ellipsis) {
        out.push_str(ellipsis);
    }
    out
}

/// Pads (or shortens) to exactly `cells` cells, text on the left.
pub(crate) fn pad_right(s: &str, cells: usize, ellipsis: &str) -> String {
    let s = fit(s, cells, ellipsis);
    let w = width(&s);
    format!("{s}{}", " ".repeat(cells.saturating_sub(w)))
}

/// Pads (or shortens) to exactly `cells` cells, text on the right.
pub(crate) fn pad_left(s: &str, cells: usize, ellipsis: &str) -> String {
    let s = fit(s, cells, ellipsis);
    let w = width(&s);
    format!("{}{s}", " ".repeat(cells.saturating_sub(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_counts_cells_not_bytes() {
        assert_eq!(fit("Woonstad", 20, "…"), "Woonstad");
        assert_eq!(fit("Woonstad Rotterdam", 9, "…"), "Woonstad…");
        assert_eq!(fit("漢字漢字", 5, "…"), "漢字…");
        assert_eq!(fit("abcdef", 4, "..."), "a...");
        assert_eq!(pad_left("7", 3, "…"), "  7");
        assert_eq!(pad_right("€ 2", 5, "…"), "€ 2  ");
    }

    #[test]
    fn queue_rows_follow_the_height() {
        assert_eq!(queue_rows(24), 18);
        assert_eq!(queue_rows(3), 1);
        assert_eq!(queue_width(80), 34);
        assert_eq!(queue_width(120), 46);
    }
}
