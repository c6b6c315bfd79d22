//! `oordeel import --profile PROFILE.toml FILE.csv [--dry-run]`: a caseload from a file, read
//! through a profile, checked whole before anything is written, then written in one
//! transaction with its `import` event. A dry run checks and reports and writes nothing
//! (and so logs nothing: the log records what changed).

use crate::store::Refusal;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use color_eyre::eyre::{Result, eyre};
use sha2::{Digest, Sha256};

use super::{Context, say, warn};
use crate::cli::ImportArgs;
use crate::domain::import::{Delimiter, ERROR_LIMIT, ImportRecord, Profile};
use crate::i18n::{self, tf};
use crate::ingest::import::{ReadFile, read};
use crate::store::NewImport;

pub fn run(ctx: &Context, args: &ImportArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    // Who may not import learns nothing about the file.
    store.may_import(&actor)?;
    let (profile_shown, profile_text) = read_profile(&args.profile)?;
    let profile = Profile::parse(&profile_shown, &profile_text, &store.feature_rules()?)?;
    let bytes = read_file(&args.file)?;
    let shown = args.file.display().to_string();
    let file_sha256 = hex::encode(Sha256::digest(&bytes));
    let profile_sha256 = hex::encode(Sha256::digest(profile_text.as_bytes()));
    // Refused before the file is read through: the store checks again when it writes.
    if let Some(earlier) = store.earlier_import(&file_sha256, &profile_sha256)? {
        return Err(crate::store::StoreError::Refused(Refusal::DuplicateImport {
            id: earlier.id,
            at: earlier.at,
            by: earlier.actor,
        })
        .into());
    }

    let bar = progress_bar(bytes.len() as u64, i18n::t("cli.import.reading"));
    let result = read(&shown, &bytes, &profile, &mut |pos, total| {
        bar.set_length(total);
        bar.set_position(pos);
    });
    bar.finish_and_clear();
    let ReadFile {
        file,
        decimal,
        validated,
    } = result?;

    FileRead {
        shown: &shown,
        errors: &validated.errors,
        error_count: validated.error_count,
        rows: validated.rows,
        records: validated.records.len(),
    }
    .accept("cli.import.refused")?;

    let delimiter = match file.delimiter {
        Delimiter::Comma => ",",
        Delimiter::Semicolon => ";",
    };
    let decimal_label = match decimal {
        crate::domain::import::DecimalMark::Comma => i18n::t("cli.import.decimal_comma"),
        crate::domain::import::DecimalMark::Point => i18n::t("cli.import.decimal_point"),
    };
    let bom = if file.had_bom { " + BOM" } else { "" };
    say(&tf(
        "cli.import.read",
        &[
            ("path", &shown),
            ("encoding", &format!("{}{bom}", file.encoding.label())),
            ("delimiter", &delimiter),
            ("decimal", &decimal_label),
            ("rows", &validated.rows),
            ("profile", &profile.name),
        ],
    ));
    say(&tally(&validated.records, profile.score().is_some()));

    if args.dry_run {
        say(i18n::t("cli.import.dry_run"));
        return Ok(ExitCode::SUCCESS);
    }

    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    let new = NewImport {
        file_name: &file_name,
        file_sha256: &file_sha256,
        profile_name: &profile.name,
        profile_sha256: &profile_sha256,
        profile_text: &profile_text,
        encoding: file.encoding.label(),
        delimiter,
        rows_read: validated.rows,
        score_direction: profile.score().map(|(_, d)| d.as_code()),
        records: &validated.records,
    };
    let bar = progress_bar(
        validated.records.len() as u64,
        i18n::t("cli.import.writing"),
    );
    let stored = store.write_import(&actor, &new, &mut |n| bar.set_position(n as u64));
    bar.finish_and_clear();
    let stored = stored?;
    say(&tf(
        "cli.import.done",
        &[
            ("id", &stored.id),
            ("records", &stored.records),
            ("event", &stored.event_seq),
            ("sha", &&file_sha256[..12]),
        ],
    ));
    Ok(ExitCode::SUCCESS)
}

