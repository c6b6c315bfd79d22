//! Judge-first (blind) mode: the reviewer records their own view of a case before the model's
//! is shown, so agreement with the model before and after seeing it can be measured (AI Act
//! art. 14(4)(b), automation bias). Plain types; the store enforces the order.

use serde::{Deserialize, Serialize};

use super::decision::Decision;
use super::household::coded_enum;

coded_enum!(
    /// A reviewer's own view of a case, recorded before the model's score and explanation
    /// are shown.
    InitialJudgment {
        /// The household needs an offer of help.
        NeedsHelp => "needs_help",
        NoNeed => "no_need",
        Unsure => "unsure",
    }
);

impl InitialJudgment {
    /// Whether a final decision keeps this first view: `None` when either side takes no
    /// position (unsure, or a deferral).
    pub fn kept_by(self, decision: Decision) -> Option<bool> {
        match (self, decision) {
            (InitialJudgment::Unsure, _) | (_, Decision::Defer) => None,
            (InitialJudgment::NeedsHelp, d) => Some(d == Decision::Accept),
            (InitialJudgment::NoNeed, d) => Some(d == Decision::Reject),
        }
    }

    /// Whether this view agrees with the model's recommendation (recommended = ranked within
    /// what the teams can take up); `None` for unsure.
    pub fn agrees_with(self, recommended: bool) -> Option<bool> {
        match self {
            InitialJudgment::Unsure => None,
            InitialJudgment::NeedsHelp => Some(recommended),
            InitialJudgment::NoNeed => Some(!recommended),
        }
    }
}

/// Why judge-first mode applies to a reviewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JudgeFirstScope {
    /// Their team works judge-first (a supervisor's setting): they cannot turn it off.
    Team,
    /// They turned it on for themselves.
    Own,
}

/// Judge-first as it stands for the viewer of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JudgeFirstView {
    /// Their initial judgment of this case; until there is one, the model's view is hidden.
    pub initial: Option<InitialJudgment>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_view_is_kept_or_changed_only_when_both_take_a_position() {
        use Decision::*;
        use InitialJudgment::*;
        assert_eq!(NeedsHelp.kept_by(Accept), Some(true));
        assert_eq!(NeedsHelp.kept_by(Reject), Some(false));
        assert_eq!(NoNeed.kept_by(Reject), Some(true));
        assert_eq!(NoNeed.kept_by(Accept), Some(false));
        assert_eq!(NoNeed.kept_by(Defer), None);
        assert_eq!(Unsure.kept_by(Accept), None);
        assert_eq!(NeedsHelp.agrees_with(true), Some(true));
        assert_eq!(NoNeed.agrees_with(true), Some(false));
        assert_eq!(Unsure.agrees_with(false), None);
    }
}
