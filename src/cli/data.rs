//! Arguments of the commands that bring data in, work on it and take it out: the demo,
//! training and scoring, the console, import, signal files, exports and retention.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

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

#[derive(Debug, Subcommand)]
pub enum HouseholdsCommand {
    /// Import a client or BRP extract through a household profile: new households added,
    /// changed ones updated, none made twice (admins; all or nothing; logged)
    Import(HouseholdImportArgs),
}

#[derive(Debug, Args)]
pub struct HouseholdImportArgs {
    #[command(flatten)]
    pub import: ImportArgs,
    /// A district or team this extract brings for the first time (repeat for several);
    /// without it, a name the caseload does not know is refused as a typo
    #[arg(long = "new-district", value_name = "NAME")]
    pub new_districts: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// Import past cases with their outcome from the debt-help system through a history
    /// profile: the labelled history `train` learns from (admins; all or nothing; logged)
    Import(ImportArgs),
}

#[derive(Debug, Subcommand)]
pub enum OutcomesCommand {
    /// Import the debt-help system's export of what became of the households (reached,
    /// help accepted, debts confirmed) through an outcomes profile: the labels of the own
    /// cases, the random arm's whatever the reviewer decided (admins; all or nothing; logged)
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The municipality whose database this is (shown in letters and the register entry)
    #[arg(long, value_name = "NAME")]
    pub municipality: String,
}

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Households whose cases all closed before this date (YYYY-MM-DD; at least 183 days ago)
    #[arg(long, value_name = "DATE", value_parser = super::day)]
    pub before: chrono::NaiveDate,
    /// Only say how many households, personal-data rows and log entries would go
    #[arg(long)]
    pub dry_run: bool,
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
    #[arg(long, value_name = "DATE", value_parser = super::day, hide = true)]
    pub today: Option<chrono::NaiveDate>,

    /// After scoring, let simulated reviewers decide this many top-ranked open cases of the
    /// teams Noord and Zuid (logged like any decision, marked as simulated)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub reviewed: u32,

    /// Simulate this many months (1 to 12), each with its new cases, the simulated reviews
    /// (`--reviewed` per month) and the outcomes they bring; the last month ends today
    #[arg(long, value_name = "M", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=12))]
    pub months: u32,

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

    /// How to correct for selective labels [default: auto: the random arm alone once it has
    /// 200 labelled cases (30 of each outcome), arm cases weighted by 1/share before that]
    #[arg(long, value_enum)]
    pub correction: Option<CorrectionArg>,
}

/// `train --correction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CorrectionArg {
    /// Every label as it is
    None,
    /// Every label; random-arm cases weighted by the inverse of their draw probability
    Ipw,
    /// The random arm's labels only
    ArmOnly,
}

impl From<CorrectionArg> for crate::model::labels::Correction {
    fn from(c: CorrectionArg) -> Self {
        match c {
            CorrectionArg::None => Self::None,
            CorrectionArg::Ipw => Self::InverseProbability,
            CorrectionArg::ArmOnly => Self::RandomArmOnly,
        }
    }
}

#[derive(Debug, Args, Default)]
pub struct ReviewArgs {
    /// Draw borders and bars with ASCII characters only (old terminals)
    #[arg(long, env = "OORDEEL_ASCII")]
    pub ascii: bool,
    /// Leave the mouse to the terminal (selecting text to copy) instead of clicking rows
    #[arg(long, env = "OORDEEL_NO_MOUSE")]
    pub no_mouse: bool,
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
    #[arg(long, value_name = "DATE", value_parser = super::day)]
    pub since: Option<chrono::NaiveDate>,
    /// Only events before this date (YYYY-MM-DD, local time; the day itself is left out)
    #[arg(long, value_name = "DATE", value_parser = super::day)]
    pub until: Option<chrono::NaiveDate>,
    /// Only these kinds, comma-separated
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KIND")]
    pub decision: Vec<ExportKind>,

    /// The whole event log instead, as JSON Lines with every hash, for checking the chain
    /// without oordeel (auditors and admins)
    #[arg(long, conflicts_with_all = ["format", "team", "since", "until", "decision"])]
    pub log: bool,

