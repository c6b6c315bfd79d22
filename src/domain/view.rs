//! What the console and the exports show: read models assembled by the store.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::decision::CaseStatus;
use super::household::{CreditorType, Household, Signal, SignalFlags};
use super::judge_first::JudgeFirstView;

/// A raw feature value as it went into the model: shown beside its contribution. Stored as
/// a JSON number or string.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum FeatureValue {
    Number(f64),
    Category(String),
}

/// By hand rather than `#[serde(untagged)]`, which buffers every value and tries each
/// variant in turn: parsing the features of a million cases took twice as long.
impl<'de> Deserialize<'de> for FeatureValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FeatureValue, D::Error> {
        struct Value;
        impl serde::de::Visitor<'_> for Value {
            type Value = FeatureValue;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_f64<E>(self, v: f64) -> Result<FeatureValue, E> {
                Ok(FeatureValue::Number(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<FeatureValue, E> {
                Ok(FeatureValue::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<FeatureValue, E> {
                Ok(FeatureValue::Number(v as f64))
            }
            fn visit_str<E>(self, v: &str) -> Result<FeatureValue, E> {
                Ok(FeatureValue::Category(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<FeatureValue, E> {
                Ok(FeatureValue::Category(v))
            }
        }
        d.deserialize_any(Value)
    }
}

impl FeatureValue {
    pub fn as_number(&self) -> Option<f64> {
        match self {
            FeatureValue::Number(n) => Some(*n),
            FeatureValue::Category(_) => None,
        }
    }
}

/// One line of the queue, as small as the list needs.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueRow {
    pub case_id: i64,
    /// Pseudonym, e.g. `H-04821`.
    pub household: String,
    /// Position in the current ranking (1 = highest estimated need); `None` when unscored,
    /// or hidden (judge-first mode).
    pub rank: Option<i64>,
    /// Where the row sits in the order the queue is read in: the queue rank, or in
    /// judge-first mode the arrival day. Paging keys on it; never shown.
    pub position: i64,
    pub probability: Option<f64>,
    pub deadline_on: NaiveDate,
    /// Eviction or cut-off threatens: the 3-working-day deadline applies.
    pub urgent: bool,
    /// Current-month signals, largest first: creditor kind and months in arrears.
    pub signals: Vec<(CreditorType, u32)>,
    pub status: CaseStatus,
    /// Who has the case open right now, if anyone.
    pub held_by: Option<String>,
}

/// One feature's share of a case's log-odds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub feature: String,
    pub value: FeatureValue,
    pub contribution: f64,
}

/// An exact additive explanation: `intercept + sum(contributions) == logit`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    pub case_id: i64,
    pub model_version: i64,
    pub intercept: f64,
    /// Largest absolute contribution first.
    pub contributions: Vec<Contribution>,
    pub logit: f64,
    pub score: f64,
}

/// Where a case stands in the ranking and how good the model that ranked it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// The case's place in the queue the model ranked; `None` when the queue is not in the
    /// model's order (halted, or resumed and not ranked again yet): no place is shown then
    /// that the model did not give.
    pub rank: Option<i64>,
    /// Number of cases ranked in the same scoring run.
    pub ranked: i64,
    pub auc: f64,
}

/// A note on a case.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteView {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub author: String,
    pub text: Written,
}

/// Text a person wrote, or the fact that a purge erased it (the log keeps that there was
/// one). How "erased on ..." reads is for the edge to say, in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    Text(String),
    Erased { on: NaiveDate },
}

impl Written {
    /// The text as written; `None` once erased.
    pub fn text(&self) -> Option<&str> {
        match self {
            Written::Text(text) => Some(text),
            Written::Erased { .. } => None,
        }
    }
}

impl From<&str> for Written {
    fn from(text: &str) -> Self {
        Written::Text(text.to_owned())
    }
}

impl From<String> for Written {
    fn from(text: String) -> Self {
        Written::Text(text)
    }
}

/// A decision (or its retraction) on a case, for the history in the detail view.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionView {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub reviewer: String,
    /// `accept`, `reject`, `defer`, or what undid or confirmed one: `retract`, `signed`,
    /// `sent_back`.
    pub decision: String,
    pub reason: Option<String>,
    /// The four-eyes rule that held a decision for a second signature, if one did.
    pub four_eyes: Option<String>,
    /// The note a senior gave when sending a decision back.
    pub note: Option<Written>,
}

/// Everything the detail pane shows about one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseDetail {
    pub case_id: i64,
    pub household: Household,
    /// Signals of the current month first, newest first, then earlier ones.
    pub signals: Vec<Signal>,
    pub flags: SignalFlags,
    pub opened_on: NaiveDate,
    pub deadline_on: NaiveDate,
    pub status: CaseStatus,
    /// `None` while halted, unscored, or hidden in judge-first mode until the viewer's
    /// initial judgment.
    pub explanation: Option<Explanation>,
    pub ranking: Option<Ranking>,
    /// Set when the viewer works judge-first (and this case is theirs to judge).
    pub judge_first: Option<JudgeFirstView>,
    pub notes: Vec<NoteView>,
    pub history: Vec<DecisionView>,
    /// The latest step of what the outreach found, and its day.
    pub outcome: Option<(super::outcome::OutcomeStep, NaiveDate)>,
}
