//! Claims, reveals and the four-eyes rule through the console on the real store: several
//! people's consoles on one demo database (anna and bram review team Noord, carla is its
//! senior), driven by keys, with the database checked afterwards. The clock is fixed at
//! 10:00 on TODAY, so claims run until 10:05 and the screens never drift.

use crate::common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::console::{press, screen};
use crossterm::event::Event;
use oordeel::console::{App, ConsoleOptions, handle_event};
use oordeel::i18n::{Lang, set_lang};
use oordeel::store::{ReviewSession, Store};

fn today() -> NaiveDate {
    common::TODAY.parse().unwrap()
}

/// The console of `name` on the database, the clock at 10:00 UTC on TODAY.
fn console(db: &common::DemoDb, name: &str, width: u16, height: u16) -> App {
    set_lang(Lang::En);
    let mut store = Store::open(&db.path).unwrap();
    store.set_clock(Box::new(|| {
        Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
    }));
    let actor = store.identify(&common::identity(Some(name))).unwrap();
    let session = ReviewSession::start(store, actor).unwrap();
    let mut app = App::new(Box::new(session), ConsoleOptions::new(today())).unwrap();
    handle_event(&mut app, Event::Resize(width, height));
    app
}

fn count(db: &common::DemoDb, sql: &str) -> i64 {
    common::query_i64(&db.path, sql)
}

#[test]
fn a_case_anna_has_open_is_marked_on_brams_screen_and_refused() {
    for (w, h) in [(80, 24), (120, 40)] {
        let db = common::demo(400);
        let anna = console(&db, "anna", w, h);
        let top = anna.selected().unwrap().case_id;
        assert_eq!(
            count(
                &db,
                &format!("SELECT count(*) FROM claims WHERE holder = 'anna' AND case_id = {top}")
            ),
            1,
            "landing on the case claimed it"
        );
        // bram reviews the same team: his queue starts at the same case.
        let mut bram = console(&db, "bram", w, h);
        assert_eq!(bram.selected().unwrap().case_id, top);
        press(&mut bram, "a");
        let shown = screen(&bram, w, h);
        insta::assert_snapshot!(format!("real_held_by_anna_{w}x{h}"), shown);
        assert!(
            shown.contains("being handled by anna until 10:05"),
            "{shown}"
        );
        assert!(
            shown.contains("● anna"),
            "the queue marks the case: {shown}"
        );
        assert!(
            shown.contains("is being handled by anna"),
            "the refusal: {shown}"
        );
        assert_eq!(
            count(
                &db,
                "SELECT count(*) FROM events WHERE kind = 'decision' AND actor = 'bram'"
            ),
            0
        );
        assert_eq!(
            count(
                &db,
                "SELECT count(*) FROM cases WHERE status != 'open' AND status != 'closed'"
            ),
            0
        );
        // bram moves on and takes the next case; anna keeps hers.
        press(&mut bram, "j");
        let next = bram.selected().unwrap().case_id;
        assert_eq!(
            count(
                &db,
                &format!("SELECT count(*) FROM claims WHERE holder = 'bram' AND case_id = {next}")
            ),
            1
        );
        drop(anna);
    }
}

#[test]
fn quitting_frees_annas_claim_for_bram() {
    let db = common::demo(400);
    let mut anna = console(&db, "anna", 80, 24);
    let top = anna.selected().unwrap().case_id;
    press(&mut anna, "q");
    assert_eq!(
        count(&db, "SELECT count(*) FROM claims WHERE holder = 'anna'"),
        0
    );
    let mut bram = console(&db, "bram", 80, 24);
    assert_eq!(bram.selected().unwrap().case_id, top);
    assert!(!screen(&bram, 80, 24).contains("being handled"));
    press(&mut bram, "d");
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) FROM events WHERE kind = 'decision' AND actor = 'bram'
                   AND case_id = {top}"
            )
        ),
        1
    );
}

#[test]
fn moving_through_the_queue_logs_one_view_per_case_landed_on() {
    let db = common::demo(400);
    let mut anna = console(&db, "anna", 80, 24);
    // Three landings (the first case, the second, the first again); the rest reads again.
    press(&mut anna, "j k n Seen. <c-s> t t ?");
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM events WHERE kind = 'view' AND actor = 'anna'"
        ),
        3
    );
}

#[test]
fn v_reveals_once_and_logs_it() {
    let db = common::demo(400);
    let mut anna = console(&db, "anna", 120, 40);
    let case = anna.selected().unwrap().case_id;
    let name: String = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT p.name FROM cases c JOIN personal_data p ON p.household_id = c.household_id
             WHERE c.id = ?1",
            [case],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!screen(&anna, 120, 40).contains(&name));
    assert_eq!(
        count(&db, "SELECT count(*) FROM events WHERE kind = 'reveal'"),
        0
    );
    press(&mut anna, "v v");
    let shown = screen(&anna, 120, 40);
    assert!(shown.contains(&name), "{shown}");
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) FROM events WHERE kind = 'reveal' AND actor = 'anna'
                   AND case_id = {case}"
            )
        ),
        1
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM events WHERE kind = 'reveal'"),
        1
    );
}

