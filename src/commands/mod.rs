//! One function per command of the command line: the glue between `cli`, the store, the
//! model and the console. Messages come from the i18n table.

mod checkpoint;
mod citizen;
mod claims;
mod demo;
mod demo_months;
mod demo_outcomes;
mod demo_review;
mod explain;
mod export;
mod export_log;
mod fairness;
mod features;
mod halt;
mod history;
mod households;
mod import;
mod init;
mod model;
mod model_card;
mod outcomes;
mod oversight;
mod purge;
mod register;
mod report;
mod review;
mod review_backend;
mod score;
mod settings;
mod signals;
mod since;
mod ssh;
mod train;
mod train_labels;
mod train_quality;
mod users;
mod verify;

pub use demo::DEMO_USERS;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use color_eyre::eyre::{Result, eyre};

use crate::cli::{Cli, Command, LangArg};
use crate::domain::text::sanitize_text;
use crate::i18n::{self, Lang, t};
use crate::store::{Actor, Identity, Store};

/// What every command needs to know.
pub struct Context {
    pub db: PathBuf,
    pub lang: Lang,
    /// The operating-system user running oordeel (from the real uid).
    pub user: String,
    pub uid: u32,
    /// `--as NAME`: honoured only for the account that owns the database file.
    pub as_name: Option<String>,
    /// The database is the demo's, in the data directory: no `--db`, `OORDEEL_DB` or `db` in
    /// the settings file named another. Only then does `oordeel` create it on first run.
    pub demo_default: bool,
    /// The settings file's `[checkpoints]`.
    pub checkpoints: crate::paths::CheckpointSettings,
}

impl Context {
    /// Opens the database and resolves who is acting; a stranger or a disabled user is
    /// refused here, before anything is read or written.
    pub fn open(&self) -> Result<(Store, Actor)> {
        let store = Store::open(&self.db)?;
        let actor = self.identify(&store)?;
        Ok((store, actor))
    }

    /// For `verify`: who acts as the log says, so an edited users table cannot lock out the
    /// check that names the edit.
    pub fn open_by_log(&self) -> Result<(Store, Actor)> {
        let store = Store::open(&self.db)?;
        let actor = store.identify_from_log(&Identity {
            os_user: &self.user,
            uid: self.uid,
            as_name: self.as_name.as_deref(),
        })?;
        Ok((store, actor))
    }

    pub fn identify(&self, store: &Store) -> Result<Actor> {
        Ok(store.identify(&Identity {
            os_user: &self.user,
            uid: self.uid,
            as_name: self.as_name.as_deref(),
        })?)
    }
}

pub fn dispatch(cli: Cli) -> Result<ExitCode> {
    // The language was chosen while parsing (see `Cli::parse_localized`); `--lang` wins.
    let lang = match cli.global.lang {
        Some(LangArg::Nl) => Lang::Nl,
        Some(LangArg::En) => Lang::En,
        None => i18n::lang(),
    };
    let settings = crate::paths::settings()
        .map_err(|e| eyre!(crate::i18n::tf("cli.bad_config", &[("problem", &e)])))?;
    // `--db`, else `OORDEEL_DB` (both through clap), else the settings file, else the demo.
    let configured = cli.global.db.or(settings.db);
    let demo_default = configured.is_none();
    let db = match configured {
        Some(p) => p,
        None => crate::paths::default_database().ok_or_else(|| eyre!(t("cli.no_data_dir")))?,
    };
    let ctx = Context {
        db,
        lang,
        user: crate::identity::os_user(),
        uid: crate::identity::uid(),
        as_name: cli.global.as_name,
        demo_default,
        checkpoints: settings.checkpoints,
    };
    // `verify` must not vouch for what it is checking; `checkpoint` signs by itself; the
    // console signs as it goes and at its end.
    let signs_after = !matches!(
        cli.command,
        None | Some(Command::Verify(_) | Command::Checkpoint(_) | Command::Review(_))
    );
    let outcome = match cli.command {
        None => review::run_default(&ctx),
        Some(Command::Init(args)) => init::run(&ctx, &args),
        Some(Command::Demo(args)) => demo::run(&ctx, &args),
        Some(Command::Train(args)) => train::run(&ctx, &args),
        Some(Command::Score) => score::run(&ctx),
        Some(Command::Review(args)) => review::run(&ctx, &args),
        Some(Command::Explain(args)) => explain::run(&ctx, &args),
        Some(Command::Export(args)) => export::run(&ctx, &args),
        Some(Command::Verify(args)) => verify::run(&ctx, &args),
        Some(Command::Checkpoint(cmd)) => checkpoint::run(&ctx, &cmd),
        Some(Command::Users(cmd)) => users::run(&ctx, &cmd),
        Some(Command::Claims(args)) => claims::run(&ctx, &args),
        Some(Command::Reassign(args)) => claims::reassign(&ctx, &args),
        Some(Command::Report(cmd)) => report::run(&ctx, &cmd),
        Some(Command::Model(cmd)) => model::run(&ctx, &cmd),
        Some(Command::Ssh(cmd)) => ssh::run(&ctx, &cmd),
        Some(Command::Register(cmd)) => register::run(&ctx, &cmd),
        Some(Command::Halt(args)) => halt::halt(&ctx, &args),
        Some(Command::Resume) => halt::resume(&ctx),
        Some(Command::JudgeFirst(args)) => halt::judge_first(&ctx, &args),
        Some(Command::Citizen(args)) => citizen::run(&ctx, &args),
        Some(Command::Signals(cmd)) => signals::run(&ctx, &cmd),
        Some(Command::Features(cmd)) => features::run(&ctx, &cmd),
        Some(Command::Settings(cmd)) => settings::run(&ctx, &cmd),
        Some(Command::Import(args)) => import::run(&ctx, &args),
        Some(Command::Households(cmd)) => households::run(&ctx, &cmd),
        Some(Command::History(cmd)) => history::run(&ctx, &cmd),
        Some(Command::Outcomes(cmd)) => outcomes::run(&ctx, &cmd),
        Some(Command::Purge(args)) => purge::run(&ctx, &args),
    };
    if signs_after {
        checkpoint::sign_after_command(&ctx);
    }
    outcome
}

