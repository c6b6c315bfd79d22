//! `oordeel verify`: recompute the event log's hash chain.

use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::Context;
use crate::i18n::{t, tf};
use crate::store::ChainProblem;

pub fn run(ctx: &Context) -> Result<ExitCode> {
    let (store, _) = ctx.open()?;
    let report = store.verify_chain()?;
    if let (None, Some((case, stored, logged))) = (&report.first_bad, &report.state_mismatch) {
        super::warn(&format!(
            "oordeel: {}",
            tf(
                "cli.verify.state",
                &[
                    ("path", &ctx.db.display()),
                    ("case", case),
                    ("stored", &t(&format!("status.{stored}"))),
                    ("logged", &t(&format!("status.{logged}"))),
                ]
            )
        ));
        return Ok(ExitCode::FAILURE);
    }
    match report.first_bad {
        None => {
            super::say(&tf(
                "cli.verify.ok",
                &[("events", &report.events), ("head", &report.head)],
            ));
            Ok(ExitCode::SUCCESS)
        }
        Some((seq, problem)) => {
            let what = match problem {
                ChainProblem::Gap { expected, .. } => {
                    tf("cli.verify.gap", &[("expected", &expected)])
                }
                ChainProblem::BrokenLink => t("cli.verify.broken_link").to_owned(),
                ChainProblem::Altered => t("cli.verify.altered").to_owned(),
                ChainProblem::PayloadAltered => t("cli.verify.payload_altered").to_owned(),
            };
            super::warn(&format!(
                "oordeel: {}",
                tf(
                    "cli.verify.bad",
                    &[
                        ("path", &ctx.db.display()),
                        ("seq", &seq),
                        ("what", &what),
                        ("good", &report.events)
                    ]
                )
            ));
            Ok(ExitCode::FAILURE)
        }
    }
}
