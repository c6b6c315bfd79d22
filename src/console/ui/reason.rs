//! The reason picker after `r`: one more key picks the reason, Esc cancels without a write.

use crate::console::action::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{centered, fit, pane, width};

/// `text` in lines of at most `cols` cells, broken at spaces (a word longer than a line is
/// cut).
fn wrap(text: &str, cols: usize, ellipsis: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && width(&line) + 1 + width(word) > cols {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push(line);
    }
    out.into_iter()
        .map(|l| fit(&l, cols.max(1), ellipsis))
        .collect()
}
use crate::console::app::App;
use crate::console::keymap::Context;
use crate::domain::text::sanitize;
use crate::i18n::{Lang, lang, t};

/// A picker's box over `body`: cleared, titled, "Esc cancel" at the bottom, room for text
/// `text_w` wide and `lines` high; returns the inside.
pub(super) fn picker_frame(
    app: &App,
    frame: &mut Frame,
    body: Rect,
    title: String,
    text_w: usize,
    lines: usize,
) -> Rect {
    let area = centered(
        body,
        (text_w as u16).saturating_add(4),
        (lines as u16).saturating_add(2),
    );
    boxed(app, frame, area, title)
}

/// The picker's box in exactly `area`: cleared, titled, "Esc cancel" at the bottom.
fn boxed(app: &App, frame: &mut Frame, area: Rect, title: String) -> Rect {
    frame.render_widget(Clear, area);
    let cancel = format!(
        " {} {} ",
        app.keymap
            .first_key(Context::Popup, Action::Cancel, app.theme.ascii),
        t("keys.cancel")
    );
    let block = pane(app, Line::styled(title, app.theme.title()))
        .title_bottom(Line::from(cancel).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

pub fn render(app: &App, frame: &mut Frame, body: Rect) {
    let household = app
        .selected()
        .map(|r| sanitize(&r.household).into_owned())
        .unwrap_or_default();
    let title = format!(
        " {} ",
        t("console.reason.title").replace("{household}", &household)
    );
    let labels: Vec<(String, String)> = app
        .reasons
        .iter()
        .map(|r| {
            let label = if lang() == Lang::Nl { &r.nl } else { &r.en };
            (
                sanitize(&r.key.to_string()).into_owned(),
                sanitize(label).into_owned(),
            )
        })
        .collect();
    let text_w = labels
        .iter()
        .map(|(k, l)| width(k) + 2 + width(l))
        .max()
        .unwrap_or(0)
        .max(width(&title));
    // Seen in a trial: centred, the picker covered the explanation being judged. Beside the
    // detail pane it takes the queue pane's place (the queue is what matters least while a
    // reason is picked), its labels wrapped rather than cut.
    let inner = if app.view.is_queue() {
        let area = Rect {
            width: super::queue_width(body.width).min(body.width),
            ..body
        };
        boxed(app, frame, area, title)
    } else {
        picker_frame(app, frame, body, title, text_w, labels.len() + 2)
    };
    let cols = usize::from(inner.width).saturating_sub(2);
    let mut lines: Vec<Line<'static>> =
        wrap(t("console.reason.prompt"), cols, app.theme.ellipsis())
            .into_iter()
            .map(|l| Line::styled(l, app.theme.dim()))
            .collect();
    for (key, label) in labels {
        let indent = width(&key) + 2;
        for (i, part) in wrap(&label, cols.saturating_sub(indent), app.theme.ellipsis())
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 {
                Span::styled(format!("{key}  "), app.theme.key())
            } else {
                Span::raw(" ".repeat(indent))
            };
            lines.push(Line::from(vec![lead, Span::raw(part)]));
        }
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            ratatui::widgets::Block::new().padding(ratatui::widgets::Padding::horizontal(1)),
        ),
        inner,
    );
}
