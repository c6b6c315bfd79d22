//! `oordeel verify`: recompute the event log's hash chain.

use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::Context;
use crate::i18n::{t, tf};
use crate::store::{ChainProblem, error_value};

pub fn run(ctx: &Context) -> Result<ExitCode> {
    let (store, _) = ctx.open_by_log()?;
    let report = store.verify_chain()?;
    if let (None, Some(d)) = (&report.first_bad, &report.state) {
        // A status reads in the user's words; every other value as stored.
        let value = |v: &Option<String>| match (d.column, v) {
            ("status", Some(code)) => t(&format!("status.{code}")).to_owned(),
            (_, v) => error_value(v.as_deref()),
        };
        super::warn(&format!(
            "oordeel: {}",
            tf(
                "cli.verify.state",
                &[
                    ("path", &ctx.db.display()),
                    ("events", &report.events),
                    ("table", &d.table),
                    ("row", &d.row),
                    ("column", &d.column),
                    ("stored", &value(&d.stored)),
                    ("logged", &value(&d.logged)),
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
