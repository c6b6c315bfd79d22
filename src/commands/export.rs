//! `oordeel export`: decisions, retractions and notes as CSV or JSON, narrowed by team,
//! period and kind (`--log`: the whole event log, `export_log`).

use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::Context;
use crate::cli::{ExportArgs, ExportFormat};
use crate::i18n::tf;
use crate::store::{ExportFilter, ExportedEvent};

pub fn run(ctx: &Context, args: &ExportArgs) -> Result<ExitCode> {
    if args.log {
        return super::export_log::run(ctx, args);
    }
    let (store, actor) = ctx.open()?;
    if let (Some(since), Some(until)) = (args.since, args.until)
        && until <= since
    {
        color_eyre::eyre::bail!(tf(
            "cli.export.empty_period",
            &[("since", &since), ("until", &until)]
        ));
    }
    let filter = ExportFilter {
        team: args.team.clone(),
        since: args.since.and_then(super::report::local_midnight),
        until: args.until.and_then(super::report::local_midnight),
        kinds: args.decision.iter().map(|k| k.code().to_owned()).collect(),
    };
    let events = store.exported_events_where(&actor, &filter)?;
    let mut bytes = Vec::new();
    match args.format {
        ExportFormat::Json => {
            serde_json::to_writer_pretty(&mut bytes, &events)?;
            bytes.push(b'\n');
        }
        ExportFormat::Csv => {
            // Headers written by hand, so an export without events still names its columns.
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(&mut bytes);
            w.write_record(CSV_COLUMNS)?;
            for e in &events {
                w.serialize(spreadsheet_safe(e.clone()))?;
            }
            w.flush()?;
        }
    }
    match &args.out {
        Some(path) => {
            // Owner-only, like the database: the export holds notes and pseudonyms.
            super::write_whole(path, &bytes, 0o600)?;
            super::warn(&tf(
                "cli.export.written",
                &[("count", &events.len()), ("path", &path.display())],
            ));
        }
        None => super::write_data(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The CSV header: the fields of [`ExportedEvent`], in order.
const CSV_COLUMNS: [&str; 13] = [
    "event",
    "case_id",
    "household",
    "decision",
    "reason",
    "note",
    "reviewer",
    "at",
    "model_version",
    "score",
    "rank",
    "retracts",
    "signs",
];

/// A spreadsheet opening the CSV runs a cell starting with `=`, `+`, `-`, `@`, tab or CR as a
/// formula; a note like `=HYPERLINK(...)` must stay text. The usual guard: a leading quote.
fn spreadsheet_safe(mut e: ExportedEvent) -> ExportedEvent {
    fn guard(text: &mut Option<String>) {
        if let Some(t) = text
            .as_mut()
            .filter(|t| t.starts_with(['=', '+', '-', '@', '\t', '\r']))
        {
            t.insert(0, '\'');
        }
    }
    guard(&mut e.note);
    guard(&mut e.reason);
    guard(&mut e.household);
    e
}
