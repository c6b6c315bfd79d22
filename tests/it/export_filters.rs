//! `oordeel export` narrowed by team, period and kind: what an auditor or a supervisor asks
//! for when re-checking a team's month, and the refusals when they ask wrongly.

use crate::common;

use chrono::{Days, Local};
use common::{DemoDb, demo, oordeel, session};
use oordeel::domain::decision::Decision;
use oordeel::domain::queue::{WindowQuery, WindowStart};
use predicates::str::contains;

/// `oordeel [--as NAME] export --format json ARGS`.
fn export(db: &DemoDb, args: &[&str]) -> Vec<serde_json::Value> {
    let (before, after) = match args {
        ["--as", name, rest @ ..] => (vec!["--as", *name], rest.to_vec()),
        rest => (Vec::new(), rest.to_vec()),
    };
    let out = oordeel()
        .args(before)
        .args(["export", "--format", "json"])
        .args(after)
        .arg("--db")
        .arg(&db.path)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

/// anna (Noord) accepts one case and rejects another with a note; daan (Zuid) defers one.
fn played(db: &DemoDb) {
    let top = |limit| WindowQuery {
        include_decided: false,
        by_deadline: false,
        list: oordeel::domain::queue::QueueList::Queue,
        start: WindowStart::First,
        limit,
    };
    let mut anna = session(&db.path, "anna");
    let actor = anna.actor().clone();
    let rows = anna.store().queue_window(&actor, &top(2)).unwrap();
    anna.decide(rows[0].case_id, Decision::Defer, None).unwrap();
    anna.note(rows[1].case_id, "spoke to the landlord").unwrap();
    anna.decide(rows[1].case_id, Decision::Reject, Some("resolved"))
        .unwrap();
    let mut daan = session(&db.path, "daan");
    let actor = daan.actor().clone();
    let row = daan
        .store()
        .queue_window(&actor, &top(1))
        .unwrap()
        .remove(0);
    daan.decide(row.case_id, Decision::Defer, None).unwrap();
}

#[test]
fn an_export_narrows_by_team_kind_and_period() {
    let db = demo(400);
    played(&db);
    let all = export(&db, &[]);
    assert_eq!(all.len(), 4);
    let noord = export(&db, &["--team", "Noord"]);
    assert_eq!(noord.len(), 3);
    assert!(noord.iter().all(|e| e["reviewer"] == "anna"));
    let rejects = export(&db, &["--decision", "reject,note"]);
    let kinds: Vec<&str> = rejects
        .iter()
        .map(|e| e["decision"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["note", "reject"]);
    let today = Local::now().date_naive();
    let tomorrow = (today + Days::new(1)).to_string();
    assert_eq!(export(&db, &["--since", &today.to_string()]).len(), 4);
    assert!(export(&db, &["--since", &tomorrow]).is_empty());
    assert!(export(&db, &["--until", &today.to_string()]).is_empty());
    // A supervisor gets their own team, asked or not, and is refused another.
    assert_eq!(export(&db, &["--as", "gijs"]).len(), 1);
    oordeel()
        .args(["--as", "gijs", "export", "--team", "Noord", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("Noord"));
    oordeel()
        .args([
            "export",
            "--since",
            &tomorrow,
            "--until",
            &today.to_string(),
            "--db",
        ])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("that period is empty"));
    oordeel()
        .args(["export", "--decision", "approve", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("approve"));
}
