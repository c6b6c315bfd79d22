//! The quality and calibration sections: held-out figures overall and per group, the
//! reliability table and its charts.

use super::super::ModelCard;
use super::super::document::Block;
use super::super::svg::{self, ReliabilityPoint};
use super::{num, pct};
use crate::i18n::{self, Lang, t, tf};
use crate::model::CalibrationMethod;
use crate::model::evaluation::{GroupQuality, Quality};

impl ModelCard {
    pub(super) fn quality(&self, lang: Lang, charts: bool, b: &mut Vec<Block>) {
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
