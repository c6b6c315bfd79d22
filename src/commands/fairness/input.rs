//! Reading an external caseload for `report fairness --input`: a CSV file with an id, one or
//! more group columns, an outcome (0/1) and a score. Every fault is refused with the file,
//! line and column, so whoever exported it can fix it.

use std::collections::HashMap;
use std::path::Path;

use color_eyre::eyre::{Result, eyre};

use crate::domain::fairness::AuditRow;
use crate::i18n::tf;

/// The columns to read.
pub struct InputColumns<'a> {
    pub id: &'a str,
    pub groups: &'a [String],
    pub outcome: &'a str,
    pub score: &'a str,
}

/// The rows of `path`, in file order.
pub fn read(path: &Path, columns: &InputColumns<'_>) -> Result<Vec<AuditRow>> {
    let file = path.display();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| {
            eyre!(tf(
                "cli.fairness.input.unreadable",
                &[("path", &file), ("cause", &e)]
            ))
        })?;
    let csv_error = |e: csv::Error| {
        let line = e.position().map(|p| p.line()).unwrap_or(1);
        eyre!(tf(
            "cli.fairness.input.unreadable_line",
            &[("path", &file), ("line", &line), ("cause", &e)]
        ))
    };
    let header = reader.headers().map_err(csv_error)?.clone();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(eyre!(tf("cli.fairness.input.empty", &[("path", &file)])));
    }
    let position = |name: &str| {
        header.iter().position(|h| h.trim() == name).ok_or_else(|| {
            eyre!(tf(
                "cli.fairness.input.no_column",
                &[
                    ("path", &file),
                    ("column", &name),
                    ("columns", &header.iter().collect::<Vec<_>>().join(", ")),
                ]
            ))
        })
    };
    let id = position(columns.id)?;
    let groups: Vec<(usize, &str)> = columns
        .groups
        .iter()
        .map(|g| position(g).map(|i| (i, g.as_str())))
        .collect::<Result<_>>()?;
    let outcome = position(columns.outcome)?;
    let score = position(columns.score)?;

    let mut rows = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let field = |i: usize, name: &str| {
            record.get(i).map(str::trim).ok_or_else(|| {
                eyre!(tf(
                    "cli.fairness.input.missing_field",
                    &[("path", &file), ("line", &line), ("column", &name)]
                ))
            })
        };
        let bad = |key: &str, name: &str, value: &str| {
            eyre!(tf(
                key,
                &[
                    ("path", &file),
                    ("line", &line),
                    ("column", &name),
                    ("value", &value)
                ]
            ))
        };
        let id_value = field(id, columns.id)?;
        if id_value.is_empty() {
            return Err(bad("cli.fairness.input.empty_value", columns.id, id_value));
        }
        if let Some(first) = first_line.insert(id_value.to_owned(), line) {
            return Err(eyre!(tf(
                "cli.fairness.input.duplicate_id",
                &[
                    ("path", &file),
                    ("line", &line),
                    ("column", &columns.id),
                    ("value", &id_value),
                    ("first", &first)
                ]
            )));
        }
        let mut values = Vec::with_capacity(groups.len());
        for &(i, name) in &groups {
            let value = field(i, name)?;
            if value.is_empty() {
                return Err(bad("cli.fairness.input.empty_value", name, value));
            }
            values.push(value.to_owned());
        }
        let outcome_value = field(outcome, columns.outcome)?;
        let outcome = match outcome_value {
            "1" => true,
            "0" => false,
            other => {
                return Err(bad(
                    "cli.fairness.input.bad_outcome",
                    columns.outcome,
                    other,
                ));
            }
        };
        let score_value = field(score, columns.score)?;
        let score = score_value
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite())
            .ok_or_else(|| bad("cli.fairness.input.bad_score", columns.score, score_value))?;
        rows.push(AuditRow {
            groups: values,
            outcome,
            score,
        });
    }
    if rows.is_empty() {
        return Err(eyre!(tf("cli.fairness.input.empty", &[("path", &file)])));
    }
    Ok(rows)
}
