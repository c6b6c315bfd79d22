//! The card's content, section by section, in the current language.

use super::document::Block;
use super::svg::{self, ReliabilityPoint};
use super::{GroupHistogram, ModelCard};
use crate::domain::fairness::Rate;
use crate::i18n::{self, Lang, t, tf};
use crate::model::CalibrationMethod;
use crate::model::evaluation::{GroupQuality, Quality};

fn pct(lang: Lang, x: Option<f64>) -> String {
    x.map(|x| format!("{}%", i18n::number(lang, 100.0 * x, 1)))
        .unwrap_or_else(|| "–".into())
}

fn num(lang: Lang, x: Option<f64>, decimals: usize) -> String {
    x.map(|x| i18n::number(lang, x, decimals))
        .unwrap_or_else(|| "–".into())
}

fn when(lang: Lang, at: &str) -> String {
    i18n::local_time(lang, at, true).unwrap_or_else(|| at.to_string())
}

impl ModelCard {
    /// The card as blocks; `charts` adds the SVG charts (HTML).
    pub fn blocks(&self, lang: Lang, charts: bool) -> Vec<Block> {
        let mut b = Vec::new();
        self.summary(lang, &mut b);
        b.push(Block::Heading(t("card.purpose.heading").into()));
        b.push(Block::Paragraph(t("card.purpose.text").into()));
        self.data(lang, &mut b);
        self.features_section(lang, charts, &mut b);
        self.quality(lang, charts, &mut b);
        self.fairness_section(lang, charts, &mut b);
        self.proxies(lang, &mut b);
        self.oversight_section(lang, &mut b);
        b.push(Block::Heading(t("card.limits.heading").into()));
        let mut limits: Vec<String> = ["labels", "proxy", "scope", "drift"]
            .iter()
            .map(|k| t(&format!("card.limits.{k}")).to_string())
            .collect();
        if self.demo {
            limits.insert(0, t("card.limits.demo").into());
        }
        b.push(Block::Bullets(limits));
        b
    }

    fn summary(&self, lang: Lang, b: &mut Vec<Block>) {
        let m = &self.model;
        let approval = match (&m.approved_by, &m.approved_at) {
            (Some(by), Some(at)) if m.demo_shortcut => tf(
                "card.summary.approved_demo",
                &[("by", by), ("at", &when(lang, at))],
            ),
            (Some(by), Some(at)) => tf(
                "card.summary.approved",
                &[("by", by), ("at", &when(lang, at))],
            ),
            _ => t("card.summary.not_approved").to_string(),
        };
        let mut facts = vec![
            (t("card.summary.version").into(), m.version.to_string()),
            (t("card.summary.algorithm").into(), m.algorithm.clone()),
            (
                t("card.summary.trained").into(),
                tf(
                    "card.summary.trained_value",
                    &[("at", &when(lang, &m.trained_at)), ("by", &m.trained_by)],
                ),
            ),
            (t("card.summary.approval").into(), approval),
            (
                t("card.summary.in_use").into(),
                match m.ranked_cases {
                    Some(n) if m.in_use => tf(
                        "card.summary.in_use_yes",
                        &[("cases", &i18n::number(lang, n as f64, 0))],
                    ),
                    _ => t("card.summary.in_use_no").to_string(),
                },
            ),
            (
                t("card.summary.generated").into(),
                when(lang, &self.generated_at),
            ),
        ];
        if self.demo {
            facts.push((
                t("card.summary.caseload").into(),
                t("card.summary.demo").into(),
            ));
        }
        b.push(Block::Facts(facts));
    }

    fn data(&self, lang: Lang, b: &mut Vec<Block>) {
        let m = &self.model;
        b.push(Block::Heading(t("card.data.heading").into()));
        b.push(Block::Paragraph(t("card.data.text").into()));
        b.push(Block::Facts(vec![
            (
                t("card.data.cases").into(),
                tf(
                    "card.data.cases_value",
                    &[
                        ("train", &i18n::number(lang, m.n_train as f64, 0)),
                        ("test", &i18n::number(lang, m.n_test as f64, 0)),
                    ],
                ),
            ),
            (
                t("card.data.positive_rate").into(),
                pct(lang, Some(m.positive_rate)),
            ),
            (t("card.data.hash").into(), m.training_data_hash.clone()),
        ]));
    }

