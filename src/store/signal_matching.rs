//! Which household a creditor's signal is about, and the signals no rule could place.
//!
//! The rules, in order (each in the canonical forms of `domain::address`):
//!
//! 1. oordeel's own pseudonym, when the file gives one (the demo's files, tests);
//! 2. the BSN: the household whose personal data hold it; two households with one BSN is
//!    ambiguous; no household with it goes on to rule 3 when the signal gives an address;
//! 3. postcode, house number and birth date together; of several households there, the one
//!    whose name reads the same (letters and digits, any case); otherwise ambiguous.
//!
//! A signal no rule places, or that fits more than one household, is never dropped and
//! never guessed: it waits in `unmatched_signals` until an admin matches it to a household
//! (`signals match`) or makes one for it (`signals new-household`), each a logged event.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use chrono::Datelike;
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::events::{Actor, append, timestamp};
use super::signals::{FeatureFn, SignalImportSummary, attach, open_cases};
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::address::name_key;
use crate::domain::event::EventKind;
use crate::domain::household::{Household, Signal};
use crate::domain::identity_check::{Comparison, OnRecord, compare};
use crate::domain::signal_file::{SignalIdentity, SignalRow};

/// Where a signal belongs.
#[derive(Debug, Clone, PartialEq)]
pub enum Match {
    Household(i64),
    /// A pseudonym no household has: a fault of the file (only oordeel writes pseudonyms).
    Pseudonym(String),
    /// No household fits.
    None,
    /// More than one does: their pseudonyms.
    Ambiguous(Vec<String>),
}

/// The household a signal is about, by the rules above.
pub(super) fn match_signal(conn: &rusqlite::Connection, id: &SignalIdentity) -> Result<Match> {
    if let Some(pseudonym) = &id.household {
        let found: Option<i64> = conn
            .prepare_cached("SELECT id FROM households WHERE pseudonym = ?1")?
            .query_row([pseudonym], |r| r.get(0))
            .optional()?;
        return Ok(found.map_or_else(|| Match::Pseudonym(pseudonym.clone()), Match::Household));
    }
    if let Some(bsn) = &id.bsn {
        let found = candidates(
            conn,
            "SELECT p.household_id, h.pseudonym, p.name FROM personal_data p
             JOIN households h ON h.id = p.household_id WHERE p.bsn = ?1",
            params![bsn],
        )?;
        match found.as_slice() {
            [(one, _, _)] => return Ok(Match::Household(*one)),
            [] => {}
            many => return Ok(Match::Ambiguous(many.iter().map(|c| c.1.clone()).collect())),
        }
    }
    let Some((postcode, number, birth)) = id.address() else {
        return Ok(Match::None);
    };
    let found = candidates(
        conn,
        "SELECT p.household_id, h.pseudonym, p.name FROM personal_data p
         JOIN households h ON h.id = p.household_id
         WHERE p.postcode = ?1 AND p.house_number = ?2 AND p.birth_date = ?3",
        params![postcode, number, birth.to_string()],
    )?;
    Ok(match found.as_slice() {
        [] => Match::None,
        [(one, _, _)] => Match::Household(*one),
        many => {
            let named: Vec<&(i64, String, String)> = match &id.name {
                Some(name) => many
                    .iter()
                    .filter(|c| name_key(&c.2) == name_key(name))
                    .collect(),
                None => Vec::new(),
            };
            match named.as_slice() {
                [one] => Match::Household(one.0),
                _ => Match::Ambiguous(many.iter().map(|c| c.1.clone()).collect()),
            }
        }
    })
}

