//! From the file's header and rows to typed records, through a profile. Every fault is
//! collected (the first [`ERROR_LIMIT`] kept, the rest counted), so one run shows whoever
//! exported the file everything to fix, not one fault per try.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::cells::{DecimalMark, parse_bsn, parse_date, parse_number};
use super::error::{FileError, Problem};
use super::profile::{Column, FeatureKind, PersonalKind, Profile, ValueKind};
use super::{ImportRecord, Validated};
use crate::domain::role::valid_team_name;
use crate::domain::text::first_hidden_char;

/// Faults kept for the report; beyond this they are only counted.
pub const ERROR_LIMIT: usize = 50;

/// Ids longer than this are refused: an id is a key, not a text.
pub const MAX_ID_CHARS: usize = 64;

/// Per field position of a header: the column's name and role in the profile (`None`:
/// ignored).
pub(crate) type Layout<'p, C> = Vec<Option<(&'p str, &'p C)>>;

/// Where each field of a header goes: the column's name and role in the profile, `None` for
/// a field it ignores. Every import reads its header here, whatever its roles: every column
/// the profile names must be there once; a field it does not name is a fault unless it
/// says `ignore_unmapped`; the same name twice is a fault. Returns the layout and each
/// fault as (column, problem).
pub(crate) fn layout<'p, C: PartialEq>(
    columns: &'p std::collections::BTreeMap<String, C>,
    ignore: &C,
    ignore_unmapped: bool,
    header: &[String],
) -> (Layout<'p, C>, Vec<(String, Problem)>) {
    let mut faults = Vec::new();
    let mut fault = |column: String, problem| faults.push((column, problem));
    let names: Vec<&str> = header
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}'))
        .collect();
    let mut out = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            fault((*name).to_owned(), Problem::DuplicateHeader);
        }
        let mapped = columns.get_key_value(*name);
        if mapped.is_none() && !ignore_unmapped {
            fault((*name).to_owned(), Problem::Unmapped);
        }
        out.push(
            mapped
                .filter(|(_, c)| *c != ignore)
                .map(|(n, c)| (n.as_str(), c)),
        );
    }
    let listed = names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    for name in columns.keys() {
        if !names.contains(&name.as_str()) {
            let columns = listed.clone();
            fault(name.clone(), Problem::MissingColumn { columns });
        }
    }
    (out, faults)
}

/// Counts a fault and keeps it if fewer than [`ERROR_LIMIT`] are kept: how every reader
/// collects them.
pub(crate) fn keep_fault(errors: &mut Vec<FileError>, count: &mut usize, fault: FileError) {
    *count += 1;
    if errors.len() < ERROR_LIMIT {
        errors.push(fault);
    }
}

/// Reads rows one at a time into records, collecting faults.
pub struct RowReader<'p> {
    profile: &'p Profile,
    file: String,
    mark: DecimalMark,
    /// Per field position of the header: the column's name and role (`None`: ignored).
    layout: Vec<Option<(&'p str, &'p Column)>>,
    seen: HashMap<String, u64>,
    out: Validated,
}

impl<'p> RowReader<'p> {
    /// Matches the header (`line`: where it starts) with the profile: every column the
    /// profile names must be there once; columns it does not name are a fault unless the
    /// profile says `ignore_unmapped`.
    pub fn new(
        profile: &'p Profile,
        file: &str,
        mark: DecimalMark,
        line: u64,
        header: &[String],
    ) -> RowReader<'p> {
        let mut reader = RowReader {
            profile,
            file: file.to_owned(),
            mark,
            layout: Vec::new(),
            seen: HashMap::new(),
            out: Validated::default(),
        };
        let faults;
        (reader.layout, faults) = layout(
            &profile.columns,
            &Column::Ignore,
            profile.ignore_unmapped,
            header,
        );
        for (column, problem) in faults {
            reader.fault(line, Some(&column), problem);
        }
        reader
    }

    /// Whether the header matched: rows are worth reading only then.
    pub fn header_ok(&self) -> bool {
        self.out.error_count == 0
    }

    fn fault(&mut self, line: u64, column: Option<&str>, problem: Problem) {
        let fault = FileError {
            file: self.file.clone(),
            line,
            column: column.map(str::to_owned),
            problem,
        };
        keep_fault(&mut self.out.errors, &mut self.out.error_count, fault);
    }

    /// One data row starting at physical line `line`.
    pub fn row(&mut self, line: u64, fields: &[String]) {
        self.out.rows += 1;
        if fields.len() != self.layout.len() {
            let problem = Problem::FieldCount {
                expected: self.layout.len(),
                found: fields.len(),
            };
            self.fault(line, None, problem);
            return;
        }
        let faults_before = self.out.error_count;
        let mut record = ImportRecord {
            line,
            team: self.profile.team.clone(),
            ..ImportRecord::default()
        };
        for (i, field) in fields.iter().enumerate() {
            let Some((name, column)) = self.layout[i] else {
                continue;
            };
            match cell(column, field.trim(), self.mark) {
                Ok(value) => place(&mut record, name, column, value),
                Err(problem) => self.fault(line, Some(name), problem),
            }
        }
        if self.out.error_count > faults_before {
            return;
        }
        // Only a valid id can be a duplicate: an empty one was refused above.
        if let Some(&first) = self.seen.get(&record.id) {
            let id_column = self.id_column();
            let found = record.id.clone();
            self.fault(line, Some(id_column), Problem::DuplicateId { found, first });
            return;
        }
        self.seen.insert(record.id.clone(), line);
        self.out.records.push(record);
    }

    fn id_column(&self) -> &'p str {
        self.layout
            .iter()
            .flatten()
            .find(|(_, c)| **c == Column::Id)
            .map(|(n, _)| *n)
            .unwrap_or("")
    }

    pub fn finish(self) -> Validated {
        self.out
    }
}

