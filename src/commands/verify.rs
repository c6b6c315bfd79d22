//! `oordeel verify`: recompute the event log's hash chain.

use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::Context;
use crate::i18n::{t, tf};
use crate::messages::{one_line as error_value, where_they_differ};
use crate::store::ChainProblem;

pub fn run(ctx: &Context) -> Result<ExitCode> {
    let (store, _) = ctx.open_by_log()?;
    let report = store.verify_chain()?;
    if let (None, Some(d)) = (&report.first_bad, &report.state) {
        // A status reads in the user's words; every other value as stored, long ones from
        // where they differ.
        let (stored, logged) = match d.column {
            "status" => {
                let status = |v: &Option<String>| match v {
                    Some(code) => t(&format!("status.{code}")).to_owned(),
                    None => error_value(None),
                };
                (status(&d.stored), status(&d.logged))
            }
            _ => where_they_differ(d.stored.as_deref(), d.logged.as_deref()),
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
                    ("stored", &stored),
                    ("logged", &logged),
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
