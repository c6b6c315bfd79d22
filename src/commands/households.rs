//! `oordeel households import --profile PROFILE.toml FILE.csv [--dry-run]`: a municipality's
//! client or BRP extract, read through a household profile and checked whole (every fault by
//! file, line and column) before anything is written; then written in one transaction with
//! its `households_imported` event (`Store::import_households`). A dry run says what would
//! change and writes nothing.

use crate::store::Refusal;
use std::process::ExitCode;

use color_eyre::eyre::{Result, eyre};
use sha2::{Digest, Sha256};

use super::import::{FileRead, or_the_other_profile, progress_bar, read_file, read_profile};
use super::{Context, say};
use crate::cli::{HouseholdsCommand, ImportArgs};
use crate::domain::import::history::HistoryProfile;
use crate::domain::import::households::{HouseholdProfile, HouseholdReader, ReadHouseholds};
use crate::i18n::{self, tf};
use crate::ingest::csv_file::CsvFile;
use crate::store::ExtractFile;

pub fn run(ctx: &Context, cmd: &HouseholdsCommand) -> Result<ExitCode> {
    match cmd {
        HouseholdsCommand::Import(args) => import(ctx, &args.import, &args.new_districts),
    }
}

fn import(ctx: &Context, args: &ImportArgs, new_districts: &[String]) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    // Who may not import learns nothing about the file.
    store.may_import(&actor)?;
    let (profile_shown, profile_text) = read_profile(&args.profile)?;
    let profile = HouseholdProfile::parse(&profile_shown, &profile_text).map_err(|e| {
        let other = HistoryProfile::parse(&profile_shown, &profile_text).is_ok();
        or_the_other_profile(e, other, "cli.households.history_profile", &profile_shown)
    })?;
    let bytes = read_file(&args.file)?;
    let shown = args.file.display().to_string();
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let profile_sha256 = hex::encode(Sha256::digest(profile_text.as_bytes()));
    if let Some((seq, at, by)) = store.earlier_household_import(&sha256, &profile_sha256)? {
        return Err(
            crate::store::StoreError::Refused(Refusal::DuplicateHouseholds { seq, at, by }).into(),
        );
    }
    let today = chrono::Local::now().date_naive();
    let read = read_extract(&shown, &bytes, &profile, today)?;
    FileRead {
        shown: &shown,
        errors: &read.errors,
        error_count: read.error_count,
        rows: read.rows,
        records: read.records.len(),
    }
    .accept("cli.import.refused")?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    let file = ExtractFile {
        name: &file_name,
        sha256: &sha256,
        profile: &profile.name,
        profile_sha256: &profile_sha256,
        rows: read.rows,
    };
    let summary = store.import_households(
        &actor,
        file,
        &profile.feature_defs(),
        &read.records,
        new_districts,
        args.dry_run,
    )?;
    let changed: Vec<String> = summary
        .updated
        .iter()
        .take(10)
        .map(|(h, fields)| {
            // In the reader's words; the log keeps the codes.
            let named: Vec<&str> = fields
                .iter()
                .map(|f| i18n::t(&format!("cli.households.field.{f}")))
                .collect();
            format!("  {h}: {}", named.join(", "))
        })
        .collect();
    say(&tf(
        if args.dry_run {
            "cli.households.would"
        } else {
            "cli.households.done"
        },
        &[
            ("path", &shown),
            ("rows", &read.rows),
            ("added", &summary.added),
            ("updated", &summary.updated.len()),
            ("unchanged", &summary.unchanged),
            ("absent", &summary.absent),
        ],
    ));
    if !changed.is_empty() {
        say(&changed.join("\n"));
        if summary.updated.len() > changed.len() {
            say(&tf(
                "cli.households.more_changed",
                &[("n", &(summary.updated.len() - changed.len()))],
            ));
        }
    }
    if summary.features_declared {
        say(&tf(
            "cli.households.features",
            &[("features", &profile.features.join(", "))],
        ));
    }
    if summary.signals_placed > 0 {
        say(&tf(
            "cli.households.placed",
            &[
                ("signals", &summary.signals_placed),
                ("opened", &summary.placed.cases_opened),
                ("updated", &summary.placed.cases_updated),
            ],
        ));
    }
    if summary.cases_refreshed > 0 {
        say(&tf(
            "cli.households.refreshed",
            &[("cases", &summary.cases_refreshed)],
        ));
    }
    if summary.cases_moved > 0 {
        say(&tf(
            "cli.households.moved",
            &[("cases", &summary.cases_moved)],
        ));
    }
    if let Some(seq) = summary.seq {
        say(&tf("cli.households.logged", &[("seq", &seq)]));
    }
    Ok(ExitCode::SUCCESS)
}

/// The extract's households and every fault in it.
fn read_extract(
    shown: &str,
    bytes: &[u8],
    profile: &HouseholdProfile,
    today: chrono::NaiveDate,
) -> Result<ReadHouseholds> {
    let file = CsvFile::decode(shown, bytes, profile.encoding, profile.delimiter)
        .map_err(|e| eyre!(e.to_string()))?;
    let total = file.len();
    let bar = progress_bar(total, i18n::t("cli.import.reading"));
    let mut records = file.records();
    let header = records.header().map_err(|e| eyre!(e.to_string()))?;
    let mut rows = HouseholdReader::new(profile, shown, today, header.line, &header.fields);
    if rows.header_ok() {
        while let Some(record) = records.next() {
            let record = record.map_err(|e| eyre!(e.to_string()))?;
            rows.row(record.line, &record.fields);
            bar.set_position(records.position());
        }
    }
    bar.finish_and_clear();
    Ok(rows.finish())
}
