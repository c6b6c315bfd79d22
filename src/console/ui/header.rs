//! The header line: caseload, model version, open cases, decided today, reviewer, and how to
//! get help.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::num;
use super::{fit, width};
use crate::console::app::App;
use crate::console::keymap::Context;
use crate::console::sanitize::sanitize;
use crate::i18n::t;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let s = &app.summary;
    let sep = app.theme.sep();
    let model = match s.model_version {
        Some(v) => t("console.header.model").replace("{v}", &v.to_string()),
        None => t("console.header.no_model").to_string(),
    };
    let mut parts = vec![
        t("app.name").to_string(),
        sanitize(&s.caseload).into_owned(),
        model,
        t("console.header.open").replace("{n}", &num(s.open as f64, 0)),
        t("console.header.today").replace("{n}", &num(s.decided_today as f64, 0)),
        sanitize(app.backend.reviewer()).into_owned(),
    ];
    parts.retain(|p| !p.is_empty());
    let help = format!(
        "{} {} ",
        app.keymap
            .first_key(Context::Review, "help", app.theme.ascii),
        t("keys.help")
    );
    let [left, right] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(width(&help) as u16)])
            .areas(area);
    let text = fit(
        &format!(" {}", parts.join(sep)),
        usize::from(left.width),
        app.theme.ellipsis(),
    );
    frame.render_widget(Paragraph::new(Line::styled(text, app.theme.header())), left);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(help, app.theme.key()))),
        right,
    );
}
