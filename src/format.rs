//! Text for people laid out, in one place: tables with aligned figures, percentages, and
//! prose wrapped to a terminal's width. Reports, the model card and the console's stats view
//! use these, so a figure reads the same wherever it is printed.

use unicode_width::UnicodeWidthStr;

use crate::i18n::{self, Lang};

/// A share (0.25) as a percentage with `decimals` decimals, in `lang`'s number format. A share
/// above zero that would round to zero says `<1%` (or `<0.1%`): never `0%` for something
/// that happened.
pub fn percent(lang: Lang, share: f64, decimals: usize) -> String {
    let p = share * 100.0;
    let unit = 10f64.powi(-(decimals as i32));
    if p > 0.0 && p < unit / 2.0 {
        format!("<{}%", i18n::number(lang, unit, decimals))
    } else {
        format!("{}%", i18n::number(lang, p, decimals))
    }
}

/// [`percent`], or a dash when there is no figure.
pub fn percent_or_dash(lang: Lang, share: Option<f64>, decimals: usize) -> String {
    share.map_or_else(|| "–".into(), |s| percent(lang, s, decimals))
}

/// Word-wraps `text` at `width`, the first line after `first`, the others after `indent`.
pub fn wrap(out: &mut String, text: &str, width: usize, first: &str, indent: &str) {
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.width() + 1 + word.width() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = indent.to_string();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

/// The display width of each column: the widest of its header and cells.
pub fn column_widths(header: &[String], rows: &[Vec<String>]) -> Vec<usize> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(header.len()) {
            widths[i] = widths[i].max(cell.width());
        }
    }
    widths
}

/// The width a [`table`] of these cells takes.
pub fn table_width(header: &[String], rows: &[Vec<String>]) -> usize {
    column_widths(header, rows).iter().sum::<usize>() + 2 * header.len().saturating_sub(1)
}

/// A table: first column left-aligned, the others right-aligned, two spaces apart, a line of
/// dashes under the header.
pub fn table(out: &mut String, header: &[String], rows: &[Vec<String>]) {
    let columns = header.len();
    let widths = column_widths(header, rows);
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate().take(columns) {
            let pad = " ".repeat(widths[i].saturating_sub(cell.width()));
            if i == 0 {
                s.push_str(cell);
                s.push_str(&pad);
            } else {
                s.push_str("  ");
                s.push_str(&pad);
                s.push_str(cell);
            }
        }
        s.trim_end().to_string()
    };
    out.push_str(&line(header));
    out.push('\n');
    let total: usize = widths.iter().sum::<usize>() + 2 * columns.saturating_sub(1);
    out.push_str(&"-".repeat(total));
    out.push('\n');
    for row in rows {
        out.push_str(&line(row));
        out.push('\n');
    }
}

/// [`table`] without the line under the header, each line after `indent` (a table inside a
/// report's paragraph).
pub fn plain_table(out: &mut String, header: &[String], rows: &[Vec<String>], indent: &str) {
    let mut full = String::new();
    table(&mut full, header, rows);
    for (i, line) in full.lines().enumerate() {
        if i == 1 {
            continue;
        }
        out.push_str(indent);
        out.push_str(line);
        out.push('\n');
    }
}

/// Wraps text for a terminal `width` columns wide. A "label    value" line wraps its value
/// under itself (a hanging indent); a table row (several aligned columns) stays whole.
pub fn wrap_prose(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.width() <= width {
            out.push_str(line);
            continue;
        }
        // A "label    value" line wraps its value under itself (a hanging indent), as long
        // as the value keeps enough room; a table row (several aligned columns) stays whole.
        let (head, tail) = match line.trim_start().rfind("  ") {
            None => ("", line),
            Some(_) => {
                let split = line.rfind("  ").map(|i| i + 2).unwrap_or(0);
                let (head, tail) = line.split_at(split);
                let columns = head.trim().split("  ").filter(|c| !c.is_empty()).count();
                if columns > 1 || head.width() > width * 3 / 5 {
                    out.push_str(line);
                    continue;
                }
                (head, tail)
            }
        };
        // Continuation lines keep the line's own indent, or the value's column.
        let indent: String = if head.is_empty() {
            line.chars().take_while(|c| *c == ' ').collect()
        } else {
            " ".repeat(head.width())
        };
        let mut current = head.to_string();
        let mut first = !head.is_empty();
        for word in tail.split_whitespace() {
            if first {
                current.push_str(word);
                first = false;
                continue;
            }
            if !current.is_empty() && current.width() + 1 + word.width() > width {
                out.push_str(&current);
                out.push('\n');
                current.clear();
            }
            if current.is_empty() {
                current.push_str(&indent);
            } else {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push_str(&current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn prose_wraps_at_word_boundaries_and_tables_keep_their_rows() {
        let prose =
            "Warning: feature `district` is strongly associated with the protected attribute";
        let wrapped = wrap_prose(prose, 40);
        assert!(
            wrapped.lines().all(|l| l.chars().count() <= 40),
            "{wrapped}"
        );
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>(),
            prose.split_whitespace().collect::<Vec<_>>()
        );
        let table = "version  algorithm            trained (when, by)                 AUC";
        assert_eq!(wrap_prose(table, 40), table);
        let labelled = "  legal basis          Wet basisregistratie personen en Wgs art. 8";
        let wrapped = wrap_prose(labelled, 50);
        assert_eq!(
            wrapped,
            "  legal basis          Wet basisregistratie\n                       personen en Wgs art. 8"
        );
        assert_eq!(wrap_prose("  short\n  two", 40), "  short\n  two");
        let indented = wrap_prose("  - one two three four five six", 12);
        assert!(indented.lines().all(|l| l.starts_with("  ")), "{indented}");
    }

    #[test]
    fn a_share_above_zero_never_reads_as_zero_percent() {
        assert_eq!(percent(Lang::En, 0.004, 0), "<1%");
        assert_eq!(percent(Lang::En, 0.0004, 1), "<0.1%");
        assert_eq!(percent(Lang::Nl, 0.0004, 1), "<0,1%");
        assert_eq!(percent(Lang::En, 0.0, 0), "0%");
        assert_eq!(percent(Lang::En, 0.256, 1), "25.6%");
        assert_eq!(percent_or_dash(Lang::En, None, 1), "–");
    }

    #[test]
    fn tables_align_figures_right_under_their_headers() {
        let header = vec!["group".to_owned(), "AUC".to_owned()];
        let rows = vec![vec!["Noord".to_owned(), "0.79".to_owned()]];
        let mut out = String::new();
        table(&mut out, &header, &rows);
        assert_eq!(out, "group   AUC\n-----------\nNoord  0.79\n");
        let mut plain = String::new();
        plain_table(&mut plain, &header, &rows, "  ");
        assert_eq!(plain, "  group   AUC\n  Noord  0.79\n");
    }
}
