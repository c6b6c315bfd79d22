//! The message line: what the last action did, or why it failed. An error stays visible until
//! the next key, so a failed write is never silent.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::fit;
use crate::console::app::{App, StatusKind};
use crate::console::keymap::Context;
use crate::console::sanitize::sanitize;
use crate::i18n::t;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let cols = usize::from(area.width);
    let ell = app.theme.ellipsis();
    let line = match &app.status {
        Some(s) if s.kind == StatusKind::Error => {
            let text = format!(
                " {} {}",
                t("console.status.error_prefix"),
                sanitize(&s.text)
            );
            Line::styled(
                format!("{:<cols$}", fit(&text, cols, ell)),
                app.theme.error(),
            )
        }
        Some(s) => Line::styled(
            fit(&format!(" {}", sanitize(&s.text)), cols, ell),
            app.theme.info(),
        ),
        None if app.window.include_decided() => {
            let key = app
                .keymap
                .first_key(Context::Review, "toggle_decided", app.theme.ascii);
            Line::styled(
                fit(
                    &format!(
                        " {}",
                        t("console.status.decided_shown").replace("{key}", &key)
                    ),
                    cols,
                    ell,
                ),
                app.theme.dim(),
            )
        }
        None => Line::raw(""),
    };
    frame.render_widget(Paragraph::new(line), area);
}
