//! The household's whole story (`h`): its signals per creditor as a line of months (how the
//! arrears grew or went away), then every case the reader may see, newest first, with its
//! score, decisions, outcome and notes. Read-only; opening it is logged.

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::format::{creditor, date, date_time, decision_label, euros, num, status};
use super::pane;
use crate::console::action::Action;
use crate::console::app::App;
use crate::console::keymap::Context;
use crate::domain::household_story::{HouseholdStory, sparkline};
use crate::domain::text::{sanitize, sanitize_lines};
use crate::i18n::{t, tf};

/// Months the signal lines cover, up to the newest signal.
const MONTHS: u32 = 24;

pub fn lines(app: &App, story: &HouseholdStory) -> Vec<Line<'static>> {
    let sep = app.theme.sep();
    let heading = |text: String| Line::styled(text, app.theme.title());
    let mut out = vec![heading(t("console.history.signals").to_owned())];
    let newest = story
        .creditors
        .iter()
        .flat_map(|c| c.months.iter().map(|m| m.0))
        .max();
    match newest {
        None => out.push(Line::styled(t("console.full.none"), app.theme.dim())),
        Some(to) => {
            let oldest = story
                .creditors
                .iter()
                .flat_map(|c| c.months.iter().map(|m| m.0))
                .min()
                .unwrap_or(to);
            let from = (to - chrono::Months::new(MONTHS - 1)).max(oldest);
            out.push(Line::styled(
                tf(
                    "console.history.span",
                    &[("from", &month(from)), ("to", &month(to))],
                ),
                app.theme.dim(),
            ));
            for trail in &story.creditors {
                let last = trail.months.last().expect("a trail has a month");
                out.push(Line::from(vec![
                    Span::styled(
                        format!("{} ", sparkline(trail, from, to, app.theme.ascii)),
                        app.theme.key(),
                    ),
                    Span::raw(format!(
                        "{}{sep}{}{sep}{}",
                        sanitize(&trail.creditor),
                        creditor(trail.creditor_type),
                        tf(
                            "console.history.last",
                            &[
                                ("amount", &euros(&app.theme, last.1, 0)),
                                ("months", &last.2),
                                ("month", &month(last.0)),
                            ],
                        ),
                    )),
                ]));
            }
        }
    }
    out.push(Line::raw(""));
    out.push(heading(tf(
        "console.history.cases",
        &[("n", &story.cases.len())],
    )));
    for case in &story.cases {
        out.push(Line::raw(""));
        let mut head = vec![
            tf("console.full.case", &[("case", &case.case_id)]),
            date(case.opened_on),
            status(case.status).to_owned(),
            tf("console.header.team", &[("team", &sanitize(&case.team))]),
        ];
        if let (Some(rank), Some(p)) = (case.rank, case.probability) {
            head.push(tf(
                "console.history.score",
                &[("p", &num(p, 2)), ("rank", &num(rank as f64, 0))],
            ));
        }
        if let Some(label) = case.label {
            head.push(
                t(if label {
                    "console.history.label_help"
                } else {
                    "console.history.label_no_help"
                })
                .to_owned(),
            );
        }
        out.push(Line::styled(head.join(sep), app.theme.title()));
        for d in &case.decisions {
            let mut text = format!(
                "  {}  {}  {}",
                date_time(d.at),
                sanitize(&d.reviewer),
                decision_label(&d.decision)
            );
            if let Some(code) = &d.reason {
                text = format!("{text}{sep}{}", super::oversight::reason_label(app, code));
            }
            out.push(Line::raw(text));
        }
        if !case.outcome.is_empty() {
            let steps: Vec<String> = case
                .outcome
                .iter()
                .map(|code| t(&format!("outcome.{code}")).to_owned())
                .collect();
            out.push(Line::raw(format!(
                "  {}",
                tf("console.history.outcome", &[("steps", &steps.join(sep))])
            )));
        }
        for n in &case.notes {
            let text = sanitize_lines(&crate::messages::written(&n.text)).join(" / ");
            out.push(Line::styled(
                format!("  {}  {}  \"{text}\"", date_time(n.at), sanitize(&n.author)),
                app.theme.dim(),
            ));
        }
    }
    out
}

/// `nov 2026`, as the reader's language writes a month.
fn month(d: NaiveDate) -> String {
    format!(
        "{} {}",
        t(&format!("console.history.month.{}", d.month())),
        d.year()
    )
}

/// Lines the view has beyond the screen at this size, for scrolling to the end.
pub fn max_scroll(app: &App) -> u16 {
    let Some(story) = app.story() else { return 0 };
    let (w, h) = (app.size.0.saturating_sub(3), app.size.1.saturating_sub(5));
    let drawn = Paragraph::new(lines(app, story))
        .wrap(Wrap { trim: false })
        .line_count(w);
    drawn.saturating_sub(usize::from(h)) as u16
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(story) = app.story() else {
        return frame.render_widget(pane(app, Line::raw("")), area);
    };
    let ascii = app.theme.ascii;
    let keys = format!(
        " {}/{} {}{}{} {} ",
        app.keymap.first_key(Context::Review, Action::PageUp, ascii),
        app.keymap
            .first_key(Context::Review, Action::PageDown, ascii),
        t("keys.scroll"),
        app.theme.sep(),
        app.keymap
            .first_key(Context::Review, Action::History, ascii),
        t("keys.back"),
    );
    let title = tf(
        "console.history.title",
        &[("household", &sanitize(&story.household))],
    );
    let block = pane(app, Line::styled(format!(" {title} "), app.theme.title()))
        .title_bottom(Line::from(keys).right_aligned())
        .padding(ratatui::widgets::Padding::left(1));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let paragraph = Paragraph::new(lines(app, story)).wrap(Wrap { trim: false });
    let drawn = paragraph.line_count(inner.width);
    let scroll = usize::from(app.scroll()).min(drawn.saturating_sub(usize::from(inner.height)));
    frame.render_widget(paragraph.scroll((scroll as u16, 0)), inner);
}
