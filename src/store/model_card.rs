//! What the model card shows about the ranking in use: how scores spread per group and how
//! far each feature moves a score. Read-only, for the oversight roles.

use super::events::Actor;
use super::models::decode_contributions;
use super::{Result, Store, StoreError};
use crate::store::cached::CachedSql;

/// Above this many ranked cases the contribution ranges are read from an even sample (every
/// k-th case in case order): quantiles of 200,000 values are as good as of a million, and
/// the card stays quick on a large caseload.
const RANGE_SAMPLE: i64 = 200_000;

/// One feature's contributions over the ranked cases: sorted sample of values.
pub struct FeatureContributions {
    pub feature: String,
    /// Ascending.
    pub values: Vec<f64>,
}

/// The reviewers' record so far, for the card's oversight section.
pub struct DecisionTally {
    /// Decisions that still stand (not undone or sent back).
    pub decisions: i64,
    /// People who made them.
    pub reviewers: i64,
    /// Standing rejections of cases the model ranked in its top 30% when decided.
    pub overrides: i64,
}

impl Store {
    /// Standing decisions, their reviewers, and rejections against the model's order (a
    /// rejection of a case ranked in the top 30% of the ranking it was decided under).
    pub fn decision_tally(&self, actor: &Actor) -> Result<DecisionTally> {
        super::users::require(actor, actor.role.audits(), "error.action.audit")?;
        let standing = super::review::STANDING;
        Ok(self.conn.cached_row(
            &format!(
                "SELECT count(*), count(DISTINCT d.actor),
                        coalesce(sum(json_extract(d.payload, '$.decision') = 'reject'
                            AND json_extract(d.payload, '$.rank') <= 0.3 * (
                                SELECT r.cases FROM scoring_runs r
                                WHERE r.model_version = json_extract(d.payload, '$.model_version')
                                ORDER BY r.id DESC LIMIT 1)), 0)
                 FROM events d WHERE d.kind = 'decision' {standing}"
            ),
            [],
            |r| {
                Ok(DecisionTally {
                    decisions: r.get(0)?,
                    reviewers: r.get(1)?,
                    overrides: r.get(2)?,
                })
            },
        )?)
    }

    /// Histograms of the ranked cases' probabilities in `bins` equal bins over 0–1, per value
    /// of a protected attribute (`gender`, `age_band`, `migration_background`), in group
    /// order. Cases whose household has no recorded attribute are counted as "unknown".
    pub fn score_distribution(
        &self,
        actor: &Actor,
        attribute: &str,
        bins: usize,
    ) -> Result<Vec<(String, Vec<usize>)>> {
        super::users::require(actor, actor.role.audits(), "error.action.audit")?;
        let column = match attribute {
            "gender" | "age_band" | "migration_background" => attribute,
            other => {
                return Err(StoreError::Corrupt(format!(
                    "no protected attribute {other}"
                )));
            }
        };
        let bins = bins.max(1);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT coalesce(p.{column}, 'unknown'), c.probability FROM cases c
             LEFT JOIN protected_attributes p ON p.household_id = c.household_id
             WHERE c.status != 'closed' AND c.probability IS NOT NULL"
        ))?;
        let mut out: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let group: String = r.get(0)?;
            let p: f64 = r.get(1)?;
            let bin = ((p.clamp(0.0, 1.0) * bins as f64) as usize).min(bins - 1);
            out.entry(group).or_insert_with(|| vec![0; bins])[bin] += 1;
        }
        Ok(out.into_iter().collect())
    }

    /// Each feature's contributions in the latest scoring run (sampled above
    /// [`RANGE_SAMPLE`] cases), sorted, in the model's feature order.
    pub fn contribution_samples(&self, actor: &Actor) -> Result<Vec<FeatureContributions>> {
        super::users::require(actor, actor.role.audits(), "error.action.audit")?;
        let Some((run, version, cases)) = self.latest_run()? else {
            return Ok(Vec::new());
        };
        let features = self.model_version(version)?.features;
        let step = (cases / RANGE_SAMPLE).max(1);
        let mut values: Vec<Vec<f64>> = vec![Vec::new(); features.len()];
        let mut stmt = self.conn.prepare_cached(
            "SELECT contributions FROM scores WHERE run_id = ?1 ORDER BY case_id",
        )?;
        let mut rows = stmt.query([run])?;
        let mut i = 0i64;
        while let Some(r) = rows.next()? {
            i += 1;
            if (i - 1) % step != 0 {
                continue;
            }
            let blob: Vec<u8> = r.get(0)?;
            let c = decode_contributions(&blob)?;
            if c.len() != features.len() {
                return Err(StoreError::Corrupt(format!(
                    "a score of run {run} has {} contributions for {} features",
                    c.len(),
                    features.len()
                )));
            }
            for (v, x) in values.iter_mut().zip(c) {
                v.push(x);
            }
        }
        Ok(features
            .into_iter()
            .zip(values)
            .map(|(feature, mut values)| {
                values.sort_by(f64::total_cmp);
                FeatureContributions { feature, values }
            })
            .collect())
    }
}
