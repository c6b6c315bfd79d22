//! The `oordeel` binary: parse the command line, install error and panic handling, dispatch.

use std::io::Write;
use std::process::ExitCode;

use oordeel::cli::Cli;
use oordeel::domain::text::sanitize_text;

fn main() -> ExitCode {
    // Installed before any terminal set-up, so a panic in the console restores the terminal
    // (the console chains its restore into this hook) and then reports.
    if let Err(e) = color_eyre::install() {
        let _ = writeln!(std::io::stderr(), "oordeel: {e}");
    }
    let cli = Cli::parse_localized();
    match oordeel::commands::dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            // One clear message: what went wrong, where, and what to do; no backtrace.
            // Sanitised: messages quote paths, names and lines of files the user handed us.
            // A reader that went away (`2>&1 | head -1`) is no reason to abort: the exit
            // code still says it failed.
            let _ = writeln!(
                std::io::stderr(),
                "oordeel: {}",
                sanitize_text(&format!("{e:#}"))
            );
            ExitCode::FAILURE
        }
    }
}
