//! The import profile: a TOML file that says what each column of a file is (its role), and
//! how the file is written. `assets/profiles/` holds documented examples; the format is:
//!
//! ```toml
//! name = "gemeente-export"          # required: kept with every import
//! description = "..."               # optional
//! delimiter = ";"                   # "," or ";"  [default: sniffed from the header line]
//! encoding = "windows-1252"         # "utf-8" or "windows-1252" [default: UTF-8 when the
//!                                   #  bytes are UTF-8 (a BOM is dropped), else Windows-1252]
//! decimal = "comma"                 # "comma" or "point" [default: comma in a ";" file,
//!                                   #  point in a "," file: what Dutch and English Excel write]
//! ignore_unmapped = false           # true: columns the profile does not name are skipped;
//!                                   # false (default): they are an error, so a renamed or
//!                                   # added column is noticed instead of silently dropped
//! team = "Noord"                    # a fixed team for every record (or a `team` column)
//!
//! [columns.Dossiernummer]
//! role = "id"                       # exactly one; unique, plain text
//! [columns.Wijk]
//! role = "team"
//! [columns."Huurachterstand (EUR)"]
//! role = "feature"
//! kind = "numeric"                  # or "categorical", with `values = [...]` (absent: open)
//! optional = true                   # an empty cell is allowed (stored as null)
//! [columns.Geslacht]
//! role = "protected"                # audit only: never a feature
//! [columns.Uitkomst]
//! role = "outcome"
//! positive = ["ja"]                 # -> 1
//! negative = ["nee"]                # -> 0
//! unknown = ["", "onbekend"]        # -> unknown; any other value is an error
//! [columns.Risicoscore]
//! role = "score"                    # a score computed elsewhere
//! direction = "higher"              # "higher": a higher score means more need, ranked first
//! min = 0.0                         # optional bounds, checked
//! [columns.Naam]
//! role = "personal"                 # kept apart, erasable
//! kind = "text"                     # "text", "bsn" (elfproef) or "date"
//! [columns.Notitie]
//! role = "display"                  # shown to reviewers, never a feature
//! kind = "text"                     # "text", "number" or "date"
//! [columns.Intern]
//! role = "ignore"
//! ```
//!
//! Unknown keys anywhere are refused with the key named (a misspelt `optinal` would
//! otherwise be a silent default). A feature whose name or description is a forbidden term
//! (`assets/feature_rules.toml` and the database's additions) is refused: map it as
//! `protected` (audit only) or `ignore` it.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::error::{ProfileError, ProfileProblem};
use crate::domain::feature_rules::FeatureRules;
use crate::domain::role::valid_team_name;
use crate::domain::text::first_hidden_char;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub delimiter: Option<Delimiter>,
    pub encoding: Option<Encoding>,
    pub decimal: Option<Decimal>,
    #[serde(default)]
    pub ignore_unmapped: bool,
    /// A fixed team for every record, when no column has the role `team`.
    pub team: Option<String>,
    /// Column name in the file's header (trimmed) -> its role.
    pub columns: BTreeMap<String, Column>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Delimiter {
    #[serde(rename = ",")]
    Comma,
    #[serde(rename = ";")]
    Semicolon,
}

impl Delimiter {
    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Encoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decimal {
    Comma,
    Point,
}

/// What a column is.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case", deny_unknown_fields)]
pub enum Column {
    Id,
    Team,
    Feature {
        kind: FeatureKind,
        values: Option<Vec<String>>,
        #[serde(default)]
        optional: bool,
        #[serde(default)]
        description: String,
    },
    Protected {
        values: Option<Vec<String>>,
        #[serde(default)]
        optional: bool,
        #[serde(default)]
        description: String,
    },
    Outcome {
        positive: Vec<String>,
        negative: Vec<String>,
        #[serde(default)]
        unknown: Vec<String>,
        #[serde(default)]
        description: String,
    },
    Score {
        direction: Direction,
        min: Option<f64>,
        max: Option<f64>,
        #[serde(default)]
        description: String,
    },
    Display {
        #[serde(default)]
        kind: ValueKind,
        #[serde(default)]
        optional: bool,
    },
    Personal {
        kind: PersonalKind,
        #[serde(default)]
        optional: bool,
    },
    Ignore,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureKind {
    Numeric,
    Categorical,
}

/// Which way an external score points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// A higher score means more need (or risk): ranked first.
    Higher,
    /// A lower score means more need: ranked first.
    Lower,
}

impl Direction {
    pub fn as_code(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    #[default]
    Text,
    Number,
    Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalKind {
    Text,
    /// Nine digits passing the elfproef (eight are padded with a leading zero).
    Bsn,
    Date,
}

impl Column {
    /// The role's name as written in a profile.
    pub fn role(&self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::Team => "team",
            Column::Feature { .. } => "feature",
            Column::Protected { .. } => "protected",
            Column::Outcome { .. } => "outcome",
            Column::Score { .. } => "score",
            Column::Display { .. } => "display",
            Column::Personal { .. } => "personal",
            Column::Ignore => "ignore",
        }
    }
}

impl Profile {
    /// Parses and checks a profile; `file` names it in messages, `rules` are the database's
    /// forbidden-feature rules.
    pub fn parse(file: &str, text: &str, rules: &FeatureRules) -> Result<Profile, ProfileError> {
        let fail = |problem| ProfileError {
            file: file.to_owned(),
            problem,
        };
        let profile: Profile =
            toml::from_str(text).map_err(|e| fail(ProfileProblem::Toml(e.to_string())))?;
        profile.check(rules).map_err(fail)?;
        Ok(profile)
    }

