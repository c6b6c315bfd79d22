//! The search prompt (`/`, `:`) on the message line, with what it found so far and the keys
//! that open or leave it; and, while the reviewer types, the detail pane's hint in place of
//! a case (nothing is opened until one is picked).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{fit, pane, width};
use crate::console::action::Action;
use crate::console::app::App;
use crate::console::keymap::Context;
use crate::domain::text::sanitize;
use crate::i18n::{t, tf};

/// The prompt's line: "Search: jansen▏  3 cases found by name · Enter open · Esc back".
pub fn prompt_line(app: &App, cols: usize) -> Option<Line<'static>> {
    let search = app.search().filter(|s| s.typing)?;
    let key = |a| app.keymap.first_key(Context::Search, a, app.theme.ascii);
    let label = t(if search.jump {
        "console.search.jump"
    } else {
        "console.search.prompt"
    });
    let cursor = if app.theme.ascii { "_" } else { "▏" };
    let found = search
        .outcome
        .as_ref()
        .map(|o| crate::console::search::found(o, &search.text))
        .unwrap_or_default();
    let hint = tf(
        "console.search.hint",
        &[
            ("confirm", &key(Action::Confirm)),
            ("end", &key(Action::EndSearch)),
        ],
    );
    let tail = [found, hint]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(app.theme.sep());
    let head = format!(" {label}{}", sanitize(&search.text));
    // The text typed keeps its room; what was found gives way first.
    let room = cols.saturating_sub(width(&head) + width(cursor) + 2);
    Some(Line::from(vec![
        Span::styled(head, app.theme.title()),
        Span::styled(cursor.to_owned(), app.theme.key()),
        Span::raw("  "),
        Span::styled(fit(&tail, room, app.theme.ellipsis()), app.theme.dim()),
    ]))
}

/// The detail pane while the reviewer types: how to open a case, nothing more.
pub fn render_hint(app: &App, frame: &mut Frame, area: Rect) {
    let block = pane(
        app,
        Line::styled(format!(" {} ", t("keys.search")), app.theme.title()),
    )
    .padding(ratatui::widgets::Padding::left(1));
    let confirm = app
        .keymap
        .first_key(Context::Search, Action::Confirm, app.theme.ascii);
    let lines = vec![
        Line::raw(""),
        Line::styled(
            tf("console.search.typing", &[("confirm", &confirm)]),
            app.theme.dim(),
        ),
    ];
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        area,
    );
}
