//! The stats view (`s`): one bordered pane over the body, scrolled with j/k and PgUp/PgDn.
//! The figures were read once when the view opened (`App::stats`); this only draws them.
//!
//! Below 120 columns, one column (at 80x24 the pane has 19 lines, so progress and the
//! histogram come first and the rest is scrolled to):
//!
//! ```text
//! ┌ Stats · team Noord · read at 10:30 ──────────────────────────────────────┐
//! │ Progress            today    week 48       sections.rs: progress         │
//! │   you                   5         21                                     │
//! │   team Noord           14         63                                     │
//! │ Chance in the open queue (1,000 cases)     sections.rs: histogram        │
//! │   0.9–1.0   ███████████               58                                 │
//! │   …                                                                      │
//! │ Overrides per day, last 14 days            sections.rs + charts.rs:      │
//! │   ▂▂    ▆▆ █▇                              a sparkline over day numbers, │
//! │   14 15 16 17 …                            gaps blank, latest + average  │
//! │ Decisions per reviewer, last 30 days       sections.rs: bars + override  │
//! │ Calibration of model v3                    model.rs: reliability table   │
//! │ Fairness by migration background           model.rs: oversight roles only│
//! └─────────────────────────────────────── j/k PgUp/PgDn scroll · s back ────┘
//! ```
//!
//! From 120 columns on, two columns scrolled together: the work (progress, histogram,
//! overrides) on the left, people and the model (reviewers, calibration, fairness) on the
//! right.

mod charts;
mod model;
mod sections;

use crate::console::action::Action;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Padding, Paragraph, Wrap};

use super::format::clock;
use super::pane;
use crate::console::app::App;
use crate::console::keymap::Context;
use crate::domain::stats::Stats;
use crate::domain::text::sanitize;
use crate::i18n::t;

/// From this width on the view has two columns.
const TWO_COLUMNS: u16 = 120;

/// A section heading.
fn heading(app: &App, text: &str) -> Line<'static> {
    Line::styled(text.to_owned(), app.theme.title())
}

/// A remark under a section in the dim style, word-wrapped to `cols` cells with every line
/// indented like the section's rows (a terminal's own wrapping would start at the margin).
fn note(app: &App, text: &str, cols: usize) -> Vec<Line<'static>> {
    let room = cols.saturating_sub(2).max(20);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if !current.is_empty() && super::width(&current) + 1 + super::width(word) > room {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
        .into_iter()
        .map(|l| Line::styled(format!("  {l}"), app.theme.dim()))
        .collect()
}

/// A share as a whole percentage; under 1 % but above 0 it says `<1%`, never `0%`.
fn pct(share: f64) -> String {
    crate::format::percent(crate::i18n::lang(), share, 0)
}

/// The lines of each column for a body `width` cells wide (inside the pane: `cols` wide).
pub fn columns(app: &App, s: &Stats, width: u16) -> Vec<Vec<Line<'static>>> {
    let two = width >= TWO_COLUMNS;
    let cols = usize::from(if two { width / 2 } else { width }).saturating_sub(3);
    let blank = || vec![Line::raw("")];
    let work = [
        sections::progress(app, s, cols),
        blank(),
        sections::histogram(app, s, cols),
        blank(),
        sections::overrides(app, s, cols),
    ];
    let mut people = vec![
        sections::reviewers(app, s, cols),
        blank(),
        model::calibration(app, s),
    ];
    let fairness = model::fairness(app, s, cols);
    if !fairness.is_empty() {
        people.push(blank());
        people.push(fairness);
    }
    if two {
        vec![work.concat(), people.concat()]
    } else {
        vec![[work.concat(), blank(), people.concat()].concat()]
    }
}

/// The pane's inner size (borders and padding off) for a terminal of `size`.
fn inner(size: (u16, u16)) -> (u16, u16) {
    let width = if size.0 >= TWO_COLUMNS {
        size.0 / 2
    } else {
        size.0
    };
    // Header, status and key bar lines, then the pane's borders.
    (width.saturating_sub(3), size.1.saturating_sub(5))
}

/// Lines the view can scroll by at the current size: the longest column, as drawn (wrapped
/// lines counted), minus the lines that fit.
pub fn max_scroll(app: &App) -> u16 {
    let Some(s) = app.stats() else { return 0 };
    let (w, h) = inner(app.size);
    columns(app, s, app.size.0)
        .into_iter()
        .map(|c| Paragraph::new(c).wrap(Wrap { trim: false }).line_count(w))
        .max()
        .unwrap_or(0)
        .saturating_sub(usize::from(h))
        .min(usize::from(u16::MAX)) as u16
}

/// Lines a page scrolls by.
pub fn page(app: &App) -> u16 {
    inner(app.size).1.max(1)
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(s) = app.stats() else {
        return frame.render_widget(pane(app, Line::raw("")), area);
    };
    let scope = match &s.team {
        Some(team) => t("console.stats.team").replace("{team}", &sanitize(team)),
        None => t("console.stats.all_teams").to_owned(),
    };
    let title = t("console.stats.title")
        .replace("{scope}", &scope)
        .replace("{time}", &clock(&s.read_at))
        .replace("{sep}", app.theme.sep());
    let ascii = app.theme.ascii;
    let key = |name| app.keymap.first_key(Context::Review, name, ascii);
    let keys = format!(
        " {}/{} {}/{} {}{}{} {} ",
        key(Action::Down),
        key(Action::Up),
        key(Action::PageDown),
        key(Action::PageUp),
        t("keys.scroll"),
        app.theme.sep(),
        key(Action::Stats),
        t("keys.back"),
    );
    let columns = columns(app, s, area.width);
    let areas: Vec<Rect> = if columns.len() == 2 {
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)])
            .split(area)
            .to_vec()
    } else {
        vec![area]
    };
    let last = areas.len() - 1;
    for (i, (lines, area)) in columns.into_iter().zip(areas).enumerate() {
        let mut block = pane(
            app,
            if i == 0 {
                Line::raw(format!(" {title} "))
            } else {
                Line::raw("")
            },
        )
        .padding(Padding::left(1));
        if i == last {
            block = block.title_bottom(Line::raw(keys.clone()).right_aligned());
        }
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
        // Each column stops at its own end: a short column does not scroll out of sight.
        let drawn = paragraph.line_count(inner.width);
        let scroll = usize::from(app.scroll()).min(drawn.saturating_sub(usize::from(inner.height)));
        frame.render_widget(paragraph.scroll((scroll as u16, 0)), inner);
    }
}
