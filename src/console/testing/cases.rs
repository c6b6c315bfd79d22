//! The fake backend's cases: plausible, varied, and fully determined by their index, so
//! snapshots never change. Their explanations are exact: intercept plus contributions is the
//! logit.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};

use crate::domain::decision::CaseStatus;
use crate::domain::household::{
    CreditorType, Household, HouseholdType, IncomeSource, PersonalData, Signal, SignalFlags,
};
use crate::domain::view::{
    CaseDetail, Contribution, Explanation, FeatureValue, NoteView, QueueRow, Ranking,
};

/// The fixed "now" of the fake's events, so snapshots never change.
pub(super) fn at(today: NaiveDate, minutes: i64) -> DateTime<Utc> {
    let start = Utc.from_utc_datetime(&today.and_hms_opt(9, 0, 0).expect("valid time"));
    start + chrono::Duration::minutes(minutes)
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

const DISTRICTS: [&str; 5] = ["Noord", "Oost", "Zuid", "West", "Centrum"];
const CREDITORS: [(CreditorType, &str); 4] = [
    (CreditorType::Rent, "Woonstad Rotterdam"),
    (CreditorType::Energy, "Eneco"),
    (CreditorType::Water, "Evides"),
    (CreditorType::HealthInsurance, "Zilveren Kruis"),
];

/// Case `i` of `n`: plausible, varied and fully determined by `i`.
pub(super) fn make_case(i: usize, n: usize, today: NaiveDate) -> (QueueRow, CaseDetail) {
    let case_id = 1000 + i as i64;
    let household_type = HouseholdType::ALL[i % 4];
    let children = match household_type {
        HouseholdType::SingleParent => 1 + (i % 3) as u8,
        HouseholdType::CoupleWithChildren => 1 + (i % 2) as u8,
        _ => 0,
    };
    let household = Household {
        pseudonym: format!("H-{:05}", (i * 7919 + 1377) % 100_000),
        household_type,
        children,
        income_source: IncomeSource::ALL[(i * 3) % 5],
        district: DISTRICTS[i % 5].to_string(),
        earlier_debt_help: i % 6 == 1,
        known_to_district_team: i % 4 == 2,
        wmo_youth_support: i % 9 == 4,
    };
    let signal_count = 1 + (i % 7 == 1) as usize + (i % 5 == 1) as usize;
    let signals: Vec<Signal> = (0..signal_count)
        .map(|k| {
            let (creditor_type, creditor) = CREDITORS[(i + k) % 4];
            Signal {
                creditor_type,
                creditor: creditor.to_string(),
                amount_cents: (((i * 37 + k * 11) % 40) as i64 + 2) * 10_450,
                months_in_arrears: 1 + ((i + k) % 6) as u32,
                received_on: today - Days::new(((i + k * 3) % 20) as u64 + 1),
                end_of_supply_on: (creditor_type == CreditorType::Energy && i.is_multiple_of(2))
                    .then(|| today + Days::new(10 + (i % 10) as u64)),
                threat: i.is_multiple_of(5) && k == 0,
            }
        })
        .collect();
    let urgent = signals.iter().any(|s| s.threat);
    let opened_on = today - Days::new((i % 20) as u64 + 1);
    let deadline_on = if i % 11 == 3 {
        today - Days::new(2)
    } else if urgent {
        today + Days::new(3 + (i % 2) as u64)
    } else {
        opened_on + Days::new(28)
    };
    // Decreasing chances down the queue; the contributions add up to the logit exactly.
    let p = 0.93 - 0.86 * i as f64 / n.max(1) as f64;
    let logit = (p / (1.0 - p)).ln();
    let intercept = -1.59;
    let months = signals[0].months_in_arrears as f64;
    let total: i64 = signals.iter().map(|s| s.amount_cents).sum();
    let mut contributions = vec![
        Contribution {
            feature: "known_to_district_team".into(),
            value: FeatureValue::Number(household.known_to_district_team as u8 as f64),
            contribution: if household.known_to_district_team {
                -0.50
            } else {
                0.12
            },
        },
        Contribution {
            feature: "multiple_signals".into(),
            value: FeatureValue::Number((signal_count > 1) as u8 as f64),
            contribution: if signal_count > 1 { 0.81 } else { -0.21 },
        },
        Contribution {
            feature: "children".into(),
            value: FeatureValue::Number(children as f64),
            contribution: 0.09 * children as f64 - 0.05,
        },
        Contribution {
            feature: "income_source".into(),
            value: FeatureValue::Category(household.income_source.as_code().into()),
            contribution: [0.35, -0.18, 0.07, -0.31, 0.44][(i * 3) % 5],
        },
        Contribution {
            feature: "household_type".into(),
            value: FeatureValue::Category(household_type.as_code().into()),
            contribution: [0.05, 0.27, -0.14, -0.22][i % 4],
        },
        Contribution {
            feature: "district".into(),
            value: FeatureValue::Category(household.district.clone()),
            contribution: [0.03, -0.06, 0.11, -0.02, 0.0][i % 5],
        },
        Contribution {
            feature: "total_arrears_eur".into(),
            value: FeatureValue::Number(total as f64 / 100.0),
            contribution: 0.0,
        },
    ];
    let rest: f64 = contributions.iter().map(|c| c.contribution).sum();
    // Split what is left between months and amount, so both matter.
    let left = logit - intercept - rest;
    contributions[6].contribution = left * 0.4;
    contributions.push(Contribution {
        feature: "max_months_in_arrears".into(),
        value: FeatureValue::Number(months),
        contribution: left - left * 0.4,
    });
    contributions.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
    let mut notes = Vec::new();
    if i % 4 == 1 {
        notes.push(NoteView {
            seq: 1,
            at: at(today, -90),
            author: "bas".into(),
            text: "Already in contact with the district team about the rent.".into(),
        });
    }
    if i == 2 {
        // Untrusted text on purpose: the screen must show the escape, never act on it.
        notes.push(NoteView {
            seq: 2,
            at: at(today, -60),
            author: "eve".into(),
            text: "Called\x1b[2J twice\u{202e}".into(),
        });
    }
    let mut row_signals: Vec<(CreditorType, u32)> = signals
        .iter()
        .map(|s| (s.creditor_type, s.months_in_arrears))
        .collect();
    row_signals.sort_by_key(|s| std::cmp::Reverse(s.1));
    let row = QueueRow {
        case_id,
        household: household.pseudonym.clone(),
        rank: Some(i as i64 + 1),
        position: i as i64 + 1,
        probability: Some(sigmoid(logit)),
        deadline_on,
        urgent,
        signals: row_signals,
        status: CaseStatus::Open,
        held_by: None,
    };
    let detail = CaseDetail {
        case_id,
        household,
        flags: SignalFlags {
            multiple: signal_count > 1,
            repeated: i.is_multiple_of(3),
            threat: urgent,
        },
        signals,
        opened_on,
        deadline_on,
        status: CaseStatus::Open,
        explanation: Some(Explanation {
            case_id,
            model_version: 3,
            intercept,
            contributions,
            logit,
            score: sigmoid(logit),
        }),
        ranking: Some(Ranking {
            rank: Some(i as i64 + 1),
            ranked: n as i64,
            auc: 0.78,
        }),
        judge_first: None,
        notes,
        outcome: None,
        history: Vec::new(),
    };
    (row, detail)
}

const NAMES: [&str; 6] = [
    "Fatma Yılmaz",
    "Jeroen de Boer",
    "Priya Ramdin",
    "Kees van der Linden",
    "Soufiane El Amrani",
    "Marieke Jansen",
];
const STREETS: [&str; 4] = [
    "Zwart Janstraat",
    "Groene Hilledijk",
    "Vinkenstraat",
    "Kleiweg",
];

/// The name, BSN, address and birth date behind case `i`: made up, and for case 2 with
/// an escape sequence in the name, as untrusted text must be expected anywhere.
pub(super) fn personal_data(i: usize) -> PersonalData {
    let name = if i == 2 {
        "Priya\x1b]0;owned\x07 Ramdin".to_owned()
    } else {
        NAMES[i % NAMES.len()].to_owned()
    };
    PersonalData {
        name,
        bsn: crate::domain::bsn::from_block(2_000_000 + i as u32 * 7, 0),
        address: format!(
            "{} {}, 30{:02} AB Rotterdam",
            STREETS[i % STREETS.len()],
            10 + i % 90,
            i % 100
        ),
        birth_date: NaiveDate::from_ymd_opt(
            1960 + (i % 40) as i32,
            1 + (i % 12) as u32,
            1 + (i % 28) as u32,
        )
        .expect("a valid date"),
    }
}
