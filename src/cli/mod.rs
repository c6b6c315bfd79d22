//! The command-line contract (docs/commands.md). Every command has `--help`; `--db` and `--lang`
//! work everywhere.

mod data;
mod governance;

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

pub use data::*;
pub use governance::*;

use crate::i18n::{self, Lang};

#[derive(Debug, Parser)]
#[command(
    name = "oordeel",
    version,
    about = "Review a ranked caseload: the model orders and explains, people decide.",
    long_about = "oordeel ranks households by their estimated need for proactive support, shows \
                  exactly why, and records every human decision in a tamper-evident log.\n\n\
                  Without a command it opens the console on the demo caseload, creating it on \
                  first run."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Database file [default: the demo database in your data directory]
    #[arg(long, global = true, env = "OORDEEL_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Language of messages and the console [default: from LANG]
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,

    /// Act as this user (only for the account that owns the database: SSH forced commands)
    #[arg(long = "as", global = true, value_name = "NAME")]
    pub as_name: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    Nl,
    En,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an empty database for a municipality: the schema, the shipped rules and you as
    /// its first admin; nothing else (it refuses an existing file)
    Init(InitArgs),
    /// Generate the demo caseload (a synthetic municipality), train a model and rank the queue
    Demo(DemoArgs),
    /// Train a model version on the historical outcomes
    Train(TrainArgs),
    /// Rank the open cases with the newest model version
    Score,
    /// Open the review console
    Review(ReviewArgs),
    /// Show why a case is ranked where it is (exact per-feature contributions)
    Explain(ExplainArgs),
    /// Check the event log's hash chain, and with `--checkpoints` every signed checkpoint;
    /// a non-zero exit names the first bad event or checkpoint
    Verify(VerifyArgs),
    /// Signed checkpoints of the event log, kept outside the database: the signing key,
    /// signing now, and acknowledging a restore's loss
    #[command(subcommand)]
    Checkpoint(CheckpointCommand),
    /// Export decisions, retractions and notes
    Export(ExportArgs),
    /// The municipality's households: its client or BRP extract
    #[command(subcommand)]
    Households(HouseholdsCommand),
    /// Past cases with their outcome: the labelled history the model learns from
    #[command(subcommand)]
    History(HistoryCommand),
    /// What became of the households after the decision: the learning loop's labels
    #[command(subcommand)]
    Outcomes(OutcomesCommand),
    /// Import a caseload from a CSV file through a profile that gives each column its role
    /// (admins; checked whole first, written in one go or not at all; logged)
    Import(ImportArgs),
    /// Vroegsignalering signal files: attach a month's signals to the households
    #[command(subcommand)]
    Signals(SignalsCommand),
    /// Erase the personal data of households whose cases closed before a date; decisions stay,
    /// pseudonymous (admins; logged; logs younger than six months are kept)
    Purge(PurgeArgs),
    /// Everything recorded about one household, with a plain-Dutch letter explaining the
    /// model's part and the decision (privacy officers: auditors, supervisors, admins; logged)
    Citizen(CitizenArgs),
    /// Manage users, their roles and teams (admins)
    #[command(subcommand)]
    Users(UsersCommand),
    /// Show who has which case open, or release a stuck claim (supervisors)
    Claims(ClaimsArgs),
    /// Move a case to another team (supervisors)
    Reassign(ReassignArgs),
    /// Reports for auditors and supervisors
    #[command(subcommand)]
    Report(ReportCommand),
    /// The model registry: versions, their held-out quality and their approval
    #[command(subcommand)]
    Model(ModelCommand),
    /// Document the model's features and the rules on forbidden features
    #[command(subcommand)]
    Features(FeaturesCommand),
    /// This database's rules: four eyes, capacity, the random arm, the oversight limits
    /// (admins; every change logged)
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// The public Algoritmeregister entry
    #[command(subcommand)]
    Register(RegisterCommand),
    /// Stop the model: no scoring, queue in arrival order, a banner in every console
    /// (supervisors and admins; logged)
    Halt(HaltArgs),
    /// Lift a halt (a supervisor or admin other than the one who halted; logged)
    Resume,
    /// Turn judge-first mode on or off for a team: reviewers record their own judgment of
    /// each case before its score is shown (supervisors and admins; logged)
    JudgeFirst(JudgeFirstArgs),
    /// Serving reviewers over SSH
    #[command(subcommand)]
    Ssh(SshCommand),
}

