//! The model card as one self-contained HTML file: inline CSS and SVG, no script, no fonts,
//! no images or links to fetch. A Content-Security-Policy that forbids every fetch makes that
//! a promise the browser keeps, so the card opens the same on an air-gapped machine.

use super::document::Block;
use super::svg::escape;

const STYLE: &str = "
body { font: 15px/1.45 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.6rem; border-bottom: 2px solid #154273; padding-bottom: .3rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; color: #154273; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ccc; padding: .2rem .6rem; }
th { text-align: left; background: #eef2f7; }
td.num, th.num { text-align: right; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
figure { margin: 1rem 0; }
figcaption { font-size: .9rem; color: #444; }
svg.chart { width: 100%; max-width: 40rem; height: auto; }
div.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: .5rem 1rem; }
div.small { font-size: .85rem; font-weight: 600; }
svg .frame { fill: none; stroke: #999; }
svg .tick, svg .label { font: 11px system-ui, sans-serif; fill: #333; }
svg .diagonal { stroke: #999; stroke-dasharray: 4 3; }
svg .curve { fill: none; stroke: #154273; stroke-width: 2; }
svg .point { fill: #154273; }
svg .bar { fill: #5b7fa8; }
svg .zero { stroke: #999; stroke-dasharray: 3 3; }
svg .whisker { stroke: #777; }
svg .range { fill: #5b7fa8; }
svg .median { stroke: #1b1b1b; stroke-width: 2; }
@media print { body { margin: 0; } h2 { break-after: avoid; } }
";

/// The card as HTML in the language `lang` (`nl` or `en`).
pub fn to_html(lang: &str, title: &str, blocks: &[Block]) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n");
    out.push_str(&format!("<html lang=\"{}\">\n<head>\n", escape(lang)));
    out.push_str("<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(title)));
    out.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    out.push_str(&format!("<h1>{}</h1>\n", escape(title)));
    for block in blocks {
        match block {
            Block::Heading(h) => out.push_str(&format!("<h2>{}</h2>\n", escape(h))),
            Block::Paragraph(p) => out.push_str(&format!("<p>{}</p>\n", escape(p))),
            Block::Facts(facts) => {
                out.push_str("<dl class=\"facts\">\n");
                for (label, value) in facts {
                    out.push_str(&format!(
                        "<dt>{}</dt><dd>{}</dd>\n",
                        escape(label),
                        escape(value)
                    ));
                }
                out.push_str("</dl>\n");
            }
            Block::Table { header, rows } => {
                out.push_str("<table>\n<thead><tr>");
                // A column is right-aligned when its cells are figures.
                for (i, h) in header.iter().enumerate() {
                    let figures = rows.iter().all(|r| r.get(i).is_none_or(|c| is_figure(c)));
                    let class = if i > 0 && figures {
                        " class=\"num\""
                    } else {
                        ""
                    };
                    out.push_str(&format!("<th{class}>{}</th>", escape(h)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    out.push_str("<tr>");
                    for cell in row {
                        let class = if is_figure(cell) {
                            " class=\"num\""
                        } else {
                            ""
                        };
                        out.push_str(&format!("<td{class}>{}</td>", escape(cell)));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Bullets(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", escape(item)));
                }
                out.push_str("</ul>\n");
            }
            Block::ChartGrid { caption, charts } => {
                out.push_str("<figure>\n<div class=\"grid\">\n");
                for (title, svg) in charts {
                    out.push_str(&format!(
                        "<div><div class=\"small\">{}</div>\n{svg}</div>\n",
                        escape(title)
                    ));
                }
                out.push_str(&format!(
                    "</div>\n<figcaption>{}</figcaption>\n</figure>\n",
                    escape(caption)
                ));
            }
            Block::Chart { caption, svg } => {
                out.push_str(&format!(
                    "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>\n",
                    escape(caption)
                ));
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Whether a cell is a figure (a number, a percentage, a range, a flag mark, or "–").
fn is_figure(cell: &str) -> bool {
    let cell = cell.trim();
    !cell.is_empty()
        && cell
            .chars()
            .all(|c| c.is_ascii_digit() || ".,%–-+!× ".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_fetches_nothing_and_escapes_everything() {
        let blocks = vec![
            Block::Paragraph("<script>alert(1)</script>".into()),
            Block::Facts(vec![("a&b".into(), "\"quoted\"".into())]),
            Block::Table {
                header: vec!["<th>".into()],
                rows: vec![vec!["<img src=x>".into()]],
            },
        ];
        let html = to_html("nl", "Modelkaart <v1>", &blocks);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("default-src 'none'"));
        assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
        assert!(html.contains("<html lang=\"nl\">"));
        assert!(html.contains("Modelkaart &lt;v1&gt;"));
    }
}
