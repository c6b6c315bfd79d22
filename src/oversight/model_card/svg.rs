//! Inline SVG charts for the HTML model card: no script, no fonts or images fetched, so the
//! card renders the same in a browser with no network. Every label is escaped.
//!
//! Charts are drawn in a fixed view box and scale with the page; colours come from CSS
//! classes the card defines, with a pattern or a label next to each colour so that nothing
//! is told by colour alone.

use std::fmt::Write;

/// Escapes text for HTML and SVG content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One bin of a reliability table: mean predicted probability, observed rate, count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReliabilityPoint {
    pub predicted: f64,
    pub observed: f64,
    pub n: usize,
}

const W: f64 = 480.0;
const H: f64 = 320.0;
const PAD: f64 = 44.0;

fn x_of(p: f64) -> f64 {
    PAD + p.clamp(0.0, 1.0) * (W - 2.0 * PAD)
}

fn y_of(p: f64) -> f64 {
    H - PAD - p.clamp(0.0, 1.0) * (H - 2.0 * PAD)
}

fn axes(out: &mut String, x_label: &str, y_label: &str) {
    let _ = write!(
        out,
        r#"<rect x="{PAD}" y="{PAD}" width="{w}" height="{h}" class="frame"/>"#,
        w = W - 2.0 * PAD,
        h = H - 2.0 * PAD
    );
    for i in 0..=4 {
        let v = f64::from(i) / 4.0;
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{y:.1}" class="tick" text-anchor="middle">{v:.2}</text><text x="{x2:.1}" y="{y2:.1}" class="tick" text-anchor="end">{v:.2}</text>"#,
            x = x_of(v),
            y = H - PAD + 16.0,
            x2 = PAD - 6.0,
            y2 = y_of(v) + 4.0,
        );
    }
    let _ = write!(
        out,
        r#"<text x="{cx:.1}" y="{by:.1}" class="label" text-anchor="middle">{x}</text><text x="14" y="{cy:.1}" class="label" text-anchor="middle" transform="rotate(-90 14 {cy:.1})">{y}</text>"#,
        cx = W / 2.0,
        by = H - 6.0,
        cy = H / 2.0,
        x = escape(x_label),
        y = escape(y_label),
    );
}

/// The calibration curve: observed rate against mean predicted probability per bin, with
/// the diagonal of perfect calibration; a point's size grows with its bin's count.
pub fn calibration(
    title: &str,
    points: &[ReliabilityPoint],
    x_label: &str,
    y_label: &str,
) -> String {
    let mut out = format!(
        r#"<svg viewBox="0 0 {W} {H}" role="img" aria-label="{t}" class="chart"><title>{t}</title>"#,
        t = escape(title)
    );
    axes(&mut out, x_label, y_label);
    let _ = write!(
        out,
        r#"<line x1="{x0:.1}" y1="{y0:.1}" x2="{x1:.1}" y2="{y1:.1}" class="diagonal"/>"#,
        x0 = x_of(0.0),
        y0 = y_of(0.0),
        x1 = x_of(1.0),
        y1 = y_of(1.0)
    );
    let max_n = points.iter().map(|p| p.n).max().unwrap_or(1).max(1) as f64;
    let path: Vec<String> = points
        .iter()
        .filter(|p| p.n > 0)
        .map(|p| format!("{:.1},{:.1}", x_of(p.predicted), y_of(p.observed)))
        .collect();
    if !path.is_empty() {
        let _ = write!(
            out,
            r#"<polyline points="{}" class="curve"/>"#,
            path.join(" ")
        );
    }
    for p in points.iter().filter(|p| p.n > 0) {
        let _ = write!(
            out,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" class="point"><title>{pred:.3} → {obs:.3} (n = {n})</title></circle>"#,
            x = x_of(p.predicted),
            y = y_of(p.observed),
            r = 2.5 + 3.5 * (p.n as f64 / max_n).sqrt(),
            pred = p.predicted,
            obs = p.observed,
            n = p.n
        );
    }
    out.push_str("</svg>");
    out
}

/// Score distributions per group as small multiples: one row of bars per group, each bar a
/// share of that group's cases in a score bin, so groups of different size compare.
pub fn distributions(title: &str, groups: &[(String, Vec<usize>)], x_label: &str) -> String {
    let row_h = 46.0;
    let label_w = 150.0;
    let h = 30.0 + row_h * groups.len().max(1) as f64 + 24.0;
    let plot_w = W - label_w - 12.0;
    let mut out = format!(
        r#"<svg viewBox="0 0 {W} {h}" role="img" aria-label="{t}" class="chart"><title>{t}</title>"#,
        t = escape(title)
    );
    for (row, (group, bins)) in groups.iter().enumerate() {
        let total: usize = bins.iter().sum();
        let top = 20.0 + row_h * row as f64;
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{y:.1}" class="label" text-anchor="end">{g} (n = {total})</text>"#,
            x = label_w - 8.0,
            y = top + row_h / 2.0,
            g = escape(group)
        );
        let max_share = bins
            .iter()
            .map(|&b| b as f64 / total.max(1) as f64)
            .fold(0.0, f64::max)
            .max(1e-9);
        let bw = plot_w / bins.len().max(1) as f64;
        for (i, &b) in bins.iter().enumerate() {
            let share = b as f64 / total.max(1) as f64;
            let bh = (row_h - 10.0) * share / max_share;
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{bh:.1}" class="bar"><title>{lo:.1}–{hi:.1}: {pct:.1}% ({b})</title></rect>"#,
                x = label_w + bw * i as f64 + 1.0,
                y = top + row_h - 6.0 - bh,
                w = (bw - 2.0).max(1.0),
                lo = i as f64 / bins.len() as f64,
                hi = (i + 1) as f64 / bins.len() as f64,
                pct = 100.0 * share,
            );
        }
    }
    let base = 20.0 + row_h * groups.len().max(1) as f64;
    for i in 0..=4 {
        let v = f64::from(i) / 4.0;
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{y:.1}" class="tick" text-anchor="middle">{v:.2}</text>"#,
            x = label_w + v * plot_w,
            y = base + 12.0
        );
    }
    let _ = write!(
        out,
        r#"<text x="{x:.1}" y="{y:.1}" class="label" text-anchor="middle">{l}</text></svg>"#,
        x = label_w + plot_w / 2.0,
        y = base + 24.0,
        l = escape(x_label)
    );
    out
}

