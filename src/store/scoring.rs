//! Scoring runs: the scores, the queue they make with the hidden random arm placed among the
//! ranked cases, and the run's drift against the model's reference data.

use crate::store::cached::CachedSql;
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::events::{Actor, append, timestamp};
use super::models::{ScoreRow, encode_contributions};
use super::{Result, Store, StoreError};
use crate::domain::drift::DriftReport;
use crate::domain::event::EventKind;
use crate::domain::random_arm;

/// Settings key of the share of open cases each run draws into the hidden random arm.
pub const RANDOM_ARM_KEY: &str = "random_arm_share";

/// From this many scored cases a run makes the queue's indexes anew instead of updating them.
const REBUILD_FROM: usize = 20_000;

/// The shipped default from `assets/random_arm.toml`.
pub fn shipped_random_arm_share() -> f64 {
    #[derive(serde::Deserialize)]
    struct Shipped {
        random_arm_share: f64,
    }
    let shipped: Shipped = toml::from_str(include_str!("../../assets/random_arm.toml"))
        .expect("assets/random_arm.toml is valid (tested)");
    shipped.random_arm_share
}

/// What a stored scoring run says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSummary {
    pub run: i64,
    pub model_version: i64,
    pub cases: i64,
    /// Open cases drawn into the hidden random arm.
    pub random_arm: i64,
}

impl Store {
    /// The share of open cases each scoring run draws at random (settings key
    /// `random_arm_share`, written at creation from `assets/random_arm.toml`).
    pub fn random_arm_share(&self) -> Result<f64> {
        match self.setting(RANDOM_ARM_KEY)? {
            None => Ok(shipped_random_arm_share()),
            Some(text) => random_arm::parse_share(&text).ok_or(StoreError::BadSetting {
                key: RANDOM_ARM_KEY,
                value: text,
            }),
        }
    }

