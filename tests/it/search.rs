//! Search in the console (`/`, `:`) on the real store: by number, by creditor, by a word in a
//! note, by name for those who may see personal data (and logged, without the words typed),
//! nothing opened while typing, Esc back to where the queue was; snapshots in both languages.

use crate::common;

use common::console::{open_at_ten, press, screen};
use oordeel::console::App;
use oordeel::i18n::{Lang, set_lang};

/// An open case of team Noord deep in the queue: (pseudonym, its number, the household's
/// surname, a word of its street).
fn deep_case(db: &common::DemoDb) -> (String, String, String, String) {
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.query_row(
        "SELECT h.pseudonym, p.name, p.address FROM cases c
         JOIN households h ON h.id = c.household_id
         JOIN personal_data p ON p.household_id = h.id
         WHERE c.status = 'open' AND c.team = 'Noord' ORDER BY c.queue_rank LIMIT 1 OFFSET 15",
        [],
        |r| {
            let pseudonym: String = r.get(0)?;
            let name: String = r.get(1)?;
            let address: String = r.get(2)?;
            let number = pseudonym
                .trim_start_matches("H-")
                .trim_start_matches('0')
                .to_owned();
            let surname = name.split_whitespace().last().unwrap().to_owned();
            let street = address.split_whitespace().next().unwrap().to_owned();
            Ok((pseudonym, number, surname, street))
        },
    )
    .unwrap()
}

fn count(db: &common::DemoDb, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn shown(app: &App) -> Option<String> {
    app.detail().map(|d| d.household.pseudonym.clone())
}

#[test]
fn a_number_finds_its_household_nothing_opens_while_typing_and_esc_goes_back() {
    let db = common::demo(400);
    let (pseudonym, number, ..) = deep_case(&db);
    let mut app = open_at_ten(&db.path, "anna", Lang::En, 120, 40);
    let first = shown(&app).unwrap();
    let views = count(&db, "SELECT count(*) FROM events WHERE kind = 'view'");
    press(&mut app, &format!("/ {number}"));
    assert_eq!(app.selected().unwrap().household, pseudonym);
    assert_eq!(shown(&app).unwrap(), first, "typing opens nothing");
    assert_eq!(
        count(&db, "SELECT count(*) FROM events WHERE kind = 'view'"),
        views
    );
    insta::assert_snapshot!("search_typing_120x40", screen(&app, 120, 40));
    press(&mut app, "<enter>");
    assert_eq!(shown(&app).unwrap(), pseudonym);
    assert_eq!(
        count(&db, "SELECT count(*) FROM events WHERE kind = 'view'"),
        views + 1
    );
    insta::assert_snapshot!("search_found_120x40", screen(&app, 120, 40));
    press(&mut app, "<esc>");
    assert_eq!(
        shown(&app).unwrap(),
        first,
        "Esc goes back where the queue was"
    );
    assert!(
        screen(&app, 120, 40).contains("Search ended"),
        "{}",
        screen(&app, 120, 40)
    );
    // `:` takes a number only: letters do not enter its prompt.
    press(&mut app, &format!(": x{number} <enter>"));
    assert_eq!(shown(&app).unwrap(), pseudonym);
}

#[test]
fn search_snapshots_at_80x24_in_both_languages() {
    let db = common::demo(400);
    let (_, _, _, street) = deep_case(&db);
    for (lang, tag) in [(Lang::En, "en"), (Lang::Nl, "nl")] {
        let mut app = open_at_ten(&db.path, "anna", lang, 80, 24);
        press(&mut app, &format!("/ {}", street.to_lowercase()));
        insta::assert_snapshot!(format!("search_typing_{tag}_80x24"), screen(&app, 80, 24));
        press(&mut app, "<enter> n");
        insta::assert_snapshot!(format!("search_results_{tag}_80x24"), screen(&app, 80, 24));
        press(&mut app, "<esc>");
    }
    set_lang(Lang::En);
}

#[test]
fn a_name_is_found_only_by_those_who_may_see_it_and_the_showing_is_logged() {
    let db = common::demo(400);
    let (pseudonym, _, surname, _) = deep_case(&db);
    // The auditor may not see personal data: a name finds nothing.
    let mut auditor = open_at_ten(&db.path, "ilse", Lang::En, 120, 40);
    press(&mut auditor, &format!("/ {surname} <enter>"));
    assert!(
        auditor.search().is_none(),
        "nothing found, the search ended"
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM events WHERE kind = 'personal_data_searched'"
        ),
        0
    );
    let mut anna = open_at_ten(&db.path, "anna", Lang::En, 120, 40);
    press(&mut anna, &format!("/ {surname}"));
    let rows: Vec<String> = anna.rows().iter().map(|r| r.household.clone()).collect();
    assert!(rows.contains(&pseudonym), "{rows:?}");
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let (actor, payload): (String, String) = conn
        .query_row(
            "SELECT actor, payload FROM events WHERE kind = 'personal_data_searched'
             ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(actor, "anna");
    assert!(payload.contains(&pseudonym), "{payload}");
    assert!(payload.contains("\"name\""), "{payload}");
    assert!(
        !payload.to_lowercase().contains(&surname.to_lowercase()),
        "the words typed are not kept in the log: {payload}"
    );
    // The auditor's access report lists it, one line per household listed.
    let out = common::oordeel()
        .args(["--as", "ilse", "report", "access", "--db"])
        .arg(&db.path)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report
            .lines()
            .any(|l| l.contains("found by name/address") && l.contains(&pseudonym)),
        "{report}"
    );
    assert!(report.contains("found by name or address: "), "{report}");
    // Two letters list no one by name: too many people, each showing logged.
    press(&mut anna, "<esc> / ja");
    assert!(!anna.search().unwrap().outcome.as_ref().is_some_and(|o| {
        o.fields
            .contains(&oordeel::domain::search::SearchField::Name)
    }),);
}

