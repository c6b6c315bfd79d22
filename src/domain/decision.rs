//! What a reviewer can decide about a case, and the reasons for a rejection.

use serde::{Deserialize, Serialize};

use super::household::coded_enum;

coded_enum!(
    /// A reviewer's decision on a case. The model never takes one.
    Decision {
        Accept => "accept",
        Reject => "reject",
        Defer => "defer",
    }
);

coded_enum!(
    /// Where a case stands, derived from its events and kept in step with them.
    CaseStatus {
        Open => "open",
        Accepted => "accepted",
        Rejected => "rejected",
        Deferred => "deferred",
        /// Decided, waiting for a second signature under the four-eyes rule.
        ToSign => "to_sign",
        /// A historical case whose outcome is known: training data, not in the queue.
        Closed => "closed",
    }
);

impl Decision {
    /// The status a case takes after this decision.
    pub fn status(self) -> CaseStatus {
        match self {
            Decision::Accept => CaseStatus::Accepted,
            Decision::Reject => CaseStatus::Rejected,
            Decision::Defer => CaseStatus::Deferred,
        }
    }
}

/// A reason code for rejecting a case, from `assets/reasons.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// Stable code stored in the event log, e.g. `already_in_care`.
    pub code: String,
    /// The key that picks it in the console's reason list.
    pub key: char,
    pub nl: String,
    pub en: String,
    /// A rejection for this reason says why in a note, or is refused ("other").
    #[serde(default)]
    pub needs_note: bool,
}

#[derive(Debug, Deserialize)]
struct ReasonFile {
    reason: Vec<Reason>,
}

/// Whether a rejection for the shipped reason `code` must come with a note.
pub fn reason_needs_note(code: &str) -> bool {
    static NEEDS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    NEEDS
        .get_or_init(|| {
            default_reasons()
                .into_iter()
                .filter(|r| r.needs_note)
                .map(|r| r.code)
                .collect()
        })
        .iter()
        .any(|c| c == code)
}

/// The rejection reasons shipped with oordeel.
pub fn default_reasons() -> Vec<Reason> {
    parse_reasons(include_str!("../../assets/reasons.toml")).expect("assets/reasons.toml is valid")
}

/// Parses a reason list, refusing duplicate codes or keys so a keypress is never ambiguous.
pub fn parse_reasons(text: &str) -> Result<Vec<Reason>, String> {
    let file: ReasonFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut seen_codes = std::collections::HashSet::new();
    let mut seen_keys = std::collections::HashSet::new();
    for r in &file.reason {
        if !seen_codes.insert(r.code.clone()) {
            return Err(format!("reason code `{}` appears twice", r.code));
        }
        if !seen_keys.insert(r.key) {
            return Err(format!("reason key `{}` appears twice", r.key));
        }
    }
    Ok(file.reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_reasons_are_unique_and_bilingual() {
        let reasons = default_reasons();
        assert!(reasons.len() >= 5);
        assert!(reasons.iter().all(|r| !r.nl.is_empty() && !r.en.is_empty()));
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let text = r#"
[[reason]]
code = "a"
key = "1"
nl = "a"
en = "a"
[[reason]]
code = "b"
key = "1"
nl = "b"
en = "b"
"#;
        assert!(parse_reasons(text).unwrap_err().contains("key `1`"));
    }
}
