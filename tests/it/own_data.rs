//! A municipality's own data, as docs/administration.md, "Your own data", walks through it: the exact
//! commands of that walkthrough on the example files of Lindenhaven (`assets/examples/`), run with
//! the real binary, from an empty database to a ranked queue; then the console on it, month
//! two's files, verify, the fairness audit, a citizen's letter and a purge.

use crate::common;

use std::path::{Path, PathBuf};

use common::console::{press, screen};
use common::lindenhaven::{run, stdout};
use oordeel::domain::decision::Decision;
use predicates::prelude::*;
use predicates::str::contains;

/// The walkthrough's ten commands; returns the database.
fn walk_through(dir: &Path) -> PathBuf {
    let db = dir.join("lindenhaven.db");
    run(&db, &["init", "--municipality", "Lindenhaven"])
        .success()
        .stdout(contains("Empty database for Lindenhaven"))
        // OORDEEL_DB points here already: no advice to point it.
        .stdout(contains("OORDEEL_DB").not());
    run(&db, &["users", "add", "tweede", "--role", "admin"]).success();
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
    // Households but no signals: the empty queue says what comes next.
    let app = common::console::open_as_me(&db, 120, 40);
    let text = screen(&app, 120, 40);
    assert!(
        text.contains("The households are imported; no signals yet"),
        "{text}"
    );
    drop(app);
    run(&db, &["signals", "import", "signalen-2026-10.csv"])
        .success()
        .stdout(contains("63 signals for 40 households"))
        .stdout(contains("2 signals match no household and 1 more than one"));
    let waiting = stdout(run(&db, &["signals", "unmatched"]));
    assert!(waiting.contains("3 signals wait"), "{waiting}");
    assert!(
        waiting.contains("fits more than one household"),
        "{waiting}"
    );
    // The water company has Piotr Brouwer's birth date a month off; the household at the
    // address is his.
    let line = waiting
        .lines()
        .find(|l| l.contains("at this address") && l.contains("Piotr Brouwer"))
        .unwrap_or_else(|| panic!("{waiting}"));
    let piotr = line
        .split_whitespace()
        .find(|w| w.starts_with("H-"))
        .unwrap()
        .to_owned();
    run(&db, &["signals", "match", "2", &piotr])
        .success()
        .stdout(contains(format!("Signal 2 matched to {piotr}")));
    // No model yet: the console works on the queue nearest deadline first, and says so.
    let app = common::console::open_as_me(&db, 120, 40);
    let text = screen(&app, 120, 40);
    assert!(text.contains("no model: deadline order"), "{text}");
    let deadlines: Vec<_> = app.rows().iter().map(|r| r.deadline_on).collect();
    assert!(
        deadlines.len() > 10 && deadlines.is_sorted(),
        "{deadlines:?}"
    );
    drop(app);
    run(
        &db,
        &[
            "history",
            "import",
            "--profile",
            "schuldhulp.toml",
            "schuldhulp-historie.csv",
        ],
    )
    .success()
    .stdout(contains("336 closed cases with an outcome written"));
    // The history's signals came after the open cases: their "signal in the six months
    // before" flags now count them.
    assert_eq!(
        common::query_i64(
            &db,
            "SELECT count(*) FROM cases c
              WHERE c.status = 'open' AND c.repeated_signal = 0
                AND EXISTS (SELECT 1 FROM signals s WHERE s.household_id = c.household_id
                  AND s.received_on >= date(c.opened_on, 'start of month', '-6 months')
                  AND s.received_on < date(c.opened_on, 'start of month'))"
        ),
        0
    );
    assert!(
        common::query_i64(
            &db,
            "SELECT count(*) FROM cases WHERE status = 'open' AND repeated_signal = 1"
        ) > 0
    );
    run(&db, &["train"])
        .success()
        .stdout(contains("Trained model version 1"));
    run(&db, &["--as", "tweede", "model", "approve", "1"])
        .success()
        .stdout(contains("approved by tweede"));
    // A signature given under another name says from which account it came.
    assert_eq!(
        common::query_i64(
            &db,
            &format!(
                "SELECT count(*) FROM events WHERE kind = 'model_approved'
                   AND actor = 'tweede'
                   AND json_extract(payload, '$.acting_account') = '{}'",
                common::os_user()
            )
        ),
        1
    );
    run(&db, &["score"])
        .success()
        .stdout(contains("Ranked 41 cases"));
    db
}

