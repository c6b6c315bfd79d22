//! "Are you sure?" over the case, when a decision comes within seconds of opening it. It
//! names the decision and the time, and the one key that records it; no choice is
//! highlighted, so nothing is confirmed by Enter or by pressing on without reading.

use crate::console::action::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Wrap};

use super::format::num;
use super::{centered, pane};
use crate::console::app::{App, PendingDecision};
use crate::console::keymap::Context;
use crate::domain::decision::Decision;
use crate::domain::text::sanitize;
use crate::i18n::t;

pub fn render(app: &App, pending: &PendingDecision, frame: &mut Frame, body: Rect) {
    let decision = match pending.decision {
        Decision::Accept => t("console.confirm.accept"),
        Decision::Reject => t("console.confirm.reject"),
        Decision::Defer => t("console.confirm.defer"),
    };
    let ascii = app.theme.ascii;
    let key = app
        .keymap
        .first_key(Context::Review, Action::of(pending.decision), ascii);
    let back = app.keymap.first_key(Context::Popup, Action::Cancel, ascii);
    let household = sanitize(&pending.household);
    let seconds = num(pending.seconds.max(0.0), 0);
    let text = t("console.confirm.text")
        .replace("{decision}", decision)
        .replace("{household}", &household)
        .replace("{seconds}", &seconds);
    let area = centered(body, 60, 9);
    frame.render_widget(Clear, area);
    let title = format!(" {} ", t("console.confirm.title"));
    let block = pane(app, Line::styled(title, app.theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = vec![
        Line::raw(text),
        Line::raw(""),
        Line::from(vec![
            Span::styled(key, app.theme.key()),
            Span::raw(format!("  {}", t("console.confirm.again"))),
        ]),
        Line::from(vec![
            Span::styled(back, app.theme.key()),
            Span::raw(format!("  {}", t("console.confirm.back"))),
        ]),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::new().padding(Padding::horizontal(1))),
        inner,
    );
}
