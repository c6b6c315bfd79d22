//! The monthly vroegsignalering file: one line per signal a creditor sent (docs/administration.md), in
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
//! `amount_eur`, `months_in_arrears`, `received_on`, `end_of_supply_on`, `threat`, `bsn`,
//! `name`, `postcode`, `house_number`, `birth_date`); `einde_levering` may be left out.
//!
//! A signal names the person as the creditor knows them, in any of three ways: the BSN
//! (`bsn`; health insurers have it, through the CAK); name, postcode, house number and birth
//! date (`naam`, `postcode`, `huisnummer`, `geboortedatum`; landlords, energy and water
//! companies); or oordeel's own pseudonym (`huishouden`, as the demo writes its files). A file
//! needs the columns of at least one way, and each line the cells of one. How a signal is
//! matched to a household is `store::signals`'s business (BSN first, then the address and
//! birth date); a line whose BSN, postcode or date is malformed is a fault of the file. `soort` is `huur`/`rent`, `energie`/`energy`, `water`,
//! `zorgverzekering`/`health_insurance`; `dreiging` (the creditor announced eviction, a
//! cut-off or cancellation of insurance) is `ja`/`nee`, `yes`/`no`, `1`/`0`, or an empty cell
//! (no). A signal dated after `today` is refused: a file cannot hold tomorrow's letters.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::address;
use super::household::{CreditorType, Signal};
use super::import::{DecimalMark, FileError, Problem, parse_bsn, parse_date, parse_number};

/// The columns: (Dutch name, English name, required).
pub const COLUMNS: [(&str, &str, bool); 13] = [
    ("soort", "creditor_type", true),
    ("schuldeiser", "creditor", true),
    ("huishouden", "household", false),
    ("bedrag", "amount_eur", true),
    ("maanden", "months_in_arrears", true),
    ("datum", "received_on", true),
    ("einde_levering", "end_of_supply_on", false),
    // Required: a file that lost this column would give every threatened household four
    // weeks instead of three working days, without a word.
    ("dreiging", "threat", true),
    ("bsn", "bsn", false),
    ("naam", "name", false),
    ("postcode", "postcode", false),
    ("huisnummer", "house_number", false),
    ("geboortedatum", "birth_date", false),
];

/// The columns the demo writes (`write`): the pseudonym's way, the first eight.
const WRITTEN: usize = 8;

/// Who a signal is about, as the creditor named them (any of the three ways may be there;
/// canonical forms: `domain::address`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SignalIdentity {
    /// oordeel's pseudonym (`H-04821`): the demo's files and tests.
    pub household: Option<String>,
    pub bsn: Option<String>,
    pub name: Option<String>,
    pub postcode: Option<String>,
    pub house_number: Option<String>,
    pub birth_date: Option<NaiveDate>,
}

impl SignalIdentity {
    /// Postcode, house number and birth date, when the creditor gave all three.
    pub fn address(&self) -> Option<(&str, &str, NaiveDate)> {
        match (&self.postcode, &self.house_number, self.birth_date) {
            (Some(p), Some(n), Some(d)) => Some((p, n, d)),
            _ => None,
        }
    }
}

/// One signal of the file, and who it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalRow {
    pub line: u64,
    pub identity: SignalIdentity,
    pub signal: Signal,
}

/// Where each column is in the header (`None`: an optional column left out). A missing
/// required column, or no column to say who a signal is about, is a fault naming the
/// header's columns.
pub fn header(file: &str, fields: &[String]) -> Result<[Option<usize>; 13], FileError> {
    let mut at = [None; 13];
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
    // A column oordeel does not read is refused, not skipped: a misspelt `einde_levering`
    // would lose every end-of-supply date without a word.
    if let Some(unknown) = fields
        .iter()
        .map(|f| f.trim().trim_start_matches('\u{feff}'))
        .find(|f| {
            !COLUMNS
                .iter()
                .any(|(nl, en, _)| f.eq_ignore_ascii_case(nl) || f.eq_ignore_ascii_case(en))
        })
    {
        let known = COLUMNS
            .iter()
            .map(|(nl, _, _)| *nl)
            .collect::<Vec<_>>()
            .join(", ");
        return Err(FileError {
            file: file.to_owned(),
            line: 1,
            column: Some(unknown.to_owned()),
            problem: Problem::SignalUnknownColumn { known },
        });
    }
    let by_address = at[10].is_some() && at[11].is_some() && at[12].is_some();
    if at[2].is_none() && at[8].is_none() && !by_address {
        return Err(FileError {
            file: file.to_owned(),
            line: 1,
            column: None,
            problem: Problem::SignalIdentityColumns {
                columns: fields.join(", "),
            },
        });
    }
    Ok(at)
}

