//! `oordeel export --log`: the whole event log as JSON Lines, one event per line with every
//! hash, so a third party can check the chain without oordeel (`assets/verify-log.py`).

use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;

use color_eyre::eyre::{Result, WrapErr};

use super::Context;
use crate::cli::ExportArgs;
use crate::domain::text::sanitize_text;
use crate::i18n::tf;
use crate::store::LogLine;

pub fn run(ctx: &Context, args: &ExportArgs) -> Result<ExitCode> {
    let (store, actor) = ctx.open()?;
    match &args.out {
        Some(path) => {
            // Beside the target first, then renamed (as `write_whole`), streamed because a
            // log can be long; owner-only, like the database: notes are in it.
            use std::os::unix::fs::OpenOptionsExt;
            let tmp = path.with_extension("partial");
            let failed = || tf("cli.export.write_failed", &[("path", &path.display())]);
            let file = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&tmp)
                .wrap_err_with(failed)?;
            let mut out = BufWriter::new(file);
            let written = store
                .export_log(&actor, |line| write_line(&mut out, line, false))
                .and_then(|n| {
                    out.flush().wrap_err_with(failed)?;
                    Ok(n)
                });
            let count = match written {
                Ok(n) => n,
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e);
                }
            };
            std::fs::rename(&tmp, path).wrap_err_with(failed)?;
            super::warn(&tf(
                "cli.export.log_written",
                &[("count", &count), ("path", &path.display())],
            ));
        }
        None => {
            let stdout = std::io::stdout();
            let terminal = stdout.is_terminal();
            let mut out = BufWriter::new(stdout.lock());
            let written = store
                .export_log(&actor, |line| write_line(&mut out, line, terminal))
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
