//! Writing a caseload (households, signals, cases) in one transaction.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use rusqlite::{Transaction, params};

use super::events::Actor;
use super::{Result, Store, StoreError};
use crate::domain::decision::CaseStatus;
use crate::domain::household::{Household, PersonalData, ProtectedAttributes, Signal, SignalFlags};
use crate::domain::view::FeatureValue;

/// One household and its case, as an importer or the demo generator hands it over.
pub struct NewCase<'a> {
    pub household: &'a Household,
    pub personal: Option<&'a PersonalData>,
    pub protected: Option<&'a ProtectedAttributes>,
    pub signals: &'a [Signal],
    pub opened_on: chrono::NaiveDate,
    pub deadline_on: chrono::NaiveDate,
    pub flags: SignalFlags,
    /// true: awaiting review; false: a historical case with a known outcome.
    pub open: bool,
    pub outcome: Option<bool>,
    /// Raw model features, in the order of the caseload's feature list.
    pub features: &'a [FeatureValue],
    /// The demo's hidden truth, if this is demo data.
    pub latent_need: Option<f64>,
}

/// Adds cases inside the transaction `Store::write_caseload` opened.
pub struct CaseloadWriter<'t> {
    tx: &'t Transaction<'t>,
    width: usize,
    count: usize,
}

impl CaseloadWriter<'_> {
    pub fn add(&mut self, case: &NewCase<'_>) -> Result<()> {
        if case.features.len() != self.width {
            return Err(StoreError::Corrupt(format!(
                "household {} has {} features, the caseload declares {}",
                case.household.pseudonym,
                case.features.len(),
                self.width
            )));
        }
        let h = case.household;
        let tx = self.tx;
        tx.prepare_cached(
            "INSERT INTO households (pseudonym, household_type, children, income_source, district,
                 earlier_debt_help, known_to_district_team, wmo_youth_support)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            h.pseudonym,
            h.household_type.as_code(),
            h.children,
            h.income_source.as_code(),
            h.district,
            h.earlier_debt_help,
            h.known_to_district_team,
            h.wmo_youth_support
        ])?;
        let household_id = tx.last_insert_rowid();
        if let Some(p) = case.personal {
            insert_personal(tx, household_id, p)?;
        }
        if let Some(p) = case.protected {
            tx.prepare_cached(
                "INSERT INTO protected_attributes (household_id, gender, age_band, migration_background)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![household_id, p.gender, p.age_band, p.migration_background])?;
        }
        if let Some(need) = case.latent_need {
            tx.prepare_cached(
                "INSERT INTO demo_truth (household_id, latent_need) VALUES (?1, ?2)",
            )?
            .execute(params![household_id, need])?;
        }
        for s in case.signals {
            insert_signal(tx, household_id, s)?;
        }
        let status = if case.open {
            CaseStatus::Open
        } else {
            CaseStatus::Closed
        };
        let features =
            serde_json::to_string(case.features).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        tx.prepare_cached(
            "INSERT INTO cases (household_id, team, opened_on, deadline_on, urgent,
                 multiple_signals, repeated_signal, status, outcome, features)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            household_id,
            h.district,
            case.opened_on.to_string(),
            case.deadline_on.to_string(),
            case.flags.threat,
            case.flags.multiple,
            case.flags.repeated,
            status.as_code(),
            case.outcome,
            features
        ])?;
        self.count += 1;
        Ok(())
    }
}

