//! The household profile: how a municipality's client or BRP extract maps onto households
//! (`oordeel households import`). The file conventions and the way faults are reported are
//! those of every import (`domain::import`); the roles are a household's:
//!
//! ```toml
//! name = "voorbeeldstad-klanten"       # required: kept with every import
//! description = "..."
//! delimiter = ";"                      # as in every profile; sniffed when left out
//! encoding = "windows-1252"
//! ignore_unmapped = false
//! # The model's features: a choice from the catalogue (`oordeel features catalogue`).
//! features = ["total_arrears_eur", "rent_months_in_arrears", "children", "income_source"]
//!
//! [columns.Klantnummer]
//! role = "key"                 # the household's key in the municipality's systems: a client
//!                              # number, or the BSN of the head of household; unique
//! [columns.BSN]
//! role = "bsn"                 # nine digits passing the elfproef (eight are padded)
//! [columns.Naam]
//! role = "name"
//! [columns.Straat]
//! role = "street"
//! [columns.Huisnummer]
//! role = "house_number"        # with its addition: 12, 12A, 12-2
//! [columns.Postcode]
//! role = "postcode"            # 1234 AB or 1234AB
//! [columns.Woonplaats]
//! role = "city"                # optional
//! [columns.Geboortedatum]
//! role = "birth_date"          # dd-mm-jjjj or jjjj-mm-dd
//! [columns.Samenstelling]
//! role = "household_type"
//! values = { single = ["alleenstaand"], single_parent = ["eenoudergezin"],
//!            couple_with_children = ["paar met kinderen"],
//!            couple_without_children = ["paar zonder kinderen"] }
//! [columns.Kinderen]
//! role = "children"            # a whole number, 0 to 20
//! [columns.Inkomen]
//! role = "income_source"       # values for work, benefit, pension, self_employed, none
//! [columns.Wijk]
//! role = "district"            # also the team, unless a column has the role `team`
//! [columns."Eerder schuldhulp"]
//! role = "earlier_debt_help"   # likewise known_to_district_team, wmo_youth_support:
//! values = { yes = ["ja"], no = ["nee", ""] }   # left out, every household is "no"
//! [columns.Geslacht]
//! role = "gender"              # protected, audit only: female, male, other
//! [columns.Herkomst]
//! role = "migration_background" # protected: netherlands, europe, outside_europe
//! ```
//!
//! Every cell of a coded role must be listed under one of its codes (an empty cell too, if it
//! may occur); a protected attribute left out of the file is `unknown` for everyone, and the
//! age band, when no column has the role `age_band`, follows from the birth date. A
//! household fact chosen as a feature must come from a column. Unknown keys anywhere are
//! refused with the key named.

mod rows;

use std::collections::BTreeMap;

use serde::Deserialize;

pub use rows::{HouseholdReader, HouseholdRecord, ReadHouseholds};

use super::error::{ProfileError, ProfileProblem};
use super::profile::{Delimiter, Encoding};
use crate::domain::feature_catalogue;
use crate::domain::household::{
    AGE_BANDS, GENDERS, HouseholdType, IncomeSource, MIGRATION_BACKGROUNDS,
};
use crate::domain::text::first_hidden_char;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdProfile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub delimiter: Option<Delimiter>,
    pub encoding: Option<Encoding>,
    #[serde(default)]
    pub ignore_unmapped: bool,
    /// The model's features, in order: names from `domain::feature_catalogue`.
    pub features: Vec<String>,
    /// Column name in the file's header (trimmed) -> its role.
    pub columns: BTreeMap<String, HouseholdColumn>,
}

/// What a column of a household extract is.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case", deny_unknown_fields)]
pub enum HouseholdColumn {
    Key,
    Bsn,
    Name,
    Street,
    HouseNumber,
    Postcode,
    City,
    BirthDate,
    HouseholdType { values: Codes },
    Children,
    IncomeSource { values: Codes },
    District,
    Team,
    EarlierDebtHelp { values: Codes },
    KnownToDistrictTeam { values: Codes },
    WmoYouthSupport { values: Codes },
    Gender { values: Codes },
    AgeBand { values: Codes },
    MigrationBackground { values: Codes },
    Ignore,
}

/// A coded column's values: code -> the cells that mean it.
pub type Codes = BTreeMap<String, Vec<String>>;

/// The roles every household extract must have.
const REQUIRED: &[&str] = &[
    "key",
    "bsn",
    "name",
    "street",
    "house_number",
    "postcode",
    "birth_date",
    "household_type",
    "children",
    "income_source",
    "district",
];

