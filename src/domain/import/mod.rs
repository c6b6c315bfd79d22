//! Importing a caseload from a file through a profile (`oordeel import`): the profile that
//! maps columns to roles, typed cells in Dutch conventions, and rows turned into records,
//! with every fault named by file, line and column. No I/O here: `ingest::csv_file` turns
//! bytes into rows, the store writes the records.
//!
//! Why imported records are not households and cases: those tables are shaped for the
//! vroegsignalering demo (fixed columns), and an import has whatever features its profile
//! names. A record keeps its features as JSON, its protected attributes, personal data and
//! display fields apart (see `store::imports`), the outcome as 1/0/unknown and an external
//! score with the direction its profile documents.

mod cells;
pub mod error;
pub mod history;
pub mod households;
pub mod outcomes;
mod profile;
mod rows;
#[cfg(test)]
mod tests;

pub use cells::{DecimalMark, parse_bsn, parse_date, parse_number};
pub use error::{FileError, Problem, ProfileError, ProfileProblem};
pub use profile::{
    Column, Decimal, Delimiter, Direction, Encoding, FeatureKind, PersonalKind, Profile, ValueKind,
};
pub use rows::{ERROR_LIMIT, MAX_ID_CHARS, RowReader};

use serde_json::{Map, Value};

/// One row of the file, typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportRecord {
    /// The physical line the row starts on.
    pub line: u64,
    pub id: String,
    pub team: Option<String>,
    /// Column name -> number, text or null.
    pub features: Map<String, Value>,
    /// Audit only: never a feature.
    pub protected: Map<String, Value>,
    /// `Some(true)` = 1, `Some(false)` = 0, `None` = unknown.
    pub outcome: Option<bool>,
    pub score: Option<f64>,
    pub display: Map<String, Value>,
    /// Kept apart like `personal_data`: erasable, shown only after a logged reveal.
    pub personal: Map<String, Value>,
}

/// A file read through a profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validated {
    /// Data rows read (the header not counted).
    pub rows: usize,
    /// The rows without faults. Written only when `error_count` is 0.
    pub records: Vec<ImportRecord>,
    /// The first [`ERROR_LIMIT`] faults, in file order.
    pub errors: Vec<FileError>,
    pub error_count: usize,
}
