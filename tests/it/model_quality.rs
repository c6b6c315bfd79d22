//! Model quality as a user sees it: `oordeel train` prints calibration, precision at capacity
//! and the groups that differ most, and stores the full held-out evaluation with the version.

use crate::common;

use common::{demo, oordeel, query_i64, sql};
use oordeel::model::{CalibrationMethod, Evaluation};
use predicates::str::contains;

fn evaluation(path: &std::path::Path, version: i64) -> Evaluation {
    let conn = rusqlite::Connection::open(path).unwrap();
    let json: String = conn
        .query_row(
            "SELECT evaluation FROM model_versions WHERE version = ?1",
            [version],
            |r| r.get(0),
        )
        .unwrap();
    serde_json::from_str(&json).unwrap()
}

#[test]
fn train_prints_and_stores_the_held_out_evaluation() {
    let db = demo(1500);
    let out = oordeel()
        .args(["train", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains("Calibration: "))
        .stdout(contains("held-out log-loss: uncalibrated "))
        .stdout(contains(
            "Precision at capacity (40 cases per team per month",
        ))
        .stdout(contains("Widest AUC gap: "))
        .stdout(contains("Widest calibration gap: "))
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();

    let e = evaluation(&db.path, 2);
    let labelled = query_i64(
        &db.path,
        "SELECT count(*) FROM cases WHERE status = 'closed' AND outcome IS NOT NULL",
    ) as usize;
    assert_eq!(e.n_held_out, (labelled as f64 * 0.25).round() as usize);
    assert_eq!(e.overall.n, e.n_held_out);
    // The stored headline figures are the evaluation's overall figures.
    let overall = e.overall.metrics.as_ref().unwrap();
    let auc: f64 = rusqlite::Connection::open(&db.path)
        .unwrap()
        .query_row(
            "SELECT auc FROM model_versions WHERE version = 2",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!((overall.auc.unwrap() - auc).abs() < 1e-12);
    // Reliability deciles cover every held-out row.
    assert_eq!(overall.reliability.bins.len(), 10);
    assert_eq!(
        overall.reliability.bins.iter().map(|b| b.n).sum::<usize>(),
        e.n_held_out
    );
    // Per-group rows for all three protected attributes, each covering the held-out part.
    let attributes: Vec<&str> = e
        .by_attribute
        .iter()
        .map(|a| a.attribute.as_str())
        .collect();
    assert_eq!(attributes, ["gender", "age_band", "migration_background"]);
    for a in &e.by_attribute {
        assert!(a.groups.len() >= 2, "{}", a.attribute);
        assert_eq!(a.groups.iter().map(|g| g.n).sum::<usize>(), e.n_held_out);
        for g in &a.groups {
            match &g.metrics {
                Some(m) => {
                    assert!(g.n >= 10);
                    assert_eq!(m.reliability.bins.iter().map(|b| b.n).sum::<usize>(), g.n);
                }
                None => assert!(g.n < 10, "{} {} has {} rows", a.attribute, g.group, g.n),
            }
        }
    }
    // Precision at capacity: five teams, k = round(40 * share), pooled over the teams.
    let cap = &e.capacity;
    assert_eq!(cap.capacity_per_team, 40);
    assert_eq!(cap.k_per_team, (40.0 * e.held_out_share).round() as usize);
    assert_eq!(cap.teams.len(), 5);
    assert_eq!(
        cap.selected,
        cap.teams.iter().map(|t| t.selected).sum::<usize>()
    );
    let precision = cap.precision.unwrap();
    assert!(
        out.contains(&format!(
            "{} of {} selected cases needed help",
            cap.selected_positives, cap.selected
        )),
        "{out}"
    );
    // Ranking by the model beats picking at random.
    let base_rate = e.overall.positives as f64 / e.overall.n as f64;
    assert!(precision > base_rate, "{precision} vs {base_rate}");
    // The calibration report names each candidate and the choice is the best one (or none).
    let c = &e.calibration;
    assert_eq!(c.candidates[0].method, CalibrationMethod::None);
    let best = c
        .candidates
        .iter()
        .min_by(|a, b| a.held_out_log_loss.total_cmp(&b.held_out_log_loss))
        .unwrap();
    assert_eq!(c.chosen, best.method);
    assert!(c.n_calibration > 0);
}

#[test]
fn capacity_comes_from_the_database_settings() {
    let db = demo(600);
    assert_eq!(
        query_i64(
            &db.path,
            "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'capacity_per_team'"
        ),
        40
    );
    oordeel()
        .args(["settings", "set", "capacity_per_team", "8", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains("`capacity_per_team` is now `8` (logged)"));
    oordeel()
        .args(["train", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains(
            "(8 cases per team per month, so the top 2 per team",
        ));
    assert_eq!(evaluation(&db.path, 2).capacity.capacity_per_team, 8);

    // A value that is not a positive whole number is refused with one clear message.
    oordeel()
        .args(["settings", "set", "capacity_per_team", "veel", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains("`veel` is not a value for `capacity_per_team`"))
        .stderr(contains("whole number above 0"));
    // Put there with the sqlite3 shell, it stops training and adds no model version.
    sql(
        &db.path,
        "UPDATE settings SET value = 'veel' WHERE key = 'capacity_per_team'",
    );
    oordeel()
        .args(["train", "--db"])
        .arg(&db.path)
        .assert()
        .failure()
        .stderr(contains(
            "the settings table says `veel` at capacity_per_team",
        ))
        .stderr(contains("the event log says `8`"))
        .stderr(contains("oordeel verify"));
    assert_eq!(
        query_i64(&db.path, "SELECT max(version) FROM model_versions"),
        2
    );
}

#[test]
fn train_summary_speaks_dutch() {
    let db = demo(400);
    oordeel()
        .env("LANG", "nl_NL.UTF-8")
        .args(["train", "--db"])
        .arg(&db.path)
        .assert()
        .success()
        .stdout(contains("Kalibratie: "))
        .stdout(contains("Precisie bij capaciteit"))
        .stdout(contains("oordeel model show 2"));
}