    fn features_section(&self, lang: Lang, charts: bool, b: &mut Vec<Block>) {
        b.push(Block::Heading(t("card.features.heading").into()));
        b.push(Block::Paragraph(t("card.features.text").into()));
        let dash = || "–".to_string();
        b.push(Block::Table {
            header: ["feature", "meaning", "source", "legal_basis", "approved_by"]
                .iter()
                .map(|k| t(&format!("card.features.{k}")).to_string())
                .collect(),
            rows: self
                .features
                .iter()
                .map(|f| {
                    vec![
                        f.name.clone(),
                        f.description.clone().unwrap_or_else(dash),
                        f.source.clone().unwrap_or_else(dash),
                        f.legal_basis.clone().unwrap_or_else(dash),
                        f.approved_by
                            .clone()
                            .unwrap_or_else(|| t("card.features.undocumented").into()),
                    ]
                })
                .collect(),
        });
        if self.contribution_ranges.is_empty() {
            return;
        }
        if charts {
            b.push(Block::Chart {
                caption: t("card.features.ranges_caption").into(),
                svg: svg::contribution_ranges(
                    t("card.features.ranges_caption"),
                    &self.contribution_ranges,
                    t("card.features.ranges_axis"),
                ),
            });
        }
        b.push(Block::Paragraph(t("card.features.ranges_text").into()));
        b.push(Block::Table {
            header: vec![
                t("card.features.feature").into(),
                "min".into(),
                "p5".into(),
                t("card.features.median").into(),
                "p95".into(),
                "max".into(),
            ],
            rows: self
                .contribution_ranges
                .iter()
                .map(|r| {
                    let f = |x: f64| i18n::number(lang, x, 2);
                    vec![
                        r.feature.clone(),
                        f(r.min),
                        f(r.p5),
                        f(r.median),
                        f(r.p95),
                        f(r.max),
                    ]
                })
                .collect(),
        });
    }

    fn quality(&self, lang: Lang, charts: bool, b: &mut Vec<Block>) {
        let m = &self.model;
        b.push(Block::Heading(t("card.quality.heading").into()));
        let mut facts = vec![
            ("AUC".to_string(), i18n::number(lang, m.auc, 3)),
            ("Brier".to_string(), i18n::number(lang, m.brier, 3)),
            ("Log-loss".to_string(), i18n::number(lang, m.log_loss, 3)),
        ];
        let Some(e) = &self.evaluation else {
            b.push(Block::Facts(facts));
            b.push(Block::Paragraph(t("card.quality.no_evaluation").into()));
            return;
        };
        facts.push((
            t("card.quality.precision").into(),
            tf(
                "card.quality.precision_value",
                &[
                    ("precision", &pct(lang, e.capacity.precision)),
                    ("k", &e.capacity.k_per_team),
                    ("capacity", &e.capacity.capacity_per_team),
                ],
            ),
        ));
        let chosen = match e.calibration.chosen {
            CalibrationMethod::None => t("card.quality.calibration_none"),
            CalibrationMethod::Platt => t("card.quality.calibration_platt"),
            CalibrationMethod::Isotonic => t("card.quality.calibration_isotonic"),
        };
        let candidates: Vec<String> = e
            .calibration
            .candidates
            .iter()
            .map(|c| {
                format!(
                    "{} {}",
                    format!("{:?}", c.method).to_lowercase(),
                    i18n::number(lang, c.held_out_log_loss, 3)
                )
            })
            .collect();
        facts.push((
            t("card.quality.calibration").into(),
            tf(
                "card.quality.calibration_value",
                &[("chosen", &chosen), ("candidates", &candidates.join(", "))],
            ),
        ));
        b.push(Block::Facts(facts));
        b.push(Block::Paragraph(t("card.quality.text").into()));
        let mut rows = vec![quality_row(lang, t("card.quality.all"), &e.overall)];
        for attribute in &e.by_attribute {
            for g in &attribute.groups {
                rows.push(quality_row(
                    lang,
                    &format!("{} = {}", attribute.attribute, g.group),
                    g,
                ));
            }
        }
        b.push(Block::Table {
            header: ["group", "n", "auc", "brier", "precision_k", "ece"]
                .iter()
                .map(|k| t(&format!("card.quality.col_{k}")).to_string())
                .collect(),
            rows,
        });
        if let Some(q) = &e.overall.metrics {
            b.push(Block::Heading(t("card.calibration.heading").into()));
            b.push(Block::Paragraph(t("card.calibration.text").into()));
            if charts {
                let points = reliability_points(q);
                b.push(Block::Chart {
                    caption: t("card.calibration.caption").into(),
                    svg: svg::calibration(
                        t("card.calibration.caption"),
                        &points,
                        t("card.calibration.x"),
                        t("card.calibration.y"),
                    ),
                });
            }
            b.push(reliability_table(lang, q));
            if charts {
                // The same curve per group: a model can be calibrated overall and not for
                // one group (figures per group: `model show` and the JSON card).
                let grid: Vec<(String, String)> = e
                    .by_attribute
                    .iter()
                    .flat_map(|a| a.groups.iter().map(move |g| (a, g)))
                    .filter_map(|(a, g)| {
                        let m = g.metrics.as_ref()?;
                        let title = format!("{} = {} (n = {})", a.attribute, g.group, g.n);
                        Some((
                            title.clone(),
                            svg::calibration(
                                &title,
                                &reliability_points(m),
                                t("card.calibration.x"),
                                t("card.calibration.y"),
                            ),
                        ))
                    })
                    .collect();
                if !grid.is_empty() {
                    b.push(Block::ChartGrid {
                        caption: t("card.calibration.per_group").into(),
                        charts: grid,
                    });
                }
            }
        }
    }

