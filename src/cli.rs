//! The command-line contract (DESIGN.md §9). Every command has `--help`; `--db` and `--lang`
//! work everywhere.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

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
    /// Export decisions, retractions and notes
    Export(ExportArgs),
    /// Check the event log's hash chain; a non-zero exit names the first bad event
    Verify,
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
    /// Serving reviewers over SSH
    #[command(subcommand)]
    Ssh(SshCommand),
    /// The public Algoritmeregister entry
    #[command(subcommand)]
    Register(RegisterCommand),
    /// Stop the model: no scoring, queue in arrival order, a banner in every console
    /// (supervisors and admins; logged)
    Halt(HaltArgs),
    /// Lift a halt (a supervisor or admin other than the one who halted; logged)
    Resume,
    /// Vroegsignalering signal files: attach a month's signals to the households
    #[command(subcommand)]
    Signals(SignalsCommand),
    /// Everything recorded about one household, with a plain-Dutch letter explaining the
    /// model's part and the decision (privacy officers: auditors, supervisors, admins; logged)
    Citizen(CitizenArgs),
    /// Turn judge-first mode on or off for a team: reviewers record their own judgment of
    /// each case before its score is shown (supervisors and admins; logged)
    JudgeFirst(JudgeFirstArgs),
    /// Document the model's features and the rules on forbidden features
    #[command(subcommand)]
    Features(FeaturesCommand),
    /// Import a caseload from a CSV file through a profile that gives each column its role
    /// (admins; checked whole first, written in one go or not at all; logged)
    Import(ImportArgs),
    /// Erase the personal data of households whose cases closed before a date; decisions stay,
    /// pseudonymous (admins; logged; logs younger than six months are kept)
    Purge(PurgeArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The profile (TOML) that maps the file's columns to roles; examples in assets/profiles/
    #[arg(long, value_name = "PROFILE.toml")]
    pub profile: PathBuf,
    /// The file to import (CSV: comma or semicolon, UTF-8 or Windows-1252)
    #[arg(value_name = "FILE.csv")]
    pub file: PathBuf,
    /// Check the file and report what would be imported, but write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Households whose cases all closed before this date (YYYY-MM-DD; at least 183 days ago)
    #[arg(long, value_name = "DATE")]
    pub before: chrono::NaiveDate,
    /// Only say how many households, personal-data rows and log entries would go
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum FeaturesCommand {
    /// Show each feature's source, legal basis, description and approver, and the rules
    List(FeaturesListArgs),
    /// Document a feature (admins; you become its approver; logged)
    Set(FeatureSetArgs),
    /// Forbid a term in feature names and descriptions from now on (admins; logged)
    Forbid(FeatureForbidArgs),
}

#[derive(Debug, Args)]
pub struct FeaturesListArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct FeatureSetArgs {
    /// The feature's name, as in the caseload's feature list
    pub name: String,
    /// Where the data comes from (who supplies it, which register)
    #[arg(long, value_name = "TEXT")]
    pub source: String,
    /// The legal basis for processing it (law and article)
    #[arg(long, value_name = "TEXT")]
    pub legal_basis: String,
    /// What the feature means and why the model needs it
    #[arg(long, value_name = "TEXT")]
    pub description: String,
}

#[derive(Debug, Args)]
pub struct FeatureForbidArgs {
    /// A word or phrase; matched as whole words, case-insensitively
    pub term: String,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RoleArg {
    Reviewer,
    Senior,
    Supervisor,
    Auditor,
    Admin,
}

impl RoleArg {
    pub fn role(self) -> crate::domain::role::Role {
        use crate::domain::role::Role;
        match self {
            RoleArg::Reviewer => Role::Reviewer,
            RoleArg::Senior => Role::Senior,
            RoleArg::Supervisor => Role::Supervisor,
            RoleArg::Auditor => Role::Auditor,
            RoleArg::Admin => Role::Admin,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Add a user
    Add(UserRoleArgs),
    /// List the users with role, team and whether they are active
    List,
    /// Disable a user: refused from now on, their history kept
    Disable(UserNameArgs),
    /// Let a disabled user in again
    Enable(UserNameArgs),
    /// Change a user's role (and team)
    SetRole(UserRoleArgs),
}

#[derive(Debug, Args)]
pub struct UserRoleArgs {
    /// The user's login name (as in the SSH forced command)
    pub name: String,
    /// What the user may do
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// The team whose cases the user works on (reviewers, seniors, supervisors)
    #[arg(long)]
    pub team: Option<String>,
}

#[derive(Debug, Args)]
pub struct UserNameArgs {
    /// The user's login name
    pub name: String,
}

#[derive(Debug, Args)]
pub struct ClaimsArgs {
    /// Release the claim on this case (logged)
    #[arg(long, value_name = "ID")]
    pub release: Option<i64>,
}

#[derive(Debug, Args)]
pub struct ReassignArgs {
    /// The case to move
    #[arg(long = "case", value_name = "ID")]
    pub case_id: i64,
    /// The team that takes it over
    #[arg(long)]
    pub team: String,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Who opened which case and who revealed whose personal data
    Access(AccessArgs),
    /// How selection and its errors fall across groups (model and people side by side)
    Fairness(FairnessArgs),
    /// The model card: purpose, data, features, quality and calibration per group, fairness,
    /// proxies, limits and human oversight
    Model(ModelCardArgs),
    /// The rubber-stamp monitor: per reviewer, agreement with the model, overrides and time
    /// on a case, flagged when they look like rubber-stamping
    Oversight(OversightArgs),
    /// Every standing decision since a moment or under a model version, for re-review
    Since(SinceArgs),
}

#[derive(Debug, Args)]
pub struct OversightArgs {
    /// Only this team (supervisors: their own) [default: all the teams you may see]
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,
    /// Only decisions from this date on (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub since: Option<chrono::NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("from").required(true).args(["time", "model"])))]
pub struct SinceArgs {
    /// Decisions from this moment on: RFC 3339 (2026-11-28T09:00:00+01:00) or a local date
    /// (2026-11-28, from midnight)
    #[arg(long, value_name = "T")]
    pub time: Option<String>,
    /// Decisions taken under this model version
    #[arg(long, value_name = "V")]
    pub model: Option<i64>,
    /// Only this team (supervisors: their own) [default: all the teams you may see]
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CardFormat {
    Text,
    Json,
    /// One self-contained file with inline charts, for a browser (works offline)
    Html,
}

#[derive(Debug, Args)]
pub struct ModelCardArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = CardFormat::Text)]
    pub format: CardFormat,
    /// The model version [default: the one ranking the queue]
    #[arg(long, value_name = "V")]
    pub version: Option<i64>,
    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
}

/// Whose selection the fairness audit examines.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FairnessSource {
    /// The model's selection: the cases inside the cutoff of the latest ranking
    Model,
    /// The reviewers' standing decisions: accepted = selected
    Decisions,
    /// Both, side by side on the decided cases
    Both,
}

/// Which cases of the latest ranking the fairness audit takes.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FairnessArm {
    /// Every case of the latest ranking
    All,
    /// Only the hidden random arm: cases drawn at random, which no feedback loop chose
    Random,
}

#[derive(Debug, Args)]
pub struct FairnessArgs {
    /// Group attribute(s); a comma makes an intersection (gender,age_band)
    /// [default: migration_background; with --input: group]
    #[arg(long, value_name = "ATTR[,ATTR]")]
    pub by: Option<String>,
    /// Which cases the model selects: top:K, top%:P or score:T [default: top%:30]
    #[arg(long, value_name = "RULE")]
    pub cutoff: Option<String>,
    /// The model's selection, the reviewers' decisions, or both side by side
    #[arg(long, value_enum, default_value_t = FairnessSource::Both)]
    pub source: FairnessSource,
    /// Every case of the latest ranking, or only the hidden random arm
    #[arg(long, value_enum, default_value_t = FairnessArm::All, conflicts_with = "input")]
    pub arm: FairnessArm,
    /// The group others are compared with [default: the largest group]
    #[arg(long, value_name = "GROUP")]
    pub reference: Option<String>,
    /// Groups with fewer cases are hidden
    #[arg(long, value_name = "N", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub min_group: u32,
    /// Seed of the bootstrap confidence intervals
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Audit a caseload exported from elsewhere (CSV: id, group column(s), outcome 0/1,
    /// score) instead of the database
    #[arg(long, value_name = "FILE.csv")]
    pub input: Option<PathBuf>,
    /// The CSV column holding the case id [default: id]
    #[arg(long, value_name = "C", requires = "input")]
    pub id_column: Option<String>,
    /// The CSV column holding the outcome, 0 or 1 [default: outcome]
    #[arg(long, value_name = "C", requires = "input")]
    pub outcome_column: Option<String>,
    /// The CSV column holding the score, higher = more need [default: score]
    #[arg(long, value_name = "C", requires = "input")]
    pub score_column: Option<String>,
    /// Audit an imported caseload (its number, or `latest`): its external score as the
    /// model's, its outcome as the label
    #[arg(long, value_name = "ID|latest", conflicts_with_all = ["input", "arm", "source"])]
    pub import: Option<String>,
    /// With --import: only the records whose outcome is known
    #[arg(long, requires = "import")]
    pub labelled: bool,
}

#[derive(Debug, Args)]
pub struct AccessArgs {
    /// Only from this date on (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub since: Option<chrono::NaiveDate>,
    /// Only this user
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// Only reveals of personal data, not every opening
    #[arg(long)]
    pub reveals_only: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct HaltArgs {
    /// Why the model is stopped (kept in the log and shown in every console)
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
}

#[derive(Debug, Subcommand)]
pub enum SignalsCommand {
    /// Read a month's signal file: signals attach to their households, flags and deadlines
    /// follow, cases open (admins; all or nothing; logged)
    Import(SignalsImportArgs),
}

#[derive(Debug, Args)]
pub struct SignalsImportArgs {
    /// The signal file (CSV: soort, schuldeiser, huishouden, bedrag, maanden, datum,
    /// einde_levering, dreiging)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Check the file and say what would change, without writing anything
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct CitizenArgs {
    /// The household's pseudonym, e.g. H-04821
    #[arg(value_name = "HOUSEHOLD")]
    pub household: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = CitizenFormat::Text)]
    pub format: CitizenFormat,
    /// The organisation's facts (sender, contact address) [default: as for `register export`]
    #[arg(long, value_name = "FILE")]
    pub organisation: Option<std::path::PathBuf>,
    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CitizenFormat {
    Text,
    /// One self-contained file for a browser or to print
    Html,
}

#[derive(Debug, Args)]
pub struct JudgeFirstArgs {
    /// on or off
    #[arg(value_enum)]
    pub state: Switch,
    /// The team [default: your own]
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Switch {
    On,
    Off,
}

#[derive(Debug, Subcommand)]
pub enum RegisterCommand {
    /// Print (or write) the entry in the Algoritmeregister publication standard 1.0.0 (JSON)
    Export(RegisterExportArgs),
}

#[derive(Debug, Args)]
pub struct RegisterExportArgs {
    /// The organisation's facts and texts (TOML) [default: ~/.config/oordeel/organisation.toml,
    /// or the demo municipality's for the demo caseload]
    #[arg(long, value_name = "FILE")]
    pub organisation: Option<PathBuf>,
    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// List every model version with its held-out quality and approval
    List(ModelListArgs),
    /// Show one model version in full: features, coefficients, metrics, approval
    Show(ModelShowArgs),
    /// Approve a model version for scoring (an admin other than its trainer; logged)
    Approve(ModelApproveArgs),
}

#[derive(Debug, Args)]
pub struct ModelListArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ModelShowArgs {
    /// The model version (as `model list` shows it)
    pub version: i64,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ModelApproveArgs {
    /// The model version to approve
    pub version: i64,
}

#[derive(Debug, Subcommand)]
pub enum SshCommand {
    /// Print (or append) the authorized_keys line that lets NAME in with their key
    Authorize(SshAuthorizeArgs),
}

#[derive(Debug, Args)]
pub struct SshAuthorizeArgs {
    /// The user the key belongs to
    pub name: String,
    /// Their public key file (e.g. id_ed25519.pub), or - to read it from standard input
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// Append the line to the service account's ~/.ssh/authorized_keys instead of printing it
    #[arg(long)]
    pub write: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of households to generate (100 to 1000000): fewer leave too few historical
    /// cases to train and test a model on
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u32).range(100..=1_000_000))]
    pub households: u32,

    /// Seed for the generator: the same seed gives the same municipality
    #[arg(long, default_value_t = crate::ingest::demo::DemoConfig::DEFAULT_SEED)]
    pub seed: u64,

    /// Replace an existing database at the path (its event log is lost)
    #[arg(long)]
    pub force: bool,

    /// The reference date ("today") of the caseload, YYYY-MM-DD [default: today]
    #[arg(long, value_name = "DATE", hide = true)]
    pub today: Option<chrono::NaiveDate>,

    /// After scoring, let simulated reviewers decide this many top-ranked open cases of the
    /// teams Noord and Zuid (logged like any decision, marked as simulated)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub reviewed: u32,

    /// Also write the reference month's signals of the open cases as a signal file, in the
    /// format `oordeel signals import` reads
    #[arg(long, value_name = "FILE")]
    pub signal_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// L2 penalty strength (linfa's alpha, scikit-learn's 1/C)
    #[arg(long, default_value_t = 1.0)]
    pub l2: f64,

    /// Seed for the train/test split
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

#[derive(Debug, Args, Default)]
pub struct ReviewArgs {
    /// Draw borders and bars with ASCII characters only (old terminals)
    #[arg(long, env = "OORDEEL_ASCII")]
    pub ascii: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The case number (as shown by `export` or the console's detail pane)
    #[arg(long = "case", value_name = "ID")]
    pub case_id: i64,

    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Only this team's cases (supervisors: their own team)
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,
    /// Only events from this date on (YYYY-MM-DD, local time)
    #[arg(long, value_name = "DATE")]
    pub since: Option<chrono::NaiveDate>,
    /// Only events before this date (YYYY-MM-DD, local time; the day itself is left out)
    #[arg(long, value_name = "DATE")]
    pub until: Option<chrono::NaiveDate>,
    /// Only these kinds, comma-separated
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KIND")]
    pub decision: Vec<ExportKind>,

    /// The whole event log instead, as JSON Lines with every hash, for checking the chain
    /// without oordeel (auditors and admins)
    #[arg(long, conflicts_with = "format")]
    pub log: bool,

    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// What an exported line records.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportKind {
    Accept,
    Reject,
    Defer,
    Retract,
    Note,
    Signed,
    SentBack,
}

impl ExportKind {
    /// The `decision` value of an exported line.
    pub fn code(self) -> &'static str {
        match self {
            ExportKind::Accept => "accept",
            ExportKind::Reject => "reject",
            ExportKind::Defer => "defer",
            ExportKind::Retract => "retract",
            ExportKind::Note => "note",
            ExportKind::Signed => "signed",
            ExportKind::SentBack => "sent_back",
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl Cli {
    /// Parses the command line with help texts in the user's language.
    ///
    /// The language has to be known before clap renders `--help`, so `--lang` is looked for
    /// in the raw arguments first; the process language is set from it (or from `LANG`).
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
