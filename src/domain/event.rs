//! Events of the append-only log and the canonical encodings their hash chain covers.
//!
//! The encodings are deliberately simple and unambiguous (every field length-prefixed), so an
//! auditor can re-implement `verify` from this comment alone. Two versions exist; an event's
//! `payload_digest` column tells them apart (NULL for v1).
//!
//! **v1** (events written before retention existed) hashes the payload itself:
//!
//! ```text
//! hash = SHA-256( "oordeel-event-v1" 0x00
//!                 len(prev_hash) ":" prev_hash 0x00
//!                 len(seq) ":" seq 0x00   ... likewise at, actor, role, kind, case_id, payload )
//! ```
//!
//! **v2** (every event written since) hashes the payload's digest in the payload's place:
//!
//! ```text
//! payload_digest = hex(SHA-256(payload))
//! hash = SHA-256( "oordeel-event-v2" 0x00
//!                 len(prev_hash) ":" prev_hash 0x00
//!                 len(seq) ":" seq 0x00   ... likewise at, actor, role, kind, case_id,
//!                 payload_digest )
//! ```
//!
//! In both, numbers are decimal text, `case_id` is empty when absent, `len` counts bytes of
//! the UTF-8 text, digests and hashes are 64 lowercase hex digits, and the first event's
//! `prev_hash` is 64 zeros. `payload` is the stored canonical JSON text ([`canonical_payload`]).
//!
//! Why v2: the chain must survive erasing personal data. A v2 event's hash still pins its
//! payload (through the digest), but the payload can be replaced later without touching the
//! hash. The replacement is lawful only when a later, chained `purge` event lists it: that
//! event's payload holds `"erased": [{"seq": N, "digest": D}, ...]`, where `D` is the SHA-256
//! of the replacement payload ([`crate::domain::retention::redact`]). So a verifier accepts a
//! v2 event whose payload does not match its `payload_digest` exactly when a later `purge`
//! event names its seq with the digest of the payload now stored; anything else is tampering.
//! A v1 event cannot be erased this way: its hash covers the text itself.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::household::coded_enum;

/// `prev_hash` of the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

