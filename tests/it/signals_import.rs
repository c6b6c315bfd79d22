//! `oordeel signals import`: a month's vroegsignalering file as a municipality receives it
//! (semicolons, decimal commas, Windows-1252, dd-mm-yyyy), attached to its households with
//! flags and deadlines that skip weekends and King's Day; faults named by line with nothing
//! written; the demo writes the same format.

use crate::common;

use common::{DemoDb, demo, oordeel, query_i64};
use predicates::str::contains;
use sha2::{Digest, Sha256};

fn run(db: &DemoDb, args: &[&str]) -> assert_cmd::assert::Assert {
    oordeel().args(args).arg("--db").arg(&db.path).assert()
}

fn write(db: &DemoDb, name: &str, text: &str) -> String {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let path = db.dir.path().join(name);
    std::fs::write(&path, &bytes).unwrap();
    path.display().to_string()
}

fn db_hash(db: &DemoDb) -> String {
    hex::encode(Sha256::digest(std::fs::read(&db.path).unwrap()))
}

/// (opened_on, deadline_on, urgent, multiple) of the household's case opened in that month.
fn case_of(db: &DemoDb, household: &str, month: &str) -> (String, String, i64, i64) {
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.query_row(
        "SELECT c.opened_on, c.deadline_on, c.urgent, c.multiple_signals FROM cases c
         JOIN households h ON h.id = c.household_id
         WHERE h.pseudonym = ?1 AND substr(c.opened_on, 1, 7) = ?2",
        [household, month],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
    .unwrap()
}

/// A household of the demo with no signal in March or April 2026 (its history may have one,
/// which would then open the month's case earlier).
fn without_spring_case(db: &DemoDb, skip: usize) -> String {
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.query_row(
        "SELECT pseudonym FROM households h WHERE NOT EXISTS (SELECT 1 FROM signals s
           WHERE s.household_id = h.id AND s.received_on >= '2026-03-01'
             AND s.received_on < '2026-05-01')
         ORDER BY id LIMIT 1 OFFSET ?1",
        [skip as i64],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn deadlines_skip_kings_day_and_weekends() {
    let db = demo(400);
    let (a, b) = (without_spring_case(&db, 0), without_spring_case(&db, 1));
    let file = write(
        &db,
        "signalen-april.csv",
        &format!(
            "soort;schuldeiser;huishouden;bedrag;maanden;datum;einde_levering;dreiging\r\n\
             energie;Energie Zuidrand;{a};1.234,56;3;23-04-2026;15-05-2026;ja\r\n\
             water;Waterbedrijf Voorbeeldstad;{a};87,50;2;24-04-2026;;nee\r\n\
             huur;Woonstichting Eigen Haard é;{b};612,00;2;30-03-2026;;nee\r\n"
        ),
    );
    let before = query_i64(&db.path, "SELECT count(*) FROM cases WHERE status = 'open'");
    run(&db, &["signals", "import", &file])
        .success()
        .stdout(contains("3 signals for 2 households imported"))
        .stdout(contains("2 cases opened"));
    // Thursday 23 April 2026 with a threat: 3 working days are Fri 24, Tue 28 (Monday the
    // 27th is King's Day) and Wed 29.
    assert_eq!(
        case_of(&db, &a, "2026-04"),
        ("2026-04-23".into(), "2026-04-29".into(), 1, 1)
    );
    // Monday 30 March without one: 4 weeks end on King's Day, so the next working day.
    assert_eq!(
        case_of(&db, &b, "2026-03"),
        ("2026-03-30".into(), "2026-04-28".into(), 0, 0)
    );
    assert_eq!(
        query_i64(&db.path, "SELECT count(*) FROM cases WHERE status = 'open'"),
        before + 2
    );
    let creditor: String = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT creditor FROM signals WHERE creditor LIKE 'Woonstichting Eigen%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        creditor, "Woonstichting Eigen Haard é",
        "Windows-1252 decoded"
    );
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind = 'signals_imported'
               AND json_extract(payload, '$.cases_opened') = 2"
        ),
        1
    );
    // The same file again is refused; the new cases are ranked by the next scoring run.
    run(&db, &["signals", "import", &file])
        .failure()
        .stderr(contains("imported before"));
    run(&db, &["score"]).success();
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT count(*) FROM cases c JOIN households h ON h.id = c.household_id
             WHERE c.opened_on >= '2026-03-01' AND c.opened_on < '2026-05-01'
               AND c.status = 'open' AND c.probability IS NOT NULL"
        ),
        2
    );
    run(&db, &["verify"]).success();
}

