//! `oordeel import` end to end with the real binary: DUO's sample through its profile and the
//! fairness audit on it, a municipal export (semicolons, Windows-1252, decimal commas,
//! dd-mm-yyyy, a quoted note over two lines), a bad BSN on line 812 that refuses the whole
//! file, dry runs, roles, a repeated import, and hostile text. Every refusal leaves the
//! database byte for byte as it was.

use crate::common;

use std::path::{Path, PathBuf};

use common::{DemoDb, oordeel, query_i64};
use sha2::{Digest, Sha256};

const DUO_PROFILE: &str = "assets/profiles/duo-cub-2014.toml";
const DUO_FILE: &str = "tests/data/duo-cub-2014/Table1_SD_20k.csv";
const MUNICIPAL_PROFILE: &str = "assets/profiles/gemeente-vroegsignalering.toml";

const HEADER: &str = "Dossiernummer;Wijk;BSN;Naam;Geboortedatum;Huishouden;Schuldeiser;\
                      Achterstand (EUR);Maanden achterstand;Datum signaal;Geslacht;\
                      Migratieachtergrond;Hulp aanvaard;Risicoscore;Opmerking";

fn db() -> DemoDb {
    common::demo(100)
}

fn hash(path: &Path) -> String {
    hex::encode(Sha256::digest(
        std::fs::read(path).expect("database readable"),
    ))
}

fn import(db: &Path, profile: &str, file: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    oordeel()
        .args(["import", "--profile", profile])
        .arg(file)
        .args(extra)
        .arg("--db")
        .arg(db)
        .assert()
}

fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// One municipal row; `n` makes the id, BSN and figures differ.
fn row(n: u32, bsn: &str) -> String {
    let wijk = if n.is_multiple_of(2) { "Noord" } else { "Zuid" };
    let outcome = ["ja", "nee", ""][n as usize % 3];
    format!(
        "D-{n:06};{wijk};{bsn};Zoë Ëlçin-{n};{:02}-06-1980;eenoudergezin;huur;1.{:03},56;{};\
         02-11-2026;vrouw;Nederland;{outcome};0,{:02};",
        n % 28 + 1,
        n % 1000,
        n % 12,
        n % 100
    )
}

fn valid_bsn(n: u32) -> String {
    oordeel::domain::bsn::from_block(1_000_000 + n, n)
}

/// Writes `text` as Windows-1252, with CRLF line ends, as Excel on a Dutch Windows does.
fn write_1252(dir: &Path, name: &str, text: &str) -> PathBuf {
    let crlf = text.replace('\n', "\r\n");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&crlf);
    assert!(!unmappable, "test text fits Windows-1252");
    let path = dir.join(name);
    std::fs::write(&path, &bytes).expect("write file");
    path
}

#[test]
fn duo_imports_through_its_profile_and_is_audited_once() {
    let db = db();
    let events = query_i64(&db.path, "SELECT count(*) FROM events");
    let done = import(&db.path, DUO_PROFILE, Path::new(DUO_FILE), &[]).success();
    let out = String::from_utf8_lossy(&done.get_output().stdout).into_owned();
    assert!(out.contains("20000 rows read"), "{out}");
    assert!(
        out.contains("outcome 1: 338, 0: 70, unknown: 19592"),
        "{out}"
    );
    assert_eq!(
        query_i64(&db.path, "SELECT count(*) FROM import_records"),
        20_000
    );
    // Age is protected: kept apart, never among the features.
    assert_eq!(
        query_i64(&db.path, "SELECT count(*) FROM import_protected"),
        20_000
    );
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT count(*) FROM import_records WHERE json_extract(features, '$.Age') IS NOT NULL"
        ),
        0
    );
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind = 'import'
             AND json_extract(payload, '$.file_sha256') =
             '026b82847684b2d23a3a3ac355044596544c748ad69ef7932c1e3ee904a1a2df'
             AND json_extract(payload, '$.records') = 20000"
        ),
        1
    );
    assert_eq!(
        query_i64(&db.path, "SELECT count(*) FROM events"),
        events + 1
    );
    oordeel()
        .args(["verify", "--db"])
        .arg(&db.path)
        .assert()
        .success();

    // The visited students only: the bootstrap over all 20,000 takes seconds in a debug build.
    let report = oordeel()
        .args([
            "report",
            "fairness",
            "--import",
            "latest",
            "--by",
            "Education",
        ])
        .args([
            "--labelled",
            "--cutoff",
            "score:5",
            "--format",
            "json",
            "--db",
        ])
        .arg(&db.path)
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_slice(&report.get_output().stdout).expect("JSON");
    assert_eq!(json["source"], "import");
    assert_eq!(json["population"], 408);
    assert_eq!(json["outcome"], "recorded");
    assert_eq!(json["import"]["outcome_known"], 408);
    assert_eq!(json["import"]["records"], 20_000);
    assert_eq!(json["model"]["groups"].as_array().map(Vec::len), Some(4));
    // The audit may group by what the model may not use; personal data and ids it may not.
    oordeel()
        .args([
            "report",
            "fairness",
            "--import",
            "1",
            "--by",
            "Outcome appeal",
            "--db",
        ])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(predicates::str::contains("not a group column"));

    let before = hash(&db.path);
    let again = import(&db.path, DUO_PROFILE, Path::new(DUO_FILE), &[]).failure();
    assert!(stderr(&again).contains("imported through this profile before: import 1"));
    assert_eq!(hash(&db.path), before);
}

