//! `oordeel signals import`: a month's vroegsignalering file attached to the households it
//! names, in one transaction. Per household and month the derived flags (several signals in
//! the month; another in the six months before) and the first-contact deadline (3 working
//! days when eviction or a cut-off threatens, else 4 weeks; `domain::calendar`) are computed
//! over every signal the household has, old and new; the month's case is opened, or brought
//! up to date while it still waits for a decision. A decided case keeps its decision: the new
//! signal is on record, and shows in its history.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Months, NaiveDate};
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::events::{Actor, append, timestamp};
use super::queue::code;
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::calendar::first_contact_deadline;
use crate::domain::decision::CaseStatus;
use crate::domain::event::EventKind;
use crate::domain::household::{
    Household, HouseholdType, IncomeSource, Signal, SignalFlags, derive_flags,
};
use crate::domain::signal_file::SignalRow;
use crate::domain::view::FeatureValue;

/// The model's features of a household's case in a month: (household, all its signals,
/// month start, flags) → values in the caseload's feature order.
pub type FeatureFn<'a> =
    &'a dyn Fn(&Household, &[Signal], NaiveDate, SignalFlags) -> Vec<FeatureValue>;

/// What an import did (or, dry, would do).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SignalImportSummary {
    pub signals: usize,
    pub households: usize,
    pub cases_opened: usize,
    pub cases_updated: usize,
    /// Signals for a month whose case is decided already: kept, the decision stands.
    pub to_decided: usize,
    /// Cases with the 3-working-day deadline (a threat).
    pub urgent: usize,
    /// Signals the household had already (same creditor, amount, months and date): a
    /// creditor that sends a signal twice does not make it *meervoudig*.
    pub known: usize,
}

impl Store {
    /// Admins only, as for every data change.
    pub fn may_import_signals(&self, actor: &Actor) -> Result<()> {
        require(actor, actor.role.administers(), "error.action.manage_data")
    }

    /// An earlier import of the file with this SHA-256: (event, at, by).
    pub fn earlier_signal_import(&self, sha256: &str) -> Result<Option<(i64, String, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT seq, at, actor FROM events WHERE kind = 'signals_imported'
                   AND json_extract(payload, '$.sha256') = ?1",
                [sha256],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
    }

