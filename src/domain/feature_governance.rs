//! Whether a feature may enter the model at all, checked before anything is fitted:
//! every feature must be documented, and neither its name nor its declared meaning (description,
//! source) may be a protected ground or a known proxy (Algoritmekader dat-02, principle 4).

use crate::domain::feature_rules::{FeatureRules, TermMatch};

/// What a feature declares about itself: its description and source.
pub struct DeclaredMeaning<'a> {
    pub description: &'a str,
    pub source: &'a str,
}

/// Why training refuses a feature. Texts under `[model_error]` in `assets/strings.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeatureRefusal {
    /// No row in `feature_metadata`.
    Undocumented { feature: String },
    /// A forbidden term in the feature's name, description or source (`field`).
    Forbidden {
        feature: String,
        field: &'static str,
        found: TermMatch,
    },
}

/// Checks each feature in order; the first refusal wins. `declared(name)` looks a feature's
/// documentation up.
pub fn check_features<'a>(
    names: impl IntoIterator<Item = &'a str>,
    rules: &FeatureRules,
    declared: impl Fn(&str) -> Option<DeclaredMeaning<'a>>,
) -> Result<(), FeatureRefusal> {
    for name in names {
        let forbidden = |field: &'static str, text: &str| {
            rules
                .find_term(text)
                .map(|found| FeatureRefusal::Forbidden {
                    feature: name.to_owned(),
                    field,
                    found,
                })
        };
        // The name first: a forbidden name is refused however it is documented.
        if let Some(refusal) = forbidden("name", name) {
            return Err(refusal);
        }
        let Some(meaning) = declared(name) else {
            return Err(FeatureRefusal::Undocumented {
                feature: name.to_owned(),
            });
        };
        if let Some(refusal) = forbidden("description", meaning.description)
            .or_else(|| forbidden("source", meaning.source))
        {
            return Err(refusal);
        }
    }
    Ok(())
}

impl std::error::Error for FeatureRefusal {}

#[cfg(test)]
mod tests {
    use super::*;

    fn meaning(description: &'static str) -> Option<DeclaredMeaning<'static>> {
        Some(DeclaredMeaning {
            description,
            source: "Signalen van woningcorporaties",
        })
    }

    #[test]
    fn the_first_undocumented_or_forbidden_feature_is_refused() {
        let rules = FeatureRules::shipped();
        assert_eq!(
            check_features(["rent_signal"], rules, |_| meaning(
                "Huurachterstand gemeld"
            )),
            Ok(())
        );
        assert_eq!(
            check_features(["rent_signal", "children"], rules, |n| {
                (n == "rent_signal").then_some(()).and(meaning("Huur"))
            }),
            Err(FeatureRefusal::Undocumented {
                feature: "children".into()
            })
        );
        let err = check_features(["origin"], rules, |_| {
            meaning("Geboorteland van de hoofdbewoner")
        })
        .unwrap_err();
        assert!(matches!(
            &err,
            FeatureRefusal::Forbidden { feature, field: "description", found }
                if feature == "origin" && found.term == "geboorteland"
        ));
        // The name is refused even without documentation.
        let err = check_features(["nationality_code"], rules, |_| None).unwrap_err();
        assert!(matches!(
            err,
            FeatureRefusal::Forbidden { field: "name", .. }
        ));
    }
}
