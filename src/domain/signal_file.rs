//! The monthly vroegsignalering file: one line per signal a creditor sent (DESIGN.md §2), in
//! the Dutch file conventions the importer reads (`,` or `;`, decimal comma or point, UTF-8 or
//! Windows-1252, `dd-mm-jjjj` or ISO dates). `oordeel signals import` reads it and the demo
//! writes it (`oordeel demo --signal-file`). No I/O here: rows in, typed signals or faults out.
//!
//! ```text
//! soort;schuldeiser;huishouden;bedrag;maanden;datum;einde_levering;dreiging
//! huur;Woonstad Voorbeeldstad;H-04821;1.234,56;3;22-04-2027;;ja
//! energie;Vattenfall;H-01377;410,00;2;23-04-2027;15-05-2027;ja
//! ```
//!
//! Each column may also carry its English name (`creditor_type`, `creditor`, `household`,
//! `amount_eur`, `months_in_arrears`, `received_on`, `end_of_supply_on`, `threat`);
//! `einde_levering` may be left out. `soort` is `huur`/`rent`, `energie`/`energy`, `water`,
//! `zorgverzekering`/`health_insurance`; `dreiging` (the creditor announced eviction, a
//! cut-off or cancellation of insurance) is `ja`/`nee`, `yes`/`no`, `1`/`0`, or an empty cell
//! (no). A signal dated after `today` is refused: a file cannot hold tomorrow's letters.

use super::household::{CreditorType, Signal};
use super::import::{DecimalMark, FileError, Problem, parse_date, parse_number};

/// The columns: (Dutch name, English name, required).
pub const COLUMNS: [(&str, &str, bool); 8] = [
    ("soort", "creditor_type", true),
    ("schuldeiser", "creditor", true),
    ("huishouden", "household", true),
    ("bedrag", "amount_eur", true),
    ("maanden", "months_in_arrears", true),
    ("datum", "received_on", true),
    ("einde_levering", "end_of_supply_on", false),
    // Required: a file that lost this column would give every threatened household four
    // weeks instead of three working days, without a word.
    ("dreiging", "threat", true),
];

/// One signal of the file, for the household with this pseudonym.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalRow {
    pub line: u64,
    pub household: String,
    pub signal: Signal,
}

/// Where each column is in the header (`None`: an optional column left out). A missing
/// required column is a fault naming the header's columns.
pub fn header(file: &str, fields: &[String]) -> Result<[Option<usize>; 8], FileError> {
    let mut at = [None; 8];
    for (i, (nl, en, required)) in COLUMNS.iter().enumerate() {
        at[i] = fields.iter().position(|f| {
            let f = f.trim().trim_start_matches('\u{feff}');
            f.eq_ignore_ascii_case(nl) || f.eq_ignore_ascii_case(en)
        });
        if at[i].is_none() && *required {
            return Err(FileError {
                file: file.to_owned(),
                line: 1,
                column: Some((*nl).to_owned()),
                problem: Problem::SignalColumn {
                    columns: fields.join(", "),
                },
            });
        }
    }
    Ok(at)
}