    fn fairness_section(&self, lang: Lang, charts: bool, b: &mut Vec<Block>) {
        b.push(Block::Heading(t("card.fairness.heading").into()));
        let Some(f) = &self.fairness else {
            // Only the version ranking the queue has scores to audit (and to draw).
            let why = if self.model.in_use {
                "card.fairness.none"
            } else {
                "card.fairness.not_in_use"
            };
            b.push(Block::Paragraph(t(why).into()));
            return;
        };
        let r = &f.report;
        b.push(Block::Paragraph(tf(
            "card.fairness.text",
            &[("outcome", &f.outcome), ("reference", &r.reference)],
        )));
        // Each shown rate's cell carries a `!` when its ratio to the reference group is
        // outside the band; flagged rates not in the table are listed below it.
        let rates = [Rate::SelectionRate, Rate::Tpr, Rate::Fpr, Rate::Ppv];
        let flagged = |key: &str| -> Vec<Rate> {
            r.disparities
                .iter()
                .filter(|d| d.key == key)
                .flat_map(|d| d.disparities.iter().filter(|x| x.flagged))
                .map(|x| x.rate)
                .collect()
        };
        let mut header = vec![t("card.quality.col_group").to_string(), "n".into()];
        header.extend(rates.iter().map(|r| rate_label(*r)));
        let mut others = Vec::new();
        let rows = r
            .groups
            .iter()
            .map(|g| {
                let flags = flagged(&g.key);
                let mut row = vec![g.key.clone(), g.count.to_string()];
                row.extend(rates.iter().map(|rate| {
                    let mark = if flags.contains(rate) { "!" } else { " " };
                    format!("{}{mark}", pct(lang, g.rates.get(*rate)))
                }));
                let rest: Vec<String> = flags
                    .iter()
                    .filter(|f| !rates.contains(f))
                    .map(|f| rate_label(*f))
                    .collect();
                if !rest.is_empty() {
                    others.push(format!("{} ({})", g.key, rest.join(", ")));
                }
                row
            })
            .collect();
        b.push(Block::Table { header, rows });
        if !others.is_empty() {
            b.push(Block::Paragraph(tf(
                "card.fairness.also_flagged",
                &[("groups", &others.join("; "))],
            )));
        }
        b.push(Block::Facts(vec![
            (
                t("card.fairness.dp").into(),
                tf(
                    "card.fairness.pair",
                    &[
                        (
                            "difference",
                            &num(lang, r.summary.demographic_parity_difference, 3),
                        ),
                        ("ratio", &num(lang, r.summary.demographic_parity_ratio, 3)),
                    ],
                ),
            ),
            (
                t("card.fairness.eo").into(),
                tf(
                    "card.fairness.pair",
                    &[
                        (
                            "difference",
                            &num(lang, r.summary.equalized_odds_difference, 3),
                        ),
                        ("ratio", &num(lang, r.summary.equalized_odds_ratio, 3)),
                    ],
                ),
            ),
        ]));
        b.push(Block::Paragraph(t("card.fairness.more").into()));
        if charts && !self.score_distribution.is_empty() {
            let groups: Vec<(String, Vec<usize>)> = self
                .score_distribution
                .iter()
                .filter(|h| h.attribute == "migration_background")
                .map(|h: &GroupHistogram| (h.group.clone(), h.counts.clone()))
                .collect();
            b.push(Block::Chart {
                caption: t("card.fairness.distribution").into(),
                svg: svg::distributions(
                    t("card.fairness.distribution"),
                    &groups,
                    t("card.calibration.x"),
                ),
            });
        }
    }

