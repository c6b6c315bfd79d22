//! The feature encoding: standardising, one-hot columns, unseen values, bad rows, JSON.

use crate::domain::view::FeatureValue;
use crate::model::{Encoding, FeatureDef, ModelError, RawRow};

fn row(pairs: &[(&str, FeatureValue)]) -> RawRow {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}
fn num(x: f64) -> FeatureValue {
    FeatureValue::Number(x)
}
fn cat(s: &str) -> FeatureValue {
    FeatureValue::Category(s.to_string())
}

fn defs() -> Vec<FeatureDef> {
    vec![
        FeatureDef::numeric("amount"),
        FeatureDef::categorical("creditor"),
        FeatureDef::numeric("constant"),
    ]
}

fn rows() -> Vec<RawRow> {
    [
        (1.0, "rent"),
        (2.0, "energy"),
        (3.0, "rent"),
        (6.0, "water"),
    ]
    .iter()
    .map(|&(a, c)| {
        row(&[
            ("amount", num(a)),
            ("creditor", cat(c)),
            ("constant", num(7.0)),
        ])
    })
    .collect()
}

#[test]
fn standardises_numbers_and_one_hot_categories() {
    let enc = Encoding::fit(&defs(), &rows()).unwrap();
    assert_eq!(enc.width(), 5);
    assert_eq!(
        enc.column_names(),
        [
            "amount",
            "creditor=energy",
            "creditor=rent",
            "creditor=water",
            "constant"
        ]
    );
    // amount: mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5.
    let mut out = vec![0.0; 5];
    enc.encode_into(&rows()[0], &mut out).unwrap();
    let s = 3.5f64.sqrt();
    assert!((out[0] - (1.0 - 3.0) / s).abs() < 1e-12);
    // rent: p = 0.5, std 0.5 -> (1 - 0.5) / 0.5 = 1; energy, water: p = 0.25.
    let q = (0.25f64 * 0.75).sqrt();
    assert!((out[1] - (0.0 - 0.25) / q).abs() < 1e-12);
    assert!((out[2] - 1.0).abs() < 1e-12);
    assert!((out[3] - (0.0 - 0.25) / q).abs() < 1e-12);
    // constant column: std 1, encodes as 0, no NaN.
    assert_eq!(out[4], 0.0);
}

#[test]
fn every_column_has_mean_zero_on_training_rows() {
    let enc = Encoding::fit(&defs(), &rows()).unwrap();
    let mut sums = vec![0.0; enc.width()];
    let mut out = vec![0.0; enc.width()];
    for r in rows() {
        enc.encode_into(&r, &mut out).unwrap();
        sums.iter_mut().zip(&out).for_each(|(s, v)| *s += v);
    }
    assert!(sums.iter().all(|s| s.abs() < 1e-12), "{sums:?}");
}

#[test]
fn unseen_category_is_all_zero_indicators() {
    let enc = Encoding::fit(&defs(), &rows()).unwrap();
    let r = row(&[
        ("amount", num(3.0)),
        ("creditor", cat("health")),
        ("constant", num(9.0)),
    ]);
    let mut out = vec![0.0; 5];
    enc.encode_into(&r, &mut out).unwrap();
    let q = (0.25f64 * 0.75).sqrt();
    assert_eq!(out[0], 0.0);
    assert!((out[1] + 0.25 / q).abs() < 1e-12);
    assert!((out[2] + 1.0).abs() < 1e-12);
    assert!((out[3] + 0.25 / q).abs() < 1e-12);
    assert_eq!(out[4], 2.0);
}

#[test]
fn bad_rows_say_what_and_where() {
    let enc = Encoding::fit(&defs(), &rows()).unwrap();
    let mut out = vec![0.0; 5];
    let missing = row(&[("amount", num(1.0)), ("constant", num(7.0))]);
    let err = enc.encode_into(&missing, &mut out).unwrap_err();
    assert!(matches!(err, ModelError::MissingFeature { ref feature } if feature == "creditor"));

    let mut bad = rows();
    bad[2].insert("amount".into(), cat("lots"));
    let err = Encoding::fit(&defs(), &bad).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("row 2: feature `amount` should be a number"),
        "{text}"
    );

    bad[2].insert("amount".into(), num(f64::NAN));
    assert!(
        Encoding::fit(&defs(), &bad)
            .unwrap_err()
            .to_string()
            .contains("finite")
    );

    let err = enc.encode_into(&rows()[0], &mut [0.0; 3]).unwrap_err();
    assert!(matches!(
        err,
        ModelError::Width {
            expected: 5,
            found: 3
        }
    ));
    assert!(matches!(
        Encoding::fit::<RawRow>(&defs(), &[]),
        Err(ModelError::NoRows)
    ));
}

#[test]
fn round_trips_through_json() {
    let enc = Encoding::fit(&defs(), &rows()).unwrap();
    let json = serde_json::to_string(&enc).unwrap();
    assert!(json.contains(r#""kind":"categorical""#), "{json}");
    let back: Encoding = serde_json::from_str(&json).unwrap();
    assert_eq!(back.defs(), defs());
    assert_eq!(back.column_names(), enc.column_names());
    // serde_json without its `float_roundtrip` feature may read a float back 1 ulp off.
    let (mut a, mut b) = (vec![0.0; 5], vec![0.0; 5]);
    for r in rows() {
        enc.encode_into(&r, &mut a).unwrap();
        back.encode_into(&r, &mut b).unwrap();
        assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-12));
    }
}