    /// Stores a scoring run in one transaction: every score, the queue, the arm and the drift.
    ///
    /// `scores` carry the model's rank (kept in `scores.rank`). The queue (`cases.queue_rank`)
    /// is that ranking with the run's random arm (`domain::random_arm`, seeded with the run
    /// number) taken out and put back at evenly spread places; the arm's open cases get
    /// `selection = 'random'`, every other open case `'ranked'`. Decided cases keep the
    /// selection their decision recorded.
    pub fn write_scoring_run(
        &mut self,
        actor: &Actor,
        model_version: i64,
        scores: &[ScoreRow],
        drift: Option<&DriftReport>,
    ) -> Result<RunSummary> {
        super::users::require(actor, actor.role.administers(), "error.action.manage_data")?;
        let share = self.random_arm_share()?;
        let at = timestamp(self.now());
        let drift_json = drift.map(|d| serde_json::to_string(d).expect("drift serialises"));
        let tx = self.acting_tx(actor)?;
        // The stop button: nothing the model computes is written while it is halted.
        super::halt::refuse_if_halted(&tx)?;
        // The command checked before scoring; checked again under the write lock, so no
        // path around `score` writes a ranking from an unapproved version.
        super::registry::require_approved_in(&tx, model_version)?;
        tx.cached_execute(
            "INSERT INTO scoring_runs (model_version, at, cases, drift) VALUES (?1, ?2, ?3, ?4)",
            params![model_version, at, scores.len() as i64, drift_json],
        )?;
        let run_id = tx.last_insert_rowid();
        let open: Vec<i64> = {
            let mut stmt =
                tx.prepare_cached("SELECT id FROM cases WHERE status = 'open' ORDER BY id")?;
            let ids = stmt.query_map([], |r| r.get(0))?;
            ids.collect::<rusqlite::Result<_>>()?
        };
        // Only open cases that this run scores can be drawn.
        let scored: std::collections::HashSet<i64> = scores.iter().map(|s| s.case_id).collect();
        let candidates: Vec<i64> = open.into_iter().filter(|c| scored.contains(c)).collect();
        let arm = random_arm::draw(run_id, &candidates, share);
        let mut by_rank: Vec<&ScoreRow> = scores.iter().collect();
        by_rank.sort_by_key(|s| s.rank);
        let ranked: Vec<i64> = by_rank.iter().map(|s| s.case_id).collect();
        let queue = random_arm::interleave(&ranked, &arm);
        let place: std::collections::HashMap<i64, i64> = queue
            .iter()
            .enumerate()
            .map(|(i, &c)| (c, i as i64 + 1))
            .collect();
        tx.cached_execute(
            "UPDATE scoring_runs SET random_arm = ?2 WHERE id = ?1",
            params![run_id, arm.len() as i64],
        )?;
        // Closed cases are out of the ranking already (schema 12's trigger); every other case
        // gets its new place below.
        tx.cached_execute(
            "UPDATE cases SET selection = 'ranked' WHERE status = 'open' AND selection != 'ranked'",
            [],
        )?;
        // What this run scored, kept with each undecided case: once decided, its features
        // are frozen (`households::refresh_open_cases`), and a model learns from the case as
        // it was scored, not as a later extract changed it.
        tx.cached_execute(
            "UPDATE cases SET scored_features = features
             WHERE status IN ('open', 'deferred') AND scored_features IS NOT features",
            [],
        )?;
        // A run places most of the queue anew: rewriting each case's place in the four
        // indexes that hold it was most of a run at 300,000 open cases (random places in
        // each). Set aside, updated in case order and made again, it is a sort per index.
        let queue_indexes = if scores.len() >= REBUILD_FROM {
            super::indexes::set_aside(&tx, &["cases"], |sql| sql.contains("queue_rank"))?
        } else {
            Vec::new()
        };
        {
            let mut random =
                tx.prepare_cached("UPDATE cases SET selection = 'random' WHERE id = ?1")?;
            for case in &arm {
                random.execute([case])?;
            }
            let mut insert = tx.prepare_cached(
                "INSERT INTO scores (run_id, case_id, logit, probability, rank, contributions,
                                     features_hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut update = tx.prepare_cached(
                "UPDATE cases SET queue_rank = ?2, probability = ?3 WHERE id = ?1",
            )?;
            // In case order, so the writes walk the table and its indexes instead of jumping.
            let mut order: Vec<&ScoreRow> = scores.iter().collect();
            order.sort_by_key(|s| s.case_id);
            for s in order {
                insert.execute(params![
                    run_id,
                    s.case_id,
                    s.logit,
                    s.probability,
                    s.rank,
                    encode_contributions(&s.contributions),
                    s.features_hash
                ])?;
                update.execute(params![s.case_id, place[&s.case_id], s.probability])?;
            }
        }
        for sql in queue_indexes {
            tx.execute_batch(&sql)?;
        }
        let payload = json!({
            "model_version": model_version,
            "run": run_id,
            "cases": scores.len(),
            "random_arm": { "share": share, "cases": arm.len(), "seed": run_id },
            "drift": drift,
        });
        append(&tx, &at, actor, EventKind::Scored, None, &payload)?;
        tx.commit()?;
        Ok(RunSummary {
            run: run_id,
            model_version,
            cases: scores.len() as i64,
            random_arm: arm.len() as i64,
        })
    }

    /// The latest scoring run: (run id, model version, number of cases ranked).
    pub fn latest_run(&self) -> Result<Option<(i64, i64, i64)>> {
        Ok(self
            .conn
            .cached_row(
                "SELECT id, model_version, cases FROM scoring_runs ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
    }

    /// The drift of the latest scoring run: (run id, report), `None` before the first run or
    /// when that run had no reference data to compare with. For the console's supervisor
    /// view and the oversight report.
    pub fn latest_drift(&self) -> Result<Option<(i64, DriftReport)>> {
        let row: Option<(i64, Option<String>)> = self
            .conn
            .cached_row(
                "SELECT id, drift FROM scoring_runs ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match row {
            Some((run, Some(text))) => serde_json::from_str(&text)
                .map(|d| Some((run, d)))
                .map_err(|e| StoreError::Corrupt(format!("drift of scoring run {run}: {e}"))),
            _ => Ok(None),
        }
    }
}
