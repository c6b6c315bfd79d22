//! Judge-first mode in the fake, as the store does it: arrival order without scores, the
//! model's view of a case hidden until this reviewer's initial judgment, and a decision
//! without one refused.

use crate::store::Refusal;
use chrono::Datelike;

use super::{FakeBackend, Write};
use crate::console::backend::ReviewBackend;
use crate::domain::decision::{CaseStatus, Decision};
use crate::domain::judge_first::{InitialJudgment, JudgeFirstScope, JudgeFirstView};
use crate::domain::view::{CaseDetail, QueueRow};
use crate::store::StoreError;

impl FakeBackend {
    pub(super) fn judge_first_scope(&self) -> Option<JudgeFirstScope> {
        let s = self.state.borrow();
        if !self.role.decides() {
            None
        } else if s.team_judge_first {
            Some(JudgeFirstScope::Team)
        } else if s.judge_first {
            Some(JudgeFirstScope::Own)
        } else {
            None
        }
    }

    /// The rows in the order this reviewer reads them: nearest deadline first when asked or
    /// while the model is halted; in judge-first mode by arrival day, then case number; and
    /// without rank or score in either of the last two.
    pub(super) fn rows_as_seen(&self, by_deadline: bool) -> Vec<QueueRow> {
        let s = self.state.borrow();
        let halted = s.halt.is_some();
        let by_deadline = by_deadline || halted;
        let blind = self.judge_first_scope().is_some() || halted;
        if !blind && !by_deadline {
            return s.rows.clone();
        }
        let mut rows: Vec<QueueRow> = s
            .rows
            .iter()
            .map(|r| {
                let day = if by_deadline {
                    r.deadline_on
                } else {
                    s.details
                        .iter()
                        .find(|d| d.case_id == r.case_id)
                        .map(|d| d.opened_on)
                        .unwrap_or_default()
                };
                QueueRow {
                    rank: if blind { None } else { r.rank },
                    probability: if blind { None } else { r.probability },
                    position: i64::from(day.num_days_from_ce()),
                    ..r.clone()
                }
            })
            .collect();
        rows.sort_by_key(|r| (r.position, r.case_id));
        rows
    }

    /// A case as this reviewer may see it: in judge-first mode, without the model's view
    /// until they judged it.
    pub(super) fn detail_as_seen(&self, mut d: CaseDetail) -> CaseDetail {
        if self.state.borrow().halt.is_some() {
            d.explanation = None;
            d.ranking = None;
        }
        if self.judge_first_scope().is_some() {
            let initial = self.state.borrow().judgments.get(&d.case_id).copied();
            d.judge_first = Some(JudgeFirstView { initial });
            if initial.is_none() {
                d.explanation = None;
                d.ranking = None;
            }
        }
        d
    }

    /// The store's refusal of a decision not judged first.
    pub(super) fn refuse_unjudged(&self, case_id: i64) -> Result<(), StoreError> {
        let judged = self.state.borrow().judgments.contains_key(&case_id);
        if self.judge_first_scope().is_some() && !judged {
            return Err(StoreError::Refused(Refusal::JudgeFirst(
                self.case_ref(case_id),
            )));
        }
        Ok(())
    }

    pub(super) fn record_judgment(
        &mut self,
        case_id: i64,
        judgment: InitialJudgment,
    ) -> Result<i64, StoreError> {
        self.write_guard()?;
        if self.judge_first_scope().is_none() {
            return Err(StoreError::Refused(Refusal::NotJudgeFirst));
        }
        let status = self.detail(case_id)?.status;
        if !matches!(status, CaseStatus::Open | CaseStatus::Deferred) {
            return Err(self.already_decided(case_id, status));
        }
        self.refuse_if_held(case_id)?;
        let case = self.case_ref(case_id);
        let mut s = self.state.borrow_mut();
        if let Some(earlier) = s.judgments.get(&case_id) {
            return Err(StoreError::Refused(Refusal::AlreadyJudged {
                case,
                judgment: earlier.as_code().into(),
            }));
        }
        s.judgments.insert(case_id, judgment);
        s.writes.push(Write::Judgment { case_id, judgment });
        Ok(s.writes.len() as i64)
    }

    pub(super) fn switch_judge_first(&mut self, on: bool) -> Result<(), StoreError> {
        self.write_guard()?;
        let mut s = self.state.borrow_mut();
        if !on && s.team_judge_first {
            return Err(StoreError::Refused(Refusal::JudgeFirstByTeam(
                "Noord".into(),
            )));
        }
        s.judge_first = on;
        s.writes.push(Write::JudgeFirst { on });
        Ok(())
    }

    pub(super) fn record_prompt(
        &mut self,
        case_id: i64,
        decision: Decision,
    ) -> Result<i64, StoreError> {
        self.write_guard()?;
        let mut s = self.state.borrow_mut();
        s.writes.push(Write::QuickPrompt { case_id, decision });
        Ok(s.writes.len() as i64)
    }
}