fn candidates(
    conn: &rusqlite::Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<(i64, String, String)>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_map(params, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// How the signal's person compares with the household's personal data.
fn compare_with_record(
    conn: &rusqlite::Connection,
    identity: &SignalIdentity,
    household_id: i64,
) -> Result<Comparison> {
    let row: Option<(String, String, String, String, String)> = conn
        .cached_row(
            "SELECT bsn, name, coalesce(postcode, ''), coalesce(house_number, ''), birth_date
             FROM personal_data WHERE household_id = ?1",
            [household_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((bsn, name, postcode, house_number, birth)) = row else {
        return Ok(compare(identity, None));
    };
    let record = OnRecord {
        bsn: &bsn,
        name: &name,
        postcode: &postcode,
        house_number: &house_number,
        birth_date: super::queue::parse_date(&birth)?,
    };
    Ok(compare(identity, Some(&record)))
}

/// Keeps a signal no rule placed, with how the creditor named the person, for an admin.
pub(super) fn keep_waiting(
    tx: &rusqlite::Connection,
    import_seq: i64,
    file: &str,
    row: &SignalRow,
    found: &Match,
) -> Result<()> {
    let (problem, candidates) = match found {
        Match::Ambiguous(c) => ("ambiguous", Some(serde_json::to_string(c).expect("names"))),
        _ => ("no_match", None),
    };
    tx.prepare_cached(
        "INSERT INTO unmatched_signals (import_seq, file, line, signal, identity, problem,
             candidates)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        import_seq,
        file,
        row.line,
        serde_json::to_string(&row.signal).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        serde_json::to_string(&row.identity).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        problem,
        candidates
    ])?;
    Ok(())
}

/// A signal that waits for an admin.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitingSignal {
    pub id: i64,
    pub file: String,
    pub line: u64,
    pub signal: Signal,
    pub identity: SignalIdentity,
    /// `no_match` or `ambiguous`.
    pub problem: String,
    /// For an ambiguous one: the households it fits.
    pub candidates: Vec<String>,
    /// Households at the address the signal gives, whatever their birth date (pseudonym,
    /// name, birth date): where an admin looks first when a date or name is off.
    pub at_address: Vec<(String, String, chrono::NaiveDate)>,
}

/// The facts of a household an admin makes for a waiting signal, from the municipality's
/// register (a signal names a person, not their household).
#[derive(Debug, Clone)]
pub struct NewHousehold<'a> {
    pub household: &'a Household,
    pub team: Option<&'a str>,
    /// The BSN, when the signal did not carry one.
    pub bsn: Option<&'a str>,
    pub street: &'a str,
    pub city: &'a str,
}

/// id, file, line, signal, identity, problem, candidates: a waiting row as read.
type WaitingRow = (i64, String, i64, String, String, String, Option<String>);

fn waiting_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<WaitingRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

fn decode(row: WaitingRow) -> Result<WaitingSignal> {
    let (id, file, line, signal, identity, problem, candidates) = row;
    let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("waiting signal {id}: {e}"));
    Ok(WaitingSignal {
        id,
        file,
        line: line as u64,
        signal: serde_json::from_str(&signal).map_err(corrupt)?,
        identity: serde_json::from_str(&identity).map_err(corrupt)?,
        problem,
        candidates: match candidates {
            Some(c) => serde_json::from_str(&c).map_err(corrupt)?,
            None => Vec::new(),
        },
        at_address: Vec::new(),
    })
}

/// The households at a waiting signal's address.
fn at_address(
    conn: &rusqlite::Connection,
    w: &WaitingSignal,
) -> Result<Vec<(String, String, chrono::NaiveDate)>> {
    let (Some(postcode), Some(number)) = (&w.identity.postcode, &w.identity.house_number) else {
        return Ok(Vec::new());
    };
    let rows: Vec<(String, String, String)> = conn
        .prepare_cached(
            "SELECT h.pseudonym, p.name, p.birth_date FROM personal_data p
             JOIN households h ON h.id = p.household_id
             WHERE p.postcode = ?1 AND p.house_number = ?2 ORDER BY h.pseudonym",
        )?
        .query_map(params![postcode, number], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(h, n, d)| Ok((h, n, super::queue::parse_date(&d)?)))
        .collect()
}

const WAITING: &str = "SELECT id, file, line, signal, identity, problem, candidates
                       FROM unmatched_signals WHERE resolved_seq IS NULL";

