use super::schema::Standard;
use super::*;

fn facts(approved: bool, features: usize) -> Facts {
    Facts {
        model: Some(ModelFacts {
            version: 2,
            features,
            n_train: 2800,
            n_test: 700,
            auc: 0.7912,
            brier: 0.18,
            training_data_hash: "ab".repeat(32),
            trained_at: "2026-11-27T09:00:00Z".into(),
            approved_by: approved.then(|| "beheer2".into()),
            approved_at: approved.then(|| "2026-11-28T10:00:00Z".into()),
            demo_shortcut: false,
        }),
        features: (0..features)
            .map(|i| FeatureFacts {
                name: format!("kenmerk_{i}"),
                description: "een omschrijving van redelijke lengte voor dit kenmerk".into(),
                source: "melding van de woningcorporatie".into(),
            })
            .collect(),
        four_eyes: toml::from_str(include_str!("../../../assets/four_eyes.toml")).unwrap(),
        in_use_since: approved.then(|| "2026-11".into()),
        proxy_flags: vec!["district hangt samen met migratieachtergrond (Cramérs V 0,41)".into()],
        checkpoint_key: Some(
            "oordeel.voorbeeldstad.nl+e6204f93+AZgi2dKCneql7CVmLboFrL+HGfAyDs0GzznrfPaUuyHY".into(),
        ),
    }
}

fn demo_org() -> Organisation {
    Organisation::parse(DEMO_ORGANISATION).unwrap()
}

#[test]
fn the_demo_entry_passes_the_standard() {
    let record = build(&demo_org(), &facts(true, 18)).to_value();
    assert_eq!(Standard::embedded().check(&record), vec![]);
    assert_eq!(record["status"], "In gebruik");
    assert_eq!(record["begin_date"], "2026-11");
    assert_eq!(record["lang"], "nld");
    assert_eq!(record["standard_version"], "1.0.0");
    let methods = record["methods_and_models"].as_str().unwrap();
    assert!(methods.contains("niet zelflerend"), "{methods}");
    assert!(methods.contains("modelversie 2"), "{methods}");
    let human = record["human_intervention"].as_str().unwrap();
    assert!(human.contains("hoogste 5 %"), "{human}");
    assert!(human.contains("huisuitzetting"), "{human}");
    assert!(
        human.contains("publieke sleutel oordeel.voorbeeldstad.nl+e6204f93+"),
        "{human}"
    );
    let risks = record["risks"].as_str().unwrap();
    assert!(risks.contains("Cramérs V 0,41"), "{risks}");
}

#[test]
fn an_unapproved_version_is_in_development() {
    let record = build(&demo_org(), &facts(false, 3)).to_value();
    assert_eq!(record["status"], "In ontwikkeling");
    assert!(record.get("begin_date").is_none());
    assert!(
        record["methods_and_models"]
            .as_str()
            .unwrap()
            .contains("nog niet goedgekeurd")
    );
}

/// Many features, or very long descriptions, do not break the 2,500-character limit: every
/// name is listed, and the descriptions are cut with a pointer to the model card.
#[test]
fn long_feature_lists_are_cut_inside_the_limit() {
    let mut long = facts(true, 3);
    long.features[0].description = "lang ".repeat(1000);
    let record = build(&demo_org(), &long).to_value();
    let source = record["source_data"].as_str().unwrap();
    assert!(
        source.contains("kenmerk_0, kenmerk_1, kenmerk_2."),
        "{source}"
    );
    assert!(source.contains("kenmerk_0: lang lang"), "{source}");
    assert!(source.chars().count() <= 2500);
    let record = build(&demo_org(), &facts(true, 60)).to_value();
    let source = record["source_data"].as_str().unwrap();
    assert!(source.chars().count() <= 2500, "{}", source.chars().count());
    assert!(source.ends_with("staan in de modelkaart."), "{source}");
    assert!(
        source.contains("kenmerk_0, kenmerk_1"),
        "every name is listed first"
    );
    assert_eq!(Standard::embedded().check(&record), vec![]);
}

#[test]
fn a_misspelt_organisation_key_is_refused() {
    let err = Organisation::parse("organisation = \"Gemeente X\"\n").unwrap_err();
    assert!(err.to_string().contains("organisation"), "{err}");
}

#[test]
fn missing_organisation_facts_are_violations() {
    let record = build(&Organisation::parse("").unwrap(), &facts(true, 3)).to_value();
    let missing: Vec<String> = Standard::embedded()
        .check(&record)
        .into_iter()
        .map(|v| v.field)
        .collect();
    assert_eq!(
        missing,
        [
            "contact_email",
            "description_short",
            "organization",
            "publication_category"
        ]
    );
}

/// The output keeps the standard's field order, so a person reading it finds name first.
#[test]
fn fields_come_in_the_standards_order() {
    let record = build(&demo_org(), &facts(true, 3));
    let keys: Vec<&str> = record.0.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        &keys[..4],
        ["name", "description_short", "organization", "category"]
    );
    let json = serde_json::to_string(&record).unwrap();
    assert!(json.starts_with("{\"name\":"), "{json}");
}