/// One feature's spread of contributions over the ranked cases (log-odds).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ContributionRange {
    pub feature: String,
    pub min: f64,
    pub p5: f64,
    pub median: f64,
    pub p95: f64,
    pub max: f64,
}

/// Per feature a range bar: thin line min–max, thick bar 5th–95th percentile, tick at the
/// median, around the zero line (a contribution left of it lowers the score).
pub fn contribution_ranges(title: &str, rows: &[ContributionRange], x_label: &str) -> String {
    let row_h = 22.0;
    let label_w = 190.0;
    let plot_w = W - label_w - 16.0;
    let h = 16.0 + row_h * rows.len().max(1) as f64 + 34.0;
    let bound = rows
        .iter()
        .flat_map(|r| [r.min.abs(), r.max.abs()])
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        .max(1e-6);
    let x = |v: f64| label_w + plot_w * (0.5 + 0.5 * (v / bound).clamp(-1.0, 1.0));
    let mut out = format!(
        r#"<svg viewBox="0 0 {W} {h}" role="img" aria-label="{t}" class="chart"><title>{t}</title>"#,
        t = escape(title)
    );
    let bottom = 16.0 + row_h * rows.len().max(1) as f64;
    let _ = write!(
        out,
        r#"<line x1="{z:.1}" y1="8" x2="{z:.1}" y2="{bottom:.1}" class="zero"/>"#,
        z = x(0.0)
    );
    for (i, r) in rows.iter().enumerate() {
        let y = 16.0 + row_h * i as f64 + row_h / 2.0;
        let _ = write!(
            out,
            r#"<text x="{lx:.1}" y="{ty:.1}" class="label" text-anchor="end">{f}</text><line x1="{a:.1}" y1="{y:.1}" x2="{b:.1}" y2="{y:.1}" class="whisker"/><rect x="{c:.1}" y="{ry:.1}" width="{w:.1}" height="8" class="range"><title>{f}: {min:.3} … {p5:.3} | {med:.3} | {p95:.3} … {max:.3}</title></rect><line x1="{m:.1}" y1="{my0:.1}" x2="{m:.1}" y2="{my1:.1}" class="median"/>"#,
            lx = label_w - 8.0,
            ty = y + 4.0,
            f = escape(&r.feature),
            a = x(r.min),
            b = x(r.max),
            c = x(r.p5),
            ry = y - 4.0,
            w = (x(r.p95) - x(r.p5)).max(1.0),
            m = x(r.median),
            my0 = y - 7.0,
            my1 = y + 7.0,
            min = r.min,
            p5 = r.p5,
            med = r.median,
            p95 = r.p95,
            max = r.max,
        );
    }
    for v in [-bound, -bound / 2.0, 0.0, bound / 2.0, bound] {
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="{y:.1}" class="tick" text-anchor="middle">{v:+.2}</text>"#,
            x = x(v),
            y = bottom + 14.0
        );
    }
    let _ = write!(
        out,
        r#"<text x="{cx:.1}" y="{y:.1}" class="label" text-anchor="middle">{l}</text></svg>"#,
        cx = label_w + plot_w / 2.0,
        y = bottom + 30.0,
        l = escape(x_label)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cannot_inject_markup() {
        let svg = distributions(
            "<script>alert(1)</script>",
            &[("\"><img src=x onerror=alert(1)>".into(), vec![1, 2, 3])],
            "score & rank",
        );
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<img"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("score &amp; rank"));
    }

    #[test]
    fn calibration_draws_one_point_per_filled_bin_and_the_diagonal() {
        let points = [
            ReliabilityPoint {
                predicted: 0.1,
                observed: 0.12,
                n: 50,
            },
            ReliabilityPoint {
                predicted: 0.5,
                observed: 0.0,
                n: 0,
            },
            ReliabilityPoint {
                predicted: 0.9,
                observed: 0.85,
                n: 20,
            },
        ];
        let svg = calibration("c", &points, "predicted", "observed");
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains(r#"class="diagonal""#));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn ranges_put_negative_contributions_left_of_zero() {
        let rows = [ContributionRange {
            feature: "f".into(),
            min: -2.0,
            p5: -1.0,
            median: -0.5,
            p95: 0.0,
            max: 1.0,
        }];
        let svg = contribution_ranges("r", &rows, "log-odds");
        // The axis runs from -2 to +2 (the largest magnitude): zero sits in the middle, the
        // median -0.5 at 3/8 of the width, left of it.
        let zero = 190.0 + (480.0 - 190.0 - 16.0) * 0.5;
        let median = 190.0 + (480.0 - 190.0 - 16.0) * 0.375;
        assert!(svg.contains(&format!(r#"x1="{zero:.1}" y1="8""#)), "{svg}");
        assert!(svg.contains(&format!(r#"<line x1="{median:.1}""#)), "{svg}");
    }
}
