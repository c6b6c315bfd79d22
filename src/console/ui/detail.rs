//! The detail pane: household facts, signals, flags, the deadline, the explanation chart,
//! the score and the notes. Lines are built here and shared with the full-screen view.

use crate::console::action::Action;
use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::{self, date, euros, months, num};
use super::{contributions, fit, pane};
use crate::console::app::App;
use crate::domain::decision::CaseStatus;
use crate::domain::household::HouseholdType;
use crate::domain::household::Signal;
use crate::domain::text::sanitize;
use crate::domain::view::CaseDetail;
use crate::i18n::t;

/// Signal lines shown in the pane; the full view shows all of them.
const MAX_SIGNALS: usize = 3;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    // While the reviewer types a search nothing is opened: the pane says how to open one.
    if app.search_typing() {
        return super::search::render_hint(app, frame, area);
    }
    let Some(d) = app.detail() else {
        let block = pane(app, Line::from(format!(" {} ", t("console.detail.none"))));
        return frame.render_widget(block, area);
    };
    // One cell of air after the border; the queue has its marker column for that.
    let block = pane(app, title(app, d)).padding(ratatui::widgets::Padding::left(1));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let cols = usize::from(inner.width);
    let height = usize::from(inner.height);

    let mut head = super::oversight::lines(app, d, cols);
    head.extend(facts(app, d, cols));
    let flags = flags_line(app, d);
    let deadline = deadline_line(app, d);
    let footer = vec![score_line(app, d, cols), notes_line(app, d, cols)];
    // Fixed lines: head, flags, deadline, a blank, the chart caption, the footer.
    let fixed = head.len() + usize::from(flags.is_some()) + 3 + footer.len();
    // Signals give way before the chart drops under four rows.
    let signal_room = height.saturating_sub(fixed + 4).max(1);
    head.extend(signal_lines(
        app,
        d,
        signal_room.min(MAX_SIGNALS + 1),
        cols,
        false,
    ));
    head.extend(flags);
    head.push(deadline);
    head.push(Line::raw(""));
    let chart_rows = height.saturating_sub(head.len() + 1 + footer.len());
    head.extend(explanation_lines(app, d, cols, chart_rows));
    head.extend(footer);
    let lines: Vec<Line> = head.into_iter().map(|l| clip(app, l, cols)).collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "Household H-04821", with the status when the case is decided.
pub fn title(app: &App, d: &CaseDetail) -> Line<'static> {
    let mut text = format!(
        " {} ",
        t("console.detail.title").replace("{household}", &sanitize(&d.household.pseudonym))
    );
    if d.status != CaseStatus::Open {
        text = format!(
            "{}{}{} ",
            text.trim_end(),
            app.theme.sep(),
            format::status(d.status)
        );
    }
    // What the outreach found so far: the reason the case is in the outcome list, or not.
    if let Some((step, _)) = d.outcome {
        text = format!(
            "{}{}{} ",
            text.trim_end(),
            app.theme.sep(),
            t(&format!("outcome.{}", step.as_code()))
        );
    }
    Line::styled(text, app.theme.title())
}

/// Type, children, income, district; then the history flags when there are any. Packed
/// into as few lines of `cols` cells as they need, rather than cut off.
pub fn facts(app: &App, d: &CaseDetail, cols: usize) -> Vec<Line<'static>> {
    let h = &d.household;
    let sep = app.theme.sep();
    let mut first = vec![format::household_type(h.household_type).to_string()];
    // "couple without children · no children" says it twice.
    if !(h.household_type == HouseholdType::CoupleWithoutChildren && h.children == 0) {
        first.push(format::children(h.children));
    }
    first.push(format::income_source(h.income_source).to_string());
    first.push(sanitize(&h.district).into_owned());
    let mut out: Vec<Line<'static>> = pack(&first, sep, cols).into_iter().map(Line::raw).collect();
    let history: Vec<String> = [
        (h.earlier_debt_help, "console.detail.earlier_debt_help"),
        (
            h.known_to_district_team,
            "console.detail.known_to_district_team",
        ),
        (h.wmo_youth_support, "console.detail.wmo_youth_support"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, key)| t(key).to_string())
    .collect();
    out.extend(pack(&history, sep, cols).into_iter().map(Line::raw));
    out
}

