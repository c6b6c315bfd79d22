//! The work sections of the stats view: progress, the open queue's histogram, overrides per
//! day and decisions per reviewer. Each returns its lines for a column `cols` cells wide.

use ratatui::text::{Line, Span};

use super::super::format::{date, num};
use super::super::{pad_left, pad_right};
use super::{charts, heading, note, pct};
use crate::console::app::App;
use crate::domain::stats::{
    HISTOGRAM_BINS, OVERRIDE_DAYS, QueueScores, REVIEWER_DAYS, ReviewerLine, Stats,
    latest_and_pooled,
};
use crate::domain::text::sanitize;
use crate::i18n::t;

/// Rows of the override sparkline: enough for 16 steps in ASCII halves, 32 in eighths.
const SPARK_ROWS: usize = 4;

/// Today and this week, for the actor and their scope; then open and to-sign counts.
pub fn progress(app: &App, s: &Stats, cols: usize) -> Vec<Line<'static>> {
    let p = &s.progress;
    let label = 12;
    let col = 10;
    let row = |name: &str, today: u64, week: u64| {
        Line::raw(format!(
            "  {}{}{}",
            pad_right(name, label, app.theme.ellipsis()),
            pad_left(&num(today as f64, 0), col, ""),
            pad_left(&num(week as f64, 0), col, ""),
        ))
    };
    let mut out = vec![Line::from(vec![
        Span::styled(
            pad_right(t("console.stats.progress"), label + 2, ""),
            app.theme.title(),
        ),
        Span::raw(pad_left(t("console.stats.today"), col, "")),
        Span::raw(pad_left(
            &t("console.stats.week").replace("{week}", &p.week.to_string()),
            col,
            "",
        )),
    ])];
    if let (Some(today), Some(week)) = (p.today_you, p.week_you) {
        out.push(row(t("console.stats.you"), today, week));
    }
    out.push(row(&scope_row(s), p.today_team, p.week_team));
    out.push(Line::raw(format!(
        "  {}",
        t("console.stats.open_to_sign")
            .replace("{open}", &num(p.open as f64, 0))
            .replace("{to_sign}", &num(p.to_sign as f64, 0))
            .replace("{sep}", app.theme.sep())
    )));
    out.extend(note(app, t("console.stats.standing_only"), cols));
    out
}

/// The row label of everyone in scope: the team, or every team.
fn scope_row(s: &Stats) -> String {
    match &s.team {
        Some(team) => t("console.stats.team").replace("{team}", &sanitize(team)),
        None => t("console.stats.all_teams").to_owned(),
    }
}

/// Ten bins of probability over the open queue as bars with counts, or why there are none.
pub fn histogram(app: &App, s: &Stats, cols: usize) -> Vec<Line<'static>> {
    let (counts, unscored) = match &s.histogram {
        QueueScores::Bins { counts, unscored } => (counts, *unscored),
        QueueScores::Halted => {
            return words(app, "console.stats.histogram", "console.stats.halted");
        }
        QueueScores::NotScored => {
            return words(app, "console.stats.histogram", "console.stats.not_scored");
        }
    };
    let total: u64 = counts.iter().sum();
    let mut out = vec![heading(
        app,
        &t("console.stats.histogram_n").replace("{n}", &num(total as f64, 0)),
    )];
    let max = counts.iter().copied().max().unwrap_or(0);
    let dash = if app.theme.ascii { "-" } else { "–" };
    let count_cells = 8;
    let label_cells = 9;
    // One cell spare at the right, so the count never touches the border.
    let bar_cells = cols
        .saturating_sub(2 + label_cells + 1 + count_cells + 1)
        .min(40);
    for (i, &n) in counts.iter().enumerate().rev() {
        let lo = i as f64 / HISTOGRAM_BINS as f64;
        let hi = (i + 1) as f64 / HISTOGRAM_BINS as f64;
        let label = format!("{}{dash}{}", num(lo, 1), num(hi, 1));
        out.push(Line::raw(format!(
            "  {} {}{}",
            pad_right(&label, label_cells, ""),
            pad_right(&charts::bar(&app.theme, n, max, bar_cells), bar_cells, ""),
            pad_left(&num(n as f64, 0), count_cells, ""),
        )));
    }
    if unscored > 0 {
        out.push(Line::styled(
            format!(
                "  {}",
                t("console.stats.unscored").replace("{n}", &num(unscored as f64, 0))
            ),
            app.theme.dim(),
        ));
    }
    out
}

/// A heading and a sentence instead of a chart.
pub(super) fn words(app: &App, title: &str, text: &str) -> Vec<Line<'static>> {
    vec![heading(app, t(title)), Line::raw(format!("  {}", t(text)))]
}