    /// The pseudonyms among these that no household has.
    pub fn unknown_households(&self, pseudonyms: &[&str]) -> Result<HashSet<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM households WHERE pseudonym = ?1")?;
        let mut unknown = HashSet::new();
        for p in pseudonyms {
            if !stmt.exists([p])? {
                unknown.insert((*p).to_owned());
            }
        }
        Ok(unknown)
    }

    /// Attaches the rows' signals, opens or updates the cases of their months, and logs a
    /// `signals_imported` event with the file's name, SHA-256 and counts. `dry_run` does all
    /// of it inside the transaction and rolls it back, so the counts are the real ones.
    pub fn import_signals(
        &mut self,
        actor: &Actor,
        file: &str,
        sha256: &str,
        rows: &[SignalRow],
        features: FeatureFn<'_>,
        dry_run: bool,
    ) -> Result<SignalImportSummary> {
        self.may_import_signals(actor)?;
        let at = timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        if let Some((seq, at, by)) = tx
            .query_row(
                "SELECT seq, at, actor FROM events WHERE kind = 'signals_imported'
                   AND json_extract(payload, '$.sha256') = ?1",
                [sha256],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
        {
            return Err(StoreError::DuplicateSignals { seq, at, by });
        }
        // Household → the months its new signals fall in.
        let mut months: BTreeMap<&str, Vec<NaiveDate>> = BTreeMap::new();
        let mut summary = SignalImportSummary::default();
        for r in rows {
            let (household_id,): (i64,) = tx
                .query_row(
                    "SELECT id FROM households WHERE pseudonym = ?1",
                    [&r.household],
                    |q| Ok((q.get(0)?,)),
                )
                .optional()?
                .ok_or_else(|| StoreError::NoSuchHousehold(r.household.clone()))?;
            let s = &r.signal;
            let known = tx
                .prepare_cached(
                    "SELECT 1 FROM signals WHERE household_id = ?1 AND creditor_type = ?2
                       AND creditor = ?3 AND amount_cents = ?4 AND months_in_arrears = ?5
                       AND received_on = ?6",
                )?
                .exists(params![
                    household_id,
                    s.creditor_type.as_code(),
                    s.creditor,
                    s.amount_cents,
                    s.months_in_arrears,
                    s.received_on.to_string()
                ])?;
            if known {
                summary.known += 1;
                continue;
            }
            super::caseload::insert_signal(&tx, household_id, s)?;
            let month = s.received_on.with_day(1).expect("day 1 exists");
            let list = months.entry(r.household.as_str()).or_default();
            if !list.contains(&month) {
                list.push(month);
            }
        }
        summary.signals = rows.len() - summary.known;
        summary.households = months.len();
        for (pseudonym, list) in &months {
            let (household_id, household) = household_in(&tx, pseudonym)?;
            let signals = signals_in(&tx, household_id)?;
            for &month in list {
                let flags = derive_flags(&signals, month);
                let next = month + Months::new(1);
                let opened_on = signals
                    .iter()
                    .map(|s| s.received_on)
                    .filter(|d| *d >= month && *d < next)
                    .min()
                    .expect("the month has the new signal");
                let deadline = first_contact_deadline(opened_on, flags.threat);
                let values = features(&household, &signals, month, flags);
                let json = serde_json::to_string(&values)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let existing: Option<(i64, String)> = tx
                    .query_row(
                        "SELECT id, status FROM cases WHERE household_id = ?1
                           AND opened_on >= ?2 AND opened_on < ?3",
                        params![household_id, month.to_string(), next.to_string()],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                match existing {
                    Some((id, status))
                        if matches!(
                            CaseStatus::from_code(&status),
                            Some(CaseStatus::Open | CaseStatus::Deferred)
                        ) =>
                    {
                        tx.execute(
                            "UPDATE cases SET opened_on = ?2, deadline_on = ?3, urgent = ?4,
                                 multiple_signals = ?5, repeated_signal = ?6, features = ?7
                             WHERE id = ?1",
                            params![
                                id,
                                opened_on.to_string(),
                                deadline.to_string(),
                                flags.threat,
                                flags.multiple,
                                flags.repeated,
                                json
                            ],
                        )?;
                        summary.cases_updated += 1;
                    }
                    Some(_) => summary.to_decided += 1,
                    None => {
                        tx.execute(
                            "INSERT INTO cases (household_id, team, opened_on, deadline_on,
                                 urgent, multiple_signals, repeated_signal, status, features)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8)",
                            params![
                                household_id,
                                household.district,
                                opened_on.to_string(),
                                deadline.to_string(),
                                flags.threat,
                                flags.multiple,
                                flags.repeated,
                                json
                            ],
                        )?;
                        summary.cases_opened += 1;
                    }
                }
                if flags.threat {
                    summary.urgent += 1;
                }
            }
        }
        let payload = json!({
            "file": file,
            "sha256": sha256,
            "signals": summary.signals,
            "households": summary.households,
            "cases_opened": summary.cases_opened,
            "cases_updated": summary.cases_updated,
            "to_decided": summary.to_decided,
            "known": summary.known,
        });
        append(&tx, &at, actor, EventKind::SignalsImported, None, &payload)?;
        if dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        Ok(summary)
    }
}

fn household_in(tx: &rusqlite::Transaction<'_>, pseudonym: &str) -> Result<(i64, Household)> {
    let row = tx.query_row(
        "SELECT id, household_type, children, income_source, district, earlier_debt_help,
                known_to_district_team, wmo_youth_support
         FROM households WHERE pseudonym = ?1",
        [pseudonym],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u8>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                [r.get::<_, bool>(5)?, r.get(6)?, r.get(7)?],
            ))
        },
    )?;
    let (id, htype, children, income, district, [debt, known, wmo]) = row;
    Ok((
        id,
        Household {
            pseudonym: pseudonym.to_owned(),
            household_type: code(&htype, HouseholdType::from_code, "household type")?,
            children,
            income_source: code(&income, IncomeSource::from_code, "income source")?,
            district,
            earlier_debt_help: debt,
            known_to_district_team: known,
            wmo_youth_support: wmo,
        },
    ))
}

/// Every signal of a household, oldest first.
fn signals_in(tx: &rusqlite::Transaction<'_>, household_id: i64) -> Result<Vec<Signal>> {
    let mut stmt = tx.prepare_cached(
        "SELECT creditor_type, creditor, amount_cents, months_in_arrears, received_on,
                end_of_supply_on, threat
         FROM signals WHERE household_id = ?1 ORDER BY received_on, id",
    )?;
    let mut q = stmt.query([household_id])?;
    let mut out = Vec::new();
    while let Some(r) = q.next()? {
        out.push(super::queue::signal_from_row(r)?);
    }
    Ok(out)
}
