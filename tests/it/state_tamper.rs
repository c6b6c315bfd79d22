//! The state tables answer to the log. Each test edits one table the way someone with the
//! sqlite3 shell would (dropping a trigger where one is in the way, updating a row), then
//! checks that the command that would act on the row refuses it naming `oordeel verify`, and
//! that `verify` names the table, the row and what the log says instead.

use crate::common;

use common::{DemoDb, NOORD_PLAIN_CASE, demo, oordeel, query_i64, sql};
use oordeel::domain::decision::Decision;
use oordeel::store::StoreError;
use predicates::prelude::*;
use predicates::str::contains;

fn run(db: &DemoDb, args: &[&str]) -> assert_cmd::assert::Assert {
    oordeel().args(args).arg("--db").arg(&db.path).assert()
}

/// The refusal every acting command gives for a row the log never made.
fn refused_as_tampered(a: assert_cmd::assert::Assert, table: &str, row: &str) {
    a.failure()
        .stderr(contains(format!("the {table} table says")))
        .stderr(contains(format!(" {row}")))
        .stderr(contains("the table was changed outside oordeel"))
        .stderr(contains("Nothing was done"))
        .stderr(contains("oordeel verify"));
}

/// `verify` fails and names the table, the row, the column and what the log says.
fn verify_names(db: &DemoDb, table: &str, row: &str, column: &str, logged: &str) {
    run(db, &["verify"])
        .failure()
        .stderr(contains("the hash chain is intact"))
        .stderr(contains(format!("the {table} table says")))
        .stderr(contains(format!("{row} ({column})")))
        .stderr(contains(format!("while the log says {logged}")));
}

#[test]
fn an_approval_written_into_the_registry_is_not_an_approval() {
    let db = demo(300);
    run(&db, &["users", "add", "tweede", "--role", "admin"]).success();
    run(&db, &["--as", "tweede", "train"]).success();
    sql(
        &db.path,
        "UPDATE model_versions SET approved_by = 'root', approved_at = '2026-12-01T20:00:00Z'
         WHERE version = 2",
    );
    // Shown as not approved, with the reason, in show and list.
    run(&db, &["model", "show", "2"])
        .success()
        .stdout(contains("Not approved"))
        .stdout(contains("by root").not())
        .stderr(contains(
            "the model_versions table says `root` at version 2 (approved_by)",
        ))
        .stderr(contains("The approval shown here is the log's"));
    let list = run(&db, &["model", "list", "--format", "json"]).success();
    let json: serde_json::Value = serde_json::from_slice(&list.get_output().stdout).expect("json");
    assert_eq!(json[1]["approved_by"], serde_json::Value::Null, "{json}");
    // Neither approving it for real nor scoring with it acts on the edited row.
    refused_as_tampered(
        run(&db, &["model", "approve", "2"]),
        "model_versions",
        "version 2",
    );
    refused_as_tampered(run(&db, &["score"]), "model_versions", "version 2");
    verify_names(&db, "model_versions", "version 2", "approved_by", "-");
}