#[test]
fn from_an_empty_database_to_a_ranked_queue_of_a_municipalitys_own_households() {
    let dir = tempfile::tempdir().unwrap();
    let db = walk_through(dir.path());

    // Before the model: the first month's queue read nearest deadline first (checked on the
    // way: the console after the signals, in `init.rs` and below for the ranked one).
    // The console on the ranked queue: the explanation names Lindenhaven's own features,
    // and not the district it chose to leave out.
    let mut app = common::console::open_as_me(&db, 120, 40);
    press(&mut app, "<enter>");
    let full = screen(&app, 120, 40);
    assert!(full.contains("months energy arrears"), "{full}");
    assert!(full.contains("model v1"), "{full}");
    assert!(!full.contains("district  "), "{full}");
    press(&mut app, "<enter> a");
    drop(app);

    // Month two: households updated (a move, a new child, another team), two added, none
    // twice; its signals attach, also to a household that is new this month.
    // A Dutch reader's dry run names the changed fields in Dutch.
    let dutch = stdout(run(
        &db,
        &[
            "--lang",
            "nl",
            "households",
            "import",
            "--profile",
            "klanten.toml",
            "klanten-2026-11.csv",
            "--dry-run",
        ],
    ));
    assert!(dutch.contains(": samenstelling, kinderen"), "{dutch}");
    assert!(dutch.contains(": wijk"), "{dutch}");
    let month_two = stdout(run(
        &db,
        &[
            "households",
            "import",
            "--profile",
            "klanten.toml",
            "klanten-2026-11.csv",
        ],
    ));
    assert!(
        month_two.contains("2 households added, 3 updated, 237 unchanged"),
        "{month_two}"
    );
    assert!(
        month_two.contains(": household_type, children"),
        "{month_two}"
    );
    assert_eq!(
        common::query_i64(&db, "SELECT count(*) FROM households"),
        242
    );
    run(&db, &["signals", "import", "signalen-2026-11.csv"])
        .success()
        .stdout(contains("49 signals for 37 households"));
    // The same file twice is refused, and changes nothing.
    run(&db, &["signals", "import", "signalen-2026-11.csv"])
        .failure()
        .stderr(contains("imported"));
    run(&db, &["verify"]).success().stdout(contains("intact"));

    // The audit on the extract's protected attributes, and a household's letter.
    run(
        &db,
        &[
            "report",
            "fairness",
            "--by",
            "migration_background",
            "--min-group",
            "2",
        ],
    )
    .success()
    .stdout(contains("outside_europe"));
    let household: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT h.pseudonym FROM cases c JOIN households h ON h.id = c.household_id
             WHERE c.status IN ('accepted', 'to_sign')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    run(
        &db,
        &["citizen", &household, "--organisation", "organisatie.toml"],
    )
    .success()
    .stdout(contains("Gemeente Lindenhaven"))
    .stdout(contains("Wat een medewerker besloot"))
    .stdout(contains("Het programma schatte de kans"));
    // A household with past cases from the debt-help system: the letter names what the
    // municipality holds that the program never reads (its client number, origin), and the
    // past case's outcome the program learns from, without a contact deadline it never had.
    let (household, key): (String, String) = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT h.pseudonym, k.key FROM households h
               JOIN household_keys k ON k.household_id = h.id
             WHERE EXISTS (SELECT 1 FROM cases c WHERE c.household_id = h.id
                             AND c.status = 'closed' AND c.outcome IS NOT NULL)
               AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.household_id = h.id
                             AND c.status IN ('accepted', 'rejected', 'to_sign'))
               AND EXISTS (SELECT 1 FROM cases c WHERE c.household_id = h.id
                             AND c.status = 'open')
             ORDER BY h.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // Typed as people type it: lower case is the same pseudonym.
    let letter = stdout(run(
        &db,
        &[
            "citizen",
            &household.to_lowercase(),
            "--organisation",
            "organisatie.toml",
        ],
    ));
    assert!(letter.contains(&key), "{letter}");
    assert!(letter.contains("Herkomst:"), "{letter}");
    assert!(letter.contains("Wij hebben wel uw geslacht"), "{letter}");
    // Nothing decided: no six weeks to object in, yet.
    let words = letter.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("Er is nog geen besluit waartegen u bezwaar kunt maken."),
        "{letter}"
    );
    assert!(!words.contains("binnen zes weken"), "{letter}");
    // A household of the register that no creditor named is held too, and owed its record.
    let quiet: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT pseudonym FROM households h
             WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.household_id = h.id)
             ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let letter = stdout(run(
        &db,
        &["citizen", &quiet, "--organisation", "organisatie.toml"],
    ));
    let words = letter.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("Er kwam geen melding van een betalingsachterstand over u binnen."),
        "{letter}"
    );
    assert!(letter.contains("Herkomst:"), "{letter}");
    // One whose only cases are the debt-help system's past ones: told by the month, the
    // history gives no day.
    let past: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT pseudonym FROM households h
             WHERE EXISTS (SELECT 1 FROM cases c WHERE c.household_id = h.id)
               AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.household_id = h.id
                                 AND c.status != 'closed')
             ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let letter = stdout(run(
        &db,
        &["citizen", &past, "--organisation", "organisatie.toml"],
    ));
    let words = letter.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("stond uw situatie in onze schuldhulpregistratie"),
        "{letter}"
    );
    assert!(!words.contains("kregen wij een melding"), "{letter}");
    assert!(!words.contains("bezwaar tegen maken"), "{letter}");
    let past = letter
        .split("Melding van ")
        .filter(|case| case.contains("Stand:    afgesloten"))
        .collect::<Vec<_>>();
    assert!(!past.is_empty(), "{letter}");
    for case in past {
        assert!(case.contains("Uitkomst:"), "{case}");
        assert!(!case.contains("Contact uiterlijk"), "{case}");
    }
}

