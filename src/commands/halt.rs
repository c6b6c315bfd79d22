//! `oordeel halt --reason TEXT` and `oordeel resume`: the model's stop button.

use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::Context;
use crate::cli::HaltArgs;
use crate::i18n::{self, tf};

pub fn halt(ctx: &Context, args: &HaltArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    let reordered = store.halt(&actor, &args.reason)?;
    super::say(&tf(
        "cli.halt.done",
        &[
            ("by", &actor.name),
            ("cases", &i18n::number(ctx.lang, reordered as f64, 0)),
        ],
    ));
    Ok(ExitCode::SUCCESS)
}

pub fn resume(ctx: &Context) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    let halt = store.resume(&actor)?;
    super::say(&tf(
        "cli.halt.resumed",
        &[("by", &actor.name), ("halted_by", &halt.by)],
    ));
    Ok(ExitCode::SUCCESS)
}
