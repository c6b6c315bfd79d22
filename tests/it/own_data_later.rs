//! What a later month does to a municipality's own database: an extract that renumbers a
//! client, brings a waiting signal's person or moves a household; the same extract read
//! through a corrected profile; a second month's signals beside the first's cases.

use crate::common;

use common::lindenhaven::{
    NEW_BSN, SIGNAL_HEADER, YARAS_BSN, client_header, count, examples, run, with_households, write,
};
use predicates::str::contains;

#[test]
fn a_later_extract_links_a_new_key_by_bsn_and_attaches_the_signals_that_waited_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = with_households(dir.path());
    // A creditor names someone by BSN whom the register does not hold yet: the signal waits.
    let signals = write(
        dir.path(),
        "wacht.csv",
        &format!("{SIGNAL_HEADER}\nhuur;Woonstad;{NEW_BSN};;;;;912,40;3;20-11-2026;;ja\n"),
    );
    run(&db, &["signals", "import", &signals])
        .success()
        .stdout(contains("1 signal matches no household"));
    let header = client_header();
    // The client system renumbered Yara Jansen (same BSN, new key), and Sem Visser moved in.
    let bytes = std::fs::read(examples().join("klanten-2026-10.csv")).unwrap();
    let yara = String::from_utf8(bytes.split(|b| *b == b'\n').nth(1).unwrap().to_vec())
        .unwrap()
        .trim_end()
        .replacen("K100200", "K900200", 1);
    let extract = write(
        dir.path(),
        "klanten-later.csv",
        &format!(
            "{header}\n{yara}\nK900001;{NEW_BSN};Sem Visser;Dijkgraafstraat;301;8925 AN;Lindenhaven;02-03-1990;alleenstaand;0;loondienst;Zuid;nee;nee;nee;M;Nederland\n"
        ),
    );
    run(
        &db,
        &[
            "households",
            "import",
            "--profile",
            "klanten.toml",
            &extract,
        ],
    )
    .success()
    .stdout(contains("1 household added, 1 updated"))
    .stdout(contains(": key"))
    .stdout(contains("1 waiting signal names someone in this extract"))
    .stdout(contains("1 case opened"));
    assert_eq!(count(&db, "SELECT count(*) FROM households"), 241);
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM personal_data WHERE bsn = '{YARAS_BSN}'")
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM unmatched_signals WHERE resolved_seq IS NULL"
        ),
        0
    );
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) FROM cases c JOIN personal_data p USING (household_id)
                  WHERE p.bsn = '{NEW_BSN}' AND c.status = 'open'"
            )
        ),
        1
    );
    run(&db, &["verify"]).success().stdout(contains("intact"));
}

#[test]
fn a_household_that_moves_to_another_district_takes_its_undecided_case_along() {
    let dir = tempfile::tempdir().unwrap();
    let db = with_households(dir.path());
    run(&db, &["signals", "import", "signalen-2026-10.csv"]).success();
    let (case_id, key, team): (i64, String, String) = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT c.id, k.key, c.team FROM cases c
               JOIN household_keys k ON k.household_id = c.household_id
             WHERE c.status = 'open' ORDER BY c.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let to = if team == "Noord" { "Oost" } else { "Noord" };
    let bytes = std::fs::read(examples().join("klanten-2026-10.csv")).unwrap();
    let row = bytes
        .split(|b| *b == b'\n')
        .find(|line| line.starts_with(format!("{key};").as_bytes()))
        .unwrap();
    let mut cells: Vec<Vec<u8>> = row
        .strip_suffix(b"\r")
        .unwrap_or(row)
        .split(|b| *b == b';')
        .map(<[u8]>::to_vec)
        .collect();
    cells[11] = to.as_bytes().to_vec();
    let mut extract = client_header().into_bytes();
    extract.push(b'\n');
    extract.extend(cells.join(&b';'));
    extract.push(b'\n');
    let path = dir.path().join("verhuisd.csv");
    std::fs::write(&path, extract).unwrap();
    run(
        &db,
        &[
            "households",
            "import",
            "--profile",
            "klanten.toml",
            path.to_str().unwrap(),
        ],
    )
    .success()
    .stdout(contains(": district"))
    .stdout(contains(
        "1 undecided case follows its household to its new team",
    ));
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM cases WHERE id = {case_id} AND team = '{to}'")
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) FROM events WHERE kind = 'reassigned' AND case_id = {case_id}
                   AND json_extract(payload, '$.from') = '{team}'
                   AND json_extract(payload, '$.to') = '{to}'"
            )
        ),
        1
    );
    run(&db, &["verify"]).success().stdout(contains("intact"));
}

