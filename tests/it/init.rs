//! `oordeel init`: an empty database for a municipality's own data, with the shipped rules
//! and its creator as first admin; the console on it says what to import; `oordeel` finds a
//! real database through OORDEEL_DB or the settings file and never makes a demo there.

use crate::common;

use common::console::screen;
use common::oordeel;
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn init_makes_an_empty_database_and_refuses_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gemeente.db");
    oordeel()
        .args(["init", "--municipality", "Gemeente Voorbeeldstad", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stdout(contains("Empty database for Gemeente Voorbeeldstad"))
        .stdout(contains("first admin"))
        .stdout(contains("oordeel households import"))
        .stdout(contains(
            "Point oordeel at this database once with OORDEEL_DB",
        ));
    // The rules are there, logged; no household, case or model.
    oordeel()
        .args(["settings", "list", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stdout(contains("municipality             Gemeente Voorbeeldstad"))
        .stdout(contains("random_arm_share         0.05"))
        .stdout(contains("[[rule]]"));
    for table in ["households", "cases", "model_versions", "signals"] {
        assert_eq!(
            common::query_i64(&db, &format!("SELECT count(*) FROM {table}")),
            0,
            "{table}"
        );
    }
    oordeel()
        .args(["verify", "--db"])
        .arg(&db)
        .assert()
        .success();
    // Training without labelled history says what it needs.
    oordeel()
        .args(["train", "--db"])
        .arg(&db)
        .assert()
        .failure()
        .stderr(contains("Too little labelled history"))
        .stderr(contains("found 0"))
        .stderr(contains("oordeel history import"));

    // An existing file is refused, even an empty one, and left as it was.
    let before = std::fs::read(&db).unwrap();
    oordeel()
        .args(["init", "--municipality", "Elders", "--db"])
        .arg(&db)
        .assert()
        .failure()
        .stderr(contains("exists already"));
    assert_eq!(std::fs::read(&db).unwrap(), before);
    let empty = dir.path().join("leeg.db");
    std::fs::write(&empty, b"").unwrap();
    oordeel()
        .args(["init", "--municipality", "Elders", "--db"])
        .arg(&empty)
        .assert()
        .failure()
        .stderr(contains("exists already"));
    // A name with hidden characters leaves no database behind.
    let hostile = dir.path().join("hostile.db");
    oordeel()
        .args(["init", "--municipality", "Gemeente\u{202e}X", "--db"])
        .arg(&hostile)
        .assert()
        .failure()
        .stderr(contains("municipality"));
    assert!(!hostile.exists());
}

#[test]
fn the_console_on_an_empty_database_says_what_to_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("gemeente.db");
    oordeel()
        .args(["init", "--municipality", "Voorbeeldstad", "--db"])
        .arg(&db)
        .assert()
        .success();
    let app = common::console::open_as_me(&db, 80, 24);
    let text = screen(&app, 80, 24);
    assert!(text.contains("no model: deadline order"), "{text}");
    assert!(text.contains("Nothing imported yet"), "{text}");
    assert!(text.contains("households import"), "{text}");
}

#[test]
fn a_named_database_is_found_and_never_made_into_a_demo() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("oordeel")).unwrap();
    let db = dir.path().join("gemeente.db");
    oordeel()
        .args(["init", "--municipality", "Voorbeeldstad", "--db"])
        .arg(&db)
        .assert()
        .success();
    // The settings file's `db` is used when no --db or OORDEEL_DB names one.
    std::fs::write(
        config.join("oordeel/config.toml"),
        format!("db = {:?}\n", db.display().to_string()),
    )
    .unwrap();
    oordeel()
        .env("XDG_CONFIG_HOME", &config)
        .args(["settings", "list"])
        .assert()
        .success()
        .stdout(contains("Voorbeeldstad"));
    // `demo --force` never replaces a municipality's own database.
    let before = std::fs::read(&db).unwrap();
    oordeel()
        .env("OORDEEL_DB", &db)
        .args(["demo", "--households", "300", "--force"])
        .assert()
        .failure()
        .stderr(contains("Voorbeeldstad's own database, not a demo"))
        .stderr(contains("not even with --force"));
    assert_eq!(std::fs::read(&db).unwrap(), before);
    // A database named but not there is an error, not a new demo.
    let missing = dir.path().join("missing.db");
    oordeel()
        .env("OORDEEL_DB", &missing)
        .arg("verify")
        .assert()
        .failure()
        .stderr(contains("no database here"));
    assert!(!missing.exists());
    // A directory named instead of the file inside it: said once, plainly.
    oordeel()
        .env("OORDEEL_DB", dir.path())
        .arg("verify")
        .assert()
        .failure()
        .stderr(contains("this is a directory, not a database file"))
        .stderr(contains("unable to open").not());
    // A settings file with an unknown key is refused, naming the file.
    std::fs::write(config.join("oordeel/config.toml"), "database = \"x\"\n").unwrap();
    oordeel()
        .env("XDG_CONFIG_HOME", &config)
        .arg("verify")
        .assert()
        .failure()
        .stderr(contains("config.toml"))
        .stderr(contains("settings file is not right"));
}
