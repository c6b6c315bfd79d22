//! The `?` overlay, generated from the keymap and the reason list: every binding with its
//! keys, so the help cannot drift from what the keys do.

use crate::console::action::Action;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{centered, pad_right, pane, width};
use crate::console::app::App;
use crate::console::keymap::{Binding, Context};
use crate::domain::text::sanitize;
use crate::i18n::{Lang, lang, t};

/// Bindings of the queue shown as one row (`j/k, ↓/↑  next/previous case`), so that every
/// key still fits the overlay at 80x24. A group whose members differ in number of keys
/// (a user's keymap) is shown a row per binding.
const GROUPS: &[(&str, &[Action])] = &[
    (
        "judge",
        &[
            Action::JudgeNeedsHelp,
            Action::JudgeNoNeed,
            Action::JudgeUnsure,
        ],
    ),
    ("move", &[Action::Down, Action::Up]),
    ("page", &[Action::PageDown, Action::PageUp]),
];

/// The row of a group, when its members can share one.
fn group_row(app: &App, members: &[Action]) -> Option<(String, String)> {
    let bindings: Vec<&Binding> = members
        .iter()
        .map(|m| app.keymap.binding(Context::Review, m.clone()))
        .collect::<Option<_>>()?;
    let n = bindings[0].keys.len();
    if n == 0 || bindings.iter().any(|b| b.keys.len() != n) {
        return None;
    }
    let keys: Vec<String> = (0..n)
        .map(|i| {
            bindings
                .iter()
                .map(|b| b.keys[i].label(app.theme.ascii))
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    Some((keys.join(", "), String::new()))
}

/// Help lines for one context: a heading, then `keys  description` per binding.
fn section(app: &App, context: Context, heading: &str) -> HelpRows {
    let ascii = app.theme.ascii;
    let mut out = vec![(String::new(), heading.to_string())];
    for Binding {
        name, action, keys, ..
    } in app.keymap.bindings(context)
    {
        if keys.is_empty() {
            continue;
        }
        if context == Context::Review
            && let Some((group, members)) = GROUPS.iter().find(|(_, m)| m.contains(action))
            && let Some((keys, _)) = group_row(app, members)
        {
            if members[0] == *action {
                out.push((keys, t(&format!("keys.describe.group_{group}")).to_string()));
            }
            continue;
        }
        let labels: Vec<String> = keys.iter().map(|k| k.label(ascii)).collect();
        let key = match context {
            Context::Review => format!("keys.describe.{name}"),
            Context::Editor => format!("keys.describe.editor_{name}"),
            Context::Popup => format!("keys.describe.popup_{name}"),
            Context::Search => format!("keys.describe.{name}"),
        };
        out.push((labels.join(", "), t(&key).to_string()));
    }
    out
}

/// (keys, description) rows; an empty key marks a heading.
pub type HelpRows = Vec<(String, String)>;

/// The overlay's sections in reading order: queue keys, the editor, the popups, the reasons
/// after `r`, and the promise about Ctrl-C when the quit row does not make it.
fn sections(app: &App) -> Vec<HelpRows> {
    let mut reasons = vec![(String::new(), t("console.help.reasons").to_string())];
    for r in &app.reasons {
        let label = if lang() == Lang::Nl { &r.nl } else { &r.en };
        reasons.push((
            sanitize(&r.key.to_string()).into_owned(),
            sanitize(label).into_owned(),
        ));
    }
    let mut all = vec![
        section(app, Context::Review, t("console.help.review")),
        section(app, Context::Search, t("console.help.search")),
        section(app, Context::Editor, t("console.help.editor")),
        section(app, Context::Popup, t("console.help.popup")),
        reasons,
    ];
    // Ctrl-C quits whatever the keymap says; said apart only when the quit row does not
    // show it already (a user's keymap moved quit elsewhere).
    let ctrl_c = super::super::keychord::KeyChord::parse("ctrl-c");
    let listed = app
        .keymap
        .binding(Context::Review, Action::Quit)
        .is_some_and(|b| ctrl_c.is_some_and(|c| b.keys.contains(&c)));
    if !listed {
        all.push(vec![(String::new(), t("console.help.ctrl_c").to_string())]);
    }
    all
}

/// The two columns of the overlay, at most `rows` lines each. Sections flow from the left
/// column into the right one; the columns break between sections when that fits, else
/// inside one (the queue keys alone may grow longer than a column at 80x24).
pub fn columns(app: &App, rows: usize) -> (HelpRows, HelpRows) {
    let sections = sections(app);
    let blank = || (String::new(), String::new());
    let mut all: HelpRows = Vec::new();
    // Where each section after the first starts in `all`.
    let mut starts = Vec::new();
    for (i, section) in sections.into_iter().enumerate() {
        if i > 0 {
            all.push(blank());
            starts.push(all.len());
        }
        all.extend(section);
    }
    let total = all.len();
    // The section break that leaves the shorter overlay with both columns fitting; else the
    // left column is filled and the rest goes right.
    let (left_end, right_from) = starts
        .iter()
        .map(|&s| (s - 1, s))
        .filter(|&(l, r)| l <= rows && total - r <= rows)
        .min_by_key(|&(l, r)| l.max(total - r))
        .unwrap_or((rows.min(total), rows.min(total)));
    let mut right: HelpRows = all.split_off(right_from);
    all.truncate(left_end);
    if right
        .first()
        .is_some_and(|(k, d)| k.is_empty() && d.is_empty())
    {
        right.remove(0);
    }
    (all, right)
}

fn lines(app: &App, items: &[(String, String)], cols: usize) -> Vec<Line<'static>> {
    let ell = app.theme.ellipsis();
    let key_w = items
        .iter()
        .map(|(k, _)| width(k))
        .max()
        .unwrap_or(0)
        .min(cols / 3);
    items
        .iter()
        .map(|(k, text)| {
            if k.is_empty() {
                Line::styled(super::fit(text, cols, ell), app.theme.title())
            } else {
                let room = cols.saturating_sub(key_w + 2);
                Line::from(vec![
                    Span::styled(pad_right(k, key_w, ell), app.theme.key()),
                    Span::raw("  "),
                    Span::raw(super::fit(text, room, ell)),
                ])
            }
        })
        .collect()
}

pub fn render(app: &App, frame: &mut Frame, body: Rect) {
    let (left, right) = columns(app, usize::from(body.height.saturating_sub(2)));
    let rows = left.len().max(right.len()) as u16 + 2;
    let area = centered(body, body.width.saturating_sub(2).min(104), rows);
    frame.render_widget(Clear, area);
    let close = format!(
        " {} {} ",
        app.keymap
            .first_key(Context::Popup, Action::Cancel, app.theme.ascii),
        t("keys.close")
    );
    let block = pane(
        app,
        Line::styled(format!(" {} ", t("console.help.title")), app.theme.title()),
    )
    .title_bottom(Line::from(close).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [l, _, r] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(2),
        Constraint::Fill(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(lines(app, &left, usize::from(l.width))), l);
    frame.render_widget(Paragraph::new(lines(app, &right, usize::from(r.width))), r);
}
