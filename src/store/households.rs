//! `oordeel households import`: a municipality's client or BRP extract into households, in
//! one transaction with a `households_imported` event.
//!
//! A household is found again by its key in the municipality's systems (`household_keys`):
//! a later extract updates what changed (a move, a new child, another team) and logs which
//! fields changed, adds the households that are new, and never makes one twice. A household
//! that is not in a later extract stays, with its cases and decisions (the purge rules apply
//! to it as to any). Every new household gets a pseudonym drawn at random, not derived from
//! its key or BSN, so no list of BSNs turns into pseudonyms or back.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use std::collections::HashSet;

use rand::Rng;
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::events::{Actor, append, timestamp};
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::event::EventKind;
use crate::domain::feature_catalogue;
use crate::domain::household::{Household, ProtectedAttributes};
use crate::domain::import::households::HouseholdRecord;

/// What an import did (or, dry, would do).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct HouseholdImportSummary {
    /// The `households_imported` event; `None` for a dry run.
    pub seq: Option<i64>,
    pub added: usize,
    /// Households whose facts, team, personal data or protected attributes changed, with the
    /// names of what changed (no values: the log holds no personal data).
    pub updated: Vec<(String, Vec<&'static str>)>,
    pub unchanged: usize,
    /// Households of earlier extracts that this one does not hold: kept.
    pub absent: usize,
    /// The caseload's features were declared by this import (the first).
    pub features_declared: bool,
    /// Open cases whose features were computed again because their household changed.
    pub cases_refreshed: usize,
    /// Undecided cases moved to their household's new team (a move to another district, or
    /// another team in the register), each logged as `reassigned`.
    pub cases_moved: usize,
    /// Waiting signals that name a person this extract brought, attached now, and what that
    /// did to cases.
    pub signals_placed: usize,
    pub placed: super::SignalImportSummary,
}

/// The file an import read, for its event.
#[derive(Debug, Clone, Copy)]
pub struct ExtractFile<'a> {
    pub name: &'a str,
    pub sha256: &'a str,
    pub profile: &'a str,
    pub profile_sha256: &'a str,
    pub rows: usize,
}

/// A household's row as stored, to compare with the extract's.
struct Stored {
    id: i64,
    pseudonym: String,
    facts: [String; 8],
    personal: [Option<String>; 6],
    protected: [Option<String>; 3],
}

/// The names of the compared fields, in the order of [`Stored`]'s arrays.
const FACTS: [&str; 8] = [
    "household_type",
    "children",
    "income_source",
    "district",
    "team",
    "earlier_debt_help",
    "known_to_district_team",
    "wmo_youth_support",
];
const PERSONAL: [&str; 6] = [
    "name",
    "bsn",
    "address",
    "birth_date",
    "postcode",
    "house_number",
];
const PROTECTED: [&str; 3] = ["gender", "age_band", "migration_background"];

fn facts_of(h: &Household, team: Option<&str>) -> [String; 8] {
    let flag = |b: bool| i64::from(b).to_string();
    [
        h.household_type.as_code().to_owned(),
        h.children.to_string(),
        h.income_source.as_code().to_owned(),
        h.district.clone(),
        team.unwrap_or_default().to_owned(),
        flag(h.earlier_debt_help),
        flag(h.known_to_district_team),
        flag(h.wmo_youth_support),
    ]
}

fn personal_of(r: &HouseholdRecord) -> [Option<String>; 6] {
    let p = &r.personal;
    [
        Some(p.name.clone()),
        Some(p.bsn.clone()),
        Some(p.address.clone()),
        Some(p.birth_date.to_string()),
        Some(r.postcode.clone()),
        Some(r.house_number.clone()),
    ]
}

fn protected_of(p: &ProtectedAttributes) -> [Option<String>; 3] {
    [
        Some(p.gender.clone()),
        Some(p.age_band.clone()),
        Some(p.migration_background.clone()),
    ]
}

impl Store {
    /// An earlier import of the extract with this SHA-256 through the profile with this one:
    /// (event, at, by).
    pub fn earlier_household_import(
        &self,
        sha256: &str,
        profile_sha256: &str,
    ) -> Result<Option<(i64, String, String)>> {
        super::events::earlier_read(
            &self.conn,
            EventKind::HouseholdsImported,
            sha256,
            Some(profile_sha256),
        )
    }

