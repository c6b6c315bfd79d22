//! The header line: caseload, team, model version, open cases, decisions waiting for a
//! second signature, decided today, reviewer, and how to get help. When it does not fit, the
//! least needed parts give way first; the caseload's title is shortened last.

use crate::console::action::Action;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format::num;
use super::{fit, width};
use crate::console::app::App;
use crate::console::keymap::Context;
use crate::domain::queue::HaltNotice;
use crate::domain::text::sanitize;
use crate::i18n::t;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let s = &app.summary;
    if let Some(halt) = &s.halt {
        return halted(app, halt, frame, area);
    }
    let sep = app.theme.sep();
    let ell = app.theme.ellipsis();
    let model = match s.model_version {
        Some(v) => t("console.header.model").replace("{v}", &v.to_string()),
        None => t("console.header.no_model").to_string(),
    };
    let team = match &s.team {
        Some(team) => t("console.header.team").replace("{team}", &sanitize(team)),
        None => t("console.header.all_teams").to_string(),
    };
    let drift = match s.drift_run {
        Some(run) => t("console.header.drift").replace("{run}", &run.to_string()),
        None => String::new(),
    };
    let judge_first = match s.judge_first {
        Some(scope) => t(match scope {
            crate::domain::judge_first::JudgeFirstScope::Team => "console.header.judge_first_team",
            crate::domain::judge_first::JudgeFirstScope::Own => "console.header.judge_first",
        })
        .to_string(),
        None => String::new(),
    };
    let to_sign = if s.to_sign > 0 {
        t("console.header.to_sign").replace("{n}", &num(s.to_sign as f64, 0))
    } else {
        String::new()
    };
    // (text, how soon it gives way: lower goes first; 0 is shortened, never dropped).
    let mut parts: Vec<(String, u8)> = vec![
        (t("app.name").to_string(), 2),
        (sanitize(&s.caseload).into_owned(), 0),
        (team, 5),
        // Without a model the queue is in deadline order: that the reader must not miss.
        (model, if s.model_version.is_some() { 1 } else { 8 }),
        (
            t("console.header.open").replace("{n}", &num(s.open as f64, 0)),
            6,
        ),
        (to_sign, 7),
        // Kept the longest: a supervisor must not miss a drifted ranking.
        (drift, 8),
        // Why the queue is not ranked and shows no scores.
        (judge_first, 8),
        (
            t("console.header.today").replace("{n}", &num(s.decided_today as f64, 0)),
            3,
        ),
        (sanitize(app.backend.reviewer()).into_owned(), 4),
    ];
    parts.retain(|(p, _)| !p.is_empty());
    let help = format!(
        "{} {} ",
        app.keymap
            .first_key(Context::Review, Action::Help, app.theme.ascii),
        t("keys.help")
    );
    let [left, right] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(width(&help) as u16)])
            .areas(area);
    // One cell stays free before the help key, so the two never run together.
    let room = usize::from(left.width).saturating_sub(1);
    let joined = |parts: &[(String, u8)]| {
        format!(
            " {}",
            parts
                .iter()
                .map(|(p, _)| p.as_str())
                .collect::<Vec<_>>()
                .join(sep)
        )
    };
    for level in 1..=7 {
        if width(&joined(&parts)) <= room {
            break;
        }
        parts.retain(|(_, l)| *l != level);
    }
    // Still too wide (a long caseload title): the title gives way, then anything left.
    let over = width(&joined(&parts)).saturating_sub(room);
    if over > 0
        && let Some((title, _)) = parts.iter_mut().find(|(_, l)| *l == 0)
    {
        let keep = width(title).saturating_sub(over).max(width(ell) + 1);
        *title = fit(title, keep, ell);
    }
    let text = fit(&joined(&parts), room, ell);
    frame.render_widget(Paragraph::new(Line::styled(text, app.theme.header())), left);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(help, app.theme.key()))),
        right,
    );
}

/// While the model is halted the header line becomes the banner, in the error style (bold
/// and reversed without colour): nobody in any console can miss that the order on screen is
/// not the model's.
fn halted(app: &App, halt: &HaltNotice, frame: &mut Frame, area: Rect) {
    let at = crate::i18n::local_time(crate::i18n::lang(), &halt.at, false)
        .unwrap_or_else(|| halt.at.clone());
    let text = t("console.header.halted")
        .replace("{by}", &sanitize(&halt.by))
        .replace("{at}", &at)
        .replace("{reason}", &sanitize(&halt.reason));
    let text = fit(
        &format!(" {text}"),
        usize::from(area.width),
        app.theme.ellipsis(),
    );
    let padded = format!("{text:<width$}", width = usize::from(area.width));
    frame.render_widget(
        Paragraph::new(Line::styled(padded, app.theme.error())),
        area,
    );
}
