//! A household's whole story, as the console's history view (`h`) shows it: every case the
//! reader may see, with its decisions, notes, outcome and score, and every signal over time,
//! per creditor.

use chrono::NaiveDate;

use super::decision::CaseStatus;
use super::household::CreditorType;
use super::view::{DecisionView, NoteView};

#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdStory {
    pub household: String,
    /// Newest first.
    pub cases: Vec<StoryCase>,
    /// One per creditor, the largest arrears first.
    pub creditors: Vec<CreditorTrail>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoryCase {
    pub case_id: i64,
    pub opened_on: NaiveDate,
    pub team: String,
    pub status: CaseStatus,
    /// Its rank and chance in the latest scoring run, while it is under review.
    pub rank: Option<i64>,
    pub probability: Option<f64>,
    /// Decisions, retractions, signatures and send-backs, oldest first.
    pub decisions: Vec<DecisionView>,
    pub notes: Vec<NoteView>,
    /// What the outreach found (`contact`, then `debts` when known), as codes.
    pub outcome: Vec<String>,
    /// The label a closed case from the municipality's history carries: help accepted or not.
    pub label: Option<bool>,
}

/// One creditor's signals, a month at a time.
#[derive(Debug, Clone, PartialEq)]
pub struct CreditorTrail {
    pub creditor: String,
    pub creditor_type: CreditorType,
    /// (first day of the month, arrears in cents, months in arrears), oldest first; the
    /// largest signal of a month when it sent more than one.
    pub months: Vec<(NaiveDate, i64, i64)>,
}

/// The arrears of a trail as a line of block characters, one per month from `from` to
/// `to` (a month without a signal is a space): how the debt grew or went away at a glance.
pub fn sparkline(trail: &CreditorTrail, from: NaiveDate, to: NaiveDate, ascii: bool) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    const ASCII: [char; 8] = ['.', '.', ':', ':', '+', '+', '#', '#'];
    let top = trail.months.iter().map(|m| m.1).max().unwrap_or(0).max(1);
    let mut out = String::new();
    let mut month = from;
    while month <= to {
        let cell = trail.months.iter().find(|m| m.0 == month).map(|m| {
            let step = ((m.1 as f64 / top as f64) * 7.0).round() as usize;
            if ascii {
                ASCII[step.min(7)]
            } else {
                BLOCKS[step.min(7)]
            }
        });
        out.push(cell.unwrap_or(' '));
        month = month + chrono::Months::new(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sparkline_has_a_cell_per_month_and_a_gap_for_a_month_without_a_signal() {
        let d = |m| NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
        let trail = CreditorTrail {
            creditor: "Het Anker Wonen".into(),
            creditor_type: CreditorType::Rent,
            months: vec![(d(1), 10_000, 1), (d(2), 40_000, 2), (d(4), 80_000, 4)],
        };
        assert_eq!(sparkline(&trail, d(1), d(5), false), "▂▅ █ ");
        assert_eq!(sparkline(&trail, d(1), d(5), true), ".+ # ");
    }
}
