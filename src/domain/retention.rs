//! Retention rules: how long the log must be kept, what a purge may erase, and how an erased
//! event's payload is replaced.
//!
//! The AI Act obliges the deployer of a high-risk system to keep its logs at least six months
//! (art. 19(1) and 26(6)); the GDPR obliges it to keep personal data no longer than needed
//! (art. 5(1)(e)). oordeel reconciles them so: the pseudonymous record of what was decided and
//! why stays, the identifying data of households whose cases are long closed goes, and no log
//! entry younger than [`MIN_RETENTION_DAYS`] is ever touched.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// Log entries are kept at least this many days: six months, rounded up (AI Act art. 19, 26(6)).
pub const MIN_RETENTION_DAYS: u64 = 183;

/// Event kinds whose payload holds free text about a household: a reviewer's note ("called
/// mrs X") and a senior's reason for sending a decision back. Everything else in the log is
/// pseudonymous (codes, numbers, the household's pseudonym) and is kept.
pub const ERASABLE_KINDS: [&str; 2] = ["note", "sent_back"];

/// The payload field holding that free text.
pub const TEXT_FIELD: &str = "text";

/// The field an erased payload gains: the sequence number of the purge that erased it.
pub const ERASED_BY: &str = "erased_by";

/// The latest `--before` date a purge may use on `today`: logs younger than that stay.
pub fn latest_before(today: NaiveDate) -> NaiveDate {
    today - Days::new(MIN_RETENTION_DAYS)
}

/// The payload that replaces an erased event's payload: the same object with its free text
/// set to `null` and `erased_by` naming the purge.
///
/// Why not one fixed marker for every erased event: the other fields carry no personal data
/// and some are needed later. A send-back's `retracts` is how `verify` replays the case's
/// status, and a note's `household` links it to the pseudonym for an access request. They stay
/// tamper-evident because the purge event records the digest of this replacement.
pub fn redact(payload: &str, purge_seq: i64) -> serde_json::Result<String> {
    let mut value: serde_json::Value = serde_json::from_str(payload)?;
    if let Some(map) = value.as_object_mut() {
        map.insert(TEXT_FIELD.to_owned(), serde_json::Value::Null);
        map.insert(ERASED_BY.to_owned(), purge_seq.into());
    } else {
        // Every erasable event has an object payload; anything else is replaced whole.
        value = serde_json::json!({ ERASED_BY: purge_seq });
    }
    Ok(super::event::canonical_payload(&value))
}

/// One erased event as a purge event lists it: its seq and the SHA-256 of the payload that
/// replaced the original (hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erased {
    pub seq: i64,
    pub digest: String,
}

/// What a purge removes (or, in a dry run, would remove).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeCounts {
    /// Households whose cases all closed before the date and that still held something.
    pub households: usize,
    /// Rows of name, BSN, address and birth date.
    pub personal_data: usize,
    /// Rows of gender, age band and migration background (the fairness audit's).
    pub protected_attributes: usize,
    /// Rows of the demo's hidden truth (demo caseloads only).
    pub demo_truth: usize,
    /// Log entries (notes, send-back reasons) whose text is erased.
    pub log_entries: usize,
    /// Keys of the households in the municipality's systems (a client number or a BSN).
    #[serde(default)]
    pub household_keys: usize,
    /// Signals of files read before the date that waited for an admin: how their creditor
    /// named the person (the signal itself stays, pseudonymous).
    #[serde(default)]
    pub waiting_identities: usize,
}

/// The payload of a `purge` event: the date, the counts, and which events were erased (and
/// which could not be, being v1). No pseudonyms or other data about the households.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeRecord {
    pub before: NaiveDate,
    #[serde(flatten)]
    pub counts: PurgeCounts,
    #[serde(default)]
    pub erased: Vec<Erased>,
    /// v1 events holding text that cannot be erased without breaking the chain.
    #[serde(default)]
    pub not_erasable: Vec<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_months_back() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(
            latest_before(today),
            NaiveDate::from_ymd_opt(2026, 5, 30).unwrap()
        );
    }

    #[test]
    fn redaction_keeps_the_structure_and_drops_the_text() {
        let sent_back = r#"{"decided_by":"anna","decision":"accept","household":"H-00001","retracts":12,"text":"spoke to mrs Jansen"}"#;
        assert_eq!(
            redact(sent_back, 40).unwrap(),
            r#"{"decided_by":"anna","decision":"accept","erased_by":40,"household":"H-00001","retracts":12,"text":null}"#
        );
        assert_eq!(redact("[1]", 3).unwrap(), r#"{"erased_by":3}"#);
    }

    #[test]
    fn the_purge_payload_is_flat() {
        let record = PurgeRecord {
            before: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            counts: PurgeCounts {
                households: 2,
                log_entries: 1,
                ..PurgeCounts::default()
            },
            erased: vec![Erased {
                seq: 9,
                digest: "ab".into(),
            }],
            not_erasable: vec![],
        };
        let value = serde_json::to_value(&record).unwrap();
        assert_eq!(value["households"], 2);
        assert_eq!(value["erased"][0]["seq"], 9);
        let back: PurgeRecord = serde_json::from_value(value).unwrap();
        assert_eq!(back, record);
    }
}
