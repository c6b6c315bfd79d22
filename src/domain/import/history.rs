//! The history profile: past cases with their outcome, as the debt-help system exports them
//! (`oordeel history import`), the labelled history `train` learns from. One row per signal
//! of a past case; the rows of one household and month are one case, and share its outcome:
//!
//! ```toml
//! name = "lindenhaven-schuldhulp"
//! delimiter = ";"
//! encoding = "windows-1252"
//! [columns.Klantnummer]
//! role = "key"               # the household's key, as in the household extract
//! [columns.Maand]
//! role = "month"             # mm-jjjj, jjjj-mm, or a date (its month counts)
//! [columns.Soort]
//! role = "creditor_type"     # huur, energie, water, zorgverzekering (or the English)
//! [columns.Bedrag]
//! role = "amount"            # euros, in the file's decimal mark
//! [columns.Maanden]
//! role = "months_in_arrears"
//! [columns.Dreiging]
//! role = "threat"
//! values = { yes = ["ja"], no = ["nee", ""] }
//! [columns.Uitkomst]
//! role = "outcome"           # problematic debt confirmed and help accepted within three months
//! values = { yes = ["ja"], no = ["nee"] }
//! ```

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::cells::{DecimalMark, parse_date, parse_number};
use super::error::{FileError, Problem, ProfileError, ProfileProblem};
use super::profile::{Decimal, Delimiter, Encoding};
use super::rows::{keep_fault, layout};
use crate::domain::household::Signal;
use crate::domain::text::first_hidden_char;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryProfile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub delimiter: Option<Delimiter>,
    pub encoding: Option<Encoding>,
    pub decimal: Option<Decimal>,
    #[serde(default)]
    pub ignore_unmapped: bool,
    pub columns: BTreeMap<String, HistoryColumn>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case", deny_unknown_fields)]
pub enum HistoryColumn {
    Key,
    Month,
    CreditorType,
    Amount,
    MonthsInArrears,
    Threat {
        values: BTreeMap<String, Vec<String>>,
    },
    Outcome {
        values: BTreeMap<String, Vec<String>>,
    },
    Ignore,
}

impl HistoryColumn {
    fn role(&self) -> &'static str {
        match self {
            HistoryColumn::Key => "key",
            HistoryColumn::Month => "month",
            HistoryColumn::CreditorType => "creditor_type",
            HistoryColumn::Amount => "amount",
            HistoryColumn::MonthsInArrears => "months_in_arrears",
            HistoryColumn::Threat { .. } => "threat",
            HistoryColumn::Outcome { .. } => "outcome",
            HistoryColumn::Ignore => "ignore",
        }
    }
}

const REQUIRED: &[&str] = &[
    "key",
    "month",
    "creditor_type",
    "amount",
    "months_in_arrears",
    "outcome",
];

impl HistoryProfile {
    pub fn parse(file: &str, text: &str) -> Result<HistoryProfile, ProfileError> {
        let fail = |problem| ProfileError {
            file: file.to_owned(),
            problem,
        };
        let profile: HistoryProfile =
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
            if let HistoryColumn::Threat { values } | HistoryColumn::Outcome { values } = column {
                for code in values.keys() {
                    if code != "yes" && code != "no" {
                        return Err(fail(ProfileProblem::BadCode {
                            column: name.clone(),
                            code: code.clone(),
                            allowed: "yes, no".into(),
                        }));
                    }
                }
                if !values.contains_key("yes") || !values.contains_key("no") {
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
        for role in REQUIRED {
            if !by_role.contains_key(role) {
                return Err(fail(ProfileProblem::MissingRole(role)));
            }
        }
        Ok(profile)
    }
}

/// The creditor a past case's signals name: the history says what kind, not who.
pub const HISTORY_CREDITOR: &str = "schuldhulpregistratie";

/// One past case: a household (by key), a month, its signals and its outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryCase {
    /// The line of the case's first row.
    pub line: u64,
    pub key: String,
    pub month: NaiveDate,
    pub signals: Vec<Signal>,
    /// Problematic debt confirmed and help accepted within three months.
    pub outcome: bool,
}

/// A history file read through a profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadHistory {
    pub rows: usize,
    pub cases: Vec<HistoryCase>,
    pub errors: Vec<FileError>,
    pub error_count: usize,
}

/// `mm-jjjj`, `jjjj-mm`, or a whole date: the first of its month.
pub fn parse_month(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Some(d) = parse_date(text) {
        return d.with_day(1);
    }
    let (a, b) = text.split_once(['-', '/'])?;
    let (year, month) = if a.len() == 4 { (a, b) } else { (b, a) };
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
}

