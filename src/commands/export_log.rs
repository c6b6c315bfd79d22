//! `oordeel export --log`: the whole event log as JSON Lines, one event per line with every
//! hash, so a third party can check the chain without oordeel (`assets/verify-log.py`).

use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::Context;
use crate::cli::ExportArgs;
use crate::domain::checkpoint::split_file;
use crate::domain::text::sanitize_text;
use crate::i18n::tf;
use crate::store::LogLine;

pub fn run(ctx: &Context, args: &ExportArgs) -> Result<ExitCode> {
    let (store, actor) = ctx.open()?;
    // The export carries a checkpoint of the log as it is now, when this account signs.
    super::checkpoint::sign_after_command(ctx);
    let (checkpoints, looked) = checkpoints(ctx, args.checkpoints.as_deref())?;
    match &args.out {
        Some(path) => {
            // Streamed because a log can be long; owner-only, like the database: notes are
            // in it.
            let count = super::write_whole_with(path, 0o600, |out| {
                let count = store.export_log(&actor, |line| write_line(out, line, false))?;
                write_checkpoints(out, &checkpoints)?;
                Ok(count)
            })?;
            super::warn(&tf(
                if checkpoints.is_empty() {
                    "cli.export.log_written_unsigned"
                } else {
                    "cli.export.log_written"
                },
                &[
                    ("count", &count),
                    ("checkpoints", &checkpoints.len()),
                    ("path", &path.display()),
                    ("looked", &looked.display()),
                ],
            ));
        }
        None => {
            let stdout = std::io::stdout();
            let terminal = stdout.is_terminal();
            let mut out = BufWriter::new(stdout.lock());
            let written = store
                .export_log(&actor, |line| write_line(&mut out, line, terminal))
                .and_then(|_| write_checkpoints(&mut out, &checkpoints))
                .and_then(|_| Ok(out.flush()?));
            match written {
                // The reader went away (`| head`): what it did not read it did not want.
                Err(e)
                    if e.downcast_ref::<std::io::Error>()
                        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) => {}
                other => other?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The signed checkpoints to include: the named file's, else this database's own file's (none
/// when this account signs none). They go as they are: the auditor checks their signatures.
/// Also returns where it looked.
fn checkpoints(
    ctx: &Context,
    named: Option<&std::path::Path>,
) -> Result<(Vec<String>, std::path::PathBuf)> {
    let path = match named {
        Some(p) => p.to_owned(),
        None => {
            let own = super::checkpoint::setup(ctx)?.file_for(&ctx.db);
            if !own.exists() {
                return Ok((Vec::new(), own));
            }
            own
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        color_eyre::eyre::eyre!(tf(
            "cli.verify.checkpoints_unreadable",
            &[("path", &path.display()), ("error", &e)]
        ))
    })?;
    Ok((
        split_file(&text).into_iter().map(|n| n.text).collect(),
        path,
    ))
}

/// After the events, one line per checkpoint: `{"checkpoint": "<the signed note>"}`.
fn write_checkpoints(out: &mut impl Write, notes: &[String]) -> Result<()> {
    for note in notes {
        serde_json::to_writer(&mut *out, &serde_json::json!({ "checkpoint": note }))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// One event as one line of JSON. On a terminal a person reads it, and a note holding an
/// escape sequence or a bidi override would act on that terminal: there it is sanitised, like
/// `write_data` does (redirect to keep it exact; the verifier needs it exact).
fn write_line(out: &mut impl Write, line: &LogLine, terminal: bool) -> Result<()> {
    let json = serde_json::to_string(line)?;
    let json = if terminal {
        sanitize_text(&json).into_owned()
    } else {
        json
    };
    out.write_all(json.as_bytes())?;
    out.write_all(b"\n")?;
    Ok(())
}
