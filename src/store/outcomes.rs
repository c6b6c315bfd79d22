//! What the outreach found, back on the case: each step an `outcome` event committed with
//! the `outcomes` row it changes and the label (`cases.outcome`) it gives, so `train` can
//! learn from the municipality's own work.
//!
//! Who may record what:
//! - in the console, a reviewer of the case's team on a case accepted (help offered; signed
//!   when the four-eyes rule asked for it): that is the only case of theirs that has an
//!   outreach to report on. A rejected case gets no outcome from a reviewer.
//! - through `outcomes import`, an admin for any decided case, accepted or rejected: the
//!   debt-help system's export is how the outcomes of the hidden random arm come back
//!   whatever the reviewer decided (every arm case gets the standard outreach letter; see
//!   docs/model.md, "The learning loop").

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde_json::{Value, json};

use super::claims::{case_ref, refuse_if_held, visible_case};
use super::events::{Actor, append, timestamp};
use super::review::{ReviewSession, STANDING};
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::decision::CaseStatus;
use crate::domain::event::EventKind;
use crate::domain::outcome::{Outcome, OutcomeStep};

/// An outcome step refused for its case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeRefusal {
    /// The case is not one whose outreach can be reported (open, waiting for a signature,
    /// rejected in the console, or a history case).
    NotForStatus(CaseStatus),
    /// Debts before help was accepted, or "not reached" after debts were known.
    Order(crate::domain::outcome::StepRefusal),
    /// The day lies before the case was opened or after today.
    Day { opened: NaiveDate },
}

impl ReviewSession {
    /// Records a step of the outreach on a case the team accepted, on day `on`. The same
    /// checks as a decision: role, team, someone else's claim.
    pub fn record_outcome(
        &mut self,
        case_id: i64,
        step: OutcomeStep,
        on: NaiveDate,
    ) -> Result<i64> {
        let actor = self.actor.clone();
        let at = timestamp(self.store.now());
        let today = self.store.now().with_timezone(&chrono::Local).date_naive();
        require(&actor, actor.role.decides(), "error.action.decide")?;
        let tx = self.store.acting_tx(&actor)?;
        let (_, status) = visible_case(&tx, &actor, case_id)?;
        if status != CaseStatus::Accepted {
            return Err(StoreError::Refused(Refusal::OutcomeRefused {
                case: case_ref(&tx, case_id)?,
                refusal: OutcomeRefusal::NotForStatus(status),
            }));
        }
        refuse_if_held(&tx, &actor, case_id, &at)?;
        let extra = json!({"source": "console"});
        match write_step(&tx, &at, &actor, case_id, step, on, today, extra)? {
            Written::Recorded { seq, .. } => {
                tx.commit()?;
                Ok(seq)
            }
            // In the console the same step twice is a slip, and says so.
            Written::Known => Err(StoreError::Refused(Refusal::OutcomeRefused {
                case: case_ref(&tx, case_id)?,
                refusal: OutcomeRefusal::Order(crate::domain::outcome::StepRefusal::StageRecorded(
                    step,
                )),
            })),
        }
    }
}

/// The outcome row of a case (none recorded: the default).
pub(super) fn outcome_in(conn: &rusqlite::Connection, case_id: i64) -> Result<Outcome> {
    let row: Option<[Option<String>; 4]> = conn
        .cached_row(
            "SELECT contact, contact_on, debts, debts_on FROM outcomes WHERE case_id = ?1",
            [case_id],
            |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]),
        )
        .optional()?;
    match row {
        Some(columns) => outcome_of_columns(case_id, columns),
        None => Ok(Outcome::default()),
    }
}

/// An `outcomes` row's four columns (contact, its day, debts, their day) as an outcome.
pub(super) fn outcome_of_columns(
    case_id: i64,
    [contact, contact_on, debts, debts_on]: [Option<String>; 4],
) -> Result<Outcome> {
    Ok(Outcome {
        contact: step_on(case_id, contact, contact_on)?,
        debts: step_on(case_id, debts, debts_on)?,
    })
}

