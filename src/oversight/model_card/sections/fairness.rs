//! The fairness and proxy sections: the model's selection per group against the outcome,
//! and every feature against every protected attribute.

use super::super::document::Block;
use super::super::svg;
use super::super::{GroupHistogram, ModelCard};
use super::{num, pct};
use crate::domain::fairness::Rate;
use crate::i18n::{self, Lang, t, tf};

impl ModelCard {
    pub(super) fn fairness_section(&self, lang: Lang, charts: bool, b: &mut Vec<Block>) {
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

    pub(super) fn proxies(&self, lang: Lang, b: &mut Vec<Block>) {
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
}

fn rate_label(rate: Rate) -> String {
    match rate {
        Rate::SelectionRate => t("card.fairness.selection").to_string(),
        other => other.name().to_uppercase(),
    }
}
