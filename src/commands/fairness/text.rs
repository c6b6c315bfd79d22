//! The fairness report as text, readable at 80 columns: a header that says what was audited,
//! then one table per family of figures, disparities with flags, and the group spread.

use std::fmt::Write;

use super::{FairnessAudit, OutcomeKind};
use crate::domain::fairness::{Cutoff, DISPARITY_BAND, FairnessReport, GroupMetrics, Rate};
use crate::i18n::{Lang, number, t, tf};

/// A figure of one group.
#[derive(Clone, Copy)]
enum Figure {
    Rate(Rate, bool),
    Share,
    Auc,
}

impl Figure {
    fn label(self) -> String {
        match self {
            Figure::Rate(rate, _) => t(&format!("cli.fairness.rate.{}", rate.name())).to_owned(),
            Figure::Share => t("cli.fairness.share").to_owned(),
            Figure::Auc => "AUC".to_owned(),
        }
    }
}

/// The families: (heading key, figures). Each fits 80 columns for one source.
const FAMILIES: &[(&str, &[Figure])] = &[
    (
        "cli.fairness.family.selection",
        &[Figure::Rate(Rate::SelectionRate, true), Figure::Share],
    ),
    (
        "cli.fairness.family.need",
        &[
            Figure::Rate(Rate::Tpr, true),
            Figure::Rate(Rate::Fnr, false),
        ],
    ),
    (
        "cli.fairness.family.no_need",
        &[Figure::Rate(Rate::Fpr, true)],
    ),
    (
        "cli.fairness.family.precision",
        &[
            Figure::Rate(Rate::Ppv, true),
            Figure::Rate(Rate::Fdr, false),
            Figure::Rate(Rate::FalseOmissionRate, true),
        ],
    ),
    ("cli.fairness.family.ranking", &[Figure::Auc]),
];

pub fn render(lang: Lang, audit: &FairnessAudit) -> String {
    let mut out = String::new();
    header(lang, audit, &mut out);
    learning_loop(lang, audit, &mut out);
    let sources: Vec<(String, &FairnessReport)> = [
        (t("cli.fairness.model"), audit.model.as_ref()),
        (t("cli.fairness.people"), audit.decisions.as_ref()),
    ]
    .into_iter()
    .filter_map(|(label, r)| r.map(|r| (label.to_owned(), r)))
    .collect();
    let Some((_, first)) = sources.first() else {
        return out;
    };
    let with_outcome = audit.outcome != OutcomeKind::Unavailable;
    for (heading, figures) in FAMILIES {
        if !with_outcome && *heading != "cli.fairness.family.selection" {
            continue;
        }
        let _ = writeln!(out, "\n{}", t(heading));
        // Side by side, one figure per table so two columns of intervals fit.
        let per_table = if sources.len() > 1 { 1 } else { figures.len() };
        for (i, chunk) in figures.chunks(per_table).enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let mut head = vec![t("cli.fairness.group").to_owned(), "n".to_owned()];
            for figure in chunk {
                for (label, _) in &sources {
                    head.push(if sources.len() > 1 {
                        format!("{} {label}", figure.label())
                    } else {
                        figure.label()
                    });
                }
            }
            let mut rows = Vec::new();
            for g in &first.groups {
                let mut row = vec![g.key.clone(), number(lang, g.count as f64, 0)];
                for &figure in chunk {
                    for (_, report) in &sources {
                        row.push(match report.group(&g.key) {
                            Some(m) => cell(lang, m, figure),
                            None => "—".to_owned(),
                        });
                    }
                }
                rows.push(row);
            }
            crate::format::plain_table(&mut out, &head, &rows, "");
        }
    }
    for (label, report) in &sources {
        disparities(lang, label, report, with_outcome, &mut out);
    }
    summary(lang, &sources, with_outcome, &mut out);
    if !audit.suppressed.is_empty() {
        // The list of hidden intersections can be long: wrapped to the report's 80 columns.
        let hidden = tf(
            "cli.fairness.suppressed",
            &[
                ("n", &audit.min_group),
                ("groups", &audit.suppressed.join(", ")),
            ],
        );
        let _ = writeln!(out, "\n{}", crate::format::wrap_prose(&hidden, 80));
    }
    if !with_outcome {
        let _ = writeln!(out, "\n{}", t("cli.fairness.no_outcome"));
    }
    if out.contains('—') {
        let dash = tf("cli.fairness.dash", &[("n", &audit.min_group)]);
        let _ = writeln!(out, "\n{}", crate::format::wrap_prose(&dash, 80));
    }
    out.trim_end().to_owned()
}

