//! What the console needs from storage, as a trait: the console never sees SQL, and its
//! `update()` tests can run on the real store or on a small fake.

use crate::domain::decision::{CaseStatus, Decision};
use crate::domain::household::PersonalData;
use crate::domain::judge_first::InitialJudgment;
use crate::domain::role::Role;
use crate::domain::search::SearchOutcome;
use crate::domain::stats::Stats;
use crate::domain::view::{CaseDetail, QueueRow};
use crate::store::StoreError;

// The queue's paging types are plain domain types (the store reads windows with them too).
pub use crate::domain::queue::{
    QueueBasis, QueueKey, QueueSummary, Undone, WindowQuery, WindowStart,
};
pub use crate::store::{ClaimState, OpenedCase};

pub trait ReviewBackend {
    /// The reviewer's name as recorded in events.
    fn reviewer(&self) -> &str;
    /// The reviewer's role: the console hides keys the store would refuse anyway.
    fn role(&self) -> Role;
    fn summary(&self) -> Result<QueueSummary, StoreError>;
    /// A number that changes whenever another process commits to the database: the console
    /// asks it twice a second and reads more only when it moved.
    fn data_version(&self) -> Result<i64, StoreError>;
    /// What the queue's order and what it may show rest on (halt, scoring run, judge-first,
    /// reassignments): when it changes, the console reads its queue again.
    fn queue_basis(&self) -> Result<QueueBasis, StoreError>;
    /// A window of the queue in queue order (keyset pagination: never the whole queue).
    fn window(&self, query: &WindowQuery) -> Result<Vec<QueueRow>, StoreError>;
    /// Opens a case on screen: logs who looked (a `view` event) and claims it when it is this
    /// reviewer's to decide or sign. Called once per case landed on.
    fn open(&mut self, case_id: i64) -> Result<OpenedCase, StoreError>;
    /// Reads the open case again (after a note, say): no event, no claim.
    fn detail(&self, case_id: i64) -> Result<CaseDetail, StoreError>;
    /// Where a case stands now (after a decision: waiting for a signature or not). A real
    /// store reads the one column rather than the whole detail.
    fn status(&self, case_id: i64) -> Result<CaseStatus, StoreError> {
        self.detail(case_id).map(|d| d.status)
    }
    /// Keeps the claim on the open case alive (the console calls it every minute).
    fn renew_claim(&mut self, case_id: i64) -> Result<ClaimState, StoreError>;
    /// Frees this reviewer's claims when no case is on screen any more.
    fn release_claims(&mut self) -> Result<(), StoreError>;
    /// Name, BSN, address and birth date; the showing is logged (a `reveal` event).
    fn reveal(&mut self, case_id: i64) -> Result<PersonalData, StoreError>;
    /// Logs that the full view (the whole explanation) of a case was opened.
    fn explanation_viewed(&mut self, case_id: i64) -> Result<i64, StoreError>;
    /// Whether a decision on the case would be refused now (someone else holds it, it is
    /// decided, not one's team's, not judged first), without writing: asked before "are you
    /// sure?", so no prompt is shown for a decision that could never be made.
    fn may_decide(&self, case_id: i64) -> Result<(), StoreError>;
    /// Records a decision, with the note that goes with it if any (a rejection for "other"
    /// needs one), committed before returning; returns the decision event's number.
    fn decide(
        &mut self,
        case_id: i64,
        decision: Decision,
        reason: Option<&str>,
        note: Option<&str>,
    ) -> Result<i64, StoreError>;
    /// Judge-first mode: this reviewer's own view of a case, before the model's is shown.
    fn judge(&mut self, case_id: i64, judgment: InitialJudgment) -> Result<i64, StoreError>;
    /// Turns judge-first mode on or off for this reviewer (off is refused while their team
    /// works judge-first).
    fn set_judge_first(&mut self, on: bool) -> Result<(), StoreError>;
    /// Logs that the console asked "are you sure?" about a quick decision.
    fn quick_decision_prompt(
        &mut self,
        case_id: i64,
        decision: Decision,
        seconds: f64,
        threshold: f64,
    ) -> Result<i64, StoreError>;
    /// The key of a case in the order this reviewer's queue is read in (by deadline, or the
    /// queue's own order).
    fn queue_key(&self, case_id: i64, by_deadline: bool) -> Result<Option<QueueKey>, StoreError>;
    /// A senior's second signature on a decision waiting for one.
    fn sign(&mut self, case_id: i64) -> Result<i64, StoreError>;
    /// A senior sends a waiting decision back; the case reopens.
    fn send_back(&mut self, case_id: i64, note: Option<&str>) -> Result<i64, StoreError>;
    /// Records a step of the outreach's outcome on a case where help was offered, on day
    /// `on`, committed before returning.
    fn record_outcome(
        &mut self,
        case_id: i64,
        step: crate::domain::outcome::OutcomeStep,
        on: chrono::NaiveDate,
    ) -> Result<i64, StoreError>;
    /// Records a note, committed before returning.
    fn note(&mut self, case_id: i64, text: &str) -> Result<i64, StoreError>;
    /// Retracts this reviewer's most recent decision that is not yet retracted, if any.
    fn undo_last(&mut self) -> Result<Option<Undone>, StoreError>;
    /// The queue key where this reviewer's previous session stopped, if any.
    fn resume_key(&self) -> Result<Option<QueueKey>, StoreError>;
    /// The scoring run that ranked the queue again since this reviewer's last session
    /// ended, if any (the console says where that leaves them).
    fn rescored_since_last_session(&self) -> Result<Option<i64>, StoreError>;
    /// Records the end of the session and where it stopped, and frees every claim.
    fn end_session(&mut self, at_case: Option<i64>) -> Result<(), StoreError>;
    /// Finds the cases of the households `text` names (a number, a creditor, a word in a
    /// note; a name or an address for roles that may reveal, logged), for
    /// `QueueList::Search` windows to read until the next search.
    fn search(&mut self, text: &str) -> Result<SearchOutcome, StoreError>;
    /// The whole story of the household of `case_id` (its cases this reviewer may see, its
    /// signals per creditor); logged as an access (`history_viewed`).
    fn household_story(
        &mut self,
        case_id: i64,
    ) -> Result<crate::domain::household_story::HouseholdStory, StoreError>;
    /// The stats view's figures for this reviewer's scope, days counted from `today`. Read
    /// once per opening of the view: it reads recent decisions and the whole open queue.
    fn stats(&self, today: chrono::NaiveDate) -> Result<Stats, StoreError>;
}
