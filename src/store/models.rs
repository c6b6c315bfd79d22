//! Model versions, training data and scoring runs.
//!
//! The store keeps a model version's full specification as opaque JSON written by `model/`:
//! storage does not depend on how a model computes, only on what must be kept about it.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::events::{Actor, append, timestamp};
use super::{Result, Store, StoreError};
use crate::domain::event::EventKind;
use crate::domain::view::FeatureValue;

pub use crate::domain::model_version::{ModelVersion, case_set, in_case_set};

/// The cases with a known outcome, positionally: `rows[i][j]` is feature `j`.
pub struct TrainingRows {
    pub features: Vec<(String, bool)>,
    pub rows: Vec<Vec<FeatureValue>>,
    pub labels: Vec<bool>,
    /// Where each row's label came from.
    pub sources: Vec<crate::domain::outcome::LabelSource>,
    /// Each row's case number.
    pub case_ids: Vec<i64>,
}

/// Cases with a label: the history's, or what the outreach found for an own case.
const LABELLED: &str = "outcome IS NOT NULL";

/// The columns of the `protected_attributes` table, in the order [`TrainingGroups`] holds them.
pub const PROTECTED_COLUMNS: [&str; 3] = ["gender", "age_band", "migration_background"];

/// Protected attributes of the training rows (see [`Store::training_groups`]).
pub struct TrainingGroups {
    /// [`PROTECTED_COLUMNS`].
    pub attributes: Vec<&'static str>,
    /// Per training row, the values in `attributes` order; `None` when not recorded.
    pub rows: Vec<Option<[String; 3]>>,
}

/// One case's score, ready to be stored.
pub struct ScoreRow {
    pub case_id: i64,
    pub logit: f64,
    pub probability: f64,
    /// 1 = highest estimated need.
    pub rank: i64,
    /// Per-feature contributions in the model's feature order.
    pub contributions: Vec<f64>,
    /// SHA-256 (hex) of the feature vector the score was computed from.
    pub features_hash: String,
}

/// Settings key of the cases a team can take up per month.
pub const CAPACITY_KEY: &str = "capacity_per_team";

/// The shipped default from `assets/capacity.toml`.
pub fn shipped_capacity() -> u32 {
    #[derive(serde::Deserialize)]
    struct Shipped {
        capacity_per_team: u32,
    }
    let shipped: Shipped = toml::from_str(include_str!("../../assets/capacity.toml"))
        .expect("assets/capacity.toml is valid (tested)");
    shipped.capacity_per_team
}

/// A positive whole number.
pub(super) fn parse_capacity(text: &str) -> Option<u32> {
    text.trim().parse().ok().filter(|&c: &u32| c > 0)
}

fn parse_features(case_id: i64, text: &str) -> Result<Vec<FeatureValue>> {
    let mut row: Vec<FeatureValue> = serde_json::from_str(text)
        .map_err(|e| StoreError::Corrupt(format!("features of case {case_id}: {e}")))?;
    // The parser grows the list by doubling: 18 values sat in room for 32, and at 700,000
    // labelled cases that slack was a quarter of what `train` held.
    row.shrink_to_fit();
    Ok(row)
}

/// Contributions as little-endian f64: bit-exact, 8 bytes each.
pub(crate) fn encode_contributions(values: &[f64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

pub(crate) fn decode_contributions(blob: &[u8]) -> Result<Vec<f64>> {
    if !blob.len().is_multiple_of(8) {
        return Err(StoreError::Corrupt(format!(
            "contributions of {} bytes",
            blob.len()
        )));
    }
    Ok(blob
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().expect("chunks of 8")))
        .collect())
}

/// Model versions as [`Store::model_version`] read and checked them, for as long as the
/// database is as it was then: the console reads the version behind every case it shows,
/// and checking its row against the log each time was a twelfth of a decision. Emptied
/// when another connection commits (SQLite's `data_version` moves, which it does not for
/// this connection's own commits) and when this one writes a version or its approval.
#[derive(Default)]
pub(super) struct ModelCache {
    data_version: i64,
    versions: std::collections::HashMap<i64, ModelVersion>,
}

impl ModelCache {
    fn get(&self, data_version: i64, version: i64) -> Option<&ModelVersion> {
        (self.data_version == data_version)
            .then(|| self.versions.get(&version))
            .flatten()
    }

    fn put(&mut self, data_version: i64, version: i64, m: ModelVersion) {
        if self.data_version != data_version {
            self.versions.clear();
            self.data_version = data_version;
        }
        self.versions.insert(version, m);
    }

    pub(super) fn clear(&mut self) {
        self.versions.clear();
    }
}