/// Joins parts with `sep` into lines of at most `cols` cells, starting a new line rather
/// than splitting a part.
pub fn pack(parts: &[String], sep: &str, cols: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for part in parts {
        match lines.last_mut() {
            Some(line) if super::width(line) + super::width(sep) + super::width(part) <= cols => {
                line.push_str(sep);
                line.push_str(part);
            }
            _ => lines.push(part.clone()),
        }
    }
    lines
}

/// One line per signal, at most `room` lines (the last says how many more there are), in
/// `cols` cells. `full` adds the creditor's name and cents.
pub fn signal_lines(
    app: &App,
    d: &CaseDetail,
    room: usize,
    cols: usize,
    full: bool,
) -> Vec<Line<'static>> {
    if d.signals.is_empty() {
        return vec![Line::styled(
            t("console.detail.no_signals"),
            app.theme.dim(),
        )];
    }
    // The pane shows the case's own month; the household's earlier signals (a history of
    // past cases) would read as current on a screen too narrow for their dates, so they are
    // counted, and the full view lists them with dates. Later signals belong to a later
    // case, not to this one's story.
    let month = (d.opened_on.year(), d.opened_on.month());
    let of_month = |s: &Signal| (s.received_on.year(), s.received_on.month());
    let earlier = d.signals.iter().filter(|s| of_month(s) < month).count();
    let listed: Vec<&Signal> = d
        .signals
        .iter()
        .filter(|s| of_month(s) == month || (full && of_month(s) < month))
        .collect();
    let others = if full { 0 } else { earlier };
    let shown = if listed.len() + usize::from(others > 0) > room {
        room.saturating_sub(1).min(listed.len())
    } else {
        listed.len()
    };
    let mut out: Vec<Line<'static>> = listed[..shown]
        .iter()
        .map(|s| signal_line(app, s, cols, full))
        .collect();
    let more = listed.len() - shown + others;
    if more > 0 {
        // The key that opens the full view, from the keymap (a user's override included).
        let key = app.keymap.first_key(
            crate::console::keymap::Context::Review,
            Action::Detail,
            app.theme.ascii,
        );
        let more = crate::i18n::tf(
            "console.detail.more_signals",
            &[("n", &more), ("key", &key)],
        );
        out.push(Line::styled(more, app.theme.dim()));
    }
    out
}

/// Creditor, amount and months always; then the threat, the end of supply and the date
/// received while they fit (the full view has room for all, and the creditor's name). When
/// the threat's words do not fit, the line starts with `!` instead: an eviction or cut-off is
/// the one fact that must never drop off a narrow screen.
fn signal_line(app: &App, s: &Signal, cols: usize, full: bool) -> Line<'static> {
    let sep = app.theme.sep();
    let mut spans = Vec::new();
    let mut used = 0;
    let head = format!(
        "{} {}{sep}{}",
        format::creditor(s.creditor_type),
        euros(&app.theme, s.amount_cents, if full { 2 } else { 0 }),
        months(s.months_in_arrears),
    );
    let threat_fits =
        super::width(&head) + super::width(sep) + super::width(format::threat(s.creditor_type))
            <= cols;
    if s.threat && !full && !threat_fits {
        spans.push(Span::styled("! ", app.theme.warn()));
        used += 2;
    }
    used += super::width(&head);
    spans.push(Span::raw(head));
    let mut optional: Vec<Span<'static>> = Vec::new();
    if full {
        optional.push(Span::raw(sanitize(&s.creditor).into_owned()));
    }
    if s.threat {
        optional.push(Span::styled(
            format::threat(s.creditor_type),
            app.theme.warn(),
        ));
    }
    if let Some(end) = s.end_of_supply_on {
        optional.push(Span::raw(
            t("console.detail.end_of_supply").replace("{date}", &date(end)),
        ));
    }
    optional.push(Span::raw(
        t("console.detail.received").replace("{date}", &date(s.received_on)),
    ));
    for span in optional {
        let w = super::width(sep) + span.width();
        if used + w <= cols || full {
            used += w;
            spans.push(Span::raw(sep.to_string()));
            spans.push(span);
        }
    }
    Line::from(spans)
}