#[test]
fn a_file_with_faults_is_refused_whole_with_each_line_named() {
    let db = demo(300);
    let file = write(
        &db,
        "fout.csv",
        "soort;schuldeiser;huishouden;bedrag;maanden;datum;dreiging\r\n\
         huur;Woonstad;H-00001;100,00;2;02-11-2026;nee\r\n\
         huur;Woonstad;H-99999;100,00;2;02-11-2026;nee\r\n\
         gas;Woonstad;H-00002;12,5x;2;31-02-2026;ja\r\n\
         huur;Woonstad;H-00003;100,00;2;01-01-2099;ja\r\n",
    );
    let hash = db_hash(&db);
    let out = run(&db, &["signals", "import", &file]).failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("fout.csv:3: column `huishouden`") && err.contains("H-99999"),
        "{err}"
    );
    assert!(err.contains("fout.csv:4: column `soort`"), "{err}");
    assert!(err.contains("fout.csv:4: column `bedrag`"), "{err}");
    assert!(err.contains("fout.csv:4: column `datum`"), "{err}");
    assert!(
        err.contains("fout.csv:5: column `datum`") && err.contains("in the future"),
        "{err}"
    );
    assert!(err.contains("Nothing was changed"), "{err}");
    assert_eq!(db_hash(&db), hash, "the database is unchanged");
    // A dry run of a good file writes nothing either; a reviewer may not import.
    let good = write(
        &db,
        "goed.csv",
        "soort;schuldeiser;huishouden;bedrag;maanden;datum;dreiging\r\nhuur;Woonstad;H-00001;100,00;2;02-02-2026;nee\r\n",
    );
    run(&db, &["signals", "import", &good, "--dry-run"])
        .success()
        .stdout(contains("Dry run"));
    assert_eq!(db_hash(&db), hash);
    run(&db, &["--as", "anna", "signals", "import", &good])
        .failure()
        .stderr(contains("admins only"));
    let missing = write(&db, "kop.csv", "soort;huishouden\r\nhuur;H-00001\r\n");
    run(&db, &["signals", "import", &missing])
        .failure()
        .stderr(contains("column `schuldeiser`"));
    // Without `dreiging` every threatened household would get four weeks: refused.
    let no_threat = write(
        &db,
        "zonder.csv",
        "soort;schuldeiser;huishouden;bedrag;maanden;datum\r\nhuur;W;H-00001;1;2;02-02-2026\r\n",
    );
    run(&db, &["signals", "import", &no_threat])
        .failure()
        .stderr(contains("column `dreiging`"));
}

/// The demo writes its open cases' signals in the same format; reading that file back finds
/// every signal already known, so the writer and the reader agree on every field.
#[test]
fn the_demo_writes_the_format_the_import_reads() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let file = dir.path().join("signalen.csv");
    oordeel()
        .args([
            "demo",
            "--households",
            "300",
            "--seed",
            "7",
            "--today",
            common::TODAY,
        ])
        .arg("--db")
        .arg(&db)
        .arg("--signal-file")
        .arg(&file)
        .assert()
        .success()
        .stderr(contains("Signal file of the reference month written"));
    let signals = std::fs::read_to_string(&file).unwrap();
    assert!(signals.starts_with("soort;schuldeiser;huishouden;bedrag;maanden;datum"));
    let lines = signals.lines().count() - 1;
    oordeel()
        .args(["signals", "import"])
        .arg(&file)
        .arg("--db")
        .arg(&db)
        .assert()
        .success()
        .stdout(contains(format!("{lines} signals were known already")))
        .stdout(contains("0 signals for 0 households"));
}
