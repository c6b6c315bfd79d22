//! The stats view's two charts, in characters only so they read in NO_COLOR and ASCII mode:
//! horizontal bars with their counts, and a column sparkline whose empty days stay empty.

use crate::console::theme::Theme;
use crate::domain::stats::DayOverrides;

/// Eighth blocks, lowest first: one column of the sparkline grows through them per row.
const EIGHTHS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A bar of `value` against `max` in at most `cells` cells; any value above zero gets at least
/// one cell, so a small count never looks like none.
pub fn bar(theme: &Theme, value: u64, max: u64, cells: usize) -> String {
    if value == 0 || max == 0 || cells == 0 {
        return String::new();
    }
    let n = ((value as f64 / max as f64) * cells as f64).round() as usize;
    theme.bar().repeat(n.clamp(1, cells))
}

/// The scale of the sparkline: the highest rate rounded up to the next tenth, at least 10 %,
/// so a quiet fortnight is not blown up to full height.
pub fn sparkline_top(rates: &[Option<f64>]) -> f64 {
    let max = rates.iter().flatten().copied().fold(0.0_f64, f64::max);
    ((max * 10.0).ceil() / 10.0).clamp(0.1, 1.0)
}

/// The sparkline's rows, top row first, each day `width` cells wide followed by a space.
///
/// A day's column is `rate / top` of the chart's height. A day without decisions on ranked
/// cases stays blank (a gap, not 0 %); a day at 0 % shows the baseline only (`▁`, ASCII `_`);
/// any rate above zero rises above the baseline, so it never reads as 0 %. Unicode columns
/// grow in eighths of a row; ASCII ones in halves (`.` on top of `#`).
pub fn sparkline(theme: &Theme, days: &[DayOverrides], rows: usize, width: usize) -> Vec<String> {
    let rates: Vec<Option<f64>> = days.iter().map(|d| d.count.rate()).collect();
    let top = sparkline_top(&rates);
    let steps_per_row = if theme.ascii { 2 } else { 8 };
    let total = rows * steps_per_row;
    // Steps of each column: None for a gap, 0 for the baseline.
    let heights: Vec<Option<usize>> = rates
        .iter()
        .map(|r| {
            r.map(|r| {
                if r <= 0.0 {
                    0
                } else {
                    let h = ((r / top).min(1.0) * total as f64).ceil() as usize;
                    // Above the baseline: two steps are `▂` in Unicode (the baseline is `▁`)
                    // and a whole `#` in ASCII (the baseline is `_`).
                    h.max(2).min(total)
                }
            })
        })
        .collect();
    (0..rows)
        .rev()
        .map(|row| {
            let mut line = String::new();
            for h in &heights {
                let cell = cell(theme, *h, row, steps_per_row);
                for _ in 0..width {
                    line.push(cell);
                }
                line.push(' ');
            }
            line.trim_end().to_owned()
        })
        .collect()
}

/// The character of one column in row `row` (0 = bottom).
fn cell(theme: &Theme, height: Option<usize>, row: usize, steps: usize) -> char {
    let Some(h) = height else { return ' ' };
    if h == 0 {
        return match (row, theme.ascii) {
            (0, true) => '_',
            (0, false) => EIGHTHS[0],
            _ => ' ',
        };
    }
    let below = row * steps;
    if h >= below + steps {
        if theme.ascii { '#' } else { EIGHTHS[7] }
    } else if h > below {
        let part = h - below;
        if theme.ascii { '.' } else { EIGHTHS[part - 1] }
    } else {
        ' '
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stats::OverrideCount;

    fn days(counts: &[(u64, u64)]) -> Vec<DayOverrides> {
        let first: chrono::NaiveDate = "2026-11-14".parse().unwrap();
        first
            .iter_days()
            .zip(counts)
            .map(|(day, &(on_ranked, overrides))| DayOverrides {
                day,
                count: OverrideCount {
                    on_ranked,
                    overrides,
                },
            })
            .collect()
    }

    #[test]
    fn gaps_stay_blank_and_zero_shows_the_baseline() {
        // A gap, 0 %, 10 % (the top: full height), 7.5 %, and a gap.
        let d = days(&[(0, 0), (10, 0), (10, 1), (40, 3), (0, 0)]);
        let unicode = sparkline(&Theme::new(false, true), &d, 2, 1);
        assert_eq!(unicode, vec!["    █ ▄".to_owned(), "  ▁ █ █".to_owned()]);
        let ascii = sparkline(&Theme::new(true, true), &d, 2, 1);
        assert_eq!(ascii, vec!["    # .".to_owned(), "  _ # #".to_owned()]);
    }

    #[test]
    fn a_small_rate_never_reads_as_zero() {
        let d = days(&[(1000, 1), (10, 0)]);
        let rows = sparkline(&Theme::new(false, true), &d, 3, 2);
        assert_eq!(rows[2], "▂▂ ▁▁");
        let ascii = sparkline(&Theme::new(true, true), &d, 3, 2);
        assert_eq!(ascii[2], "## __");
    }

    #[test]
    fn the_scale_rounds_up_to_a_tenth() {
        assert_eq!(sparkline_top(&[None, Some(0.0)]), 0.1);
        assert_eq!(sparkline_top(&[Some(0.23), None]), 0.3);
        assert_eq!(sparkline_top(&[Some(1.0)]), 1.0);
    }

    #[test]
    fn bars_never_hide_a_small_count() {
        let t = Theme::new(false, true);
        assert_eq!(bar(&t, 0, 100, 10), "");
        assert_eq!(bar(&t, 1, 1000, 10), "█");
        assert_eq!(bar(&t, 100, 100, 10), "██████████");
        assert_eq!(bar(&Theme::new(true, true), 50, 100, 10), "#####");
    }
}
