//! `oordeel register export`: the Algoritmeregister entry validates against publication
//! standard 1.0.0, and bad organisation facts stop the export with a message naming the field.
//!
//! The rules below are transcribed here independently of `assets/register/`, from the
//! standard's field table (MinBZK, "Algoritmeregister Publicatiestandaard" 1.0.0), so a
//! mistake in the asset cannot pass its own test.

use crate::common;

use std::path::Path;

use serde_json::Value;

/// (field, required, max characters)
const TEXT_FIELDS: &[(&str, bool, usize)] = &[
    ("name", true, 100),
    ("description_short", true, 350),
    ("organization", true, 100),
    ("begin_date", false, 7),
    ("end_date", false, 7),
    ("contact_email", true, 500),
    ("website", false, 500),
    ("url", false, 500),
    ("goal", false, 2500),
    ("proportionality", false, 2500),
    ("human_intervention", false, 2500),
    ("risks", false, 2500),
    ("lawful_basis", false, 2500),
    ("process_index_url", false, 500),
    ("impacttoetsen", false, 2500),
    ("source_data", false, 2500),
    ("methods_and_models", false, 5000),
    ("provider", false, 200),
    ("publiccode", false, 500),
    ("source_id", false, 100),
    ("tags", false, 2500),
];

/// (field, required, permitted values)
const ENUM_FIELDS: &[(&str, bool, &[&str])] = &[
    (
        "status",
        true,
        &["In ontwikkeling", "In gebruik", "Buiten gebruik"],
    ),
    (
        "publication_category",
        true,
        &[
            "Hoog-risico AI-systeem",
            "Impactvolle algoritmes",
            "Overige algoritmes",
        ],
    ),
    ("lang", true, &["nld"]),
    ("standard_version", false, &["1.0.0"]),
];

const THEMES: &[&str] = &[
    "Organisatie en bedrijfsvoering",
    "Cultuur en recreatie",
    "Economie",
    "Overheidsfinanciën",
    "Wonen",
    "Internationaal",
    "Migratie en integratie",
    "Natuur en milieu",
    "Onderwijs en wetenschap",
    "Openbare orde en veiligheid",
    "Recht",
    "Ruimte en infrastructuur",
    "Sociale zekerheid",
    "Verkeer",
    "Werk",
    "Zorg en gezondheid",
];

const LINK_FIELDS: &[&str] = &[
    "lawful_basis_grouping",
    "impacttoetsen_grouping",
    "source_data_grouping",
];

/// Every violation of the standard in `entry`, as readable strings.
fn violations(entry: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let object = entry.as_object().expect("a JSON object");
    let known = |k: &str| {
        TEXT_FIELDS.iter().any(|f| f.0 == k)
            || ENUM_FIELDS.iter().any(|f| f.0 == k)
            || LINK_FIELDS.contains(&k)
            || k == "category"
    };
    for key in object.keys() {
        if !known(key) {
            out.push(format!("unknown field {key}"));
        }
    }
    for &(field, required, max) in TEXT_FIELDS {
        match object.get(field) {
            None if required => out.push(format!("{field} missing")),
            None => {}
            Some(Value::String(s)) => {
                if s.trim().is_empty() {
                    out.push(format!("{field} empty"));
                }
                if s.chars().count() > max {
                    out.push(format!("{field} has {} > {max}", s.chars().count()));
                }
            }
            Some(other) => out.push(format!("{field} is not a string: {other}")),
        }
    }
    for &(field, required, values) in ENUM_FIELDS {
        match object.get(field).map(|v| v.as_str()) {
            None if required => out.push(format!("{field} missing")),
            None => {}
            Some(Some(v)) if values.contains(&v) => {}
            Some(v) => out.push(format!("{field} = {v:?} not permitted")),
        }
    }
    if let Some(category) = object.get("category") {
        let items = category.as_array().expect("category is a list");
        assert!(items.len() <= 3, "at most 3 themes");
        for item in items {
            if !THEMES.contains(&item.as_str().unwrap_or("")) {
                out.push(format!("theme {item} not permitted"));
            }
        }
    }
    for field in LINK_FIELDS {
        if let Some(list) = object.get(*field) {
            for item in list.as_array().expect("a list") {
                let title = item["title"].as_str().unwrap_or("");
                let link = item["link"].as_str().unwrap_or("");
                if title.is_empty() || !link.starts_with("https://") {
                    out.push(format!("{field}: bad link {item}"));
                }
            }
        }
    }
    if let Some(begin) = object.get("begin_date").and_then(Value::as_str) {
        let ok = begin.len() == 7
            && begin[..4].parse::<u16>().is_ok()
            && &begin[4..5] == "-"
            && matches!(begin[5..].parse::<u8>(), Ok(1..=12));
        if !ok {
            out.push(format!("begin_date {begin} is not YYYY-MM"));
        }
    }
    out
}

