//! From a household extract's header and rows to typed households, through a household
//! profile; every fault collected and named by file, line and column, as for every import.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{HouseholdColumn, HouseholdProfile};
use crate::domain::address;
use crate::domain::household::{
    Household, HouseholdType, IncomeSource, PersonalData, ProtectedAttributes, age_band,
};
use crate::domain::import::cells::{parse_bsn, parse_date};
use crate::domain::import::error::{FileError, Problem};
use crate::domain::import::rows::{MAX_ID_CHARS, keep_fault, layout};
use crate::domain::role::valid_team_name;
use crate::domain::text::first_hidden_char;

/// Names, streets and cities longer than this are refused: a cell is not a letter.
const MAX_TEXT_CHARS: usize = 120;

/// One household of the extract, typed.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdRecord {
    /// The physical line the row starts on.
    pub line: u64,
    /// The household's key in the municipality's systems.
    pub key: String,
    /// The household's facts; its pseudonym is left empty (the store gives one).
    pub household: Household,
    /// The team that handles its cases, when the extract names one apart from the district.
    pub team: Option<String>,
    pub personal: PersonalData,
    /// Canonical, for matching signals: `7512JN`, `12A`.
    pub postcode: String,
    pub house_number: String,
    pub protected: ProtectedAttributes,
}

/// An extract read through a profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadHouseholds {
    /// Data rows read (the header not counted).
    pub rows: usize,
    pub records: Vec<HouseholdRecord>,
    /// The first `ERROR_LIMIT` faults, in file order.
    pub errors: Vec<FileError>,
    pub error_count: usize,
}

/// Reads rows one at a time into households, collecting faults.
pub struct HouseholdReader<'p> {
    file: String,
    /// The day age bands are counted on (the import's).
    today: NaiveDate,
    /// Per field of the header: the column's name and role (`None`: ignored).
    layout: Vec<Option<(&'p str, &'p HouseholdColumn)>>,
    seen: HashMap<String, u64>,
    /// BSN → the line it was first on.
    seen_bsn: HashMap<String, u64>,
    out: ReadHouseholds,
}

/// The cells of one row, by role.
#[derive(Default)]
struct Cells<'r> {
    by_role: HashMap<&'static str, (&'r str, &'r str)>,
}

impl<'r> Cells<'r> {
    fn get(&self, role: &str) -> Option<(&'r str, &'r str)> {
        self.by_role.get(role).copied()
    }
}