/// A day on the command line: `2026-11-29` or, as Dutch people write it, `29-11-2026`.
/// A household's pseudonym as typed: `h-252665` and ` H-252665` are `H-252665`.
pub fn pseudonym(text: &str) -> Result<String, String> {
    Ok(text.trim().to_uppercase())
}

/// A text that says something: a reason kept in the log may not be blank.
pub fn said(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        Err(i18n::t("cli.blank").to_owned())
    } else {
        Ok(text.to_owned())
    }
}

pub fn day(text: &str) -> Result<chrono::NaiveDate, String> {
    crate::domain::import::parse_date(text)
        .ok_or_else(|| i18n::t("cli.bad_day").replace("{found}", text))
}

impl Cli {
    /// Parses the command line with help texts in the user's language.
    ///
    /// The language has to be known before clap renders `--help`, so `--lang` is looked for
    /// in the raw arguments first; the language is set from it (or from `LANG`).
    pub fn parse_localized() -> Cli {
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        i18n::set_lang(Lang::from_env(lang_in_args(&args)));
        let matches = localize(Cli::command(), "help").get_matches_from(args);
        <Cli as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
    }
}

/// `--lang nl`, `--lang=en` anywhere on the line.
fn lang_in_args(args: &[std::ffi::OsString]) -> Option<Lang> {
    let args: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    args.iter().enumerate().find_map(|(i, a)| {
        let value = a
            .strip_prefix("--lang=")
            .or_else(|| (*a == "--lang").then(|| args.get(i + 1).copied()).flatten())?;
        match value {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    })
}

/// Replaces the help of the command, its arguments and its subcommands with the texts under
/// `prefix` in the strings table (`help.about`, `help.db`, `help.demo.households`, ...).
fn localize(mut cmd: clap::Command, prefix: &str) -> clap::Command {
    if let Some(about) = i18n::lookup(&format!("{prefix}.about")) {
        cmd = cmd.about(about).long_about(None);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        if let Some(help) = i18n::lookup(&format!("{prefix}.{id}")) {
            cmd = cmd.mut_arg(id, |a| a.help(help));
        }
    }
    let subcommands: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in subcommands {
        cmd = cmd.mut_subcommand(&name, |s| localize(s, &format!("{prefix}.{name}")));
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_and_option_has_help_in_the_table() {
        fn walk(cmd: &clap::Command, prefix: &str, missing: &mut Vec<String>) {
            if i18n::lookup(&format!("{prefix}.about")).is_none() {
                missing.push(format!("{prefix}.about"));
            }
            for a in cmd.get_arguments() {
                let id = a.get_id().as_str();
                if id != "help"
                    && id != "version"
                    && i18n::lookup(&format!("{prefix}.{id}")).is_none()
                {
                    missing.push(format!("{prefix}.{id}"));
                }
            }
            for s in cmd.get_subcommands() {
                if s.get_name() != "help" {
                    walk(s, &format!("{prefix}.{}", s.get_name()), missing);
                }
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "help", &mut missing);
        // Global options are listed once, at the top.
        missing.retain(|k| {
            !(k.ends_with(".db") || k.ends_with(".lang") || k.ends_with(".as_name"))
                || k.matches('.').count() == 1
        });
        assert!(
            missing.is_empty(),
            "help texts missing from assets/strings.toml: {missing:?}"
        );
    }

    #[test]
    fn days_read_iso_and_dutch() {
        assert_eq!(day("2026-11-29"), day("29-11-2026"));
        assert!(day("2026-13-01").is_err() && day("morgen").is_err());
    }

    #[test]
    fn lang_is_found_before_parsing() {
        let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            lang_in_args(&args(&["oordeel", "--lang", "nl", "demo"])),
            Some(Lang::Nl)
        );
        assert_eq!(
            lang_in_args(&args(&["oordeel", "verify", "--lang=en"])),
            Some(Lang::En)
        );
        assert_eq!(lang_in_args(&args(&["oordeel", "verify"])), None);
    }
}
