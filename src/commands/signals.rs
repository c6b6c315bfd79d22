//! `oordeel signals import FILE [--dry-run]`: a month's vroegsignalering file (see
//! `domain::signal_file` for the columns), checked whole first (every fault named by file,
//! line and column), then attached in one transaction by `Store::import_signals`.

use crate::store::Refusal;
use std::process::ExitCode;

use color_eyre::eyre::{Result, eyre};
use sha2::{Digest, Sha256};

use super::import::FileRead;
use super::{Context, say};
use crate::cli::{SignalMatchArgs, SignalNewHouseholdArgs, SignalsCommand, SignalsImportArgs};
use crate::domain::feature_catalogue;
use crate::domain::household::{Household, Signal, SignalFlags};
use crate::domain::import::{FileError, Problem};
use crate::domain::signal_file::{self, SignalRow};
use crate::domain::view::FeatureValue;
use crate::i18n::tf;
use crate::ingest::csv_file::CsvFile;
use crate::store::{NewHousehold, Store};

pub fn run(ctx: &Context, cmd: &SignalsCommand) -> Result<ExitCode> {
    match cmd {
        SignalsCommand::Import(args) => import(ctx, args),
        SignalsCommand::Unmatched => unmatched(ctx),
        SignalsCommand::Match(args) => match_one(ctx, args),
        SignalsCommand::NewHousehold(args) => new_household(ctx, args),
    }
}

/// The caseload's features, and how a case's are computed from its household and signals:
/// any caseload made of households and signals (the demo, a municipality's own) works.
pub(super) fn caseload_features(store: &Store) -> Result<Vec<(String, bool)>> {
    let declared = store.feature_list()?;
    if declared
        .iter()
        .any(|(name, _)| feature_catalogue::categorical(name).is_none())
    {
        return Err(eyre!(crate::i18n::t("cli.signals.other_caseload")));
    }
    Ok(declared)
}

pub(super) fn compute<'a>(
    declared: &'a [(String, bool)],
) -> impl Fn(&Household, &[Signal], chrono::NaiveDate, SignalFlags) -> Vec<FeatureValue> + 'a {
    feature_catalogue::computer(declared)
}

