//! The model registry: every version with its approval, and the record of one case's score
//! that `explain` reproduces.
//!
//! Approval is a second person's signature on an exact model: the event records the hash of
//! the stored specification, the training data and the features, and scoring counts a version
//! as approved only when that event is in the log (setting `approved_by` by hand is not
//! enough).

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use std::collections::HashMap;

use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::events::{Actor, append, timestamp};
use super::models::decode_contributions;
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::event::EventKind;
use crate::domain::feature_hash::spec_hash;
use crate::domain::view::FeatureValue;

/// What the `model_approved` event of a version says.
#[derive(Debug, Clone, PartialEq)]
pub struct Approval {
    pub version: i64,
    pub by: String,
    pub at: String,
    /// SHA-256 of the specification as it was when approved.
    pub spec_hash: String,
    /// Approved by its own trainer when the demo was set up (never in a real deployment).
    pub demo_shortcut: bool,
}

/// A case's latest stored score, with the case's features as they are now.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedScore {
    pub run_id: i64,
    pub model_version: i64,
    pub logit: f64,
    pub probability: f64,
    /// In the model's feature order.
    pub contributions: Vec<f64>,
    /// Empty for scores written before schema 3.
    pub features_hash: String,
    /// The case's features now, with their names, in the caseload's order.
    pub features: Vec<(String, FeatureValue)>,
}

impl Store {
    /// Every model version, oldest first (admins, auditors and supervisors).
    pub fn model_versions(&self, actor: &Actor) -> Result<Vec<super::ModelVersion>> {
        require(actor, actor.role.audits(), "error.action.audit")?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT version FROM model_versions ORDER BY version")?;
        let versions = stmt
            .query_map([], |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        versions
            .into_iter()
            .map(|v| self.model_version_as_stored(v))
            .collect()
    }

    /// One model version for `model show` (admins, auditors and supervisors).
    pub fn model_record(&self, actor: &Actor, version: i64) -> Result<super::ModelVersion> {
        require(actor, actor.role.audits(), "error.action.audit")?;
        self.model_version_as_stored(version)
    }

    /// The approvals in the log, by version.
    pub fn approvals(&self) -> Result<HashMap<i64, Approval>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT json_extract(payload, '$.model_version'), actor, at,
                    coalesce(json_extract(payload, '$.spec_hash'), ''),
                    coalesce(json_extract(payload, '$.demo_shortcut'), 0)
             FROM events WHERE kind = 'model_approved' ORDER BY seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Approval {
                version: r.get(0)?,
                by: r.get(1)?,
                at: r.get(2)?,
                spec_hash: r.get(3)?,
                demo_shortcut: r.get::<_, i64>(4)? != 0,
            })
        })?;
        let mut out = HashMap::new();
        for a in rows {
            let a = a?;
            out.insert(a.version, a);
        }
        Ok(out)
    }

    /// Approves `version` for scoring: admins only, never the admin who trained it, once.
    /// The update and its `model_approved` event commit together.
    pub fn approve_model(&mut self, actor: &Actor, version: i64) -> Result<Approval> {
        self.approve(actor, version, false)
    }

    /// The demo set-up's shortcut: its admin approves the first version they trained
    /// themselves, marked `demo_shortcut` in the log. Refused outside a fresh demo (no
    /// `demo_created` event, or a version other than the first).
    pub(crate) fn approve_demo_model(&mut self, actor: &Actor, version: i64) -> Result<Approval> {
        self.approve(actor, version, true)
    }

    /// The version, when `actor` may approve it now (the same checks [`Store::approve_model`]
    /// makes), so a command can show what is about to be approved before approving it.
    pub fn approvable(&self, actor: &Actor, version: i64) -> Result<super::ModelVersion> {
        require(
            actor,
            actor.role.administers(),
            "error.action.approve_model",
        )?;
        let model = self.model_version(version)?;
        check_approvable(&self.conn, actor, &model, false)?;
        Ok(model)
    }

    fn approve(&mut self, actor: &Actor, version: i64, demo_shortcut: bool) -> Result<Approval> {
        require(
            actor,
            actor.role.administers(),
            "error.action.approve_model",
        )?;
        let model = self.model_version(version)?;
        let at = timestamp(self.now());
        self.models.get_mut().clear();
        let tx = self.acting_tx(actor)?;
        // Checked again under the write lock: of two admins approving at once, one wins.
        check_approvable(&tx, actor, &model, demo_shortcut)?;
        tx.cached_execute(
            "UPDATE model_versions SET approved_by = ?2, approved_at = ?3 WHERE version = ?1",
            params![version, actor.name, at],
        )?;
        let spec = spec_hash(&model.spec);
        let mut payload = json!({
            "model_version": version,
            "trainer": model.trained_by,
            "training_data_hash": model.training_data_hash,
            "spec_hash": spec,
            "features": model.features,
        });
        if demo_shortcut {
            payload["demo_shortcut"] = json!(true);
        }
        append(&tx, &at, actor, EventKind::ModelApproved, None, &payload)?;
        tx.commit()?;
        Ok(Approval {
            version,
            by: actor.name.clone(),
            at,
            spec_hash: spec,
            demo_shortcut,
        })
    }

    /// Whether `version` may score: refused unless approved, in the table and in the log.
    pub fn require_approved(&self, version: i64) -> Result<()> {
        require_approved_in(&self.conn, version)
    }

    /// The latest stored score of a case with the case's current features, or `None` when
    /// the case was never scored.
    pub fn recorded_score(&self, case_id: i64) -> Result<Option<RecordedScore>> {
        let row = self
            .conn
            .cached_row(
                "SELECT s.run_id, r.model_version, s.logit, s.probability, s.contributions,
                        s.features_hash, c.features
                 FROM scores s JOIN scoring_runs r ON r.id = s.run_id
                 JOIN cases c ON c.id = s.case_id
                 WHERE s.case_id = ?1 ORDER BY s.run_id DESC LIMIT 1",
                [case_id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, f64>(2)?,
                        r.get::<_, f64>(3)?,
                        r.get::<_, Vec<u8>>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                },
            )
            .optional()?;
        let Some((run_id, model_version, logit, probability, blob, features_hash, text)) = row
        else {
            return Ok(None);
        };
        let values: Vec<FeatureValue> = serde_json::from_str(&text)
            .map_err(|e| StoreError::Corrupt(format!("features of case {case_id}: {e}")))?;
        let names = self.feature_list()?;
        Ok(Some(RecordedScore {
            run_id,
            model_version,
            logit,
            probability,
            contributions: decode_contributions(&blob)?,
            features_hash,
            features: names.into_iter().map(|(n, _)| n).zip(values).collect(),
        }))
    }
}