impl<'p> HouseholdReader<'p> {
    /// Matches the header (at `line`) with the profile, as every import does.
    pub fn new(
        profile: &'p HouseholdProfile,
        file: &str,
        today: NaiveDate,
        line: u64,
        header: &[String],
    ) -> HouseholdReader<'p> {
        let mut reader = HouseholdReader {
            file: file.to_owned(),
            today,
            layout: Vec::new(),
            seen: HashMap::new(),
            seen_bsn: HashMap::new(),
            out: ReadHouseholds::default(),
        };
        let faults;
        (reader.layout, faults) = layout(
            &profile.columns,
            &HouseholdColumn::Ignore,
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
            return self.fault(line, None, problem);
        }
        let mut cells = Cells::default();
        for (i, field) in fields.iter().enumerate() {
            if let Some((name, column)) = self.layout[i] {
                cells.by_role.insert(column.role(), (name, field.trim()));
            }
        }
        let before = self.out.error_count;
        let record = self.record(line, &cells);
        if self.out.error_count > before {
            return;
        }
        let Some(record) = record else { return };
        if let Some(&first) = self.seen.get(&record.key) {
            let column = cells.get("key").map(|(n, _)| n);
            let found = record.key.clone();
            return self.fault(line, column, Problem::DuplicateId { found, first });
        }
        if let Some(&first) = self.seen_bsn.get(&record.personal.bsn) {
            let column = cells.get("bsn").map(|(n, _)| n);
            return self.fault(line, column, Problem::DuplicateBsn { first });
        }
        self.seen.insert(record.key.clone(), line);
        self.seen_bsn.insert(record.personal.bsn.clone(), line);
        self.out.records.push(record);
    }

    /// The row's household, every fault in it reported (`None` after any).
    fn record(&mut self, line: u64, cells: &Cells<'_>) -> Option<HouseholdRecord> {
        let today = self.today;
        let mut faults: Vec<(&str, Problem)> = Vec::new();
        let mut check = |role: &str, read: &dyn Fn(&str) -> Result<(), Problem>| {
            if let Some((name, text)) = cells.get(role)
                && let Err(problem) = read(text)
            {
                faults.push((name, problem));
            }
        };
        let required = |text: &str| {
            if text.is_empty() {
                Err(Problem::Required)
            } else {
                Ok(())
            }
        };
        check("key", &|t| {
            required(t)?;
            plain(t, MAX_ID_CHARS)
        });
        for role in ["name", "street"] {
            check(role, &|t| {
                required(t)?;
                plain(t, MAX_TEXT_CHARS)
            });
        }
        check("city", &|t| plain(t, MAX_TEXT_CHARS));
        check("bsn", &|t| {
            parse_bsn(t).map(|_| ()).ok_or_else(|| Problem::Bsn {
                found: t.to_owned(),
            })
        });
        check("postcode", &|t| {
            address::postcode(t)
                .map(|_| ())
                .ok_or_else(|| Problem::Postcode {
                    found: t.to_owned(),
                })
        });
        check("house_number", &|t| {
            address::house_number(t)
                .map(|_| ())
                .ok_or_else(|| Problem::HouseNumber {
                    found: t.to_owned(),
                })
        });
        check("birth_date", &|t| match parse_date(t) {
            Some(d) if d <= today => Ok(()),
            Some(_) => Err(Problem::FutureDate {
                found: t.to_owned(),
            }),
            None => Err(Problem::Date {
                found: t.to_owned(),
            }),
        });
        check("children", &|t| match t.parse::<u8>() {
            Ok(n) if n <= 20 => Ok(()),
            _ => Err(Problem::Children {
                found: t.to_owned(),
            }),
        });
        for role in ["district", "team"] {
            check(role, &|t| {
                if valid_team_name(t) {
                    Ok(())
                } else {
                    Err(Problem::Team {
                        found: t.to_owned(),
                    })
                }
            });
        }
        // Coded roles: the cell must be listed under one of the codes.
        let mut coded: HashMap<&'static str, String> = HashMap::new();
        for column in self.layout.iter().flatten().map(|(_, c)| *c) {
            let Some((_, codes)) = column.codes() else {
                continue;
            };
            let Some((name, text)) = cells.get(column.role()) else {
                continue;
            };
            match codes
                .iter()
                .find(|(_, listed)| listed.iter().any(|c| c == text))
            {
                Some((code, _)) => {
                    coded.insert(column.role(), code.clone());
                }
                None => {
                    let allowed = codes
                        .values()
                        .flatten()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let found = text.to_owned();
                    faults.push((name, Problem::Category { found, allowed }));
                }
            }
        }
        // A single person with children, or a single parent without any, is a row to fix
        // at the source: the model would learn from a household that is not there.
        if let (Some(kind), Some((_, composition)), Some((column, count))) = (
            coded
                .get("household_type")
                .and_then(|c| HouseholdType::from_code(c)),
            cells.get("household_type"),
            cells.get("children"),
        ) && let Ok(children) = count.parse::<u8>()
            && !kind.fits_children(children)
        {
            let composition = (*composition).to_owned();
            faults.push((
                column,
                Problem::Composition {
                    composition,
                    children,
                },
            ));
        }
        if !faults.is_empty() {
            for (name, problem) in faults {
                self.fault(line, Some(name), problem);
            }
            return None;
        }
        let text = |role: &str| cells.get(role).map(|(_, t)| t).unwrap_or_default();
        let yes = |role: &str| coded.get(role).is_some_and(|c| c == "yes");
        let birth_date = parse_date(text("birth_date"))?;
        let postcode = address::postcode(text("postcode"))?;
        let house_number = address::house_number(text("house_number"))?;
        let protected = |role: &str| coded.get(role).cloned();
        Some(HouseholdRecord {
            line,
            key: text("key").to_owned(),
            household: Household {
                pseudonym: String::new(),
                household_type: coded
                    .get("household_type")
                    .and_then(|c| HouseholdType::from_code(c))?,
                children: text("children").parse().ok()?,
                income_source: coded
                    .get("income_source")
                    .and_then(|c| IncomeSource::from_code(c))?,
                district: text("district").to_owned(),
                earlier_debt_help: yes("earlier_debt_help"),
                known_to_district_team: yes("known_to_district_team"),
                wmo_youth_support: yes("wmo_youth_support"),
            },
            team: cells.get("team").map(|(_, t)| t.to_owned()),
            personal: PersonalData {
                name: text("name").to_owned(),
                bsn: parse_bsn(text("bsn"))?,
                address: address::compose(text("street"), &house_number, &postcode, text("city")),
                birth_date,
            },
            postcode,
            house_number,
            protected: ProtectedAttributes {
                gender: protected("gender").unwrap_or_else(|| "unknown".into()),
                age_band: protected("age_band")
                    .unwrap_or_else(|| age_band(birth_date, today).to_owned()),
                migration_background: protected("migration_background")
                    .unwrap_or_else(|| "unknown".into()),
            },
        })
    }

    pub fn finish(self) -> ReadHouseholds {
        self.out
    }
}

/// Text without hidden characters, at most `max` characters.
fn plain(text: &str, max: usize) -> Result<(), Problem> {
    if let Some(c) = first_hidden_char(text) {
        return Err(Problem::Hidden { code: c as u32 });
    }
    if text.chars().count() > max {
        return Err(Problem::TooLong { max });
    }
    Ok(())
}
