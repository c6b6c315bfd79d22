//! Lindenhaven, the example municipality of `assets/examples/`, for the tests of a
//! municipality's own data: the commands run as docs/administration.md's walkthrough runs them, from the
//! examples' folder, on a database named by OORDEEL_DB.

use std::path::{Path, PathBuf};

use predicates::str::contains;

pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/lindenhaven")
}

/// `oordeel ARGS` in the examples' folder, on `db` (as `export OORDEEL_DB=...` does).
pub fn run(db: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    super::oordeel()
        .current_dir(examples())
        .env("OORDEEL_DB", db)
        .args(args)
        .assert()
}

pub fn stdout(a: assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.success().get_output().stdout.clone()).unwrap()
}

/// Lindenhaven after its first client extract, no signals yet.
pub fn with_households(dir: &Path) -> PathBuf {
    let db = dir.join("lindenhaven.db");
    run(&db, &["init", "--municipality", "Lindenhaven"]).success();
    run(
        &db,
        &[
            "households",
            "import",
            "--profile",
            "klanten.toml",
            "klanten-2026-10.csv",
        ],
    )
    .success()
    .stdout(contains("240 households added"));
    db
}

pub const SIGNAL_HEADER: &str = "soort;schuldeiser;bsn;naam;postcode;huisnummer;geboortedatum;bedrag;maanden;datum;einde_levering;dreiging";

/// Writes `text` to `dir/name`; returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// The first extract's header, for extracts of a few rows (ASCII, so Windows-1252 as well).
pub fn client_header() -> String {
    let bytes = std::fs::read(examples().join("klanten-2026-10.csv")).unwrap();
    let first = bytes.split(|b| *b == b'\n').next().unwrap();
    String::from_utf8(first.to_vec())
        .unwrap()
        .trim_end()
        .to_owned()
}

/// A valid BSN (elfproef) that no example file holds.
pub const NEW_BSN: &str = "111222333";
/// Yara Jansen's BSN, household K100200 of the first extract.
pub const YARAS_BSN: &str = "532450231";

pub fn count(db: &Path, sql: &str) -> i64 {
    super::query_i64(db, sql)
}
