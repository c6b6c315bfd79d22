//! The four-eyes rule: which decisions need a second signature before they stand.

use serde::Deserialize;

use super::decision::Decision;
use super::household::CreditorType;

/// One condition set; a decision needs a second signature when any rule matches it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FourEyesRule {
    /// Stable name, recorded on the decision event that it caught.
    pub name: String,
    /// The decisions it covers; empty means all.
    #[serde(default)]
    pub decisions: Vec<Decision>,
    /// Only cases whose rank is within the top this-many percent of the ranking.
    pub top_percent: Option<f64>,
    /// Only cases with a threatening signal (eviction, cut-off) from these creditor kinds.
    #[serde(default)]
    pub threat_signals: Vec<CreditorType>,
}

/// The rules of one database.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FourEyesRules {
    #[serde(default)]
    pub rule: Vec<FourEyesRule>,
}

/// What the rules need to know about a case at the moment of a decision.
#[derive(Debug, Clone, Default)]
pub struct CaseFacts {
    /// Rank in the latest ranking and the number of cases ranked, when scored.
    pub rank: Option<(i64, i64)>,
    /// Creditor kinds of this case's signals that carry a threat.
    pub threats: Vec<CreditorType>,
}

impl FourEyesRules {
    /// The rules shipped in `assets/four_eyes.toml`.
    pub fn shipped_text() -> &'static str {
        include_str!("../../assets/four_eyes.toml")
    }

    pub fn parse(text: &str) -> Result<FourEyesRules, String> {
        let rules: FourEyesRules = toml::from_str(text).map_err(|e| e.to_string())?;
        for r in &rules.rule {
            if let Some(p) = r.top_percent
                && !(p > 0.0 && p <= 100.0)
            {
                return Err(format!(
                    "rule `{}`: top_percent must be above 0 and at most 100",
                    r.name
                ));
            }
        }
        Ok(rules)
    }

    /// The name of the first rule that makes `decision` on this case need a second signature.
    pub fn requires(&self, decision: Decision, case: &CaseFacts) -> Option<&str> {
        self.rule
            .iter()
            .find(|r| r.matches(decision, case))
            .map(|r| r.name.as_str())
    }
}

impl FourEyesRule {
    fn matches(&self, decision: Decision, case: &CaseFacts) -> bool {
        if !self.decisions.is_empty() && !self.decisions.contains(&decision) {
            return false;
        }
        if let Some(percent) = self.top_percent {
            // Rank r of n is in the top p% when r <= ceil(n * p / 100): with 300 cases and
            // 5%, ranks 1..=15.
            let Some((rank, ranked)) = case.rank else {
                return false;
            };
            let cutoff = (ranked as f64 * percent / 100.0).ceil() as i64;
            if rank > cutoff {
                return false;
            }
        }
        if !self.threat_signals.is_empty()
            && !case.threats.iter().any(|t| self.threat_signals.contains(t))
        {
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> FourEyesRules {
        FourEyesRules::parse(FourEyesRules::shipped_text()).unwrap()
    }

    #[test]
    fn rejecting_a_top_five_percent_case_needs_a_second_signature() {
        let rules = shipped();
        let top = CaseFacts {
            rank: Some((15, 300)),
            threats: vec![],
        };
        let below = CaseFacts {
            rank: Some((16, 300)),
            threats: vec![],
        };
        assert_eq!(
            rules.requires(Decision::Reject, &top),
            Some("reject_top_ranked")
        );
        assert_eq!(rules.requires(Decision::Accept, &top), None);
        assert_eq!(rules.requires(Decision::Reject, &below), None);
        assert_eq!(
            rules.requires(Decision::Reject, &CaseFacts::default()),
            None
        );
    }

    #[test]
    fn any_decision_on_an_eviction_or_cut_off_needs_one() {
        let rules = shipped();
        let eviction = CaseFacts {
            rank: Some((200, 300)),
            threats: vec![CreditorType::Rent],
        };
        for d in Decision::ALL {
            assert_eq!(rules.requires(*d, &eviction), Some("eviction_or_cut_off"));
        }
        // A health insurer's cancellation threat is not an eviction or cut-off.
        let insurer = CaseFacts {
            rank: Some((200, 300)),
            threats: vec![CreditorType::HealthInsurance],
        };
        assert_eq!(rules.requires(Decision::Accept, &insurer), None);
    }

    #[test]
    fn bad_rules_are_refused() {
        assert!(FourEyesRules::parse("[[rule]]\nname = \"x\"\ntop_percent = 0.0\n").is_err());
        assert!(FourEyesRules::parse("[[rule]]\nname = \"x\"\nfoo = 1\n").is_err());
        assert!(
            FourEyesRules::parse("[[rule]]\nname = \"x\"\ndecisions = [\"sanction\"]\n").is_err()
        );
    }
}