/// *meervoudig* and *opeenvolgend*, when set.
pub fn flags_line(app: &App, d: &CaseDetail) -> Option<Line<'static>> {
    let flags: Vec<&str> = [
        (d.flags.multiple, "console.detail.multiple"),
        (d.flags.repeated, "console.detail.repeated"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, key)| t(key))
    .collect();
    (!flags.is_empty()).then(|| Line::raw(flags.join(app.theme.sep())))
}

/// When first contact is due, and how long that leaves; warned when urgent or overdue.
pub fn deadline_line(app: &App, d: &CaseDetail) -> Line<'static> {
    let days = (d.deadline_on - app.today).num_days();
    let when = date(d.deadline_on);
    let plural = |n: i64, one: &str, many: &str| {
        t(if n == 1 { one } else { many }).replace("{n}", &n.to_string())
    };
    let (by, left, warn) = if days < 0 {
        let late = plural(
            -days,
            "console.detail.overdue_one",
            "console.detail.overdue_many",
        );
        (t("console.detail.due_was"), late, true)
    } else if d.flags.threat {
        let wd = format::working_days(app.today, d.deadline_on);
        let left = plural(
            wd,
            "console.detail.left_working_day_one",
            "console.detail.left_working_day_many",
        );
        (t("console.detail.due_by"), left, true)
    } else {
        let left = plural(
            days,
            "console.detail.left_day_one",
            "console.detail.left_day_many",
        );
        (t("console.detail.due_by"), left, days <= 3)
    };
    let text = format!("{}{}{left}", by.replace("{date}", &when), app.theme.sep());
    // The mark leads, so it survives a narrow pane and shows without colour.
    if warn {
        Line::styled(format!("! {text}"), app.theme.warn())
    } else {
        Line::raw(text)
    }
}

/// The caption and the chart, or a plain line when the case has no score.
pub fn explanation_lines(
    app: &App,
    d: &CaseDetail,
    cols: usize,
    rows: usize,
) -> Vec<Line<'static>> {
    let Some(e) = &d.explanation else {
        return no_model_view(app, d);
    };
    let caption = t("console.detail.why").replace("{baseline}", &num(e.intercept, 2));
    let mut out = judged_line(d);
    let rows = rows.saturating_sub(out.len());
    out.push(Line::styled(caption, app.theme.title()));
    out.extend(contributions::lines(app, &e.contributions, cols, rows));
    out
}

/// Why there is no score to show: halted, waiting for the reviewer's own judgment
/// (judge-first), or not ranked yet.
pub fn no_model_view(app: &App, d: &CaseDetail) -> Vec<Line<'static>> {
    if app.summary.halt.is_some() {
        return vec![Line::styled(t("console.detail.halted"), app.theme.dim())];
    }
    if d.judge_first.is_some_and(|j| j.initial.is_none()) {
        let key = |name| {
            app.keymap.first_key(
                crate::console::keymap::Context::Review,
                name,
                app.theme.ascii,
            )
        };
        let choices = t("console.detail.judge_first_keys")
            .replace("{needs_help}", &key(Action::JudgeNeedsHelp))
            .replace("{no_need}", &key(Action::JudgeNoNeed))
            .replace("{unsure}", &key(Action::JudgeUnsure));
        return vec![
            Line::styled(t("console.detail.judge_first"), app.theme.title()),
            Line::raw(choices),
            Line::styled(t("console.detail.judge_first_then"), app.theme.dim()),
        ];
    }
    vec![Line::styled(
        t("console.detail.not_scored"),
        app.theme.dim(),
    )]
}

