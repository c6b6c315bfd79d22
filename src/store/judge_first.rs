//! Judge-first mode (DESIGN §8, automation bias): for a reviewer in it, the queue is read in
//! arrival order without scores, and a case's score and explanation leave the store only
//! after that reviewer has recorded an initial judgment of it (`initial_judgment` event). A
//! decision without one is refused, in the transaction that would write it.
//!
//! A supervisor turns the mode on for a team (settings `judge_first.team.<team>`); a reviewer
//! can turn it on for themselves (`judge_first.user.<name>`), and off again unless their team
//! works judge-first. Each change is a `judge_first_set` event.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::json;

use super::claims::{refuse_if_held, visible_case};
use super::events::{Actor, append, timestamp};
use super::users::require;
use super::{Result, ReviewSession, Store, StoreError};
use crate::domain::decision::CaseStatus;
use crate::domain::event::EventKind;
use crate::domain::judge_first::{InitialJudgment, JudgeFirstScope, JudgeFirstView};

fn team_key(team: &str) -> String {
    format!("judge_first.team.{team}")
}

fn user_key(name: &str) -> String {
    format!("judge_first.user.{name}")
}

/// Refused when the settings row is not what the `judge_first_set` events say.
fn is_on(conn: &Connection, key: &str) -> Result<bool> {
    Ok(super::settings::read(conn, key)?.as_deref() == Some("on"))
}

fn set(conn: &Connection, key: &str, on: bool) -> Result<()> {
    super::settings::put(conn, key, on.then_some("on"))
}

/// Whether judge-first applies to this actor, and why. Only people who decide judge.
pub(super) fn judge_first_in(conn: &Connection, actor: &Actor) -> Result<Option<JudgeFirstScope>> {
    if !actor.role.decides() {
        return Ok(None);
    }
    if let Some(team) = actor.team.as_deref()
        && is_on(conn, &team_key(team))?
    {
        return Ok(Some(JudgeFirstScope::Team));
    }
    Ok(is_on(conn, &user_key(&actor.name))?.then_some(JudgeFirstScope::Own))
}

/// This actor's initial judgment of a case, if they recorded one.
fn initial_judgment_in(
    conn: &Connection,
    actor: &Actor,
    case_id: i64,
) -> Result<Option<InitialJudgment>> {
    let code: Option<String> = conn
        .cached_row(
            "SELECT json_extract(payload, '$.judgment') FROM events
             WHERE case_id = ?1 AND kind = 'initial_judgment' AND actor = ?2
             ORDER BY seq DESC LIMIT 1",
            params![case_id, actor.name],
            |r| r.get(0),
        )
        .optional()?;
    code.map(|c| {
        InitialJudgment::from_code(&c)
            .ok_or_else(|| StoreError::Corrupt(format!("case {case_id}: judgment `{c}`")))
    })
    .transpose()
}

/// Judge-first as it stands for this actor on this case: `None` when the mode is off.
pub(super) fn judge_first_view(
    conn: &Connection,
    actor: &Actor,
    case_id: i64,
) -> Result<Option<JudgeFirstView>> {
    match judge_first_in(conn, actor)? {
        None => Ok(None),
        Some(_) => Ok(Some(JudgeFirstView {
            initial: initial_judgment_in(conn, actor, case_id)?,
        })),
    }
}

/// Refuses a decision the actor has not judged first, when the mode applies to them.
pub(super) fn refuse_unjudged(conn: &Connection, actor: &Actor, case_id: i64) -> Result<()> {
    if judge_first_in(conn, actor)?.is_some()
        && initial_judgment_in(conn, actor, case_id)?.is_none()
    {
        return Err(StoreError::Refused(Refusal::JudgeFirst(
            super::claims::case_ref(conn, case_id)?,
        )));
    }
    Ok(())
}

/// Whether a user or a case belongs to this team.
fn team_exists_in(conn: &Connection, team: &str) -> Result<bool> {
    Ok(conn.cached_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE team = ?1)
             OR EXISTS (SELECT 1 FROM cases WHERE team = ?1)",
        [team],
        |r| r.get(0),
    )?)
}

impl Store {
    /// Whether a user or a case belongs to this team.
    pub fn team_exists(&self, team: &str) -> Result<bool> {
        team_exists_in(&self.conn, team)
    }

    /// Whether judge-first applies to this actor, and why.
    pub fn judge_first(&self, actor: &Actor) -> Result<Option<JudgeFirstScope>> {
        judge_first_in(&self.conn, actor)
    }

    /// Whether a team works judge-first.
    pub fn team_judge_first(&self, team: &str) -> Result<bool> {
        is_on(&self.conn, &team_key(team))
    }