/// A cell read by its column's role: a JSON value (string, number or null), or the fault.
fn cell(column: &Column, text: &str, mark: DecimalMark) -> Result<Value, Problem> {
    let optional = match column {
        Column::Feature { optional, .. }
        | Column::Protected { optional, .. }
        | Column::Display { optional, .. }
        | Column::Personal { optional, .. } => *optional,
        // An outcome lists what an empty cell means; ids, teams and scores are required.
        _ => false,
    };
    if text.is_empty() && !matches!(column, Column::Outcome { .. }) {
        return if optional {
            Ok(Value::Null)
        } else {
            Err(Problem::Required)
        };
    }
    let found = || text.to_owned();
    let number = || {
        parse_number(text, mark).ok_or_else(|| Problem::Number {
            found: found(),
            example: mark.example(),
        })
    };
    let date = || {
        parse_date(text)
            .map(|d| Value::from(d.format("%Y-%m-%d").to_string()))
            .ok_or_else(|| Problem::Date { found: found() })
    };
    let listed = |values: &Option<Vec<String>>| match values {
        Some(values) if !values.iter().any(|v| v == text) => Err(Problem::Category {
            found: found(),
            allowed: quoted(values.iter()),
        }),
        _ => Ok(Value::from(text)),
    };
    match column {
        Column::Id => {
            if let Some(c) = first_hidden_char(text) {
                return Err(Problem::Hidden { code: c as u32 });
            }
            if text.chars().count() > MAX_ID_CHARS {
                return Err(Problem::TooLong { max: MAX_ID_CHARS });
            }
            Ok(Value::from(text))
        }
        Column::Team if valid_team_name(text) => Ok(Value::from(text)),
        Column::Team => Err(Problem::Team { found: found() }),
        Column::Feature {
            kind: FeatureKind::Numeric,
            ..
        } => number().map(Value::from),
        Column::Feature { values, .. } | Column::Protected { values, .. } => listed(values),
        Column::Outcome {
            positive,
            negative,
            unknown,
            ..
        } => {
            let is = |list: &[String]| list.iter().any(|v| v == text);
            if is(positive) {
                Ok(Value::from(1))
            } else if is(negative) {
                Ok(Value::from(0))
            } else if is(unknown) {
                Ok(Value::Null)
            } else {
                Err(Problem::Outcome {
                    found: found(),
                    allowed: quoted(positive.iter().chain(negative).chain(unknown)),
                })
            }
        }
        Column::Score { min, max, .. } => {
            let value = number()?;
            let (lo, hi) = (min.unwrap_or(f64::MIN), max.unwrap_or(f64::MAX));
            if value < lo || value > hi {
                return Err(Problem::Range {
                    found: found(),
                    min: lo,
                    max: hi,
                });
            }
            Ok(Value::from(value))
        }
        Column::Display { kind, .. } => match kind {
            ValueKind::Text => Ok(Value::from(text)),
            ValueKind::Number => number().map(Value::from),
            ValueKind::Date => date(),
        },
        Column::Personal { kind, .. } => match kind {
            PersonalKind::Text => Ok(Value::from(text)),
            PersonalKind::Bsn => parse_bsn(text)
                .map(Value::from)
                .ok_or_else(|| Problem::Bsn { found: found() }),
            PersonalKind::Date => date(),
        },
        Column::Ignore => Ok(Value::Null),
    }
}

fn place(record: &mut ImportRecord, name: &str, column: &Column, value: Value) {
    let put = |map: &mut Map<String, Value>| {
        map.insert(name.to_owned(), value.clone());
    };
    match column {
        Column::Id => record.id = value.as_str().unwrap_or_default().to_owned(),
        Column::Team => record.team = value.as_str().map(str::to_owned),
        Column::Feature { .. } => put(&mut record.features),
        Column::Protected { .. } => put(&mut record.protected),
        Column::Outcome { .. } => record.outcome = value.as_i64().map(|v| v == 1),
        Column::Score { .. } => record.score = value.as_f64(),
        Column::Display { .. } => put(&mut record.display),
        Column::Personal { .. } => put(&mut record.personal),
        Column::Ignore => {}
    }
}

fn quoted<'a>(values: impl Iterator<Item = &'a String>) -> String {
    values
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