fn step_on(
    case_id: i64,
    step: Option<String>,
    on: Option<String>,
) -> Result<Option<(OutcomeStep, NaiveDate)>> {
    match (step, on) {
        (Some(s), Some(d)) => Ok(Some((
            OutcomeStep::from_code(&s)
                .ok_or_else(|| StoreError::Corrupt(format!("case {case_id}: outcome `{s}`")))?,
            super::queue::parse_date(&d)?,
        ))),
        _ => Ok(None),
    }
}

/// What [`write_step`] did.
pub(super) enum Written {
    /// The very step, on the very day, stands already: nothing written.
    Known,
    Recorded {
        seq: i64,
        random_arm: bool,
    },
}

/// Appends one step (checked against what stands) and brings the row and label in step.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_step(
    tx: &rusqlite::Transaction<'_>,
    at: &str,
    actor: &Actor,
    case_id: i64,
    step: OutcomeStep,
    on: NaiveDate,
    today: NaiveDate,
    extra: Value,
) -> Result<Written> {
    let current = outcome_in(tx, case_id)?;
    let standing = match step.stage() {
        crate::domain::outcome::Stage::Contact => current.contact,
        crate::domain::outcome::Stage::Debts => current.debts,
    };
    if standing == Some((step, on)) {
        return Ok(Written::Known);
    }
    let next = current.with(step, on).map_err(|refusal| -> StoreError {
        match case_ref(tx, case_id) {
            Ok(case) => StoreError::Refused(Refusal::OutcomeRefused {
                case,
                refusal: OutcomeRefusal::Order(refusal),
            }),
            Err(e) => e,
        }
    })?;
    // Not before the case existed, not in the future. It may lie before the decision: the
    // debt-help system dates a step when it happened, and a household can come to debt
    // help on its own while its case waits.
    let (opened, household, selection): (String, String, String) = tx.cached_row(
        "SELECT c.opened_on, h.pseudonym, c.selection FROM cases c
         JOIN households h ON h.id = c.household_id WHERE c.id = ?1",
        [case_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let opened = super::queue::parse_date(&opened)?;
    if on < opened || on > today {
        return Err(StoreError::Refused(Refusal::OutcomeRefused {
            case: case_ref(tx, case_id)?,
            refusal: OutcomeRefusal::Day { opened },
        }));
    }
    let mut payload = json!({
        "household": household,
        "step": step.as_code(),
        "stage": step.stage().as_code(),
        "on": on.to_string(),
        "selection": selection,
    });
    if let (Some(fields), Value::Object(more)) = (payload.as_object_mut(), extra) {
        fields.extend(more);
    }
    let seq = append(tx, at, actor, EventKind::Outcome, Some(case_id), &payload)?;
    store_outcome(tx, case_id, &next)?;
    Ok(Written::Recorded {
        seq,
        random_arm: selection == "random",
    })
}

/// Writes the row and the label of a case's outcome.
pub(super) fn store_outcome(tx: &rusqlite::Connection, case_id: i64, o: &Outcome) -> Result<()> {
    if o.contact.is_none() && o.debts.is_none() {
        tx.cached_execute("DELETE FROM outcomes WHERE case_id = ?1", [case_id])?;
    } else {
        let code = |s: Option<(OutcomeStep, NaiveDate)>| s.map(|(s, _)| s.as_code());
        let day = |s: Option<(OutcomeStep, NaiveDate)>| s.map(|(_, d)| d.to_string());
        tx.cached_execute(
            "INSERT INTO outcomes (case_id, contact, contact_on, debts, debts_on)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (case_id) DO UPDATE SET contact = ?2, contact_on = ?3, debts = ?4,
                                                 debts_on = ?5",
            params![
                case_id,
                code(o.contact),
                day(o.contact),
                code(o.debts),
                day(o.debts)
            ],
        )?;
    }
    tx.cached_execute(
        "UPDATE cases SET outcome = ?2 WHERE id = ?1 AND status != 'closed'",
        params![case_id, o.label()],
    )?;
    Ok(())
}

/// The outcome a case's standing `outcome` events give it, in log order: what `verify`
/// compares the row with, and what an undo leaves.
pub(super) fn outcome_from_log(conn: &rusqlite::Connection, case_id: i64) -> Result<Outcome> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT json_extract(d.payload, '$.step'), json_extract(d.payload, '$.on') FROM events d
         WHERE d.case_id = ?1 AND d.kind = 'outcome' {STANDING} ORDER BY d.seq"
    ))?;
    let steps = stmt
        .query_map([case_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<Vec<(Option<String>, Option<String>)>>>()?;
    fold(case_id, steps)
}

/// Folds steps (code, day) in order, as recording them did.
pub(super) fn fold(
    case_id: i64,
    steps: impl IntoIterator<Item = (Option<String>, Option<String>)>,
) -> Result<Outcome> {
    let mut o = Outcome::default();
    for (step, on) in steps {
        let Some((step, on)) = step_on(case_id, step, on)? else {
            continue;
        };
        // A step recorded once was checked then; replaying it the same way cannot refuse it
        // unless the log was edited, and then the fold keeps what stood before.
        o = o.with(step, on).unwrap_or(o);
    }
    Ok(o)
}

/// What an outcomes import did (or would do, on a dry run).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutcomeImportSummary {
    /// Steps recorded, of which on random-arm cases.
    pub recorded: usize,
    pub random_arm: usize,
    /// Steps the database held already (a monthly export repeats the earlier months).
    pub known: usize,
}

