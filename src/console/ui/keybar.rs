//! The key bar, generated from the keymap for whatever has the keys right now, so it always
//! says what the keys really do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::width;
use crate::console::app::{App, Popup, View};
use crate::console::keymap::Context;
use crate::console::sanitize::sanitize;
use crate::i18n::t;

/// Always shown in the queue, in this order (as in DESIGN.md section 6).
const PRIMARY: &[&str] = &["accept", "reject", "defer", "note", "undo", "help", "quit"];
/// Added while they fit.
const EXTRA: &[&str] = &["detail", "toggle_decided"];

/// (key, label) pairs for the current state.
pub fn items(app: &App) -> Vec<(String, String)> {
    let ascii = app.theme.ascii;
    let key = |ctx, name| app.keymap.first_key(ctx, name, ascii);
    match &app.popup {
        Some(Popup::Note(_)) => vec![
            (key(Context::Editor, "save"), t("keys.save").to_string()),
            (key(Context::Editor, "cancel"), t("keys.cancel").to_string()),
        ],
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
                (range, t("keys.reason").to_string()),
                (key(Context::Popup, "cancel"), t("keys.cancel").to_string()),
            ]
        }
        Some(Popup::Help) => vec![(key(Context::Popup, "cancel"), t("keys.close").to_string())],
        None => {
            let mut names: Vec<&str> = PRIMARY.to_vec();
            names.extend(EXTRA);
            names
                .into_iter()
                .map(|name| {
                    let label = match (name, app.view) {
                        ("detail", View::FullDetail) => t("keys.back"),
                        _ => t(&format!("keys.{name}")),
                    };
                    (key(Context::Review, name), label.to_string())
                })
                .filter(|(k, _)| !k.is_empty())
                .collect()
        }
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let cols = usize::from(area.width);
    let all = items(app);
    let needed = PRIMARY.len().min(all.len());
    let cost = |items: &[(String, String)], sep: usize| {
        items
            .iter()
            .map(|(k, l)| width(k) + 1 + width(l))
            .sum::<usize>()
            + sep * items.len()
    };
    // Two spaces between items when they fit, else one; extras only while there is room.
    let mut shown = all.len();
    while shown > needed && cost(&all[..shown], 2) > cols {
        shown -= 1;
    }
    let sep = if cost(&all[..shown], 2) <= cols {
        "  "
    } else {
        " "
    };
    let mut spans = vec![Span::raw(" ")];
    for (i, (k, label)) in all[..shown].iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(sep));
        }
        spans.push(Span::styled(k.clone(), app.theme.key()));
        spans.push(Span::raw(format!(" {label}")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
