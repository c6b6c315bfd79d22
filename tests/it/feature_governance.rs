//! Feature governance through the real binary: documentation of every feature, refusal of
//! undocumented and forbidden features before anything is stored, and the proxy check.

use crate::common;

use std::path::Path;

use common::{DemoDb, demo, oordeel, os_user, query_i64};

fn features_json(path: &Path, as_name: Option<&str>) -> serde_json::Value {
    let mut cmd = oordeel();
    if let Some(name) = as_name {
        cmd.args(["--as", name]);
    }
    let out = cmd
        .args(["features", "list", "--format", "json", "--db"])
        .arg(path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).expect("features list prints JSON")
}

fn train(db: &DemoDb) -> assert_cmd::assert::Assert {
    oordeel().args(["train", "--db"]).arg(&db.path).assert()
}

fn set(db: &DemoDb, name: &str, description: &str) -> assert_cmd::assert::Assert {
    oordeel()
        .args([
            "features",
            "set",
            name,
            "--source",
            "Registratie van de gemeente",
        ])
        .args([
            "--legal-basis",
            "Wgs art. 8",
            "--description",
            description,
            "--db",
        ])
        .arg(&db.path)
        .assert()
}

fn model_versions(db: &DemoDb) -> i64 {
    query_i64(&db.path, "SELECT count(*) FROM model_versions")
}

fn events(db: &DemoDb, kind: &str) -> i64 {
    query_i64(
        &db.path,
        &format!("SELECT count(*) FROM events WHERE kind = '{kind}'"),
    )
}

/// Renames a feature in the caseload's declared list, in the table and the log (no command
/// writes a feature list but a caseload's own creation); its values stay as they are.
fn rename_feature(db: &DemoDb, from: &str, to: &str) {
    let list: String = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT value FROM settings WHERE key = 'features'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let renamed = list.replace(&format!("\"{from}\""), &format!("\"{to}\""));
    assert_ne!(renamed, list, "{from} is a feature");
    common::set_setting_by_sql(&db.path, "features", &renamed);
}

/// Training is refused with a message naming the feature and why, and stores nothing.
fn assert_refused(db: &DemoDb, feature: &str, why: &str) {
    let before = (model_versions(db), events(db, "model_trained"));
    let out = train(db).failure().get_output().stderr.clone();
    let message = String::from_utf8_lossy(&out);
    assert!(message.contains(&format!("`{feature}`")), "{message}");
    assert!(message.contains(why), "{message}");
    assert!(message.contains("Nothing was stored"), "{message}");
    assert_eq!((model_versions(db), events(db, "model_trained")), before);
}