/// Reads one data record into a signal, or every fault in it.
pub fn row(
    file: &str,
    line: u64,
    fields: &[String],
    at: &[Option<usize>; 8],
    decimal: DecimalMark,
    today: chrono::NaiveDate,
) -> Result<SignalRow, Vec<FileError>> {
    let mut faults = Vec::new();
    let mut fault = |column: usize, problem| {
        faults.push(FileError {
            file: file.to_owned(),
            line,
            column: Some(COLUMNS[column].0.to_owned()),
            problem,
        })
    };
    let cell = |column: usize| at[column].and_then(|i| fields.get(i)).map(|c| c.trim());
    let mut required = |column: usize| match cell(column) {
        Some(c) if !c.is_empty() => Some(c),
        _ => {
            fault(column, Problem::SignalRequired);
            None
        }
    };
    let kind = required(0);
    let creditor = required(1);
    let household = required(2);
    let amount = required(3);
    let months = required(4);
    let received = required(5);
    let kind = kind.and_then(|k| {
        let found = creditor_type(k);
        if found.is_none() {
            fault(
                0,
                Problem::Category {
                    found: k.to_owned(),
                    allowed: "huur, energie, water, zorgverzekering".into(),
                },
            );
        }
        found
    });
    let amount_cents = amount.and_then(|a| match parse_number(a, decimal) {
        Some(euros) if (0.0..1e9).contains(&euros) => Some((euros * 100.0).round() as i64),
        _ => {
            fault(
                3,
                Problem::Number {
                    found: a.to_owned(),
                    example: decimal.example(),
                },
            );
            None
        }
    });
    let months = months.and_then(|m| match m.parse::<u32>() {
        Ok(n) if n <= 240 => Some(n),
        _ => {
            fault(
                4,
                Problem::Months {
                    found: m.to_owned(),
                },
            );
            None
        }
    });
    let received_on = received.and_then(|d| match parse_date(d) {
        None => {
            fault(
                5,
                Problem::Date {
                    found: d.to_owned(),
                },
            );
            None
        }
        Some(date) if date > today => {
            fault(
                5,
                Problem::FutureDate {
                    found: d.to_owned(),
                },
            );
            None
        }
        Some(date) => Some(date),
    });
    let end_of_supply_on = match cell(6).filter(|c| !c.is_empty()) {
        None => None,
        Some(d) => {
            let date = parse_date(d);
            if date.is_none() {
                fault(
                    6,
                    Problem::Date {
                        found: d.to_owned(),
                    },
                );
            }
            date
        }
    };
    let threat = match cell(7).map(str::to_lowercase).as_deref() {
        None | Some("" | "nee" | "no" | "0" | "n") => Some(false),
        Some("ja" | "yes" | "1" | "j" | "y") => Some(true),
        Some(other) => {
            fault(
                7,
                Problem::Category {
                    found: other.to_owned(),
                    allowed: "ja, nee".into(),
                },
            );
            None
        }
    };
    for (column, text) in [(1, creditor), (2, household)] {
        if let Some(c) = text.and_then(|t| t.chars().find(|c| super::text::needs_escape(*c))) {
            fault(column, Problem::Hidden { code: c as u32 });
        }
    }
    if !faults.is_empty() {
        return Err(faults);
    }
    match (
        kind,
        creditor,
        household,
        amount_cents,
        months,
        received_on,
        threat,
    ) {
        (
            Some(kind),
            Some(creditor),
            Some(household),
            Some(cents),
            Some(months),
            Some(on),
            Some(threat),
        ) => Ok(SignalRow {
            line,
            household: household.to_owned(),
            signal: Signal {
                creditor_type: kind,
                creditor: creditor.to_owned(),
                amount_cents: cents,
                months_in_arrears: months,
                received_on: on,
                end_of_supply_on,
                threat,
            },
        }),
        _ => unreachable!("every missing value was a fault"),
    }
}

fn creditor_type(text: &str) -> Option<CreditorType> {
    match text.to_lowercase().as_str() {
        "huur" | "rent" => Some(CreditorType::Rent),
        "energie" | "energy" => Some(CreditorType::Energy),
        "water" | "drinkwater" => Some(CreditorType::Water),
        "zorgverzekering" | "zorgverzekeraar" | "health_insurance" => {
            Some(CreditorType::HealthInsurance)
        }
        _ => None,
    }
}