    /// Turns judge-first on or off for a team: a supervisor of that team, or an admin.
    /// Returns whether anything changed; a change is logged as `judge_first_set`.
    pub fn set_team_judge_first(&mut self, actor: &Actor, team: &str, on: bool) -> Result<bool> {
        require(
            actor,
            actor.role.supervises() || actor.role.administers(),
            "error.action.judge_first",
        )?;
        if let Some(mine) = actor.team_scope()
            && mine != team
        {
            return Err(StoreError::Refused(Refusal::OtherTeamSetting {
                asked: team.to_owned(),
                mine: mine.to_owned(),
            }));
        }
        let at = timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        if !team_exists_in(&tx, team)? {
            return Err(StoreError::Refused(Refusal::NoSuchTeam(team.to_owned())));
        }
        let key = team_key(team);
        if is_on(&tx, &key)? == on {
            return Ok(false);
        }
        set(&tx, &key, on)?;
        let payload = json!({ "team": team, "on": on });
        append(&tx, &at, actor, EventKind::JudgeFirstSet, None, &payload)?;
        tx.commit()?;
        Ok(true)
    }
}

impl ReviewSession {
    /// Turns judge-first on or off for this reviewer. Turning it off is refused while their
    /// team works judge-first. Logged as `judge_first_set`.
    pub fn set_own_judge_first(&mut self, on: bool) -> Result<()> {
        let actor = self.actor.clone();
        require(&actor, actor.role.decides(), "error.action.decide")?;
        let at = timestamp(self.store.now());
        let tx = self.store.acting_tx(&actor)?;
        if !on
            && let Some(team) = actor.team.as_deref()
            && is_on(&tx, &team_key(team))?
        {
            return Err(StoreError::Refused(Refusal::JudgeFirstByTeam(
                team.to_owned(),
            )));
        }
        let key = user_key(&actor.name);
        if is_on(&tx, &key)? == on {
            return Ok(());
        }
        set(&tx, &key, on)?;
        let payload = json!({ "user": actor.name, "on": on });
        append(&tx, &at, &actor, EventKind::JudgeFirstSet, None, &payload)?;
        tx.commit()?;
        Ok(())
    }

    /// Records this reviewer's initial judgment of a case they have still to decide, before
    /// they have seen the model's view of it. Once per case: a second is refused. The event
    /// keeps the rank and score the reviewer had not seen, for the oversight report.
    pub fn judge(&mut self, case_id: i64, judgment: InitialJudgment) -> Result<i64> {
        let actor = self.actor.clone();
        require(&actor, actor.role.decides(), "error.action.decide")?;
        let at = timestamp(self.store.now());
        let tx = self.store.acting_tx(&actor)?;
        if judge_first_in(&tx, &actor)?.is_none() {
            return Err(StoreError::Refused(Refusal::NotJudgeFirst));
        }
        let (_, status) = visible_case(&tx, &actor, case_id)?;
        if !matches!(status, CaseStatus::Open | CaseStatus::Deferred) {
            return Err(super::claims::already_decided(
                &tx, &actor, case_id, status,
            )?);
        }
        refuse_if_held(&tx, &actor, case_id, &at)?;
        if let Some(earlier) = initial_judgment_in(&tx, &actor, case_id)? {
            return Err(StoreError::Refused(Refusal::AlreadyJudged {
                case: super::claims::case_ref(&tx, case_id)?,
                judgment: earlier.as_code().to_owned(),
            }));
        }
        let (household, rank, score): (String, Option<i64>, Option<f64>) = tx.cached_row(
            "SELECT h.pseudonym, nullif(c.queue_rank, 9223372036854775807), c.probability
             FROM cases c JOIN households h ON h.id = c.household_id WHERE c.id = ?1",
            [case_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let payload = json!({
            "judgment": judgment.as_code(),
            "household": household,
            "rank": rank,
            "score": score,
        });
        let seq = append(
            &tx,
            &at,
            &actor,
            EventKind::InitialJudgment,
            Some(case_id),
            &payload,
        )?;
        tx.commit()?;
        Ok(seq)
    }

    /// Records that the console asked "are you sure?" about a quick decision.
    pub fn quick_decision_prompt(
        &mut self,
        case_id: i64,
        decision: crate::domain::decision::Decision,
        seconds: f64,
        threshold: f64,
    ) -> Result<i64> {
        let actor = self.actor.clone();
        visible_case(&self.store.conn, &actor, case_id)?;
        let payload = json!({
            "decision": decision.as_code(),
            "seconds": (seconds * 10.0).round() / 10.0,
            "threshold": threshold,
        });
        self.store.record_event(
            &actor,
            EventKind::QuickDecisionPrompt,
            Some(case_id),
            &payload,
        )
    }
}
