//! What can be wrong with an imported file or its profile, said so that whoever exported the
//! file can fix it: `FILE:LINE: column NAME: expected ..., found ...`. The texts live under
//! `[import]` in `assets/strings.toml`.

use std::fmt;

use crate::i18n::{t, tf};

/// Found values are quoted in messages at most this long (a cell can hold a whole letter).
const SHOWN_CHARS: usize = 40;

/// One fault in a file, at a line (1-based, the physical line where the record starts) and
/// usually a column.
#[derive(Debug, Clone, PartialEq)]
pub struct FileError {
    pub file: String,
    pub line: u64,
    pub column: Option<String>,
    pub problem: Problem,
}

/// What is wrong. Each variant is one class of message.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A UTF-16 byte-order mark: Excel's "Unicode text", which is not CSV.
    Utf16,
    /// Bytes that are not UTF-8 in a file the profile says is UTF-8.
    NotUtf8,
    /// UTF-8 letters beyond ASCII in a file the profile says is Windows-1252: read that way
    /// every `ë` would be stored as `Ã«`.
    Utf8NotWindows1252 {
        example: String,
    },
    /// UTF-8 that was converted to UTF-8 once more (`Joël` stored as `JoÃ«l`): every name
    /// with a letter beyond ASCII is garbled, and no signal would match it.
    DoubleEncoded {
        example: String,
    },
    /// No header line at all.
    Empty,
    /// The file is not CSV as the reader understands it.
    Csv(String),
    /// The same column name twice in the header.
    DuplicateHeader,
    /// A column the profile maps is not in the header (`columns`: the header's).
    MissingColumn {
        columns: String,
    },
    /// A column in the file the profile does not mention.
    Unmapped,
    /// Fewer or more fields than the header has.
    FieldCount {
        expected: usize,
        found: usize,
    },
    /// An empty cell where a value is required.
    Required,
    Number {
        found: String,
        example: &'static str,
    },
    Date {
        found: String,
    },
    Bsn {
        found: String,
    },
    /// A value outside the profile's list (`allowed`: the list).
    Category {
        found: String,
        allowed: String,
    },
    Outcome {
        found: String,
        allowed: String,
    },
    Range {
        found: String,
        min: f64,
        max: f64,
    },
    /// The id was seen before, on line `first`.
    DuplicateId {
        found: String,
        first: u64,
    },
    /// A composition that does not fit the number of children (`composition`: the cell).
    Composition {
        composition: String,
        children: u8,
    },
    /// The BSN was on line `first` already: one row per person (not shown: it is personal).
    DuplicateBsn {
        first: u64,
    },
    /// A control, bidi or invisible character in an id or team (`code`: its code point).
    Hidden {
        code: u32,
    },
    Team {
        found: String,
    },
    /// A value longer than `max` characters.
    TooLong {
        max: usize,
    },
    /// A signal file lacks a column its format needs (`columns`: the header's).
    /// A signal file's column that is none of the columns oordeel reads (`known`).
    SignalUnknownColumn {
        known: String,
    },
    SignalColumn {
        columns: String,
    },
    /// A signal file has no column to say who a signal is about.
    SignalIdentityColumns {
        columns: String,
    },
    /// A line of a signal file says who it is about in no complete way.
    SignalIdentity,
    /// An empty cell in a signal file where the format needs a value.
    SignalRequired,
    /// A household reference no household in the database has.
    UnknownHousehold {
        found: String,
    },
    /// Months in arrears that are not a whole number from 0 to 240.
    Months {
        found: String,
    },
    /// A date after today.
    FutureDate {
        found: String,
    },
    /// Not a month (`mm-jjjj`, `jjjj-mm` or a date), or one still to come.
    Month {
        found: String,
    },
    /// A row of a past case with another outcome than the case's first row (`first`).
    OutcomeDiffers {
        found: String,
        first: u64,
    },
    /// A key no household of the database has.
    UnknownKey {
        found: String,
    },
    /// The store refused a row (an outcome for a case that cannot have it): its sentence.
    Refused {
        why: String,
    },
    /// Not a Dutch postcode (four digits, the first not 0, and two letters).
    Postcode {
        found: String,
    },
    /// Not a house number (a digit first, then digits, letters, `-` or `/`).
    HouseNumber {
        found: String,
    },
    /// Children that are not a whole number from 0 to 20.
    Children {
        found: String,
    },
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = match &self.column {
            Some(column) => tf(
                "import.at_column",
                &[
                    ("file", &self.file),
                    ("line", &self.line),
                    ("column", column),
                ],
            ),
            None => tf("import.at", &[("file", &self.file), ("line", &self.line)]),
        };
        f.write_str(&at)?;
        f.write_str(&self.problem.to_string())
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Problem::Utf16 => t("import.problem.utf16").to_owned(),
            Problem::NotUtf8 => t("import.problem.not_utf8").to_owned(),
            Problem::Utf8NotWindows1252 { example } => tf(
                "import.problem.utf8_not_windows_1252",
                &[("example", example)],
            ),
            Problem::DoubleEncoded { example } => {
                tf("import.problem.double_encoded", &[("example", example)])
            }
            Problem::Empty => t("import.problem.empty").to_owned(),
            Problem::Csv(cause) => tf("import.problem.csv", &[("cause", cause)]),
            Problem::DuplicateHeader => t("import.problem.duplicate_header").to_owned(),
            Problem::MissingColumn { columns } => {
                tf("import.problem.missing_column", &[("columns", columns)])
            }
            Problem::Unmapped => t("import.problem.unmapped").to_owned(),
            Problem::FieldCount { expected, found } => tf(
                "import.problem.field_count",
                &[("expected", expected), ("found", found)],
            ),
            Problem::Required => t("import.problem.required").to_owned(),
            Problem::Number { found, example } => tf(
                "import.problem.number",
                &[("example", example), ("found", &shown(found))],
            ),
            Problem::Date { found } => tf("import.problem.date", &[("found", &shown(found))]),
            Problem::Bsn { found } => tf("import.problem.bsn", &[("found", &shown(found))]),
            Problem::Category { found, allowed } => tf(
                "import.problem.category",
                &[("allowed", allowed), ("found", &shown(found))],
            ),
            Problem::Outcome { found, allowed } => tf(
                "import.problem.outcome",
                &[("allowed", allowed), ("found", &shown(found))],
            ),
            Problem::Range { found, min, max } => tf(
                "import.problem.range",
                &[("min", min), ("max", max), ("found", &shown(found))],
            ),
            Problem::DuplicateId { found, first } => tf(
                "import.problem.duplicate_id",
                &[("first", first), ("found", &shown(found))],
            ),
            Problem::Composition {
                composition,
                children,
            } => tf(
                "import.problem.composition",
                &[("composition", &shown(composition)), ("children", children)],
            ),
            Problem::DuplicateBsn { first } => {
                tf("import.problem.duplicate_bsn", &[("first", first)])
            }
            Problem::Hidden { code } => tf(
                "import.problem.hidden",
                &[("code", &format!("U+{code:04X}"))],
            ),
            Problem::Team { found } => tf("import.problem.team", &[("found", &shown(found))]),
            Problem::TooLong { max } => tf("import.problem.too_long", &[("max", max)]),
            Problem::SignalUnknownColumn { known } => {
                tf("import.problem.signal_unknown_column", &[("known", known)])
            }
            Problem::SignalColumn { columns } => {
                tf("import.problem.signal_column", &[("columns", columns)])
            }
            Problem::SignalRequired => t("import.problem.signal_required").to_owned(),
            Problem::SignalIdentityColumns { columns } => tf(
                "import.problem.signal_identity_columns",
                &[("columns", columns)],
            ),
            Problem::SignalIdentity => t("import.problem.signal_identity").to_owned(),
            Problem::UnknownHousehold { found } => tf(
                "import.problem.unknown_household",
                &[("found", &shown(found))],
            ),
            Problem::Months { found } => tf("import.problem.months", &[("found", &shown(found))]),
            Problem::FutureDate { found } => {
                tf("import.problem.future_date", &[("found", &shown(found))])
            }
            Problem::Month { found } => tf("import.problem.month", &[("found", &shown(found))]),
            Problem::OutcomeDiffers { found, first } => tf(
                "import.problem.outcome_differs",
                &[("found", &shown(found)), ("first", first)],
            ),
            Problem::Refused { why } => why.clone(),
            Problem::UnknownKey { found } => {
                tf("import.problem.unknown_key", &[("found", &shown(found))])
            }
            Problem::Postcode { found } => {
                tf("import.problem.postcode", &[("found", &shown(found))])
            }
            Problem::HouseNumber { found } => {
                tf("import.problem.house_number", &[("found", &shown(found))])
            }
            Problem::Children { found } => {
                tf("import.problem.children", &[("found", &shown(found))])
            }
        };
        f.write_str(&text)
    }
}

