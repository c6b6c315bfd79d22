//! The model card as a document: a list of blocks that both renderers (plain text for a
//! terminal, HTML for a browser) lay out. Building the content once keeps the two versions
//! saying the same thing.

use unicode_width::UnicodeWidthStr;

use crate::format::{table, table_width, wrap};

/// One piece of the card.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading.
    Heading(String),
    Paragraph(String),
    /// Label–value pairs.
    Facts(Vec<(String, String)>),
    /// A table; cells in the first column are labels, the rest are figures (right-aligned).
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Bullets(Vec<String>),
    /// An SVG chart (HTML only); the text version prints the caption and relies on the
    /// table next to it.
    Chart {
        caption: String,
        svg: String,
    },
    /// Small charts side by side (HTML only), each with its title, under one caption.
    ChartGrid {
        caption: String,
        charts: Vec<(String, String)>,
    },
}

/// The card as plain text, wrapped at `width` columns.
pub fn to_text(title: &str, blocks: &[Block], width: usize) -> String {
    let mut out = String::new();
    out.push_str(title);
    out.push('\n');
    out.push_str(&"=".repeat(title.width().min(width)));
    out.push('\n');
    for block in blocks {
        match block {
            Block::Heading(h) => {
                out.push_str(h);
                out.push('\n');
                out.push_str(&"-".repeat(h.width().min(width)));
                out.push('\n');
            }
            Block::Paragraph(p) => {
                wrap(&mut out, p, width, "", "");
                out.push('\n');
            }
            Block::Facts(facts) => {
                // A word too long to sit beside its label (a hash) puts the value below the
                // label; only the labels that keep their value beside them set the column.
                let below = |label: &str, value: &str| {
                    value
                        .split_whitespace()
                        .any(|w| label.width() + 2 + w.width() > width)
                };
                let label_w = facts
                    .iter()
                    .filter(|(l, v)| !below(l, v))
                    .map(|(l, _)| l.width())
                    .max()
                    .unwrap_or(0)
                    + 2;
                let label_w = label_w.min(width / 2);
                for (label, value) in facts {
                    if below(label, value)
                        || value
                            .split_whitespace()
                            .any(|w| label_w + w.width() > width)
                    {
                        out.push_str(&format!("{label}:\n"));
                        wrap(&mut out, value, width, "  ", "  ");
                        continue;
                    }
                    let pad = " ".repeat(label_w.saturating_sub(label.width() + 1));
                    let first = format!("{label}:{pad}");
                    let indent = " ".repeat(label_w);
                    wrap(&mut out, value, width, &first, &indent);
                }
                out.push('\n');
            }
            Block::Table { header, rows } => {
                if table_width(header, rows) <= width {
                    table(&mut out, header, rows);
                } else {
                    records(&mut out, header, rows, width);
                }
                out.push('\n');
            }
            Block::Bullets(items) => {
                for item in items {
                    wrap(&mut out, item, width, "- ", "  ");
                }
                out.push('\n');
            }
            Block::Chart { caption, .. } | Block::ChartGrid { caption, .. } => {
                wrap(&mut out, &format!("[{caption}]"), width, "", "");
                out.push('\n');
            }
        }
    }
    out
}

/// A table too wide for the terminal (long texts in its cells), one record per row: the
/// first cell as a title, then each other column as "header: value", wrapped.
fn records(out: &mut String, header: &[String], rows: &[Vec<String>], width: usize) {
    for row in rows {
        let Some((first, rest)) = row.split_first() else {
            continue;
        };
        out.push_str(first);
        out.push('\n');
        for (h, cell) in header.iter().skip(1).zip(rest) {
            wrap(out, cell, width, &format!("  {h}: "), "    ");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_and_aligns_figures_right() {
        let blocks = vec![
            Block::Heading("Quality".into()),
            Block::Paragraph("word ".repeat(30)),
            Block::Table {
                header: vec!["group".into(), "AUC".into()],
                rows: vec![
                    vec!["netherlands".into(), "0.79".into()],
                    vec!["europe".into(), "0.8".into()],
                ],
            },
        ];
        let text = to_text("Card", &blocks, 40);
        assert!(text.lines().all(|l| l.width() <= 40), "{text}");
        assert!(
            text.contains("netherlands  0.79\neurope        0.8\n"),
            "{text}"
        );
    }

    /// A table with long texts becomes one record per row instead of running off the screen.
    #[test]
    fn wide_tables_become_records() {
        let blocks = vec![Block::Table {
            header: vec!["feature".into(), "meaning".into()],
            rows: vec![vec![
                "district".into(),
                "the district of the address ".repeat(5),
            ]],
        }];
        let text = to_text("Card", &blocks, 60);
        assert!(text.lines().all(|l| l.width() <= 60), "{text}");
        assert!(text.contains("district\n  meaning: the district"), "{text}");
    }
}
