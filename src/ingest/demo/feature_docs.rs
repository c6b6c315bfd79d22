//! The documentation of the demo's features (`assets/demo/features.toml`): source, legal
//! basis and description of each, written into `feature_metadata` when the demo is created.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One feature's documentation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureDocumentation {
    pub source: String,
    pub legal_basis: String,
    pub description: String,
}

/// The documentation of every demo feature, by name.
pub fn feature_documentation() -> BTreeMap<String, FeatureDocumentation> {
    toml::from_str(include_str!("../../../assets/demo/features.toml"))
        .expect("assets/demo/features.toml is valid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::feature_rules::FeatureRules;
    use crate::ingest::demo::FEATURES;

    #[test]
    fn every_demo_feature_is_documented_and_none_declares_a_forbidden_meaning() {
        let docs = feature_documentation();
        let names: Vec<&str> = docs.keys().map(String::as_str).collect();
        let mut features: Vec<&str> = FEATURES.iter().map(|(n, _)| *n).collect();
        features.sort_unstable();
        assert_eq!(names, features);
        let rules = FeatureRules::shipped();
        for (name, d) in &docs {
            for text in [name, &d.source, &d.description, &d.legal_basis] {
                assert_eq!(rules.find_term(text), None, "{name}: {text}");
            }
        }
    }
}
