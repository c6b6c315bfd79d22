//! The outcome picker after `e`: the day (arrows move it), the five steps under their
//! digits, what stands now; Esc closes it without a write.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{fit, width};
use crate::console::app::{App, PendingOutcome};
use crate::domain::outcome::{OutcomeStep, Stage};
use crate::domain::text::sanitize;
use crate::i18n::t;

pub fn render(app: &App, pending: &PendingOutcome, frame: &mut Frame, body: Rect) {
    let title = format!(
        " {} ",
        t("console.outcome.title").replace("{household}", &sanitize(&pending.household))
    );
    let day = t("console.outcome.day").replace("{day}", &pending.on.format("%Y-%m-%d").to_string());
    let mut lines: Vec<(Option<char>, String)> = vec![(None, day), (None, String::new())];
    for (stage, heading) in [
        (Stage::Contact, "console.outcome.contact"),
        (Stage::Debts, "console.outcome.debts"),
    ] {
        lines.push((None, t(heading).to_owned()));
        for step in OutcomeStep::ALL.iter().filter(|s| s.stage() == stage) {
            lines.push((
                Some(step.key()),
                t(&format!("outcome.{}", step.as_code())).to_owned(),
            ));
        }
    }
    let standing = app
        .detail()
        .filter(|d| d.case_id == pending.case_id)
        .and_then(|d| d.outcome)
        .map(|(s, _)| s);
    if let Some(step) = standing {
        lines.push((None, String::new()));
        lines.push((
            None,
            t("console.outcome.standing")
                .replace("{step}", t(&format!("outcome.{}", step.as_code()))),
        ));
    }
    let text_w = lines
        .iter()
        .map(|(k, l)| width(l) + if k.is_some() { 3 } else { 0 })
        .max()
        .unwrap_or(0)
        .max(width(&title));
    let inner = super::reason::picker_frame(app, frame, body, title, text_w, lines.len());
    let cols = usize::from(inner.width);
    let rendered: Vec<Line> = lines
        .into_iter()
        .map(|(key, label)| match key {
            Some(k) => Line::from(vec![
                Span::styled(k.to_string(), app.theme.key()),
                Span::raw("  "),
                Span::raw(fit(&label, cols.saturating_sub(3), app.theme.ellipsis())),
            ]),
            None => Line::styled(fit(&label, cols, app.theme.ellipsis()), app.theme.dim()),
        })
        .collect();
    frame.render_widget(
        Paragraph::new(rendered).block(
            ratatui::widgets::Block::new().padding(ratatui::widgets::Padding::horizontal(1)),
        ),
        inner,
    );
}