/// Reads one data record into a signal, or every fault in it.
pub fn row(
    file: &str,
    line: u64,
    fields: &[String],
    at: &[Option<usize>; 13],
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
    let given = |column: usize| cell(column).filter(|c| !c.is_empty());
    let household = given(2);
    let name = given(9);
    for (column, text) in [(1, creditor), (2, household), (9, name)] {
        if let Some(c) = text.and_then(|t| t.chars().find(|c| super::text::needs_escape(*c))) {
            fault(column, Problem::Hidden { code: c as u32 });
        }
    }
    let bsn = given(8).and_then(|b| {
        let found = parse_bsn(b);
        if found.is_none() {
            fault(
                8,
                Problem::Bsn {
                    found: b.to_owned(),
                },
            );
        }
        found
    });
    let postcode = given(10).and_then(|p| {
        let found = address::postcode(p);
        if found.is_none() {
            fault(
                10,
                Problem::Postcode {
                    found: p.to_owned(),
                },
            );
        }
        found
    });
    let house_number = given(11).and_then(|n| {
        let found = address::house_number(n);
        if found.is_none() {
            fault(
                11,
                Problem::HouseNumber {
                    found: n.to_owned(),
                },
            );
        }
        found
    });
    let birth_date = given(12).and_then(|d| match parse_date(d) {
        Some(born) if born <= today => Some(born),
        Some(_) => {
            let found = d.to_owned();
            fault(12, Problem::FutureDate { found });
            None
        }
        None => {
            let found = d.to_owned();
            fault(12, Problem::Date { found });
            None
        }
    });
    // A cell given but malformed was a fault above; say "names nobody" only otherwise.
    let bad = (given(8).is_some() && bsn.is_none())
        || (given(10).is_some() && postcode.is_none())
        || (given(11).is_some() && house_number.is_none())
        || (given(12).is_some() && birth_date.is_none());
    let identity = SignalIdentity {
        household: household.map(str::to_owned),
        bsn,
        name: name.map(str::to_owned),
        postcode,
        house_number,
        birth_date,
    };
    let partly = [8, 10, 11, 12].iter().any(|&c| given(c).is_some());
    if !bad
        && identity.household.is_none()
        && identity.bsn.is_none()
        && identity.address().is_none()
    {
        let column = if partly { 10 } else { 2 };
        fault(column, Problem::SignalIdentity);
    }
    if !faults.is_empty() {
        return Err(faults);
    }
    match (kind, creditor, amount_cents, months, received_on, threat) {
        (Some(kind), Some(creditor), Some(cents), Some(months), Some(on), Some(threat)) => {
            Ok(SignalRow {
                line,
                identity,
                signal: Signal {
                    creditor_type: kind,
                    creditor: creditor.to_owned(),
                    amount_cents: cents,
                    months_in_arrears: months,
                    received_on: on,
                    end_of_supply_on,
                    threat,
                },
            })
        }
        _ => unreachable!("every missing value was a fault"),
    }
}

pub fn creditor_type(text: &str) -> Option<CreditorType> {
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
    let names: Vec<&str> = COLUMNS[..WRITTEN].iter().map(|(nl, _, _)| *nl).collect();
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
        assert_eq!(r.identity.household.as_deref(), Some("H-00001"));
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
        let nobody = "soort;schuldeiser;bedrag;maanden;datum;dreiging;naam";
        let missing = header("s.csv", &fields(nobody)).unwrap_err();
        assert!(matches!(
            missing.problem,
            Problem::SignalIdentityColumns { .. }
        ));
        let no_threat = "soort;schuldeiser;huishouden;bedrag;maanden;datum;einde_levering";
        let missing = header("s.csv", &fields(no_threat)).unwrap_err();
        assert_eq!(missing.column.as_deref(), Some("dreiging"));
    }

    #[test]
    fn a_creditor_names_the_person_by_bsn_or_by_address_and_birth_date() {
        let head = fields(
            "soort;schuldeiser;bsn;naam;postcode;huisnummer;geboortedatum;bedrag;maanden;datum;dreiging",
        );
        let at = header("s.csv", &head).unwrap();
        let read = |line: &str| row("s.csv", 2, &fields(line), &at, DecimalMark::Comma, TODAY);
        let by_bsn = read("zorgverzekering;CZ;11222311;;;;;135,00;1;02-04-2027;nee").unwrap();
        assert_eq!(by_bsn.identity.bsn.as_deref(), Some("011222311"));
        let by_address =
            read("huur;Woonstad;;J. de Vries;8911 ab;12 a;14-02-1979;650,00;2;02-04-2027;nee")
                .unwrap();
        assert_eq!(
            by_address.identity.address(),
            Some(("8911AB", "12A", "1979-02-14".parse().unwrap()))
        );
        assert_eq!(by_address.identity.name.as_deref(), Some("J. de Vries"));
        // Half an address names nobody; a bad BSN or postcode is a fault of its own.
        let half = read("huur;Woonstad;;J. de Vries;8911 ab;;;650,00;2;02-04-2027;nee");
        assert!(matches!(
            half.unwrap_err()[0].problem,
            Problem::SignalIdentity
        ));
        let bad = read("huur;Woonstad;123456789;;0911 ab;;;650,00;2;02-04-2027;nee").unwrap_err();
        let columns: Vec<_> = bad.iter().map(|f| f.column.clone().unwrap()).collect();
        assert_eq!(columns, ["bsn", "postcode"]);
    }
}
