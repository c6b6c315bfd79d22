//! The command-line contract (DESIGN.md §9). Every command has `--help`; `--db` and `--lang`
//! work everywhere.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of households to generate (1 to 1000000)
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
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

    /// Write to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}