/// Reads the rows (after the header at `line`) into cases, every fault collected.
pub fn read(
    profile: &HistoryProfile,
    file: &str,
    mark: DecimalMark,
    today: NaiveDate,
    header_line: u64,
    header: &[String],
    rows: impl Iterator<Item = Result<(u64, Vec<String>), FileError>>,
) -> ReadHistory {
    let mut out = ReadHistory::default();
    let fault = |out: &mut ReadHistory, line: u64, column: Option<&str>, problem: Problem| {
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
        &HistoryColumn::Ignore,
        profile.ignore_unmapped,
        header,
    );
    for (column, problem) in faults {
        fault(&mut out, header_line, Some(&column), problem);
    }
    if out.error_count > 0 {
        return out;
    }
    // (key, month) -> index of its case in `out.cases`.
    let mut cases: HashMap<(String, NaiveDate), usize> = HashMap::new();
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
        let before = out.error_count;
        let get = |role: &str| cell.get(role).copied().unwrap_or(("", ""));
        let (key_col, key) = get("key");
        if key.is_empty() {
            fault(&mut out, line, Some(key_col), Problem::Required);
        }
        let (month_col, month_text) = get("month");
        let month = parse_month(month_text).filter(|m| *m <= today);
        if month.is_none() {
            let found = month_text.to_owned();
            fault(&mut out, line, Some(month_col), Problem::Month { found });
        }
        let (kind_col, kind_text) = get("creditor_type");
        let kind = crate::domain::signal_file::creditor_type(kind_text);
        if kind.is_none() {
            let problem = Problem::Category {
                found: kind_text.to_owned(),
                allowed: "huur, energie, water, zorgverzekering".into(),
            };
            fault(&mut out, line, Some(kind_col), problem);
        }
        let (amount_col, amount_text) = get("amount");
        let cents = parse_number(amount_text, mark)
            .filter(|e| (0.0..1e9).contains(e))
            .map(|e| (e * 100.0).round() as i64);
        if cents.is_none() {
            let problem = Problem::Number {
                found: amount_text.to_owned(),
                example: mark.example(),
            };
            fault(&mut out, line, Some(amount_col), problem);
        }
        let (months_col, months_text) = get("months_in_arrears");
        let months = months_text.parse::<u32>().ok().filter(|m| *m <= 240);
        if months.is_none() {
            let found = months_text.to_owned();
            fault(&mut out, line, Some(months_col), Problem::Months { found });
        }
        let coded = |role: &str| -> Option<Result<bool, (String, String)>> {
            let (name, text) = cell.get(role).copied()?;
            let values = profile.columns.get(name).and_then(|c| match c {
                HistoryColumn::Threat { values } | HistoryColumn::Outcome { values } => {
                    Some(values)
                }
                _ => None,
            })?;
            Some(
                match values
                    .iter()
                    .find(|(_, cells)| cells.iter().any(|c| c == text))
                {
                    Some((code, _)) => Ok(code == "yes"),
                    None => Err((
                        name.to_owned(),
                        values
                            .values()
                            .flatten()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", "),
                    )),
                },
            )
        };
        // A coded cell's meaning (inner None: the profile has no such column), or None
        // after a fault for a code the profile does not list.
        let decode = |role: &str, out: &mut ReadHistory| match coded(role) {
            None => Some(None),
            Some(Ok(b)) => Some(Some(b)),
            Some(Err((name, allowed))) => {
                let found = get(role).1.to_owned();
                fault(out, line, Some(&name), Problem::Category { found, allowed });
                None
            }
        };
        let threat = decode("threat", &mut out).map(|t| t.unwrap_or(false));
        let outcome = decode("outcome", &mut out).flatten();
        if out.error_count > before {
            continue;
        }
        let (Some(month), Some(kind), Some(cents), Some(months), Some(threat), Some(outcome)) =
            (month, kind, cents, months, threat, outcome)
        else {
            continue;
        };
        let signal = Signal {
            creditor_type: kind,
            creditor: HISTORY_CREDITOR.to_owned(),
            amount_cents: cents,
            months_in_arrears: months,
            received_on: month,
            end_of_supply_on: None,
            threat,
        };
        match cases.get(&(key.to_owned(), month)) {
            Some(&i) if out.cases[i].outcome != outcome => {
                let first = out.cases[i].line;
                let (name, found) = get("outcome");
                let problem = Problem::OutcomeDiffers {
                    found: found.to_owned(),
                    first,
                };
                fault(&mut out, line, Some(name), problem);
            }
            Some(&i) => out.cases[i].signals.push(signal),
            None => {
                cases.insert((key.to_owned(), month), out.cases.len());
                out.cases.push(HistoryCase {
                    line,
                    key: key.to_owned(),
                    month,
                    signals: vec![signal],
                    outcome,
                });
            }
        }
    }
    out
}