#[test]
fn an_auditor_is_refused_personal_data() {
    let db = common::demo(400);
    let mut ilse = console(&db, "ilse", 80, 24);
    press(&mut ilse, "v");
    let shown = screen(&ilse, 80, 24);
    assert!(shown.contains("may not see personal data"), "{shown}");
    assert_eq!(
        count(&db, "SELECT count(*) FROM events WHERE kind = 'reveal'"),
        0
    );
}

#[test]
fn carla_signs_annas_decision_and_the_case_ends_accepted() {
    for (w, h) in [(80, 24), (120, 40)] {
        let db = common::demo(400);
        let mut anna = console(&db, "anna", w, h);
        let case = anna.selected().unwrap().case_id;
        // Team Noord's top case carries an eviction threat: the accept waits for a senior.
        press(&mut anna, "a");
        assert!(
            screen(&anna, w, h).contains("needs a senior's signature"),
            "{}",
            screen(&anna, w, h)
        );
        assert_eq!(
            count(
                &db,
                &format!("SELECT count(*) FROM cases WHERE id = {case} AND status = 'to_sign'")
            ),
            1
        );
        // anna, a reviewer, cannot sign it herself.
        press(&mut anna, "f c");
        assert!(screen(&anna, w, h).contains("anna (reviewer) may not sign"));

        let mut carla = console(&db, "carla", w, h);
        assert!(screen(&carla, w, h).contains("1 to sign"));
        press(&mut carla, "f");
        let shown = screen(&carla, w, h);
        insta::assert_snapshot!(format!("real_to_sign_{w}x{h}"), shown);
        assert_eq!(carla.selected().unwrap().case_id, case);
        assert!(shown.contains("accept (offer help) by anna"), "{shown}");
        press(&mut carla, "c");
        let shown = screen(&carla, w, h);
        insta::assert_snapshot!(format!("real_signed_{w}x{h}"), shown);
        assert!(shown.contains("anna's decision stands"), "{shown}");
        assert_eq!(
            count(
                &db,
                &format!("SELECT count(*) FROM cases WHERE id = {case} AND status = 'accepted'")
            ),
            1
        );
        assert_eq!(
            count(
                &db,
                &format!(
                    "SELECT count(*) FROM events s JOIN events d
                       ON d.seq = json_extract(s.payload, '$.signs')
                     WHERE s.kind = 'signed' AND s.actor = 'carla' AND s.case_id = {case}
                       AND d.actor = 'anna' AND d.kind = 'decision'"
                )
            ),
            1
        );
        // The history in the full view says who decided and who signed.
        press(&mut carla, "f t g");
        let row = carla
            .rows()
            .iter()
            .position(|r| r.case_id == case)
            .expect("the signed case, with decided cases shown");
        for _ in 0..row {
            press(&mut carla, "j");
        }
        press(&mut carla, "<enter>");
        let full = screen(&carla, 120, 60);
        assert!(full.contains("anna  accept (offer help)"), "{full}");
        assert!(
            full.contains("four eyes: eviction or cut-off threatened"),
            "{full}"
        );
        assert!(full.contains("carla  signed (second signature)"), "{full}");
    }
}

#[test]
fn a_senior_cannot_sign_her_own_decision_but_sends_back_anothers() {
    let db = common::demo(400);
    let mut carla = console(&db, "carla", 80, 24);
    let own = carla.selected().unwrap().case_id;
    press(&mut carla, "a f c");
    let shown = screen(&carla, 80, 24);
    assert!(shown.contains("you made this decision yourself"), "{shown}");
    press(&mut carla, "b");
    assert!(
        carla.popup().is_none(),
        "no note for a send-back that would be refused"
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM events WHERE kind IN ('signed', 'sent_back')"
        ),
        0
    );
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM cases WHERE id = {own} AND status = 'to_sign'")
        ),
        1
    );

    // bram's decision, though, carla sends back with a note; the case reopens.
    let mut bram = console(&db, "bram", 80, 24);
    let his = bram.selected().unwrap().case_id;
    press(&mut bram, "a");
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM cases WHERE id = {his} AND status = 'to_sign'")
        ),
        1,
        "bram's case waits for a signature too"
    );
    // carla is still in the to-sign queue: out and in again reads it afresh.
    press(&mut carla, "f f");
    assert!(carla.showing_to_sign());
    let row = carla
        .rows()
        .iter()
        .position(|r| r.case_id == his)
        .expect("bram's decision waits in carla's to-sign queue");
    for _ in 0..row {
        press(&mut carla, "j");
    }
    press(&mut carla, "b Call <space> first. <c-s>");
    assert!(screen(&carla, 80, 24).contains("sent back to bram"));
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM cases WHERE id = {his} AND status = 'open'")
        ),
        1
    );
    let note: String = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT json_extract(payload, '$.text') FROM events WHERE kind = 'sent_back'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(note, "Call first.");
    oordeel::store::Store::open(&db.path)
        .unwrap()
        .verify_chain()
        .unwrap();
}
