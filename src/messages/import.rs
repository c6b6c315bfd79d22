//! What is wrong with an imported file or its profile, in the user's language, said so that
//! whoever exported the file can fix it: `FILE:LINE: column NAME: expected ..., found ...`.
//! The texts live under `[import]` in `assets/strings.toml`.

use std::fmt;

use crate::domain::import::error::{FileError, Problem, ProfileError, ProfileProblem};
use crate::i18n::{t, tf};

/// Found values are quoted in messages at most this long (a cell can hold a whole letter).
const SHOWN_CHARS: usize = 40;

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
                    ("ground", &super::ground_label(ground)),
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