/// A household that left the register long ago, with only old cases, is purged like a demo
/// household; one the register still holds is not, whatever its cases.
#[test]
fn a_purge_erases_an_imported_household_the_register_no_longer_holds() {
    let dir = tempfile::tempdir().unwrap();
    let db = walk_through(dir.path());
    let conn = rusqlite::Connection::open(&db).unwrap();
    // A household whose cases all lie before the purge date: history only.
    let before = (chrono::Utc::now().date_naive() - chrono::Days::new(190)).to_string();
    let (gone, name): (i64, String) = conn
        .query_row(
            "SELECT h.id, p.name FROM households h JOIN personal_data p ON p.household_id = h.id
             WHERE EXISTS (SELECT 1 FROM cases c WHERE c.household_id = h.id)
               AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.household_id = h.id
                                 AND (c.status != 'closed' OR c.opened_on >= ?1))
             ORDER BY h.id LIMIT 1",
            [&before],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let dry = stdout(run(&db, &["purge", "--before", &before, "--dry-run"]));
    assert!(dry.contains("households                      0"), "{dry}");
    // As if its last extract were a year old: it left the register.
    conn.execute(
        "UPDATE household_keys SET last_seen = '2025-06-01' WHERE household_id = ?1",
        [gone],
    )
    .unwrap();
    drop(conn);
    let out = stdout(run(&db, &["purge", "--before", &before]));
    assert!(out.contains("households                      1"), "{out}");
    assert!(out.contains("keys in the register            1"), "{out}");
    assert!(!out.contains("demo"), "{out}");
    assert_eq!(
        common::query_i64(
            &db,
            &format!("SELECT count(*) FROM personal_data WHERE household_id = {gone}")
        ),
        0
    );
    // Not in the file either, unless another household bears the same name.
    let shared = common::query_i64(
        &db,
        &format!(
            "SELECT count(*) FROM personal_data WHERE name = '{}'",
            name.replace('\'', "''")
        ),
    );
    let bytes = std::fs::read(&db).unwrap();
    let in_file = bytes.windows(name.len()).any(|w| w == name.as_bytes());
    assert!(shared > 0 || !in_file, "{name} still in the file");
    run(&db, &["verify"]).success();
    // Months without an extract: who the register still holds is unknown, and a purge
    // would erase them all. Refused, dry run included, until a current extract comes.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE household_keys SET last_seen = '2025-06-01'", [])
        .unwrap();
    let personal = common::query_i64(&db, "SELECT count(*) FROM personal_data");
    for dry in [true, false] {
        let mut args = vec!["purge", "--before", &before];
        if dry {
            args.push("--dry-run");
        }
        run(&db, &args)
            .failure()
            .stderr(contains("the newest client extract is from 2025-06-01"))
            .stderr(contains("Import a current extract first"));
    }
    assert_eq!(
        common::query_i64(&db, "SELECT count(*) FROM personal_data"),
        personal
    );
}

