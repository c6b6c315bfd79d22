//! How the console is set up: what the environment and the database ask for.

use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;

use super::clock::Clock;
use super::theme;
use crate::domain::decision::{Reason, default_reasons};

/// How the console is set up; `ConsoleOptions::from_env` reads what the environment asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleOptions {
    /// ASCII borders and bars.
    pub ascii: bool,
    /// No colours: bold and reverse video only.
    pub no_color: bool,
    /// The day deadlines are counted from.
    pub today: NaiveDate,
    /// Reasons offered after `r`.
    pub reasons: Vec<Reason>,
    /// A user keymap laid over the shipped one, when the file exists.
    pub keymap_path: Option<PathBuf>,
    /// A decision taken within this time of opening its case asks "are you sure?" once;
    /// `None` never asks (the database's setting `confirm_within_seconds`, via the review
    /// command).
    pub confirm_within: Option<Duration>,
    pub clock: Clock,
    /// Clicks and the wheel reach the console (crossterm's mouse capture); off with
    /// `--no-mouse`, for terminals where selecting text matters more.
    pub mouse: bool,
}

impl ConsoleOptions {
    /// Plain defaults: colours, box drawing, the shipped reasons and keys. Tests start here.
    pub fn new(today: NaiveDate) -> Self {
        ConsoleOptions {
            ascii: false,
            no_color: false,
            today,
            reasons: default_reasons(),
            keymap_path: None,
            confirm_within: None,
            clock: Clock::system(),
            mouse: true,
        }
    }

    /// The defaults adjusted by `NO_COLOR`, `OORDEEL_ASCII` and the user's keymap file
    /// (`crate::paths::keymap_override`); `ascii` is the `--ascii` flag.
    pub fn from_env(today: NaiveDate, ascii: bool) -> Self {
        let (ascii, no_color) = theme::from_env(ascii);
        ConsoleOptions {
            ascii,
            no_color,
            keymap_path: crate::paths::keymap_override(),
            ..ConsoleOptions::new(today)
        }
    }
}