/// The file as the demo writes it: Dutch column names, `;`, decimal comma, `dd-mm-jjjj`.
pub fn write(rows: &[(&str, &Signal)]) -> String {
    let mut out = String::new();
    let names: Vec<&str> = COLUMNS.iter().map(|(nl, _, _)| *nl).collect();
    out.push_str(&names.join(";"));
    out.push_str("\r\n");
    for (household, s) in rows {
        let kind = match s.creditor_type {
            CreditorType::Rent => "huur",
            CreditorType::Energy => "energie",
            CreditorType::Water => "water",
            CreditorType::HealthInsurance => "zorgverzekering",
        };
        let euros = format!("{},{:02}", s.amount_cents / 100, s.amount_cents % 100);
        let date = |d: chrono::NaiveDate| d.format("%d-%m-%Y").to_string();
        let creditor = if s.creditor.contains([';', '"', '\n', '\r']) {
            format!("\"{}\"", s.creditor.replace('"', "\"\""))
        } else {
            s.creditor.clone()
        };
        out.push_str(&format!(
            "{kind};{creditor};{household};{euros};{};{};{};{}\r\n",
            s.months_in_arrears,
            date(s.received_on),
            s.end_of_supply_on.map(date).unwrap_or_default(),
            if s.threat { "ja" } else { "nee" },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: chrono::NaiveDate = chrono::NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();

    fn fields(line: &str) -> Vec<String> {
        line.split(';').map(str::to_owned).collect()
    }

    #[test]
    fn a_line_reads_into_a_signal_and_back() {
        let head =
            fields("soort;schuldeiser;huishouden;bedrag;maanden;datum;einde_levering;dreiging");
        let at = header("s.csv", &head).unwrap();
        let r = row(
            "s.csv",
            2,
            &fields("energie;Vattenfall;H-00001;1.234,56;3;22-04-2027;15-05-2027;ja"),
            &at,
            DecimalMark::Comma,
            TODAY,
        )
        .unwrap();
        assert_eq!(r.household, "H-00001");
        assert_eq!(r.signal.amount_cents, 123_456);
        assert_eq!(r.signal.received_on.to_string(), "2027-04-22");
        assert!(r.signal.threat);
        let text = write(&[("H-00001", &r.signal)]);
        let line = text.lines().nth(1).unwrap();
        let again = row("s.csv", 2, &fields(line), &at, DecimalMark::Comma, TODAY).unwrap();
        assert_eq!(again.signal, r.signal);
    }

    #[test]
    fn every_fault_of_a_line_is_named() {
        let head = fields(
            "creditor_type;creditor;household;amount_eur;months_in_arrears;received_on;threat",
        );
        let at = header("s.csv", &head).unwrap();
        let faults = row(
            "s.csv",
            7,
            &fields("gas;;H-00001;12,5x;-1;31-02-2027;misschien"),
            &at,
            DecimalMark::Comma,
            TODAY,
        )
        .unwrap_err();
        let columns: Vec<_> = faults.iter().map(|f| f.column.clone().unwrap()).collect();
        assert_eq!(
            columns,
            [
                "schuldeiser",
                "soort",
                "bedrag",
                "maanden",
                "datum",
                "dreiging"
            ]
        );
        assert!(faults.iter().all(|f| f.line == 7));
        // Tomorrow's letter, and an escape sequence in the creditor's name.
        let faults = row(
            "s.csv",
            8,
            &fields("huur;Evil\u{1b}[2J;H-00001;10;1;01-01-2028;nee"),
            &at,
            DecimalMark::Comma,
            TODAY,
        )
        .unwrap_err();
        assert!(
            faults
                .iter()
                .any(|f| matches!(f.problem, Problem::FutureDate { .. })),
            "{faults:?}"
        );
        assert!(
            faults
                .iter()
                .any(|f| f.problem == Problem::Hidden { code: 0x1b })
        );
        let missing = header("s.csv", &fields("soort;huishouden")).unwrap_err();
        assert_eq!(missing.column.as_deref(), Some("schuldeiser"));
        let no_threat = "soort;schuldeiser;huishouden;bedrag;maanden;datum;einde_levering";
        let missing = header("s.csv", &fields(no_threat)).unwrap_err();
        assert_eq!(missing.column.as_deref(), Some("dreiging"));
    }
}
