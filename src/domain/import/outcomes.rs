//! The outcomes profile: the debt-help system's monthly export of what became of the
//! households oordeel sent it (`oordeel outcomes import`). One row per step, naming the
//! household by its key (as in the household extract) or the case by its number:
//!
//! ```toml
//! name = "lindenhaven-uitkomsten"
//! delimiter = ";"
//! encoding = "windows-1252"
//! [columns.Klantnummer]
//! role = "key"          # or role = "case": oordeel's case number
//! [columns.Datum]
//! role = "date"         # the day the step happened (dd-mm-jjjj or jjjj-mm-dd)
//! [columns.Uitkomst]
//! role = "outcome"      # each of the five steps with the cells that mean it
//! values = { not_reached = ["niet bereikt"], declined = ["hulp geweigerd"],
//!            help_accepted = ["hulp aanvaard"], debts_confirmed = ["problematisch"],
//!            no_problematic_debts = ["niet problematisch"] }
//! ```

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Deserialize;

use super::cells::parse_date;
use super::error::{FileError, Problem, ProfileError, ProfileProblem};
use super::profile::{Decimal, Delimiter, Encoding};
use super::rows::{keep_fault, layout};
use crate::domain::outcome::OutcomeStep;
use crate::domain::text::first_hidden_char;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeProfile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub delimiter: Option<Delimiter>,
    pub encoding: Option<Encoding>,
    pub decimal: Option<Decimal>,
    #[serde(default)]
    pub ignore_unmapped: bool,
    pub columns: BTreeMap<String, OutcomeColumn>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case", deny_unknown_fields)]
pub enum OutcomeColumn {
    Key,
    Case,
    Date,
    Outcome {
        values: BTreeMap<String, Vec<String>>,
    },
    Ignore,
}

impl OutcomeColumn {
    fn role(&self) -> &'static str {
        match self {
            OutcomeColumn::Key => "key",
            OutcomeColumn::Case => "case",
            OutcomeColumn::Date => "date",
            OutcomeColumn::Outcome { .. } => "outcome",
            OutcomeColumn::Ignore => "ignore",
        }
    }
}

impl OutcomeProfile {
    pub fn parse(file: &str, text: &str) -> Result<OutcomeProfile, ProfileError> {
        let fail = |problem| ProfileError {
            file: file.to_owned(),
            problem,
        };
        let profile: OutcomeProfile =
            toml::from_str(text).map_err(|e| fail(ProfileProblem::Toml(e.to_string())))?;
        if profile.name.trim().is_empty() {
            return Err(fail(ProfileProblem::NoName));
        }
        let mut by_role: BTreeMap<&'static str, Vec<&String>> = BTreeMap::new();
        for (name, column) in &profile.columns {
            if let Some(c) = first_hidden_char(name) {
                return Err(fail(ProfileProblem::Hidden {
                    what: name.escape_debug().to_string(),
                    code: c as u32,
                }));
            }
            if column.role() != "ignore" {
                by_role.entry(column.role()).or_default().push(name);
            }
            if let OutcomeColumn::Outcome { values } = column {
                for code in values.keys() {
                    if OutcomeStep::from_code(code).is_none() {
                        let allowed = OutcomeStep::ALL.iter().map(|s| s.as_code());
                        return Err(fail(ProfileProblem::BadCode {
                            column: name.clone(),
                            code: code.clone(),
                            allowed: allowed.collect::<Vec<_>>().join(", "),
                        }));
                    }
                }
                if values.is_empty() {
                    return Err(fail(ProfileProblem::NoValues(name.clone())));
                }
            }
        }
        if let Some((role, names)) = by_role.iter().find(|(_, n)| n.len() > 1) {
            return Err(fail(ProfileProblem::Twice {
                role,
                first: names[0].clone(),
                second: names[1].clone(),
            }));
        }
        if by_role.contains_key("key") && by_role.contains_key("case") {
            return Err(fail(ProfileProblem::Twice {
                role: "key",
                first: by_role["key"][0].clone(),
                second: by_role["case"][0].clone(),
            }));
        }
        if !by_role.contains_key("key") && !by_role.contains_key("case") {
            return Err(fail(ProfileProblem::MissingRole("key")));
        }
        for role in ["date", "outcome"] {
            if !by_role.contains_key(role) {
                return Err(fail(ProfileProblem::MissingRole(role)));
            }
        }
        Ok(profile)
    }
}

/// Whom a row is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OutcomeTarget {
    /// A household's key as the extract has it (or its pseudonym).
    Key(String),
    /// oordeel's case number.
    Case(i64),
}

/// One step of one household's outreach.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeRow {
    pub line: u64,
    pub target: OutcomeTarget,
    pub on: NaiveDate,
    pub step: OutcomeStep,
}