fn import(ctx: &Context, args: &SignalsImportArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    store.may_import_signals(&actor)?;
    let declared = caseload_features(&store)?;
    let shown = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).map_err(|e| {
        eyre!(tf(
            "cli.fairness.input.unreadable",
            &[("path", &shown), ("cause", &e)]
        ))
    })?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    if let Some((seq, at, by)) = store.earlier_signal_import(&sha256)? {
        return Err(
            crate::store::StoreError::Refused(Refusal::DuplicateSignals { seq, at, by }).into(),
        );
    }
    let today = chrono::Local::now().date_naive();
    let (rows, mut faults, lines) = read(&shown, &bytes, today)?;
    // A pseudonym only oordeel writes: one it does not know is a fault of the file.
    let pseudonyms: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.identity.household.as_deref())
        .collect();
    let unknown = store.unknown_households(&pseudonyms)?;
    for r in &rows {
        if let Some(found) = r
            .identity
            .household
            .as_ref()
            .filter(|h| unknown.contains(*h))
        {
            faults.push(FileError {
                file: shown.clone(),
                line: r.line,
                column: Some("huishouden".into()),
                problem: Problem::UnknownHousehold {
                    found: found.clone(),
                },
            });
        }
    }
    faults.sort_by_key(|f| f.line);
    FileRead {
        shown: &shown,
        errors: &faults,
        error_count: faults.len(),
        rows: lines,
        records: rows.len(),
    }
    .accept("cli.signals.refused")?;
    let features = compute(&declared);
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
    if summary.unmatched + summary.ambiguous > 0 {
        say(&tf(
            "cli.signals.waiting",
            &[
                ("unmatched", &summary.unmatched),
                ("ambiguous", &summary.ambiguous),
            ],
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// `signals unmatched`: what waits, with how the creditor named the person.
fn unmatched(ctx: &Context) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    let waiting = store.waiting_signals(&actor)?;
    if waiting.is_empty() {
        say(crate::i18n::t("cli.signals.none_waiting"));
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = vec![tf("cli.signals.waiting_header", &[("n", &waiting.len())])];
    for w in &waiting {
        let who = &w.identity;
        let mut named = Vec::new();
        if let Some(bsn) = &who.bsn {
            named.push(format!("BSN {bsn}"));
        }
        if let Some(name) = &who.name {
            named.push(name.clone());
        }
        if let Some((postcode, number, birth)) = who.address() {
            named.push(format!(
                "{} {number}",
                crate::domain::address::show_postcode(postcode)
            ));
            named.push(crate::i18n::date(ctx.lang, birth));
        }
        if named.is_empty() {
            // A purge erased how the creditor named the person.
            named.push(crate::i18n::t("cli.signals.identity_erased").to_owned());
        }
        let why = match w.problem.as_str() {
            "ambiguous" => tf(
                "cli.signals.ambiguous",
                &[("candidates", &w.candidates.join(", "))],
            ),
            _ => crate::i18n::t("cli.signals.no_match").to_owned(),
        };
        let s = &w.signal;
        let near: Vec<String> = w
            .at_address
            .iter()
            .map(|(h, name, born)| format!("{h} ({name}, {})", crate::i18n::date(ctx.lang, *born)))
            .collect();
        let why = if near.is_empty() {
            why
        } else {
            format!(
                "{why}\n        {}",
                tf(
                    "cli.signals.at_address",
                    &[("households", &near.join(", "))]
                )
            )
        };
        out.push(format!(
            "  {:>4}  {}:{}  {} {} € {} · {}\n        {}",
            w.id,
            w.file,
            w.line,
            crate::i18n::t(&format!("creditor.{}", s.creditor_type.as_code())),
            s.creditor,
            crate::i18n::number(ctx.lang, s.amount_cents as f64 / 100.0, 2),
            named.join(" · "),
            why
        ));
    }
    out.push(crate::i18n::t("cli.signals.waiting_how").to_owned());
    say(&out.join("\n"));
    Ok(ExitCode::SUCCESS)
}

fn match_one(ctx: &Context, args: &SignalMatchArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    let declared = caseload_features(&store)?;
    let features = compute(&declared);
    let summary = store.match_waiting_signal(
        &actor,
        args.signal,
        &args.household,
        args.confirm,
        &features,
    )?;
    say(&tf(
        "cli.signals.matched",
        &[
            ("signal", &args.signal),
            ("household", &args.household),
            ("opened", &summary.cases_opened),
            ("updated", &summary.cases_updated),
        ],
    ));
    Ok(ExitCode::SUCCESS)
}

fn new_household(ctx: &Context, args: &SignalNewHouseholdArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    let declared = caseload_features(&store)?;
    let features = compute(&declared);
    let household = Household {
        pseudonym: String::new(),
        household_type: args.household_type.code(),
        children: args.children,
        income_source: args.income.code(),
        district: args.district.clone(),
        earlier_debt_help: args.earlier_debt_help,
        known_to_district_team: args.known_to_district_team,
        wmo_youth_support: args.wmo_youth_support,
    };
    let bsn = args
        .bsn
        .as_deref()
        .map(|b| {
            crate::domain::import::parse_bsn(b)
                .ok_or_else(|| eyre!(tf("cli.signals.bad_bsn", &[("bsn", &b)])))
        })
        .transpose()?;
    let new = NewHousehold {
        household: &household,
        team: args.team.as_deref(),
        bsn: bsn.as_deref(),
        street: &args.street,
        city: args.city.as_deref().unwrap_or(""),
    };
    let (pseudonym, summary) =
        store.household_for_waiting_signal(&actor, args.signal, &new, &features)?;
    say(&tf(
        "cli.signals.new_household",
        &[
            ("signal", &args.signal),
            ("household", &pseudonym),
            ("opened", &summary.cases_opened),
            ("updated", &summary.cases_updated),
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
    let head = records.header().map_err(|e| eyre!(e.to_string()))?;
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
