//! The reason picker after `r`: one more key picks the reason, Esc cancels without a write.

use crate::console::action::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{centered, fit, pane, width};
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
    let inner = picker_frame(app, frame, body, title, text_w, labels.len() + 2);
    let cols = usize::from(inner.width);
    let mut lines = vec![Line::styled(
        fit(t("console.reason.prompt"), cols, app.theme.ellipsis()),
        app.theme.dim(),
    )];
    for (key, label) in labels {
        let room = cols.saturating_sub(width(&key) + 2);
        lines.push(Line::from(vec![
            Span::styled(key, app.theme.key()),
            Span::raw("  "),
            Span::raw(fit(&label, room, app.theme.ellipsis())),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            ratatui::widgets::Block::new().padding(ratatui::widgets::Padding::horizontal(1)),
        ),
        inner,
    );
}