/// The case of a household in the register, by its key.
fn case_of(db: &Path, key: &str) -> i64 {
    common::query_i64(
        db,
        &format!(
            "SELECT c.id FROM cases c JOIN household_keys k ON k.household_id = c.household_id
             WHERE k.key = '{key}' ORDER BY c.opened_on DESC LIMIT 1"
        ),
    )
}

#[test]
fn the_loop_closes_on_lindenhavens_own_outcomes_from_the_console_and_the_debt_help_export() {
    let dir = tempfile::tempdir().unwrap();
    let db = walk_through(dir.path());
    // The October decisions, as the team made them over the weeks (one of the rejected
    // cases, K101005, is in the hidden random arm).
    let mut s = common::session_as_me(&db);
    for key in ["K101789", "K101544", "K100970", "K100942", "K101726"] {
        let case = case_of(&db, key);
        s.open_case(case).unwrap();
        s.decide(case, Decision::Accept, None).unwrap();
    }
    for key in ["K101005", "K101761"] {
        let case = case_of(&db, key);
        s.open_case(case).unwrap();
        s.decide(case, Decision::Reject, Some("low_need")).unwrap();
    }
    s.end(None).unwrap();
    assert_eq!(
        common::query_i64(
            &db,
            &format!(
                "SELECT count(*) FROM cases WHERE id = {} AND selection = 'random'",
                case_of(&db, "K101005")
            )
        ),
        1,
        "K101005 is the random arm's"
    );

    // The reviewer records one household's outreach in the console.
    let mut app = common::console::open_as_me(&db, 120, 40);
    press(&mut app, "w");
    let list = screen(&app, 120, 40);
    assert!(list.contains("Waiting for an outcome"), "{list}");
    // Every accepted case of mine waits; the first is the longest overdue (K100970's).
    press(&mut app, "e 3");
    assert!(screen(&app, 120, 40).contains("reached, help accepted"));
    press(&mut app, "e 4");
    assert!(screen(&app, 120, 40).contains("problematic debts confirmed"));
    drop(app);
    let console_steps = common::query_i64(
        &db,
        "SELECT count(*) FROM events WHERE kind = 'outcome' AND json_extract(payload, '$.source') = 'console'",
    );
    assert_eq!(console_steps, 2);

    // The debt-help export brings in the rest, the rejected arm case's among them.
    let out = stdout(run(
        &db,
        &[
            "outcomes",
            "import",
            "--profile",
            "uitkomsten.toml",
            "uitkomsten-2026-11.csv",
        ],
    ));
    assert!(
        out.contains("8 steps recorded (2 of them in the random arm)"),
        "{out}"
    );
    assert_eq!(
        common::query_i64(
            &db,
            &format!(
                "SELECT outcome FROM cases WHERE id = {}",
                case_of(&db, "K101005")
            )
        ),
        1
    );
    // Not reached: no label, not a "no".
    assert_eq!(
        common::query_i64(
            &db,
            &format!(
                "SELECT count(*) FROM cases WHERE id = {} AND outcome IS NULL",
                case_of(&db, "K101789")
            )
        ),
        1
    );

    // A version trained on them says where its labels came from and meets version 1.
    let trained = stdout(run(&db, &["train"]));
    assert!(
        trained.contains("Labels: 336 from the history (118 with help accepted), 4 own cases from the ranking (2), 1 from the random arm (1)."),
        "{trained}"
    );
    assert!(
        trained.contains("inverse-probability weighting"),
        "{trained}"
    );
    assert!(trained.contains("On the random arm: too few"), "{trained}");
    assert!(
        trained.contains("version 2") || trained.contains("this version"),
        "{trained}"
    );
    let compared = stdout(run(&db, &["model", "compare", "1", "2"]));
    assert!(compared.contains("Held-out cases"), "{compared}");
    let fairness = stdout(run(
        &db,
        &["report", "fairness", "--arm", "random", "--min-group", "1"],
    ));
    assert!(
        fairness.contains("Random arm: 2 cases, 1 decided, 1 with an observed outcome"),
        "{fairness}"
    );
    run(&db, &["verify"]).success().stdout(contains("intact"));
}