/// Prints a message for people to stdout. Messages quote paths, names, feature labels and file
/// contents, so they are sanitised: none of it can reach the terminal as an escape sequence.
///
/// A reader that went away (`oordeel … | head`) is not an error: the rest is not wanted.
pub(crate) fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let text = for_terminal(&sanitize_text(text), out.is_terminal());
    let _ = writeln!(out, "{text}");
}

/// [`say`] on stderr.
pub(crate) fn warn(text: &str) {
    let mut err = std::io::stderr().lock();
    let text = for_terminal(&sanitize_text(text), err.is_terminal());
    let _ = writeln!(err, "{text}");
}

/// On a terminal, long lines of prose are wrapped at its width (80 columns when it cannot be
/// asked) on word boundaries, instead of being cut mid-word by the terminal. Lines with runs
/// of spaces are table rows and keep their alignment; into a pipe nothing changes.
fn for_terminal(text: &str, terminal: bool) -> String {
    if !terminal {
        return text.to_owned();
    }
    let width = crate::console::terminal_columns()
        .map(usize::from)
        .unwrap_or(80)
        .clamp(40, 200);
    crate::format::wrap_prose(text, width)
}

/// Writes `bytes` to `path` whole or not at all (see [`write_whole_with`]).
pub(crate) fn write_whole(path: &std::path::Path, bytes: &[u8], mode: u32) -> Result<()> {
    use color_eyre::eyre::WrapErr;
    write_whole_with(path, mode, |out| {
        out.write_all(bytes)
            .wrap_err_with(|| i18n::tf("cli.export.write_failed", &[("path", &path.display())]))
    })
}

/// Writes a file whole or not at all: `fill` streams into a file beside the target, which is
/// flushed to disk and then renamed over it, so a failed or interrupted write never leaves
/// half a file (and a failed `fill`, whose error is returned as it is, leaves none). `mode` is the new file's permission bits
/// (owner-only for anything holding notes or pseudonyms).
pub(crate) fn write_whole_with<T>(
    path: &std::path::Path,
    mode: u32,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<T>,
) -> Result<T> {
    use color_eyre::eyre::WrapErr;
    use std::os::unix::fs::OpenOptionsExt;
    let failed = || i18n::tf("cli.export.write_failed", &[("path", &path.display())]);
    let tmp = path.with_extension("partial");
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(&tmp)
        .wrap_err_with(failed)?;
    let mut out = std::io::BufWriter::new(file);
    let written = fill(&mut out).and_then(|value| {
        out.into_inner()
            .map_err(|e| e.into_error())
            .and_then(|file| file.sync_all())
            .wrap_err_with(failed)?;
        Ok(value)
    });
    match written {
        Ok(value) => {
            std::fs::rename(&tmp, path).wrap_err_with(failed)?;
            Ok(value)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Writes data for programs (JSON, CSV) to stdout. Into a file or a pipe it goes exactly as it
/// is, because the program reading it must get the notes and names as they were written (JSON
/// escapes C0 controls itself; CSV quotes them). On a terminal a person reads it, and a note
/// holding an OSC 52 or a bidi override would act on that terminal: there it is sanitised
/// like any message, at the price of no longer being exact (redirect to keep it exact).
pub(crate) fn write_data(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let written = if out.is_terminal() {
        out.write_all(sanitize_text(&String::from_utf8_lossy(bytes)).as_bytes())
    } else {
        out.write_all(bytes)
    }
    .and_then(|()| out.flush());
    match written {
        // The reader went away (`| head`): what it did not read it did not want.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