/// The override rate per day as a sparkline over day numbers, with the latest and the
/// pooled rate as figures beside it.
pub fn overrides(app: &App, s: &Stats, cols: usize) -> Vec<Line<'static>> {
    let mut out = vec![heading(
        app,
        &t("console.stats.overrides")
            .replace("{days}", &OVERRIDE_DAYS.to_string())
            .replace("{scope}", &scope_row(s)),
    )];
    let (latest, pooled) = latest_and_pooled(&s.overrides_by_day);
    let (Some((day, rate)), Some(average)) = (latest, pooled) else {
        out.push(Line::raw(format!(
            "  {}",
            t("console.stats.overrides_none").replace("{days}", &OVERRIDE_DAYS.to_string())
        )));
        return out;
    };
    let rates: Vec<Option<f64>> = s.overrides_by_day.iter().map(|d| d.count.rate()).collect();
    for row in charts::sparkline(&app.theme, &s.overrides_by_day, SPARK_ROWS, 2) {
        out.push(Line::raw(format!("  {row}")));
    }
    let days: Vec<String> = s
        .overrides_by_day
        .iter()
        .map(|d| d.day.format("%d").to_string())
        .collect();
    out.push(Line::styled(
        format!("  {}", days.join(" ")),
        app.theme.dim(),
    ));
    let decisions: u64 = s.overrides_by_day.iter().map(|d| d.count.on_ranked).sum();
    out.push(Line::raw(format!(
        "  {}{}{}",
        t("console.stats.latest")
            .replace("{rate}", &pct(rate))
            .replace("{date}", &date(day)),
        app.theme.sep(),
        t("console.stats.average")
            .replace("{rate}", &pct(average))
            .replace("{n}", &num(decisions as f64, 0)),
    )));
    let scale = t("console.stats.scale").replace("{top}", &pct(charts::sparkline_top(&rates)));
    out.extend(note(app, &scale, cols));
    out.extend(note(app, t("console.stats.override_means"), cols));
    out
}

/// Decisions per reviewer over the last 30 days: bars with override rates for the oversight
/// roles, the reviewer's own line and the team's for everyone else.
pub fn reviewers(app: &App, s: &Stats, cols: usize) -> Vec<Line<'static>> {
    let r = &s.reviewers;
    let days = REVIEWER_DAYS.to_string();
    let name_cells = 12;
    let count_cells = 6;
    let rate_cells = 16;
    let text = |l: &ReviewerLine| {
        let rate = match l.overrides.rate() {
            Some(rate) => t("console.stats.override_rate").replace("{rate}", &pct(rate)),
            None => t("console.stats.no_ranked").to_owned(),
        };
        (num(l.decisions as f64, 0), rate)
    };
    let Some(each) = &r.each else {
        let mut out = vec![heading(
            app,
            &t("console.stats.reviewers_own").replace("{days}", &days),
        )];
        let mut lines: Vec<(String, &ReviewerLine)> = Vec::new();
        if let Some(you) = &r.you {
            lines.push((t("console.stats.you").to_owned(), you));
        }
        lines.push((scope_row(s), &r.team));
        for (name, l) in lines {
            let (n, rate) = text(l);
            out.push(Line::raw(format!(
                "  {}{}  {rate}",
                pad_right(&name, name_cells, app.theme.ellipsis()),
                pad_left(&n, count_cells, ""),
            )));
        }
        out.extend(note(app, t("console.stats.reviewers_why"), cols));
        return out;
    };
    let mut out = vec![heading(
        app,
        &t("console.stats.reviewers").replace("{days}", &days),
    )];
    if each.is_empty() {
        out.push(Line::raw(format!(
            "  {}",
            t("console.stats.reviewers_none").replace("{days}", &days)
        )));
        return out;
    }
    let max = each.iter().map(|l| l.decisions).max().unwrap_or(0);
    let bar_cells = cols
        .saturating_sub(2 + name_cells + 1 + count_cells + 2 + rate_cells)
        .min(32);
    let mut row = |name: &str, l: &ReviewerLine, bar: String| {
        let (n, rate) = text(l);
        out.push(Line::raw(format!(
            "  {}{}{}  {rate}",
            pad_right(name, name_cells + 1, app.theme.ellipsis()),
            pad_right(&bar, bar_cells, ""),
            pad_left(&n, count_cells, ""),
        )));
    };
    for l in each {
        // Names come from the users table: made safe like every other stored text.
        let name = sanitize(&l.name).into_owned();
        row(
            &name,
            l,
            charts::bar(&app.theme, l.decisions, max, bar_cells),
        );
    }
    row(&scope_row(s), &r.team, String::new());
    out
}
