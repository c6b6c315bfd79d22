//! The full-screen detail (Enter): everything about the case, including every contribution,
//! the exact sum behind the score, the decision history and all notes. PgUp/PgDn scroll.

use crate::console::action::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::detail::{deadline_line, facts, flags_line, signal_lines, title};
use super::format::{date, date_time, num, signed, top_percent};
use super::{contributions, pane};
use crate::console::app::App;
use crate::console::keymap::Context;
use crate::domain::text::{sanitize, sanitize_lines};
use crate::domain::view::CaseDetail;
use crate::i18n::t;

/// All lines of the full view for a pane `cols` wide.
pub fn lines(app: &App, d: &CaseDetail, cols: usize) -> Vec<Line<'static>> {
    let heading = |key: &str| Line::styled(t(key).to_string(), app.theme.title());
    let sep = app.theme.sep();
    let mut out = super::oversight::lines(app, d, cols);
    out.extend(facts(app, d, cols));
    out.push(Line::raw(format!(
        "{}{sep}{}",
        t("console.full.case").replace("{case}", &d.case_id.to_string()),
        t("console.full.opened").replace("{date}", &date(d.opened_on)),
    )));
    out.push(deadline_line(app, d));
    out.push(Line::raw(""));

    out.push(heading("console.full.signals"));
    out.extend(signal_lines(app, d, usize::MAX, usize::MAX, true));
    out.extend(flags_line(app, d));
    out.push(Line::raw(""));

    match &d.explanation {
        Some(e) => {
            out.extend(super::detail::judged_line(d));
            out.push(Line::styled(
                t("console.detail.why").replace("{baseline}", &num(e.intercept, 2)),
                app.theme.title(),
            ));
            out.extend(contributions::lines(
                app,
                &e.contributions,
                cols,
                e.contributions.len(),
            ));
            let sum: f64 = e.contributions.iter().map(|c| c.contribution).sum();
            // The exactness the explanation promises, shown as the sum it is.
            out.push(Line::raw(
                t("console.full.sum")
                    .replace("{baseline}", &num(e.intercept, 2))
                    .replace("{sum}", &signed(sum, 2))
                    .replace("{logit}", &num(e.logit, 2))
                    .replace("{p}", &num(e.score, 2))
                    .replace("{arrow}", app.theme.arrow()),
            ));
            let mut rank =
                vec![t("console.detail.model").replace("{v}", &e.model_version.to_string())];
            if let Some(r) = &d.ranking {
                let place = match r.rank {
                    Some(place) => t("console.full.rank")
                        .replace("{rank}", &num(place as f64, 0))
                        .replace("{ranked}", &num(r.ranked as f64, 0))
                        .replace("{pct}", &top_percent(place, r.ranked)),
                    None => t("console.detail.unranked").to_owned(),
                };
                rank.insert(0, place);
                rank.push(t("console.detail.auc").replace("{auc}", &num(r.auc, 2)));
            }
            out.push(Line::raw(rank.join(sep)));
        }
        None => out.extend(super::detail::no_model_view(app, d)),
    }
    out.push(Line::raw(""));

    out.push(heading("console.full.history"));
    if d.history.is_empty() {
        out.push(Line::styled(t("console.full.none"), app.theme.dim()));
    }
    for h in &d.history {
        let decision = super::format::decision_label(&h.decision);
        let mut text = format!("{}  {}  {decision}", date_time(h.at), sanitize(&h.reviewer));
        if let Some(code) = &h.reason {
            text = format!("{text}{sep}{}", super::oversight::reason_label(app, code));
        }
        if let Some(code) = &h.four_eyes {
            let rule = t("console.full.four_eyes").replace("{rule}", &super::format::rule(code));
            text = format!("{text}{sep}{rule}");
        }
        if let Some(note) = &h.note {
            let note = sanitize_lines(&crate::messages::written(note)).join(" / ");
            text = format!("{text}{sep}\"{note}\"");
        }
        out.push(Line::raw(text));
    }
    out.push(Line::raw(""));

    out.push(Line::styled(
        t("console.full.notes").replace("{n}", &d.notes.len().to_string()),
        app.theme.title(),
    ));
    if d.notes.is_empty() {
        out.push(Line::styled(t("console.full.none"), app.theme.dim()));
    }
    for n in d.notes.iter().rev() {
        out.push(Line::from(Span::styled(
            format!("{}  {}", date_time(n.at), sanitize(&n.author)),
            app.theme.dim(),
        )));
        out.extend(
            sanitize_lines(&crate::messages::written(&n.text))
                .into_iter()
                .map(|l| Line::raw(format!("  {l}"))),
        );
    }
    out
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let ascii = app.theme.ascii;
    let keys = format!(
        " {}/{} {}{}{} {} ",
        app.keymap.first_key(Context::Review, Action::PageUp, ascii),
        app.keymap
            .first_key(Context::Review, Action::PageDown, ascii),
        t("keys.scroll"),
        app.theme.sep(),
        app.keymap.first_key(Context::Review, Action::Detail, ascii),
        t("keys.back"),
    );
    let Some(d) = app.detail() else {
        let block = pane(app, Line::from(format!(" {} ", t("console.detail.none"))));
        return frame.render_widget(block, area);
    };
    let mut heading = title(app, d);
    if app.new_case {
        // The case changed under the reader's eyes (a decision moved on): say so plainly.
        let marker = format!(" {} ", t("console.full.new_case"));
        heading
            .spans
            .insert(0, Span::styled(marker, app.theme.selected()));
    }
    let block = pane(app, heading)
        .title_bottom(Line::from(keys).right_aligned())
        .padding(ratatui::widgets::Padding::left(1));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let paragraph = Paragraph::new(lines(app, d, usize::from(inner.width)))
        .wrap(ratatui::widgets::Wrap { trim: false });
    // Counted as drawn, wrapped lines included, so the last line can always be scrolled to.
    let drawn = paragraph.line_count(inner.width);
    let max_scroll = drawn.saturating_sub(usize::from(inner.height));
    let scroll = usize::from(app.scroll()).min(max_scroll) as u16;
    frame.render_widget(paragraph.scroll((scroll, 0)), inner);
}