#[test]
fn a_word_in_a_note_and_a_creditor_find_their_cases_in_the_team_only() {
    let db = common::demo(400);
    let mut app = open_at_ten(&db.path, "anna", Lang::En, 120, 40);
    let noted = shown(&app).unwrap();
    press(&mut app, "n Spoke <space> about <space> zonnepanelen <c-s>");
    press(&mut app, "j / zonnepan");
    assert_eq!(
        app.rows()
            .iter()
            .map(|r| r.household.clone())
            .collect::<Vec<_>>(),
        std::slice::from_ref(&noted)
    );
    press(&mut app, "<esc>");
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let creditor: String = conn
        .query_row(
            "SELECT s.creditor FROM signals s JOIN cases c ON c.household_id = s.household_id
             WHERE c.status = 'open' AND c.team = 'Noord' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let word = creditor.split_whitespace().next().unwrap().to_lowercase();
    press(&mut app, &format!("/ {word} <enter>"));
    let outcome = app.search().unwrap().outcome.clone().unwrap();
    assert!(outcome.cases > 0);
    assert!(
        outcome
            .fields
            .contains(&oordeel::domain::search::SearchField::Creditor)
    );
    // Only team Noord's cases, as in anna's queue.
    let teams: Vec<String> = app
        .rows()
        .iter()
        .map(|r| {
            conn.query_row("SELECT team FROM cases WHERE id = ?1", [r.case_id], |x| {
                x.get(0)
            })
            .unwrap()
        })
        .collect();
    assert!(teams.iter().all(|t| t == "Noord"), "{teams:?}");
    // Daan (team Zuid) finds the note's household by its word only if it is his team's.
    let mut daan = open_at_ten(&db.path, "daan", Lang::En, 120, 40);
    press(&mut daan, "/ zonnepan");
    assert!(daan.rows().iter().all(|r| r.household != noted));
}
