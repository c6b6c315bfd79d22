//! Figures for assets/demo/README.md and the report, and the 1M timing; ignored by default.

use std::collections::BTreeMap;

use super::logistic::{auc, encode, fit_and_score};
use super::{config, default_5000, rates_by};
use crate::domain::household::CreditorType;
use crate::ingest::demo::{DemoConfig, DemoHousehold, generate};

/// Figures for assets/demo/README.md and the report:
/// `cargo test --release --lib demo::tests::report::report -- --ignored --nocapture`.
#[test]
#[ignore]
fn report() {
    let all = default_5000();
    let closed = all.iter().filter(|h| !h.case.open).count();
    let positive = all.iter().filter(|h| h.case.outcome == Some(true)).count();
    println!(
        "closed {closed}, positive labels {positive} ({:.3})",
        positive as f64 / closed as f64
    );
    for (title, table) in [
        ("district", rates_by(&all, |h| h.household.district.clone())),
        (
            "migration background",
            rates_by(&all, |h| h.protected.migration_background.clone()),
        ),
        ("gender", rates_by(&all, |h| h.protected.gender.clone())),
        ("age band", rates_by(&all, |h| h.protected.age_band.clone())),
    ] {
        println!("{title:<22} {:>6} {:>7} {:>7}", "closed", "label", "need");
        for (group, (n, label, need)) in table {
            println!("  {group:<20} {n:>6} {label:>7.3} {need:>7.3}");
        }
    }
    let mut mix: BTreeMap<(String, String), usize> = BTreeMap::new();
    for h in &all {
        *mix.entry((
            h.household.district.clone(),
            h.protected.migration_background.clone(),
        ))
        .or_default() += 1;
    }
    println!("{mix:?}");
    let share = |pred: &dyn Fn(&DemoHousehold) -> bool| {
        all.iter().filter(|h| pred(h)).count() as f64 / all.len() as f64
    };
    println!(
        "open {:.3} multiple {:.3} repeated {:.3} threat {:.3} needed {:.3}",
        share(&|h| h.case.open),
        share(&|h| h.case.flags.multiple),
        share(&|h| h.case.flags.repeated),
        share(&|h| h.case.flags.threat),
        share(&|h| h.case.truly_needed()),
    );
    for kind in CreditorType::ALL {
        println!(
            "{:<18} {:.3}",
            kind.as_code(),
            share(&|h| h
                .signals
                .iter()
                .any(|s| s.creditor_type == *kind && s.received_on >= h.case.month_start()))
        );
    }
    for kind in CreditorType::ALL {
        let mut amounts: Vec<i64> = all
            .iter()
            .flat_map(|h| h.signals.iter())
            .filter(|s| s.creditor_type == *kind)
            .map(|s| s.amount_cents)
            .collect();
        amounts.sort_unstable();
        let q = |f: usize| amounts[amounts.len() * f / 100] as f64 / 100.0;
        println!(
            "{:<18} amount p10 {:>8.2} p50 {:>8.2} p90 {:>8.2}",
            kind.as_code(),
            q(10),
            q(50),
            q(90)
        );
    }
    let big: Vec<DemoHousehold> = generate(&config(DemoConfig::DEFAULT_SEED, 40_000))
        .filter(|h| !h.case.open)
        .collect();
    let (held_out, w) = fit_and_score(&big);
    println!("held-out AUC {held_out:.3}; weights {w:.2?}");
    // Select the top 30% of the odd (held-out) cases by the model trained on the labels.
    let mut scored: Vec<(f64, &DemoHousehold)> = big
        .iter()
        .skip(1)
        .step_by(2)
        .map(|h| (encode(h).iter().zip(&w).map(|(a, b)| a * b).sum(), h))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let cut = scored.len() * 3 / 10;
    for (title, key) in [
        (
            "district",
            &(|h: &DemoHousehold| h.household.district.clone())
                as &dyn Fn(&DemoHousehold) -> String,
        ),
        ("migration background", &|h: &DemoHousehold| {
            h.protected.migration_background.clone()
        }),
    ] {
        println!(
            "top 30% by {title:<22} {:>7} {:>7} {:>7} {:>7}",
            "n", "select", "need", "TPR"
        );
        let mut groups: BTreeMap<String, (f64, f64, f64, f64)> = BTreeMap::new();
        for (rank, (_, h)) in scored.iter().enumerate() {
            let g = groups.entry(key(h)).or_default();
            let selected = rank < cut;
            let needed = h.case.truly_needed();
            g.0 += 1.0;
            g.1 += f64::from(u8::from(selected));
            g.2 += f64::from(u8::from(needed));
            g.3 += f64::from(u8::from(selected && needed));
        }
        for (group, (n, sel, need, tp)) in groups {
            println!(
                "  {group:<40} {n:>7} {:>7.3} {:>7.3} {:>7.3}",
                sel / n,
                need / n,
                tp / need
            );
        }
    }
    let mut by_need: Vec<(f64, f64)> = big
        .iter()
        .map(|h| {
            (
                h.case.latent_need,
                f64::from(u8::from(h.case.outcome == Some(true))),
            )
        })
        .collect();
    println!(
        "AUC of the latent need itself for the labels {:.3}",
        auc(&mut by_need)
    );
    for h in all.iter().take(3) {
        println!("{h:#?}");
    }
}

/// `cargo test --release --lib demo::tests::report::timing -- --ignored --nocapture`
#[test]
#[ignore]
fn timing() {
    let config = config(DemoConfig::DEFAULT_SEED, 1_000_000);
    let start = std::time::Instant::now();
    let mut bytes = 0usize;
    for h in generate(&config) {
        bytes += h.personal.name.len() + h.signals.len();
    }
    println!("1,000,000 households in {:?} ({bytes})", start.elapsed());
}
