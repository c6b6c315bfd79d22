//! An in-memory `ReviewBackend` with fixed, made-up cases: for the console's own tests and
//! for snapshot tests under `tests/`. It records every write, can be told to fail, and counts
//! what it was asked, so tests can show the queue is read in windows. It can also play the
//! colleagues: someone else holding a case, or a decision waiting for a second signature.

use crate::store::Refusal;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use chrono::NaiveDate;

use super::backend::{QueueKey, WindowQuery};
use crate::domain::decision::{CaseStatus, Decision};
use crate::domain::judge_first::InitialJudgment;
use crate::domain::role::Role;
use crate::domain::view::{CaseDetail, DecisionView, QueueRow};
use crate::store::StoreError;

mod answers;
mod cases;
mod judge_first;
mod stats;
use cases::{at, make_case};

/// The rule the fake's four-eyes check names (the shipped rule for threatened households).
pub const FAKE_RULE: &str = "eviction_or_cut_off";

/// A write the fake received.
#[derive(Debug, Clone, PartialEq)]
pub enum Write {
    Decision {
        case_id: i64,
        decision: Decision,
        reason: Option<String>,
    },
    Note {
        case_id: i64,
        text: String,
    },
    Retract {
        case_id: i64,
    },
    Reveal {
        case_id: i64,
    },
    Signed {
        case_id: i64,
    },
    SentBack {
        case_id: i64,
        note: Option<String>,
    },
    EndSession {
        at_case: Option<i64>,
    },
    /// An initial judgment in judge-first mode.
    Judgment {
        case_id: i64,
        judgment: InitialJudgment,
    },
    /// Judge-first turned on or off by the reviewer.
    JudgeFirst {
        on: bool,
    },
    /// The "are you sure?" prompt was shown (an event in the real store).
    QuickPrompt {
        case_id: i64,
        decision: Decision,
    },
}

/// The fake's state, shared between the backend (owned by the `App`) and the test's handle.
#[derive(Debug, Default)]
pub struct FakeState {
    pub rows: Vec<QueueRow>,
    pub details: Vec<CaseDetail>,
    pub writes: Vec<Write>,
    /// Decisions not yet retracted, oldest first.
    decided: Vec<(i64, Decision)>,
    pub fail_writes: bool,
    pub fail_reads: bool,
    pub resume: Option<QueueKey>,
    pub queries: Vec<WindowQuery>,
    today: Option<NaiveDate>,
    /// Every case opened (each a `view` event in the real store), in order.
    pub opened: Vec<i64>,
    /// Every full view opened (each an `explanation_viewed` event in the real store).
    pub explained: Vec<i64>,
    /// Every claim renewal asked for, in order.
    pub renewals: Vec<i64>,
    /// Claims of other people: case → (holder, until as RFC 3339).
    holders: HashMap<i64, (String, String)>,
    /// The case this reviewer holds a claim on.
    mine: Option<i64>,
    /// When set, decisions on threatened households wait for a second signature, as under
    /// the shipped four-eyes rule.
    pub four_eyes: bool,
    /// Who made the decision a case waiting for a signature waits with.
    to_sign_by: HashMap<i64, (String, Decision)>,
    /// The reviewer turned judge-first on for themselves.
    pub judge_first: bool,
    /// Their team works judge-first (they cannot turn it off).
    pub team_judge_first: bool,
    /// Initial judgments in judge-first mode, by case.
    judgments: HashMap<i64, InitialJudgment>,
    /// How often the stats view's figures were read.
    pub stats_reads: usize,
    /// The halt another process put in force (see [`FakeHandle::write_elsewhere`]).
    pub halt: Option<crate::domain::queue::HaltNotice>,
    /// The latest scoring run.
    pub run: i64,
    /// Moves whenever "another process" writes (`PRAGMA data_version` in the real store).
    pub data_version: i64,
    /// How often the console asked for the queue's basis.
    pub basis_reads: usize,
    /// The cases the last search found, in no order (the window puts them in the queue's).
    pub search_hits: Vec<i64>,
    /// A scoring run since this reviewer's last session ended (the real store reads the log).
    pub rescored_since: Option<i64>,
}

/// The handle a test keeps to look at and steer the fake after the `App` took the backend.
#[derive(Debug, Clone)]
pub struct FakeHandle(Rc<RefCell<FakeState>>);

