//! The queue pane: rank, household, chance, due and signals, one case per line, drawn from
//! the window of rows the console holds. A case someone else has open shows who, in place of
//! its signals, behind a mark (`@` in ASCII mode).

use crate::console::action::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::{chance, due, signal_summary, status_short};
use super::{pad_left, pad_right, pane, width};
use crate::console::app::App;
use crate::domain::decision::CaseStatus;
use crate::domain::queue::Imported;
use crate::domain::text::sanitize;
use crate::domain::view::QueueRow;
use crate::i18n::{t, tf};

/// Below this inner width the rank column is left out (the order is the ranking, and the
/// detail pane shows the rank) and the headers use their short forms, so the signal column
/// keeps its room at 80 columns even with a million cases.
const NARROW: usize = 40;

/// One row's cells, before padding.
struct Cells {
    rank: String,
    household: String,
    chance: String,
    due: String,
    warn: bool,
    signal: String,
    /// Someone else has the case open.
    held: bool,
}

fn cells(app: &App, row: &QueueRow) -> Cells {
    // In the to-sign queue every case waits for a signature: the deadline still matters.
    // In the to-sign queue every case waits for a signature, in the outcome list for its
    // outreach: the deadline (how long ago contact was due) still matters.
    let (due_text, warn) =
        if row.status == CaseStatus::Open || app.window.to_sign() || app.window.outcomes() {
            due(app.today, row.deadline_on, row.urgent)
        } else {
            (status_short(row.status).to_string(), false)
        };
    Cells {
        rank: row.rank.map_or_else(|| "-".to_string(), |r| r.to_string()),
        household: sanitize(&row.household).into_owned(),
        chance: chance(row.probability),
        due: due_text,
        warn,
        signal: match other_holder(app, row) {
            Some(holder) => format!("{} {}", app.theme.held(), sanitize(holder)),
            None => signal_summary(&row.signals),
        },
        held: other_holder(app, row).is_some(),
    }
}