fn header(lang: Lang, audit: &FairnessAudit, out: &mut String) {
    let _ = writeln!(
        out,
        "{}",
        t(&format!("cli.fairness.title.{}", audit.source))
    );
    if audit.no_decisions && audit.decided == 0 {
        let _ = writeln!(out, "{}", t("cli.fairness.no_decisions"));
    } else if audit.no_decisions {
        let _ = writeln!(
            out,
            "{}",
            tf(
                "cli.fairness.too_few_decisions",
                &[("decided", &audit.decided), ("n", &audit.min_group)]
            )
        );
    }
    let n = |x: usize| number(lang, x as f64, 0);
    // In words; the JSON keeps the cutoff as asked (`top%:30`).
    let of_ranking = |part: String| tf("cli.fairness.head.cutoff", &[("cutoff", &part)]);
    let mut cutoff = match super::parse_cutoff(&audit.cutoff) {
        Ok(Cutoff::TopPercent(p)) => of_ranking(tf(
            "cli.fairness.head.cutoff_top_percent",
            &[("percent", &number(lang, p, 0))],
        )),
        Ok(Cutoff::TopK(k)) => of_ranking(tf("cli.fairness.head.cutoff_top_k", &[("k", &k)])),
        Ok(Cutoff::Threshold(th)) => tf(
            "cli.fairness.head.cutoff_threshold",
            &[("threshold", &number(lang, th, 2))],
        ),
        Err(_) => of_ranking(audit.cutoff.clone()),
    };
    if let Some(Cutoff::Threshold(th)) = audit
        .model
        .as_ref()
        .map(|m| m.cutoff)
        .filter(|_| audit.source == "both" || audit.arm == "random")
    {
        if th.is_finite() {
            cutoff.push_str(&tf(
                "cli.fairness.head.threshold",
                &[("threshold", &number(lang, th, 4))],
            ));
        } else {
            cutoff.push_str(t("cli.fairness.head.selects_none"));
        }
    }
    let _ = writeln!(out, "{cutoff}");
    let _ = writeln!(
        out,
        "{}",
        t(&format!(
            "cli.fairness.head.outcome_{}",
            outcome_code(audit.outcome)
        ))
    );
    let team = audit
        .team
        .clone()
        .unwrap_or_else(|| t("cli.fairness.all_teams").to_owned());
    let mut population = tf(
        &format!("cli.fairness.head.population_{}", audit.source),
        &[("n", &n(audit.population)), ("team", &team)],
    );
    if let Some(k) = audit.undecided_excluded {
        population.push_str(&tf("cli.fairness.head.excluded", &[("k", &n(k))]));
    }
    let _ = writeln!(out, "{population}");
    if let Some(import) = &audit.import {
        let _ = writeln!(
            out,
            "{}",
            tf(
                "cli.fairness.head.import",
                &[
                    ("id", &import.id),
                    ("file", &import.file),
                    ("sha", &import.file_sha256.get(..12).unwrap_or_default()),
                    ("profile", &import.profile),
                    ("direction", &import.score_direction),
                    ("known", &n(import.outcome_known)),
                    ("records", &n(import.records)),
                ],
            )
        );
        if audit.outcome == OutcomeKind::Unavailable && import.outcome_known > 0 {
            let _ = writeln!(out, "{}", t("cli.fairness.head.import_labelled"));
        }
    }
    if audit.arm == "random" {
        let _ = writeln!(out, "{}", t("cli.fairness.head.random_arm"));
    }
    let reference = audit
        .model
        .as_ref()
        .or(audit.decisions.as_ref())
        .map(|r| r.reference.clone())
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}",
        tf(
            "cli.fairness.head.groups",
            &[("by", &audit.by.join(" × ")), ("reference", &reference)]
        )
    );
    let version = audit
        .model_version
        .map(|v| tf("cli.fairness.head.version", &[("v", &v)]))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}{version}",
        tf("cli.fairness.head.seed", &[("seed", &audit.seed)])
    );
}

fn outcome_code(kind: OutcomeKind) -> &'static str {
    match kind {
        OutcomeKind::Truth => "truth",
        OutcomeKind::Recorded => "recorded",
        OutcomeKind::Unavailable => "unavailable",
    }
}

