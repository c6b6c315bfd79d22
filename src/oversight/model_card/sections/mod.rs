//! The card's content, section by section, in the current language: the general sections
//! here, quality and calibration in `quality.rs`, fairness and proxies in `fairness.rs`.

mod fairness;
mod quality;

use super::ModelCard;
use super::document::Block;
use super::svg;
use crate::i18n::{self, Lang, t, tf};

pub(super) fn pct(lang: Lang, x: Option<f64>) -> String {
    crate::format::percent_or_dash(lang, x, 1)
}

pub(super) fn num(lang: Lang, x: Option<f64>, decimals: usize) -> String {
    x.map(|x| i18n::number(lang, x, decimals))
        .unwrap_or_else(|| "–".into())
}

pub(super) fn when(lang: Lang, at: &str) -> String {
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
        if !self.learning_loop.is_empty() {
            b.push(Block::Heading(t("card.loop.heading").into()));
            b.push(Block::Paragraph(t("card.loop.text").into()));
            b.push(Block::Bullets(self.learning_loop.clone()));
        }
        if let Some(c) = &self.comparison {
            self.comparison_table(lang, c, &mut b);
        }
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

    /// The comparison with the champion as a table per set of cases.
    fn comparison_table(
        &self,
        lang: Lang,
        c: &crate::model::labels::Comparison,
        b: &mut Vec<Block>,
    ) {
        b.push(Block::Paragraph(tf(
            "card.loop.compared",
            &[("champion", &c.champion)],
        )));
        for (key, side) in [
            ("card.loop.held_out", &c.held_out),
            ("card.loop.random_arm", &c.random_arm),
        ] {
            let Some(s) = side else {
                b.push(Block::Paragraph(
                    tf(key, &[("n", &0)]) + " " + t("card.loop.too_few"),
                ));
                continue;
            };
            let worse = s.worse();
            let mark = |name: &str| if worse.contains(&name) { " <" } else { "" };
            let row = |label: &str, x: Option<f64>, y: Option<f64>, name: &str| {
                vec![
                    label.to_owned(),
                    num(lang, x, 3),
                    format!("{}{}", num(lang, y, 3), mark(name)),
                ]
            };
            let (x, y) = (&s.champion, &s.challenger);
            b.push(Block::Paragraph(tf(key, &[("n", &x.n)])));
            b.push(Block::Table {
                header: vec![
                    String::new(),
                    tf("card.loop.version", &[("v", &c.champion)]),
                    t("card.loop.this_version").into(),
                ],
                rows: vec![
                    row("AUC", x.auc, y.auc, "auc"),
                    row("Brier", Some(x.brier), Some(y.brier), "brier"),
                    row("log-loss", Some(x.log_loss), Some(y.log_loss), "log_loss"),
                    row(
                        t("card.loop.precision"),
                        x.precision_at_capacity,
                        y.precision_at_capacity,
                        "precision_at_capacity",
                    ),
                    vec![
                        t("card.loop.disparities").into(),
                        s.champion_disparities.len().to_string(),
                        s.challenger_disparities.len().to_string(),
                    ],
                ],
            });
        }
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
            (
                t("card.summary.algorithm").into(),
                // oordeel's own algorithm in the reader's language; any other as recorded.
                if m.algorithm == crate::model::ALGORITHM {
                    t("card.summary.algorithm_name").to_string()
                } else {
                    m.algorithm.clone()
                },
            ),
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

    fn oversight_section(&self, lang: Lang, b: &mut Vec<Block>) {
        let o = &self.oversight;
        b.push(Block::Heading(t("card.oversight.heading").into()));
        let mut items = vec![t("card.oversight.decides").to_string()];
        items.extend(o.four_eyes.iter().cloned());
        items.push(t("card.oversight.approval").into());
        items.push(t("card.oversight.log").into());
        items.push(match &o.checkpoint_key {
            Some(key) => tf("card.oversight.checkpoints", &[("key", key)]),
            None => t("card.oversight.no_checkpoints").into(),
        });
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
