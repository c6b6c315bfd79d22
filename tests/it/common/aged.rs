//! A demo caseload with work done long ago, for the retention tests: decisions, a note and a
//! send-back written through the store with its clock set back, so they are old enough for a
//! purge (SQL on `events` is refused by the triggers, and should be).

use std::path::Path;

use chrono::{DateTime, Days, NaiveDate, Utc};
use oordeel::domain::decision::{CaseStatus, Decision};
use oordeel::store::{ReviewSession, Store};

use super::{DemoDb, demo, identity, query_i64};

pub const OLD_NOTE: &str = "called mrs Jansen-de Vries on 06-12345678, she will come by";
pub const OLD_SEND_BACK: &str = "her son (BSN 111222333) already has a debt counsellor";
pub const RECENT_NOTE: &str = "spoke to the landlord today";
pub const OPEN_OLD_NOTE: &str = "left a card at the door";

pub struct AgedDb {
    pub db: DemoDb,
    /// The purge date of the tests: 200 days ago (the minimum is 183).
    pub before: NaiveDate,
    /// Accepted long ago, with a note (team Noord, no four-eyes rule).
    pub plain: i64,
    /// Decided, sent back with a reason, decided again and signed, long ago.
    pub urgent: i64,
    /// Still open: an old note on it and a recent one; a purge leaves both.
    pub open: i64,
}

impl AgedDb {
    pub fn path(&self) -> &Path {
        &self.db.path
    }

    pub fn household_of(&self, case: i64) -> i64 {
        query_i64(
            self.path(),
            &format!("SELECT household_id FROM cases WHERE id = {case}"),
        )
    }

    pub fn seq_of_note(&self, text: &str) -> i64 {
        let conn = rusqlite::Connection::open(self.path()).unwrap();
        conn.query_row(
            "SELECT seq FROM events WHERE kind IN ('note', 'sent_back')
               AND json_extract(payload, '$.text') = ?1",
            [text],
            |r| r.get(0),
        )
        .unwrap()
    }
}

/// A session of `name` whose clock stands at `at`.
fn session_at(path: &Path, name: &str, at: DateTime<Utc>) -> ReviewSession {
    let mut store = Store::open(path).unwrap();
    store.set_clock(Box::new(move || at));
    let actor = store.identify(&identity(Some(name))).unwrap();
    ReviewSession::start(store, actor).unwrap()
}

/// An open Noord case whose household has no other case that would keep it from a purge
/// before `before` (every other case closed and opened before it).
fn lone_case(path: &Path, urgent: bool, before: NaiveDate, not: i64) -> i64 {
    query_i64(
        path,
        &format!(
            "SELECT c.id FROM cases c WHERE c.team = 'Noord' AND c.status = 'open'
               AND c.urgent = {} AND c.id != {not}
               AND NOT EXISTS (SELECT 1 FROM cases o WHERE o.household_id = c.household_id
                   AND o.id != c.id AND (o.status != 'closed' OR o.opened_on >= '{before}'))
             ORDER BY c.queue_rank LIMIT 1",
            u8::from(urgent)
        ),
    )
}

pub fn aged() -> AgedDb {
    let db = demo(300);
    let today = Utc::now().date_naive();
    let before = today - Days::new(200);
    let long_ago = (before - Days::new(100))
        .and_hms_opt(10, 0, 0)
        .unwrap()
        .and_utc();
    let plain = lone_case(&db.path, false, before, 0);
    let urgent = lone_case(&db.path, true, before, plain);
    let open = lone_case(&db.path, false, before, plain);
    {
        let mut anna = session_at(&db.path, "anna", long_ago);
        anna.decide(plain, Decision::Accept, None).unwrap();
        anna.note(plain, OLD_NOTE).unwrap();
        anna.note(open, OPEN_OLD_NOTE).unwrap();
        anna.decide(urgent, Decision::Accept, None).unwrap();
        assert_eq!(
            status(&db.path, urgent),
            CaseStatus::ToSign.as_code(),
            "four eyes"
        );
        let mut carla = session_at(&db.path, "carla", long_ago + chrono::Duration::hours(1));
        carla.send_back(urgent, Some(OLD_SEND_BACK)).unwrap();
        let mut anna = session_at(&db.path, "anna", long_ago + chrono::Duration::hours(2));
        anna.decide(urgent, Decision::Accept, None).unwrap();
        let mut carla = session_at(&db.path, "carla", long_ago + chrono::Duration::hours(3));
        carla.sign(urgent).unwrap();
    }
    let mut bram = super::session(&db.path, "bram");
    bram.note(open, RECENT_NOTE).unwrap();
    drop(bram);
    AgedDb {
        db,
        before,
        plain,
        urgent,
        open,
    }
}

pub fn status(path: &Path, case: i64) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("SELECT status FROM cases WHERE id = ?1", [case], |r| {
        r.get(0)
    })
    .unwrap()
}
