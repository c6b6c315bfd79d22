//! What a municipality's own files and the register may not do to its database: one person
//! in two households, a household the extract could never hold, a signal file with a column
//! oordeel would silently drop. Each refusal says what and where, and changes nothing; and
//! what a later extract does for the signals that waited for it and the cases of a household
//! that moved.

mod common;

use std::path::{Path, PathBuf};

use predicates::str::contains;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/lindenhaven")
}

/// `oordeel ARGS` in the examples' folder, on `db`.
fn run(db: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    common::oordeel()
        .current_dir(examples())
        .env("OORDEEL_DB", db)
        .args(args)
        .assert()
}

/// Lindenhaven after its first client extract, no signals yet.
fn with_households(dir: &Path) -> PathBuf {
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

const SIGNAL_HEADER: &str = "soort;schuldeiser;bsn;naam;postcode;huisnummer;geboortedatum;bedrag;maanden;datum;einde_levering;dreiging";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

/// The first extract's header, for extracts of a few rows (ASCII, so Windows-1252 as well).
fn client_header() -> String {
    let bytes = std::fs::read(examples().join("klanten-2026-10.csv")).unwrap();
    let first = bytes.split(|b| *b == b'\n').next().unwrap();
    String::from_utf8(first.to_vec())
        .unwrap()
        .trim_end()
        .to_owned()
}

/// A valid BSN (elfproef) that no example file holds.
const NEW_BSN: &str = "111222333";
/// Yara Jansen's BSN, household K100200 of the first extract.
const YARAS_BSN: &str = "532450231";

fn count(db: &Path, sql: &str) -> i64 {
    common::query_i64(db, sql)
}

#[test]
fn a_signal_file_with_an_unread_column_a_birth_date_to_come_or_double_encoding_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = with_households(dir.path());
    let events = count(&db, "SELECT count(*) FROM events");
    let extra = write(
        dir.path(),
        "extra.csv",
        &format!(
            "{SIGNAL_HEADER};opmerking\nhuur;Woonstad;{YARAS_BSN};;;;;800,00;2;20-11-2026;;nee;belt terug\n"
        ),
    );
    run(&db, &["signals", "import", &extra])
        .failure()
        .stderr(contains("extra.csv"))
        .stderr(contains("opmerking"))
        .stderr(contains("does not read this column"));
    let future = write(
        dir.path(),
        "toekomst.csv",
        &format!(
            "{SIGNAL_HEADER}\nwater;Vitens;;Nieuw Persoon;8925 AN;24;01-01-2031;26,02;1;20-11-2026;;nee\n"
        ),
    );
    run(&db, &["signals", "import", &future])
        .failure()
        .stderr(contains("toekomst.csv:2"))
        .stderr(contains("in the future"));
    // A file converted to UTF-8 twice: "Joël" reads "JoÃ«l", and would match nobody.
    let twice = write(
        dir.path(),
        "dubbel.csv",
        &format!(
            "{SIGNAL_HEADER}\nwater;Vitens;;Jo\u{c3}\u{ab}l Brouwer;8914 KP;93;01-09-2006;26,02;1;20-11-2026;;nee\n"
        ),
    );
    run(&db, &["signals", "import", &twice])
        .failure()
        .stderr(contains("dubbel.csv:2"))
        .stderr(contains("converted to UTF-8 twice"))
        .stderr(contains("Jo\u{eb}l"));
    assert_eq!(count(&db, "SELECT count(*) FROM signals"), 0);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM unmatched_signals WHERE resolved_seq IS NULL"
        ),
        0
    );
    assert_eq!(count(&db, "SELECT count(*) FROM events"), events);
}

#[test]
fn a_household_made_for_a_waiting_signal_is_held_to_what_an_extract_row_could_be() {
    let dir = tempfile::tempdir().unwrap();
    let db = with_households(dir.path());
    // Nobody of this name lives at this address: the signal waits.
    let file = write(
        dir.path(),
        "nieuw.csv",
        &format!(
            "{SIGNAL_HEADER}\nhuur;Woonstad;;Sem Visser;8925 AN;301;02-03-1990;912,40;3;20-11-2026;;ja\n"
        ),
    );
    run(&db, &["signals", "import", &file])
        .success()
        .stdout(contains("1 signal matches no household"));
    let households = count(&db, "SELECT count(*) FROM households");
    let events = count(&db, "SELECT count(*) FROM events");
    // The register's facts, with one of them replaced by `change`.
    let make = |change: &[(&str, &str)]| {
        let mut args = vec!["signals", "new-household", "1"];
        for (flag, value) in [
            ("--street", "Dijkgraafstraat"),
            ("--type", "single"),
            ("--income", "work"),
            ("--district", "Zuid"),
            ("--bsn", NEW_BSN),
        ]
        .into_iter()
        .chain(change.iter().copied().filter(|(f, _)| *f == "--children"))
        {
            let value = change
                .iter()
                .find(|(f, _)| *f == flag)
                .map_or(value, |(_, v)| *v);
            args.extend([flag, value]);
        }
        run(&db, &args)
    };
    make(&[("--district", "Nergens")])
        .failure()
        .stderr(contains("--district `Nergens`"))
        .stderr(contains("Noord"));
    make(&[("--street", "")])
        .failure()
        .stderr(contains("expected a street name"));
    make(&[("--street", "Dijkgraaf\u{202e}straat")])
        .failure()
        .stderr(contains("invisible or control character"));
    make(&[("--children", "2")])
        .failure()
        .stderr(contains("--children 2 does not fit --type single"));
    make(&[("--bsn", YARAS_BSN)])
        .failure()
        .stderr(contains("has this BSN already"))
        .stderr(contains("oordeel signals match 1 H-"));
    assert_eq!(count(&db, "SELECT count(*) FROM households"), households);
    assert_eq!(count(&db, "SELECT count(*) FROM events"), events);
    make(&[]).success();
    assert_eq!(
        count(&db, "SELECT count(*) FROM households"),
        households + 1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM unmatched_signals WHERE resolved_seq IS NULL"
        ),
        0
    );
}

