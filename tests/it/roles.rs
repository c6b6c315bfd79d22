//! Many reviewers, one database: who may see and do what is enforced by the store, whatever
//! front end asks. Each test acts as the demo's users (see `oordeel::commands::DEMO_USERS`).

use crate::common;
use oordeel::store::Refusal;

use chrono::{TimeZone, Utc};
use common::{demo, identity, oordeel, query_i64, session};
use oordeel::domain::decision::Decision;
use oordeel::domain::queue::{WindowQuery, WindowStart};
use oordeel::store::{ClaimState, Identity, Store, StoreError};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

fn case_of(db: &common::DemoDb, team: &str) -> i64 {
    query_i64(
        &db.path,
        &format!(
            "SELECT id FROM cases WHERE team = '{team}' AND status = 'open'
             ORDER BY queue_rank LIMIT 1"
        ),
    )
}

/// The first open case of team Noord that the four-eyes rule catches for any decision.
fn noord_threat_case(db: &common::DemoDb) -> i64 {
    query_i64(
        &db.path,
        "SELECT c.id FROM cases c WHERE c.team = 'Noord' AND c.status = 'open'
           AND EXISTS (SELECT 1 FROM signals s WHERE s.household_id = c.household_id
                         AND s.threat = 1 AND s.creditor_type IN ('rent', 'energy', 'water')
                         AND s.received_on >= substr(c.opened_on, 1, 8) || '01')
         ORDER BY c.queue_rank LIMIT 1",
    )
}

fn events(db: &common::DemoDb, kind: &str, actor: &str) -> i64 {
    query_i64(
        &db.path,
        &format!("SELECT count(*) FROM events WHERE kind = '{kind}' AND actor = '{actor}'"),
    )
}

fn verify(db: &common::DemoDb) {
    oordeel()
        .arg("verify")
        .arg("--db")
        .arg(&db.path)
        .assert()
        .success();
}

#[test]
fn a_reviewer_of_team_noord_never_sees_a_case_of_team_zuid() {
    let db = demo(400);
    let zuid = case_of(&db, "Zuid");
    let mut anna = session(&db.path, "anna");
    let rows = anna
        .store()
        .queue_window(
            anna.actor(),
            &WindowQuery {
                include_decided: true,
                by_deadline: false,
                list: oordeel::domain::queue::QueueList::Queue,
                start: WindowStart::First,
                limit: 10_000,
            },
        )
        .unwrap();
    let noord = query_i64(
        &db.path,
        "SELECT count(*) FROM cases WHERE team = 'Noord' AND status != 'closed'",
    );
    assert_eq!(rows.len() as i64, noord, "anna's queue is all of Noord's");
    assert!(rows.iter().all(|r| r.case_id != zuid));
    assert!(matches!(
        anna.store().case_detail(anna.actor(), zuid),
        Err(StoreError::Refused(Refusal::NotYourTeam(_)))
    ));
    assert!(matches!(
        anna.decide(zuid, Decision::Accept, None),
        Err(StoreError::Refused(Refusal::NotYourTeam(_)))
    ));
    assert!(matches!(
        anna.reveal(zuid),
        Err(StoreError::Refused(Refusal::NotYourTeam(_)))
    ));
    assert_eq!(events(&db, "decision", "anna"), 0);
    // The command line goes through the same store: `explain` refuses too.
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
        .stderr(contains("not in your team's queue"));
}