#[test]
fn a_case_is_learned_from_with_the_features_it_was_scored_with_not_as_a_later_extract_left_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = walk_through(dir.path());
    // November's extract, with one more child for K101544 (open since October), after
    // October was scored: the open case is computed again, the score was not.
    let bytes = std::fs::read(common::lindenhaven::examples().join("klanten-2026-11.csv")).unwrap();
    let text: String = bytes.iter().map(|&b| b as char).collect();
    let changed = text.replace(
        "K101544;844709967;Esra Brouwer;Lindenlaan;7;8915 EJ;Lindenhaven;10-12-1942;eenoudergezin;4;",
        "K101544;844709967;Esra Brouwer;Lindenlaan;7;8915 EJ;Lindenhaven;10-12-1942;eenoudergezin;5;",
    );
    assert_ne!(changed, text);
    let extract = dir.path().join("klanten-2026-11b.csv");
    std::fs::write(
        &extract,
        changed.chars().map(|c| c as u8).collect::<Vec<u8>>(),
    )
    .unwrap();
    run(
        &db,
        &[
            "households",
            "import",
            "--profile",
            "klanten.toml",
            extract.to_str().unwrap(),
        ],
    )
    .success();
    let case = case_of(&db, "K101544");
    assert_eq!(
        common::query_i64(
            &db,
            &format!("SELECT scored_features != features FROM cases WHERE id = {case}")
        ),
        1,
        "the extract changed the open case's features"
    );
    let as_scored: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT scored_features FROM cases WHERE id = ?1",
            [case],
            |r| r.get(0),
        )
        .unwrap();
    let mut s = common::session_as_me(&db);
    s.open_case(case).unwrap();
    s.decide(case, Decision::Accept, None).unwrap();
    let today = chrono::Local::now().date_naive();
    use oordeel::domain::outcome::OutcomeStep;
    s.record_outcome(case, OutcomeStep::HelpAccepted, today)
        .unwrap();
    s.record_outcome(case, OutcomeStep::DebtsConfirmed, today)
        .unwrap();
    let rows = s.store().training_rows().unwrap();
    let i = rows.case_ids.iter().position(|&c| c == case).unwrap();
    let expected: Vec<oordeel::domain::view::FeatureValue> =
        serde_json::from_str(&as_scored).unwrap();
    assert_eq!(rows.rows[i], expected, "the features as scored");
    assert!(rows.labels[i]);
    assert_eq!(
        rows.sources[i],
        oordeel::domain::outcome::LabelSource::Ranked
    );
}
