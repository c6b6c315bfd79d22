//! One function per command of the command line: the glue between `cli`, the store, the
//! model and the console. Messages come from the i18n table.

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
    // `--db`, else `OORDEEL_DB` (both through clap), else the settings file, else the demo.
    let configured = match cli.global.db {
        Some(p) => Some(p),
        None => crate::paths::configured_database()
            .map_err(|e| eyre!(crate::i18n::tf("cli.bad_config", &[("problem", &e)])))?,
    };
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
    };
    match cli.command {
        None => review::run_default(&ctx),
        Some(Command::Init(args)) => init::run(&ctx, &args),
        Some(Command::Demo(args)) => demo::run(&ctx, &args),
        Some(Command::Train(args)) => train::run(&ctx, &args),
        Some(Command::Score) => score::run(&ctx),
        Some(Command::Review(args)) => review::run(&ctx, &args),
        Some(Command::Explain(args)) => explain::run(&ctx, &args),
        Some(Command::Export(args)) => export::run(&ctx, &args),
        Some(Command::Verify) => verify::run(&ctx),
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
    }
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
    wrap_prose(text, width)
}

pub(crate) fn wrap_prose(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.width() <= width {
            out.push_str(line);
            continue;
        }
        // A "label    value" line wraps its value under itself (a hanging indent), as long
        // as the value keeps enough room; a table row (several aligned columns) stays whole.
        let (head, tail) = match line.trim_start().rfind("  ") {
            None => ("", line),
            Some(_) => {
                let split = line.rfind("  ").map(|i| i + 2).unwrap_or(0);
                let (head, tail) = line.split_at(split);
                let columns = head.trim().split("  ").filter(|c| !c.is_empty()).count();
                if columns > 1 || head.width() > width * 3 / 5 {
                    out.push_str(line);
                    continue;
                }
                (head, tail)
            }
        };
        // Continuation lines keep the line's own indent, or the value's column.
        let indent: String = if head.is_empty() {
            line.chars().take_while(|c| *c == ' ').collect()
        } else {
            " ".repeat(head.width())
        };
        let mut current = head.to_string();
        let mut first = !head.is_empty();
        for word in tail.split_whitespace() {
            if first {
                current.push_str(word);
                first = false;
                continue;
            }
            if !current.is_empty() && current.width() + 1 + word.width() > width {
                out.push_str(&current);
                out.push('\n');
                current.clear();
            }
            if current.is_empty() {
                current.push_str(&indent);
            } else {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push_str(&current);
    }
    out
}

/// Writes `bytes` to `path` whole or not at all: beside the target first, then renamed, so a
/// failed write never leaves half a file. `mode` is the new file's permission bits (owner-only
/// for anything holding notes or pseudonyms).
pub(crate) fn write_whole(path: &std::path::Path, bytes: &[u8], mode: u32) -> Result<()> {
    use color_eyre::eyre::WrapErr;
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("partial");
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| std::fs::rename(&tmp, path))
        .wrap_err_with(|| i18n::tf("cli.export.write_failed", &[("path", &path.display())]))
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

#[cfg(test)]
mod tests {
    use super::wrap_prose;

    #[test]
    fn prose_wraps_at_word_boundaries_and_tables_keep_their_rows() {
        let prose =
            "Warning: feature `district` is strongly associated with the protected attribute";
        let wrapped = wrap_prose(prose, 40);
        assert!(
            wrapped.lines().all(|l| l.chars().count() <= 40),
            "{wrapped}"
        );
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>(),
            prose.split_whitespace().collect::<Vec<_>>()
        );
        let table = "version  algorithm            trained (when, by)                 AUC";
        assert_eq!(wrap_prose(table, 40), table);
        let labelled = "  legal basis          Wet basisregistratie personen en Wgs art. 8";
        let wrapped = wrap_prose(labelled, 50);
        assert_eq!(
            wrapped,
            "  legal basis          Wet basisregistratie\n                       personen en Wgs art. 8"
        );
        assert_eq!(wrap_prose("  short\n  two", 40), "  short\n  two");
        let indented = wrap_prose("  - one two three four five six", 12);
        assert!(indented.lines().all(|l| l.starts_with("  ")), "{indented}");
    }
}