#[test]
fn the_demo_documents_every_feature_and_lists_it_as_text_and_json() {
    let db = demo(300);
    let features = query_i64(
        &db.path,
        "SELECT json_array_length(value) FROM settings WHERE key = 'features'",
    );
    assert_eq!(features, 18);
    // Every feature of the caseload has a row, approved by the admin who made the demo.
    let documented = query_i64(
        &db.path,
        &format!(
            "SELECT count(*) FROM feature_metadata m
             JOIN json_each((SELECT value FROM settings WHERE key = 'features')) f
               ON m.name = json_extract(f.value, '$[0]')
             WHERE m.approved_by = '{}' AND m.source != '' AND m.legal_basis != ''
               AND m.description != ''",
            os_user()
        ),
    );
    assert_eq!(documented, 18);
    assert_eq!(events(&db, "feature_documented"), 18);

    let json = features_json(&db.path, Some("ilse"));
    let list = json["features"].as_array().expect("a list of features");
    assert_eq!(list.len(), 18);
    let district = list.iter().find(|f| f["name"] == "district").unwrap();
    assert_eq!(district["kind"], "categorical");
    assert!(district["legal_basis"].as_str().unwrap().contains("Wgs"));
    assert_eq!(json["rules"]["proxy_threshold"], 0.3);
    let terms = json["rules"]["terms"]["country_of_birth"]
        .as_array()
        .unwrap();
    assert!(terms.iter().any(|t| t == "geboorteland"));

    let text = oordeel()
        .args(["--as", "fatima", "features", "list", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&text);
    assert!(text.contains("total_arrears_eur (numeric)"), "{text}");
    assert!(text.contains("18 documented features."), "{text}");
    assert!(text.contains("geboorteland"), "{text}");

    // A reviewer has no business with the documentation; refused, not an empty list.
    let out = oordeel()
        .args(["--as", "anna", "features", "list", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("may not read the feature documentation"));
}

#[test]
fn only_an_admin_documents_a_feature_and_it_is_logged() {
    let db = demo(300);
    let before = events(&db, "feature_documented");
    let out = oordeel()
        .args([
            "--as", "anna", "features", "set", "children", "--source", "x",
        ])
        .args(["--legal-basis", "y", "--description", "z", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("may not document or forbid features"));
    assert_eq!(events(&db, "feature_documented"), before);

    set(
        &db,
        "children",
        "Aantal kinderen onder de 18 in het huishouden",
    )
    .success()
    .stdout(predicates::str::contains("Feature `children` documented"));
    assert_eq!(events(&db, "feature_documented"), before + 1);
    let payload = query_i64(
        &db.path,
        "SELECT count(*) FROM events WHERE kind = 'feature_documented'
           AND json_extract(payload, '$.feature') = 'children'
           AND json_extract(payload, '$.legal_basis') = 'Wgs art. 8'
           AND json_extract(payload, '$.description') LIKE 'Aantal kinderen onder%'",
    );
    assert_eq!(payload, 1);
    // A name that is not a feature is refused, and an empty field too.
    set(&db, "kinderen", "x")
        .failure()
        .stderr(predicates::str::contains(
            "not in this caseload's feature list",
        ));
    set(&db, "children", "  ")
        .failure()
        .stderr(predicates::str::contains("--description may not be empty"));
    assert_eq!(events(&db, "feature_documented"), before + 1);
    oordeel()
        .args(["verify", "--db"])
        .arg(&db.path)
        .assert()
        .success();
}

#[test]
fn training_refuses_a_feature_declared_as_country_of_birth() {
    let db = demo(300);
    set(&db, "district", "Geboorteland van de hoofdbewoner")
        .success()
        .stderr(predicates::str::contains("will refuse this feature"));
    assert_refused(
        &db,
        "district",
        "description contains \"geboorteland\", a protected ground or known proxy (country of birth)",
    );
}

#[test]
fn training_refuses_a_feature_named_for_nationality_even_undocumented() {
    let db = demo(300);
    // Rename a feature in the caseload's declared list; its values stay as they are.
    rename_feature(&db, "children", "nationality_code");
    assert_refused(
        &db,
        "nationality_code",
        "its name contains \"nationality\", a protected ground or known proxy (nationality)",
    );
}

#[test]
fn training_refuses_an_undocumented_feature() {
    let db = demo(300);
    rename_feature(&db, "threat", "eviction_announced");
    assert_refused(&db, "eviction_announced", "has no documentation");
    // Documenting it lets training go on.
    set(
        &db,
        "eviction_announced",
        "Aangekondigde ontruiming of afsluiting",
    )
    .success();
    train(&db).success();
}

#[test]
fn a_term_the_admin_forbids_refuses_the_features_it_describes() {
    let db = demo(300);
    set(&db, "district", "Woonwijk van het adres").success();
    train(&db).success();
    oordeel()
        .args(["--as", "anna", "features", "forbid", "woonwijk", "--db"])
        .arg(&db.path)
        .assert()
        .failure();
    assert_eq!(events(&db, "feature_term_forbidden"), 0);
    oordeel()
        .args(["features", "forbid", "woonwijk", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(predicates::str::contains("\"woonwijk\" is now forbidden"));
    assert_eq!(events(&db, "feature_term_forbidden"), 1);
    oordeel()
        .args(["features", "forbid", "WOONWIJK", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(predicates::str::contains("forbidden already"));
    assert_eq!(events(&db, "feature_term_forbidden"), 1);
    assert_refused(
        &db,
        "district",
        "contains \"woonwijk\", a protected ground or known proxy (a term this database forbids)",
    );
    // The rule is the database's: everyone training on it sees it.
    let json = features_json(&db.path, None);
    assert_eq!(json["rules"]["terms"]["configured"][0], "woonwijk");
}

#[test]
fn the_proxy_check_flags_district_as_a_proxy_for_migration_background() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let out = oordeel()
        .args([
            "demo",
            "--households",
            "2000",
            "--seed",
            "7",
            "--today",
            common::TODAY,
        ])
        .arg("--db")
        .arg(&path)
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8_lossy(&out);
    assert!(
        stderr.contains("feature `district` is strongly associated with the protected attribute `migration_background`"),
        "{stderr}"
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let stored: String = conn
        .query_row(
            "SELECT proxy_check FROM model_versions WHERE version = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let check: oordeel::model::ProxyCheck = serde_json::from_str(&stored).unwrap();
    assert_eq!(check.pairs.len(), 18 * 3);
    assert_eq!(check.threshold, 0.3);
    let rows = query_i64(
        &path,
        "SELECT count(*) FROM cases WHERE status = 'closed' AND outcome IS NOT NULL",
    );
    assert_eq!(check.rows as i64, rows);
    let pair = |f: &str, a: &str| {
        check
            .pairs
            .iter()
            .find(|p| p.feature == f && p.attribute == a)
            .unwrap()
            .clone()
    };
    let district = pair("district", "migration_background");
    assert!(district.strong_proxy, "{district:?}");
    assert!(
        district.cramers_v >= 0.3 && district.cramers_v < 0.4,
        "{district:?}"
    );
    assert_eq!((district.feature_levels, district.attribute_levels), (5, 3));
    // A signal flag says nothing about gender: measured, not flagged.
    let water = pair("water_signal", "gender");
    assert!(!water.strong_proxy && water.cramers_v < 0.1, "{water:?}");
}

/// Feature documentation is shown to approvers and published in the register: a terminal
/// escape, a bidi override or an invisible character in it is refused, naming the field and
/// the character, and nothing is written.
#[test]
fn hidden_characters_in_documentation_or_terms_are_refused() {
    let db = demo(300);
    let before = events(&db, "feature_documented");
    for hostile in [
        "Totale achterstand \u{1b}]52;c;SGVsbG8=\u{7}",
        "Totale \u{202e}dnatsrethca",
        "zero\u{200b}width",
    ] {
        let out = set(&db, "total_arrears_eur", hostile)
            .failure()
            .get_output()
            .stderr
            .clone();
        let message = String::from_utf8_lossy(&out);
        assert!(message.contains("--description"), "{message}");
        assert!(message.contains("U+"), "{message}");
        assert!(
            !message.contains('\u{1b}'),
            "the message itself is safe: {message:?}"
        );
    }
    assert_eq!(events(&db, "feature_documented"), before);
    oordeel()
        .args(["features", "forbid", "wijk\u{1b}[2J", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(predicates::str::contains("U+001B"));
    assert_eq!(events(&db, "feature_term_forbidden"), 0);
}

/// Forbidding a term that catches a feature of the version ranking the queue says so at once.
#[test]
fn forbidding_a_term_used_by_the_model_in_use_warns() {
    let db = demo(300);
    oordeel()
        .args(["features", "forbid", "wijk", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stderr(predicates::str::contains("model version 1 ranks the queue"))
        .stderr(predicates::str::contains("`district`"));
}