    /// A profile kept with an import, read back for the roles of its columns. It was checked
    /// when it was used; a term forbidden since does not change what the import was.
    pub fn stored(text: &str) -> Result<Profile, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    fn check(&self, rules: &FeatureRules) -> Result<(), ProfileProblem> {
        if self.name.trim().is_empty() {
            return Err(ProfileProblem::NoName);
        }
        let texts = std::iter::once(&self.name).chain(self.columns.keys());
        for text in texts {
            if let Some(c) = first_hidden_char(text) {
                return Err(ProfileProblem::Hidden {
                    what: text.escape_debug().to_string(),
                    code: c as u32,
                });
            }
        }
        for role in ["id", "team", "outcome", "score"] {
            let mut named = self.columns.iter().filter(|(_, c)| c.role() == role);
            match (named.next(), named.next()) {
                (None, _) if role == "id" => return Err(ProfileProblem::NoId),
                (Some((first, _)), Some((second, _))) => {
                    return Err(ProfileProblem::Twice {
                        role,
                        first: first.clone(),
                        second: second.clone(),
                    });
                }
                _ => {}
            }
        }
        if let Some(team) = &self.team {
            if self.columns.values().any(|c| *c == Column::Team) {
                return Err(ProfileProblem::TeamTwice);
            }
            if !valid_team_name(team) {
                return Err(ProfileProblem::BadTeam(team.clone()));
            }
        }
        for (name, column) in &self.columns {
            check_column(name, column, rules)?;
        }
        Ok(())
    }

    /// The column with the external score and its direction, if any.
    pub fn score(&self) -> Option<(&str, Direction)> {
        self.columns.iter().find_map(|(name, c)| match c {
            Column::Score { direction, .. } => Some((name.as_str(), *direction)),
            _ => None,
        })
    }
}

fn check_column(name: &str, column: &Column, rules: &FeatureRules) -> Result<(), ProfileProblem> {
    let repeated = |values: &[&String]| {
        values.iter().enumerate().find_map(|(i, v)| {
            values[..i]
                .contains(v)
                .then(|| ProfileProblem::RepeatedValue {
                    column: name.to_owned(),
                    value: (*v).clone(),
                })
        })
    };
    let list = |values: &Option<Vec<String>>| match values {
        Some(v) if v.is_empty() => Err(ProfileProblem::NoValues(name.to_owned())),
        Some(v) => repeated(&v.iter().collect::<Vec<_>>()).map_or(Ok(()), Err),
        None => Ok(()),
    };
    match column {
        Column::Feature {
            kind,
            values,
            description,
            ..
        } => {
            // Principle 4: a protected ground (or a known proxy) never enters as a feature,
            // whatever the column is called in the file.
            for text in [name, description.as_str()] {
                if let Some(found) = rules.find_term(text) {
                    return Err(ProfileProblem::Forbidden {
                        column: name.to_owned(),
                        ground: found.ground,
                        term: found.term,
                    });
                }
            }
            if *kind == FeatureKind::Numeric && values.is_some() {
                return Err(ProfileProblem::ValuesOnNumeric(name.to_owned()));
            }
            list(values)
        }
        Column::Protected { values, .. } => list(values),
        Column::Outcome {
            positive,
            negative,
            unknown,
            ..
        } => {
            if positive.is_empty() || negative.is_empty() {
                return Err(ProfileProblem::NoValues(name.to_owned()));
            }
            let all: Vec<&String> = positive.iter().chain(negative).chain(unknown).collect();
            repeated(&all).map_or(Ok(()), Err)
        }
        Column::Score { min, max, .. } => match (min, max) {
            (Some(lo), Some(hi)) if lo > hi => Err(ProfileProblem::BadRange(name.to_owned())),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}
