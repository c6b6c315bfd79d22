//! `oordeel history import`: past cases with their outcome from the debt-help system, as
//! closed cases of their households: the labelled history `train` learns from. Each case's
//! signals are added to its household and its features computed from them and the
//! household as it stands, as for a case opened by a signal file; the outcome is the label.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use chrono::Months;
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::events::{Actor, append, timestamp};
use super::signals::{FeatureFn, attach};
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::calendar::first_contact_deadline;
use crate::domain::event::EventKind;
use crate::domain::household::derive_flags;
use crate::domain::import::history::HistoryCase;

/// What a history import did (or, dry, would do).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct HistoryImportSummary {
    pub seq: Option<i64>,
    pub cases: usize,
    pub positive: usize,
    pub negative: usize,
    /// Cases the household had already for that month: left as they are.
    pub known: usize,
    /// Open cases of these households computed again with the history's signals.
    pub open_cases_refreshed: usize,
}

impl Store {
    /// The keys among these that no household has (faults of the file).
    pub fn unknown_keys<'a>(&self, keys: impl Iterator<Item = &'a str>) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM household_keys WHERE key = ?1")?;
        let mut unknown = Vec::new();
        for key in keys {
            if !stmt.exists([key])? && !unknown.iter().any(|k| k == key) {
                unknown.push(key.to_owned());
            }
        }
        Ok(unknown)
    }

    /// Writes the past cases (admins), or with `dry_run` counts them and writes nothing;
    /// logged as `history_imported` with the file's name and SHA-256.
    pub fn import_history(
        &mut self,
        actor: &Actor,
        (file, sha256, profile): (&str, &str, &str),
        cases: &[HistoryCase],
        features: FeatureFn<'_>,
        dry_run: bool,
    ) -> Result<HistoryImportSummary> {
        require(actor, actor.role.administers(), "error.action.manage_data")?;
        let at = timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        if let Some((seq, at, by)) =
            super::events::earlier_file(&tx, EventKind::HistoryImported, sha256)?
        {
            return Err(StoreError::Refused(Refusal::DuplicateHistory {
                seq,
                at,
                by,
            }));
        }
        let mut summary = HistoryImportSummary::default();
        let mut touched = std::collections::BTreeSet::new();
        for case in cases {
            let household_id: i64 = tx
                .cached_row(
                    "SELECT household_id FROM household_keys WHERE key = ?1",
                    [&case.key],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| StoreError::Refused(Refusal::NoSuchHousehold(case.key.clone())))?;
            let next = case.month + Months::new(1);
            let exists: bool = tx.cached_row(
                "SELECT EXISTS (SELECT 1 FROM cases WHERE household_id = ?1
                                  AND opened_on >= ?2 AND opened_on < ?3)",
                params![household_id, case.month.to_string(), next.to_string()],
                |r| r.get(0),
            )?;
            if exists {
                summary.known += 1;
                continue;
            }
            for s in &case.signals {
                attach(&tx, household_id, s)?;
            }
            touched.insert(household_id);
            let household = super::signals::household_by_id(&tx, household_id)?;
            let signals = super::signals::signals_in(&tx, household_id)?;
            let flags = derive_flags(&signals, case.month);
            let values = features(&household, &signals, case.month, flags);
            let json =
                serde_json::to_string(&values).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            tx.cached_execute(
                "INSERT INTO cases (household_id, team, opened_on, deadline_on, urgent,
                     multiple_signals, repeated_signal, status, outcome, features)
                 SELECT ?1, coalesce(team, district), ?2, ?3, ?4, ?5, ?6, 'closed', ?7, ?8
                 FROM households WHERE id = ?1",
                params![
                    household_id,
                    case.month.to_string(),
                    first_contact_deadline(case.month, flags.threat).to_string(),
                    flags.threat,
                    flags.multiple,
                    flags.repeated,
                    case.outcome,
                    json
                ],
            )?;
            summary.cases += 1;
            if case.outcome {
                summary.positive += 1;
            } else {
                summary.negative += 1;
            }
        }
        // A case a signal file opened before the history came is *herhaald* now if the
        // history holds a signal of the six months before it: the order of imports must not
        // change what the model sees.
        for household_id in touched {
            summary.open_cases_refreshed +=
                super::households::refresh_open_cases(&tx, household_id)?;
        }
        let payload = json!({
            "file": file,
            "sha256": sha256,
            "profile": profile,
            "open_cases_refreshed": summary.open_cases_refreshed,
            "cases": summary.cases,
            "positive": summary.positive,
            "negative": summary.negative,
            "known": summary.known,
        });
        let seq = append(&tx, &at, actor, EventKind::HistoryImported, None, &payload)?;
        if dry_run {
            return Ok(summary);
        }
        tx.commit()?;
        summary.seq = Some(seq);
        Ok(summary)
    }
}