impl Store {
    /// Writes a whole caseload in one transaction: on any error nothing is kept.
    ///
    /// `features` declares the model features every case carries (name, categorical?).
    /// The declaration is a setting, logged as `setting_changed` by `actor`.
    pub fn write_caseload(
        &mut self,
        actor: &Actor,
        features: &[(String, bool)],
        fill: impl FnOnce(&mut CaseloadWriter<'_>) -> Result<()>,
    ) -> Result<usize> {
        let declared = serde_json::to_string(features).expect("names and flags serialise");
        let at = super::events::timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        super::settings::change(&tx, actor, &at, "features", Some(&declared))?;
        let set_aside = set_indexes_aside_if_empty(&tx)?;
        let mut writer = CaseloadWriter {
            tx: &tx,
            width: features.len(),
            count: 0,
        };
        fill(&mut writer)?;
        let count = writer.count;
        for sql in set_aside {
            tx.execute_batch(&sql)?;
        }
        tx.commit()?;
        Ok(count)
    }

    /// Adds cases to a caseload already declared (the demo's later months): the same writer
    /// in one transaction, the feature declaration left as it is.
    pub fn add_to_caseload(
        &mut self,
        actor: &Actor,
        fill: impl FnOnce(&mut CaseloadWriter<'_>) -> Result<()>,
    ) -> Result<usize> {
        let width = self.feature_list()?.len();
        let tx = self.acting_tx(actor)?;
        let mut writer = CaseloadWriter {
            tx: &tx,
            width,
            count: 0,
        };
        fill(&mut writer)?;
        let count = writer.count;
        tx.commit()?;
        Ok(count)
    }

    /// The caseload's declared model features: (name, categorical?).
    pub fn feature_list(&self) -> Result<Vec<(String, bool)>> {
        let text = self
            .setting("features")?
            .ok_or(StoreError::Refused(Refusal::Empty("error.what.caseload")))?;
        serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("feature list: {e}")))
    }
}

/// Stores a household's personal data, with the postcode and house number of its address in
/// the forms signals are matched in (`domain::address`): the demo's writer and
/// `households import` both add them here.
pub(super) fn insert_personal(
    tx: &rusqlite::Connection,
    household_id: i64,
    p: &PersonalData,
) -> Result<()> {
    let (postcode, number) = crate::domain::address::parts(&p.address).unzip();
    tx.prepare_cached(
        "INSERT INTO personal_data (household_id, name, bsn, address, birth_date, postcode,
             house_number)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        household_id,
        p.name,
        p.bsn,
        p.address,
        p.birth_date.to_string(),
        postcode,
        number
    ])?;
    Ok(())
}

/// Schema 10 added postcode and house number beside the address: filled in for the rows
/// written before, from their address line (an address not in that form keeps none, and
/// signals are matched to it by BSN only).
pub(super) fn fill_address_parts(tx: &rusqlite::Connection) -> Result<()> {
    let rows: Vec<(i64, String)> = tx
        .prepare_cached("SELECT household_id, address FROM personal_data WHERE postcode IS NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare_cached(
        "UPDATE personal_data SET postcode = ?2, house_number = ?3 WHERE household_id = ?1",
    )?;
    for (id, address) in rows {
        if let Some((postcode, number)) = crate::domain::address::parts(&address) {
            update.execute(params![id, postcode, number])?;
        }
    }
    Ok(())
}

/// Stores one signal of a household: the demo's writer and `signals import` both add them
/// here.
pub(super) fn insert_signal(
    tx: &rusqlite::Connection,
    household_id: i64,
    s: &Signal,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO signals (household_id, creditor_type, creditor, amount_cents,
             months_in_arrears, received_on, end_of_supply_on, threat)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        household_id,
        s.creditor_type.as_code(),
        s.creditor,
        s.amount_cents,
        s.months_in_arrears,
        s.received_on.to_string(),
        s.end_of_supply_on.map(|d| d.to_string()),
        s.threat
    ])?;
    Ok(())
}

/// The tables a caseload fills, whose indexes a first load builds at the end.
const LOADED_TABLES: &[&str] = &["households", "personal_data", "signals", "cases"];

/// When the caseload's tables are empty (a first import or the demo), drops their indexes in
/// the caller's transaction and returns the statements that make them again, for after the
/// rows are in: one sort per index instead of a million inserts at random places in each
/// (the queue alone has nine indexes on `cases`). Nothing is set aside when rows are there
/// already.
fn set_indexes_aside_if_empty(tx: &Transaction<'_>) -> Result<Vec<String>> {
    let empty: bool = tx.cached_row(
        "SELECT NOT EXISTS (SELECT 1 FROM households) AND NOT EXISTS (SELECT 1 FROM cases)",
        [],
        |r| r.get(0),
    )?;
    if !empty {
        return Ok(Vec::new());
    }
    super::indexes::set_aside(tx, LOADED_TABLES, |_| true)
}
