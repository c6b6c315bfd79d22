//! `oordeel signals import FILE [--dry-run]`: a month's vroegsignalering file (see
//! `domain::signal_file` for the columns), checked whole first (every fault named by file,
//! line and column), then attached in one transaction by `Store::import_signals`.

use std::process::ExitCode;

use color_eyre::eyre::{Result, eyre};
use sha2::{Digest, Sha256};

use super::{Context, say, warn};
use crate::cli::{SignalsCommand, SignalsImportArgs};
use crate::domain::feature_catalogue;
use crate::domain::household::{Household, Signal, SignalFlags};
use crate::domain::import::{ERROR_LIMIT, FileError, Problem};
use crate::domain::signal_file::{self, SignalRow};
use crate::domain::view::FeatureValue;
use crate::i18n::tf;
use crate::ingest::csv_file::CsvFile;

pub fn run(ctx: &Context, cmd: &SignalsCommand) -> Result<ExitCode> {
    match cmd {
        SignalsCommand::Import(args) => import(ctx, args),
    }
}

fn import(ctx: &Context, args: &SignalsImportArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    store.may_import_signals(&actor)?;
    // The features of a case opened by a signal are the caseload's choice from the
    // catalogue, computed from the household and its signals: any caseload made of
    // households and signals (the demo, or a municipality's households import) works.
    let declared = store.feature_list()?;
    if declared
        .iter()
        .any(|(name, _)| feature_catalogue::categorical(name).is_none())
    {
        return Err(eyre!(crate::i18n::t("cli.signals.other_caseload")));
    }
    let shown = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).map_err(|e| {
        eyre!(tf(
            "cli.fairness.input.unreadable",
            &[("path", &shown), ("cause", &e)]
        ))
    })?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    if let Some((seq, at, by)) = store.earlier_signal_import(&sha256)? {
        return Err(crate::store::StoreError::DuplicateSignals { seq, at, by }.into());
    }
    let today = chrono::Local::now().date_naive();
    let (rows, mut faults, lines) = read(&shown, &bytes, today)?;
    let pseudonyms: Vec<&str> = rows.iter().map(|r| r.household.as_str()).collect();
    let unknown = store.unknown_households(&pseudonyms)?;
    for r in rows.iter().filter(|r| unknown.contains(&r.household)) {
        faults.push(FileError {
            file: shown.clone(),
            line: r.line,
            column: Some("huishouden".into()),
            problem: Problem::UnknownHousehold {
                found: r.household.clone(),
            },
        });
    }
    if !faults.is_empty() {
        faults.sort_by_key(|f| f.line);
        for f in faults.iter().take(ERROR_LIMIT) {
            warn(&f.to_string());
        }
        if faults.len() > ERROR_LIMIT {
            warn(&tf(
                "cli.import.more_faults",
                &[("n", &(faults.len() - ERROR_LIMIT))],
            ));
        }
        return Err(eyre!(tf(
            "cli.signals.refused",
            &[
                ("path", &shown),
                ("faults", &faults.len()),
                ("rows", &lines)
            ]
        )));
    }
    if rows.is_empty() {
        return Err(eyre!(tf("cli.import.no_rows", &[("path", &shown)])));
    }
    let features = |h: &Household, s: &[Signal], month, flags: SignalFlags| -> Vec<FeatureValue> {
        let inputs = feature_catalogue::Inputs {
            household: h,
            signals: s,
            month_start: month,
            flags,
        };
        feature_catalogue::values(&declared, &inputs).expect("every declared feature is known")
    };
    let summary = store.import_signals(&actor, &shown, &sha256, &rows, &features, args.dry_run)?;
    say(&tf(
        if args.dry_run {
            "cli.signals.would"
        } else {
            "cli.signals.done"
        },
        &[
            ("path", &shown),
            ("signals", &summary.signals),
            ("households", &summary.households),
            ("opened", &summary.cases_opened),
            ("updated", &summary.cases_updated),
            ("decided", &summary.to_decided),
            ("urgent", &summary.urgent),
            ("known", &summary.known),
        ],
    ));
    Ok(ExitCode::SUCCESS)
}

/// The file's signals, its faults, and how many data lines it has.
fn read(
    shown: &str,
    bytes: &[u8],
    today: chrono::NaiveDate,
) -> Result<(Vec<SignalRow>, Vec<FileError>, usize)> {
    let file = CsvFile::decode(shown, bytes, None, None).map_err(|e| eyre!(e.to_string()))?;
    let decimal = file.default_decimal();
    let mut records = file.records();
    let head = match records.next() {
        Some(Ok(r)) => r,
        Some(Err(e)) => return Err(eyre!(e.to_string())),
        None => {
            return Err(eyre!(
                FileError {
                    file: shown.to_owned(),
                    line: 1,
                    column: None,
                    problem: Problem::Empty,
                }
                .to_string()
            ));
        }
    };
    let at = signal_file::header(shown, &head.fields).map_err(|e| eyre!(e.to_string()))?;
    let (mut rows, mut faults, mut lines) = (Vec::new(), Vec::new(), 0);
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                faults.push(e);
                break;
            }
        };
        if record.fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        lines += 1;
        if record.fields.len() != head.fields.len() {
            faults.push(FileError {
                file: shown.to_owned(),
                line: record.line,
                column: None,
                problem: Problem::FieldCount {
                    expected: head.fields.len(),
                    found: record.fields.len(),
                },
            });
            continue;
        }
        match signal_file::row(shown, record.line, &record.fields, &at, decimal, today) {
            Ok(r) => rows.push(r),
            Err(f) => faults.extend(f),
        }
    }
    Ok((rows, faults, lines))
}
