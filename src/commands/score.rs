//! `oordeel score`: rank every case under review with the newest model version.

use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::Context;
use crate::domain::drift::{self, DriftLevel};
use crate::i18n::{self, tf};
use crate::pipeline::score_and_store;

pub fn run(ctx: &Context) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    let (run, drift) = score_and_store(&mut store, &actor)?;
    super::say(&tf(
        "cli.score.done",
        &[
            ("count", &i18n::number(ctx.lang, run.cases as f64, 0)),
            ("version", &run.model_version),
        ],
    ));
    super::say(&tf(
        "cli.score.random_arm",
        &[("count", &i18n::number(ctx.lang, run.random_arm as f64, 0))],
    ));
    if let Some(drift) = drift.filter(|d| d.level == DriftLevel::Significant) {
        let shifted: Vec<String> = drift
            .significant()
            .map(|m| format!("{} {}", m.name, i18n::number(ctx.lang, m.psi, 2)))
            .collect();
        super::warn(&tf(
            "cli.score.drift",
            &[
                ("run", &run.run),
                ("threshold", &i18n::number(ctx.lang, drift::SIGNIFICANT, 2)),
                ("shifted", &shifted.join(", ")),
            ],
        ));
    }
    Ok(ExitCode::SUCCESS)
}