    /// Writes an extract's households (admins), or with `dry_run` says what it would do and
    /// writes nothing. `features` is the profile's choice: declared (and documented from the
    /// catalogue) by the first import; a later one must choose the same.
    pub fn import_households(
        &mut self,
        actor: &Actor,
        file: ExtractFile<'_>,
        features: &[(String, bool)],
        records: &[HouseholdRecord],
        new_districts: &[String],
        dry_run: bool,
    ) -> Result<HouseholdImportSummary> {
        require(actor, actor.role.administers(), "error.action.manage_data")?;
        let at = timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        if let Some((seq, at, by)) = super::events::earlier_read(
            &tx,
            EventKind::HouseholdsImported,
            file.sha256,
            Some(file.profile_sha256),
        )? {
            return Err(StoreError::Refused(Refusal::DuplicateHouseholds {
                seq,
                at,
                by,
            }));
        }
        unknown_districts(&tx, file.name, records, new_districts)?;
        let mut summary = HouseholdImportSummary::default();
        let declared = serde_json::to_string(features).expect("names and flags serialise");
        match super::settings::read(&tx, "features")? {
            None => {
                super::settings::change(&tx, actor, &at, "features", Some(&declared))?;
                document_features(&tx, actor, &at, features)?;
                summary.features_declared = true;
            }
            Some(existing) if existing == declared => {}
            Some(existing) => {
                let names = |text: &str| {
                    serde_json::from_str::<Vec<(String, bool)>>(text)
                        .map(|v| v.into_iter().map(|(n, _)| n).collect::<Vec<_>>().join(", "))
                        .unwrap_or_default()
                };
                return Err(StoreError::Refused(Refusal::FeaturesDiffer {
                    declared: names(&existing),
                    profile: names(&declared),
                }));
            }
        }
        let today = at.get(..10).unwrap_or_default().to_owned();
        let mut seen = std::collections::HashSet::with_capacity(records.len());
        let mut moved = Vec::new();
        for record in records {
            tx.prepare_cached("UPDATE household_keys SET last_seen = ?2 WHERE key = ?1")?
                .execute(params![record.key, today])?;
            let mut linked = false;
            let mut old = stored(&tx, &record.key)?;
            if old.is_none()
                && let Some(id) = household_id_with_bsn(&tx, &record.personal.bsn)?
            {
                // The person is a household already: made for a waiting signal, or under a
                // client number the municipality has since changed. The extract's key
                // replaces the one it had (a household has one key); one person is never two.
                tx.prepare_cached(
                    "INSERT INTO household_keys (key, household_id, last_seen) VALUES (?1, ?2, ?3)
                     ON CONFLICT (household_id) DO UPDATE
                       SET key = excluded.key, last_seen = excluded.last_seen",
                )?
                .execute(params![record.key, id, today])?;
                linked = true;
                old = stored(&tx, &record.key)?;
            }
            match old {
                None => {
                    let pseudonym = add_household(&tx, record)?;
                    seen.insert(pseudonym);
                    summary.added += 1;
                }
                Some(old) => {
                    seen.insert(old.pseudonym.clone());
                    let mut changed = changes(&old, record);
                    if linked {
                        changed.insert(0, "key");
                    }
                    if changed.is_empty() {
                        summary.unchanged += 1;
                        continue;
                    }
                    update(&tx, old.id, record)?;
                    summary.cases_refreshed += refresh_open_cases(&tx, old.id)?;
                    if changed.iter().any(|f| *f == "district" || *f == "team") {
                        moved.extend(follow_the_household(&tx, old.id)?);
                    }
                    summary.updated.push((old.pseudonym, changed));
                }
            }
        }
        summary.absent = absent_from(&tx, &seen)?;
        let changes: Vec<serde_json::Value> = summary
            .updated
            .iter()
            .map(|(h, fields)| json!({ "household": h, "fields": fields }))
            .collect();
        let payload = json!({
            "file": file.name,
            "sha256": file.sha256,
            "profile": file.profile,
            "profile_sha256": file.profile_sha256,
            "rows": file.rows,
            "added": summary.added,
            "updated": summary.updated.len(),
            "unchanged": summary.unchanged,
            "absent": summary.absent,
            "features_declared": summary.features_declared,
            "changes": changes,
        });
        let seq = append(
            &tx,
            &at,
            actor,
            EventKind::HouseholdsImported,
            None,
            &payload,
        )?;
        // After the import's event, so each move names the import that made it.
        for (case_id, from, to) in &moved {
            let payload = json!({ "from": from, "to": to, "households_import": seq });
            append(
                &tx,
                &at,
                actor,
                EventKind::Reassigned,
                Some(*case_id),
                &payload,
            )?;
        }
        summary.cases_moved = moved.len();
        let compute = feature_catalogue::computer(features);
        (summary.signals_placed, summary.placed) =
            super::signal_matching::place_waiting_again(&tx, (actor, &at), seq, &compute)?;
        if dry_run {
            // Dropped without a commit: nothing of it stays.
            return Ok(summary);
        }
        tx.commit()?;
        summary.seq = Some(seq);
        Ok(summary)
    }
}

