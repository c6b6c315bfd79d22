//! What the Algoritmeregister entry says about the running system, read in one place.

use crate::store::cached::CachedSql;
use rusqlite::OptionalExtension;

use super::events::Actor;
use super::models::ModelVersion;
use super::{Result, Store};

/// The raw facts behind `oordeel register export` (see `oversight::register::Facts`).
pub struct RegisterRows {
    /// The model version of the latest scoring run: the one that ranks the queue.
    pub in_use: Option<ModelVersion>,
    /// `(name, description, source)` of each documented model feature, in the caseload's
    /// feature order; undocumented features are listed with empty texts.
    pub features: Vec<(String, String, String)>,
    /// When an approved version first ranked the queue (RFC 3339).
    pub in_use_since: Option<String>,
    /// Whether this is the demo caseload (a `demo_created` event exists).
    pub is_demo: bool,
}

impl Store {
    /// Roles that read the oversight reports (auditors, supervisors, admins).
    pub fn register_rows(&self, actor: &Actor) -> Result<RegisterRows> {
        super::users::require(actor, actor.role.audits(), "error.action.audit")?;
        let in_use = match self.latest_run()? {
            Some((_, version, _)) => Some(self.model_version(version)?),
            None => None,
        };
        let mut features = Vec::new();
        let names = self.feature_list().unwrap_or_default();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT description, source FROM feature_metadata WHERE name = ?1")?;
        for (name, _) in names {
            let (description, source) = stmt
                .query_row([&name], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .unwrap_or_default();
            features.push((name, description, source));
        }
        let in_use_since = self.conn.cached_row(
            "SELECT min(r.at) FROM scoring_runs r
             JOIN model_versions m ON m.version = r.model_version
             WHERE m.approved_by IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        let is_demo = self.is_demo()?;
        Ok(RegisterRows {
            in_use,
            features,
            in_use_since,
            is_demo,
        })
    }

    /// The municipality `oordeel init` named, as its settings hold it.
    pub fn municipality(&self) -> Result<Option<String>> {
        super::settings::read(&self.conn, "municipality")
    }

    /// Whether this is the demo caseload: `oordeel demo` logged a `demo_created` event.
    pub fn is_demo(&self) -> Result<bool> {
        Ok(self.conn.cached_row(
            "SELECT EXISTS (SELECT 1 FROM events WHERE kind = 'demo_created')",
            [],
            |r| r.get(0),
        )?)
    }
}