coded_enum!(
    /// What an event records.
    EventKind {
        SessionStart => "session_start",
        SessionEnd => "session_end",
        Decision => "decision",
        Note => "note",
        Retract => "retract",
        DemoCreated => "demo_created",
        ModelTrained => "model_trained",
        /// An admin other than the trainer approved a model version for scoring (payload:
        /// model_version, trainer, training_data_hash, spec_hash, features; `demo_shortcut`
        /// when the demo set-up approved its own first version).
        ModelApproved => "model_approved",
        /// A supervisor stopped the model: no scoring, queue in arrival order.
        Halted => "halted",
        /// A second supervisor or admin lifted the halt.
        Resumed => "resumed",
        Scored => "scored",
        /// A case opened on a reviewer's screen (with the claim it took, if any).
        View => "view",
        /// Name, BSN, address and birth date shown.
        Reveal => "reveal",
        /// The full view of a case (every contribution of the explanation, signals, notes)
        /// opened in the console: the oversight report counts decisions taken without it.
        ExplanationViewed => "explanation_viewed",
        /// In judge-first mode, a reviewer's own view of a case before the model's is shown
        /// (payload: judgment, household, and the model's rank and score it had not seen).
        InitialJudgment => "initial_judgment",
        /// Judge-first mode turned on or off, for a team (a supervisor) or for oneself.
        JudgeFirstSet => "judge_first_set",
        /// The console asked "are you sure?" about a decision taken within seconds of
        /// opening the case (payload: decision, seconds, the threshold).
        QuickDecisionPrompt => "quick_decision_prompt",
        /// Everything recorded about a household was gathered for it (an access request;
        /// payload: household, format, cases). Personal data was read.
        CitizenReport => "citizen_report",
        /// A month's signal file attached (payload: file, sha256, signals, households, cases
        /// opened and updated).
        SignalsImported => "signals_imported",
        /// A supervisor freed someone else's claim.
        ClaimReleased => "claim_released",
        /// A senior confirmed a decision that needed a second signature.
        Signed => "signed",
        /// A senior sent such a decision back; the case reopens.
        SentBack => "sent_back",
        /// A case moved to another team.
        Reassigned => "reassigned",
        UserAdded => "user_added",
        UserDisabled => "user_disabled",
        RoleChanged => "role_changed",
        /// An admin bound an SSH key to a user (payload: name, key type, SHA256 fingerprint,
        /// whether it was written to authorized_keys or only printed).
        SshKeyAuthorized => "ssh_key_authorized",
        /// An admin documented a model feature (payload: every field; the actor approves).
        FeatureDocumented => "feature_documented",
        /// An admin added a term to the database's forbidden-feature rules.
        FeatureTermForbidden => "feature_term_forbidden",
        /// An admin imported a caseload through a profile (payload: import id, file name and
        /// SHA-256 of its bytes, profile name and SHA-256, encoding, delimiter, rows read,
        /// records written).
        Import => "import",
        /// The settings table's rows as they stood when the database was made, or when this
        /// version first opened an older one (payload: `settings`, an object of key to value;
        /// `reason`: `created` or `upgraded`). The halt and judge-first have events of their
        /// own and are left out.
        SettingsRecorded => "settings_recorded",
        /// An admin (or the demo set-up) changed one setting (payload: key, value, or null
        /// when the setting was removed, and `was`).
        SettingChanged => "setting_changed",
        /// An admin imported a household extract (`households import`; payload: file and
        /// profile with their SHA-256, rows, households added, updated, unchanged and absent,
        /// and per updated household the names of the fields that changed, no values).
        HouseholdsImported => "households_imported",
        /// An admin imported past cases with their outcome (`history import`; payload: file,
        /// SHA-256, profile, cases written with and without help accepted, cases known).
        HistoryImported => "history_imported",
        /// An admin looked at the signals no household matched (payload: their ids): they
        /// name people, so the showing is logged like a reveal.
        UnmatchedSignalsShown => "unmatched_signals_shown",
        /// An admin matched a waiting signal to a household (payload: signal id, household,
        /// file and line, why it waited).
        SignalMatched => "signal_matched",
        /// An admin made a household for a waiting signal (payload: signal id, the new
        /// household, file and line).
        HouseholdCreated => "household_created",
        /// An admin erased the personal data of households whose cases closed before a date
        /// (`oordeel purge`; payload: before, counts, the erased events with the digest of
        /// what replaced them; no personal data).
        Purge => "purge",
        /// A step of what the outreach found for a decided case (payload: household, step,
        /// stage, on (the day it happened), selection; `source`: `console` or `import`, and
        /// for an import the `outcomes_imported` event's file). Undone by a `retract`.
        Outcome => "outcome",
        /// An admin imported the debt-help system's export of outcomes (payload: file,
        /// SHA-256, profile, rows, steps recorded, steps already known).
        OutcomesImported => "outcomes_imported",
        /// An admin made known the public key that signs this log's checkpoints (payload:
        /// `verifier_key`, in the signed-note form `name+id+base64`).
        CheckpointKey => "checkpoint_key",
        /// An admin acknowledged, after a restore, that the events of some signed
        /// checkpoints are lost (payload: the checkpoint the log still agrees with, the lost
        /// ones, the reason). It counts once a later checkpoint covers it.
        LogRestored => "log_restored",
        /// A search in the console matched people's names or addresses (payload: the fields
        /// it matched, the households it listed; not the words typed, which may name
        /// someone and would stay in the log for good).
        PersonalDataSearched => "personal_data_searched",
        /// A household's whole story opened in the console (payload: household, how many
        /// cases it showed): read-only, but an access like a view.
        HistoryViewed => "history_viewed",
    }
);

/// The fields of an event that its hash covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub seq: i64,
    /// RFC 3339 UTC with microseconds, as stored.
    pub at: String,
    pub actor: String,
    pub role: String,
    pub kind: String,
    pub case_id: Option<i64>,
    /// Canonical JSON (serde_json with sorted keys) of the event's details.
    pub payload: String,
}