/// Refuses a later extract naming a district or team the caseload has never had (among its
/// households and its users' teams) and `new_districts` does not declare: `Oots` for `Oost`
/// would open cases in a team nobody works in. The first extract brings them all.
fn unknown_districts(
    conn: &rusqlite::Connection,
    file: &str,
    records: &[HouseholdRecord],
    new_districts: &[String],
) -> Result<()> {
    let households: bool =
        conn.cached_row("SELECT EXISTS (SELECT 1 FROM households)", [], |r| r.get(0))?;
    if !households {
        return Ok(());
    }
    let known: std::collections::BTreeSet<String> = conn
        .prepare_cached(
            "SELECT district FROM households UNION SELECT team FROM households
             WHERE team IS NOT NULL UNION SELECT team FROM users WHERE team IS NOT NULL",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut found: Vec<(String, u64)> = Vec::new();
    for record in records {
        for name in std::iter::once(&record.household.district).chain(record.team.as_ref()) {
            if !known.contains(name)
                && !new_districts.contains(name)
                && !found.iter().any(|(n, _)| n == name)
            {
                found.push((name.clone(), record.line));
            }
        }
    }
    if found.is_empty() {
        return Ok(());
    }
    found.truncate(10);
    Err(StoreError::Refused(Refusal::UnknownDistricts {
        file: file.to_owned(),
        found,
        known: known.into_iter().collect(),
    }))
}

/// The household with this BSN, if one has it.
fn household_id_with_bsn(conn: &rusqlite::Connection, bsn: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT household_id FROM personal_data WHERE bsn = ?1")?
        .query_row([bsn], |r| r.get(0))
        .optional()?)
}

/// How many households an earlier extract brought that this one (`seen`, by pseudonym) does
/// not hold. A household made for a waiting signal was in no extract, and is not counted.
fn absent_from(conn: &rusqlite::Connection, seen: &HashSet<String>) -> Result<usize> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT h.pseudonym FROM household_keys k
         JOIN households h ON h.id = k.household_id
         WHERE k.key NOT LIKE 'signal-%'",
    )?;
    let mut absent = 0;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let pseudonym: String = row.get(0)?;
        if !seen.contains(&pseudonym) {
            absent += 1;
        }
    }
    Ok(absent)
}

/// Adds a new household under a fresh pseudonym (returned), with its personal data,
/// protected attributes and key.
pub(super) fn add_household(tx: &rusqlite::Connection, record: &HouseholdRecord) -> Result<String> {
    let pseudonym = fresh_pseudonym(tx, &mut rand::thread_rng())?;
    insert(tx, record, &pseudonym)?;
    Ok(pseudonym)
}

