//! Explanations are exact: for every scored case of a demo caseload, the intercept plus the
//! stored per-feature contributions equals the stored logit, and the stored probability is
//! the model's (possibly calibrated) probability of that logit, `TrainedModel::probability`.

use crate::common;

use oordeel::model::TrainedModel;
use oordeel::store::Store;

#[test]
fn every_case_of_a_demo_caseload_adds_up() {
    let db = common::demo(3000);
    let store = Store::open(&db.path).unwrap();
    let ids: Vec<i64> = {
        let conn = rusqlite::Connection::open(&db.path).unwrap();
        let mut stmt = conn
            .prepare("SELECT case_id FROM scores ORDER BY case_id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert!(
        ids.len() > 500,
        "a 3000-household demo has hundreds of open cases: {}",
        ids.len()
    );
    let model: TrainedModel = serde_json::from_str(&store.latest_model().unwrap().spec).unwrap();
    let mut worst: f64 = 0.0;
    for id in &ids {
        let (e, ranking) = store.explanation(*id).unwrap().expect("scored");
        let sum = e.intercept + e.contributions.iter().map(|c| c.contribution).sum::<f64>();
        let gap = (sum - e.logit).abs();
        worst = worst.max(gap);
        assert!(
            gap < 1e-9,
            "case {id}: intercept + contributions = {sum}, logit = {}",
            e.logit
        );
        let p = model.probability(e.logit);
        assert!(
            (p - e.score).abs() < 1e-12,
            "case {id}: score {} is not the model's probability of its logit {p}",
            e.score
        );
        let rank = ranking
            .rank
            .expect("a ranked queue gives every case its place");
        assert!(rank >= 1 && rank <= ranking.ranked);
        // Protected attributes never appear among the model's features.
        for c in &e.contributions {
            assert!(
                !oordeel::model::is_protected(&c.feature),
                "case {id} is explained by a protected attribute {}",
                c.feature
            );
        }
    }
    eprintln!(
        "largest |intercept + sum - logit| over {} cases: {worst:e}",
        ids.len()
    );
}

/// The ranking follows the logit, and calibration never reorders it: down the ranking the
/// probability never rises (an isotonic calibration may tie cases; the logit still orders them).
#[test]
fn ranks_follow_the_logits() {
    let db = common::demo(1000);
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let mut stmt = conn
        .prepare("SELECT logit, rank, probability FROM scores ORDER BY rank")
        .unwrap();
    let rows: Vec<(f64, i64, f64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    for (i, pair) in rows.windows(2).enumerate() {
        assert_eq!(pair[0].1, i as i64 + 1);
        assert!(
            pair[0].0 >= pair[1].0,
            "rank {} has a lower logit than rank {}",
            pair[0].1,
            pair[1].1
        );
        assert!(
            pair[0].2 >= pair[1].2,
            "rank {} has a lower probability than rank {}",
            pair[0].1,
            pair[1].1
        );
    }
}

/// The protected attributes used to evaluate a model per group line up with the training
/// rows one for one, and the rows that feed the model never carry them (principle 4).
#[test]
fn training_groups_follow_the_training_rows() {
    let db = common::demo(600);
    let store = Store::open(&db.path).unwrap();
    let rows = store.training_rows().unwrap();
    let groups = store.training_groups().unwrap();
    assert_eq!(rows.rows.len(), groups.rows.len());
    assert!(rows.rows.len() > 300, "{}", rows.rows.len());
    assert!(
        rows.features
            .iter()
            .all(|(name, _)| !oordeel::model::is_protected(name))
    );
    let mut outside_europe = 0;
    for g in &groups.rows {
        let [gender, age, origin] = g.as_ref().expect("the demo records every household's");
        assert!(
            ["female", "male", "other"].contains(&gender.as_str()),
            "{gender}"
        );
        assert!(!age.is_empty());
        assert!(
            ["netherlands", "europe", "outside_europe"].contains(&origin.as_str()),
            "{origin}"
        );
        outside_europe += usize::from(origin == "outside_europe");
    }
    assert!(outside_europe > 50, "{outside_europe}");
}