/// Refuses an approval that is not allowed: a version already approved, or one approved by
/// its own trainer (outside the first version of a fresh demo, for `demo_shortcut`).
fn check_approvable(
    conn: &rusqlite::Connection,
    actor: &Actor,
    model: &super::ModelVersion,
    demo_shortcut: bool,
) -> Result<()> {
    let version = model.version;
    if let Some(d) = super::replay::models::check(conn, version)? {
        return Err(d.refusal());
    }
    let approved: Option<(Option<String>, Option<String>)> = conn
        .cached_row(
            "SELECT approved_by, approved_at FROM model_versions WHERE version = ?1",
            [version],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((Some(by), at)) = approved {
        return Err(StoreError::Refused(Refusal::AlreadyApproved {
            version,
            by,
            at: at.unwrap_or_default(),
        }));
    }
    // Rules or documentation may have changed since training: approve only what training
    // would accept today.
    if let Err(refusal) = super::features::refuse_forbidden_features(conn, &model.features)? {
        return Err(StoreError::Refused(Refusal::FeaturesRefused {
            version,
            why: refusal.to_string(),
        }));
    }
    let own = model.trained_by == actor.name;
    let allowed = if demo_shortcut {
        own && conn.cached_row(
            "SELECT EXISTS (SELECT 1 FROM events WHERE kind = 'demo_created')
                AND NOT EXISTS (SELECT 1 FROM model_versions WHERE version < ?1)",
            [version],
            |r| r.get(0),
        )?
    } else {
        !own
    };
    if allowed {
        Ok(())
    } else {
        Err(StoreError::Refused(Refusal::OwnModel {
            version,
            trainer: model.trained_by.clone(),
        }))
    }
}

/// The approval check, also run inside the scoring transaction.
pub(crate) fn require_approved_in(conn: &rusqlite::Connection, version: i64) -> Result<()> {
    if let Some(d) = super::replay::models::check(conn, version)? {
        return Err(d.refusal());
    }
    let approved: bool = conn.cached_row(
        "SELECT EXISTS (SELECT 1 FROM model_versions WHERE version = ?1
                          AND approved_by IS NOT NULL)
            AND EXISTS (SELECT 1 FROM events WHERE kind = 'model_approved'
                          AND json_extract(payload, '$.model_version') = ?1)",
        [version],
        |r| r.get(0),
    )?;
    if approved {
        Ok(())
    } else {
        Err(StoreError::Refused(Refusal::ModelNotApproved(version)))
    }
}
