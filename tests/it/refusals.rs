//! What a refused decision says, on the real store: the household as the screen names it,
//! who made the decision that stands and what the reader can do about it, and a rejection
//! for another reason ("other") only with a note saying why.

use crate::common;
use oordeel::store::Refusal;

use common::{NOORD_PLAIN_CASE, demo, oordeel, query_i64};
use oordeel::domain::decision::Decision;
use oordeel::store::StoreError;
use predicates::prelude::*;
use predicates::str::contains;

fn pseudonym(db: &common::DemoDb, case: i64) -> String {
    rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT h.pseudonym FROM cases c JOIN households h ON h.id = c.household_id
             WHERE c.id = ?1",
            [case],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_decision_waiting_for_a_signature_tells_each_reader_what_they_can_do() {
    let db = demo(400);
    // An accept on a threatened household waits for a senior (the shipped four-eyes rule).
    let case = query_i64(
        &db.path,
        "SELECT id FROM cases WHERE team = 'Noord' AND status = 'open' AND urgent = 1
         ORDER BY queue_rank LIMIT 1",
    );
    let household = pseudonym(&db, case);
    let mut anna = common::session(&db.path, "anna");
    anna.decide(case, Decision::Accept, None).unwrap();
    let mut bram = common::session(&db.path, "bram");
    let refusal = bram.may_decide(case).unwrap_err().to_string();
    assert!(
        refusal.contains(&format!(
            "{household} waits for a second signature on anna's decision (accept (offer help))"
        )),
        "{refusal}"
    );
    assert!(
        refusal.contains("Ask a senior of the team, or wait"),
        "{refusal}"
    );
    assert!(!refusal.contains("undo"), "{refusal}");
    assert!(!refusal.contains(&format!("case {case}")), "{refusal}");
    // The same from the decision itself, which checks again.
    let refused = bram
        .decide(case, Decision::Reject, Some("resolved"))
        .unwrap_err();
    assert_eq!(refused.to_string(), refusal);
    // anna herself can undo it.
    let own = anna.may_decide(case).unwrap_err().to_string();
    assert!(
        own.contains("waits for a senior's second signature on your decision"),
        "{own}"
    );
    assert!(own.contains("undo it with u"), "{own}");
    // Decided and standing: only the one who decided can undo it.
    let plain = query_i64(&db.path, NOORD_PLAIN_CASE);
    anna.decide(plain, Decision::Accept, None).unwrap();
    let other = bram.may_decide(plain).unwrap_err().to_string();
    assert!(
        other.contains(&format!(
            "{} was already decided by anna",
            pseudonym(&db, plain)
        )),
        "{other}"
    );
    assert!(other.contains("only anna can undo that"), "{other}");
}

#[test]
fn a_refusal_names_the_household_not_the_case_number() {
    let db = demo(400);
    let zuid = query_i64(
        &db.path,
        "SELECT id FROM cases WHERE team = 'Zuid' AND status = 'open' LIMIT 1",
    );
    oordeel()
        .args([
            "--as",
            "anna",
            "explain",
            "--case",
            &zuid.to_string(),
            "--db",
        ])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains(format!(
            "{} is not in your team's queue",
            pseudonym(&db, zuid)
        )))
        .stderr(contains(format!("case {zuid}")).not());
}

#[test]
fn a_rejection_for_another_reason_needs_a_note() {
    let db = demo(400);
    let case = query_i64(&db.path, NOORD_PLAIN_CASE);
    let mut anna = common::session(&db.path, "anna");
    match anna.decide(case, Decision::Reject, Some("other")) {
        Err(e @ StoreError::Refused(Refusal::NoteRequired(_))) => {
            assert!(e.to_string().contains("says why in a note"), "{e}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let blank = anna.decide_noted(case, Decision::Reject, Some("other"), Some("  \n "));
    assert!(
        matches!(blank, Err(StoreError::Refused(Refusal::NoteRequired(_)))),
        "{blank:?}"
    );
    assert_eq!(common::aged::status(&db.path, case), "open");
    let seq = anna
        .decide_noted(case, Decision::Reject, Some("other"), Some("moved abroad"))
        .unwrap();
    // The note and the rejection, in one transaction, the note first.
    let (kind, text): (String, String) = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT kind, json_extract(payload, '$.text') FROM events WHERE seq = ?1",
            [seq - 1],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((kind.as_str(), text.as_str()), ("note", "moved abroad"));
    assert_eq!(common::aged::status(&db.path, case), "rejected");
}
