//! Reading a caseload for the fairness audit (`oordeel report fairness`): the cases of the
//! latest scoring run with their protected attributes, outcome and decision. Protected
//! attributes are read here and nowhere near the model (ARCHITECTURE.md, invariants).

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::events::Actor;
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::decision::CaseStatus;
use crate::domain::household::coded_enum;

coded_enum!(
    /// A group attribute the audit can split the caseload by.
    GroupAttribute {
        Gender => "gender",
        AgeBand => "age_band",
        MigrationBackground => "migration_background",
        /// Not protected, but the known proxy for migration background in the demo.
        District => "district",
    }
);

impl GroupAttribute {
    fn column(self) -> &'static str {
        match self {
            GroupAttribute::Gender => "p.gender",
            GroupAttribute::AgeBand => "p.age_band",
            GroupAttribute::MigrationBackground => "p.migration_background",
            GroupAttribute::District => "h.district",
        }
    }
}

/// One scored case as the audit sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditCase {
    pub case_id: i64,
    /// One value per requested attribute, in the order asked; `unknown` where the
    /// household has no protected attributes on record.
    pub groups: Vec<String>,
    /// The demo's hidden truth: `latent_need > 0`; `None` outside the demo.
    pub truly_needed: Option<bool>,
    /// The outcome recorded on the case, if any.
    pub recorded_outcome: Option<bool>,
    pub probability: f64,
    pub rank: i64,
    pub status: CaseStatus,
    /// Drawn into the hidden random arm (`cases.selection = 'random'`).
    pub random: bool,
}

/// What "outcome" means in a fairness audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// The demo's hidden truth: the household truly needed help (latent need > 0).
    Truth,
    /// The outcome recorded on the case (or the `--input` file's outcome column).
    Recorded,
    /// Neither is known: only selection figures mean anything.
    Unavailable,
}

/// The demo's truth where every case has it, else the recorded outcome where every case has
/// one; a mix would compare groups on different yardsticks.
pub fn outcome_kind(cases: &[&AuditCase]) -> OutcomeKind {
    if cases.iter().all(|c| c.truly_needed.is_some()) {
        OutcomeKind::Truth
    } else if cases.iter().all(|c| c.recorded_outcome.is_some()) {
        OutcomeKind::Recorded
    } else {
        OutcomeKind::Unavailable
    }
}

/// The caseload of the latest scoring run, in rank order (best first).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditCaseload {
    pub run: i64,
    pub model_version: i64,
    /// The team the reader is limited to (supervisors), `None` for all teams.
    pub team: Option<String>,
    pub cases: Vec<AuditCase>,
}

impl Store {
    /// The cases of the latest scoring run that `actor` may audit: auditors and admins all
    /// teams, supervisors their own team; reviewers and seniors are refused.
    pub fn fairness_caseload(&self, actor: &Actor, by: &[GroupAttribute]) -> Result<AuditCaseload> {
        require(actor, actor.role.audits(), "error.action.audit")?;
        let (run, model_version): (i64, i64) = self
            .conn
            .cached_row(
                "SELECT id, model_version FROM scoring_runs ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::Refused(Refusal::Empty("error.what.scores")))?;
        let groups: Vec<String> = by
            .iter()
            .map(|a| format!("coalesce({}, 'unknown')", a.column()))
            .collect();
        // The group columns come from the enum above, never from user text.
        let sql = format!(
            "SELECT c.id, s.probability, s.rank, c.status, c.outcome,
                    CASE WHEN t.latent_need IS NULL THEN NULL ELSE t.latent_need > 0 END,
                    c.selection = 'random'
                    {}
             FROM scores s
             JOIN cases c ON c.id = s.case_id
             JOIN households h ON h.id = c.household_id
             LEFT JOIN protected_attributes p ON p.household_id = c.household_id
             LEFT JOIN demo_truth t ON t.household_id = c.household_id
             WHERE s.run_id = ?1 AND (?2 IS NULL OR c.team = ?2)
             ORDER BY s.rank, c.id",
            groups.iter().map(|g| format!(", {g}")).collect::<String>()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![run, actor.team_scope()])?;
        let mut cases = Vec::new();
        while let Some(r) = rows.next()? {
            let case_id: i64 = r.get(0)?;
            let status: String = r.get(3)?;
            let status = CaseStatus::from_code(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("case {case_id}: status `{status}`")))?;
            let mut values = Vec::with_capacity(by.len());
            for i in 0..by.len() {
                values.push(r.get::<_, String>(7 + i)?);
            }
            cases.push(AuditCase {
                case_id,
                groups: values,
                truly_needed: r.get::<_, Option<bool>>(5)?,
                recorded_outcome: r.get::<_, Option<i64>>(4)?.map(|o| o != 0),
                probability: r.get(1)?,
                rank: r.get(2)?,
                status,
                random: r.get(6)?,
            });
        }
        Ok(AuditCaseload {
            run,
            model_version,
            team: actor.team_scope().map(str::to_owned),
            cases,
        })
    }

    /// The demo's simulated reviewers: the `limit` best-ranked open cases of `team` in the
    /// latest ranking, each with the household's hidden latent need. Admins only (the demo
    /// set-up); the truth is never shown to a person or the model.
    pub fn demo_open_cases_with_need(
        &self,
        actor: &Actor,
        team: &str,
        limit: usize,
    ) -> Result<Vec<(i64, f64, bool)>> {
        require(actor, actor.role.administers(), "error.action.manage_data")?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, t.latent_need, c.selection = 'random' FROM cases c
             JOIN demo_truth t ON t.household_id = c.household_id
             WHERE c.team = ?1 AND c.status = 'open' AND c.status != 'closed'
             ORDER BY c.queue_rank, c.id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![team, limit as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The demo's hidden truth beside each current case's features (every case not closed:
    /// decided or not), for measuring a model against what no municipality can know. `None`
    /// outside the demo.
    pub fn for_each_demo_truth(
        &self,
        mut f: impl FnMut(&[crate::domain::view::FeatureValue], bool) -> Result<()>,
    ) -> Result<bool> {
        if !self.is_demo()? {
            return Ok(false);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.features, t.latent_need > 0 FROM cases c
             JOIN demo_truth t ON t.household_id = c.household_id
             WHERE c.status != 'closed' ORDER BY c.id",
        )?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let id: i64 = r.get(0)?;
            let text: String = r.get(1)?;
            let values: Vec<crate::domain::view::FeatureValue> = serde_json::from_str(&text)
                .map_err(|e| StoreError::Corrupt(format!("features of case {id}: {e}")))?;
            f(&values, r.get(2)?)?;
        }
        Ok(true)
    }
}
