//! What a municipality's own files and the register may not do to its database: one person
//! in two households, a household the extract could never hold, a signal file with a column
//! oordeel would silently drop, a profile for the other importer. Each refusal says what and
//! where, and changes nothing.

use crate::common;

use common::lindenhaven::{
    NEW_BSN, SIGNAL_HEADER, YARAS_BSN, client_header, count, run, with_households, write,
};
use predicates::str::contains;

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

#[test]
fn a_letter_for_a_pseudonym_nobody_has_names_that_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = with_households(dir.path());
    // No --organisation either: the unknown household is the mistake to fix first.
    run(&db, &["citizen", "H-12"])
        .failure()
        .stderr(contains("no household H-12"));
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM events WHERE kind = 'citizen_report'"
        ),
        0
    );
}