    /// With `--log`: the file of signed checkpoints to include [default: this database's
    /// own]
    #[arg(long, value_name = "FILE", requires = "log")]
    pub checkpoints: Option<PathBuf>,

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
    #[value(alias = "sent_back")]
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

#[derive(Debug, Subcommand)]
pub enum SignalsCommand {
    /// Read a month's signal file: signals attach to their households, flags and deadlines
    /// follow, cases open; the ones no household matched wait (admins; logged)
    Import(SignalsImportArgs),
    /// The signals no household matched, or more than one did, waiting for an admin (the
    /// showing is logged: they name people)
    Unmatched,
    /// Attach a waiting signal to a household (admins; logged)
    Match(SignalMatchArgs),
    /// Make a household for a waiting signal, with its facts from the register (admins;
    /// logged)
    NewHousehold(SignalNewHouseholdArgs),
}

#[derive(Debug, Args)]
pub struct SignalMatchArgs {
    /// The waiting signal's number, as `oordeel signals unmatched` lists it
    pub signal: i64,
    /// The household's pseudonym (H-...)
    #[arg(value_parser = super::pseudonym)]
    pub household: String,
    /// Attach it even though the household's BSN differs, or nothing the creditor gave
    /// agrees (you checked the register; logged with what differs)
    #[arg(long)]
    pub confirm: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum HouseholdTypeArg {
    Single,
    SingleParent,
    CoupleWithChildren,
    CoupleWithoutChildren,
}

impl HouseholdTypeArg {
    pub fn code(self) -> crate::domain::household::HouseholdType {
        use crate::domain::household::HouseholdType as T;
        match self {
            HouseholdTypeArg::Single => T::Single,
            HouseholdTypeArg::SingleParent => T::SingleParent,
            HouseholdTypeArg::CoupleWithChildren => T::CoupleWithChildren,
            HouseholdTypeArg::CoupleWithoutChildren => T::CoupleWithoutChildren,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum IncomeArg {
    Work,
    Benefit,
    Pension,
    SelfEmployed,
    None,
}

impl IncomeArg {
    pub fn code(self) -> crate::domain::household::IncomeSource {
        use crate::domain::household::IncomeSource as I;
        match self {
            IncomeArg::Work => I::Work,
            IncomeArg::Benefit => I::Benefit,
            IncomeArg::Pension => I::Pension,
            IncomeArg::SelfEmployed => I::SelfEmployed,
            IncomeArg::None => I::NoIncome,
        }
    }
}

#[derive(Debug, Args)]
pub struct SignalNewHouseholdArgs {
    /// The waiting signal's number, as `oordeel signals unmatched` lists it
    pub signal: i64,
    /// The street of the address (the signal gives postcode and house number)
    #[arg(long)]
    pub street: String,
    /// The place of the address
    #[arg(long)]
    pub city: Option<String>,
    /// The BSN, when the signal did not carry one (from the register)
    #[arg(long)]
    pub bsn: Option<String>,
    /// The household's composition
    #[arg(long = "type", value_enum)]
    pub household_type: HouseholdTypeArg,
    /// Number of children
    #[arg(long, default_value_t = 0)]
    pub children: u8,
    /// Main source of income
    #[arg(long, value_enum)]
    pub income: IncomeArg,
    /// The district (also the team, unless --team names another)
    #[arg(long)]
    pub district: String,
    /// The team that handles its cases, when not the district's
    #[arg(long)]
    pub team: Option<String>,
    /// Had debt help before
    #[arg(long)]
    pub earlier_debt_help: bool,
    /// Known to the district team
    #[arg(long)]
    pub known_to_district_team: bool,
    /// Has Wmo or youth support
    #[arg(long)]
    pub wmo_youth_support: bool,
}

#[derive(Debug, Args)]
pub struct SignalsImportArgs {
    /// The signal file (CSV: soort, schuldeiser, bedrag, maanden, datum, einde_levering,
    /// dreiging, and bsn, or naam, postcode, huisnummer and geboortedatum, or huishouden)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Check the file and say what would change, without writing anything
    #[arg(long)]
    pub dry_run: bool,
}
