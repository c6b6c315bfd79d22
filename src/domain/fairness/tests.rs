use super::*;

fn row(groups: &[&str], outcome: bool, score: f64) -> AuditRow {
    AuditRow {
        groups: groups.iter().map(|g| g.to_string()).collect(),
        outcome,
        score,
    }
}

fn options(cutoff: Cutoff) -> AuditOptions {
    AuditOptions {
        resamples: 0,
        ..AuditOptions::new(cutoff)
    }
}

#[test]
fn undefined_rates_are_none_not_nan() {
    // No positives: TPR and FNR are 0/0. Nobody selected: PPV and FDR are 0/0.
    let c = Confusion {
        tp: 0,
        fp: 0,
        tn: 5,
        fn_: 0,
    };
    let r = c.rates();
    assert_eq!(r.selection_rate, Some(0.0));
    assert_eq!((r.tpr, r.fnr, r.ppv, r.fdr), (None, None, None, None));
    assert_eq!(r.fpr, Some(0.0));
    assert_eq!(r.false_omission_rate, Some(0.0));
    assert_eq!(Confusion::default().rates(), Rates::default());

    let rows: Vec<AuditRow> = (0..12)
        .map(|i| row(&["a"], false, i as f64 / 100.0))
        .collect();
    let report = audit(&rows, &options(Cutoff::Threshold(0.5))).unwrap();
    let g = report.group("a").unwrap();
    assert_eq!(g.rates.tpr, None);
    assert_eq!(g.auc, None);
    assert_eq!(g.share_of_selected, None);
    assert_eq!(report.overall_auc, None);
}

#[test]
fn small_groups_are_suppressed_but_still_counted_overall() {
    let mut rows: Vec<AuditRow> = (0..10).map(|i| row(&["big"], i % 2 == 0, 0.1)).collect();
    rows.extend((0..9).map(|_| row(&["small"], true, 0.9)));
    let report = audit(&rows, &options(Cutoff::Threshold(0.5))).unwrap();
    assert_eq!(report.groups.len(), 1);
    assert!(report.group("small").is_none());
    assert_eq!((report.suppressed_groups, report.suppressed_rows), (1, 9));
    assert_eq!((report.total, report.selected), (19, 9));
    assert_eq!(report.overall_selection_rate, Some(9.0 / 19.0));
    // The shown group's share counts the suppressed group's selections.
    assert_eq!(report.group("big").unwrap().share_of_selected, Some(0.0));
    assert!(report.disparities.iter().all(|d| d.key != "small"));
    assert_eq!(
        audit(
            &rows,
            &AuditOptions {
                reference: Some("small".into()),
                ..options(Cutoff::TopK(3))
            }
        ),
        Err(FairnessError::UnknownReference("small".into()))
    );
    let few: Vec<AuditRow> = rows
        .iter()
        .filter(|r| r.groups[0] == "small")
        .cloned()
        .collect();
    assert_eq!(
        audit(&few, &options(Cutoff::TopK(1))),
        Err(FairnessError::AllSuppressed(10))
    );
}

#[test]
fn intersections_join_attribute_values() {
    let mut rows = Vec::new();
    for (sex, age) in [("female", "30-39"), ("female", "40-49"), ("male", "30-39")] {
        rows.extend((0..10).map(|i| row(&[sex, age], i < 5, i as f64 / 10.0)));
    }
    let report = audit(&rows, &options(Cutoff::TopPercent(50.0))).unwrap();
    let keys: Vec<&str> = report.groups.iter().map(|g| g.key.as_str()).collect();
    assert_eq!(keys, ["female × 30-39", "female × 40-49", "male × 30-39"]);
    assert_eq!(report.selected, 15);
    assert!(report.groups.iter().all(|g| g.count == 10));
}

#[test]
fn cutoffs_select_as_documented() {
    let scores = [0.5, 0.9, 0.5, 0.1, 0.5];
    assert_eq!(
        Cutoff::Threshold(0.5).select(&scores),
        [true, true, true, false, true]
    );
    // Ties by input order: of the three 0.5s the first two are taken.
    assert_eq!(
        Cutoff::TopK(3).select(&scores),
        [true, true, true, false, false]
    );
    assert_eq!(
        Cutoff::TopPercent(30.0).select(&scores),
        [true, true, false, false, false]
    );
    assert_eq!(Cutoff::TopK(9).select(&scores), [true; 5]);
}