#[test]
fn a_reviewer_made_admin_in_the_table_is_refused_everywhere() {
    let db = demo(300);
    sql(
        &db.path,
        "UPDATE users SET role = 'admin', team = NULL WHERE name = 'anna'",
    );
    refused_as_tampered(
        run(&db, &["--as", "anna", "users", "list"]),
        "users",
        "anna",
    );
    refused_as_tampered(run(&db, &["--as", "anna", "export"]), "users", "anna");
    // The admins cannot list users on a table that lies, nor act on anna's row.
    refused_as_tampered(run(&db, &["users", "list"]), "users", "anna");
    refused_as_tampered(run(&db, &["users", "disable", "anna"]), "users", "anna");
    verify_names(&db, "users", "anna", "role", "`reviewer`");
    // verify itself works for an auditor whatever the table says of them.
    sql(&db.path, "UPDATE users SET active = 0 WHERE name = 'ilse'");
    oordeel()
        .args(["--as", "ilse", "verify", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("at anna (role)"));
}

#[test]
fn a_disabled_user_let_in_again_by_hand_stays_out() {
    let db = demo(300);
    run(&db, &["users", "disable", "bram"]).success();
    sql(&db.path, "UPDATE users SET active = 1 WHERE name = 'bram'");
    refused_as_tampered(run(&db, &["--as", "bram", "export"]), "users", "bram");
    verify_names(&db, "users", "bram", "active", "`disabled`");
}

#[test]
fn a_user_the_log_never_added_is_refused() {
    let db = demo(300);
    sql(
        &db.path,
        "INSERT INTO users (name, role, team, active, added_at, added_by)
         VALUES ('mallory', 'admin', NULL, 1, '2026-11-27T09:00:00.000000Z', 'root')",
    );
    refused_as_tampered(
        run(&db, &["--as", "mallory", "users", "list"]),
        "users",
        "mallory",
    );
    verify_names(&db, "users", "mallory", "row", "-");
}

#[test]
fn a_four_eyes_rule_edited_away_stops_decisions() {
    let db = demo(300);
    sql(
        &db.path,
        "UPDATE settings SET value = '' WHERE key = 'four_eyes'",
    );
    let case = query_i64(&db.path, NOORD_PLAIN_CASE);
    let mut anna = common::session(&db.path, "anna");
    match anna.decide(case, Decision::Accept, None) {
        Err(e @ StoreError::StateDisagrees(_)) => {
            let text = e.to_string();
            assert!(text.contains("at four_eyes (value)"), "{text}");
            assert!(text.contains("oordeel verify"), "{text}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    drop(anna);
    assert_eq!(common::aged::status(&db.path, case), "open");
    verify_names(&db, "settings", "four_eyes", "value", "`# Which decisions");
}

#[test]
fn judge_first_turned_off_in_the_table_still_hides_the_score() {
    let db = demo(300);
    run(
        &db,
        &["--as", "fatima", "judge-first", "on", "--team", "Noord"],
    )
    .success();
    sql(
        &db.path,
        "DELETE FROM settings WHERE key = 'judge_first.team.Noord'",
    );
    let case = query_i64(&db.path, NOORD_PLAIN_CASE).to_string();
    refused_as_tampered(
        run(&db, &["--as", "anna", "explain", "--case", &case]),
        "settings",
        "judge_first.team.Noord",
    );
    verify_names(&db, "settings", "judge_first.team.Noord", "value", "`on`");
}

#[test]
fn a_halt_lifted_in_the_table_still_stops_scoring() {
    let db = demo(300);
    run(&db, &["--as", "fatima", "halt", "--reason", "audit"]).success();
    sql(&db.path, "DELETE FROM settings WHERE key = 'halt'");
    refused_as_tampered(run(&db, &["score"]), "settings", "halt");
    refused_as_tampered(run(&db, &["--as", "gijs", "resume"]), "settings", "halt");
    verify_names(&db, "settings", "halt", "value", "`{\"by\":\"fatima\"");
}

#[test]
fn a_random_arm_edited_away_stops_scoring() {
    let db = demo(300);
    sql(
        &db.path,
        "UPDATE settings SET value = '0' WHERE key = 'random_arm_share'",
    );
    refused_as_tampered(run(&db, &["score"]), "settings", "random_arm_share");
    verify_names(&db, "settings", "random_arm_share", "value", "`0.05`");
    // The same change through the command is logged and fine.
    sql(
        &db.path,
        "UPDATE settings SET value = '0.05' WHERE key = 'random_arm_share'",
    );
    run(&db, &["settings", "set", "random_arm_share", "0"]).success();
    run(&db, &["verify"]).success();
    run(&db, &["score"]).success();
}

#[test]
fn feature_documentation_edited_by_hand_is_refused() {
    let db = demo(300);
    sql(
        &db.path,
        "UPDATE feature_metadata SET description = 'Harmless' WHERE name = 'district'",
    );
    refused_as_tampered(
        run(&db, &["features", "list"]),
        "feature_metadata",
        "district",
    );
    refused_as_tampered(run(&db, &["train"]), "feature_metadata", "district");
    verify_names(&db, "feature_metadata", "district", "description", "`Wijk");
}

#[test]
fn a_forbidden_term_removed_by_hand_is_refused() {
    let db = demo(300);
    run(&db, &["features", "forbid", "postcode"]).success();
    sql(
        &db.path,
        "UPDATE settings SET value = replace(value, '\"postcode\"', '\"elsewhere\"')
         WHERE key = 'feature_rules'",
    );
    refused_as_tampered(run(&db, &["train"]), "settings", "feature_rules");
    verify_names(&db, "settings", "feature_rules", "value", "`");
}

#[test]
fn a_claim_planted_for_someone_else_does_not_block_a_case() {
    let db = demo(300);
    let case = query_i64(&db.path, NOORD_PLAIN_CASE);
    sql(
        &db.path,
        &format!(
            "INSERT INTO claims (case_id, holder, claimed_at, expires_at)
             VALUES ({case}, 'bram', '2026-12-01T09:00:00.000000Z', '2999-01-01T00:00:00.000000Z')"
        ),
    );
    let mut anna = common::session(&db.path, "anna");
    match anna.decide(case, Decision::Accept, None) {
        Err(e @ StoreError::StateDisagrees(_)) => {
            assert!(
                e.to_string().contains("the claims table says `bram since"),
                "{e}"
            )
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    drop(anna);
    verify_names(&db, "claims", &format!("(case {case})"), "holder", "-");
}

#[test]
fn a_reassignment_undone_by_hand_is_refused() {
    let db = demo(300);
    let case = query_i64(&db.path, NOORD_PLAIN_CASE);
    let id = case.to_string();
    run(
        &db,
        &[
            "--as", "fatima", "reassign", "--case", &id, "--team", "Zuid",
        ],
    )
    .success();
    sql(
        &db.path,
        &format!("UPDATE cases SET team = 'Noord' WHERE id = {case}"),
    );
    refused_as_tampered(
        run(&db, &["--as", "anna", "explain", "--case", &id]),
        "cases",
        &format!("(case {case})"),
    );
    verify_names(&db, "cases", &format!("(case {case})"), "team", "`Zuid`");
}

#[test]
fn settings_changed_through_the_command_are_logged_and_verify() {
    let db = demo(300);
    run(&db, &["settings", "list"])
        .success()
        .stdout(contains("confirm_within_seconds"))
        .stdout(contains("not set: the shipped default"));
    run(&db, &["settings", "set", "confirm_within_seconds", "0"])
        .success()
        .stdout(contains("`confirm_within_seconds` is now `0` (logged)"));
    run(&db, &["settings", "set", "confirm_within_seconds", "0"])
        .success()
        .stdout(contains("nothing was written"));
    run(&db, &["settings", "set", "halt", "{}"])
        .failure()
        .stderr(contains("not a setting you change"));
    // Values a reader could not use, or that would switch a guard off unnoticed.
    run(
        &db,
        &["settings", "set", "confirm_within_seconds", "100000"],
    )
    .failure()
    .stderr(contains("from 0 to 600"));
    run(&db, &["settings", "set", "four_eyes", "# nothing"])
        .failure()
        .stderr(contains("at least one rule"));
    run(&db, &["settings", "set", "four_eyes", "[[rule]\nname ="])
        .failure()
        .stderr(contains("the rules as TOML"))
        .stderr(contains("Nothing was changed."));
    // Back to the shipped default, logged; those who oversee may read the settings.
    run(&db, &["settings", "reset", "confirm_within_seconds"])
        .success()
        .stdout(contains("shipped value again"));
    run(&db, &["--as", "ilse", "settings", "list"])
        .success()
        .stdout(contains("not set: the shipped default"));
    run(
        &db,
        &["--as", "ilse", "settings", "set", "capacity_per_team", "3"],
    )
    .failure()
    .stderr(contains("admins only"));
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind = 'setting_changed'
               AND json_extract(payload, '$.key') = 'confirm_within_seconds'"
        ),
        2
    );
    run(&db, &["verify"]).success();
}

#[test]
fn a_model_row_edited_or_lost_is_neither_used_nor_published() {
    let db = demo(300);
    let case = query_i64(&db.path, NOORD_PLAIN_CASE).to_string();
    // A better AUC than the model has: not published, not shown as the model's.
    sql(
        &db.path,
        "UPDATE model_versions SET auc = 0.99 WHERE version = 1",
    );
    for args in [
        &["report", "model"][..],
        &["register", "export"][..],
        &["explain", "--case", &case][..],
    ] {
        refused_as_tampered(run(&db, args), "model_versions", "version 1");
    }
    verify_names(&db, "model_versions", "version 1", "auc", "`0.");
    // An intercept that is not the specification's: the explanation's baseline would lie.
    sql(
        &db.path,
        "UPDATE model_versions SET auc = (SELECT json_extract(payload, '$.auc') FROM events
                                          WHERE kind = 'model_trained'), intercept = 5.0",
    );
    verify_names(&db, "model_versions", "version 1", "intercept", "`-");
    // A row deleted: the log trained it, the table lost it.
    sql(
        &db.path,
        "DELETE FROM scores; DELETE FROM scoring_runs; DELETE FROM model_versions;",
    );
    refused_as_tampered(run(&db, &["score"]), "model_versions", "version 1");
}

#[test]
fn an_erasure_no_purge_made_is_refused() {
    let db = demo(300);
    let case = query_i64(&db.path, NOORD_PLAIN_CASE);
    sql(
        &db.path,
        &format!(
            "INSERT INTO erasures (household_id, purge_seq, erased_at)
             SELECT household_id, 1, '2026-01-01T00:00:00.000000Z' FROM cases WHERE id = {case}"
        ),
    );
    // The household's answer would say its data were erased, which no purge did.
    let household: String = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT h.pseudonym FROM cases c JOIN households h ON h.id = c.household_id
             WHERE c.id = ?1",
            [case],
            |r| r.get(0),
        )
        .unwrap();
    refused_as_tampered(
        run(&db, &["--as", "ilse", "citizen", &household]),
        "erasures",
        &household,
    );
    verify_names(&db, "erasures", &household, "purge_seq", "-");
}

#[test]
fn a_case_goes_only_to_a_team_that_could_take_it() {
    let db = demo(300);
    let case = query_i64(&db.path, NOORD_PLAIN_CASE).to_string();
    run(
        &db,
        &[
            "--as", "fatima", "reassign", "--case", &case, "--team", "Mars",
        ],
    )
    .failure()
    .stderr(contains("team Mars has no active reviewer or senior"));
    run(
        &db,
        &[
            "--as", "fatima", "reassign", "--case", &case, "--team", "Zuid",
        ],
    )
    .success()
    .stdout(contains(") moved to team Zuid (logged)"))
    .stdout(contains("H-"));
    run(&db, &["verify"]).success();
}
