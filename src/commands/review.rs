//! `oordeel review` (and `oordeel` alone): the console on a database.

use std::io::IsTerminal;
use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::Context;
use crate::cli::{DemoArgs, ReviewArgs};
use crate::console::{self, ConsoleError, ConsoleOptions};
use crate::i18n::tf;
use crate::ingest::demo::DemoConfig;
use crate::store::ReviewSession;

/// `oordeel` without a command: the demo caseload, created on first run.
pub fn run_default(ctx: &Context) -> Result<ExitCode> {
    require_terminal()?;
    // Only the demo is made on first run: a database named by --db, OORDEEL_DB or the
    // settings file that is not there is an error (`Store::open` says so), never a demo.
    if ctx.demo_default && !ctx.db.exists() {
        super::warn(&tf("cli.first_run", &[("path", &ctx.db.display())]));
        let args = DemoArgs {
            households: DemoConfig::DEFAULT_HOUSEHOLDS as u32,
            seed: DemoConfig::DEFAULT_SEED,
            force: false,
            today: None,
            reviewed: 0,
            months: 1,
            signal_file: None,
        };
        super::demo::create(ctx, &args)?;
    }
    run(ctx, &ReviewArgs::default())
}

pub fn run(ctx: &Context, args: &ReviewArgs) -> Result<ExitCode> {
    require_terminal()?;
    let (store, actor) = ctx.open()?;
    let confirm_within = store.confirm_within_seconds()?;
    let session = ReviewSession::start(store, actor)?;
    let mut options = ConsoleOptions::from_env(chrono::Local::now().date_naive(), args.ascii);
    options.mouse = !args.no_mouse;
    options.confirm_within =
        (confirm_within > 0.0).then(|| std::time::Duration::from_secs_f64(confirm_within));
    // A long session is checkpointed as it goes, and every session at its end.
    let watcher = super::checkpoint::Watcher::start(ctx);
    let ran = console::run(Box::new(session), options);
    for said in watcher.map(|w| w.finish()).unwrap_or_default() {
        super::warn(&said);
    }
    super::checkpoint::sign_after_command(ctx);
    ran?;
    Ok(ExitCode::SUCCESS)
}

/// Checked before anything is created or logged: no demo built and no session recorded for a
/// console that never had a screen.
fn require_terminal() -> Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(ConsoleError::NotATerminal.into());
    }
    Ok(())
}