/// The household with this key, as stored.
fn stored(conn: &rusqlite::Connection, key: &str) -> Result<Option<Stored>> {
    Ok(conn
        .cached_row(
            "SELECT h.id, h.pseudonym, h.household_type, h.children, h.income_source,
                    h.district, coalesce(h.team, ''), h.earlier_debt_help,
                    h.known_to_district_team, h.wmo_youth_support,
                    p.name, p.bsn, p.address, p.birth_date, p.postcode, p.house_number,
                    a.gender, a.age_band, a.migration_background
             FROM household_keys k JOIN households h ON h.id = k.household_id
             LEFT JOIN personal_data p ON p.household_id = h.id
             LEFT JOIN protected_attributes a ON a.household_id = h.id
             WHERE k.key = ?1",
            [key],
            |r| {
                let text = |i: usize| -> rusqlite::Result<String> {
                    let v: rusqlite::types::Value = r.get(i)?;
                    Ok(match v {
                        rusqlite::types::Value::Integer(n) => n.to_string(),
                        rusqlite::types::Value::Text(t) => t,
                        _ => String::new(),
                    })
                };
                Ok(Stored {
                    id: r.get(0)?,
                    pseudonym: r.get(1)?,
                    facts: [
                        text(2)?,
                        text(3)?,
                        text(4)?,
                        text(5)?,
                        text(6)?,
                        text(7)?,
                        text(8)?,
                        text(9)?,
                    ],
                    personal: [
                        r.get(10)?,
                        r.get(11)?,
                        r.get(12)?,
                        r.get(13)?,
                        r.get(14)?,
                        r.get(15)?,
                    ],
                    protected: [r.get(16)?, r.get(17)?, r.get(18)?],
                })
            },
        )
        .optional()?)
}

/// The names of the fields the extract changes.
fn changes(old: &Stored, r: &HouseholdRecord) -> Vec<&'static str> {
    let facts = facts_of(&r.household, r.team.as_deref());
    let personal = personal_of(r);
    let protected = protected_of(&r.protected);
    let mut out = Vec::new();
    out.extend(
        (0..FACTS.len())
            .filter(|&i| old.facts[i] != facts[i])
            .map(|i| FACTS[i]),
    );
    out.extend(
        (0..PERSONAL.len())
            .filter(|&i| old.personal[i] != personal[i])
            .map(|i| PERSONAL[i]),
    );
    out.extend(
        (0..PROTECTED.len())
            .filter(|&i| old.protected[i] != protected[i])
            .map(|i| PROTECTED[i]),
    );
    out
}

/// A pseudonym no household has, drawn at random (`H-` and six digits, seven once a
/// million households make six crowded).
fn fresh_pseudonym(conn: &rusqlite::Connection, rng: &mut impl Rng) -> Result<String> {
    let households: i64 = conn.cached_row("SELECT count(*) FROM households", [], |r| r.get(0))?;
    let digits = if households < 300_000 { 6 } else { 7 };
    let mut taken = conn.prepare_cached("SELECT 1 FROM households WHERE pseudonym = ?1")?;
    loop {
        let n: u32 = rng.gen_range(0..10u32.pow(digits));
        let pseudonym = format!("H-{n:0width$}", width = digits as usize);
        if !taken.exists([&pseudonym])? {
            return Ok(pseudonym);
        }
    }
}

fn insert(tx: &rusqlite::Connection, r: &HouseholdRecord, pseudonym: &str) -> Result<()> {
    let h = &r.household;
    tx.prepare_cached(
        "INSERT INTO households (pseudonym, household_type, children, income_source, district,
             earlier_debt_help, known_to_district_team, wmo_youth_support, team)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        pseudonym,
        h.household_type.as_code(),
        h.children,
        h.income_source.as_code(),
        h.district,
        h.earlier_debt_help,
        h.known_to_district_team,
        h.wmo_youth_support,
        r.team
    ])?;
    let id = tx.last_insert_rowid();
    super::caseload::insert_personal(tx, id, &r.personal)?;
    put_protected(tx, id, &r.protected)?;
    tx.prepare_cached(
        "INSERT INTO household_keys (key, household_id, last_seen) VALUES (?1, ?2, date('now'))",
    )?
    .execute(params![r.key, id])?;
    Ok(())
}

fn update(tx: &rusqlite::Connection, id: i64, r: &HouseholdRecord) -> Result<()> {
    let h = &r.household;
    tx.prepare_cached(
        "UPDATE households SET household_type = ?2, children = ?3, income_source = ?4,
             district = ?5, earlier_debt_help = ?6, known_to_district_team = ?7,
             wmo_youth_support = ?8, team = ?9
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        h.household_type.as_code(),
        h.children,
        h.income_source.as_code(),
        h.district,
        h.earlier_debt_help,
        h.known_to_district_team,
        h.wmo_youth_support,
        r.team
    ])?;
    // A household erased by a purge that comes back in an extract is a household again,
    // with the personal data the municipality holds now.
    tx.cached_execute("DELETE FROM personal_data WHERE household_id = ?1", [id])?;
    super::caseload::insert_personal(tx, id, &r.personal)?;
    put_protected(tx, id, &r.protected)
}

