//! One function per command of the command line: the glue between `cli`, the store, the
//! model and the console. Messages come from the i18n table.

mod demo;
mod explain;
mod export;
mod review;
mod score;
mod train;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use color_eyre::eyre::{Result, eyre};

use crate::cli::{Cli, Command, LangArg};
use crate::i18n::{self, Lang, t};
use crate::store::Actor;

/// What every command needs to know.
pub struct Context {
    pub db: PathBuf,
    pub lang: Lang,
    /// The operating-system user running oordeel.
    pub user: String,
}

impl Context {
    /// The actor for data-management commands (demo, train, score).
    pub fn admin(&self) -> Actor {
        Actor::new(self.user.clone(), "admin")
    }
}

pub fn dispatch(cli: Cli) -> Result<ExitCode> {
    // The language was chosen while parsing (see `Cli::parse_localized`); `--lang` wins.
    let lang = match cli.global.lang {
        Some(LangArg::Nl) => Lang::Nl,
        Some(LangArg::En) => Lang::En,
        None => i18n::lang(),
    };
    let db = match cli.global.db {
        Some(p) => p,
        None => crate::paths::default_database().ok_or_else(|| eyre!(t("cli.no_data_dir")))?,
    };
    let ctx = Context {
        db,
        lang,
        user: crate::identity::os_user(),
    };
    match cli.command {
        None => review::run_default(&ctx),
        Some(Command::Demo(args)) => demo::run(&ctx, &args),
        Some(Command::Train(args)) => train::run(&ctx, &args),
        Some(Command::Score) => score::run(&ctx),
        Some(Command::Review(args)) => review::run(&ctx, &args),
        Some(Command::Explain(args)) => explain::run(&ctx, &args),
        Some(Command::Export(args)) => export::run(&ctx, &args),
        Some(Command::Verify) => verify::run(&ctx),
    }
}
