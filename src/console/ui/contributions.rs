//! The signed contribution chart: each feature's share of the log-odds as a bar to the left
//! (lowers the estimated need) or right (raises it) of one axis, largest first, labelled with
//! the feature, its value and the exact signed number.
//!
//! ```text
//! rent arrears (months)     4  +1.77       │███████
//! multiple signals        yes  +0.81       │███
//! known to district team  yes  -0.50     ██│
//! ```

use ratatui::text::{Line, Span};

use super::format::{feature_label, feature_value, signed};
use super::{pad_left, pad_right, width};
use crate::console::app::App;
use crate::domain::view::Contribution;
use crate::i18n::t;

/// Chart lines for `contributions` in `cols` cells and at most `rows` lines. When not all
/// fit, the last line says how many more the full view (Enter) shows.
pub fn lines(
    app: &App,
    contributions: &[Contribution],
    cols: usize,
    rows: usize,
) -> Vec<Line<'static>> {
    if rows == 0 || contributions.is_empty() {
        return Vec::new();
    }
    let theme = &app.theme;
    let ell = theme.ellipsis();
    let mut sorted: Vec<&Contribution> = contributions.iter().collect();
    sorted.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
    let shown = if sorted.len() > rows {
        rows - 1
    } else {
        sorted.len()
    };
    let mut items: Vec<(String, String, String, f64)> = sorted[..shown]
        .iter()
        .map(|c| {
            (
                feature_label(&c.feature),
                feature_value(theme, &c.feature, &c.value),
                signed(c.contribution, 2),
                c.contribution,
            )
        })
        .collect();

    // Room goes first to the numbers, then the label (what the feature is matters more than
    // bar resolution), then the bars: at least 9 cells (4 either side of the axis), and a
    // third of the width when the pane is wide.
    let narrow = cols < 60;
    let number_w = items.iter().map(|i| width(&i.2)).max().unwrap_or(5);
    let value_w = items
        .iter()
        .map(|i| width(&i.1))
        .max()
        .unwrap_or(1)
        .min(if narrow { 9 } else { 14 });
    let fixed = value_w + number_w + 3;
    let chart_min = if narrow { 9 } else { cols / 3 };
    // A label the room would cut takes its short form, when it has one: a cut Dutch label
    // ("maanden achterst…") was seen in a trial at 80 columns.
    let room = cols.saturating_sub(fixed + chart_min).max(6);
    for (item, c) in items.iter_mut().zip(&sorted[..shown]) {
        if width(&item.0) > room
            && let Some(short) = super::format::feature_label_short(&c.feature)
        {
            item.0 = short;
        }
    }
    let label_need = items.iter().map(|i| width(&i.0)).max().unwrap_or(1);
    let label_w = label_need
        .min(cols.saturating_sub(fixed + chart_min))
        .max(6);
    let half = cols.saturating_sub(label_w + fixed + 1) / 2;
    let scale = items.iter().map(|i| i.3.abs()).fold(0.0, f64::max);

    let mut out: Vec<Line<'static>> = items
        .iter()
        .map(|(label, value, number, c)| {
            let cells = bar_cells(*c, scale, half);
            let bar = theme.bar().repeat(cells);
            let (left, right) = if *c < 0.0 {
                (
                    format!("{}{bar}", " ".repeat(half - cells)),
                    " ".repeat(half),
                )
            } else {
                (
                    " ".repeat(half),
                    format!("{bar}{}", " ".repeat(half - cells)),
                )
            };
            let bar_style = if *c < 0.0 {
                theme.lowers()
            } else {
                theme.raises()
            };
            Line::from(vec![
                Span::raw(pad_right(label, label_w, ell)),
                Span::raw(" "),
                Span::raw(pad_left(value, value_w, ell)),
                Span::raw(" "),
                Span::raw(pad_left(number, number_w, ell)),
                Span::raw(" "),
                Span::styled(left, if *c < 0.0 { bar_style } else { theme.dim() }),
                Span::styled(theme.axis(), theme.dim()),
                Span::styled(right, if *c < 0.0 { theme.dim() } else { bar_style }),
            ])
        })
        .collect();
    if shown < sorted.len() {
        let more = t("console.detail.more_contributions")
            .replace("{n}", &(sorted.len() - shown).to_string())
            .replace(
                "{key}",
                &app.keymap.first_key(
                    crate::console::keymap::Context::Review,
                    crate::console::Action::Detail,
                    theme.ascii,
                ),
            );
        out.push(Line::styled(more, theme.dim()));
    }
    out
}

/// Bar length in cells: proportional to |c| against the largest shown, at least one cell for
/// anything that is not zero at two decimals, so no contribution is invisible.
fn bar_cells(c: f64, scale: f64, half: usize) -> usize {
    if scale <= 0.0 || half == 0 {
        return 0;
    }
    let cells = (c.abs() / scale * half as f64).round() as usize;
    if cells == 0 && c.abs() >= 0.005 {
        1
    } else {
        cells.min(half)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_never_vanish() {
        assert_eq!(bar_cells(1.77, 1.77, 10), 10);
        assert_eq!(bar_cells(-0.885, 1.77, 10), 5);
        assert_eq!(bar_cells(0.01, 1.77, 10), 1);
        assert_eq!(bar_cells(0.001, 1.77, 10), 0);
        assert_eq!(bar_cells(1.0, 0.0, 10), 0);
    }
}