/// A row the store refused: its line and why.
pub type OutcomeFault = (u64, StoreError);

impl Store {
    /// Records the debt-help system's outcomes (`outcomes import`), all or nothing: every
    /// row is matched to a decided case (by case number, or by the household's key or
    /// pseudonym: then its latest case decided on or before the row's day) and checked as a
    /// console step is; a row refused anywhere refuses the file, and the faults come back in
    /// the inner `Err`. Accepted and rejected cases alike: this is how the outreach of the
    /// random arm's rejected cases comes back. Logged as one `outcome` event per step and an
    /// `outcomes_imported` event; a dry run writes nothing.
    pub fn import_outcomes(
        &mut self,
        actor: &Actor,
        (file, sha256, profile): (&str, &str, &str),
        rows: &[crate::domain::import::outcomes::OutcomeRow],
        dry_run: bool,
    ) -> Result<std::result::Result<OutcomeImportSummary, Vec<OutcomeFault>>> {
        require(actor, actor.role.administers(), "error.action.manage_data")?;
        let at = timestamp(self.now());
        let today = self.now().with_timezone(&chrono::Local).date_naive();
        let tx = self.acting_tx(actor)?;
        let mut summary = OutcomeImportSummary::default();
        let mut faults = Vec::new();
        for row in rows {
            let case_id = match target_case(&tx, &row.target, row.on) {
                Ok(c) => c,
                Err(e) => {
                    faults.push((row.line, e));
                    continue;
                }
            };
            let extra = json!({ "source": "import", "file": file, "line": row.line });
            match write_step(&tx, &at, actor, case_id, row.step, row.on, today, extra) {
                Ok(Written::Known) => summary.known += 1,
                Ok(Written::Recorded { random_arm, .. }) => {
                    summary.recorded += 1;
                    summary.random_arm += usize::from(random_arm);
                }
                Err(
                    e @ (StoreError::Refused(Refusal::OutcomeRefused { .. })
                    | StoreError::Refused(Refusal::NoSuchCase(_))),
                ) => {
                    faults.push((row.line, e));
                }
                Err(e) => return Err(e),
            }
        }
        if !faults.is_empty() {
            return Ok(Err(faults));
        }
        let payload = json!({
            "file": file,
            "sha256": sha256,
            "profile": profile,
            "rows": rows.len(),
            "recorded": summary.recorded,
            "random_arm": summary.random_arm,
            "known": summary.known,
        });
        append(&tx, &at, actor, EventKind::OutcomesImported, None, &payload)?;
        if !dry_run {
            tx.commit()?;
        }
        Ok(Ok(summary))
    }
}

