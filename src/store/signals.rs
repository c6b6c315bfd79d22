//! `oordeel signals import`: a month's vroegsignalering file attached to the households it
//! names, in one transaction. Per household and month the derived flags (several signals in
//! the month; another in the six months before) and the first-contact deadline (3 working
//! days when eviction or a cut-off threatens, else 4 weeks; `domain::calendar`) are computed
//! over every signal the household has, old and new; the month's case is opened, or brought
//! up to date while it still waits for a decision. A decided case keeps its decision: the new
//! signal is on record, and shows in its history.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Months, NaiveDate};
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::events::{Actor, append, timestamp};
use super::queue::code;
use super::signal_matching::Match;
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
    /// Signals no household matched, and signals more than one did: kept waiting for an
    /// admin (`oordeel signals unmatched`), never dropped, never guessed.
    pub unmatched: usize,
    pub ambiguous: usize,
}

impl Store {
    /// Admins only, as for every data change.
    pub fn may_import_signals(&self, actor: &Actor) -> Result<()> {
        require(actor, actor.role.administers(), "error.action.manage_data")
    }

    /// An earlier import of the file with this SHA-256: (event, at, by).
    pub fn earlier_signal_import(&self, sha256: &str) -> Result<Option<(i64, String, String)>> {
        super::events::earlier_file(&self.conn, EventKind::SignalsImported, sha256)
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

    /// Matches each row's signal to a household (`signal_matching`), attaches the matched
    /// ones, opens or updates the cases of their months, keeps the ones no household (or more
    /// than one) matched in the list an admin works through (`unmatched_signals`), and logs a
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
        if let Some((seq, at, by)) =
            super::events::earlier_file(&tx, EventKind::SignalsImported, sha256)?
        {
            return Err(StoreError::Refused(Refusal::DuplicateSignals {
                seq,
                at,
                by,
            }));
        }
        // Household → the months its new signals fall in.
        let mut months: BTreeMap<i64, Vec<NaiveDate>> = BTreeMap::new();
        let mut summary = SignalImportSummary::default();
        let mut waiting = Vec::new();
        for r in rows {
            let household_id = match super::signal_matching::match_signal(&tx, &r.identity)? {
                Match::Household(id) => id,
                Match::Pseudonym(p) => {
                    return Err(StoreError::Refused(Refusal::NoSuchHousehold(p)));
                }
                other => {
                    waiting.push((r, other));
                    continue;
                }
            };
            if attach(&tx, household_id, &r.signal)? {
                let month = r.signal.received_on.with_day(1).expect("day 1 exists");
                let list = months.entry(household_id).or_default();
                if !list.contains(&month) {
                    list.push(month);
                }
            } else {
                summary.known += 1;
            }
        }
        summary.unmatched = waiting
            .iter()
            .filter(|(_, m)| matches!(m, Match::None))
            .count();
        summary.ambiguous = waiting.len() - summary.unmatched;
        summary.signals = rows.len() - summary.known - waiting.len();
        summary.households = months.len();
        for (household_id, list) in &months {
            open_cases(&tx, *household_id, list, features, &mut summary)?;
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
            "unmatched": summary.unmatched,
            "ambiguous": summary.ambiguous,
        });
        let seq = append(&tx, &at, actor, EventKind::SignalsImported, None, &payload)?;
        for (r, found) in &waiting {
            super::signal_matching::keep_waiting(&tx, seq, file, r, found)?;
        }
        if dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
        }
        Ok(summary)
    }
}

/// Adds a signal to a household unless it has it already (same creditor, amount, months and
/// date: a creditor that sends a signal twice does not make it *meervoudig*). Whether it was
/// new.
pub(super) fn attach(tx: &rusqlite::Connection, household_id: i64, s: &Signal) -> Result<bool> {
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
    if !known {
        super::caseload::insert_signal(tx, household_id, s)?;
    }
    Ok(!known)
}

/// Opens the household's case of each month (or brings an undecided one up to date) from all
/// of its signals: flags, the first-contact deadline and the caseload's features. The case
/// goes to the household's team (its district's when it has none of its own).
pub(super) fn open_cases(
    tx: &rusqlite::Connection,
    household_id: i64,
    list: &[NaiveDate],
    features: FeatureFn<'_>,
    summary: &mut SignalImportSummary,
) -> Result<()> {
    let household = household_by_id(tx, household_id)?;
    let team: String = tx.cached_row(
        "SELECT coalesce(team, district) FROM households WHERE id = ?1",
        [household_id],
        |r| r.get(0),
    )?;
    let signals = signals_in(tx, household_id)?;
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
        let json =
            serde_json::to_string(&values).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let existing: Option<(i64, String)> = tx
            .cached_row(
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
                tx.cached_execute(
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
                tx.cached_execute(
                    "INSERT INTO cases (household_id, team, opened_on, deadline_on,
                         urgent, multiple_signals, repeated_signal, status, features)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8)",
                    params![
                        household_id,
                        team,
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
    Ok(())
}

/// The household with this id (for facts that changed: `households import`).
pub(super) fn household_by_id(tx: &rusqlite::Connection, id: i64) -> Result<Household> {
    household_where(tx, "id = ?1", &id).map(|(_, h)| h)
}

fn household_where(
    tx: &rusqlite::Connection,
    condition: &str,
    value: &dyn rusqlite::ToSql,
) -> Result<(i64, Household)> {
    let row = tx.cached_row(
        &format!(
            "SELECT id, household_type, children, income_source, district, earlier_debt_help,
                    known_to_district_team, wmo_youth_support, pseudonym
             FROM households WHERE {condition}"
        ),
        [value],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u8>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                [r.get::<_, bool>(5)?, r.get(6)?, r.get(7)?],
                r.get::<_, String>(8)?,
            ))
        },
    )?;
    let (id, htype, children, income, district, [debt, known, wmo], pseudonym) = row;
    Ok((
        id,
        Household {
            pseudonym,
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
pub(super) fn signals_in(tx: &rusqlite::Connection, household_id: i64) -> Result<Vec<Signal>> {
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
