//! Hostile text for the tests: strings that would act on a terminal written as they are, put
//! into a demo database through the same code and tables real data goes through.

use std::path::Path;

use rusqlite::params;

/// An OSC 52 clipboard write ("Hello" in base64), a clear-screen CSI and a right-to-left
/// override, as a note. Each payload is unique, so a test can tell it from anything the
/// terminal library writes itself.
pub const NOTE: &str = "\x1b]52;c;SGVsbG8=\x07\x1b[2Jwiped \u{202e}olleh\nsecond line";
/// The note's first line as it must appear on screen.
pub const NOTE_SHOWN: &str = "\\x1b]52;c;SGVsbG8=\\x07\\x1b[2Jwiped \\u{202e}olleh";
/// A creditor's name carrying another clipboard write ("creditor") and an override.
pub const CREDITOR: &str = "Woonstad\x1b]52;c;Y3JlZGl0b3I=\x07\u{202e}mudrettoR";
pub const CREDITOR_SHOWN: &str = "Woonstad\\x1b]52;c;Y3JlZGl0b3I=\\x07\\u{202e}mudrettoR";
/// The author of the note: a reviewer name with an override.
pub const AUTHOR: &str = "mallory\u{202e}";
pub const AUTHOR_SHOWN: &str = "mallory\\u{202e}";
/// A district (an imported category, also a model feature) and a pseudonym.
pub const DISTRICT: &str = "Noord\x1b[2J\u{2066}";
pub const DISTRICT_SHOWN: &str = "Noord\\x1b[2J\\u{2066}";
pub const PSEUDONYM: &str = "H-\u{202e}77";
pub const PSEUDONYM_SHOWN: &str = "H-\\u{202e}77";
/// The caseload title from the settings table, shown in the header.
/// A household's name as an import might carry it: shown only after `v`.
pub const NAME: &str = "Jan\x1b]52;c;TmFtZQ==\x07\u{202e}sneJ";
pub const NAME_SHOWN: &str = "Jan\\x1b]52;c;TmFtZQ==\\x07\\u{202e}sneJ";

pub const TITLE: &str = "\u{202e}Vroeg\x1b]0;owned\x07";
pub const TITLE_SHOWN: &str = "\\u{202e}Vroeg\\x1b]0;owned\\x07";

/// Byte sequences that must never reach a terminal: the introducers of the hostile payloads
/// above (with their unique payloads) and the override's UTF-8 encoding.
pub const FORBIDDEN: &[&[u8]] = &[
    b"\x1b]52",
    b"\x1b]0;owned",
    b"\x1b[2Jwiped",
    b"\x1b[2J\xe2\x81\xa6",
    "\u{202e}".as_bytes(),
    "\u{2066}".as_bytes(),
];

/// Whether `text` holds a character that may not reach a terminal cell: any control
/// character, or one of the bidi and invisible characters the fixtures use.
pub fn raw_hostile_char(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
}

/// Puts the hostile strings on the case at the top of the queue: a note through the store's
/// own review session, the creditors, district, pseudonym and caseload title through SQL, the
/// way an import would. Returns the case's id.
pub fn poison(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open");
    let (case_id, household_id): (i64, i64) = conn
        .query_row(
            "SELECT id, household_id FROM cases WHERE status = 'open'
             ORDER BY queue_rank, id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a top case");
    conn.execute(
        "UPDATE personal_data SET name = ?1 WHERE household_id = ?2",
        params![NAME, household_id],
    )
    .expect("name");
    conn.execute(
        "UPDATE signals SET creditor = ?1 WHERE household_id = ?2",
        params![CREDITOR, household_id],
    )
    .expect("creditor");
    conn.execute(
        "UPDATE households SET district = ?1, pseudonym = ?2 WHERE id = ?3",
        params![DISTRICT, PSEUDONYM, household_id],
    )
    .expect("household");

    // The district is also a model feature: its stored value is what explanations show.
    let features: String = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'features'",
            [],
            |r| r.get(0),
        )
        .expect("feature list");
    let names: Vec<(String, bool)> = serde_json::from_str(&features).expect("feature list");
    if let Some(i) = names.iter().position(|(n, _)| n == "district") {
        conn.execute(
            "UPDATE cases SET features = json_set(features, ?1, ?2) WHERE id = ?3",
            params![format!("$[{i}]"), DISTRICT, case_id],
        )
        .expect("features");
    }
    drop(conn);
    // `users add` refuses such a name, and `settings set` such a title; a database written
    // before those checks, or whose log was rewritten, holds them in the table and the log.
    super::set_setting_by_sql(db, "caseload_title", TITLE);
    let seq = super::append_event(
        db,
        ("sqlite3", "admin"),
        "user_added",
        None,
        serde_json::json!({ "name": AUTHOR, "role": "admin", "team": null }),
    );
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.execute(
        "INSERT INTO users (name, role, team, active, added_at, added_by)
         SELECT ?1, 'admin', NULL, 1, at, 'sqlite3' FROM events WHERE seq = ?2",
        params![AUTHOR, seq],
    )
    .expect("hostile user");
    drop(conn);
    let mut session = super::session(db, AUTHOR);
    session.note(case_id, NOTE).expect("note");
    session.end(None).expect("session ends");
    case_id
}
