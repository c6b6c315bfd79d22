//! `oordeel review` (and `oordeel` alone): the console on a database.

use std::io::IsTerminal;
use std::process::ExitCode;

use color_eyre::eyre::{Result, bail};

use super::Context;
use crate::cli::{DemoArgs, ReviewArgs};
use crate::console::{self, ConsoleOptions};
use crate::domain::decision::default_reasons;
use crate::i18n::{t, tf};
use crate::store::{Actor, ReviewSession, Store};

/// `oordeel` without a command: the demo caseload, created on first run.
pub fn run_default(ctx: &Context) -> Result<ExitCode> {
    if !ctx.db.exists() {
        eprintln!("{}", tf("cli.first_run", &[("path", &ctx.db.display())]));
        super::demo::create(
            ctx,
            &DemoArgs {
                households: 5000,
                seed: crate::ingest::demo::DemoConfig::DEFAULT_SEED,
                force: false,
                today: None,
            },
        )?;
    }
    run(ctx, &ReviewArgs::default())
}

pub fn run(ctx: &Context, args: &ReviewArgs) -> Result<ExitCode> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!(t("cli.review.no_terminal"));
    }
    let store = Store::open(&ctx.db)?;
    let session = ReviewSession::start(store, Actor::new(ctx.user.clone(), "reviewer"))?;
    let options = ConsoleOptions {
        ascii: args.ascii,
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        today: chrono::Local::now().date_naive(),
        reasons: default_reasons(),
        keymap_path: crate::paths::keymap_override(),
    };
    console::run(Box::new(session), options)?;
    Ok(ExitCode::SUCCESS)
}
