//! The message line: what the last action did, or why it failed. An error stays visible until
//! the next key, so a failed write is never silent; a message too long for one line takes up
//! to [`MAX_LINES`] lines (the panes above give way), so a refusal's advice is never cut off.

use crate::console::action::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::console::app::{App, StatusKind};
use crate::console::keymap::Context;
use crate::domain::text::sanitize;
use crate::i18n::t;

/// The most lines a message takes; beyond them it is cut.
pub const MAX_LINES: u16 = 4;

/// The message as shown, with its style.
fn message(app: &App) -> Option<(String, ratatui::style::Style)> {
    match &app.status {
        Some(s) if s.kind == StatusKind::Error => Some((
            format!(
                " {} {}",
                t("console.status.error_prefix"),
                sanitize(&s.text)
            ),
            app.theme.error(),
        )),
        Some(s) => Some((format!(" {}", sanitize(&s.text)), app.theme.info())),
        None if app.window.include_decided() => {
            let key = app
                .keymap
                .first_key(Context::Review, Action::ToggleDecided, app.theme.ascii);
            Some((
                format!(
                    " {}",
                    t("console.status.decided_shown").replace("{key}", &key)
                ),
                app.theme.dim(),
            ))
        }
        None => None,
    }
}

fn paragraph(text: String, style: ratatui::style::Style) -> Paragraph<'static> {
    Paragraph::new(Line::raw(text))
        .style(style)
        .wrap(Wrap { trim: false })
}

/// How many lines the message needs at this width (1 to [`MAX_LINES`]).
pub fn height(app: &App, width: u16) -> u16 {
    if app.search_typing() {
        return 1;
    }
    match message(app) {
        Some((text, style)) => {
            let lines = paragraph(text, style).line_count(width);
            (lines as u16).clamp(1, MAX_LINES)
        }
        None => 1,
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if let Some(line) = super::search::prompt_line(app, usize::from(area.width)) {
        return frame.render_widget(Paragraph::new(line), area);
    }
    if let Some((text, style)) = message(app) {
        frame.render_widget(paragraph(text, style), area);
    }
}
