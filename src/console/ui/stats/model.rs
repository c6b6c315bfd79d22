//! The model sections of the stats view: the held-out calibration of the version that ranks
//! the queue, and the fairness table for the oversight roles.

use ratatui::text::Line;

use super::super::format::num;
use super::super::{pad_left, pad_right};
use super::{heading, note};
use crate::console::app::App;
use crate::domain::fairness::{Cutoff, DISPARITY_BAND, GroupDisparity, Rate};
use crate::domain::stats::{Calibration, Stats};
use crate::domain::text::sanitize;
use crate::i18n::t;

/// Predicted against observed per bin, with counts, then the version's figures.
pub fn calibration(app: &App, s: &Stats) -> Vec<Line<'static>> {
    let Some(c) = &s.calibration else {
        return super::sections::words(app, "console.stats.calibration", "console.stats.no_model");
    };
    let mut out = vec![heading(app, &title(c))];
    if c.bins.is_empty() {
        out.push(Line::raw(format!("  {}", t("console.stats.no_table"))));
    } else {
        let col = 11;
        out.push(Line::styled(
            format!(
                "  {}{}{}",
                pad_left(t("console.stats.predicted"), col, ""),
                pad_left(t("console.stats.observed"), col, ""),
                pad_left(t("console.stats.cases"), col, ""),
            ),
            app.theme.dim(),
        ));
        for b in &c.bins {
            out.push(Line::raw(format!(
                "  {}{}{}",
                pad_left(&num(b.predicted, 2), col, ""),
                pad_left(&num(b.observed, 2), col, ""),
                pad_left(&num(b.n as f64, 0), col, ""),
            )));
        }
    }
    let sep = app.theme.sep();
    let mut figures = vec![
        format!("AUC {}", num(c.auc, 2)),
        format!("Brier {}", num(c.brier, 3)),
        format!("{} {}", t("console.stats.log_loss"), num(c.log_loss, 3)),
    ];
    if let Some(ece) = c.expected_calibration_error {
        figures.push(format!("ECE {}", num(ece, 3)));
    }
    out.push(Line::raw(format!("  {}", figures.join(sep))));
    out
}

fn title(c: &Calibration) -> String {
    let method = match c.method.as_deref() {
        Some("none") => t("cli.train.calibration.uncalibrated"),
        Some("platt") => t("cli.train.calibration.platt"),
        Some("isotonic") => t("cli.train.calibration.isotonic"),
        _ => t("console.stats.method_unknown"),
    };
    let held_out = c
        .n_held_out
        .map(|n| num(n as f64, 0))
        .unwrap_or_else(|| "?".to_owned());
    t("console.stats.calibration_of")
        .replace("{v}", &c.version.to_string())
        .replace("{n}", &held_out)
        .replace("{method}", method)
}

/// The model's selection rate, TPR and FPR per group, each with its ratio to the reference
/// group; `!` marks a ratio outside 0.8–1.25. Shown to supervisors, auditors and admins only:
/// the stats carry no table for anyone else.
pub fn fairness(app: &App, s: &Stats, cols: usize) -> Vec<Line<'static>> {
    let Some(f) = &s.fairness else {
        return Vec::new();
    };
    let r = &f.report;
    let cutoff = match r.cutoff {
        Cutoff::TopPercent(p) => t("console.stats.top_percent").replace("{p}", &num(p, 0)),
        Cutoff::TopK(k) => t("console.stats.top_k").replace("{k}", &num(k as f64, 0)),
        Cutoff::Threshold(x) => t("console.stats.threshold").replace("{t}", &num(x, 2)),
    };
    let attribute = t(&format!("cli.train.attribute.{}", f.attribute));
    let mut out = vec![heading(
        app,
        &t("console.stats.fairness")
            .replace("{attribute}", attribute)
            .replace("{cutoff}", &cutoff),
    )];
    let rates: &[Rate] = if f.with_outcome {
        &[Rate::SelectionRate, Rate::Tpr, Rate::Fpr]
    } else {
        &[Rate::SelectionRate]
    };
    // 55 cells with three rates: fits the right column at 120 wide.
    let (group_cells, n_cells, rate_cells, ratio_cells) = (14, 6, 5, 6);
    let mut head = format!(
        "  {}{}",
        pad_right(t("console.stats.group"), group_cells, ""),
        pad_left("n", n_cells, "")
    );
    for rate in rates {
        let name = match rate {
            Rate::SelectionRate => t("console.stats.selection"),
            Rate::Tpr => "TPR",
            _ => "FPR",
        };
        head.push_str(&pad_left(name, rate_cells, ""));
        head.push_str(&pad_left(t("console.stats.ratio"), ratio_cells, ""));
    }
    out.push(Line::styled(head, app.theme.dim()));
    for g in &r.groups {
        let disparity = r.disparities.iter().find(|d| d.key == g.key);
        let mut line = format!(
            "  {}{}",
            pad_right(&sanitize(&g.key), group_cells, app.theme.ellipsis()),
            pad_left(&num(g.count as f64, 0), n_cells, "")
        );
        for &rate in rates {
            let value = g.rates.get(rate).map(|v| num(v, 2)).unwrap_or("-".into());
            line.push_str(&pad_left(&value, rate_cells, ""));
            line.push_str(&pad_left(&ratio(disparity, rate), ratio_cells, ""));
        }
        out.push(Line::raw(line));
    }
    let dash = if app.theme.ascii { "-" } else { "–" };
    let band = format!(
        "{}{dash}{}",
        num(DISPARITY_BAND.0, 1),
        num(DISPARITY_BAND.1, 2)
    );
    let mut notes = vec![
        t("console.stats.fairness_ratio")
            .replace("{reference}", &sanitize(&r.reference))
            .replace("{band}", &band),
    ];
    if r.suppressed_groups > 0 {
        notes.push(t("console.stats.suppressed").replace("{n}", &r.suppressed_groups.to_string()));
    }
    if !f.with_outcome {
        notes.push(t("console.stats.no_outcome").to_owned());
    }
    notes.push(t("console.stats.intervals").to_owned());
    for n in notes {
        out.extend(note(app, &n, cols));
    }
    out
}

/// The ratio of one rate to the reference group's, `!` in front when outside the band.
fn ratio(disparity: Option<&GroupDisparity>, rate: Rate) -> String {
    let Some(d) = disparity.and_then(|d| d.disparities.iter().find(|x| x.rate == rate)) else {
        return "-".to_owned();
    };
    match d.ratio {
        Some(x) if d.flagged => format!("!{}", num(x, 2)),
        Some(x) => num(x, 2),
        None => "-".to_owned(),
    }
}