#[test]
fn disparity_is_flagged_outside_the_band() {
    let reference = Rates {
        selection_rate: Some(0.5),
        tpr: Some(0.0),
        ..Rates::default()
    };
    let at = |v: f64| Rates {
        selection_rate: Some(v),
        ..reference
    };
    let flag = |v: f64| disparity(&at(v), &reference)[0];
    assert_eq!(flag(0.4).ratio, Some(0.8));
    assert!(!flag(0.4).flagged);
    assert!(!flag(0.625).flagged); // exactly 1.25
    assert!(flag(0.39).flagged);
    assert!(flag(0.63).flagged);
    // A zero or undefined reference rate gives no ratio and no flag.
    let d = disparity(&at(0.5), &reference);
    assert_eq!(
        (d[1].rate, d[1].ratio, d[1].flagged),
        (Rate::Tpr, None, false)
    );
    assert_eq!((d[2].ratio, d[2].flagged), (None, false));
}

#[test]
fn reference_defaults_to_the_largest_group() {
    let mut rows: Vec<AuditRow> = (0..20)
        .map(|i| row(&["b"], i % 2 == 0, i as f64 / 20.0))
        .collect();
    rows.extend((0..30).map(|i| row(&["a"], i % 3 == 0, i as f64 / 30.0)));
    rows.extend((0..30).map(|i| row(&["c"], i % 3 == 0, i as f64 / 30.0)));
    let report = audit(&rows, &options(Cutoff::Threshold(0.5))).unwrap();
    assert_eq!(report.reference, "a");
    let own = &report
        .disparities
        .iter()
        .find(|d| d.key == "a")
        .unwrap()
        .disparities;
    assert!(
        own.iter()
            .all(|d| d.ratio.is_none_or(|r| r == 1.0) && !d.flagged)
    );
}

#[test]
fn bootstrap_is_seeded_and_brackets_the_estimate() {
    let rows: Vec<AuditRow> = (0..200)
        .map(|i| row(&["a"], i % 3 == 0, (i * 37 % 200) as f64 / 200.0))
        .collect();
    let opts = AuditOptions {
        resamples: 200,
        seed: 7,
        ..AuditOptions::new(Cutoff::Threshold(0.5))
    };
    let first = audit(&rows, &opts).unwrap();
    assert_eq!(first, audit(&rows, &opts).unwrap());
    let g = &first.groups[0];
    for rate in Rate::ALL {
        let ci = g.intervals[&rate];
        let v = g.rates.get(rate).unwrap();
        assert!(ci.low <= v && v <= ci.high, "{rate:?}: {v} outside {ci:?}");
        assert!(ci.low < ci.high);
    }
}

#[test]
fn a_rate_over_fewer_cases_than_a_group_needs_is_not_reported() {
    // 15 in need and one not: the one not in need is selected, so FPR would be 1.00 from a
    // single case, and its ratio to the reference a flag raised over nothing.
    let mut rows: Vec<AuditRow> = (0..15)
        .map(|i| row(&["thin"], true, i as f64 / 20.0))
        .collect();
    rows.push(row(&["thin"], false, 0.99));
    rows.extend((0..40).map(|i| row(&["ref"], i % 2 == 0, i as f64 / 40.0)));
    let report = audit(
        &rows,
        &AuditOptions {
            resamples: 50,
            ..AuditOptions::new(Cutoff::Threshold(0.5))
        },
    )
    .unwrap();
    let thin = report.group("thin").unwrap();
    assert_eq!(thin.rates.fpr, None);
    assert!(thin.rates.tpr.is_some(), "15 in need is enough");
    assert!(!thin.intervals.contains_key(&Rate::Fpr));
    assert!(thin.intervals.contains_key(&Rate::Tpr));
    let d = report.disparities.iter().find(|d| d.key == "thin").unwrap();
    let fpr = d.disparities.iter().find(|x| x.rate == Rate::Fpr).unwrap();
    assert_eq!(fpr.ratio, None);
    assert!(!fpr.flagged);
}
