//! The fake's answers to the console: the same checks and refusals as the store (a case held
//! by someone else, a decision already taken, the four-eyes rule, one's own decision, the
//! roles), on the fake's cases in memory.

use super::{FAKE_RULE, FakeBackend, Write, push_history};
use crate::console::backend::{
    ClaimState, OpenedCase, QueueBasis, QueueKey, QueueSummary, ReviewBackend, Undone, WindowQuery,
    WindowStart,
};
use crate::console::window::key_of;
use crate::domain::decision::{CaseStatus, Decision};
use crate::domain::household::PersonalData;
use crate::domain::judge_first::InitialJudgment;
use crate::domain::role::Role;
use crate::domain::search::{MIN_PERSONAL_WORD, SearchField, SearchOutcome, SearchTerms};
use crate::domain::view::{CaseDetail, NoteView, QueueRow};
use crate::store::Refusal;
use crate::store::StoreError;

use super::cases::{at, personal_data};

impl ReviewBackend for FakeBackend {
    fn reviewer(&self) -> &str {
        &self.user
    }

    fn role(&self) -> Role {
        self.role
    }

    fn summary(&self) -> Result<QueueSummary, StoreError> {
        self.read_guard()?;
        let s = self.state.borrow();
        let count = |status| s.rows.iter().filter(|r| r.status == status).count() as i64;
        Ok(QueueSummary {
            caseload: "Vroegsignalering".into(),
            team: Some("Noord".into()),
            to_sign: count(CaseStatus::ToSign),
            model_version: Some(3),
            open: count(CaseStatus::Open),
            decided_today: s.decided.len() as i64,
            halt: s.halt.clone(),
            drift_run: None,
            judge_first: self.judge_first_scope(),
            imported: if s.rows.is_empty() {
                crate::domain::queue::Imported::Nothing
            } else {
                crate::domain::queue::Imported::Cases
            },
        })
    }

    fn data_version(&self) -> Result<i64, StoreError> {
        self.read_guard()?;
        Ok(self.state.borrow().data_version)
    }

    fn queue_basis(&self) -> Result<QueueBasis, StoreError> {
        self.read_guard()?;
        let judge_first = self.judge_first_scope();
        let mut s = self.state.borrow_mut();
        s.basis_reads += 1;
        Ok(QueueBasis {
            halt: s.halt.clone(),
            run: Some(s.run),
            judge_first,
            reassigned: None,
        })
    }