impl FakeHandle {
    pub fn state(&self) -> std::cell::RefMut<'_, FakeState> {
        self.0.borrow_mut()
    }

    /// Plays another process writing to the database: `change` alters the state, and the
    /// data version moves, as SQLite's does for a commit on another connection.
    pub fn write_elsewhere(&self, change: impl FnOnce(&mut FakeState)) {
        let mut s = self.0.borrow_mut();
        change(&mut s);
        s.data_version += 1;
    }

    pub fn writes(&self) -> Vec<Write> {
        self.0.borrow().writes.clone()
    }

    pub fn set_fail_writes(&self, fail: bool) {
        self.0.borrow_mut().fail_writes = fail;
    }

    pub fn set_fail_reads(&self, fail: bool) {
        self.0.borrow_mut().fail_reads = fail;
    }

    /// Every window query so far.
    pub fn queries(&self) -> Vec<WindowQuery> {
        self.0.borrow().queries.clone()
    }

    /// Cases opened so far, in order.
    pub fn opened(&self) -> Vec<i64> {
        self.0.borrow().opened.clone()
    }

    /// Cases whose full view was opened, in order.
    pub fn explained(&self) -> Vec<i64> {
        self.0.borrow().explained.clone()
    }

    /// Someone else opens the case and holds it until `until` (RFC 3339).
    pub fn hold(&self, case_id: i64, holder: &str, until: &str) {
        let mut s = self.0.borrow_mut();
        s.holders
            .insert(case_id, (holder.to_owned(), until.to_owned()));
        if let Some(r) = s.rows.iter_mut().find(|r| r.case_id == case_id) {
            r.held_by = Some(holder.to_owned());
        }
    }

    /// The other person leaves the case.
    pub fn let_go(&self, case_id: i64) {
        let mut s = self.0.borrow_mut();
        s.holders.remove(&case_id);
        if let Some(r) = s.rows.iter_mut().find(|r| r.case_id == case_id) {
            r.held_by = None;
        }
    }

    /// `decided_by` decided the case, and the four-eyes rule holds it for a second signature.
    pub fn wait_for_signature(&self, case_id: i64, decided_by: &str, decision: Decision) {
        let mut s = self.0.borrow_mut();
        let today = s.today.unwrap_or_default();
        s.to_sign_by
            .insert(case_id, (decided_by.to_owned(), decision));
        set_status(&mut s, case_id, CaseStatus::ToSign);
        push_history(
            &mut s,
            case_id,
            DecisionView {
                seq: 500 + case_id,
                at: at(today, -30),
                reviewer: decided_by.to_owned(),
                decision: decision.as_code().to_owned(),
                reason: (decision == Decision::Reject).then(|| "resolved".to_owned()),
                four_eyes: Some(FAKE_RULE.to_owned()),
                note: None,
            },
        );
    }

    /// Whether this reviewer holds a claim on the case.
    pub fn claimed(&self, case_id: i64) -> bool {
        self.0.borrow().mine == Some(case_id)
    }

    pub fn status_of(&self, case_id: i64) -> CaseStatus {
        let s = self.0.borrow();
        s.rows
            .iter()
            .find(|r| r.case_id == case_id)
            .map(|r| r.status)
            .expect("known case")
    }
}

pub struct FakeBackend {
    state: Rc<RefCell<FakeState>>,
    user: String,
    role: Role,
}

impl FakeBackend {
    /// `n` open cases, ranked 1..=n, dated around `today`, reviewed by anna (team Noord).
    pub fn new(n: usize, today: NaiveDate) -> (FakeBackend, FakeHandle) {
        Self::new_as(n, today, "anna", Role::Reviewer)
    }

    /// The same cases, reviewed by `user` in `role`.
    pub fn new_as(n: usize, today: NaiveDate, user: &str, role: Role) -> (FakeBackend, FakeHandle) {
        let (rows, details) = (0..n).map(|i| make_case(i, n, today)).unzip();
        let state = FakeState {
            rows,
            details,
            today: Some(today),
            ..FakeState::default()
        };
        let shared = Rc::new(RefCell::new(state));
        let backend = FakeBackend {
            state: Rc::clone(&shared),
            user: user.to_owned(),
            role,
        };
        (backend, FakeHandle(shared))
    }

    fn today(&self) -> NaiveDate {
        self.state.borrow().today.unwrap_or_default()
    }

    fn forbidden(&self, action: &'static str) -> StoreError {
        StoreError::Refused(Refusal::Forbidden {
            name: self.user.clone(),
            role: self.role,
            action,
        })
    }

