//! `oordeel export`: decisions, retractions and notes as CSV or JSON.

use std::io::Write;
use std::process::ExitCode;

use color_eyre::eyre::{Result, WrapErr};

use super::Context;
use crate::cli::{ExportArgs, ExportFormat};
use crate::i18n::tf;
use crate::store::Store;

pub fn run(ctx: &Context, args: &ExportArgs) -> Result<ExitCode> {
    let store = Store::open(&ctx.db)?;
    let events = store.exported_events()?;
    let mut bytes = Vec::new();
    match args.format {
        ExportFormat::Json => {
            serde_json::to_writer_pretty(&mut bytes, &events)?;
            bytes.push(b'\n');
        }
        ExportFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut bytes);
            for e in &events {
                w.serialize(e)?;
            }
            w.flush()?;
        }
    }
    match &args.out {
        Some(path) => {
            // Write beside the target, then rename: a failed export never leaves half a file.
            let tmp = path.with_extension("partial");
            std::fs::write(&tmp, &bytes)
                .and_then(|()| std::fs::rename(&tmp, path))
                .wrap_err_with(|| tf("cli.export.write_failed", &[("path", &path.display())]))?;
            eprintln!(
                "{}",
                tf(
                    "cli.export.written",
                    &[("count", &events.len()), ("path", &path.display())]
                )
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
