//! Reading decisions back for oversight: the rubber-stamp monitor's per-decision facts
//! (`report oversight`) and the list of standing decisions for re-review (`report since`).
//! Auditors and admins read every team; supervisors their own.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::claims::visible_case;
use super::events::{Actor, append, timestamp};
use super::review::STANDING;
use super::users::require;
use super::{Result, ReviewSession, Store, StoreError};
use crate::domain::decision::Decision;
use crate::domain::event::EventKind;
use crate::domain::judge_first::InitialJudgment;

/// Settings key: the median seconds on a case under which a reviewer is flagged.
pub const FLOOR_KEY: &str = "oversight_floor_seconds";

/// Settings key: a decision this many seconds after opening its case asks "are you sure?".
pub const CONFIRM_KEY: &str = "confirm_within_seconds";

#[derive(serde::Deserialize)]
struct ShippedOversight {
    agreement_limit: f64,
    floor_seconds: f64,
    confirm_within_seconds: f64,
}

fn shipped() -> ShippedOversight {
    toml::from_str(include_str!("../../assets/oversight.toml"))
        .expect("assets/oversight.toml is valid (tested)")
}

/// The shipped limits from `assets/oversight.toml`: (agreement limit, floor in seconds).
pub fn shipped_oversight_limits() -> (f64, f64) {
    let s = shipped();
    (s.agreement_limit, s.floor_seconds)
}

/// One decision as the monitor needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionFacts {
    pub reviewer: String,
    pub decision: Decision,
    pub standing: bool,
    /// Rank in the ranking in force when it was taken, and that ranking's cutoff (teams x
    /// capacity, at most the cases ranked); `None` for an unranked case.
    pub rank_and_cutoff: Option<(i64, i64)>,
    /// Seconds from this reviewer's latest `view` of the case to the decision.
    pub seconds_on_case: Option<f64>,
    /// Whether this reviewer opened the case's full explanation before deciding.
    pub explanation_viewed: bool,
    /// This reviewer's initial judgment of the case before the decision (judge-first).
    pub initial: Option<InitialJudgment>,
}

/// A standing decision listed for re-review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionToReview {
    pub event: i64,
    pub case_id: i64,
    pub household: String,
    pub decision: String,
    pub reason: Option<String>,
    pub reviewer: String,
    /// RFC 3339 UTC.
    pub at: String,
    pub model_version: Option<i64>,
    pub rank: Option<i64>,
    pub selection: Option<String>,
}

/// Which standing decisions `report since` lists.
#[derive(Debug, Clone)]
pub enum SinceFilter {
    /// Taken at or after this moment (RFC 3339 UTC).
    Time(String),
    /// Taken under this model version.
    Model(i64),
}

impl Store {
    /// The team an oversight report covers: a supervisor's own (asking for another is
    /// refused), else the one asked for, or all.
    pub fn oversight_team(&self, actor: &Actor, asked: Option<&str>) -> Result<Option<String>> {
        require(actor, actor.role.audits(), "error.action.audit")?;
        match (actor.team_scope(), asked) {
            (Some(mine), Some(other)) if mine != other => {
                Err(StoreError::Refused(Refusal::OtherTeam {
                    asked: other.to_owned(),
                    mine: mine.to_owned(),
                }))
            }
            (Some(mine), _) => Ok(Some(mine.to_owned())),
            (None, asked) => Ok(asked.map(str::to_owned)),
        }
    }

    /// The flag floor in seconds (settings key `oversight_floor_seconds`, else the shipped
    /// default).
    pub fn oversight_floor_seconds(&self) -> Result<f64> {
        self.seconds_setting(FLOOR_KEY, shipped().floor_seconds)
    }

    /// How soon after opening a case a decision asks "are you sure?" (settings key
    /// `confirm_within_seconds`, else the shipped default); 0 never asks.
    pub fn confirm_within_seconds(&self) -> Result<f64> {
        self.seconds_setting(CONFIRM_KEY, shipped().confirm_within_seconds)
    }

    fn seconds_setting(&self, key: &'static str, shipped: f64) -> Result<f64> {
        match self.setting(key)? {
            None => Ok(shipped),
            Some(text) => text
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .ok_or(StoreError::BadSetting { key, value: text }),
        }
    }