    /// A case as the store's refusals name it: by its household.
    pub(super) fn case_ref(&self, case_id: i64) -> crate::store::CaseRef {
        let household = self
            .state
            .borrow()
            .details
            .iter()
            .find(|d| d.case_id == case_id)
            .map(|d| d.household.pseudonym.clone())
            .unwrap_or_else(|| format!("case {case_id}"));
        crate::store::CaseRef {
            id: case_id,
            household,
        }
    }

    /// The store's refusal of a decision on a case no longer open: who decided it.
    pub(super) fn already_decided(&self, case_id: i64, status: CaseStatus) -> StoreError {
        let s = self.state.borrow();
        let (by, decision) = match s.to_sign_by.get(&case_id) {
            Some((by, d)) => (Some(by.clone()), Some(*d)),
            None => match s.decided.iter().rev().find(|(c, _)| *c == case_id) {
                Some((_, d)) => (Some(self.user.clone()), Some(*d)),
                None => (None, None),
            },
        };
        drop(s);
        StoreError::Refused(Refusal::AlreadyDecided {
            case: self.case_ref(case_id),
            status: status.as_code().into(),
            mine: by.as_deref() == Some(self.user.as_str()),
            by,
            decision: decision.map(|d| d.as_code().to_owned()),
        })
    }

    /// Refuses when someone else holds the case, as the store does.
    fn refuse_if_held(&self, case_id: i64) -> Result<(), StoreError> {
        match self.state.borrow().holders.get(&case_id) {
            Some((holder, until)) => Err(StoreError::Refused(Refusal::HeldBy {
                case: self.case_ref(case_id),
                holder: holder.clone(),
                until: until.clone(),
            })),
            None => Ok(()),
        }
    }

    /// Whether this reviewer's role claims a case in this status.
    fn claimable(&self, status: CaseStatus) -> bool {
        match status {
            CaseStatus::Open | CaseStatus::Deferred => self.role.decides(),
            CaseStatus::ToSign => self.role.signs(),
            _ => false,
        }
    }

    /// Takes this reviewer's claim on `case_id` (or drops it, with `None`), as the store's
    /// claims table would show in the queue.
    fn set_mine(&self, case_id: Option<i64>) {
        let mut s = self.state.borrow_mut();
        let user = self.user.clone();
        for r in s.rows.iter_mut() {
            if r.held_by.as_deref() == Some(user.as_str()) {
                r.held_by = None;
            }
            if Some(r.case_id) == case_id {
                r.held_by = Some(user.clone());
            }
        }
        s.mine = case_id;
    }

    fn until(&self) -> String {
        at(self.today(), 65).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    fn write_guard(&self) -> Result<(), StoreError> {
        if self.state.borrow().fail_writes {
            return Err(StoreError::Io {
                path: "fake.db".into(),
                failure: crate::store::IoFailure::Os("disk I/O error (simulated)".into()),
            });
        }
        Ok(())
    }

    fn read_guard(&self) -> Result<(), StoreError> {
        if self.state.borrow().fail_reads {
            return Err(StoreError::Io {
                path: "fake.db".into(),
                failure: crate::store::IoFailure::Os("database is locked (simulated)".into()),
            });
        }
        Ok(())
    }

    fn set_status(&self, case_id: i64, status: CaseStatus) {
        set_status(&mut self.state.borrow_mut(), case_id, status);
    }

    fn history(&self, reviewer: &str, kind: &str) -> DecisionView {
        let seq = self.state.borrow().writes.len() as i64 + 1;
        DecisionView {
            seq: 1000 + seq,
            at: at(self.today(), seq),
            reviewer: reviewer.to_owned(),
            decision: kind.to_owned(),
            reason: None,
            four_eyes: None,
            note: None,
        }
    }
}

fn set_status(s: &mut FakeState, case_id: i64, status: CaseStatus) {
    if let Some(r) = s.rows.iter_mut().find(|r| r.case_id == case_id) {
        r.status = status;
    }
    if let Some(d) = s.details.iter_mut().find(|d| d.case_id == case_id) {
        d.status = status;
    }
}

fn push_history(s: &mut FakeState, case_id: i64, entry: DecisionView) {
    if let Some(d) = s.details.iter_mut().find(|d| d.case_id == case_id) {
        d.history.push(entry);
    }
}
