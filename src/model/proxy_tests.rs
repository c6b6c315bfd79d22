use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn cramers_v_matches_a_hand_computed_two_by_two_table() {
    // n = 100; margins rows 30, 70, columns 40, 60; expected counts 12, 18 / 28, 42.
    // χ² = 2²/12 + 2²/18 + 2²/28 + 2²/42 = 0.793650793650...; V = √(χ² / 100).
    let t = Contingency::from_counts(vec![vec![10.0, 20.0], vec![30.0, 40.0]]);
    assert!(close(t.chi_square(), 0.793_650_793_650_793_6));
    assert!(close(t.cramers_v(), 0.089_087_080_637_474_8));
    // H(rows), H(cols) and I from the same cells (natural logs): NMI = I / mean(H).
    assert!(close(
        t.normalized_mutual_information(),
        0.006_265_002_737_630_438
    ));
}

#[test]
fn cramers_v_matches_a_hand_computed_three_by_two_table() {
    // Rows 35, 35, 30; columns 45, 55; expected 15.75, 19.25 / 15.75, 19.25 / 13.5, 16.5.
    // χ² = 14.25²/15.75 + 14.25²/19.25 + 5.75²/15.75 + 5.75²/19.25 + 8.5²/13.5 + 8.5²/16.5
    //    = 36.988936988...; min(r, c) − 1 = 1, so V = √(χ² / 100).
    let t = Contingency::from_counts(vec![vec![30.0, 5.0], vec![10.0, 25.0], vec![5.0, 25.0]]);
    assert!(close(t.chi_square(), 36.988_936_988_936_985));
    assert!(close(t.cramers_v(), 0.608_185_308_840_463_4));
    assert!(close(
        t.normalized_mutual_information(),
        0.224_229_004_621_289_75
    ));
}

#[test]
fn independence_gives_zero_and_a_one_to_one_map_gives_one() {
    let independent = Contingency::from_counts(vec![vec![10.0, 20.0], vec![20.0, 40.0]]);
    assert!(close(independent.cramers_v(), 0.0));
    assert!(close(independent.normalized_mutual_information(), 0.0));
    let x = ["a", "b", "c", "a", "b", "c"];
    let y = ["p", "q", "r", "p", "q", "r"];
    let same = Contingency::count(&x, &y);
    assert!(close(same.cramers_v(), 1.0));
    assert!(close(same.normalized_mutual_information(), 1.0));
    // One level on either side: nothing to measure, not a division by zero.
    let flat = Contingency::count(&["a", "a", "a"], &["p", "q", "r"]);
    assert_eq!(flat.cramers_v(), 0.0);
    assert_eq!(flat.normalized_mutual_information(), 0.0);
}

#[test]
fn numeric_features_get_up_to_ten_equal_count_bins() {
    let hundred: Vec<f64> = (0..100).map(f64::from).collect();
    assert_eq!(
        quantile_edges(hundred),
        vec![10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0]
    );
    // Ties stay together: a 0/1 column with 70% zeros has two bins.
    let flags: Vec<f64> = (0..100).map(|i| if i < 70 { 0.0 } else { 1.0 }).collect();
    assert_eq!(quantile_edges(flags), vec![0.0, 1.0]);
}

#[test]
fn the_check_flags_a_feature_that_follows_an_attribute() {
    let features = vec![("district".to_owned(), true), ("arrears".to_owned(), false)];
    let mut rows = Vec::new();
    let mut groups = Vec::new();
    for i in 0..200 {
        let north = i % 2 == 0;
        rows.push(vec![
            FeatureValue::Category(if north { "Noord" } else { "Zuid" }.into()),
            FeatureValue::Number(f64::from(i % 7)),
        ]);
        groups.push(Some([
            if i % 3 == 0 { "f" } else { "m" }.to_owned(),
            if north {
                "outside_europe"
            } else {
                "netherlands"
            }
            .to_owned(),
        ]));
    }
    // A row without recorded attributes is left out, not counted as a group.
    rows.push(vec![
        FeatureValue::Category("Noord".into()),
        FeatureValue::Number(1.0),
    ]);
    groups.push(None);
    let check = proxy_check(
        &features,
        &rows,
        &["gender", "migration_background"],
        &groups,
        0.3,
    );
    assert_eq!(check.rows, 200);
    assert_eq!(check.pairs.len(), 4);
    let strong = check.strong();
    assert_eq!(strong.len(), 1);
    assert_eq!(
        (strong[0].feature.as_str(), strong[0].attribute.as_str()),
        ("district", "migration_background")
    );
    assert!(close(strong[0].cramers_v, 1.0));
    let arrears = &check.pairs[2];
    assert_eq!(arrears.feature_levels, 7);
    assert!(!arrears.strong_proxy);
    let json = serde_json::to_string(&check).unwrap();
    assert_eq!(serde_json::from_str::<ProxyCheck>(&json).unwrap(), check);
}
