//! Gathering what oordeel recorded about one household for an access request, and logging
//! the access in the same transaction (`citizen_report` event): the answer to a citizen is
//! itself a showing of their personal data.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::claims::visible_case;
use super::events::{Actor, append, timestamp};
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::citizen::{Access, CitizenCase, CitizenRecord};
use crate::domain::event::EventKind;
use crate::domain::household::{PersonalData, ProtectedAttributes};

impl Store {
    /// Everything recorded about the household with this pseudonym, for auditors and admins
    /// (every team) and supervisors (their team). Logged as `citizen_report` with the format.
    pub fn citizen_record(
        &mut self,
        actor: &Actor,
        pseudonym: &str,
        format: &str,
    ) -> Result<CitizenRecord> {
        require(actor, actor.role.audits(), "error.action.citizen")?;
        let at = timestamp(self.now());
        let household_id: i64 = self
            .conn
            .cached_row(
                "SELECT id FROM households WHERE pseudonym = ?1",
                [pseudonym],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::Refused(Refusal::NoSuchHousehold(pseudonym.to_owned())))?;
        let case_ids: Vec<i64> = self
            .conn
            .prepare_cached(
                "SELECT id FROM cases WHERE household_id = ?1 ORDER BY opened_on DESC, id DESC",
            )?
            .query_map([household_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut cases = Vec::new();
        let mut household = None;
        for &case_id in &case_ids {
            visible_case(&self.conn, actor, case_id)?;
            let d = self.case_detail(actor, case_id)?;
            // The record of what was computed, whatever the console hides now (a halt,
            // judge-first): the household is owed the explanation that was given, from the
            // scoring run the standing decision was taken under (a later run ranked a case
            // that was decided already, and is not why it was decided).
            let decided_at = CitizenCase::standing_in(&d.history)
                .map(|s| s.at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true));
            let (explanation, ranking) =
                match self.explanation_as_of(case_id, decided_at.as_deref())? {
                    Some((e, r)) => (Some(e), Some(r)),
                    None => (None, None),
                };
            household.get_or_insert_with(|| d.household.clone());
            let outcome: Option<bool> = self.conn.cached_row(
                "SELECT CASE WHEN status = 'closed' THEN outcome END FROM cases WHERE id = ?1",
                [case_id],
                |r| r.get(0),
            )?;
            cases.push(CitizenCase {
                case_id,
                opened_on: d.opened_on,
                deadline_on: d.deadline_on,
                status: d.status,
                outcome,
                // Only the case's own month: earlier and later signals belong to other cases.
                signals: d
                    .signals
                    .into_iter()
                    .filter(|sig| {
                        super::queue::month_start(sig.received_on)
                            == super::queue::month_start(d.opened_on)
                    })
                    .collect(),
                explanation,
                ranking,
                decisions: d.history,
                notes: d.notes,
            });
        }
        // A household an extract brought but no signal has named yet is still held, and
        // owed its record: its facts come from the household itself.
        let household = match household {
            Some(h) => h,
            None => super::signals::household_by_id(&self.conn, household_id)?,
        };
        let accesses = self.accesses(&case_ids)?;
        let erased_on = self.erased_on(household_id)?;
        let tx = self.acting_tx(actor)?;
        // An auditor sees no personal data anywhere (roles, docs/administration.md): their copy says so.
        let personal = if !actor.role.reveals() {
            None
        } else {
            tx.cached_row(
                "SELECT name, bsn, address, birth_date FROM personal_data WHERE household_id = ?1",
                [household_id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?
            .map(|(name, bsn, address, birth)| {
                Ok::<_, StoreError>(PersonalData {
                    name,
                    bsn,
                    address,
                    birth_date: super::queue::parse_date(&birth)?,
                })
            })
            .transpose()?
        };
        let (key, protected) = if actor.role.reveals() {
            (
                household_key(&tx, household_id)?,
                protected_attributes(&tx, household_id)?,
            )
        } else {
            (None, None)
        };
        let payload = json!({
            "household": pseudonym,
            "format": format,
            "cases": case_ids.len(),
            "personal_data": personal.is_some(),
        });
        append(
            &tx,
            &at,
            actor,
            EventKind::CitizenReport,
            case_ids.first().copied(),
            &payload,
        )?;
        tx.commit()?;
        Ok(CitizenRecord {
            household,
            personal,
            erased_on,
            personal_withheld: !actor.role.reveals(),
            key,
            protected,
            cases,
            accesses,
        })
    }

    /// Whether a household has this pseudonym.
    pub fn has_household(&self, pseudonym: &str) -> Result<bool> {
        Ok(self.conn.cached_row(
            "SELECT EXISTS (SELECT 1 FROM households WHERE pseudonym = ?1)",
            [pseudonym],
            |r| r.get(0),
        )?)
    }

    /// Views, reveals and full views of these cases, and earlier access reports, oldest
    /// first, with the role and team of whoever looked.
    fn accesses(&self, case_ids: &[i64]) -> Result<Vec<Access>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.at, e.kind, e.role, u.team FROM events e
             LEFT JOIN users u ON u.name = e.actor
             WHERE e.case_id = ?1
               AND e.kind IN ('view', 'reveal', 'explanation_viewed', 'history_viewed',
                              'citizen_report')
             ORDER BY e.seq",
        )?;
        let mut out = Vec::new();
        for &case_id in case_ids {
            let mut rows = stmt.query(params![case_id])?;
            while let Some(r) = rows.next()? {
                let at: String = r.get(0)?;
                out.push(Access {
                    at: super::queue::parse_time(&at)?,
                    kind: r.get(1)?,
                    role: r.get(2)?,
                    team: r.get(3)?,
                });
            }
        }
        out.sort_by_key(|a| a.at);
        Ok(out)
    }
}

/// The household's key from an extract; a key oordeel made for a household it created for a
/// waiting signal (`signal-N`) is no number the household knows.
fn household_key(conn: &rusqlite::Connection, household_id: i64) -> Result<Option<String>> {
    Ok(conn
        .cached_row(
            "SELECT key FROM household_keys WHERE household_id = ?1 AND key NOT LIKE 'signal-%'",
            [household_id],
            |r| r.get(0),
        )
        .optional()?)
}

fn protected_attributes(
    conn: &rusqlite::Connection,
    household_id: i64,
) -> Result<Option<ProtectedAttributes>> {
    Ok(conn
        .cached_row(
            "SELECT gender, age_band, migration_background FROM protected_attributes
             WHERE household_id = ?1",
            [household_id],
            |r| {
                Ok(ProtectedAttributes {
                    gender: r.get(0)?,
                    age_band: r.get(1)?,
                    migration_background: r.get(2)?,
                })
            },
        )
        .optional()?)
}
