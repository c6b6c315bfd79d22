//! A reviewer's session: decisions, notes and undo, each one event committed together with
//! the case state it changes.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use chrono::{Local, TimeZone};
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::claims::{ClaimState, OpenedCase, refuse_if_held, visible_case};
use super::events::{Actor, append, timestamp};
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::decision::{CaseStatus, Decision};
use crate::domain::event::EventKind;
use crate::domain::four_eyes::{CaseFacts, FourEyesRules};
use crate::domain::household::CreditorType;
use crate::domain::outcome::OutcomeStep;
use crate::domain::queue::{Imported, QueueBasis, QueueKey, QueueSummary, Undone, UndoneStep};

/// What a decision records about its case: pseudonym, rank, score, selection, and what the
/// four-eyes rule needs: household and case month.
type CaseForDecision = (String, Option<i64>, Option<f64>, String, i64, String);

/// An open review session of one reviewer; started and ended with an event.
pub struct ReviewSession {
    pub(super) store: Store,
    pub(super) actor: Actor,
}

impl Store {
    /// The four-eyes rule of this database (settings key `four_eyes`).
    pub fn four_eyes_rules(&self) -> Result<FourEyesRules> {
        four_eyes_in(&self.conn)
    }
}

fn four_eyes_in(conn: &rusqlite::Connection) -> Result<FourEyesRules> {
    match super::settings::read(conn, "four_eyes")? {
        Some(text) => FourEyesRules::parse(&text).map_err(StoreError::FourEyes),
        None => Ok(FourEyesRules { rule: Vec::new() }),
    }
}

impl ReviewSession {
    /// Starts a session (logs `session_start`).
    pub fn start(mut store: Store, actor: Actor) -> Result<ReviewSession> {
        let payload = json!({ "pid": std::process::id() });
        store.record_event(&actor, EventKind::SessionStart, None, &payload)?;
        Ok(ReviewSession { store, actor })
    }

