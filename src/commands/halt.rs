//! `oordeel halt --reason TEXT` and `oordeel resume`: the model's stop button; and
//! `oordeel judge-first on|off`, a supervisor's other guard against following the model
//! blindly.

use std::process::ExitCode;

use color_eyre::eyre::{Result, eyre};

use super::Context;
use crate::cli::{HaltArgs, JudgeFirstArgs, Switch};
use crate::i18n::{self, t, tf};

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

pub fn judge_first(ctx: &Context, args: &JudgeFirstArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    // Who may not set it hears that first, not which team to name.
    crate::store::require_role(
        &actor,
        actor.role.supervises() || actor.role.administers(),
        "error.action.judge_first",
    )?;
    let Some(team) = args.team.clone().or_else(|| actor.team.clone()) else {
        return Err(eyre!(t("cli.judge_first.which_team")));
    };
    let on = args.state == Switch::On;
    let changed = store.set_team_judge_first(&actor, &team, on)?;
    let key = match (on, changed) {
        (true, true) => "cli.judge_first.on",
        (false, true) => "cli.judge_first.off",
        (true, false) => "cli.judge_first.already_on",
        (false, false) => "cli.judge_first.already_off",
    };
    super::say(&tf(key, &[("team", &team), ("by", &actor.name)]));
    Ok(ExitCode::SUCCESS)
}
