//! One function per command of the command line: the glue between `cli`, the store, the
//! model and the console. Messages come from the i18n table.

mod demo;
mod explain;
mod export;
mod review;
mod score;
mod train;
mod verify;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use color_eyre::eyre::{Result, eyre};

use crate::cli::{Cli, Command, LangArg};
use crate::console::sanitize::sanitize_text;
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

/// Prints a message for people to stdout. Messages quote paths, names, feature labels and file
/// contents, so they are sanitised: none of it can reach the terminal as an escape sequence.
pub(crate) fn say(text: &str) {
    println!("{}", sanitize_text(text));
}

/// [`say`] on stderr.
pub(crate) fn warn(text: &str) {
    eprintln!("{}", sanitize_text(text));
}

/// Writes data for programs (JSON, CSV) to stdout. Into a file or a pipe it goes exactly as it
/// is, because the program reading it must get the notes and names as they were written (JSON
/// escapes C0 controls itself; CSV quotes them). On a terminal a person reads it, and a note
/// holding an OSC 52 or a bidi override would act on that terminal: there it is sanitised
/// like any message, at the price of no longer being exact (redirect to keep it exact).
pub(crate) fn write_data(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    if out.is_terminal() {
        out.write_all(sanitize_text(&String::from_utf8_lossy(bytes)).as_bytes())?;
    } else {
        out.write_all(bytes)?;
    }
    out.flush()
}