    /// Starts a session of a simulated reviewer (the demo's `--reviewed`): an ordinary
    /// session whose `session_start` says `simulated` and how it decides, so an auditor can
    /// tell its decisions from people's.
    pub fn start_simulated(
        mut store: Store,
        actor: Actor,
        policy: serde_json::Value,
    ) -> Result<ReviewSession> {
        let payload = json!({ "pid": std::process::id(), "simulated": policy });
        store.record_event(&actor, EventKind::SessionStart, None, &payload)?;
        Ok(ReviewSession { store, actor })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Opens a case on this reviewer's screen: a view event, and a claim when it is theirs
    /// to decide or sign.
    pub fn open_case(&mut self, case_id: i64) -> Result<OpenedCase> {
        self.store.open_case(&self.actor, case_id)
    }

    /// Keeps the claim on the case on screen alive.
    pub fn renew_claim(&mut self, case_id: i64) -> Result<ClaimState> {
        self.store.renew_claim(&self.actor, case_id)
    }

    /// Frees this reviewer's claims while the session goes on (no case left on screen).
    pub fn release_claims(&mut self) -> Result<()> {
        self.store.release_claims(&self.actor)
    }

    pub fn summary(&self) -> Result<QueueSummary> {
        let s = &self.store;
        let start_of_day = Local
            .from_local_datetime(
                &s.now()
                    .with_timezone(&Local)
                    .date_naive()
                    .and_hms_opt(0, 0, 0)
                    .expect("midnight"),
            )
            .earliest()
            .map(|t| timestamp(t.with_timezone(&chrono::Utc)))
            .unwrap_or_default();
        let decided_today: i64 = s.conn.cached_row(
            // The seq bound lets the per-actor index start at today's first decision instead
            // of walking every decision the reviewer ever made (events are appended in time
            // order, so the first decision at or after midnight bounds today's).
            "SELECT count(*) FROM events d WHERE d.actor = ?1 AND d.kind = 'decision' AND d.at >= ?2
               AND d.seq >= (SELECT coalesce((SELECT seq FROM events WHERE kind = 'decision'
                                               AND at >= ?2 ORDER BY at, seq LIMIT 1),
                                              9223372036854775807))
               AND NOT EXISTS (SELECT 1 FROM events r WHERE r.case_id = d.case_id
                                 AND r.kind IN ('retract', 'sent_back')
                                 AND json_extract(r.payload, '$.retracts') = d.seq)",
            params![self.actor.name, start_of_day],
            |r| r.get(0),
        )?;
        Ok(QueueSummary {
            team: self.actor.team_scope().map(str::to_owned),
            to_sign: s.count_status(&self.actor, CaseStatus::ToSign)?,
            caseload: s.setting("caseload_title")?.unwrap_or_default(),
            model_version: s.latest_run()?.map(|(_, v, _)| v),
            open: s.count_status(&self.actor, CaseStatus::Open)?,
            decided_today,
            halt: s.halt_notice()?,
            judge_first: s.judge_first(&self.actor)?,
            imported: s.conn.cached_row(
                "SELECT EXISTS (SELECT 1 FROM cases), EXISTS (SELECT 1 FROM households)",
                [],
                |r| {
                    Ok(match (r.get(0)?, r.get(1)?) {
                        (true, _) => Imported::Cases,
                        (false, true) => Imported::Households,
                        (false, false) => Imported::Nothing,
                    })
                },
            )?,
            drift_run: if self.actor.role.supervises() || self.actor.role.administers() {
                s.latest_drift()?
                    .filter(|(_, d)| d.level == crate::domain::drift::DriftLevel::Significant)
                    .map(|(run, _)| run)
            } else {
                None
            },
        })
    }

    /// What this reviewer's queue order rests on (see [`QueueBasis`]): a handful of indexed
    /// reads, done only after another process wrote to the database.
    pub fn queue_basis(&self) -> Result<QueueBasis> {
        let s = &self.store;
        Ok(QueueBasis {
            halt: s.halt_notice()?,
            run: s.latest_run()?.map(|(run, _, _)| run),
            judge_first: s.judge_first(&self.actor)?,
            reassigned: s.conn.cached_row(
                "SELECT max(seq) FROM events WHERE kind = 'reassigned'",
                [],
                |r| r.get(0),
            )?,
        })
    }

    /// Records a decision on an open (or deferred) case of the reviewer's team. Refused when
    /// the case is decided already or someone else holds it, checked in the transaction that
    /// writes the decision, so no race yields two decisions. A decision the four-eyes rule
    /// catches leaves the case waiting for a second signature.
    pub fn decide(
        &mut self,
        case_id: i64,
        decision: Decision,
        reason: Option<&str>,
    ) -> Result<i64> {
        self.decide_noted(case_id, decision, reason, None)
    }

    /// Whether a decision on the case would be refused now, and why: the checks [`decide`]
    /// makes (role, team, status, someone else's claim, one's own judgment first), without
    /// writing. The console asks before "are you sure?", so no prompt is shown (and logged)
    /// for a decision that could never be made; `decide` checks again in its transaction.
    ///
    /// [`decide`]: ReviewSession::decide
    pub fn may_decide(&self, case_id: i64) -> Result<()> {
        let at = timestamp(self.store.now());
        refuse_decision(&self.store.conn, &self.actor, case_id, &at).map(|_| ())
    }

    /// A decision with a note written in the same transaction (the note first): how a
    /// rejection for a reason that needs one ("other") is made. Without a note such a
    /// rejection is refused.
    pub fn decide_noted(
        &mut self,
        case_id: i64,
        decision: Decision,
        reason: Option<&str>,
        note: Option<&str>,
    ) -> Result<i64> {
        let actor = self.actor.clone();
        let note = note.map(str::trim_end).filter(|n| !n.trim().is_empty());
        let at = timestamp(self.store.now());
        let tx = self.store.acting_tx(&actor)?;
        // Read and write in one IMMEDIATE transaction: no other writer can slip in between,
        // not even one changing the four-eyes rule.
        let rules = four_eyes_in(&tx)?;
        refuse_decision(&tx, &actor, case_id, &at)?;
        if let Some(code) = reason
            && crate::domain::decision::reason_needs_note(code)
            && note.is_none()
        {
            return Err(StoreError::Refused(Refusal::NoteRequired(code.to_owned())));
        }
        let (household, rank, score, selection, household_id, opened_on): CaseForDecision = tx
            .cached_row(
                "SELECT h.pseudonym, nullif(c.queue_rank, 9223372036854775807),
                        c.probability, c.selection, c.household_id, c.opened_on
                 FROM cases c JOIN households h ON h.id = c.household_id WHERE c.id = ?1",
                [case_id],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )?;
        if let Some(text) = note {
            let payload = json!({ "text": text, "household": household });
            append(&tx, &at, &actor, EventKind::Note, Some(case_id), &payload)?;
        }
        let run: Option<(i64, i64)> = tx
            .cached_row(
                "SELECT model_version, cases FROM scoring_runs ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let facts = CaseFacts {
            rank: rank.zip(run.map(|(_, n)| n)),
            threats: threats_of(&tx, household_id, &opened_on)?,
        };
        let four_eyes = rules.requires(decision, &facts);
        let payload = json!({
            "decision": decision.as_code(),
            "reason": reason,
            "household": household,
            "model_version": run.map(|(v, _)| v),
            "score": score,
            "rank": rank,
            "selection": selection,
            "four_eyes": four_eyes,
        });
        let seq = append(
            &tx,
            &at,
            &actor,
            EventKind::Decision,
            Some(case_id),
            &payload,
        )?;
        let status = if four_eyes.is_some() {
            CaseStatus::ToSign
        } else {
            decision.status()
        };
        settle(&tx, case_id, status)?;
        tx.commit()?;
        Ok(seq)
    }

    pub fn note(&mut self, case_id: i64, text: &str) -> Result<i64> {
        let at = timestamp(self.store.now());
        let actor = self.actor.clone();
        let allowed = actor.role.decides() || actor.role.supervises();
        require(&actor, allowed, "error.action.decide")?;
        let tx = self.store.acting_tx(&actor)?;
        visible_case(&tx, &actor, case_id)?;
        let household: String = tx
            .cached_row(
                "SELECT h.pseudonym FROM cases c JOIN households h ON h.id = c.household_id WHERE c.id = ?1",
                [case_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::Refused(Refusal::NoSuchCase(case_id)))?;
        let payload = json!({ "text": text, "household": household });
        let seq = append(&tx, &at, &actor, EventKind::Note, Some(case_id), &payload)?;
        tx.commit()?;
        Ok(seq)
    }

    /// Retracts this reviewer's latest judgment that still stands: an outcome step recorded
    /// since their last decision (the case keeps its decision), else that decision (the case
    /// reopens; refused while the case has an outcome, which rests on it).
    pub fn undo_last(&mut self) -> Result<Option<Undone>> {
        let at = timestamp(self.store.now());
        let actor = self.actor.clone();
        let tx = self.store.acting_tx(&actor)?;
        // Decisions and outcome steps alike: the newest of this reviewer's that still stands.
        let last: Option<(i64, i64, String, String, String)> = tx
            .cached_row(
                &format!(
                    "SELECT d.seq, d.case_id, d.kind,
                            coalesce(json_extract(d.payload, '$.decision'),
                                     json_extract(d.payload, '$.step')),
                            json_extract(d.payload, '$.household')
                     FROM events d WHERE d.actor = ?1 AND d.kind IN ('decision', 'outcome')
                       {STANDING}
                     ORDER BY d.seq DESC LIMIT 1"
                ),
                [&actor.name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((seq, case_id, kind, code, household)) = last else {
            return Ok(None);
        };
        let corrupt = || StoreError::Corrupt(format!("event {seq}: {kind} `{code}`"));
        let step = if kind == "outcome" {
            UndoneStep::Outcome(OutcomeStep::from_code(&code).ok_or_else(corrupt)?)
        } else {
            UndoneStep::Decision(Decision::from_code(&code).ok_or_else(corrupt)?)
        };
        // What the outreach found rests on the decision: it cannot be taken back under it.
        if matches!(step, UndoneStep::Decision(_))
            && super::outcomes::outcome_from_log(&tx, case_id)? != Default::default()
        {
            return Err(StoreError::Refused(Refusal::OutcomeRecorded(
                super::claims::case_ref(&tx, case_id)?,
            )));
        }
        let what = if kind == "outcome" {
            "outcome"
        } else {
            "decision"
        };
        let payload = json!({ "retracts": seq, what: code, "household": household });
        append(
            &tx,
            &at,
            &actor,
            EventKind::Retract,
            Some(case_id),
            &payload,
        )?;
        // The case goes back to what its standing events give it: the decision before (a
        // deferral) or open, and the outcome steps that remain.
        settle(&tx, case_id, standing_status(&tx, case_id)?)?;
        let outcome = super::outcomes::outcome_from_log(&tx, case_id)?;
        super::outcomes::store_outcome(&tx, case_id, &outcome)?;
        tx.commit()?;
        Ok(Some(Undone {
            case_id,
            household,
            step,
        }))
    }

    /// Where this reviewer's last session ended.
    pub fn resume_key(&self) -> Result<Option<QueueKey>> {
        let case: Option<Option<i64>> = self
            .store
            .conn
            .cached_row(
                "SELECT json_extract(payload, '$.at_case') FROM events
                 WHERE actor = ?1 AND kind = 'session_end' ORDER BY seq DESC LIMIT 1",
                [&self.actor.name],
                |r| r.get(0),
            )
            .optional()?;
        match case.flatten() {
            Some(id) => self.store.queue_key(&self.actor, id, false),
            None => Ok(None),
        }
    }

    /// The scoring run that ranked the queue again after this reviewer's last session ended,
    /// if one did: the console then says so, instead of reopening mid-queue in silence.
    pub fn rescored_since_last_session(&self) -> Result<Option<i64>> {
        Ok(self
            .store
            .conn
            .cached_row(
                "SELECT json_extract(s.payload, '$.run') FROM events s
             WHERE s.kind = 'scored' AND s.seq > (
                 SELECT seq FROM events WHERE actor = ?1 AND kind = 'session_end'
                 ORDER BY seq DESC LIMIT 1)
             ORDER BY s.seq DESC LIMIT 1",
                [&self.actor.name],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Ends the session (logs `session_end` with where it stopped).
    /// Frees the claims and logs the end in one transaction: a process killed halfway
    /// leaves both undone (the lease then lapses) rather than one.
    pub fn end(&mut self, at_case: Option<i64>) -> Result<()> {
        let actor = self.actor.clone();
        let at = timestamp(self.store.now());
        let tx = self.store.write_tx()?;
        tx.cached_execute("DELETE FROM claims WHERE holder = ?1", [&actor.name])?;
        let payload = json!({ "at_case": at_case });
        append(&tx, &at, &actor, EventKind::SessionEnd, None, &payload)?;
        tx.commit()?;
        Ok(())
    }
}

/// The refusals of a decision on `case_id` by `actor` at time `at`, in the order a reader
/// should hear them: may they decide at all, is it their team's, is it still open (a
/// deferred case is postponed, not settled), does someone else hold it, and in judge-first
/// mode did they judge it first. Returns the case's status.
fn refuse_decision(
    conn: &rusqlite::Connection,
    actor: &Actor,
    case_id: i64,
    at: &str,
) -> Result<CaseStatus> {
    require(actor, actor.role.decides(), "error.action.decide")?;
    let (_, status) = visible_case(conn, actor, case_id)?;
    if !matches!(status, CaseStatus::Open | CaseStatus::Deferred) {
        return Err(super::claims::already_decided(
            conn, actor, case_id, status,
        )?);
    }
    refuse_if_held(conn, actor, case_id, at)?;
    super::judge_first::refuse_unjudged(conn, actor, case_id)?;
    Ok(status)
}

/// SQL condition on a decision event `d`: no retraction or send-back has undone it.
pub(super) const STANDING: &str =
    "AND NOT EXISTS (SELECT 1 FROM events r WHERE r.case_id = d.case_id
     AND r.kind IN ('retract', 'sent_back') AND json_extract(r.payload, '$.retracts') = d.seq)";

/// The status a case's events give it: the latest decision that still stands (waiting for
/// its second signature if the four-eyes rule caught it and none came yet), else open.
/// `verify` replays the same rule over the whole log (`events::first_state_mismatch`).
pub(super) fn standing_status(conn: &rusqlite::Connection, case_id: i64) -> Result<CaseStatus> {
    let row: Option<(String, bool)> = conn
        .cached_row(
            &format!(
                "SELECT json_extract(d.payload, '$.decision'),
                        json_extract(d.payload, '$.four_eyes') IS NOT NULL
                          AND NOT EXISTS (SELECT 1 FROM events s WHERE s.case_id = d.case_id
                              AND s.kind = 'signed' AND json_extract(s.payload, '$.signs') = d.seq)
                 FROM events d WHERE d.case_id = ?1 AND d.kind = 'decision' {STANDING}
                 ORDER BY d.seq DESC LIMIT 1"
            ),
            [case_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        None => Ok(CaseStatus::Open),
        Some((_, true)) => Ok(CaseStatus::ToSign),
        Some((code, false)) => Decision::from_code(&code)
            .map(|d| d.status())
            .ok_or_else(|| StoreError::Corrupt(format!("case {case_id}: decision `{code}`"))),
    }
}

/// Sets the status a judgment gives a case and frees its claim: whoever is next (a senior
/// to sign, a reviewer after a send-back) can take it at once. Inside the judgment's
/// transaction, so the status never disagrees with the event just appended.
pub(super) fn settle(
    tx: &rusqlite::Transaction<'_>,
    case_id: i64,
    status: CaseStatus,
) -> Result<()> {
    tx.cached_execute(
        "UPDATE cases SET status = ?2 WHERE id = ?1",
        params![case_id, status.as_code()],
    )?;
    tx.cached_execute("DELETE FROM claims WHERE case_id = ?1", [case_id])?;
    Ok(())
}

/// Creditor kinds whose signals in the case's month threaten eviction or cut-off.
fn threats_of(
    conn: &rusqlite::Connection,
    household_id: i64,
    opened_on: &str,
) -> Result<Vec<CreditorType>> {
    let opened = super::queue::parse_date(opened_on)?;
    let start = super::queue::month_start(opened);
    let end = start + chrono::Months::new(1);
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT creditor_type FROM signals
         WHERE household_id = ?1 AND threat = 1 AND received_on >= ?2 AND received_on < ?3",
    )?;
    let codes = stmt.query_map(
        params![household_id, start.to_string(), end.to_string()],
        |r| r.get::<_, String>(0),
    )?;
    let mut out = Vec::new();
    for code in codes {
        let code = code?;
        out.push(
            CreditorType::from_code(&code)
                .ok_or_else(|| StoreError::Corrupt(format!("creditor type `{code}`")))?,
        );
    }
    Ok(out)
}
