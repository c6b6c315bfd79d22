//! The household's whole story (`h`) on the real store: every case of the household the
//! reviewer may see, its signals per creditor by month, decisions and notes; read-only and
//! logged as an access. Snapshots at 80x24 and 120x40 in both languages.

use crate::common;

use common::console::{open_at_ten, press, screen};
use oordeel::i18n::{Lang, set_lang};

/// An open case of team Noord whose household has the most signals (several months of
/// them), and how many cases of team Noord the household has.
fn with_a_past(db: &common::DemoDb) -> (String, i64) {
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    conn.query_row(
        "SELECT h.pseudonym,
                (SELECT count(*) FROM cases x WHERE x.household_id = h.id AND x.team = 'Noord')
         FROM cases c JOIN households h ON h.id = c.household_id
         WHERE c.status = 'open' AND c.team = 'Noord'
         ORDER BY (SELECT count(DISTINCT substr(received_on, 1, 7)) FROM signals s
                   WHERE s.household_id = h.id) DESC, c.queue_rank LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

#[test]
fn h_shows_the_households_whole_story_read_only_and_logged() {
    let db = common::demo(400);
    let (pseudonym, cases) = with_a_past(&db);
    let number = pseudonym.trim_start_matches("H-").trim_start_matches('0');
    let mut app = open_at_ten(&db.path, "anna", Lang::En, 120, 40);
    press(&mut app, &format!("/ {number} <enter> h"));
    let shown = screen(&app, 120, 40);
    assert!(
        shown.contains(&format!("History of {pseudonym}")),
        "{shown}"
    );
    assert!(shown.contains(&format!("Cases ({cases})")), "{shown}");
    assert!(shown.contains("Signals per creditor, by month"), "{shown}");
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let logged: String = conn
        .query_row(
            "SELECT actor FROM events WHERE kind = 'history_viewed'
             AND json_extract(payload, '$.household') = ?1",
            [&pseudonym],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(logged, "anna");
    // Read-only: a decision key decides nothing behind it.
    let decisions = common::query_i64(
        &db.path,
        "SELECT count(*) FROM events WHERE kind = 'decision'",
    );
    press(&mut app, "a");
    assert!(screen(&app, 120, 40).contains("The history is read-only"));
    assert_eq!(
        common::query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind = 'decision'"
        ),
        decisions
    );
    press(&mut app, "h");
    assert!(!screen(&app, 120, 40).contains("History of"));
}

#[test]
fn history_snapshots_in_both_languages() {
    let db = common::demo(400);
    let (pseudonym, _) = with_a_past(&db);
    let number = pseudonym.trim_start_matches("H-").trim_start_matches('0');
    for (lang, tag) in [(Lang::En, "en"), (Lang::Nl, "nl")] {
        for (w, h) in [(80, 24), (120, 40)] {
            let mut app = open_at_ten(&db.path, "anna", lang, w, h);
            press(&mut app, &format!("/ {number} <enter> h"));
            insta::assert_snapshot!(format!("history_{tag}_{w}x{h}"), screen(&app, w, h));
        }
    }
    set_lang(Lang::En);
}