#[test]
fn an_auditor_reads_the_log_but_decides_nothing_and_reveals_no_bsn() {
    let db = demo(300);
    let case = case_of(&db, "Noord");
    let mut anna = session(&db.path, "anna");
    anna.open_case(case).unwrap();
    anna.reveal(case).unwrap();
    let mut ilse = session(&db.path, "ilse");
    let refused = ilse.reveal(case).unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("ilse (auditor) may not see personal data"),
        "{refused}"
    );
    assert!(matches!(
        ilse.decide(case, Decision::Accept, None),
        Err(StoreError::Refused(Refusal::Forbidden { .. }))
    ));
    assert!(matches!(
        ilse.note(case, "x"),
        Err(StoreError::Refused(Refusal::Forbidden { .. }))
    ));
    // An auditor opening a case logs the view but claims nothing.
    let opened = ilse.open_case(case_of(&db, "Zuid")).unwrap();
    assert_eq!(opened.claim, ClaimState::None);
    assert_eq!(events(&db, "reveal", "ilse"), 0);
    // ...and reads who looked at what, pseudonymised.
    let out = oordeel()
        .args([
            "--as", "ilse", "report", "access", "--format", "json", "--db",
        ])
        .arg(&db.path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let records: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let records = records.as_array().unwrap();
    let by = |user: &str, access: &str| {
        records
            .iter()
            .filter(|r| r["user"] == user && r["access"] == access && r["case_id"] == case)
            .count()
    };
    assert_eq!(by("anna", "view"), 1);
    assert_eq!(by("anna", "reveal"), 1);
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("bsn\":\"")
            && !records.iter().any(|r| r.get("name").is_some()),
        "the report names households by pseudonym only"
    );
    // A reviewer may not read the access report.
    oordeel()
        .args(["--as", "anna", "report", "access", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("anna (reviewer) may not read the log"));
}

#[test]
fn a_four_eyes_decision_needs_a_second_person() {
    let db = demo(400);
    let case = noord_threat_case(&db);
    let mut anna = session(&db.path, "anna");
    let decision = anna.decide(case, Decision::Accept, None).unwrap();
    let status = || {
        rusqlite::Connection::open(&db.path)
            .unwrap()
            .query_row("SELECT status FROM cases WHERE id = ?1", [case], |r| {
                r.get::<_, String>(0)
            })
            .unwrap()
    };
    assert_eq!(status(), "to_sign");
    // A reviewer cannot sign; a senior of another team cannot see it; the first reviewer,
    // even as a senior, cannot sign their own.
    assert!(matches!(
        anna.sign(case),
        Err(StoreError::Refused(Refusal::Forbidden { .. }))
    ));
    assert!(matches!(
        session(&db.path, "eva").sign(case),
        Err(StoreError::Refused(Refusal::NotYourTeam(_)))
    ));
    let mut carla = session(&db.path, "carla");
    let own = noord_threat_case(&db);
    carla.decide(own, Decision::Defer, None).unwrap();
    let refused = carla.sign(own).unwrap_err();
    assert!(
        matches!(refused, StoreError::Refused(Refusal::OwnDecision(_))),
        "{refused}"
    );
    // carla signs anna's: the decision stands.
    carla.sign(case).unwrap();
    assert_eq!(status(), "accepted");
    let signs = query_i64(
        &db.path,
        &format!(
            "SELECT json_extract(payload, '$.signs') FROM events
             WHERE kind = 'signed' AND case_id = {case} AND actor = 'carla'"
        ),
    );
    assert_eq!(signs, decision);
    assert!(matches!(
        carla.sign(case),
        Err(StoreError::Refused(Refusal::NotToSign(_)))
    ));
    verify(&db);
}

#[test]
fn a_decision_sent_back_no_longer_stands_and_the_case_reopens() {
    let db = demo(400);
    let top = query_i64(
        &db.path,
        "SELECT id FROM cases WHERE team = 'Noord' AND status = 'open' ORDER BY queue_rank LIMIT 1",
    );
    let mut anna = session(&db.path, "anna");
    anna.decide(top, Decision::Reject, Some("resolved"))
        .unwrap();
    let rule: String = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT json_extract(payload, '$.four_eyes') FROM events WHERE kind = 'decision'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        ["reject_top_ranked", "eviction_or_cut_off"].contains(&rule.as_str()),
        "{rule}"
    );
    let mut carla = session(&db.path, "carla");
    carla
        .send_back(top, Some("we spoke to them last week; accept"))
        .unwrap();
    assert_eq!(
        query_i64(
            &db.path,
            &format!("SELECT status = 'open' FROM cases WHERE id = {top}")
        ),
        1
    );
    // anna's undo finds nothing of hers still standing.
    assert!(anna.undo_last().unwrap().is_none());
    verify(&db);
    // The export shows both steps.
    let out = common::export_json(&db.path);
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("\"decision\": \"sent_back\""), "{text}");
}