/// Who else has the case open, if anyone (the reviewer's own claim is not news to them).
fn other_holder<'a>(app: &App, row: &'a QueueRow) -> Option<&'a str> {
    row.held_by
        .as_deref()
        .filter(|h| *h != app.backend.reviewer())
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let searched = app
        .search()
        .filter(|_| app.window.list() == crate::domain::queue::QueueList::Search);
    let mut title = if let Some(search) = searched {
        tf(
            "console.queue.title_search",
            &[(
                "text",
                &sanitize(&super::fit(&search.text, 24, app.theme.ellipsis())),
            )],
        )
    } else {
        t(if app.window.outcomes() {
            "console.queue.title_outcomes"
        } else if app.window.to_sign() {
            "console.queue.title_to_sign"
        } else {
            "console.queue.title"
        })
        .to_string()
    };
    if app.window.by_deadline() && !app.window.outcomes() {
        title = format!(
            "{title}{}{}",
            app.theme.sep(),
            t("console.queue.by_deadline")
        );
    }
    if app.window.include_decided() && !app.window.to_sign() && searched.is_none() {
        title = format!(
            "{title}{}{}",
            app.theme.sep(),
            t("console.queue.decided_too")
        );
    }
    let block = pane(app, Line::styled(format!(" {title} "), app.theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cols = usize::from(inner.width);
    let visible = usize::from(inner.height.saturating_sub(1));
    let rows = app.window.rows();
    let ell = app.theme.ellipsis();

    if rows.is_empty() {
        let (action, empty) = if searched.is_some() {
            (Action::EndSearch, "console.queue.empty_search")
        } else if app.window.outcomes() {
            (Action::Outcomes, "console.queue.empty_outcomes")
        } else if app.window.to_sign() {
            (Action::ToSign, "console.queue.empty_to_sign")
        } else {
            (Action::ToggleDecided, "console.queue.empty")
        };
        let context = if action == Action::EndSearch {
            crate::console::keymap::Context::Search
        } else {
            crate::console::keymap::Context::Review
        };
        let toggle = app.keymap.first_key(context, action, app.theme.ascii);
        let text = match app.summary.imported {
            Imported::Nothing => t("console.queue.nothing_imported").to_owned(),
            Imported::Households => t("console.queue.no_signals_yet").to_owned(),
            Imported::Cases => t(empty).replace("{key}", &toggle),
        };
        let lines = vec![Line::raw(""), Line::styled(text, app.theme.dim())];
        return frame.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
    }

    // Keep the cursor on screen even if the pane is smaller than the window assumed.
    let cursor = app.window.cursor();
    let mut top = app.window.top().min(cursor);
    if cursor >= top + visible {
        top = cursor + 1 - visible;
    }
    let shown: Vec<(usize, Cells)> = rows
        .iter()
        .enumerate()
        .skip(top)
        .take(visible)
        .map(|(i, r)| (i, cells(app, r)))
        .collect();

    let narrow = cols < NARROW;
    // Judge-first: no rank or chance leaves the store, so their columns would be dashes
    // only; the signals get the room.
    let blind = app.summary.judge_first.is_some();
    let (h_house, h_chance) = if narrow {
        (
            t("console.queue.col_household_short"),
            t("console.queue.col_chance_short"),
        )
    } else {
        (
            t("console.queue.col_household"),
            t("console.queue.col_chance"),
        )
    };
    let h_rank = t("console.queue.col_rank");
    let h_due = t("console.queue.col_due");
    let w_of = |f: &dyn Fn(&Cells) -> usize, header: &str| {
        shown
            .iter()
            .map(|(_, c)| f(c))
            .max()
            .unwrap_or(0)
            .max(width(header))
    };
    let rank_w = if narrow || blind {
        0
    } else {
        w_of(&|c| width(&c.rank), h_rank)
    };
    // The rank column with its trailing space, or nothing.
    let rank_cell = |text: &str| {
        if narrow || blind {
            String::new()
        } else {
            format!("{} ", pad_left(text, rank_w, ell))
        }
    };
    let house_w = w_of(&|c| width(&c.household), h_house).min(12);
    let chance_w = if blind {
        0
    } else {
        w_of(&|c| width(&c.chance), h_chance)
    };
    // The chance column with its trailing space, or nothing.
    let chance_cell = |text: &str| {
        if blind {
            String::new()
        } else {
            format!("{} ", pad_left(text, chance_w, ell))
        }
    };
    let due_w = w_of(&|c| width(&c.due), h_due);
    let rank_total = if narrow || blind { 0 } else { rank_w + 1 };
    let chance_total = if blind { 0 } else { chance_w + 1 };
    let signal_w = cols.saturating_sub(2 + rank_total + house_w + chance_total + due_w + 2);

    let header = format!(
        "  {}{} {}{} {}",
        rank_cell(h_rank),
        pad_right(h_house, house_w, ell),
        chance_cell(h_chance),
        pad_right(h_due, due_w, ell),
        pad_right(t("console.queue.col_signal"), signal_w, ell),
    );
    let mut lines = vec![Line::styled(header, app.theme.dim())];
    for (i, c) in &shown {
        let selected = *i == cursor;
        let decided =
            rows[*i].status != CaseStatus::Open && !app.window.to_sign() && !app.window.outcomes();
        let base = if decided {
            app.theme.dim()
        } else {
            Style::new()
        };
        let due_style = if c.warn { app.theme.warn() } else { base };
        let signal_style = if c.held { app.theme.held_style() } else { base };
        let marker = if selected { app.theme.marker() } else { " " };
        let mut line = Line::from(vec![
            Span::styled(format!("{marker} {}", rank_cell(&c.rank)), base),
            Span::styled(format!("{} ", pad_right(&c.household, house_w, ell)), base),
            Span::styled(chance_cell(&c.chance), base),
            Span::styled(pad_right(&c.due, due_w, ell), due_style),
            Span::styled(
                format!(" {}", pad_right(&c.signal, signal_w, ell)),
                signal_style,
            ),
        ]);
        if selected {
            line = line.patch_style(app.theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
