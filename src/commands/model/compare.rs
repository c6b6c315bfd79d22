//! `oordeel model compare V W`: two versions side by side on the labelled cases neither was
//! fitted on, and on the random arm's among them: AUC, Brier, log-loss, precision at
//! capacity and the groups selected outside the fairness band. `model approve` shows the
//! same before it asks.

use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::super::Context;
use super::super::train_labels::{Contender, compare};
use crate::cli::ModelCompareArgs;
use crate::i18n::{self, Lang, t, tf};
use crate::model::labels::{Comparison, SideBySide};
use crate::store::{Actor, Store};

pub fn run(ctx: &Context, args: &ModelCompareArgs) -> Result<ExitCode> {
    let (store, actor) = ctx.open()?;
    let c = between(&store, &actor, args.champion, args.challenger)?;
    for line in describe(&c, ctx.lang) {
        super::super::say(&line);
    }
    Ok(ExitCode::SUCCESS)
}

/// Compares two stored versions (the first as the one in use).
pub(super) fn between(store: &Store, actor: &Actor, a: i64, b: i64) -> Result<Comparison> {
    // Reading the registry is for those who oversee, as `model show`.
    store.model_versions(actor)?;
    let (va, vb) = (store.model_version(a)?, store.model_version(b)?);
    let (ma, mb) = (va.model()?, vb.model()?);
    let [ta, tb] = super::super::train_labels::truths(store, [&ma, &mb])?;
    compare(
        store,
        None,
        &Contender {
            version: a,
            model: &ma,
            fitted: va.trained_on.clone(),
        },
        &Contender {
            version: b,
            model: &mb,
            fitted: vb.trained_on.clone(),
        },
        ta.zip(tb).map(|(a, b)| [a, b]),
    )
}

/// The comparison in lines: a table per set of cases, then what is worse.
pub(crate) fn describe(c: &Comparison, lang: Lang) -> Vec<String> {
    let version = |v: i64| {
        if v == 0 {
            t("cli.compare.this_version").to_owned()
        } else {
            tf("cli.compare.version", &[("v", &v)])
        }
    };
    let mut out = vec![tf(
        "cli.compare.title",
        &[
            ("champion", &version(c.champion)),
            ("challenger", &version(c.challenger)),
        ],
    )];
    for (key, side) in [
        ("cli.compare.held_out", &c.held_out),
        ("cli.compare.random_arm", &c.random_arm),
    ] {
        match side {
            Some(s) => {
                let count = |n: usize| i18n::number(lang, n as f64, 0);
                out.push(tf(
                    key,
                    &[
                        ("n", &count(s.champion.n)),
                        ("positives", &count(s.champion.positives)),
                    ],
                ));
                out.extend(table(s, lang, &version(c.champion), &version(c.challenger)));
            }
            None => out.push(t(&format!("{key}_none")).to_owned()),
        }
    }
    if let Some(why) = &c.missing {
        out.push(why.clone());
    }
    if let Some([a, b]) = &c.truth {
        let num = |v: f64| i18n::number(lang, v, 3);
        out.push(tf(
            "cli.compare.truth",
            &[
                ("n", &i18n::number(lang, a.n as f64, 0)),
                ("rate", &num(a.true_rate)),
                ("a", &version(c.champion)),
                ("a_auc", &num(a.auc)),
                ("a_mean", &num(a.mean_predicted)),
                ("a_ece", &num(a.expected_calibration_error)),
                ("b", &version(c.challenger)),
                ("b_auc", &num(b.auc)),
                ("b_mean", &num(b.mean_predicted)),
                ("b_ece", &num(b.expected_calibration_error)),
            ],
        ));
    }
    if c.needs_confirmation() {
        let mut reasons = Vec::new();
        for (name, side) in [
            ("cli.compare.on_held_out", &c.held_out),
            ("cli.compare.on_random_arm", &c.random_arm),
        ] {
            let Some(s) = side else { continue };
            let worse = s.worse();
            if !worse.is_empty() {
                let figures: Vec<&str> = worse
                    .iter()
                    .map(|w| t(&format!("cli.compare.figure.{w}")))
                    .collect();
                reasons.push(tf(
                    "cli.compare.worse_on",
                    &[("figures", &figures.join(", ")), ("set", &t(name))],
                ));
            }
            let new: Vec<String> = s
                .new_disparities()
                .iter()
                .map(|d| {
                    format!(
                        "{}={}",
                        d.attribute,
                        crate::domain::text::sanitize(&d.group)
                    )
                })
                .collect();
            if !new.is_empty() {
                reasons.push(tf(
                    "cli.compare.new_on",
                    &[("groups", &new.join(", ")), ("set", &t(name))],
                ));
            }
        }
        out.push(tf("cli.compare.worse", &[("reasons", &reasons.join("; "))]));
    } else if c.held_out.is_some() {
        out.push(t("cli.compare.not_worse").to_owned());
    }
    out
}

fn table(s: &SideBySide, lang: Lang, a: &str, b: &str) -> Vec<String> {
    let num = |v: Option<f64>| v.map_or("-".to_owned(), |v| i18n::number(lang, v, 3));
    let worse = s.worse();
    let mark = |name: &str| if worse.contains(&name) { "  <" } else { "" };
    let row = |label: &str, x: Option<f64>, y: Option<f64>, name: &str| {
        format!(
            "    {label:<24} {:>10} {:>10}{}",
            num(x),
            num(y),
            mark(name)
        )
    };
    let (x, y) = (&s.champion, &s.challenger);
    let mut out = vec![format!("    {:<24} {a:>10} {b:>10}", "")];
    out.push(row("AUC", x.auc, y.auc, "auc"));
    out.push(row("Brier", Some(x.brier), Some(y.brier), "brier"));
    out.push(row(
        "log-loss",
        Some(x.log_loss),
        Some(y.log_loss),
        "log_loss",
    ));
    out.push(row(
        t("cli.compare.precision"),
        x.precision_at_capacity,
        y.precision_at_capacity,
        "precision_at_capacity",
    ));
    let flagged = |list: &[crate::model::labels::Disparity]| {
        if list.is_empty() {
            "-".to_owned()
        } else {
            list.iter()
                .map(|d| {
                    format!(
                        "{}={} ({})",
                        d.attribute,
                        crate::domain::text::sanitize(&d.group),
                        i18n::number(lang, d.ratio, 2)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    out.push(format!(
        "    {:<24} {a}: {}",
        t("cli.compare.disparities"),
        flagged(&s.champion_disparities)
    ));
    out.push(format!(
        "    {:<24} {b}: {}",
        "",
        flagged(&s.challenger_disparities)
    ));
    let new: Vec<String> = s
        .new_disparities()
        .iter()
        .map(|d| format!("{}={}", d.attribute, d.group))
        .collect();
    if !new.is_empty() {
        out.push(tf(
            "cli.compare.new_disparities",
            &[("list", &crate::domain::text::sanitize(&new.join(", ")))],
        ));
    }
    out
}
