//! Arguments of the commands for people and oversight: users, claims, reports, the fairness
//! audit, halt and judge-first, the model registry, the register, SSH keys, feature
//! governance, and answering a household.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::Format;

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show every setting and its value
    List,
    /// Change a setting (admins; the value is checked; logged)
    Set(SettingSetArgs),
    /// Put a setting back to what oordeel ships (admins; logged)
    Reset(SettingResetArgs),
}

#[derive(Debug, Args)]
pub struct SettingResetArgs {
    /// The key, as `oordeel settings list` shows it
    pub key: String,
}

#[derive(Debug, Args)]
pub struct SettingSetArgs {
    /// The key, as `oordeel settings list` shows it
    pub key: String,
    /// The new value
    pub value: String,
}

#[derive(Debug, Subcommand)]
pub enum FeaturesCommand {
    /// Show each feature's source, legal basis, description and approver, and the rules
    List(FeaturesListArgs),
    /// Document a feature (admins; you become its approver; logged)
    Set(FeatureSetArgs),
    /// Forbid a term in feature names and descriptions from now on (admins; logged)
    Forbid(FeatureForbidArgs),
    /// Every feature a household profile may choose, with what it means
    Catalogue,
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
    #[arg(long, value_name = "DATE", value_parser = super::day)]
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
    #[arg(long, value_name = "DATE", value_parser = super::day)]
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

#[derive(Debug, Args)]
pub struct CitizenArgs {
    /// The household's pseudonym, e.g. H-04821
    #[arg(value_name = "HOUSEHOLD", value_parser = super::pseudonym)]
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
    /// Compare two model versions on the labelled cases neither was fitted on, and on the
    /// random arm's: AUC, Brier, log-loss, precision at capacity, fairness disparities
    Compare(ModelCompareArgs),
}

#[derive(Debug, Args)]
pub struct ModelCompareArgs {
    /// The version in use (the champion)
    pub champion: i64,
    /// The new version (the challenger)
    pub challenger: i64,
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

#[derive(Debug, Args, Default)]
pub struct VerifyArgs {
    /// A file of signed checkpoints (as oordeel appends them, or as the auditor kept them):
    /// each is checked against the log
    #[arg(long, value_name = "FILE")]
    pub checkpoints: Option<PathBuf>,
    /// The public key the checkpoints are signed with (`name+id+base64`, or a file holding
    /// it; repeat for a key that was rotated) [default: this account's own]
    #[arg(long = "key", value_name = "PUBKEY", requires = "checkpoints")]
    pub keys: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum CheckpointCommand {
    /// Make this account's signing key (admins): owner-only, beside the settings file; its
    /// public key is printed, written beside it and recorded in the log
    Key(CheckpointKeyArgs),
    /// Sign a checkpoint of the log now (admins; oordeel also signs after every command
    /// that writes and during long sessions)
    Sign,
    /// Where the key and this database's checkpoints are, and what the newest says
    Status,
    /// After restoring the database from a replica or backup: record that the events of the
    /// checkpoints it lacks are lost, then sign again (admins; logged)
    Restored(CheckpointRestoredArgs),
}

#[derive(Debug, Args)]
pub struct CheckpointKeyArgs {
    /// The key's name, which every checkpoint's origin starts with [default: oordeel.<host>]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckpointRestoredArgs {
    /// Why and from what the database was restored (kept in the log)
    #[arg(long, value_name = "TEXT", value_parser = super::said)]
    pub reason: String,
}