impl HouseholdColumn {
    pub fn role(&self) -> &'static str {
        use HouseholdColumn as C;
        match self {
            C::Key => "key",
            C::Bsn => "bsn",
            C::Name => "name",
            C::Street => "street",
            C::HouseNumber => "house_number",
            C::Postcode => "postcode",
            C::City => "city",
            C::BirthDate => "birth_date",
            C::HouseholdType { .. } => "household_type",
            C::Children => "children",
            C::IncomeSource { .. } => "income_source",
            C::District => "district",
            C::Team => "team",
            C::EarlierDebtHelp { .. } => "earlier_debt_help",
            C::KnownToDistrictTeam { .. } => "known_to_district_team",
            C::WmoYouthSupport { .. } => "wmo_youth_support",
            C::Gender { .. } => "gender",
            C::AgeBand { .. } => "age_band",
            C::MigrationBackground { .. } => "migration_background",
            C::Ignore => "ignore",
        }
    }

    /// The codes a coded role may use, and its list of cells.
    fn codes(&self) -> Option<(Vec<&'static str>, &Codes)> {
        use HouseholdColumn as C;
        let yes_no = vec!["yes", "no"];
        let without_unknown =
            |all: &[&'static str]| all.iter().copied().filter(|c| *c != "unknown").collect();
        match self {
            C::HouseholdType { values } => Some((
                HouseholdType::ALL.iter().map(|t| t.as_code()).collect(),
                values,
            )),
            C::IncomeSource { values } => Some((
                IncomeSource::ALL.iter().map(|t| t.as_code()).collect(),
                values,
            )),
            C::EarlierDebtHelp { values }
            | C::KnownToDistrictTeam { values }
            | C::WmoYouthSupport { values } => Some((yes_no, values)),
            C::Gender { values } => Some((without_unknown(GENDERS), values)),
            C::AgeBand { values } => Some((without_unknown(AGE_BANDS), values)),
            C::MigrationBackground { values } => {
                Some((without_unknown(MIGRATION_BACKGROUNDS), values))
            }
            _ => None,
        }
    }
}

impl HouseholdProfile {
    /// Parses and checks a profile; `file` names it in messages.
    pub fn parse(file: &str, text: &str) -> Result<HouseholdProfile, ProfileError> {
        let fail = |problem| ProfileError {
            file: file.to_owned(),
            problem,
        };
        let profile: HouseholdProfile =
            toml::from_str(text).map_err(|e| fail(ProfileProblem::Toml(e.to_string())))?;
        profile.check().map_err(fail)?;
        Ok(profile)
    }

    /// The column with `role`, if one has it.
    pub fn column(&self, role: &str) -> Option<(&str, &HouseholdColumn)> {
        self.columns
            .iter()
            .find(|(_, c)| c.role() == role)
            .map(|(n, c)| (n.as_str(), c))
    }

    /// The features as a caseload declares them: (name, categorical?).
    pub fn feature_defs(&self) -> Vec<(String, bool)> {
        self.features
            .iter()
            .map(|f| {
                (
                    f.clone(),
                    feature_catalogue::categorical(f).unwrap_or(false),
                )
            })
            .collect()
    }

    fn check(&self) -> Result<(), ProfileProblem> {
        if self.name.trim().is_empty() {
            return Err(ProfileProblem::NoName);
        }
        for text in std::iter::once(&self.name).chain(self.columns.keys()) {
            if let Some(c) = first_hidden_char(text) {
                return Err(ProfileProblem::Hidden {
                    what: text.escape_debug().to_string(),
                    code: c as u32,
                });
            }
        }
        let mut by_role: BTreeMap<&'static str, Vec<&String>> = BTreeMap::new();
        for (name, column) in &self.columns {
            if column.role() != "ignore" {
                by_role.entry(column.role()).or_default().push(name);
            }
            if let Some((allowed, codes)) = column.codes() {
                check_codes(name, &allowed, codes)?;
            }
        }
        if let Some((role, names)) = by_role.into_iter().find(|(_, n)| n.len() > 1) {
            return Err(ProfileProblem::Twice {
                role,
                first: names[0].clone(),
                second: names[1].clone(),
            });
        }
        for role in REQUIRED {
            if self.column(role).is_none() {
                return Err(ProfileProblem::MissingRole(role));
            }
        }
        if self.features.is_empty() {
            return Err(ProfileProblem::NoFeatures);
        }
        for (i, feature) in self.features.iter().enumerate() {
            if feature_catalogue::categorical(feature).is_none() {
                let known = feature_catalogue::CATALOGUE
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(ProfileProblem::UnknownFeature {
                    feature: feature.clone(),
                    known,
                });
            }
            if self.features[..i].contains(feature) {
                return Err(ProfileProblem::RepeatedFeature(feature.clone()));
            }
            // A household fact the file does not give cannot teach the model anything.
            let fact = matches!(
                feature.as_str(),
                "earlier_debt_help" | "known_to_district_team" | "wmo_youth_support"
            );
            if fact && self.column(feature).is_none() {
                return Err(ProfileProblem::FeatureWithoutColumn(feature.clone()));
            }
        }
        Ok(())
    }
}

fn check_codes(column: &str, allowed: &[&str], codes: &Codes) -> Result<(), ProfileProblem> {
    let mut seen: Vec<&String> = Vec::new();
    for (code, cells) in codes {
        if !allowed.contains(&code.as_str()) {
            return Err(ProfileProblem::BadCode {
                column: column.to_owned(),
                code: code.clone(),
                allowed: allowed.join(", "),
            });
        }
        for cell in cells {
            if seen.contains(&cell) {
                return Err(ProfileProblem::RepeatedValue {
                    column: column.to_owned(),
                    value: cell.clone(),
                });
            }
            seen.push(cell);
        }
    }
    if codes.is_empty() {
        return Err(ProfileProblem::NoValues(column.to_owned()));
    }
    Ok(())
}