/// An outcomes file read through a profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadOutcomes {
    pub rows: usize,
    pub outcomes: Vec<OutcomeRow>,
    pub errors: Vec<FileError>,
    pub error_count: usize,
    /// The column that names the household or case, and the date column, for faults
    /// found later.
    pub target_column: String,
    pub date_column: String,
}

/// Reads the rows (after the header at `line`), every fault collected; a day after `today`
/// is one. Rows keep their order in the file (a later step of a case after an earlier).
pub fn read(
    profile: &OutcomeProfile,
    file: &str,
    today: NaiveDate,
    header_line: u64,
    header: &[String],
    rows: impl Iterator<Item = Result<(u64, Vec<String>), FileError>>,
) -> ReadOutcomes {
    let mut out = ReadOutcomes::default();
    let fault = |out: &mut ReadOutcomes, line: u64, column: Option<&str>, problem: Problem| {
        let fault = FileError {
            file: file.to_owned(),
            line,
            column: column.map(str::to_owned),
            problem,
        };
        keep_fault(&mut out.errors, &mut out.error_count, fault);
    };
    let (layout, faults) = layout(
        &profile.columns,
        &OutcomeColumn::Ignore,
        profile.ignore_unmapped,
        header,
    );
    for (column, problem) in faults {
        fault(&mut out, header_line, Some(&column), problem);
    }
    if out.error_count > 0 {
        return out;
    }
    let values: HashMap<&str, OutcomeStep> = profile
        .columns
        .values()
        .filter_map(|c| match c {
            OutcomeColumn::Outcome { values } => Some(values),
            _ => None,
        })
        .flat_map(|v| v.iter())
        .flat_map(|(code, cells)| {
            let step = OutcomeStep::from_code(code).expect("checked by parse");
            cells.iter().map(move |c| (c.as_str(), step))
        })
        .collect();
    let allowed = values.keys().copied().collect::<Vec<_>>().join(", ");
    for row in rows {
        let (line, fields) = match row {
            Ok(r) => r,
            Err(e) => {
                keep_fault(&mut out.errors, &mut out.error_count, e);
                break;
            }
        };
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        out.rows += 1;
        if fields.len() != layout.len() {
            let problem = Problem::FieldCount {
                expected: layout.len(),
                found: fields.len(),
            };
            fault(&mut out, line, None, problem);
            continue;
        }
        let mut cell: HashMap<&str, (&str, &str)> = HashMap::new();
        for (i, f) in fields.iter().enumerate() {
            if let Some((name, column)) = layout[i] {
                cell.insert(column.role(), (name, f.trim()));
            }
        }
        let get = |role: &str| cell.get(role).copied();
        let before = out.error_count;
        let target = match (get("key"), get("case")) {
            (Some((col, "")), _) | (_, Some((col, ""))) => {
                out.target_column = col.to_owned();
                fault(&mut out, line, Some(col), Problem::Required);
                None
            }
            (Some((col, key)), _) => {
                out.target_column = col.to_owned();
                Some(OutcomeTarget::Key(key.to_owned()))
            }
            (_, Some((col, case))) => {
                out.target_column = col.to_owned();
                match case.parse::<i64>() {
                    Ok(n) if n > 0 => Some(OutcomeTarget::Case(n)),
                    _ => {
                        let problem = Problem::Number {
                            found: case.to_owned(),
                            example: "1377",
                        };
                        fault(&mut out, line, Some(col), problem);
                        None
                    }
                }
            }
            (None, None) => None,
        };
        let (date_col, date_text) = get("date").unwrap_or(("", ""));
        out.date_column = date_col.to_owned();
        let on = match parse_date(date_text) {
            Some(d) if d > today => {
                let found = date_text.to_owned();
                fault(
                    &mut out,
                    line,
                    Some(date_col),
                    Problem::FutureDate { found },
                );
                None
            }
            Some(d) => Some(d),
            None => {
                let found = date_text.to_owned();
                fault(&mut out, line, Some(date_col), Problem::Date { found });
                None
            }
        };
        let (outcome_col, outcome_text) = get("outcome").unwrap_or(("", ""));
        let step = values.get(outcome_text).copied();
        if step.is_none() {
            let problem = Problem::Category {
                found: outcome_text.to_owned(),
                allowed: allowed.clone(),
            };
            fault(&mut out, line, Some(outcome_col), problem);
        }
        if out.error_count > before {
            continue;
        }
        if let (Some(target), Some(on), Some(step)) = (target, on, step) {
            out.outcomes.push(OutcomeRow {
                line,
                target,
                on,
                step,
            });
        }
    }
    out
}