#[test]
fn an_extract_row_that_contradicts_itself_or_names_one_person_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = with_households(dir.path());
    let header = client_header();
    let row = |key: &str, bsn: &str, kind: &str, children: u8| {
        format!(
            "{key};{bsn};Sem Visser;Dijkgraafstraat;301;8925 AN;Lindenhaven;02-03-1990;{kind};{children};loondienst;Zuid;nee;nee;nee;M;Nederland"
        )
    };
    let contradicts = write(
        dir.path(),
        "samenstelling.csv",
        &format!("{header}\n{}\n", row("K900001", NEW_BSN, "alleenstaand", 2)),
    );
    run(
        &db,
        &[
            "households",
            "import",
            "--profile",
            "klanten.toml",
            &contradicts,
        ],
    )
    .failure()
    .stderr(contains("samenstelling.csv:2"))
    .stderr(contains("does not fit 2 children"));
    let twice = write(
        dir.path(),
        "dubbel.csv",
        &format!(
            "{header}\n{}\n{}\n",
            row("K900001", NEW_BSN, "alleenstaand", 0),
            row("K900002", NEW_BSN, "alleenstaand", 0)
        ),
    );
    run(
        &db,
        &["households", "import", "--profile", "klanten.toml", &twice],
    )
    .failure()
    .stderr(contains("dubbel.csv:3"))
    .stderr(contains("on line 2 already"));
    assert_eq!(count(&db, "SELECT count(*) FROM households"), 240);
}

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
fn a_signal_matched_by_hand_to_someone_it_cannot_name_needs_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let db = with_households(dir.path());
    run(&db, &["signals", "import", "signalen-2026-10.csv"]).success();
    // Signal 1 is Ronald Verbeek's rent, whom the register does not hold; a pseudonym typed
    // one digit off lands on a stranger.
    let stranger: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT h.pseudonym FROM households h JOIN personal_data p ON p.household_id = h.id
             WHERE p.name NOT LIKE '%Verbeek%' ORDER BY h.id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let events = count(&db, "SELECT count(*) FROM events");
    run(&db, &["signals", "match", "1", &stranger])
        .failure()
        .stderr(contains(format!(
            "signal 1 names someone other than {stranger}"
        )))
        .stderr(contains("name, postcode and house number, birth date"))
        .stderr(contains("--confirm"));
    assert_eq!(count(&db, "SELECT count(*) FROM events"), events);
    run(&db, &["signals", "match", "1", &stranger, "--confirm"]).success();
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM events WHERE kind = 'signal_matched'
               AND json_extract(payload, '$.confirmed') = 1
               AND json_extract(payload, '$.differ') = '[\"name\",\"address\",\"birth_date\"]'"
        ),
        1
    );
}

#[test]
fn a_district_the_caseload_never_had_is_refused_as_a_typo_unless_declared_new() {
    let dir = tempfile::tempdir().unwrap();
    let db = with_households(dir.path());
    let header = client_header();
    let extract = write(
        dir.path(),
        "tikfout.csv",
        &format!(
            "{header}\nK900001;{NEW_BSN};Sem Visser;Dijkgraafstraat;301;8925 AN;Lindenhaven;02-03-1990;alleenstaand;0;loondienst;Oots;nee;nee;nee;M;Nederland\n"
        ),
    );
    let import = |extra: &[&str]| {
        let mut args = vec![
            "households",
            "import",
            "--profile",
            "klanten.toml",
            extract.as_str(),
        ];
        args.extend_from_slice(extra);
        run(&db, &args)
    };
    import(&[])
        .failure()
        .stderr(contains("`Oots` (line 2)"))
        .stderr(contains("known: Noord, Oost, Zuid"))
        .stderr(contains("--new-district"));
    assert_eq!(count(&db, "SELECT count(*) FROM households"), 240);
    import(&["--new-district", "Oots"])
        .success()
        .stdout(contains("1 household added"));
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

#[test]
fn a_profile_handed_to_the_other_importer_is_named_for_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let db = with_households(dir.path());
    let events = count(&db, "SELECT count(*) FROM events");
    run(
        &db,
        &[
            "history",
            "import",
            "--profile",
            "klanten.toml",
            "schuldhulp-historie.csv",
        ],
    )
    .failure()
    .stderr(contains("klanten.toml is a household profile"));
    run(
        &db,
        &[
            "households",
            "import",
            "--profile",
            "schuldhulp.toml",
            "klanten-2026-11.csv",
        ],
    )
    .failure()
    .stderr(contains("schuldhulp.toml is a history profile"));
    assert_eq!(count(&db, "SELECT count(*) FROM events"), events);
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
