//! Which model features are forbidden: the terms of protected grounds and known proxies, and
//! the threshold above which the proxy check flags a feature (`assets/feature_rules.toml`).
//!
//! One source of truth: `model::is_protected` asks the shipped rules, training asks the copy
//! in the database (which `oordeel features forbid` may have extended).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The ground that terms added with `oordeel features forbid` belong to.
pub const CONFIGURED_GROUND: &str = "configured";

/// The rules of one database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureRules {
    /// Cramér's V at or above which a feature is flagged as a strong proxy.
    pub proxy_threshold: f64,
    /// Ground (`nationality`, `gender`, ..., `configured`) -> its terms.
    pub terms: BTreeMap<String, Vec<String>>,
}

/// A forbidden term found in a feature's name or declared meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermMatch {
    pub ground: String,
    pub term: String,
}

impl FeatureRules {
    /// The rules shipped in `assets/feature_rules.toml`, as text (comments and all).
    pub fn shipped_text() -> &'static str {
        include_str!("../../assets/feature_rules.toml")
    }

    /// The shipped rules, parsed once.
    pub fn shipped() -> &'static FeatureRules {
        static SHIPPED: OnceLock<FeatureRules> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            FeatureRules::parse(FeatureRules::shipped_text())
                .expect("assets/feature_rules.toml is valid")
        })
    }

    pub fn parse(text: &str) -> Result<FeatureRules, String> {
        let rules: FeatureRules = toml::from_str(text).map_err(|e| e.to_string())?;
        if !(rules.proxy_threshold > 0.0 && rules.proxy_threshold <= 1.0) {
            return Err(format!(
                "proxy_threshold must be above 0 and at most 1, not {}",
                rules.proxy_threshold
            ));
        }
        if let Some((ground, term)) = rules
            .terms
            .iter()
            .flat_map(|(g, ts)| ts.iter().map(move |t| (g, t)))
            .find(|(_, t)| words(t).is_empty())
        {
            return Err(format!("ground `{ground}`: term {term:?} has no letters"));
        }
        Ok(rules)
    }

    /// The rules as TOML, to keep in the database after a change.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("rules serialise")
    }

    /// The first forbidden term that occurs in `text` as whole words, if any.
    pub fn find_term(&self, text: &str) -> Option<TermMatch> {
        let haystack = words(text);
        self.terms.iter().find_map(|(ground, terms)| {
            terms.iter().find_map(|term| {
                let needle = words(term);
                haystack
                    .windows(needle.len())
                    .any(|w| w == needle.as_slice())
                    .then(|| TermMatch {
                        ground: ground.clone(),
                        term: term.clone(),
                    })
            })
        })
    }

    /// Whether `term` (as words) is forbidden already, under any ground.
    pub fn has_term(&self, term: &str) -> bool {
        let w = words(term);
        self.terms.values().flatten().any(|t| words(t) == w)
    }

    /// Adds `term` to the configured ground; `false` when it is empty of letters or present.
    pub fn add_term(&mut self, term: &str) -> bool {
        if words(term).is_empty() || self.has_term(term) {
            return false;
        }
        self.terms
            .entry(CONFIGURED_GROUND.to_owned())
            .or_default()
            .push(term.trim().to_owned());
        true
    }
}

/// Lower-case words of `text`: runs of letters or of digits, so `_`, `-`, `.`, spaces and the
/// boundary in `nationality2` all separate words.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut digits = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            let is_digit = c.is_numeric();
            if !current.is_empty() && is_digit != digits {
                out.push(std::mem::take(&mut current));
            }
            digits = is_digit;
            current.push(c);
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ground(text: &str) -> Option<String> {
        FeatureRules::shipped().find_term(text).map(|m| m.ground)
    }

    #[test]
    fn terms_match_as_whole_words_in_names_and_sentences() {
        assert_eq!(ground("nationality_code").as_deref(), Some("nationality"));
        assert_eq!(ground("Head-Nationality2").as_deref(), Some("nationality"));
        assert_eq!(
            ground("Geboorteland van de aanvrager").as_deref(),
            Some("country_of_birth")
        );
        assert_eq!(
            ground("country_of_birth").as_deref(),
            Some("country_of_birth")
        );
        assert_eq!(ground("SPREEKTAAL thuis").as_deref(), Some("language"));
        assert_eq!(ground("is_vrouw").as_deref(), Some("gender"));
        assert_eq!(ground("AGE_BAND_head").as_deref(), Some("age"));
        assert_eq!(
            ground("niet-westerse").as_deref(),
            Some("migration_background")
        );
        assert_eq!(
            ground("niet-westers").as_deref(),
            Some("migration_background")
        );
        // Inside a longer word is not a match: "totaal" holds "taal", "average" holds "age".
        for harmless in [
            "totaal_achterstand",
            "average_arrears",
            "manager",
            "district",
        ] {
            assert_eq!(ground(harmless), None, "{harmless}");
        }
    }

    #[test]
    fn a_configured_term_is_added_once() {
        let mut rules = FeatureRules::shipped().clone();
        assert!(rules.find_term("woonwijk van het adres").is_none());
        assert!(rules.add_term("Woonwijk"));
        assert!(!rules.add_term("woonwijk"));
        assert!(!rules.add_term("geboorteland"));
        assert!(!rules.add_term(" - "));
        let m = rules.find_term("woonwijk van het adres").unwrap();
        assert_eq!(m.ground, CONFIGURED_GROUND);
        let back = FeatureRules::parse(&rules.to_toml()).unwrap();
        assert_eq!(back, rules);
    }

    #[test]
    fn a_bad_threshold_is_refused() {
        assert!(FeatureRules::parse("proxy_threshold = 0\n[terms]\n").is_err());
        assert!(FeatureRules::parse("proxy_threshold = 0.3\n[terms]\nx = [\"\"]\n").is_err());
    }
}
