//! The key bar, generated from the keymap for whatever has the keys right now, so it always
//! says what the keys really do.

use crate::console::action::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::width;
use crate::console::app::{App, Popup, View};
use crate::console::keymap::Context;
use crate::domain::text::sanitize;
use crate::i18n::t;

/// The queue's keys in the order shown, most needed first (the decisions, then undo, help and
/// quit, then the views; `to_sign` only leads for those who sign). When they do not all fit, the
/// least needed go first; the order of the rest stays.
const QUEUE: &[(Action, u8)] = &[
    (Action::Accept, 0),
    (Action::Reject, 1),
    (Action::Defer, 2),
    (Action::Note, 6),
    (Action::Undo, 3),
    (Action::Reveal, 7),
    (Action::ToSign, 10),
    (Action::Help, 4),
    (Action::Quit, 5),
    (Action::Detail, 8),
    (Action::ToggleDecided, 9),
    (Action::Stats, 11),
    (Action::ByDeadline, 12),
    (Action::ToggleJudgeFirst, 13),
    (Action::Outcomes, 14),
    (Action::Search, 9),
    (Action::History, 10),
    (Action::Jump, 15),
];

/// In a search's results: moving through them and the way back lead; the queue's keys
/// follow (all but the note's, whose `n` is "next" here: the full view has it).
const SEARCH: &[(Action, u8)] = &[
    (Action::NextMatch, 0),
    (Action::PreviousMatch, 1),
    (Action::EndSearch, 2),
];

/// Judge-first mode, before the reviewer's own judgment of the case on screen: the three
/// judgments take the place of the decisions (which the store would refuse until then).
const JUDGE_FIRST: &[(Action, u8)] = &[
    (Action::JudgeNeedsHelp, 0),
    (Action::JudgeNoNeed, 1),
    (Action::JudgeUnsure, 2),
    (Action::Note, 6),
    (Action::Undo, 3),
    (Action::Reveal, 7),
    (Action::Help, 4),
    (Action::Quit, 5),
    (Action::Detail, 8),
    (Action::ToggleDecided, 9),
    (Action::Stats, 11),
    (Action::ByDeadline, 12),
    (Action::ToggleJudgeFirst, 13),
];

/// In the list of cases waiting for an outcome: recording it leads, then the way back.
const OUTCOMES: &[(Action, u8)] = &[
    (Action::Outcome, 0),
    (Action::Outcomes, 1),
    (Action::Undo, 2),
    (Action::Help, 3),
    (Action::Quit, 4),
    (Action::Detail, 8),
];

/// Priorities from here on are views, shown only where there is room to spare.
const VIEW: u8 = 8;

/// In the to-sign queue: confirming and sending back lead, then the way back to the queue.
const TO_SIGN: &[(Action, u8)] = &[
    (Action::Sign, 0),
    (Action::SendBack, 1),
    (Action::ToSign, 2),
    (Action::Reveal, 5),
    (Action::Note, 6),
    (Action::Help, 4),
    (Action::Quit, 3),
    (Action::Detail, 8),
];