/// A found value as quoted in a message: cut to a readable length, an empty cell said in
/// words, and line breaks, controls and bidi characters written as `\u{..}`, so a message
/// stays one line that reads the same on any terminal.
fn shown(found: &str) -> String {
    if found.is_empty() {
        return t("import.empty_cell").to_owned();
    }
    let mut text: String = found
        .chars()
        .take(SHOWN_CHARS)
        .flat_map(|c| {
            let escaped = crate::domain::text::needs_escape(c);
            let (plain, escape) = if escaped {
                (None, Some(c.escape_unicode()))
            } else {
                (Some(c), None)
            };
            plain.into_iter().chain(escape.into_iter().flatten())
        })
        .collect();
    if found.chars().count() > SHOWN_CHARS {
        text.push('…');
    }
    format!("`{text}`")
}

/// What is wrong with a profile (the TOML file mapping columns to roles).
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileError {
    pub file: String,
    pub problem: ProfileProblem,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ProfileProblem {
    /// Not TOML, an unknown key, a wrong type: the parser's message names the key and line.
    Toml(String),
    /// No column has the role `id`.
    NoId,
    /// Two columns have a role there may be one of.
    Twice {
        role: &'static str,
        first: String,
        second: String,
    },
    /// A fixed `team` and a column with the role `team`.
    TeamTwice,
    BadTeam(String),
    /// A feature whose name or description is a forbidden term (protected ground or proxy).
    Forbidden {
        column: String,
        ground: String,
        term: String,
    },
    /// An empty list of allowed values.
    NoValues(String),
    /// A value listed twice, or in two of an outcome's lists.
    RepeatedValue {
        column: String,
        value: String,
    },
    /// `min` above `max`.
    BadRange(String),
    /// `values` on a numeric feature: only categorical ones have a list.
    ValuesOnNumeric(String),
    /// A hidden character in the profile's name or a column name.
    Hidden {
        what: String,
        code: u32,
    },
    /// An empty profile name.
    NoName,
    /// A household profile without a column for a role every extract needs.
    MissingRole(&'static str),
    /// A household profile that chooses no features.
    NoFeatures,
    /// A feature that is not in the catalogue (`known`: the catalogue's names).
    UnknownFeature {
        feature: String,
        known: String,
    },
    RepeatedFeature(String),
    /// A household fact chosen as a feature that no column gives.
    FeatureWithoutColumn(String),
    /// A code a coded column does not have (`allowed`: its codes).
    BadCode {
        column: String,
        code: String,
        allowed: String,
    },
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ProfileProblem as P;
        let text = match &self.problem {
            P::Toml(cause) => tf("import.profile.toml", &[("cause", cause)]),
            P::NoId => t("import.profile.no_id").to_owned(),
            P::Twice {
                role,
                first,
                second,
            } => tf(
                "import.profile.twice",
                &[("role", role), ("first", first), ("second", second)],
            ),
            P::TeamTwice => t("import.profile.team_twice").to_owned(),
            P::BadTeam(team) => tf("import.profile.bad_team", &[("team", team)]),
            P::Forbidden {
                column,
                ground,
                term,
            } => tf(
                "import.profile.forbidden",
                &[
                    ("column", column),
                    (
                        "ground",
                        &crate::domain::feature_governance::ground_label(ground),
                    ),
                    ("term", term),
                ],
            ),
            P::NoValues(column) => tf("import.profile.no_values", &[("column", column)]),
            P::RepeatedValue { column, value } => tf(
                "import.profile.repeated_value",
                &[("column", column), ("value", value)],
            ),
            P::BadRange(column) => tf("import.profile.bad_range", &[("column", column)]),
            P::ValuesOnNumeric(column) => {
                tf("import.profile.values_on_numeric", &[("column", column)])
            }
            P::Hidden { what, code } => tf(
                "import.profile.hidden",
                &[("what", what), ("code", &format!("U+{code:04X}"))],
            ),
            P::NoName => t("import.profile.no_name").to_owned(),
            P::MissingRole(role) => tf("import.profile.missing_role", &[("role", role)]),
            P::NoFeatures => t("import.profile.no_features").to_owned(),
            P::UnknownFeature { feature, known } => tf(
                "import.profile.unknown_feature",
                &[("feature", feature), ("known", known)],
            ),
            P::RepeatedFeature(feature) => {
                tf("import.profile.repeated_feature", &[("feature", feature)])
            }
            P::FeatureWithoutColumn(feature) => tf(
                "import.profile.feature_without_column",
                &[("feature", feature)],
            ),
            P::BadCode {
                column,
                code,
                allowed,
            } => tf(
                "import.profile.bad_code",
                &[("column", column), ("code", code), ("allowed", allowed)],
            ),
        };
        write!(f, "{}: {text}", self.file)
    }
}

impl std::error::Error for FileError {}
impl std::error::Error for ProfileError {}
