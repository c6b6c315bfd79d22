//! The console's real backend: a review session on the SQLite store, with the oversight
//! figures of the stats view. It lives with the commands, the one place that joins the
//! layers, so the console itself knows only its `ReviewBackend` trait.

use crate::console::backend::{
    ClaimState, OpenedCase, QueueBasis, QueueKey, QueueSummary, ReviewBackend, Undone, WindowQuery,
};
use crate::domain::decision::{CaseStatus, Decision};
use crate::domain::household::PersonalData;
use crate::domain::judge_first::InitialJudgment;
use crate::domain::role::Role;
use crate::domain::stats::Stats;
use crate::domain::view::{CaseDetail, QueueRow};
use crate::store::StoreError;

/// The real backend: a review session on the SQLite store.
impl ReviewBackend for crate::store::ReviewSession {
    fn reviewer(&self) -> &str {
        &self.actor().name
    }

    fn role(&self) -> Role {
        self.actor().role
    }

    fn summary(&self) -> Result<QueueSummary, StoreError> {
        crate::store::ReviewSession::summary(self)
    }

    fn data_version(&self) -> Result<i64, StoreError> {
        self.store().data_version()
    }

    fn queue_basis(&self) -> Result<QueueBasis, StoreError> {
        crate::store::ReviewSession::queue_basis(self)
    }

    fn window(&self, query: &WindowQuery) -> Result<Vec<QueueRow>, StoreError> {
        self.store().queue_window(self.actor(), query)
    }

    fn open(&mut self, case_id: i64) -> Result<OpenedCase, StoreError> {
        self.open_case(case_id)
    }

    fn detail(&self, case_id: i64) -> Result<CaseDetail, StoreError> {
        self.store().case_detail(self.actor(), case_id)
    }

    fn status(&self, case_id: i64) -> Result<CaseStatus, StoreError> {
        self.store().case_status(self.actor(), case_id)
    }

    fn renew_claim(&mut self, case_id: i64) -> Result<ClaimState, StoreError> {
        crate::store::ReviewSession::renew_claim(self, case_id)
    }

    fn release_claims(&mut self) -> Result<(), StoreError> {
        crate::store::ReviewSession::release_claims(self)
    }

    fn search(&mut self, text: &str) -> Result<crate::domain::search::SearchOutcome, StoreError> {
        crate::store::ReviewSession::search(self, text)
    }

    fn household_story(
        &mut self,
        case_id: i64,
    ) -> Result<crate::domain::household_story::HouseholdStory, StoreError> {
        crate::store::ReviewSession::household_story(self, case_id)
    }

    fn rescored_since_last_session(&self) -> Result<Option<i64>, StoreError> {
        crate::store::ReviewSession::rescored_since_last_session(self)
    }

    fn reveal(&mut self, case_id: i64) -> Result<PersonalData, StoreError> {
        crate::store::ReviewSession::reveal(self, case_id)
    }

    fn explanation_viewed(&mut self, case_id: i64) -> Result<i64, StoreError> {
        crate::store::ReviewSession::explanation_viewed(self, case_id)
    }

    fn may_decide(&self, case_id: i64) -> Result<(), StoreError> {
        crate::store::ReviewSession::may_decide(self, case_id)
    }

    fn decide(
        &mut self,
        case_id: i64,
        decision: Decision,
        reason: Option<&str>,
        note: Option<&str>,
    ) -> Result<i64, StoreError> {
        crate::store::ReviewSession::decide_noted(self, case_id, decision, reason, note)
    }

    fn judge(&mut self, case_id: i64, judgment: InitialJudgment) -> Result<i64, StoreError> {
        crate::store::ReviewSession::judge(self, case_id, judgment)
    }

    fn set_judge_first(&mut self, on: bool) -> Result<(), StoreError> {
        self.set_own_judge_first(on)
    }

    fn quick_decision_prompt(
        &mut self,
        case_id: i64,
        decision: Decision,
        seconds: f64,
        threshold: f64,
    ) -> Result<i64, StoreError> {
        crate::store::ReviewSession::quick_decision_prompt(
            self, case_id, decision, seconds, threshold,
        )
    }

    fn queue_key(&self, case_id: i64, by_deadline: bool) -> Result<Option<QueueKey>, StoreError> {
        self.store().queue_key(self.actor(), case_id, by_deadline)
    }

    fn sign(&mut self, case_id: i64) -> Result<i64, StoreError> {
        crate::store::ReviewSession::sign(self, case_id)
    }

    fn send_back(&mut self, case_id: i64, note: Option<&str>) -> Result<i64, StoreError> {
        crate::store::ReviewSession::send_back(self, case_id, note)
    }

    fn note(&mut self, case_id: i64, text: &str) -> Result<i64, StoreError> {
        crate::store::ReviewSession::note(self, case_id, text)
    }

    fn record_outcome(
        &mut self,
        case_id: i64,
        step: crate::domain::outcome::OutcomeStep,
        on: chrono::NaiveDate,
    ) -> Result<i64, StoreError> {
        crate::store::ReviewSession::record_outcome(self, case_id, step, on)
    }

    fn undo_last(&mut self) -> Result<Option<Undone>, StoreError> {
        crate::store::ReviewSession::undo_last(self)
    }

    fn resume_key(&self) -> Result<Option<QueueKey>, StoreError> {
        crate::store::ReviewSession::resume_key(self)
    }

    fn end_session(&mut self, at_case: Option<i64>) -> Result<(), StoreError> {
        self.end(at_case)
    }

    fn stats(&self, today: chrono::NaiveDate) -> Result<Stats, StoreError> {
        crate::oversight::stats::read(self.store(), self.actor(), today)
    }
}
