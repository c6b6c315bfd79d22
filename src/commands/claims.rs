//! `oordeel claims` and `oordeel reassign`: a supervisor's view of who has which case open,
//! freeing a stuck claim, and moving a case to another team. Each change is logged.

use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::Context;
use crate::cli::{ClaimsArgs, ReassignArgs};
use crate::i18n::{t, tf};

pub fn run(ctx: &Context, args: &ClaimsArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    if let Some(case) = args.release {
        let released = store.release_claim(&actor, case)?;
        let household = store.case_ref(case)?.household;
        match released {
            Some(holder) => super::say(
                &(tf(
                    "cli.claims.released",
                    &[
                        ("case", &case),
                        ("holder", &holder),
                        ("household", &household),
                    ],
                )),
            ),
            None => super::say(
                &(tf(
                    "cli.claims.none_on_case",
                    &[("case", &case), ("household", &household)],
                )),
            ),
        }
        return Ok(ExitCode::SUCCESS);
    }
    crate::store::require_role(
        &actor,
        actor.role.supervises() || actor.role.audits(),
        "error.action.supervise",
    )?;
    let claims = store.claims(&actor)?;
    if claims.is_empty() {
        super::say(t("cli.claims.none"));
        return Ok(ExitCode::SUCCESS);
    }
    super::say(&format!(
        "{:>8}  {:<10} {:<10} {:<20} {}",
        t("cli.claims.case"),
        t("cli.claims.household"),
        t("cli.users.team"),
        t("cli.claims.holder"),
        t("cli.claims.until")
    ));
    for c in claims {
        super::say(&format!(
            "{:>8}  {:<10} {:<10} {:<20} {}",
            c.case_id,
            crate::domain::text::sanitize(&c.household),
            c.team,
            c.holder,
            local_time(&c.expires_at)
        ));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn reassign(ctx: &Context, args: &ReassignArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    store.reassign(&actor, args.case_id, &args.team)?;
    let household = store.case_ref(args.case_id)?.household;
    super::say(
        &(tf(
            "cli.claims.reassigned",
            &[
                ("case", &args.case_id),
                ("team", &args.team),
                ("household", &household),
            ],
        )),
    );
    Ok(ExitCode::SUCCESS)
}

/// A time from the log as the local date and time, in the user's language.
pub fn local_time(at: &str) -> String {
    crate::i18n::local_time(crate::i18n::lang(), at, true).unwrap_or_else(|| at.to_owned())
}