/// The case a row names: by number, or the household's latest decided case (accepted or
/// rejected) opened on or before `on`.
fn target_case(
    conn: &rusqlite::Connection,
    target: &crate::domain::import::outcomes::OutcomeTarget,
    on: NaiveDate,
) -> Result<i64> {
    use crate::domain::import::outcomes::OutcomeTarget;
    let case_id = match target {
        OutcomeTarget::Case(id) => *id,
        OutcomeTarget::Key(key) => {
            let household: i64 = conn
                .cached_row(
                    "SELECT household_id FROM household_keys WHERE key = ?1
                     UNION ALL SELECT id FROM households WHERE pseudonym = ?1 LIMIT 1",
                    [key],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| StoreError::Refused(Refusal::NoSuchHousehold(key.clone())))?;
            let cases: Vec<(i64, String, String)> = conn
                .prepare_cached(
                    "SELECT id, status, opened_on FROM cases WHERE household_id = ?1
                     ORDER BY opened_on DESC, id DESC",
                )?
                .query_map([household], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let decided = cases.iter().find(|(_, status, opened)| {
                matches!(status.as_str(), "accepted" | "rejected")
                    && opened.as_str() <= on.to_string().as_str()
            });
            // No decided case: the latest, whose status the refusal below names.
            match decided.or(cases.first()) {
                Some((id, ..)) => *id,
                None => return Err(StoreError::Refused(Refusal::NoSuchHousehold(key.clone()))),
            }
        }
    };
    let status: String = conn
        .cached_row("SELECT status FROM cases WHERE id = ?1", [case_id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or(StoreError::Refused(Refusal::NoSuchCase(case_id)))?;
    let status = CaseStatus::from_code(&status)
        .ok_or_else(|| StoreError::Corrupt(format!("case {case_id}: status `{status}`")))?;
    if !matches!(status, CaseStatus::Accepted | CaseStatus::Rejected) {
        return Err(StoreError::Refused(Refusal::OutcomeRefused {
            case: case_ref(conn, case_id)?,
            refusal: OutcomeRefusal::NotForStatus(status),
        }));
    }
    Ok(case_id)
}

/// What the learning loop has seen so far, for the fairness report: how many random-arm
/// cases have an observed outcome, and what became of rejected households.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct LoopFacts {
    /// Random-arm cases (not history), decided, with a label.
    pub arm_cases: usize,
    pub arm_decided: usize,
    pub arm_labelled: usize,
    /// Standing rejections, and of them the households with a new signal within six months
    /// after the rejection (the *opeenvolgend* window).
    pub rejected: usize,
    pub rejected_returned: usize,
}

impl Store {
    /// [`LoopFacts`] over the actor's team (every team for those who see all).
    pub fn loop_facts(&self, actor: &Actor) -> Result<LoopFacts> {
        let team = actor.team_scope();
        let (arm_cases, arm_decided, arm_labelled): (i64, i64, i64) = self.conn.cached_row(
            "SELECT count(*), coalesce(sum(status IN ('accepted', 'rejected')), 0),
                    coalesce(sum(outcome IS NOT NULL), 0)
             FROM cases WHERE selection = 'random' AND status != 'closed'
               AND (?1 IS NULL OR team = ?1)",
            [team],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let months = format!("+{} months", crate::domain::outcome::RETURN_WINDOW_MONTHS);
        let (rejected, returned): (i64, i64) = self.conn.cached_row(
            &format!(
                "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM signals s
                            WHERE s.household_id = c.household_id
                              AND s.received_on > substr(d.at, 1, 10)
                              AND s.received_on <= date(substr(d.at, 1, 10), ?2))), 0)
                 FROM cases c JOIN events d ON d.case_id = c.id AND d.kind = 'decision'
                 WHERE c.status = 'rejected' AND (?1 IS NULL OR c.team = ?1)
                   AND json_extract(d.payload, '$.decision') = 'reject' {STANDING}"
            ),
            params![team, months],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let n = |v: i64| usize::try_from(v).unwrap_or(0);
        Ok(LoopFacts {
            arm_cases: n(arm_cases),
            arm_decided: n(arm_decided),
            arm_labelled: n(arm_labelled),
            rejected: n(rejected),
            rejected_returned: n(returned),
        })
    }
}