#[test]
fn two_reviewers_cannot_decide_the_same_case() {
    let db = demo(300);
    let case = case_of(&db, "Noord");
    let at = |minute| Utc.with_ymd_and_hms(2026, 11, 27, 10, minute, 0).unwrap();
    let clocked = |minute: u32, name: &str| {
        let mut store = Store::open(&db.path).unwrap();
        store.set_clock(Box::new(move || at(minute)));
        let actor = store.identify(&identity(Some(name))).unwrap();
        oordeel::store::ReviewSession::start(store, actor).unwrap()
    };
    let mut anna = clocked(0, "anna");
    assert!(matches!(
        anna.open_case(case).unwrap().claim,
        ClaimState::Mine { .. }
    ));
    let mut bram = clocked(1, "bram");
    assert!(matches!(
        bram.open_case(case).unwrap().claim,
        ClaimState::HeldBy { ref holder, .. } if holder == "anna"
    ));
    let refused = bram.decide(case, Decision::Accept, None).unwrap_err();
    assert!(
        refused.to_string().contains("being handled by anna"),
        "{refused}"
    );
    assert_eq!(events(&db, "decision", "bram"), 0);
    // The lease lapses after five minutes without renewal: the case is free again.
    let mut bram_later = clocked(6, "bram");
    bram_later.decide(case, Decision::Accept, None).unwrap();
    // anna's late attempt finds it decided.
    assert!(matches!(
        anna.decide(case, Decision::Accept, None),
        Err(StoreError::Refused(Refusal::AlreadyDecided { .. }))
            | Err(StoreError::Refused(Refusal::HeldBy { .. }))
    ));
    assert_eq!(events(&db, "decision", "anna"), 0);
}

#[test]
fn a_supervisor_releases_a_stuck_claim_and_it_is_logged() {
    let db = demo(300);
    let case = case_of(&db, "Noord");
    let mut anna = session(&db.path, "anna");
    anna.open_case(case).unwrap();
    // The supervisor watching sees who holds it, without taking it over by looking.
    let watched = session(&db.path, "fatima").open_case(case).unwrap();
    assert!(
        matches!(watched.claim, ClaimState::HeldBy { ref holder, .. } if holder == "anna"),
        "{:?}",
        watched.claim
    );
    // A supervisor of another team may not; a reviewer may not.
    oordeel()
        .args([
            "--as",
            "bram",
            "claims",
            "--release",
            &case.to_string(),
            "--db",
        ])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("supervisors only"));
    oordeel()
        .args([
            "--as",
            "gijs",
            "claims",
            "--release",
            &case.to_string(),
            "--db",
        ])
        .arg(&db.path)
        .assert()
        .failure();
    oordeel()
        .args(["--as", "fatima", "claims", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains("anna"));
    oordeel()
        .args([
            "--as",
            "fatima",
            "claims",
            "--release",
            &case.to_string(),
            "--db",
        ])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains("released anna's claim"));
    assert_eq!(events(&db, "claim_released", "fatima"), 1);
    assert_eq!(query_i64(&db.path, "SELECT count(*) FROM claims"), 0);
    // anna's console, still on the case, renews at its tick: the release stands (it used to
    // take the claim back without a view, which verify then named as planted).
    assert_eq!(anna.renew_claim(case).unwrap(), ClaimState::None);
    assert_eq!(query_i64(&db.path, "SELECT count(*) FROM claims"), 0);
    verify(&db);
    let mut bram = session(&db.path, "bram");
    bram.decide(case, Decision::Defer, None).unwrap();
    verify(&db);
}