    /// Every decision on the team's cases (all teams for `None`) taken at or after `since`,
    /// in log order.
    pub fn decision_facts(
        &self,
        actor: &Actor,
        team: Option<&str>,
        since: Option<&str>,
    ) -> Result<Vec<DecisionFacts>> {
        require(actor, actor.role.audits(), "error.action.audit")?;
        let cutoffs = self.run_cutoffs()?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT d.seq, d.actor, json_extract(d.payload, '$.decision'),
                    json_extract(d.payload, '$.rank'), d.at,
                    EXISTS (SELECT 1 FROM events d2 WHERE d2.seq = d.seq {}),
                    (SELECT v.at FROM events v WHERE v.case_id = d.case_id AND v.kind = 'view'
                       AND v.actor = d.actor AND v.seq < d.seq ORDER BY v.seq DESC LIMIT 1),
                    (SELECT r.id FROM scoring_runs r WHERE r.at <= d.at ORDER BY r.id DESC LIMIT 1),
                    EXISTS (SELECT 1 FROM events x WHERE x.case_id = d.case_id
                              AND x.kind = 'explanation_viewed' AND x.actor = d.actor
                              AND x.seq < d.seq),
                    (SELECT json_extract(j.payload, '$.judgment') FROM events j
                       WHERE j.case_id = d.case_id AND j.kind = 'initial_judgment'
                         AND j.actor = d.actor AND j.seq < d.seq
                       ORDER BY j.seq DESC LIMIT 1)
             FROM events d JOIN cases c ON c.id = d.case_id
             WHERE d.kind = 'decision' AND (?1 IS NULL OR c.team = ?1)
               AND (?2 IS NULL OR d.at >= ?2)
             ORDER BY d.seq",
            STANDING.replace("d.", "d2.")
        ))?;
        let mut rows = stmt.query(params![team, since])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let seq: i64 = r.get(0)?;
            let code: String = r.get(2)?;
            let decision = Decision::from_code(&code)
                .ok_or_else(|| StoreError::Corrupt(format!("event {seq}: decision `{code}`")))?;
            let rank: Option<i64> = r.get(3)?;
            let at: String = r.get(4)?;
            let opened: Option<String> = r.get(6)?;
            let run: Option<i64> = r.get(7)?;
            let cutoff = run.and_then(|id| cutoffs.get(&id).copied());
            let initial: Option<String> = r.get(9)?;
            let initial = initial
                .map(|c| {
                    InitialJudgment::from_code(&c).ok_or_else(|| {
                        StoreError::Corrupt(format!("judgment before event {seq}: `{c}`"))
                    })
                })
                .transpose()?;
            out.push(DecisionFacts {
                reviewer: r.get(1)?,
                decision,
                standing: r.get(5)?,
                rank_and_cutoff: rank.zip(cutoff),
                seconds_on_case: opened.and_then(|o| seconds_between(&o, &at)),
                explanation_viewed: r.get(8)?,
                initial,
            });
        }
        Ok(out)
    }

    /// How often the console asked each reviewer "are you sure?" about a quick decision, on
    /// the team's cases (all teams for `None`) since `since`.
    pub fn quick_prompts(
        &self,
        actor: &Actor,
        team: Option<&str>,
        since: Option<&str>,
    ) -> Result<HashMap<String, usize>> {
        require(actor, actor.role.audits(), "error.action.audit")?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.actor, count(*) FROM events p JOIN cases c ON c.id = p.case_id
             WHERE p.kind = 'quick_decision_prompt' AND (?1 IS NULL OR c.team = ?1)
               AND (?2 IS NULL OR p.at >= ?2)
             GROUP BY p.actor",
        )?;
        let rows = stmt.query_map(params![team, since], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Each scoring run's cutoff: teams ranked x capacity per team, at most the cases ranked.
    pub(super) fn run_cutoffs(&self) -> Result<HashMap<i64, i64>> {
        let capacity = i64::from(self.capacity_per_team()?);
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.cases,
                    (SELECT count(DISTINCT c.team) FROM scores s JOIN cases c ON c.id = s.case_id
                     WHERE s.run_id = r.id)
             FROM scoring_runs r",
        )?;
        let rows = stmt.query_map([], |r| {
            let (id, cases, teams): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            Ok((id, cases.min(teams.saturating_mul(capacity))))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Standing decisions on the team's cases (all for `None`) that `filter` selects, in log
    /// order. A model version never scored is refused, so a typo does not read as "none".
    pub fn decisions_to_review(
        &self,
        actor: &Actor,
        team: Option<&str>,
        filter: &SinceFilter,
    ) -> Result<Vec<DecisionToReview>> {
        require(actor, actor.role.audits(), "error.action.audit")?;
        let (since, version) = match filter {
            SinceFilter::Time(t) => (Some(t.as_str()), None),
            SinceFilter::Model(v) => {
                let known: Option<i64> = self
                    .conn
                    .cached_row(
                        "SELECT version FROM model_versions WHERE version = ?1",
                        [v],
                        |r| r.get(0),
                    )
                    .optional()?;
                if known.is_none() {
                    return Err(StoreError::Refused(Refusal::NoSuchModelVersion(*v)));
                }
                (None, Some(*v))
            }
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT d.seq, d.case_id, json_extract(d.payload, '$.household'),
                    json_extract(d.payload, '$.decision'), json_extract(d.payload, '$.reason'),
                    d.actor, d.at, json_extract(d.payload, '$.model_version'),
                    json_extract(d.payload, '$.rank'), json_extract(d.payload, '$.selection')
             FROM events d JOIN cases c ON c.id = d.case_id
             WHERE d.kind = 'decision' AND (?1 IS NULL OR c.team = ?1)
               AND (?2 IS NULL OR d.at >= ?2)
               AND (?3 IS NULL OR json_extract(d.payload, '$.model_version') = ?3)
               {STANDING}
             ORDER BY d.seq"
        ))?;
        let rows = stmt.query_map(params![team, since, version], |r| {
            Ok(DecisionToReview {
                event: r.get(0)?,
                case_id: r.get(1)?,
                household: r.get(2)?,
                decision: r.get(3)?,
                reason: r.get(4)?,
                reviewer: r.get(5)?,
                at: r.get(6)?,
                model_version: r.get(7)?,
                rank: r.get(8)?,
                selection: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl ReviewSession {
    /// Logs that the full view of a case, with its whole explanation, was opened on this
    /// reviewer's screen (an `explanation_viewed` event), for the rubber-stamp monitor.
    pub fn explanation_viewed(&mut self, case_id: i64) -> Result<i64> {
        let actor = self.actor.clone();
        let at = timestamp(self.store.now());
        let tx = self.store.acting_tx(&actor)?;
        visible_case(&tx, &actor, case_id)?;
        let household: String = tx.cached_row(
            "SELECT h.pseudonym FROM cases c JOIN households h ON h.id = c.household_id
             WHERE c.id = ?1",
            [case_id],
            |r| r.get(0),
        )?;
        let payload = serde_json::json!({ "household": household });
        let seq = append(
            &tx,
            &at,
            &actor,
            EventKind::ExplanationViewed,
            Some(case_id),
            &payload,
        )?;
        tx.commit()?;
        Ok(seq)
    }
}

/// Seconds from `from` to `to` (both RFC 3339); `None` if either does not parse.
fn seconds_between(from: &str, to: &str) -> Option<f64> {
    let from = chrono::DateTime::parse_from_rfc3339(from).ok()?;
    let to = chrono::DateTime::parse_from_rfc3339(to).ok()?;
    Some((to - from).num_microseconds()? as f64 / 1e6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_limits_parse() {
        let (agreement, floor) = shipped_oversight_limits();
        assert!((0.0..=1.0).contains(&agreement));
        assert!(floor > 0.0);
        let confirm = shipped().confirm_within_seconds;
        assert!(
            confirm > 0.0 && confirm <= floor,
            "asks before the flag floor"
        );
    }

    #[test]
    fn seconds_between_counts_microseconds() {
        assert_eq!(
            seconds_between("2026-11-28T10:00:00.000000Z", "2026-11-28T10:00:01.500000Z"),
            Some(1.5)
        );
        assert_eq!(seconds_between("nonsense", "2026-11-28T10:00:00Z"), None);
    }
}