impl Store {
    /// Every labelled case, in case order (so the training hash is stable): the history's
    /// closed cases, and the own cases whose outreach gave a label, each with the features
    /// the latest scoring run scored it with before its decision (`scored_features`; the
    /// features it was decided with when no run scored it).
    pub fn training_rows(&self) -> Result<TrainingRows> {
        use crate::domain::outcome::LabelSource;
        let features = self.feature_list()?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, coalesce(scored_features, features), outcome, status, selection FROM cases
             WHERE {LABELLED} ORDER BY id"
        ))?;
        let mut data = TrainingRows {
            features,
            rows: Vec::new(),
            labels: Vec::new(),
            sources: Vec::new(),
            case_ids: Vec::new(),
        };
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let id: i64 = r.get(0)?;
            let text: String = r.get(1)?;
            data.rows.push(parse_features(id, &text)?);
            data.labels.push(r.get::<_, i64>(2)? != 0);
            let (status, selection): (String, String) = (r.get(3)?, r.get(4)?);
            data.sources
                .push(match (status.as_str(), selection.as_str()) {
                    ("closed", _) => LabelSource::History,
                    (_, "random") => LabelSource::Random,
                    _ => LabelSource::Ranked,
                });
            data.case_ids.push(id);
        }
        Ok(data)
    }

    /// The protected attributes of the training rows, row for row in the order of
    /// [`Store::training_rows`], for evaluating a model per group and for the proxy check.
    ///
    /// Principle 4: this is a separate query on purpose, so the rows that feed the model never
    /// carry a protected attribute. Attribute names are the columns of `protected_attributes`
    /// (`gender`, `age_band`, `migration_background`); a case whose household has no row
    /// there (an imported caseload without them) gets `None`.
    pub fn training_groups(&self) -> Result<TrainingGroups> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.gender, p.age_band, p.migration_background
             FROM cases c LEFT JOIN protected_attributes p ON p.household_id = c.household_id
             WHERE c.outcome IS NOT NULL ORDER BY c.id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(match r.get::<_, Option<String>>(0)? {
                    Some(gender) => Some([gender, r.get(1)?, r.get(2)?]),
                    None => None,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(TrainingGroups {
            attributes: PROTECTED_COLUMNS.to_vec(),
            rows,
        })
    }

    /// The team of each training row, row for row in the order of [`Store::training_rows`]:
    /// for precision at capacity per team. Separate from the rows that feed the model, like
    /// [`Store::training_groups`].
    pub fn training_teams(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT team FROM cases WHERE outcome IS NOT NULL ORDER BY id")?;
        let teams = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(teams)
    }

    /// How many cases a district team can take up per month (settings key
    /// `capacity_per_team`, written at creation from `assets/capacity.toml`).
    pub fn capacity_per_team(&self) -> Result<u32> {
        match self.setting(CAPACITY_KEY)? {
            None => Ok(shipped_capacity()),
            Some(text) => parse_capacity(&text).ok_or(StoreError::BadSetting {
                key: CAPACITY_KEY,
                value: text,
            }),
        }
    }

    /// Calls `f` for every case that is not closed (open or decided), in case order.
    pub fn for_each_case_to_score(
        &self,
        mut f: impl FnMut(i64, &[FeatureValue]) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, features FROM cases WHERE status != 'closed' ORDER BY id",
        )?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let id: i64 = r.get(0)?;
            let text: String = r.get(1)?;
            f(id, &parse_features(id, &text)?)?;
        }
        Ok(())
    }

    /// Stores a new model version and logs it; returns the version number.
    /// `drift_reference`: the training data's bins for the drift watch
    /// (`domain::drift_reference`, JSON), kept beside the version and pinned by its hash.
    pub fn save_model_version(
        &mut self,
        actor: &Actor,
        m: &ModelVersion,
        drift_reference: Option<&str>,
    ) -> Result<i64> {
        super::users::require(actor, actor.role.administers(), "error.action.manage_data")?;
        let at = timestamp(self.now());
        self.models.get_mut().clear();
        let tx = self.acting_tx(actor)?;
        let version: i64 = tx.cached_row(
            "SELECT coalesce(max(version), 0) + 1 FROM model_versions",
            [],
            |r| r.get(0),
        )?;
        tx.cached_execute(
            "INSERT INTO model_versions (version, algorithm, features, spec, intercept, auc, brier, log_loss,
                 training_data_hash, trained_at, trained_by, evaluation, proxy_check, labels,
                 trained_on, drift_reference)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            params![
                version,
                m.algorithm,
                serde_json::to_string(&m.features).expect("names serialise"),
                m.spec,
                m.intercept,
                m.auc,
                m.brier,
                m.log_loss,
                m.training_data_hash,
                at,
                actor.name,
                m.evaluation,
                m.proxy_check,
                m.labels,
                m.trained_on,
                drift_reference
            ],
        )?;
        let payload = json!({
            "model_version": version,
            "algorithm": m.algorithm,
            "auc": m.auc,
            "brier": m.brier,
            "log_loss": m.log_loss,
            "training_data_hash": m.training_data_hash,
            // What `verify` and the readers compare the row with (`replay::models`).
            "spec_hash": crate::domain::feature_hash::spec_hash(&m.spec),
            "features": m.features,
            "evaluation_hash": super::replay::models::text_hash(m.evaluation.as_deref()),
            "proxy_check_hash": super::replay::models::text_hash(m.proxy_check.as_deref()),
            "labels_hash": super::replay::models::text_hash(m.labels.as_deref()),
            "drift_reference_hash": super::replay::models::text_hash(drift_reference),
        });
        append(&tx, &at, actor, EventKind::ModelTrained, None, &payload)?;
        tx.commit()?;
        Ok(version)
    }

    /// The newest model version.
    pub fn latest_model(&self) -> Result<ModelVersion> {
        let v: Option<i64> =
            self.conn
                .cached_row("SELECT max(version) FROM model_versions", [], |r| r.get(0))?;
        match v {
            Some(v) => self.model_version(v),
            // No row, but the log trained one: the table lost it.
            None => match super::replay::models::first_disagreement(&self.conn)? {
                Some(d) => Err(d.refusal()),
                None => Err(StoreError::Refused(Refusal::NoModel)),
            },
        }
    }

    /// A model version, refused when its row is not what the log says (an approval,
    /// metric, intercept or specification edited by hand): everything that acts on a model or
    /// presents it as the truth reads it here. `model show` and `model list` read it as it is
    /// and warn instead (`model_disagreement`).
    pub fn model_version(&self, version: i64) -> Result<ModelVersion> {
        let data_version = self.data_version()?;
        if let Some(m) = self.models.borrow().get(data_version, version) {
            return Ok(m.clone());
        }
        if let Some(d) = super::replay::models::check(&self.conn, version)? {
            return Err(d.refusal());
        }
        let m = self.model_version_as_stored(version)?;
        self.models
            .borrow_mut()
            .put(data_version, version, m.clone());
        Ok(m)
    }

    /// The row as the table holds it, with the log's approval, unchecked.
    pub(super) fn model_version_as_stored(&self, version: i64) -> Result<ModelVersion> {
        self.conn
            .cached_row(
                "SELECT version, algorithm, features, spec, intercept, auc, brier, log_loss,
                        training_data_hash, trained_at, trained_by, approved_by, approved_at,
                        evaluation, proxy_check, labels, trained_on
                 FROM model_versions WHERE version = ?1",
                [version],
                |r| {
                    let features: String = r.get(2)?;
                    Ok((
                        features,
                        ModelVersion {
                            version: r.get(0)?,
                            algorithm: r.get(1)?,
                            features: Vec::new(),
                            spec: r.get(3)?,
                            intercept: r.get(4)?,
                            auc: r.get(5)?,
                            brier: r.get(6)?,
                            log_loss: r.get(7)?,
                            training_data_hash: r.get(8)?,
                            trained_at: r.get(9)?,
                            trained_by: r.get(10)?,
                            approved_by: r.get(11)?,
                            approved_at: r.get(12)?,
                            evaluation: r.get(13)?,
                            proxy_check: r.get(14)?,
                            labels: r.get(15)?,
                            trained_on: r.get(16)?,
                        },
                    ))
                },
            )
            .optional()?
            .ok_or(StoreError::Refused(Refusal::NoSuchModelVersion(version)))
            .and_then(|(features, mut m)| {
                m.features = serde_json::from_str(&features).map_err(|e| {
                    StoreError::Corrupt(format!("features of model version {version}: {e}"))
                })?;
                // The approval is what the log says, whatever the row claims: a row approved
                // by hand reads as not approved (`model_disagreement` says why).
                let approval: Option<(String, String)> = self
                    .conn
                    .cached_row(
                        "SELECT actor, at FROM events WHERE kind = 'model_approved'
                           AND json_extract(payload, '$.model_version') = ?1
                         ORDER BY seq LIMIT 1",
                        [version],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                (m.approved_by, m.approved_at) = approval.unzip();
                Ok(m)
            })
    }

    /// The drift watch's reference bins kept with version `version` (JSON,
    /// `domain::drift_reference`); `None` for versions trained before schema 12.
    pub fn drift_reference(&self, version: i64) -> Result<Option<String>> {
        Ok(self
            .conn
            .cached_row(
                "SELECT drift_reference FROM model_versions WHERE version = ?1",
                [version],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// The first column of version `version`'s row that is not what the log says, if any:
    /// someone edited the model registry by hand. `score` and `model approve` refuse such a
    /// version; `model show` and `model list` warn.
    pub fn model_disagreement(&self, version: i64) -> Result<Option<super::Disagreement>> {
        super::replay::models::check(&self.conn, version)
    }
}