impl Store {
    /// The signals waiting for an admin, oldest first. They name people (a BSN, a name, an
    /// address): the showing is logged, like a reveal.
    pub fn waiting_signals(&mut self, actor: &Actor) -> Result<Vec<WaitingSignal>> {
        require(actor, actor.role.administers(), "error.action.manage_data")?;
        let at = timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        let mut waiting = tx
            .prepare_cached(&format!("{WAITING} ORDER BY id"))?
            .query_map([], waiting_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(decode)
            .collect::<Result<Vec<_>>>()?;
        for w in &mut waiting {
            w.at_address = at_address(&tx, w)?;
        }
        if waiting.is_empty() {
            // Nothing personal was shown: nothing to log.
            return Ok(waiting);
        }
        let ids: Vec<i64> = waiting.iter().map(|w| w.id).collect();
        append(
            &tx,
            &at,
            actor,
            EventKind::UnmatchedSignalsShown,
            None,
            &json!({ "signals": ids }),
        )?;
        tx.commit()?;
        Ok(waiting)
    }

    /// Attaches waiting signal `id` to the household with this pseudonym (admins; logged as
    /// `signal_matched`): the case of its month opens or is brought up to date. A household
    /// whose person the signal cannot name (another BSN, nothing agreeing) is refused unless
    /// `confirmed`; what differs is logged either way.
    pub fn match_waiting_signal(
        &mut self,
        actor: &Actor,
        id: i64,
        pseudonym: &str,
        confirmed: bool,
        features: FeatureFn<'_>,
    ) -> Result<SignalImportSummary> {
        require(actor, actor.role.administers(), "error.action.manage_data")?;
        let at = timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        let waiting = waiting_in(&tx, id)?;
        let household_id: i64 = tx
            .cached_row(
                "SELECT id FROM households WHERE pseudonym = ?1",
                [pseudonym],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::Refused(Refusal::NoSuchHousehold(pseudonym.to_owned())))?;
        let comparison = compare_with_record(&tx, &waiting.identity, household_id)?;
        if comparison.needs_confirmation() && !confirmed {
            return Err(StoreError::Refused(Refusal::MatchContradicts {
                signal: id,
                household: pseudonym.to_owned(),
                differ: comparison.differ,
            }));
        }
        let summary = place(&tx, household_id, &waiting.signal, features)?;
        let payload = json!({
            "signal": id,
            "household": pseudonym,
            "file": waiting.file,
            "line": waiting.line,
            "problem": waiting.problem,
            "differ": comparison.differ,
            "confirmed": confirmed,
        });
        resolve(&tx, (actor, &at), id, EventKind::SignalMatched, &payload)?;
        tx.commit()?;
        Ok(summary)
    }

    /// Makes a household for waiting signal `id` from the person it names and the facts an
    /// admin looked up (admins; logged as `household_created`), and attaches the signal.
    /// Returns the new household's pseudonym.
    pub fn household_for_waiting_signal(
        &mut self,
        actor: &Actor,
        id: i64,
        new: &NewHousehold<'_>,
        features: FeatureFn<'_>,
    ) -> Result<(String, SignalImportSummary)> {
        require(actor, actor.role.administers(), "error.action.manage_data")?;
        let at = timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        let waiting = waiting_in(&tx, id)?;
        check_new_household(&tx, new)?;
        let who = &waiting.identity;
        let (Some(name), Some((postcode, number, birth))) = (&who.name, who.address()) else {
            return Err(StoreError::Refused(Refusal::SignalNamesNoOne(id)));
        };
        let Some(bsn) = who.bsn.as_deref().or(new.bsn) else {
            return Err(StoreError::Refused(Refusal::BsnNeeded(id)));
        };
        if let Some(household) = household_with_bsn(&tx, bsn)? {
            return Err(StoreError::Refused(Refusal::BsnHeld {
                signal: id,
                household,
            }));
        }
        let record = crate::domain::import::households::HouseholdRecord {
            line: waiting.line,
            key: format!("signal-{id}"),
            household: new.household.clone(),
            team: new.team.map(str::to_owned),
            personal: crate::domain::household::PersonalData {
                name: name.clone(),
                bsn: bsn.to_owned(),
                address: crate::domain::address::compose(new.street, number, postcode, new.city),
                birth_date: birth,
            },
            postcode: postcode.to_owned(),
            house_number: number.to_owned(),
            protected: crate::domain::household::ProtectedAttributes {
                gender: "unknown".into(),
                age_band: crate::domain::household::age_band(birth, at_date(&at)).to_owned(),
                migration_background: "unknown".into(),
            },
        };
        let pseudonym = super::households::add_household(&tx, &record)?;
        let household_id: i64 = tx.cached_row(
            "SELECT id FROM households WHERE pseudonym = ?1",
            [&pseudonym],
            |r| r.get(0),
        )?;
        let summary = place(&tx, household_id, &waiting.signal, features)?;
        let payload = json!({
            "signal": id,
            "household": pseudonym,
            "file": waiting.file,
            "line": waiting.line,
        });
        resolve(&tx, (actor, &at), id, EventKind::HouseholdCreated, &payload)?;
        tx.commit()?;
        Ok((pseudonym, summary))
    }
}

/// Attaches every waiting signal the rules now place (an extract brought the person it
/// names), each logged as `signal_matched` with the import that placed it, as an admin's
/// match would be. Returns how many were placed, and what that did to cases.
pub(super) fn place_waiting_again(
    tx: &rusqlite::Transaction<'_>,
    (actor, at): (&Actor, &str),
    import_seq: i64,
    features: FeatureFn<'_>,
) -> Result<(usize, SignalImportSummary)> {
    let waiting = tx
        .prepare_cached(&format!("{WAITING} ORDER BY id"))?
        .query_map([], waiting_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(decode)
        .collect::<Result<Vec<_>>>()?;
    let (mut placed, mut total) = (0, SignalImportSummary::default());
    for w in waiting {
        let Match::Household(household_id) = match_signal(tx, &w.identity)? else {
            continue;
        };
        let summary = place(tx, household_id, &w.signal, features)?;
        total.signals += summary.signals;
        total.cases_opened += summary.cases_opened;
        total.cases_updated += summary.cases_updated;
        total.to_decided += summary.to_decided;
        total.known += summary.known;
        let pseudonym: String = tx.cached_row(
            "SELECT pseudonym FROM households WHERE id = ?1",
            [household_id],
            |r| r.get(0),
        )?;
        let payload = json!({
            "signal": w.id,
            "household": pseudonym,
            "file": w.file,
            "line": w.line,
            "problem": w.problem,
            "placed_by_import": import_seq,
        });
        resolve(tx, (actor, at), w.id, EventKind::SignalMatched, &payload)?;
        placed += 1;
    }
    Ok((placed, total))
}

/// The facts an admin typed for a new household, held to what an extract's row is held to:
/// an address that later signals can be matched on, a composition that fits the children,
/// and a district and team the caseload knows (a typo would send its case to nobody).
fn check_new_household(conn: &rusqlite::Connection, new: &NewHousehold<'_>) -> Result<()> {
    let bad = |field: &'static str, found: &str, expected: String| {
        Err(StoreError::Refused(Refusal::NewHouseholdFact {
            field,
            found: found.to_owned(),
            expected,
        }))
    };
    for (field, text, required) in [("--street", new.street, true), ("--city", new.city, false)] {
        if let Some(c) = crate::domain::text::first_hidden_char(text) {
            return bad(field, text, format!("U+{:04X}", c as u32));
        }
        if required && text.trim().is_empty() || text.chars().count() > 120 {
            return bad(field, text, String::new());
        }
    }
    let h = new.household;
    if !h.household_type.fits_children(h.children) {
        let kind = h.household_type.as_code().replace('_', "-");
        return bad("--children", &h.children.to_string(), kind);
    }
    let known: Vec<String> = conn
        .prepare_cached(
            "SELECT district FROM households UNION SELECT team FROM households
             WHERE team IS NOT NULL UNION SELECT team FROM users WHERE team IS NOT NULL
             ORDER BY 1",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let districts: Vec<String> = conn
        .prepare_cached("SELECT DISTINCT district FROM households ORDER BY 1")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if !districts.contains(&h.district) {
        return bad("--district", &h.district, districts.join(", "));
    }
    if let Some(team) = new.team
        && !known.iter().any(|k| k == team)
    {
        return bad("--team", team, known.join(", "));
    }
    Ok(())
}

/// The pseudonym of the household with this BSN, if one has it.
pub(super) fn household_with_bsn(conn: &rusqlite::Connection, bsn: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT h.pseudonym FROM personal_data p JOIN households h ON h.id = p.household_id
             WHERE p.bsn = ?1",
        )?
        .query_row([bsn], |r| r.get(0))
        .optional()?)
}

