//! An in-memory `ReviewBackend` with fixed, made-up cases: for the console's own tests and
//! for snapshot tests under `tests/`. It records every write, can be told to fail, and counts
//! what it was asked, so tests can show the queue is read in windows.

use std::cell::RefCell;
use std::rc::Rc;

use chrono::NaiveDate;

use super::backend::{QueueKey, QueueSummary, ReviewBackend, Undone, WindowQuery, WindowStart};
use super::window::key_of;
use crate::domain::decision::{CaseStatus, Decision};
use crate::domain::view::{CaseDetail, NoteView, QueueRow};
use crate::store::StoreError;

mod cases;
use cases::{at, make_case};

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
    EndSession {
        at_case: Option<i64>,
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
}

/// The handle a test keeps to look at and steer the fake after the `App` took the backend.
#[derive(Debug, Clone)]
pub struct FakeHandle(Rc<RefCell<FakeState>>);

impl FakeHandle {
    pub fn state(&self) -> std::cell::RefMut<'_, FakeState> {
        self.0.borrow_mut()
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

    pub fn status_of(&self, case_id: i64) -> CaseStatus {
        let s = self.0.borrow();
        s.rows
            .iter()
            .find(|r| r.case_id == case_id)
            .map(|r| r.status)
            .expect("known case")
    }
}

pub struct FakeBackend(Rc<RefCell<FakeState>>);

impl FakeBackend {
    /// `n` open cases, ranked 1..=n, dated around `today`.
    pub fn new(n: usize, today: NaiveDate) -> (FakeBackend, FakeHandle) {
        let (rows, details) = (0..n).map(|i| make_case(i, n, today)).unzip();
        let state = FakeState {
            rows,
            details,
            today: Some(today),
            ..FakeState::default()
        };
        let shared = Rc::new(RefCell::new(state));
        (FakeBackend(Rc::clone(&shared)), FakeHandle(shared))
    }

    fn write_guard(&self) -> Result<(), StoreError> {
        if self.0.borrow().fail_writes {
            return Err(StoreError::Io {
                path: "fake.db".into(),
                message: "disk I/O error (simulated)".into(),
            });
        }
        Ok(())
    }

    fn read_guard(&self) -> Result<(), StoreError> {
        if self.0.borrow().fail_reads {
            return Err(StoreError::Io {
                path: "fake.db".into(),
                message: "database is locked (simulated)".into(),
            });
        }
        Ok(())
    }

    fn set_status(&self, case_id: i64, status: CaseStatus) {
        let mut s = self.0.borrow_mut();
        if let Some(r) = s.rows.iter_mut().find(|r| r.case_id == case_id) {
            r.status = status;
        }
        if let Some(d) = s.details.iter_mut().find(|d| d.case_id == case_id) {
            d.status = status;
        }
    }
}

impl ReviewBackend for FakeBackend {
    fn reviewer(&self) -> &str {
        "anna"
    }

    fn summary(&self) -> Result<QueueSummary, StoreError> {
        self.read_guard()?;
        let s = self.0.borrow();
        Ok(QueueSummary {
            caseload: "Vroegsignalering".into(),
            team: Some("Noord".into()),
            to_sign: 0,
            model_version: Some(3),
            open: s
                .rows
                .iter()
                .filter(|r| r.status == CaseStatus::Open)
                .count() as i64,
            decided_today: s.decided.len() as i64,
        })
    }

    fn window(&self, query: &WindowQuery) -> Result<Vec<QueueRow>, StoreError> {
        self.read_guard()?;
        let mut s = self.0.borrow_mut();
        s.queries.push(*query);
        let visible = s
            .rows
            .iter()
            .filter(|r| query.include_decided || r.status == CaseStatus::Open);
        let limit = query.limit;
        let rows: Vec<QueueRow> = match query.start {
            WindowStart::First => visible.take(limit).cloned().collect(),
            WindowStart::After(k) => visible
                .filter(|r| key_of(r) > k)
                .take(limit)
                .cloned()
                .collect(),
            WindowStart::From(k) => visible
                .filter(|r| key_of(r) >= k)
                .take(limit)
                .cloned()
                .collect(),
            WindowStart::Last => tail(visible.collect(), limit),
            WindowStart::Before(k) => tail(visible.filter(|r| key_of(r) < k).collect(), limit),
        };
        Ok(rows)
    }

    fn detail(&self, case_id: i64) -> Result<CaseDetail, StoreError> {
        self.read_guard()?;
        let s = self.0.borrow();
        s.details
            .iter()
            .find(|d| d.case_id == case_id)
            .cloned()
            .ok_or(StoreError::NoSuchCase(case_id))
    }

    fn decide(
        &mut self,
        case_id: i64,
        decision: Decision,
        reason: Option<&str>,
    ) -> Result<i64, StoreError> {
        self.write_guard()?;
        let status = self.detail(case_id)?.status;
        if status != CaseStatus::Open {
            return Err(StoreError::AlreadyDecided {
                case_id,
                status: status.as_code().into(),
            });
        }
        self.set_status(case_id, decision.status());
        let mut s = self.0.borrow_mut();
        s.decided.push((case_id, decision));
        s.writes.push(Write::Decision {
            case_id,
            decision,
            reason: reason.map(str::to_string),
        });
        Ok(s.writes.len() as i64)
    }

    fn note(&mut self, case_id: i64, text: &str) -> Result<i64, StoreError> {
        self.write_guard()?;
        let mut s = self.0.borrow_mut();
        let seq = s.writes.len() as i64 + 1;
        let today = s.today.unwrap_or_default();
        let d = s
            .details
            .iter_mut()
            .find(|d| d.case_id == case_id)
            .ok_or(StoreError::NoSuchCase(case_id))?;
        d.notes.push(NoteView {
            seq: 100 + seq,
            at: at(today, seq),
            author: "anna".into(),
            text: text.into(),
        });
        s.writes.push(Write::Note {
            case_id,
            text: text.into(),
        });
        Ok(seq)
    }

    fn undo_last(&mut self) -> Result<Option<Undone>, StoreError> {
        self.write_guard()?;
        let last = self.0.borrow_mut().decided.pop();
        let Some((case_id, decision)) = last else {
            return Ok(None);
        };
        self.set_status(case_id, CaseStatus::Open);
        let household = self.detail(case_id)?.household.pseudonym;
        self.0.borrow_mut().writes.push(Write::Retract { case_id });
        Ok(Some(Undone {
            case_id,
            household,
            decision,
        }))
    }

    fn resume_key(&self) -> Result<Option<QueueKey>, StoreError> {
        self.read_guard()?;
        Ok(self.0.borrow().resume)
    }

    fn end_session(&mut self, at_case: Option<i64>) -> Result<(), StoreError> {
        self.write_guard()?;
        self.0
            .borrow_mut()
            .writes
            .push(Write::EndSession { at_case });
        Ok(())
    }
}

/// The last `limit` rows, in queue order.
fn tail(rows: Vec<&QueueRow>, limit: usize) -> Vec<QueueRow> {
    let skip = rows.len().saturating_sub(limit);
    rows.into_iter().skip(skip).cloned().collect()
}