    fn proxies(&self, lang: Lang, b: &mut Vec<Block>) {
        b.push(Block::Heading(t("card.proxy.heading").into()));
        let Some(p) = &self.proxy_check else {
            b.push(Block::Paragraph(t("card.proxy.none").into()));
            return;
        };
        b.push(Block::Paragraph(tf(
            "card.proxy.text",
            &[("threshold", &i18n::number(lang, p.threshold, 2))],
        )));
        let mut pairs: Vec<_> = p.pairs.iter().collect();
        pairs.sort_by(|a, b| b.cramers_v.total_cmp(&a.cramers_v));
        b.push(Block::Table {
            header: vec![
                t("card.features.feature").into(),
                t("card.proxy.attribute").into(),
                "Cramér's V".into(),
                "NMI".into(),
                t("card.fairness.flags").into(),
            ],
            rows: pairs
                .iter()
                .take(15)
                .map(|pair| {
                    vec![
                        pair.feature.clone(),
                        pair.attribute.clone(),
                        i18n::number(lang, pair.cramers_v, 3),
                        i18n::number(lang, pair.normalized_mutual_information, 3),
                        if pair.strong_proxy {
                            format!("! {}", t("card.proxy.strong"))
                        } else {
                            String::new()
                        },
                    ]
                })
                .collect(),
        });
    }

    fn oversight_section(&self, lang: Lang, b: &mut Vec<Block>) {
        let o = &self.oversight;
        b.push(Block::Heading(t("card.oversight.heading").into()));
        let mut items = vec![t("card.oversight.decides").to_string()];
        items.extend(o.four_eyes.iter().cloned());
        items.push(t("card.oversight.approval").into());
        items.push(t("card.oversight.log").into());
        items.push(tf(
            "card.oversight.so_far",
            &[
                ("decisions", &i18n::number(lang, o.decisions as f64, 0)),
                ("reviewers", &o.reviewers),
                ("overrides", &i18n::number(lang, o.overrides as f64, 0)),
            ],
        ));
        b.push(Block::Bullets(items));
    }
}

fn quality_row(lang: Lang, label: &str, g: &GroupQuality) -> Vec<String> {
    let m: Option<&Quality> = g.metrics.as_ref();
    vec![
        label.to_string(),
        g.n.to_string(),
        num(lang, m.and_then(|m| m.auc), 3),
        num(lang, m.map(|m| m.brier), 3),
        pct(lang, m.and_then(|m| m.precision_at_capacity)),
        num(lang, m.map(|m| m.reliability.expected_calibration_error), 3),
    ]
}

fn reliability_points(q: &Quality) -> Vec<ReliabilityPoint> {
    q.reliability
        .bins
        .iter()
        .map(|bin| ReliabilityPoint {
            predicted: bin.mean_predicted,
            observed: bin.observed_rate,
            n: bin.n,
        })
        .collect()
}

fn reliability_table(lang: Lang, q: &Quality) -> Block {
    Block::Table {
        header: ["bin", "n", "predicted", "observed"]
            .iter()
            .map(|k| t(&format!("card.calibration.col_{k}")).to_string())
            .collect(),
        rows: q
            .reliability
            .bins
            .iter()
            .map(|bin| {
                vec![
                    format!(
                        "{}–{}",
                        i18n::number(lang, bin.lower, 2),
                        i18n::number(lang, bin.upper, 2)
                    ),
                    bin.n.to_string(),
                    pct(lang, Some(bin.mean_predicted)),
                    pct(lang, Some(bin.observed_rate)),
                ]
            })
            .collect(),
    }
}

fn rate_label(rate: Rate) -> String {
    match rate {
        Rate::SelectionRate => t("card.fairness.selection").to_string(),
        other => other.name().to_uppercase(),
    }
}