impl EventRecord {
    /// The v1 chain hash of this event given the previous event's hash.
    pub fn chain_hash(&self, prev_hash: &str) -> String {
        self.encode(b"oordeel-event-v1\0", prev_hash, &self.payload)
    }

    /// The v2 chain hash: the same fields, with `payload_digest` in the payload's place.
    pub fn chain_hash_v2(&self, prev_hash: &str, payload_digest: &str) -> String {
        self.encode(b"oordeel-event-v2\0", prev_hash, payload_digest)
    }

    fn encode(&self, tag: &[u8], prev_hash: &str, last: &str) -> String {
        let mut h = Sha256::new();
        h.update(tag);
        let case = self.case_id.map(|c| c.to_string()).unwrap_or_default();
        let seq = self.seq.to_string();
        for field in [
            prev_hash,
            seq.as_str(),
            self.at.as_str(),
            self.actor.as_str(),
            self.role.as_str(),
            self.kind.as_str(),
            case.as_str(),
            last,
        ] {
            h.update(field.len().to_string().as_bytes());
            h.update(b":");
            h.update(field.as_bytes());
            h.update(b"\0");
        }
        hex::encode(h.finalize())
    }
}

/// The SHA-256 of a stored payload, as 64 lowercase hex digits: what a v2 hash covers.
pub fn payload_digest(payload: &str) -> String {
    hex::encode(Sha256::digest(payload.as_bytes()))
}

/// Serialises a payload canonically: object keys sorted at every level, no whitespace, so the
/// same details always hash the same. Sorting is done here rather than relied on from
/// serde_json's map type, which a dependency's `preserve_order` feature could change.
pub fn canonical_payload(value: &serde_json::Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                write_canonical(&map[k.as_str()], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> EventRecord {
        EventRecord {
            seq: 1,
            at: "2026-11-28T10:00:00.000000Z".into(),
            actor: "anna".into(),
            role: "reviewer".into(),
            kind: "decision".into(),
            case_id: Some(7),
            payload: r#"{"decision":"accept"}"#.into(),
        }
    }

    #[test]
    fn every_field_changes_the_hash() {
        let base = record().chain_hash(GENESIS_HASH);
        assert_eq!(base.len(), 64);
        let mut r = record();
        r.case_id = None;
        assert_ne!(r.chain_hash(GENESIS_HASH), base);
        let mut r = record();
        r.actor = "anne".into();
        assert_ne!(r.chain_hash(GENESIS_HASH), base);
        assert_ne!(record().chain_hash(&base), base);
    }

    #[test]
    fn length_prefixes_keep_field_boundaries() {
        // Moving a character from one field to the next must not collide.
        let mut a = record();
        a.actor = "ann".into();
        a.role = "areviewer".into();
        assert_ne!(
            a.chain_hash(GENESIS_HASH),
            record().chain_hash(GENESIS_HASH)
        );
    }

    #[test]
    fn v2_covers_the_digest_not_the_payload() {
        let r = record();
        let digest = payload_digest(&r.payload);
        // The known digest of `{"decision":"accept"}`, so the encoding is pinned down.
        assert_eq!(
            digest,
            "4d9bd2891154b653331bb99c425f67a8429ad29dfd6386d3bfb33f031afb98aa"
        );
        let v2 = r.chain_hash_v2(GENESIS_HASH, &digest);
        assert_ne!(v2, r.chain_hash(GENESIS_HASH), "v1 and v2 never collide");
        let mut erased = record();
        erased.payload = "{}".into();
        assert_eq!(erased.chain_hash_v2(GENESIS_HASH, &digest), v2);
        assert_ne!(r.chain_hash_v2(GENESIS_HASH, &payload_digest("{}")), v2);
    }

    #[test]
    fn payload_keys_are_sorted() {
        let v = serde_json::json!({"b": 1, "a": {"d": [true, null], "c": "x"}});
        assert_eq!(
            canonical_payload(&v),
            r#"{"a":{"c":"x","d":[true,null]},"b":1}"#
        );
    }
}