    fn window(&self, query: &WindowQuery) -> Result<Vec<QueueRow>, StoreError> {
        self.read_guard()?;
        let seen = self.rows_as_seen(query.by_deadline);
        let mut s = self.state.borrow_mut();
        s.queries.push(*query);
        let visible = seen.iter().filter(|r| {
            if query.list == crate::domain::queue::QueueList::ToSign {
                r.status == CaseStatus::ToSign
            } else if query.list == crate::domain::queue::QueueList::Search {
                s.search_hits.contains(&r.case_id) && r.status != CaseStatus::Closed
            } else {
                query.include_decided || r.status == CaseStatus::Open
            }
        });
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

    fn open(&mut self, case_id: i64) -> Result<OpenedCase, StoreError> {
        self.write_guard()?;
        let detail = self.detail(case_id)?;
        self.state.borrow_mut().opened.push(case_id);
        let held = self.state.borrow().holders.get(&case_id).cloned();
        let claim = if !self.claimable(detail.status) {
            self.set_mine(None);
            ClaimState::None
        } else if let Some((holder, until)) = held {
            self.set_mine(None);
            ClaimState::HeldBy { holder, until }
        } else {
            self.set_mine(Some(case_id));
            ClaimState::Mine {
                until: self.until(),
            }
        };
        Ok(OpenedCase { detail, claim })
    }

    fn detail(&self, case_id: i64) -> Result<CaseDetail, StoreError> {
        self.read_guard()?;
        let found = {
            let s = self.state.borrow();
            s.details.iter().find(|d| d.case_id == case_id).cloned()
        };
        found
            .map(|d| self.detail_as_seen(d))
            .ok_or(StoreError::Refused(Refusal::NoSuchCase(case_id)))
    }

    fn renew_claim(&mut self, case_id: i64) -> Result<ClaimState, StoreError> {
        self.write_guard()?;
        self.state.borrow_mut().renewals.push(case_id);
        if let Some((holder, until)) = self.state.borrow().holders.get(&case_id).cloned() {
            return Ok(ClaimState::HeldBy { holder, until });
        }
        let mine = self.state.borrow().mine == Some(case_id);
        if mine || self.claimable(self.detail(case_id)?.status) {
            self.set_mine(Some(case_id));
            Ok(ClaimState::Mine {
                until: self.until(),
            })
        } else {
            Ok(ClaimState::None)
        }
    }

    fn release_claims(&mut self) -> Result<(), StoreError> {
        self.write_guard()?;
        self.set_mine(None);
        Ok(())
    }

    fn explanation_viewed(&mut self, case_id: i64) -> Result<i64, StoreError> {
        self.write_guard()?;
        self.detail(case_id)?;
        let mut s = self.state.borrow_mut();
        s.explained.push(case_id);
        Ok(s.explained.len() as i64)
    }

    fn reveal(&mut self, case_id: i64) -> Result<PersonalData, StoreError> {
        if !self.role.reveals() {
            return Err(self.forbidden("error.action.reveal"));
        }
        self.write_guard()?;
        let index = (case_id - 1000) as usize;
        self.detail(case_id)?;
        self.state
            .borrow_mut()
            .writes
            .push(Write::Reveal { case_id });
        Ok(personal_data(index))
    }

    fn may_decide(&self, case_id: i64) -> Result<(), StoreError> {
        if !self.role.decides() {
            return Err(self.forbidden("error.action.decide"));
        }
        self.read_guard()?;
        let detail = self.detail(case_id)?;
        if detail.status != CaseStatus::Open {
            return Err(self.already_decided(case_id, detail.status));
        }
        self.refuse_if_held(case_id)?;
        self.refuse_unjudged(case_id)
    }

    fn decide(
        &mut self,
        case_id: i64,
        decision: Decision,
        reason: Option<&str>,
        note: Option<&str>,
    ) -> Result<i64, StoreError> {
        self.write_guard()?;
        self.may_decide(case_id)?;
        let detail = self.detail(case_id)?;
        let note = note.filter(|n| !n.trim().is_empty());
        if let Some(code) = reason
            && crate::domain::decision::reason_needs_note(code)
            && note.is_none()
        {
            return Err(StoreError::Refused(Refusal::NoteRequired(code.to_owned())));
        }
        if let Some(text) = note {
            self.state.borrow_mut().writes.push(Write::Note {
                case_id,
                text: text.to_owned(),
            });
        }
        let four_eyes = self.state.borrow().four_eyes && detail.flags.threat;
        let mut entry = self.history(&self.user, decision.as_code());
        entry.reason = reason.map(str::to_owned);
        if four_eyes {
            entry.four_eyes = Some(FAKE_RULE.to_owned());
            self.set_status(case_id, CaseStatus::ToSign);
            self.state
                .borrow_mut()
                .to_sign_by
                .insert(case_id, (self.user.clone(), decision));
        } else {
            self.set_status(case_id, decision.status());
        }
        self.set_mine(None);
        let mut s = self.state.borrow_mut();
        push_history(&mut s, case_id, entry);
        s.decided.push((case_id, decision));
        s.writes.push(Write::Decision {
            case_id,
            decision,
            reason: reason.map(str::to_string),
        });
        Ok(s.writes.len() as i64)
    }

    fn judge(&mut self, case_id: i64, judgment: InitialJudgment) -> Result<i64, StoreError> {
        self.record_judgment(case_id, judgment)
    }

    fn set_judge_first(&mut self, on: bool) -> Result<(), StoreError> {
        self.switch_judge_first(on)
    }

    fn quick_decision_prompt(
        &mut self,
        case_id: i64,
        decision: Decision,
        _seconds: f64,
        _threshold: f64,
    ) -> Result<i64, StoreError> {
        self.record_prompt(case_id, decision)
    }

    fn queue_key(&self, case_id: i64, by_deadline: bool) -> Result<Option<QueueKey>, StoreError> {
        self.read_guard()?;
        Ok(self
            .rows_as_seen(by_deadline)
            .iter()
            .find(|r| r.case_id == case_id)
            .map(key_of))
    }

    fn sign(&mut self, case_id: i64) -> Result<i64, StoreError> {
        let decision = self.second_signature(case_id)?;
        let entry = self.history(&self.user, "signed");
        self.set_status(case_id, decision.status());
        let mut s = self.state.borrow_mut();
        s.to_sign_by.remove(&case_id);
        push_history(&mut s, case_id, entry);
        s.writes.push(Write::Signed { case_id });
        Ok(s.writes.len() as i64)
    }

    fn send_back(&mut self, case_id: i64, note: Option<&str>) -> Result<i64, StoreError> {
        self.second_signature(case_id)?;
        let mut entry = self.history(&self.user, "sent_back");
        entry.note = note.map(Into::into);
        self.set_status(case_id, CaseStatus::Open);
        let mut s = self.state.borrow_mut();
        s.to_sign_by.remove(&case_id);
        s.decided.retain(|(c, _)| *c != case_id);
        push_history(&mut s, case_id, entry);
        s.writes.push(Write::SentBack {
            case_id,
            note: note.map(str::to_owned),
        });
        Ok(s.writes.len() as i64)
    }

    fn note(&mut self, case_id: i64, text: &str) -> Result<i64, StoreError> {
        self.write_guard()?;
        let mut s = self.state.borrow_mut();
        let seq = s.writes.len() as i64 + 1;
        let today = s.today.unwrap_or_default();
        let d = s
            .details
            .iter_mut()
            .find(|d| d.case_id == case_id)
            .ok_or(StoreError::Refused(Refusal::NoSuchCase(case_id)))?;
        d.notes.push(NoteView {
            seq: 100 + seq,
            at: at(today, seq),
            author: self.user.clone(),
            text: text.into(),
        });
        s.writes.push(Write::Note {
            case_id,
            text: text.into(),
        });
        Ok(seq)
    }

    fn record_outcome(
        &mut self,
        case_id: i64,
        _step: crate::domain::outcome::OutcomeStep,
        _on: chrono::NaiveDate,
    ) -> Result<i64, StoreError> {
        // The fake keeps no outcomes: the console's outcome tests run on the real store.
        self.write_guard()?;
        self.detail(case_id).map(|_| 0)
    }

    fn undo_last(&mut self) -> Result<Option<Undone>, StoreError> {
        self.write_guard()?;
        let last = self.state.borrow_mut().decided.pop();
        let Some((case_id, decision)) = last else {
            return Ok(None);
        };
        let entry = self.history(&self.user, "retract");
        self.set_status(case_id, CaseStatus::Open);
        let household = self.detail(case_id)?.household.pseudonym;
        let mut s = self.state.borrow_mut();
        s.to_sign_by.remove(&case_id);
        push_history(&mut s, case_id, entry);
        s.writes.push(Write::Retract { case_id });
        Ok(Some(Undone {
            case_id,
            household,
            step: crate::domain::queue::UndoneStep::Decision(decision),
        }))
    }

    fn resume_key(&self) -> Result<Option<QueueKey>, StoreError> {
        self.read_guard()?;
        Ok(self.state.borrow().resume)
    }

    fn end_session(&mut self, at_case: Option<i64>) -> Result<(), StoreError> {
        self.write_guard()?;
        self.set_mine(None);
        self.state
            .borrow_mut()
            .writes
            .push(Write::EndSession { at_case });
        Ok(())
    }

    /// The one case the fake holds for the household, with its signals as one month each.
    fn household_story(
        &mut self,
        case_id: i64,
    ) -> Result<crate::domain::household_story::HouseholdStory, StoreError> {
        use crate::domain::household_story::{CreditorTrail, HouseholdStory, StoryCase};
        self.write_guard()?;
        let d = self.detail(case_id)?;
        Ok(HouseholdStory {
            household: d.household.pseudonym.clone(),
            cases: vec![StoryCase {
                case_id,
                opened_on: d.opened_on,
                team: "Noord".into(),
                status: d.status,
                rank: d.ranking.as_ref().and_then(|r| r.rank),
                probability: d.explanation.as_ref().map(|e| e.score),
                decisions: d.history.clone(),
                notes: d.notes.clone(),
                outcome: Vec::new(),
                label: None,
            }],
            creditors: d
                .signals
                .iter()
                .map(|s| CreditorTrail {
                    creditor: s.creditor.clone(),
                    creditor_type: s.creditor_type,
                    months: vec![(
                        chrono::Datelike::with_day(&s.received_on, 1).expect("day 1"),
                        s.amount_cents,
                        s.months_in_arrears.into(),
                    )],
                })
                .collect(),
        })
    }

    fn rescored_since_last_session(&self) -> Result<Option<i64>, StoreError> {
        self.read_guard()?;
        Ok(self.state.borrow().rescored_since)
    }

    /// As the store: a number finds the household, words its creditors' names and its
    /// notes, and for roles that may reveal, its name and address.
    fn search(&mut self, text: &str) -> Result<SearchOutcome, StoreError> {
        self.read_guard()?;
        let terms = SearchTerms::parse(text);
        let reveals = self.role.reveals();
        let mut s = self.state.borrow_mut();
        let mut fields = Vec::new();
        let mut hits = Vec::new();
        for d in &s.details {
            let mut found = |field: SearchField, yes: bool| {
                if yes {
                    fields.push(field);
                    if !hits.contains(&d.case_id) {
                        hits.push(d.case_id);
                    }
                }
            };
            let words_in = |text: &str| {
                let text = text.to_lowercase();
                !terms.words.is_empty() && terms.words.iter().all(|w| text.contains(w.as_str()))
            };
            found(
                SearchField::Pseudonym,
                terms.pseudonyms.contains(&d.household.pseudonym),
            );
            found(
                SearchField::Creditor,
                d.signals.iter().any(|sig| words_in(&sig.creditor)),
            );
            found(
                SearchField::Note,
                d.notes.iter().any(|n| match &n.text {
                    crate::domain::view::Written::Text(t) => words_in(t),
                    _ => false,
                }),
            );
            if reveals && terms.fts_query(MIN_PERSONAL_WORD).is_some() {
                let p = personal_data((d.case_id - 1000) as usize);
                found(SearchField::Name, words_in(&p.name));
                found(SearchField::Address, words_in(&p.address));
            }
        }
        fields.sort();
        fields.dedup();
        s.search_hits = hits;
        Ok(SearchOutcome {
            cases: s.search_hits.len(),
            capped: false,
            fields,
            without_case: 0,
        })
    }

    fn stats(&self, today: chrono::NaiveDate) -> Result<crate::domain::stats::Stats, StoreError> {
        self.read_guard()?;
        self.state.borrow_mut().stats_reads += 1;
        Ok(super::stats::fake_stats(today, &self.user, self.role))
    }
}

impl FakeBackend {
    /// The checks of a second signature, as the store makes them; returns the decision
    /// that waits.
    fn second_signature(&self, case_id: i64) -> Result<Decision, StoreError> {
        if !self.role.signs() {
            return Err(self.forbidden("error.action.sign"));
        }
        self.write_guard()?;
        if self.detail(case_id)?.status != CaseStatus::ToSign {
            return Err(StoreError::Refused(Refusal::NotToSign(
                self.case_ref(case_id),
            )));
        }
        self.refuse_if_held(case_id)?;
        let (by, decision) = self
            .state
            .borrow()
            .to_sign_by
            .get(&case_id)
            .cloned()
            .ok_or_else(|| StoreError::Refused(Refusal::NotToSign(self.case_ref(case_id))))?;
        if by == self.user {
            return Err(StoreError::Refused(Refusal::OwnDecision(
                self.case_ref(case_id),
            )));
        }
        Ok(decision)
    }
}

/// The last `limit` rows, in queue order.
fn tail(rows: Vec<&QueueRow>, limit: usize) -> Vec<QueueRow> {
    let skip = rows.len().saturating_sub(limit);
    rows.into_iter().skip(skip).cloned().collect()
}
