//! `oordeel outcomes import --profile PROFILE.toml FILE.csv [--dry-run]`: the debt-help
//! system's monthly export of outcomes, read through an outcomes profile and checked whole
//! (every fault by file, line and column, a case that cannot have an outcome among them),
//! then recorded step by step (`Store::import_outcomes`), or not at all.

use crate::store::Refusal;
use std::process::ExitCode;

use color_eyre::eyre::{Result, eyre};
use sha2::{Digest, Sha256};

use super::import::{FileRead, read_file, read_profile};
use super::{Context, say};
use crate::cli::{ImportArgs, OutcomesCommand};
use crate::domain::import::outcomes::{self, OutcomeProfile};
use crate::domain::import::{ERROR_LIMIT, FileError, Problem};
use crate::domain::outcome::StepRefusal;
use crate::i18n::tf;
use crate::ingest::csv_file::CsvFile;
use crate::store::{OutcomeRefusal, StoreError};

pub fn run(ctx: &Context, cmd: &OutcomesCommand) -> Result<ExitCode> {
    match cmd {
        OutcomesCommand::Import(args) => import(ctx, args),
    }
}

fn import(ctx: &Context, args: &ImportArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    store.may_import(&actor)?;
    let (profile_shown, profile_text) = read_profile(&args.profile)?;
    let profile = OutcomeProfile::parse(&profile_shown, &profile_text)?;
    let bytes = read_file(&args.file)?;
    let shown = args.file.display().to_string();
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let file = CsvFile::decode(&shown, &bytes, profile.encoding, profile.delimiter)
        .map_err(|e| eyre!(e.to_string()))?;
    let mut records = file.records();
    let header = records.header().map_err(|e| eyre!(e.to_string()))?;
    let today = chrono::Local::now().date_naive();
    let mut read = outcomes::read(
        &profile,
        &shown,
        today,
        header.line,
        &header.fields,
        records.map(|r| r.map(|r| (r.line, r.fields))),
    );
    let summary = if read.error_count == 0 {
        match store.import_outcomes(
            &actor,
            (&shown, &sha256, &profile.name),
            &read.outcomes,
            args.dry_run,
        )? {
            Ok(summary) => Some(summary),
            Err(faults) => {
                for (line, why) in faults {
                    read.error_count += 1;
                    // A day out of place is the date's fault; anything else the case's.
                    let column = match &why {
                        StoreError::Refused(Refusal::OutcomeRefused {
                            refusal:
                                OutcomeRefusal::Day { .. }
                                | OutcomeRefusal::Order(StepRefusal::BeforeHelp(_)),
                            ..
                        }) => read.date_column.clone(),
                        _ => read.target_column.clone(),
                    };
                    if read.errors.len() < ERROR_LIMIT {
                        read.errors.push(FileError {
                            file: shown.clone(),
                            line,
                            column: Some(column),
                            problem: Problem::Refused {
                                why: why.to_string(),
                            },
                        });
                    }
                }
                None
            }
        }
    } else {
        None
    };
    FileRead {
        shown: &shown,
        errors: &read.errors,
        error_count: read.error_count,
        rows: read.rows,
        records: read.outcomes.len(),
    }
    .accept("cli.import.refused")?;
    let summary = summary.unwrap_or_default();
    say(&tf(
        if args.dry_run {
            "cli.outcomes.would"
        } else {
            "cli.outcomes.done"
        },
        &[
            ("path", &shown),
            ("rows", &read.rows),
            ("recorded", &summary.recorded),
            ("random", &summary.random_arm),
            ("known", &summary.known),
        ],
    ));
    Ok(ExitCode::SUCCESS)
}