/// Logs how waiting signal `id` was placed and marks it placed by that event.
fn resolve(
    tx: &rusqlite::Transaction<'_>,
    (actor, at): (&Actor, &str),
    id: i64,
    kind: EventKind,
    payload: &serde_json::Value,
) -> Result<()> {
    let seq = append(tx, at, actor, kind, None, payload)?;
    tx.cached_execute(
        "UPDATE unmatched_signals SET resolved_seq = ?2 WHERE id = ?1",
        params![id, seq],
    )?;
    Ok(())
}

fn at_date(at: &str) -> chrono::NaiveDate {
    super::queue::parse_time(at)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

/// Waiting signal `id`, refused when there is none (or it was placed already).
fn waiting_in(conn: &rusqlite::Connection, id: i64) -> Result<WaitingSignal> {
    let row = conn
        .cached_row(&format!("{WAITING} AND id = ?1"), [id], waiting_row)
        .optional()?
        .ok_or(StoreError::Refused(Refusal::NoWaitingSignal(id)))?;
    decode(row)
}

/// Attaches a signal and opens (or updates) its month's case.
fn place(
    tx: &rusqlite::Connection,
    household_id: i64,
    signal: &Signal,
    features: FeatureFn<'_>,
) -> Result<SignalImportSummary> {
    let mut summary = SignalImportSummary::default();
    if attach(tx, household_id, signal)? {
        summary.signals = 1;
        summary.households = 1;
        let month = signal.received_on.with_day(1).expect("day 1 exists");
        open_cases(tx, household_id, &[month], features, &mut summary)?;
    } else {
        summary.known = 1;
    }
    Ok(summary)
}