/// In judge-first mode, once judged: the reviewer's own first view, above the model's.
pub fn judged_line(d: &CaseDetail) -> Vec<Line<'static>> {
    match d.judge_first.and_then(|j| j.initial) {
        Some(j) => vec![Line::raw(
            t("console.detail.judged")
                .replace("{judgment}", t(&format!("judgment.{}", j.as_code()))),
        )],
        None => Vec::new(),
    }
}

/// "chance 0.91 · top 3% · model v3 · AUC 0.78". In a narrow pane the model version goes
/// first (the header shows it too); the model's quality stays next to its output.
pub fn score_line(app: &App, d: &CaseDetail, cols: usize) -> Line<'static> {
    let Some(e) = &d.explanation else {
        return Line::raw("");
    };
    let mut parts = vec![t("console.detail.chance").replace("{p}", &num(e.score, 2))];
    match d.ranking.as_ref().map(|r| (r.rank, r.ranked)) {
        Some((Some(rank), ranked)) => {
            let top = format::top_percent(rank, ranked);
            parts.push(t("console.detail.top").replace("{pct}", &top));
        }
        Some((None, _)) => parts.push(t("console.detail.unranked").to_owned()),
        None => {}
    }
    let model = t("console.detail.model").replace("{v}", &e.model_version.to_string());
    let auc = d
        .ranking
        .as_ref()
        .map(|r| t("console.detail.auc").replace("{auc}", &num(r.auc, 2)));
    let sep = app.theme.sep();
    let mut all = parts.clone();
    all.push(model);
    all.extend(auc.clone());
    if super::width(&all.join(sep)) > cols {
        all = parts;
        all.extend(auc);
    }
    Line::raw(all.join(sep))
}

/// "notes (2) · last: "already in contact with …""
pub fn notes_line(app: &App, d: &CaseDetail, cols: usize) -> Line<'static> {
    let Some(last) = d.notes.iter().max_by_key(|n| n.seq) else {
        return Line::styled(t("console.detail.no_notes"), app.theme.dim());
    };
    let head = format!(
        "{}{}{}",
        t("console.detail.notes_count").replace("{n}", &d.notes.len().to_string()),
        app.theme.sep(),
        t("console.detail.last_note"),
    );
    let note = crate::messages::written(&last.text);
    let first_line = note.lines().next().unwrap_or("");
    let more = note.lines().count() > 1;
    let mut text = sanitize(first_line).into_owned();
    if more {
        text.push_str(app.theme.ellipsis());
    }
    let room = cols.saturating_sub(super::width(&head) + 2);
    Line::from(vec![
        Span::raw(head),
        Span::styled(
            format!("\"{}\"", fit(&text, room, app.theme.ellipsis())),
            Style::new(),
        ),
    ])
}

/// Cuts a line to the pane width with an ellipsis, rather than letting it run off silently.
fn clip(app: &App, line: Line<'static>, cols: usize) -> Line<'static> {
    if line.width() <= cols {
        return line;
    }
    let mut used = 0;
    let mut spans = Vec::new();
    let room = cols.saturating_sub(super::width(app.theme.ellipsis()));
    for span in line.spans {
        let w = span.width();
        if used + w <= room {
            used += w;
            spans.push(span);
        } else {
            let cut = fit(
                &span.content,
                room - used + super::width(app.theme.ellipsis()),
                app.theme.ellipsis(),
            );
            spans.push(Span::styled(cut, span.style));
            break;
        }
    }
    Line::from(spans).style(line.style)
}