fn export(db: &Path, config: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    common::oordeel()
        .env("XDG_CONFIG_HOME", config)
        .args(["register", "export", "--db"])
        .arg(db)
        .args(extra)
        .assert()
}

#[test]
fn the_demo_entry_validates_against_the_standard() {
    let db = common::demo(800);
    let out = export(&db.path, db.dir.path(), &[]).success();
    let output = out.get_output();
    let entry: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(violations(&entry), Vec::<String>::new(), "{entry:#}");
    assert_eq!(entry["lang"], "nld");
    assert_eq!(entry["standard_version"], "1.0.0");
    assert_eq!(entry["organization"], "Gemeente Voorbeeldstad");
    let methods = entry["methods_and_models"].as_str().unwrap();
    assert!(methods.contains("niet zelflerend"), "{methods}");
    assert!(methods.contains("modelversie 1"), "{methods}");
    // The demo's self-approval is published as what it is.
    assert!(methods.contains("door de trainer zelf"), "{methods}");
    let sources = entry["source_data"].as_str().unwrap();
    assert!(sources.contains("total_arrears_eur"), "{sources}");
    // Documented features carry their source; the proxy check's flags reach the risks.
    assert!(!sources.contains("niet beschreven"), "{sources}");
    assert!(sources.contains("18 kenmerken"), "{sources}");
    assert!(
        sources.contains("income_source, district."),
        "every feature named: {sources}"
    );
    let risks = entry["risks"].as_str().unwrap();
    assert!(
        risks.contains("district hangt samen met migratieachtergrond"),
        "{risks}"
    );
    // The field order of the standard, name first.
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("{\n  \"name\":"));
    // The demo's organisation facts are used only with a warning.
    assert!(String::from_utf8_lossy(&output.stderr).contains("Voorbeeldstad"));
}

#[test]
fn the_users_own_organisation_file_is_used_and_written_whole() {
    let db = common::demo(300);
    let config = db.dir.path().join("config");
    std::fs::create_dir_all(config.join("oordeel")).unwrap();
    std::fs::write(
        config.join("oordeel/organisation.toml"),
        "organization = \"Gemeente Proefdorp\"\n\
         contact_email = \"https://www.proefdorp.example/contact\"\n\
         publication_category = \"Impactvolle algoritmes\"\n\
         description_short = \"Een korte omschrijving.\"\n",
    )
    .unwrap();
    let out = db.dir.path().join("entry.json");
    export(&db.path, &config, &["--out", out.to_str().unwrap()]).success();
    let entry: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(violations(&entry), Vec::<String>::new());
    assert_eq!(entry["organization"], "Gemeente Proefdorp");
    assert_eq!(entry["publication_category"], "Impactvolle algoritmes");
    assert!(entry.get("goal").is_none(), "left out, not published empty");
}

#[test]
fn facts_that_break_the_standard_stop_the_export_naming_the_field() {
    let db = common::demo(300);
    let org = db.dir.path().join("org.toml");
    std::fs::write(
        &org,
        format!(
            "organization = \"Gemeente Proefdorp\"\n\
             contact_email = \"niemand\"\n\
             publication_category = \"Heel belangrijk\"\n\
             description_short = \"{}\"\n\
             goal = \"Hulp \\u001b[31mnu\"\n",
            "lang ".repeat(80)
        ),
    )
    .unwrap();
    let out = db.dir.path().join("entry.json");
    let assert = export(
        &db.path,
        db.dir.path(),
        &[
            "--organisation",
            org.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    for expected in [
        "org.toml",
        "description_short: 400 characters, at most 350",
        "contact_email: must be an e-mail address or an https:// link",
        "publication_category: \"Heel belangrijk\" is not a permitted value",
        "goal: contains the invisible or control character U+001B",
    ] {
        assert!(stderr.contains(expected), "{expected:?} not in {stderr}");
    }
    assert!(!out.exists(), "nothing written");
    assert!(!out.with_extension("partial").exists());
}

#[test]
fn a_misspelt_key_or_a_missing_file_is_named() {
    let db = common::demo(300);
    let org = db.dir.path().join("org.toml");
    std::fs::write(&org, "organisation = \"Gemeente Proefdorp\"\n").unwrap();
    let assert = export(
        &db.path,
        db.dir.path(),
        &["--organisation", org.to_str().unwrap()],
    )
    .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("org.toml is not a valid organisation file"),
        "{stderr}"
    );
    assert!(stderr.contains("organisation"), "{stderr}");

    let missing = db.dir.path().join("nowhere.toml");
    let assert = export(
        &db.path,
        db.dir.path(),
        &["--organisation", missing.to_str().unwrap()],
    )
    .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("Cannot read the organisation file"),
        "{stderr}"
    );
    assert!(stderr.contains("nowhere.toml"), "{stderr}");
}

#[test]
fn reviewers_cannot_export_the_entry() {
    let db = common::demo(300);
    let assert = export(&db.path, db.dir.path(), &["--as", "anna"]).failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("anna"), "{stderr}");
}