/// Says every fault kept (the first [`ERROR_LIMIT`], then how many more) on stderr, and
/// gives the refusal (`message`: its text's key, with path, faults and rows): every import
/// refuses a file with faults this way, having written nothing.
/// What read a file through a profile found: the same answer from every importer. Any fault
/// refuses the file (nothing is written); a header with no rows says so.
pub(super) struct FileRead<'a> {
    pub shown: &'a str,
    pub errors: &'a [crate::domain::import::FileError],
    pub error_count: usize,
    pub rows: usize,
    pub records: usize,
}

impl FileRead<'_> {
    /// `Err` with every fault (under `message`) or "no rows", else `Ok`.
    pub(super) fn accept(&self, message: &str) -> Result<()> {
        if self.error_count > 0 {
            return Err(refused(
                message,
                self.shown,
                self.errors,
                self.error_count,
                self.rows,
            ));
        }
        if self.records == 0 {
            return Err(eyre!(tf("cli.import.no_rows", &[("path", &self.shown)])));
        }
        Ok(())
    }
}

pub(super) fn refused(
    message: &str,
    shown: &str,
    errors: &[crate::domain::import::FileError],
    count: usize,
    rows: usize,
) -> color_eyre::eyre::Report {
    for error in errors.iter().take(ERROR_LIMIT) {
        warn(&error.to_string());
    }
    if count > ERROR_LIMIT {
        warn(&tf(
            "cli.import.more_faults",
            &[("n", &(count - ERROR_LIMIT))],
        ));
    }
    eyre!(tf(
        message,
        &[("path", &shown), ("faults", &count), ("rows", &rows)]
    ))
}

/// A profile's path as shown in messages, and its text (UTF-8, or a message saying so).
pub(super) fn read_profile(path: &Path) -> Result<(String, String)> {
    let shown = path.display().to_string();
    let text = String::from_utf8(read_file(path)?)
        .map_err(|_| eyre!(tf("cli.import.profile_not_utf8", &[("path", &shown)])))?;
    Ok((shown, text))
}

/// A profile that did not parse: when it parses as the other importer's (`is_other`), the
/// message says which it is (`key`) instead of the TOML error about an unknown role.
pub(super) fn or_the_other_profile(
    error: impl Into<color_eyre::Report>,
    is_other: bool,
    key: &str,
    shown: &str,
) -> color_eyre::Report {
    if is_other {
        eyre!(tf(key, &[("path", &shown)]))
    } else {
        error.into()
    }
}

pub(super) fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        eyre!(tf(
            "cli.fairness.input.unreadable",
            &[("path", &path.display()), ("cause", &e)]
        ))
    })
}

/// A bar on stderr while a large file is read or written; nothing when stderr is not a
/// terminal (a pipe, a test, a cron job's log).
pub(super) fn progress_bar(len: u64, message: &'static str) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    indicatif::ProgressBar::new(len)
        .with_style(
            indicatif::ProgressStyle::with_template("{msg} {wide_bar} {percent}% {eta}")
                .expect("valid template"),
        )
        .with_message(message)
}

/// Records by outcome and, with a score, its range: what a person checks first.
fn tally(records: &[ImportRecord], with_score: bool) -> String {
    let count = |o: Option<bool>| records.iter().filter(|r| r.outcome == o).count();
    let mut text = tf(
        "cli.import.tally",
        &[
            ("records", &records.len()),
            ("positive", &count(Some(true))),
            ("negative", &count(Some(false))),
            ("unknown", &count(None)),
        ],
    );
    let scores = records.iter().filter_map(|r| r.score);
    let (lo, hi) = scores.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| {
        (lo.min(s), hi.max(s))
    });
    if with_score && lo <= hi {
        let lang = i18n::lang();
        let shown = |v: f64| i18n::number(lang, v, if v.fract() == 0.0 { 0 } else { 2 });
        text.push_str(&tf(
            "cli.import.score_range",
            &[("low", &shown(lo)), ("high", &shown(hi))],
        ));
    }
    text
}