/// `0.41 [0.37–0.45]`, or `—` where undefined.
fn cell(lang: Lang, g: &GroupMetrics, figure: Figure) -> String {
    let value = |v: Option<f64>| v.map_or("—".to_owned(), |v| number(lang, v, 2));
    match figure {
        Figure::Rate(rate, with_interval) => {
            let mut text = value(g.rates.get(rate));
            if with_interval && let Some(i) = g.intervals.get(&rate) {
                let _ = write!(
                    text,
                    " [{}–{}]",
                    number(lang, i.low, 2),
                    number(lang, i.high, 2)
                );
            }
            text
        }
        Figure::Share => value(g.share_of_selected),
        Figure::Auc => value(g.auc),
    }
}

fn disparities(
    lang: Lang,
    label: &str,
    report: &FairnessReport,
    with_outcome: bool,
    out: &mut String,
) {
    let rates: Vec<Rate> = Rate::ALL
        .into_iter()
        .filter(|r| with_outcome || *r == Rate::SelectionRate)
        .collect();
    let _ = writeln!(
        out,
        "\n{}",
        tf(
            "cli.fairness.disparity",
            &[
                ("source", &label),
                ("reference", &report.reference),
                ("low", &number(lang, DISPARITY_BAND.0, 2)),
                ("high", &number(lang, DISPARITY_BAND.1, 2)),
            ]
        )
    );
    let mut head = vec![t("cli.fairness.group").to_owned()];
    head.extend(rates.iter().map(|r| Figure::Rate(*r, false).label()));
    let rows: Vec<Vec<String>> = report
        .disparities
        .iter()
        .map(|d| {
            let mut row = vec![d.key.clone()];
            for rate in &rates {
                let x = d.disparities.iter().find(|x| x.rate == *rate);
                row.push(match x.and_then(|x| x.ratio.map(|r| (r, x.flagged))) {
                    Some((r, flagged)) => {
                        format!("{}{}", number(lang, r, 2), if flagged { "!" } else { " " })
                    }
                    None => "— ".to_owned(),
                });
            }
            row
        })
        .collect();
    crate::format::plain_table(out, &head, &rows, "");
}

/// Reads one between-groups figure of a report.
type SummaryFigure = fn(&FairnessReport) -> Option<f64>;

fn summary(
    lang: Lang,
    sources: &[(String, &FairnessReport)],
    with_outcome: bool,
    out: &mut String,
) {
    let _ = writeln!(out, "\n{}", t("cli.fairness.spread"));
    let mut head = vec![String::new()];
    head.extend(sources.iter().map(|(l, _)| l.clone()));
    let value = |v: Option<f64>| v.map_or("—".to_owned(), |v| number(lang, v, 3));
    let mut rows = Vec::new();
    let lines: [(&str, SummaryFigure); 4] = [
        ("cli.fairness.dp_difference", |r| {
            r.summary.demographic_parity_difference
        }),
        ("cli.fairness.dp_ratio", |r| {
            r.summary.demographic_parity_ratio
        }),
        ("cli.fairness.eo_difference", |r| {
            r.summary.equalized_odds_difference
        }),
        ("cli.fairness.eo_ratio", |r| r.summary.equalized_odds_ratio),
    ];
    for (key, get) in lines.iter().take(if with_outcome { 4 } else { 2 }) {
        let mut row = vec![t(key).to_owned()];
        row.extend(sources.iter().map(|(_, r)| value(get(r))));
        rows.push(row);
    }
    crate::format::plain_table(out, &head, &rows, "");
}

/// What the learning loop has seen: the random arm's observed outcomes (the unbiased labels)
/// and the rejected households that came back with a new signal.
fn learning_loop(lang: Lang, audit: &FairnessAudit, out: &mut String) {
    let Some(l) = &audit.learning_loop else {
        return;
    };
    let mut lines = vec![
        tf(
            "cli.fairness.loop.arm",
            &[
                ("cases", &l.arm_cases),
                ("decided", &l.arm_decided),
                ("labelled", &l.arm_labelled),
            ],
        ),
        tf(
            "cli.fairness.loop.returned",
            &[
                ("rejected", &l.rejected),
                ("returned", &l.rejected_returned),
                ("months", &crate::domain::outcome::RETURN_WINDOW_MONTHS),
            ],
        ),
    ];
    if let Some(q) = &audit.arm_quality {
        let num = |v: f64| crate::i18n::number(lang, v, 3);
        lines.push(tf(
            "cli.fairness.loop.arm_quality",
            &[
                ("n", &q.n),
                ("auc", &q.auc.map_or("-".to_owned(), num)),
                ("brier", &num(q.brier)),
                ("log_loss", &num(q.log_loss)),
            ],
        ));
    }
    for line in lines {
        let _ = writeln!(out, "{}", crate::format::wrap_prose(&line, 80));
    }
}
