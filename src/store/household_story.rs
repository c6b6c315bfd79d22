//! A household's whole story for the console's history view: read only, and logged as an
//! access (`history_viewed`) in the transaction that reads it.

use rusqlite::params;
use serde_json::json;

use super::cached::CachedSql;
use super::claims::visible_case;
use super::events::{append, timestamp};
use super::queue::{code, month_start, parse_date};
use super::{Result, ReviewSession};
use crate::domain::decision::CaseStatus;
use crate::domain::event::EventKind;
use crate::domain::household::CreditorType;
use crate::domain::household_story::{CreditorTrail, HouseholdStory, StoryCase};

impl ReviewSession {
    /// The story of the household of `case_id`: the cases of it this reviewer may see (their
    /// team's, or all for those who see every team), newest first, and its signals per
    /// creditor. The reading is logged before it is returned.
    pub fn household_story(&mut self, case_id: i64) -> Result<HouseholdStory> {
        let actor = self.actor.clone();
        visible_case(&self.store.conn, &actor, case_id)?;
        let (household_id, pseudonym): (i64, String) = self.store.conn.cached_row(
            "SELECT h.id, h.pseudonym FROM cases c JOIN households h ON h.id = c.household_id
             WHERE c.id = ?1",
            [case_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let store = &self.store;
        let mut cases = Vec::new();
        {
            let mut stmt = store.conn.prepare_cached(
                "SELECT c.id, c.opened_on, c.team, c.status, c.queue_rank, c.probability,
                        c.outcome, o.contact, o.debts
                 FROM cases c LEFT JOIN outcomes o ON o.case_id = c.id
                 WHERE c.household_id = ?1 AND (?2 IS NULL OR c.team = ?2)
                 ORDER BY c.opened_on DESC, c.id DESC",
            )?;
            let mut q = stmt.query(params![household_id, actor.team_scope()])?;
            while let Some(r) = q.next()? {
                let id: i64 = r.get(0)?;
                let rank: i64 = r.get(4)?;
                let status = code(
                    &r.get::<_, String>(3)?,
                    CaseStatus::from_code,
                    "case status",
                )?;
                let outcome = [r.get::<_, Option<String>>(7)?, r.get(8)?]
                    .into_iter()
                    .flatten()
                    .collect();
                cases.push(StoryCase {
                    case_id: id,
                    opened_on: parse_date(&r.get::<_, String>(1)?)?,
                    team: r.get(2)?,
                    status,
                    rank: (rank != i64::MAX).then_some(rank),
                    probability: r.get(5)?,
                    decisions: Vec::new(),
                    notes: Vec::new(),
                    outcome,
                    label: (status == CaseStatus::Closed)
                        .then(|| r.get::<_, Option<i64>>(6))
                        .transpose()?
                        .flatten()
                        .map(|l| l == 1),
                });
            }
        }
        for case in &mut cases {
            case.decisions = store.history_of(case.case_id)?;
            case.notes = store.notes_of(case.case_id)?;
        }
        let creditors = trails(store, household_id)?;
        let at = timestamp(store.now());
        let tx = self.store.acting_tx(&actor)?;
        let payload = json!({ "household": pseudonym, "cases": cases.len() });
        append(
            &tx,
            &at,
            &actor,
            EventKind::HistoryViewed,
            Some(case_id),
            &payload,
        )?;
        tx.commit()?;
        Ok(HouseholdStory {
            household: pseudonym,
            cases,
            creditors,
        })
    }
}

/// The household's signals per creditor, a month at a time (the largest of a month).
fn trails(store: &super::Store, household_id: i64) -> Result<Vec<CreditorTrail>> {
    let mut stmt = store.conn.prepare_cached(
        "SELECT creditor, creditor_type, received_on, amount_cents, months_in_arrears
         FROM signals WHERE household_id = ?1 ORDER BY creditor, received_on, amount_cents DESC",
    )?;
    let mut q = stmt.query([household_id])?;
    let mut out: Vec<CreditorTrail> = Vec::new();
    while let Some(r) = q.next()? {
        let creditor: String = r.get(0)?;
        let kind = code(
            &r.get::<_, String>(1)?,
            CreditorType::from_code,
            "creditor type",
        )?;
        let month = month_start(parse_date(&r.get::<_, String>(2)?)?);
        let (amount, months): (i64, i64) = (r.get(3)?, r.get(4)?);
        if out.last().is_none_or(|t| t.creditor != creditor) {
            out.push(CreditorTrail {
                creditor,
                creditor_type: kind,
                months: Vec::new(),
            });
        }
        let trail = out.last_mut().expect("pushed above");
        match trail.months.last_mut() {
            Some(last) if last.0 == month => {
                if amount > last.1 {
                    *last = (month, amount, months);
                }
            }
            _ => trail.months.push((month, amount, months)),
        }
    }
    out.sort_by_key(|t| std::cmp::Reverse(t.months.iter().map(|m| m.1).max().unwrap_or(0)));
    Ok(out)
}