#[test]
fn the_same_extract_is_read_again_only_through_a_corrected_profile() {
    let dir = tempfile::tempdir().unwrap();
    let db = with_households(dir.path());
    let extract = examples().join("klanten-2026-10.csv");
    let extract = extract.to_str().unwrap();
    run(
        &db,
        &["households", "import", "--profile", "klanten.toml", extract],
    )
    .failure()
    .stderr(contains("imported through this profile already"));
    // The profile corrected (here: only its description), the same file reads again.
    let profile = std::fs::read_to_string(examples().join("klanten.toml"))
        .unwrap()
        .replacen("description = \"", "description = \"Verbeterd: ", 1);
    let corrected = write(dir.path(), "klanten-verbeterd.toml", &profile);
    run(
        &db,
        &["households", "import", "--profile", &corrected, extract],
    )
    .success()
    .stdout(contains("0 households added, 0 updated, 240 unchanged"));
    assert_eq!(count(&db, "SELECT count(*) FROM households"), 240);
}

/// A purge erases how a creditor named a person whose signal still waits (`identity` '{}',
/// as `oordeel purge` writes it after 183 days); the listing says so instead of showing a
/// blank.
#[test]
fn a_waiting_signal_whose_person_a_purge_erased_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = with_households(dir.path());
    run(&db, &["signals", "import", "signalen-2026-10.csv"]).success();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE unmatched_signals SET identity = '{}' WHERE id = 1",
            [],
        )
        .unwrap();
    let out = run(&db, &["signals", "unmatched"]).success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let first = text.lines().nth(1).unwrap();
    assert!(
        first.ends_with("(whom it names was erased by a purge)"),
        "{text}"
    );
}

/// Month two: a household whose October case is still open gets a November case. The
/// October case's pane counts only what came before it; November's signals are the new
/// case's, not "earlier" ones.
#[test]
fn a_case_counts_the_earlier_signals_of_its_household_not_the_later_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = with_households(dir.path());
    run(&db, &["signals", "import", "signalen-2026-10.csv"]).success();
    run(&db, &["signals", "import", "signalen-2026-11.csv"]).success();
    let october: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT c.id FROM cases c WHERE c.status = 'open' AND c.opened_on < '2026-11-01'
               AND EXISTS (SELECT 1 FROM signals s WHERE s.household_id = c.household_id
                             AND s.received_on >= '2026-11-01')
             ORDER BY c.id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut app = common::console::open_as_me(&db, 120, 40);
    // No model: the queue is in deadline order; walk to the October case.
    for _ in 0..200 {
        if app.selected().map(|r| r.case_id) == Some(october) {
            break;
        }
        common::console::press(&mut app, "j");
    }
    assert_eq!(app.selected().map(|r| r.case_id), Some(october));
    let text = common::console::screen(&app, 120, 40);
    assert!(!text.contains("earlier signal"), "{text}");
    common::console::press(&mut app, "<enter>");
    let full = common::console::screen(&app, 120, 40);
    assert!(!full.contains("received 2026-11"), "{full}");
    assert!(full.contains("received 2026-10"), "{full}");
}
