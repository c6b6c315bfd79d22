//! A file read through a profile: bytes decoded and split by `csv_file`, rows typed by
//! `domain::import`. Nothing is written here; the command writes the records when no row
//! has a fault.

use super::csv_file::{CsvFile, FileError};
use crate::domain::import::{Decimal, DecimalMark, Profile, RowReader, Validated};

/// What was read, and how the file turned out to be written.
pub struct ReadFile {
    pub file: CsvFile,
    pub decimal: DecimalMark,
    pub validated: Validated,
}

/// Reads `bytes` (named `name` in messages) through `profile`. `progress` is told how many
/// of [`CsvFile::len`] bytes have been read, now and then. A file that cannot be decoded is
/// the one fault returned as an error; every other fault is in `validated.errors`.
pub fn read(
    name: &str,
    bytes: &[u8],
    profile: &Profile,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ReadFile, FileError> {
    let file = CsvFile::decode(name, bytes, profile.encoding, profile.delimiter)?;
    let decimal = match profile.decimal {
        Some(Decimal::Comma) => DecimalMark::Comma,
        Some(Decimal::Point) => DecimalMark::Point,
        None => file.default_decimal(),
    };
    let total = file.len();
    let mut records = file.records();
    let header = records.header()?;
    let mut rows = RowReader::new(profile, name, decimal, header.line, &header.fields);
    if rows.header_ok() {
        let mut read = 0usize;
        while let Some(record) = records.next() {
            let record = record?;
            rows.row(record.line, &record.fields);
            read += 1;
            if read.is_multiple_of(1024) {
                progress(records.position(), total);
            }
        }
    }
    progress(total, total);
    let validated = rows.finish();
    Ok(ReadFile {
        file,
        decimal,
        validated,
    })
}
