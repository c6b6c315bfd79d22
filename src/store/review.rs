//! A reviewer's session: decisions, notes and undo, each one event committed together with
//! the case state it changes.

use chrono::{Local, TimeZone};
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::events::{Actor, append, timestamp};
use super::{Result, Store, StoreError};
use crate::domain::decision::{CaseStatus, Decision};
use crate::domain::event::EventKind;
use crate::domain::queue::{QueueKey, QueueSummary, Undone};

/// What a decision records about its case: status, pseudonym, rank, score, selection.
type CaseForDecision = (String, String, Option<i64>, Option<f64>, String);

/// An open review session of one reviewer; started and ended with an event.
pub struct ReviewSession {
    store: Store,
    actor: Actor,
}

impl ReviewSession {
    /// Starts a session (logs `session_start`).
    pub fn start(mut store: Store, actor: Actor) -> Result<ReviewSession> {
        let payload = json!({ "pid": std::process::id() });
        store.record_event(&actor, EventKind::SessionStart, None, &payload)?;
        Ok(ReviewSession { store, actor })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
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
        let decided_today: i64 = s.conn.query_row(
            "SELECT count(*) FROM events d WHERE d.actor = ?1 AND d.kind = 'decision' AND d.at >= ?2
               AND NOT EXISTS (SELECT 1 FROM events r WHERE r.actor = ?1 AND r.kind = 'retract'
                                 AND json_extract(r.payload, '$.retracts') = d.seq)",
            params![self.actor.name, start_of_day],
            |r| r.get(0),
        )?;
        Ok(QueueSummary {
            caseload: s.setting("caseload_title")?.unwrap_or_default(),
            model_version: s.latest_run()?.map(|(_, v, _)| v),
            open: s.count_open()?,
            decided_today,
        })
    }

    /// Records a decision on an open case; refused when it is decided already.
    pub fn decide(
        &mut self,
        case_id: i64,
        decision: Decision,
        reason: Option<&str>,
    ) -> Result<i64> {
        let at = timestamp(self.store.now());
        let actor = self.actor.clone();
        let tx = self.store.write_tx()?;
        // Read and write in one IMMEDIATE transaction: no other writer can slip in between.
        let row: Option<CaseForDecision> = tx
            .query_row(
                "SELECT c.status, h.pseudonym, nullif(c.queue_rank, 9223372036854775807),
                        c.probability, c.selection
                 FROM cases c JOIN households h ON h.id = c.household_id WHERE c.id = ?1",
                [case_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let (status, household, rank, score, selection) =
            row.ok_or(StoreError::NoSuchCase(case_id))?;
        // A deferred case is postponed, not settled: it can be decided later.
        let open = [CaseStatus::Open.as_code(), CaseStatus::Deferred.as_code()];
        if !open.contains(&status.as_str()) {
            return Err(StoreError::AlreadyDecided { case_id, status });
        }
        let model_version: Option<i64> = tx
            .query_row(
                "SELECT model_version FROM scoring_runs ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        let payload = json!({
            "decision": decision.as_code(),
            "reason": reason,
            "household": household,
            "model_version": model_version,
            "score": score,
            "rank": rank,
            "selection": selection,
        });
        let seq = append(
            &tx,
            &at,
            &actor,
            EventKind::Decision,
            Some(case_id),
            &payload,
        )?;
        tx.execute(
            "UPDATE cases SET status = ?2 WHERE id = ?1",
            params![case_id, decision.status().as_code()],
        )?;
        tx.commit()?;
        Ok(seq)
    }

    pub fn note(&mut self, case_id: i64, text: &str) -> Result<i64> {
        let at = timestamp(self.store.now());
        let actor = self.actor.clone();
        let tx = self.store.write_tx()?;
        let household: String = tx
            .query_row(
                "SELECT h.pseudonym FROM cases c JOIN households h ON h.id = c.household_id WHERE c.id = ?1",
                [case_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(StoreError::NoSuchCase(case_id))?;
        let payload = json!({ "text": text, "household": household });
        let seq = append(&tx, &at, &actor, EventKind::Note, Some(case_id), &payload)?;
        tx.commit()?;
        Ok(seq)
    }

    /// Retracts this reviewer's latest decision that still stands; the case reopens.
    pub fn undo_last(&mut self) -> Result<Option<Undone>> {
        let at = timestamp(self.store.now());
        let actor = self.actor.clone();
        let tx = self.store.write_tx()?;
        let last: Option<(i64, i64, String, String)> = tx
            .query_row(
                "SELECT d.seq, d.case_id, json_extract(d.payload, '$.decision'),
                        json_extract(d.payload, '$.household')
                 FROM events d WHERE d.actor = ?1 AND d.kind = 'decision'
                   AND NOT EXISTS (SELECT 1 FROM events r WHERE r.kind = 'retract'
                                     AND json_extract(r.payload, '$.retracts') = d.seq)
                 ORDER BY d.seq DESC LIMIT 1",
                [&actor.name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((decision_seq, case_id, decision, household)) = last else {
            return Ok(None);
        };
        let decision = Decision::from_code(&decision).ok_or_else(|| {
            StoreError::Corrupt(format!("event {decision_seq}: decision `{decision}`"))
        })?;
        let payload = json!({ "retracts": decision_seq, "decision": decision.as_code(), "household": household });
        append(
            &tx,
            &at,
            &actor,
            EventKind::Retract,
            Some(case_id),
            &payload,
        )?;
        // The case goes back to the decision that stood before (a deferral), else open.
        let status = standing_decision(&tx, case_id)?
            .map(|d| d.status())
            .unwrap_or(CaseStatus::Open);
        tx.execute(
            "UPDATE cases SET status = ?2 WHERE id = ?1",
            params![case_id, status.as_code()],
        )?;
        tx.commit()?;
        Ok(Some(Undone {
            case_id,
            household,
            decision,
        }))
    }

    /// Where this reviewer's last session ended.
    pub fn resume_key(&self) -> Result<Option<QueueKey>> {
        let case: Option<Option<i64>> = self
            .store
            .conn
            .query_row(
                "SELECT json_extract(payload, '$.at_case') FROM events
                 WHERE actor = ?1 AND kind = 'session_end' ORDER BY seq DESC LIMIT 1",
                [&self.actor.name],
                |r| r.get(0),
            )
            .optional()?;
        match case.flatten() {
            Some(id) => self.store.queue_key(id),
            None => Ok(None),
        }
    }

    /// Ends the session (logs `session_end` with where it stopped).
    pub fn end(&mut self, at_case: Option<i64>) -> Result<()> {
        let actor = self.actor.clone();
        self.store.record_event(
            &actor,
            EventKind::SessionEnd,
            None,
            &json!({ "at_case": at_case }),
        )?;
        Ok(())
    }
}

/// The latest decision on a case that no retraction has undone, if any.
fn standing_decision(conn: &rusqlite::Connection, case_id: i64) -> Result<Option<Decision>> {
    let code: Option<String> = conn
        .query_row(
            "SELECT json_extract(d.payload, '$.decision') FROM events d
             WHERE d.case_id = ?1 AND d.kind = 'decision'
               AND NOT EXISTS (SELECT 1 FROM events r WHERE r.case_id = ?1 AND r.kind = 'retract'
                                 AND json_extract(r.payload, '$.retracts') = d.seq)
             ORDER BY d.seq DESC LIMIT 1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?;
    code.map(|c| {
        Decision::from_code(&c)
            .ok_or_else(|| StoreError::Corrupt(format!("case {case_id}: decision `{c}`")))
    })
    .transpose()
}