#[test]
fn a_semicolon_windows_1252_file_with_decimal_commas_imports() {
    let db = db();
    let mut text = format!("{HEADER}\n");
    for n in 1..=20 {
        text.push_str(&row(n, &valid_bsn(n)));
        text.push('\n');
    }
    // A quoted note over two lines, with a semicolon in it.
    text.push_str(&row(21, "10000008").replace(";0,21;", ";0,21;\"eerst bellen;\nna 17:00\""));
    text.push('\n');
    let file = write_1252(db.dir.path(), "export.csv", &text);
    let done = import(&db.path, MUNICIPAL_PROFILE, &file, &[]).success();
    let out = String::from_utf8_lossy(&done.get_output().stdout).into_owned();
    assert!(
        out.contains("Windows-1252, delimiter \";\", decimal comma"),
        "{out}"
    );
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let (features, team, score, display): (String, String, f64, String) = conn
        .query_row(
            "SELECT features, team, external_score, display FROM import_records
             WHERE external_id = 'D-000021'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let features: serde_json::Value = serde_json::from_str(&features).unwrap();
    assert_eq!(features["Achterstand (EUR)"], 1021.56);
    assert_eq!(features["Maanden achterstand"], 9.0);
    assert_eq!(team, "Zuid");
    assert_eq!(score, 0.21);
    let display: serde_json::Value = serde_json::from_str(&display).unwrap();
    assert_eq!(display["Opmerking"], "eerst bellen;\r\nna 17:00");
    assert_eq!(display["Datum signaal"], "2026-11-02");
    let personal: String = conn
        .query_row(
            "SELECT fields FROM import_personal WHERE external_id = 'D-000021'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let personal: serde_json::Value = serde_json::from_str(&personal).unwrap();
    assert_eq!(personal["Naam"], "Zoë Ëlçin-21");
    assert_eq!(
        personal["BSN"], "010000008",
        "eight digits get their leading zero"
    );
    assert_eq!(personal["Geboortedatum"], "1980-06-22");
    // No personal data or protected attribute in the record itself.
    assert!(features.get("Naam").is_none() && features.get("Geslacht").is_none());
}

#[test]
fn one_bad_bsn_on_line_812_refuses_the_whole_file() {
    let db = db();
    let mut text = format!("{HEADER}\n");
    for n in 2..=900 {
        let bsn = if n == 812 {
            "123456789".to_owned()
        } else {
            valid_bsn(n)
        };
        text.push_str(&row(n, &bsn));
        text.push('\n');
    }
    let file = write_1252(db.dir.path(), "signalen.csv", &text);
    let before = hash(&db.path);
    let refused = import(&db.path, MUNICIPAL_PROFILE, &file, &[]).failure();
    let err = stderr(&refused);
    assert!(
        err.contains("signalen.csv:812: column `BSN`: expected a BSN of 9 digits that passes the elfproef, found `123456789`"),
        "{err}"
    );
    assert!(err.contains("1 fault in 899 rows"), "{err}");
    assert!(err.contains("Nothing was changed"), "{err}");
    assert_eq!(
        err.matches(".csv:").count(),
        2,
        "only line 812 is named: {err}"
    );
    assert_eq!(
        hash(&db.path),
        before,
        "the database is byte for byte unchanged"
    );
}

#[test]
fn a_dry_run_reports_and_writes_nothing() {
    let db = db();
    let before = hash(&db.path);
    let done = import(&db.path, DUO_PROFILE, Path::new(DUO_FILE), &["--dry-run"]).success();
    let out = String::from_utf8_lossy(&done.get_output().stdout).into_owned();
    assert!(out.contains("20000 records: outcome 1: 338"), "{out}");
    assert!(
        out.contains("Dry run: nothing was written and nothing logged."),
        "{out}"
    );
    assert_eq!(hash(&db.path), before);
}

#[test]
fn only_admins_import() {
    let db = db();
    let before = hash(&db.path);
    for name in ["anna", "fatima", "ilse"] {
        oordeel()
            .args([
                "--as",
                name,
                "import",
                "--profile",
                DUO_PROFILE,
                DUO_FILE,
                "--db",
            ])
            .arg(&db.path)
            .assert()
            .failure()
            .stderr(predicates::str::contains("may not manage data and models"));
    }
    assert_eq!(hash(&db.path), before);
}

#[test]
fn bad_profiles_are_refused_with_the_key_named() {
    let db = db();
    let dir = db.dir.path();
    let original = std::fs::read_to_string(DUO_PROFILE).unwrap();
    let cases = [
        (
            original.replace("min = 1", "minimum = 1"),
            "unknown field `minimum`",
        ),
        (
            original.replace(
                "role = \"protected\"",
                "role = \"feature\"\nkind = \"categorical\"",
            ),
            "column `Age` may not be a feature",
        ),
        (
            original.replace("[columns.Education]", "[columns.Opleiding]"),
            "column `Opleiding`: the profile names this column, but the header lacks it",
        ),
    ];
    let before = hash(&db.path);
    for (i, (text, expected)) in cases.iter().enumerate() {
        let profile = dir.join(format!("p{i}.toml"));
        std::fs::write(&profile, text).unwrap();
        let refused = import(
            &db.path,
            profile.to_str().unwrap(),
            Path::new(DUO_FILE),
            &[],
        )
        .failure();
        assert!(stderr(&refused).contains(expected), "{}", stderr(&refused));
    }
    assert_eq!(hash(&db.path), before);
}

#[test]
fn hostile_cells_never_reach_the_terminal_raw() {
    let db = db();
    let mut text = format!("{HEADER}\n");
    text.push_str(&row(1, &valid_bsn(1)).replace("D-000001", "\"D-\u{1b}]52;c;aGk=\u{7}1\""));
    text.push('\n');
    text.push_str(&row(2, &valid_bsn(2)).replace(";2;02-11", ";\u{1b}[2J\u{202e};02-11"));
    text.push('\n');
    let file = write_1252(
        db.dir.path(),
        "vijandig.csv",
        &text.replace('\u{202e}', "x"),
    );
    let refused = import(&db.path, MUNICIPAL_PROFILE, &file, &[]).failure();
    let err = stderr(&refused);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("vijandig.csv:2: column `Dossiernummer`: expected plain characters, found the invisible or control character U+001B"), "{err}");
    assert!(
        err.contains("vijandig.csv:3: column `Maanden achterstand`: expected a number"),
        "{err}"
    );
    // The same in UTF-8 with a bidi override, which Windows-1252 cannot hold.
    let utf8 = db.dir.path().join("vijandig-utf8.csv");
    std::fs::write(&utf8, text.replace("\n", "\r\n")).unwrap();
    let profile = db.dir.path().join("utf8.toml");
    let profile_text = std::fs::read_to_string(MUNICIPAL_PROFILE).unwrap();
    std::fs::write(&profile, profile_text.replace("windows-1252", "utf-8")).unwrap();
    let refused = import(&db.path, profile.to_str().unwrap(), &utf8, &[]).failure();
    let err = stderr(&refused);
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{202e}'),
        "{err:?}"
    );
}
