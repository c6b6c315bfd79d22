//! What the console needs from storage, as a trait: the console never sees SQL, and its
//! `update()` tests can run on the real store or on a small fake.

use crate::domain::decision::Decision;
use crate::domain::view::{CaseDetail, QueueRow};
use crate::store::StoreError;

// The queue's paging types are plain domain types (the store reads windows with them too).
pub use crate::domain::queue::{QueueKey, QueueSummary, Undone, WindowQuery, WindowStart};

pub trait ReviewBackend {
    /// The reviewer's name as recorded in events.
    fn reviewer(&self) -> &str;
    fn summary(&self) -> Result<QueueSummary, StoreError>;
    /// A window of the queue in queue order (keyset pagination: never the whole queue).
    fn window(&self, query: &WindowQuery) -> Result<Vec<QueueRow>, StoreError>;
    fn detail(&self, case_id: i64) -> Result<CaseDetail, StoreError>;
    /// Records a decision, committed before returning; returns the event's sequence number.
    fn decide(
        &mut self,
        case_id: i64,
        decision: Decision,
        reason: Option<&str>,
    ) -> Result<i64, StoreError>;
    /// Records a note, committed before returning.
    fn note(&mut self, case_id: i64, text: &str) -> Result<i64, StoreError>;
    /// Retracts this reviewer's most recent decision that is not yet retracted, if any.
    fn undo_last(&mut self) -> Result<Option<Undone>, StoreError>;
    /// The queue key where this reviewer's previous session stopped, if any.
    fn resume_key(&self) -> Result<Option<QueueKey>, StoreError>;
    /// Records the end of the session and where it stopped.
    fn end_session(&mut self, at_case: Option<i64>) -> Result<(), StoreError>;
}

/// The real backend: a review session on the SQLite store.
impl ReviewBackend for crate::store::ReviewSession {
    fn reviewer(&self) -> &str {
        &self.actor().name
    }

    fn summary(&self) -> Result<QueueSummary, StoreError> {
        crate::store::ReviewSession::summary(self)
    }

    fn window(&self, query: &WindowQuery) -> Result<Vec<QueueRow>, StoreError> {
        self.store().queue_window(self.actor(), query)
    }

    fn detail(&self, case_id: i64) -> Result<CaseDetail, StoreError> {
        self.store().case_detail(self.actor(), case_id)
    }

    fn decide(
        &mut self,
        case_id: i64,
        decision: Decision,
        reason: Option<&str>,
    ) -> Result<i64, StoreError> {
        crate::store::ReviewSession::decide(self, case_id, decision, reason)
    }

    fn note(&mut self, case_id: i64, text: &str) -> Result<i64, StoreError> {
        crate::store::ReviewSession::note(self, case_id, text)
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
}