/// The household's protected attributes, written or replaced (audit only).
fn put_protected(tx: &rusqlite::Connection, id: i64, p: &ProtectedAttributes) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO protected_attributes (household_id, gender, age_band, migration_background)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(household_id) DO UPDATE SET gender = excluded.gender,
             age_band = excluded.age_band, migration_background = excluded.migration_background",
    )?
    .execute(params![id, p.gender, p.age_band, p.migration_background])?;
    Ok(())
}

/// Computes again the features of the household's cases that still wait for a decision (a
/// new child, another income are the case's facts now; a past signal the history brought
/// makes a case *herhaald*); decided and closed cases keep the features they were decided
/// or learned on. The month's threat, and so the deadline, stay: only that month's signals
/// make them, and those came with the case. Returns how many.
pub(super) fn refresh_open_cases(tx: &rusqlite::Connection, household_id: i64) -> Result<usize> {
    let names: Vec<(String, bool)> = match super::settings::read(tx, "features")? {
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| StoreError::Corrupt(format!("feature list: {e}")))?,
        None => return Ok(0),
    };
    let household = super::signals::household_by_id(tx, household_id)?;
    let signals = super::signals::signals_in(tx, household_id)?;
    let cases: Vec<(i64, String, bool)> = tx
        .prepare_cached(
            "SELECT id, opened_on, urgent FROM cases
             WHERE household_id = ?1 AND status IN ('open', 'deferred')",
        )?
        .query_map([household_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, opened, threat) in &cases {
        let month_start = super::queue::month_start(super::queue::parse_date(opened)?);
        let flags = crate::domain::household::SignalFlags {
            threat: *threat,
            ..crate::domain::household::derive_flags(&signals, month_start)
        };
        let inputs = feature_catalogue::Inputs {
            household: &household,
            signals: &signals,
            month_start,
            flags,
        };
        let values = feature_catalogue::values(&names, &inputs).map_err(|name| {
            StoreError::Corrupt(format!("feature `{name}` not in the catalogue"))
        })?;
        let text =
            serde_json::to_string(&values).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        tx.cached_execute(
            "UPDATE cases SET features = ?2, multiple_signals = ?3, repeated_signal = ?4
             WHERE id = ?1",
            params![id, text, flags.multiple, flags.repeated],
        )?;
    }
    Ok(cases.len())
}

/// Moves the household's undecided cases (open or deferred) to its team as the register has
/// it now, releasing their claims: a household that moved is helped where it lives. A case
/// decided and waiting for a signature stays with the team that decided it. Returns each
/// move as (case, from, to).
fn follow_the_household(
    tx: &rusqlite::Connection,
    household_id: i64,
) -> Result<Vec<(i64, String, String)>> {
    let moves: Vec<(i64, String, String)> = tx
        .prepare_cached(
            "SELECT c.id, c.team, coalesce(h.team, h.district) FROM cases c
             JOIN households h ON h.id = c.household_id
             WHERE c.household_id = ?1 AND c.status IN ('open', 'deferred')
               AND c.team != coalesce(h.team, h.district)",
        )?
        .query_map([household_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (case_id, _, to) in &moves {
        tx.cached_execute(
            "UPDATE cases SET team = ?2 WHERE id = ?1",
            params![case_id, to],
        )?;
        tx.cached_execute("DELETE FROM claims WHERE case_id = ?1", [case_id])?;
    }
    Ok(moves)
}

/// Documents each declared feature from the catalogue, unless documented already: the
/// importing admin declares what the profile chose, and `features set` rewrites a text.
fn document_features(
    tx: &rusqlite::Transaction<'_>,
    actor: &Actor,
    at: &str,
    features: &[(String, bool)],
) -> Result<()> {
    let docs = feature_catalogue::documentation();
    for (name, categorical) in features {
        let documented: bool = tx.cached_row(
            "SELECT EXISTS (SELECT 1 FROM feature_metadata WHERE name = ?1)",
            [name],
            |r| r.get(0),
        )?;
        let Some(doc) = docs.get(name).filter(|_| !documented) else {
            continue;
        };
        super::features::document_one(
            tx,
            actor,
            at,
            &super::FeatureDoc {
                name,
                source: &doc.source,
                legal_basis: &doc.legal_basis,
                description: &doc.description,
            },
            *categorical,
        )?;
    }
    Ok(())
}