#[test]
fn strangers_and_disabled_users_are_refused_with_who_to_ask() {
    let db = demo(200);
    let admin = common::os_user();
    oordeel()
        .args(["--as", "zoe", "verify", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("zoe is not a user of this database"))
        .stderr(contains(&admin))
        .stderr(contains("oordeel users add zoe"));
    oordeel()
        .args(["users", "disable", "bram", "--db"])
        .arg(&db.path)
        .assert()
        .success();
    oordeel()
        .args(["--as", "bram", "verify", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("user bram is disabled"));
    // --as is only for the account that owns the file: a different uid is refused, whatever
    // name it asks for.
    let store = Store::open(&db.path).unwrap();
    let me = nix::unistd::Uid::current().as_raw();
    let other = Identity {
        os_user: "mallory",
        uid: me.wrapping_add(1),
        as_name: Some(&admin),
    };
    let refused = store.identify(&other).unwrap_err();
    assert!(
        matches!(refused, StoreError::Refused(Refusal::AsNotOwner { .. })),
        "{refused}"
    );
    assert!(
        refused
            .to_string()
            .contains("only for the account that owns the database")
    );
}

#[test]
fn only_admins_manage_users_and_every_change_is_logged() {
    let db = demo(200);
    oordeel()
        .args([
            "--as", "carla", "users", "add", "zoe", "--role", "reviewer", "--team", "Noord", "--db",
        ])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("admins only"));
    for args in [
        &[
            "users", "add", "zoe", "--role", "reviewer", "--team", "Oost",
        ][..],
        &["users", "set-role", "zoe", "--role", "senior"],
        &["users", "disable", "zoe"],
        &["users", "enable", "zoe"],
    ] {
        oordeel()
            .args(args)
            .arg("--db")
            .arg(&db.path)
            .assert()
            .success();
    }
    oordeel()
        .args(["users", "list", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(
            contains("zoe")
                .and(contains("senior"))
                .and(contains("Oost")),
        );
    let admin = common::os_user();
    assert_eq!(
        events(&db, "user_added", &admin),
        10,
        "the admin itself (owner of the file), 8 demo users, zoe"
    );
    assert_eq!(
        events(&db, "role_changed", &admin),
        2,
        "set-role and enable"
    );
    assert_eq!(events(&db, "user_disabled", &admin), 1);
    // Bad input: one clear message each, nothing written.
    let before = query_i64(&db.path, "SELECT count(*) FROM events");
    for (args, message) in [
        (
            &[
                "users", "add", "Zoë", "--role", "reviewer", "--team", "Noord",
            ][..],
            "not a valid user name",
        ),
        (
            &["users", "add", "yara", "--role", "reviewer"],
            "pass --team TEAM",
        ),
        (
            &[
                "users", "add", "anna", "--role", "reviewer", "--team", "Noord",
            ],
            "already exists",
        ),
        (&["users", "disable", &admin], "last active admin"),
        (
            &["users", "set-role", "nobody", "--role", "senior"],
            "no user nobody",
        ),
    ] {
        oordeel()
            .args(args)
            .arg("--db")
            .arg(&db.path)
            .assert()
            .failure()
            .stderr(contains(message));
    }
    assert_eq!(query_i64(&db.path, "SELECT count(*) FROM events"), before);
    verify(&db);
}

#[test]
fn disabling_a_user_stops_a_session_that_is_already_open() {
    let db = demo(300);
    let case = case_of(&db, "Noord");
    let mut anna = session(&db.path, "anna");
    let mut bram = session(&db.path, "bram");
    anna.open_case(case).unwrap();
    oordeel()
        .args(["users", "disable", "anna", "--db"])
        .arg(&db.path)
        .assert()
        .success();
    oordeel()
        .args([
            "users", "set-role", "bram", "--role", "reviewer", "--team", "Zuid", "--db",
        ])
        .arg(&db.path)
        .assert()
        .success();
    let refused = anna.decide(case, Decision::Accept, None).unwrap_err();
    assert!(
        refused.to_string().contains("user anna is disabled"),
        "{refused}"
    );
    assert!(matches!(
        anna.open_case(case_of(&db, "Noord")),
        Err(StoreError::Refused(Refusal::UserDisabled { .. }))
    ));
    assert!(matches!(
        anna.reveal(case),
        Err(StoreError::Refused(Refusal::UserDisabled { .. }))
    ));
    let moved = bram.decide(case, Decision::Defer, None).unwrap_err();
    assert!(
        moved.to_string().contains("role or team of bram changed"),
        "{moved}"
    );
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind = 'decision'"
        ),
        0
    );
    // Ending the session still works: the end is logged and nothing is left claimed.
    anna.end(None).unwrap();
    assert_eq!(query_i64(&db.path, "SELECT count(*) FROM claims"), 0);
    verify(&db);
}
