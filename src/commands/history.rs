//! `oordeel history import --profile PROFILE.toml FILE.csv [--dry-run]`: past cases with
//! their outcome, as the debt-help system exports them, read through a history profile and
//! checked whole (every fault by file, line and column; a key no household has is one),
//! then written as the labelled history `train` learns from (`Store::import_history`).

use std::process::ExitCode;

use color_eyre::eyre::{Result, eyre};
use sha2::{Digest, Sha256};

use super::import::{FileRead, or_the_other_profile, read_file, read_profile};
use super::signals::{caseload_features, compute};
use super::{Context, say};
use crate::cli::{HistoryCommand, ImportArgs};
use crate::domain::import::history::{self, HistoryProfile};
use crate::domain::import::households::HouseholdProfile;
use crate::domain::import::{Decimal, DecimalMark, ERROR_LIMIT, FileError, Problem};
use crate::i18n::tf;
use crate::ingest::csv_file::CsvFile;

pub fn run(ctx: &Context, cmd: &HistoryCommand) -> Result<ExitCode> {
    match cmd {
        HistoryCommand::Import(args) => import(ctx, args),
    }
}

fn import(ctx: &Context, args: &ImportArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    store.may_import(&actor)?;
    let declared = caseload_features(&store)?;
    let (profile_shown, profile_text) = read_profile(&args.profile)?;
    let profile = HistoryProfile::parse(&profile_shown, &profile_text).map_err(|e| {
        let other = HouseholdProfile::parse(&profile_shown, &profile_text).is_ok();
        or_the_other_profile(e, other, "cli.history.household_profile", &profile_shown)
    })?;
    let bytes = read_file(&args.file)?;
    let shown = args.file.display().to_string();
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let file = CsvFile::decode(&shown, &bytes, profile.encoding, profile.delimiter)
        .map_err(|e| eyre!(e.to_string()))?;
    let mark = match profile.decimal {
        Some(Decimal::Comma) => DecimalMark::Comma,
        Some(Decimal::Point) => DecimalMark::Point,
        None => file.default_decimal(),
    };
    let mut records = file.records();
    let header = records.header().map_err(|e| eyre!(e.to_string()))?;
    let today = chrono::Local::now().date_naive();
    let mut read = history::read(
        &profile,
        &shown,
        mark,
        today,
        header.line,
        &header.fields,
        records.map(|r| r.map(|r| (r.line, r.fields))),
    );
    // A past case of a household the extracts do not hold cannot be learned from.
    let key_column = profile
        .columns
        .iter()
        .find(|(_, c)| **c == history::HistoryColumn::Key)
        .map(|(n, _)| n.clone());
    let unknown = store.unknown_keys(read.cases.iter().map(|c| c.key.as_str()))?;
    for case in read.cases.iter().filter(|c| unknown.contains(&c.key)) {
        read.error_count += 1;
        if read.errors.len() < ERROR_LIMIT {
            read.errors.push(FileError {
                file: shown.clone(),
                line: case.line,
                column: key_column.clone(),
                problem: Problem::UnknownKey {
                    found: case.key.clone(),
                },
            });
        }
    }
    read.errors.sort_by_key(|e| e.line);
    FileRead {
        shown: &shown,
        errors: &read.errors,
        error_count: read.error_count,
        rows: read.rows,
        records: read.cases.len(),
    }
    .accept("cli.import.refused")?;
    let features = compute(&declared);
    let summary = store.import_history(
        &actor,
        (&shown, &sha256, &profile.name),
        &read.cases,
        &features,
        args.dry_run,
    )?;
    say(&tf(
        if args.dry_run {
            "cli.history.would"
        } else {
            "cli.history.done"
        },
        &[
            ("path", &shown),
            ("rows", &read.rows),
            ("cases", &summary.cases),
            ("positive", &summary.positive),
            ("negative", &summary.negative),
            ("known", &summary.known),
        ],
    ));
    if summary.open_cases_refreshed > 0 {
        say(&tf(
            "cli.households.refreshed",
            &[("cases", &summary.open_cases_refreshed)],
        ));
    }
    Ok(ExitCode::SUCCESS)
}