/// (key, label, priority) for the current state; a lower priority number is more needed.
pub fn items(app: &App) -> Vec<(String, String, u8)> {
    let ascii = app.theme.ascii;
    let key = |ctx, name| app.keymap.first_key(ctx, name, ascii);
    let editor_keys = |save: &str| {
        vec![
            (
                key(Context::Editor, Action::SaveNote),
                t(save).to_string(),
                0,
            ),
            (
                key(Context::Editor, Action::Cancel),
                t("keys.cancel").to_string(),
                1,
            ),
        ]
    };
    match &app.popup {
        Some(Popup::Note(_)) => editor_keys("keys.save"),
        Some(Popup::SendBack(_)) => editor_keys("keys.send_back"),
        Some(Popup::RejectNote(..)) => editor_keys("keys.reject_with_note"),
        Some(Popup::Reason) => {
            let keys: Vec<String> = app
                .reasons
                .iter()
                .map(|r| sanitize(&r.key.to_string()).into_owned())
                .collect();
            let range = match (keys.first(), keys.last()) {
                (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
                (Some(a), _) => a.clone(),
                _ => String::new(),
            };
            vec![
                (range, t("keys.reason").to_string(), 0),
                (
                    key(Context::Popup, Action::Cancel),
                    t("keys.cancel").to_string(),
                    1,
                ),
            ]
        }
        Some(Popup::Outcome(_)) => vec![
            ("1-5".to_owned(), t("keys.outcome_step").to_string(), 0),
            ("←/→".to_owned(), t("keys.outcome_day").to_string(), 1),
            (
                key(Context::Popup, Action::Cancel),
                t("keys.cancel").to_string(),
                2,
            ),
        ],
        Some(Popup::Help) => vec![(
            key(Context::Popup, Action::Cancel),
            t("keys.close").to_string(),
            0,
        )],
        Some(Popup::Confirm(pending)) => {
            vec![
                (
                    key(Context::Review, Action::of(pending.decision)),
                    t("keys.confirm_decision").to_string(),
                    0,
                ),
                (
                    key(Context::Popup, Action::Cancel),
                    t("keys.look_again").to_string(),
                    1,
                ),
            ]
        }
        None if app.view.is_stats() => stats_items(app),
        None if app.view.is_history() => history_items(app),
        None if app.search_typing() => vec![
            (
                key(Context::Search, Action::Confirm),
                t("keys.confirm").to_string(),
                0,
            ),
            (
                key(Context::Search, Action::EndSearch),
                t("keys.end_search").to_string(),
                1,
            ),
            (
                format!(
                    "{}/{}",
                    not_typed(app, Action::NextMatch),
                    not_typed(app, Action::PreviousMatch)
                ),
                t("keys.next_match").to_string(),
                2,
            ),
        ],
        None => {
            let role = app.role();
            let signs = role.signs();
            let to_sign = app.window.to_sign();
            let names = if app.window.outcomes() {
                OUTCOMES
            } else if to_sign {
                TO_SIGN
            } else if crate::console::judging::awaiting_judgment(app) {
                JUDGE_FIRST
            } else {
                QUEUE
            };
            // Keys the store would refuse for this role are left out (the help lists all).
            let queue: Vec<(String, String, u8)> = names
                .iter()
                .filter(|(action, _)| action.allowed(role))
                .map(|(action, priority)| {
                    let priority = *priority;
                    let label = match (action, &app.view) {
                        (Action::Detail, View::FullDetail { .. }) => t("keys.back"),
                        (Action::ToSign, _) if to_sign => t("keys.queue"),
                        (Action::Outcomes, _) if app.window.outcomes() => t("keys.queue"),
                        _ => t(&format!("keys.{}", action.name())),
                    };
                    // Signatures waiting for someone who gives them: the way there comes
                    // before `v` (whose key the detail pane names anyway).
                    let priority = if *action == Action::ToSign
                        && !to_sign
                        && signs
                        && app.summary.to_sign > 0
                    {
                        6
                    } else {
                        priority
                    };
                    (
                        key(Context::Review, action.clone()),
                        label.to_string(),
                        priority,
                    )
                })
                .filter(|(k, _, _)| !k.is_empty())
                .collect();
            if app.showing_search_results() && app.view.is_queue() {
                let mut items: Vec<(String, String, u8)> = SEARCH
                    .iter()
                    .map(|(action, priority)| {
                        (
                            key(Context::Search, action.clone()),
                            t(&format!("keys.{}", action.name())).to_string(),
                            *priority,
                        )
                    })
                    .collect();
                let taken: Vec<String> = items.iter().map(|(k, ..)| k.clone()).collect();
                items.extend(
                    queue
                        .into_iter()
                        .filter(|(k, ..)| !taken.contains(k))
                        .map(|(k, l, p)| (k, l, p + 3)),
                );
                return items;
            }
            queue
        }
    }
}

/// The first key of a search action that does not type into the prompt (n types an n
/// there; the arrow keys move).
fn not_typed(app: &App, action: Action) -> String {
    app.keymap
        .binding(Context::Search, action)
        .and_then(|b| {
            b.keys
                .iter()
                .find(|k| !matches!(k.code, crossterm::event::KeyCode::Char(_)) || k.ctrl || k.alt)
        })
        .map(|k| k.label(app.theme.ascii))
        .unwrap_or_default()
}

/// In the history: scrolling, the way back, help and quit (it is read-only).
fn history_items(app: &App) -> Vec<(String, String, u8)> {
    let key = |name| app.keymap.first_key(Context::Review, name, app.theme.ascii);
    vec![
        (
            format!("{}/{}", key(Action::PageDown), key(Action::PageUp)),
            t("keys.scroll").to_string(),
            0,
        ),
        (
            format!("{}/{}", key(Action::History), key(Action::Back)),
            t("keys.back").to_string(),
            1,
        ),
        (key(Action::Help), t("keys.help").to_string(), 2),
        (key(Action::Quit), t("keys.quit").to_string(), 2),
    ]
}

/// In the stats view: scrolling, the way back, help and quit; no decision keys (they do
/// nothing there).
fn stats_items(app: &App) -> Vec<(String, String, u8)> {
    let key = |name| app.keymap.first_key(Context::Review, name, app.theme.ascii);
    let pair = |a: String, b: String| match (a.is_empty(), b.is_empty()) {
        (false, false) => format!("{a}/{b}"),
        _ => format!("{a}{b}"),
    };
    vec![
        (
            format!(
                "{} {}",
                pair(key(Action::Down), key(Action::Up)),
                pair(key(Action::PageDown), key(Action::PageUp))
            )
            .trim()
            .to_owned(),
            t("keys.scroll").to_string(),
            0,
        ),
        (
            pair(key(Action::Stats), key(Action::Back)),
            t("keys.back").to_string(),
            1,
        ),
        (key(Action::Help), t("keys.help").to_string(), 2),
        (key(Action::Quit), t("keys.quit").to_string(), 2),
    ]
    .into_iter()
    .filter(|(k, _, _)| !k.is_empty())
    .collect()
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let cols = usize::from(area.width);
    let all = items(app);
    let cost = |items: &[&(String, String, u8)], sep: usize| {
        items
            .iter()
            .map(|(k, l, _)| width(k) + 1 + width(l))
            .sum::<usize>()
            + sep * items.len()
    };
    // The most needed keys first, while they fit: with two spaces between them unless one
    // space makes room for more of the needed ones (all but the view keys).
    let choose = |sep: usize| {
        let mut by_need: Vec<usize> = (0..all.len()).collect();
        by_need.sort_by_key(|&i| all[i].2);
        let mut keep = vec![false; all.len()];
        for i in by_need {
            keep[i] = true;
            let shown: Vec<_> = all
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(x, _)| x)
                .collect();
            if cost(&shown, sep) > cols {
                keep[i] = false;
            }
        }
        let shown: Vec<&(String, String, u8)> = all
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(x, _)| x)
            .collect();
        shown
    };
    let needed = |shown: &[&(String, String, u8)]| shown.iter().filter(|i| i.2 < VIEW).count();
    let (wide, narrow) = (choose(2), choose(1));
    let (shown, sep) = if needed(&narrow) > needed(&wide) {
        (narrow, " ")
    } else {
        (wide, "  ")
    };
    // Keys left out are in the help: when some are, its key says "more" (the same width in
    // both languages, so nothing else moves).
    let dropped = shown.len() < all.len();
    let help = t("keys.help");
    let mut spans = vec![Span::raw(" ")];
    for (i, (k, label, _)) in shown.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(sep));
        }
        let label = if dropped && label == help {
            t("keys.more")
        } else {
            label.as_str()
        };
        spans.push(Span::styled(k.clone(), app.theme.key()));
        spans.push(Span::raw(format!(" {label}")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, t_in};

    /// Every action a key bar shows has its label in both languages.
    #[test]
    fn every_action_in_a_key_bar_has_a_label() {
        for table in [QUEUE, JUDGE_FIRST, OUTCOMES, TO_SIGN] {
            for (action, _) in table {
                for lang in [Lang::Nl, Lang::En] {
                    let label = format!("keys.{}", action.name());
                    assert!(!t_in(lang, &label).starts_with('⟨'), "{label}");
                }
            }
        }
    }
}
