//! What can be wrong with an imported file or its profile, as facts: the file, line, column
//! and what was found. `messages::import` says it so that whoever exported the file can fix
//! it (`FILE:LINE: column NAME: expected ..., found ...`).

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

impl std::error::Error for FileError {}
impl std::error::Error for ProfileError {}
