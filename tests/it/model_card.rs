//! `oordeel report model`: the model card as text, JSON and one self-contained HTML file.

use crate::common;

use std::path::Path;

use assert_cmd::assert::Assert;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

fn card(db: &Path, args: &[&str]) -> Assert {
    common::oordeel()
        .args(["report", "model", "--db"])
        .arg(db)
        .args(args)
        .assert()
}

fn stdout(a: &Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

fn stderr(a: &Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// A demo of 2,000 households where simulated reviewers decided 150 cases.
fn reviewed_demo() -> common::DemoDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.db");
    common::oordeel()
        .args([
            "demo",
            "--households",
            "2000",
            "--seed",
            "7",
            "--reviewed",
            "150",
        ])
        .args(["--today", common::TODAY, "--db"])
        .arg(&path)
        .assert()
        .success();
    common::DemoDb { dir, path }
}

#[test]
fn the_text_card_covers_every_section_and_fits_80_columns() {
    let db = reviewed_demo();
    let text = stdout(&card(&db.path, &[]).success());
    for heading in [
        "Purpose",
        "Data",
        "Features and their governance",
        "Quality (on the held-out cases)",
        "Calibration",
        "Fairness of the selection",
        "Proxy check",
        "Human oversight",
        "Limits",
    ] {
        assert!(
            text.lines().any(|l| l == heading),
            "no section {heading:?} in\n{text}"
        );
    }
    for line in text.lines() {
        assert!(line.width() <= 80, "wider than 80: {line:?}");
    }
    // Phrases are checked with the line breaks of the 80-column layout taken out.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // The demo's first version: approved by its trainer, marked as the demo shortcut.
    assert!(flat.contains("a shortcut only the demo may take"), "{text}");
    assert!(
        flat.contains("So far in this database (all model versions): 150 decisions by 3"),
        "{text}"
    );
    // Governance of each feature, and the planted proxy flagged.
    assert!(flat.contains("legal basis: Wgs art. 3a"), "{text}");
    let district_proxy = text
        .lines()
        .find(|l| l.starts_with("district") && l.contains("migration_background"))
        .unwrap_or_else(|| panic!("no district proxy line in\n{text}"));
    assert!(
        district_proxy.contains("! strong proxy"),
        "{district_proxy}"
    );
    // The planted bias: outside-Europe households are selected more often than their need
    // warrants, flagged against the Dutch-background reference group.
    let outside = text
        .lines()
        .find(|l| l.starts_with("outside_europe") && l.contains('%'))
        .unwrap_or_else(|| panic!("no outside_europe fairness row in\n{text}"));
    let selection = outside.split_whitespace().nth(2).unwrap();
    assert!(
        selection.ends_with("%!"),
        "selection not flagged: {outside}"
    );
    // Per-group quality for all three protected attributes.
    for attribute in [
        "gender = female",
        "age_band = 65+",
        "migration_background = europe",
    ] {
        assert!(text.contains(attribute), "{attribute} missing in\n{text}");
    }
}

#[test]
fn the_json_card_carries_the_figures() {
    let db = reviewed_demo();
    let json: Value =
        serde_json::from_str(&stdout(&card(&db.path, &["--format", "json"]).success()))
            .expect("JSON");
    assert_eq!(json["model"]["version"], 1);
    assert_eq!(json["model"]["in_use"], true);
    assert_eq!(json["model"]["demo_shortcut"], true);
    assert_eq!(json["features"].as_array().unwrap().len(), 18);
    assert!(
        json["features"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["legal_basis"].is_string()),
        "every demo feature is documented"
    );
    let attributes: Vec<&str> = json["evaluation"]["by_attribute"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["attribute"].as_str().unwrap())
        .collect();
    assert_eq!(attributes, ["gender", "age_band", "migration_background"]);
    let bins = json["evaluation"]["overall"]["metrics"]["reliability"]["bins"]
        .as_array()
        .unwrap();
    assert_eq!(bins.len(), 10);
    let n: u64 = bins.iter().map(|b| b["n"].as_u64().unwrap()).sum();
    assert_eq!(n, json["evaluation"]["n_held_out"].as_u64().unwrap());
    assert!(json["proxy_check"]["pairs"].as_array().unwrap().len() >= 54);
    assert!(
        !json["fairness"]["report"]["groups"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(json["contribution_ranges"].as_array().unwrap().len(), 18);
    for range in json["contribution_ranges"].as_array().unwrap() {
        let f = |k: &str| range[k].as_f64().unwrap();
        assert!(f("min") <= f("p5") && f("p5") <= f("median"), "{range}");
        assert!(f("median") <= f("p95") && f("p95") <= f("max"), "{range}");
    }
    let groups: Vec<&str> = json["score_distribution"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["attribute"] == "migration_background")
        .map(|h| h["group"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["europe", "netherlands", "outside_europe"]);
}

/// One file that renders offline: inline CSS and SVG, no script, nothing fetched, and a
/// Content-Security-Policy that forbids fetching anything at all.
#[test]
fn the_html_card_is_one_self_contained_file() {
    let db = reviewed_demo();
    let out = db.dir.path().join("card.html");
    card(
        &db.path,
        &[
            "--format",
            "html",
            "--lang",
            "nl",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..80]);
    assert!(html.contains("<html lang=\"nl\">"));
    assert!(html.contains("Modelkaart"));
    assert!(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""));
    // Calibration overall and per group, the score distribution, the contribution ranges.
    let charts = html.matches("<svg").count();
    assert!(charts >= 3 + 5, "{charts} charts");
    assert!(html.contains("migration_background = outside_europe (n = "));
    assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());
    for fetch in [
        "<script", "src=", "href=", "url(", "@import", "http://", "https://",
    ] {
        assert!(
            !html.contains(fetch),
            "the card fetches or runs something: {fetch}"
        );
    }
    assert!(html.trim_end().ends_with("</html>"));
    assert!(!out.with_extension("partial").exists());
}

#[test]
fn an_unapproved_version_says_so_and_unknown_versions_are_refused() {
    let db = common::demo(600);
    common::oordeel()
        .args(["train", "--db"])
        .arg(&db.path)
        .assert()
        .success();
    let text = stdout(&card(&db.path, &["--version", "2"]).success());
    assert!(text.contains("NOT approved"), "{text}");
    assert!(text.contains("In use:         no\n"), "{text}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("This version does not rank the current queue"),
        "{text}"
    );
    let refused = card(&db.path, &["--version", "99"]).failure();
    assert!(stderr(&refused).contains("99"), "{}", stderr(&refused));
}

#[test]
fn reviewers_may_not_read_the_card() {
    let db = common::demo(300);
    let refused = card(&db.path, &["--as", "anna"]).failure();
    assert!(stderr(&refused).contains("anna"), "{}", stderr(&refused));
    card(&db.path, &["--as", "ilse"]).success();
}

/// Feature texts reach the card from the database; whatever got there (written before the
/// store refused hidden characters, or behind its back) reaches no terminal as an escape,
/// and the HTML card escapes markup.
#[test]
fn hostile_feature_texts_are_made_safe_in_the_card() {
    let db = common::demo(300);
    // In the table and in the log, as a database documented before the check would be.
    let description = "Achterstand \u{1b}]52;c;SGVsbG8=\u{7}<script>alert(1)</script>";
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let (kind, source, basis): (String, String, String) = conn
        .query_row(
            "SELECT kind, source, legal_basis FROM feature_metadata
             WHERE name = 'total_arrears_eur'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let admin = common::os_user();
    let seq = common::append_event(
        &db.path,
        (&admin, "admin"),
        "feature_documented",
        None,
        serde_json::json!({
            "feature": "total_arrears_eur", "kind": kind, "source": source,
            "legal_basis": basis, "description": description, "approved_by": admin,
        }),
    );
    conn.execute(
        "UPDATE feature_metadata SET description = ?1, approved_by = ?2,
             approved_at = (SELECT at FROM events WHERE seq = ?3)
         WHERE name = 'total_arrears_eur'",
        rusqlite::params![description, admin, seq],
    )
    .unwrap();
    drop(conn);
    let text = card(&db.path, &[]).success().get_output().stdout.clone();
    assert!(
        !text.contains(&0x1b) && !text.contains(&0x07),
        "raw escape in the text card"
    );
    let out = db.dir.path().join("card.html");
    card(
        &db.path,
        &["--format", "html", "--out", out.to_str().unwrap()],
    )
    .success();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(!html.contains("<script"), "markup survived");
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains('\u{1b}') && !html.contains('\u{7}'));
}
