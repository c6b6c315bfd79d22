//! The documentation of the demo's features: the catalogue's (`assets/features.toml`), for
//! the features the demo chose.

use std::collections::BTreeMap;

pub use crate::domain::feature_catalogue::FeatureDocumentation;

/// The documentation of every demo feature, by name.
pub fn feature_documentation() -> BTreeMap<String, FeatureDocumentation> {
    let mut docs = crate::domain::feature_catalogue::documentation();
    docs.retain(|name, _| super::FEATURES.iter().any(|(n, _)| n == name));
    docs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::feature_catalogue;
    use crate::ingest::demo::FEATURES;

    #[test]
    fn every_demo_feature_is_a_documented_catalogue_feature() {
        let docs = feature_documentation();
        let names: Vec<&str> = docs.keys().map(String::as_str).collect();
        let mut features: Vec<&str> = FEATURES.iter().map(|(n, _)| *n).collect();
        features.sort_unstable();
        assert_eq!(names, features);
        for (name, categorical) in FEATURES {
            assert_eq!(
                feature_catalogue::categorical(name),
                Some(*categorical),
                "{name}"
            );
        }
    }
}
