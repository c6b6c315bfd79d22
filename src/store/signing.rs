//! The second pair of eyes and the reveal of personal data: a senior's signature on a
//! four-eyes decision, sending one back, and showing a household's identity, each one event
//! committed with the state it changes.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use rusqlite::OptionalExtension;
use serde_json::json;

use super::claims::{refuse_if_held, visible_case};
use super::events::{append, timestamp};
use super::review::{ReviewSession, STANDING, settle, standing_status};
use super::users::require;
use super::{Result, StoreError};
use crate::domain::decision::CaseStatus;
use crate::domain::event::EventKind;
use crate::domain::household::PersonalData;

impl ReviewSession {
    /// A senior's second signature on a decision waiting for one: the decision stands.
    pub fn sign(&mut self, case_id: i64) -> Result<i64> {
        self.second_signature(case_id, true, None)
    }

    /// A senior sends a waiting decision back: it no longer stands and the case reopens.
    pub fn send_back(&mut self, case_id: i64, note: Option<&str>) -> Result<i64> {
        self.second_signature(case_id, false, note)
    }

    fn second_signature(&mut self, case_id: i64, confirm: bool, note: Option<&str>) -> Result<i64> {
        let actor = self.actor.clone();
        require(&actor, actor.role.signs(), "error.action.sign")?;
        let at = timestamp(self.store.now());
        let tx = self.store.acting_tx(&actor)?;
        let (_, status) = visible_case(&tx, &actor, case_id)?;
        if status != CaseStatus::ToSign {
            return Err(StoreError::Refused(Refusal::NotToSign(
                super::claims::case_ref(&tx, case_id)?,
            )));
        }
        refuse_if_held(&tx, &actor, case_id, &at)?;
        let (seq, decision, by, household): (i64, String, String, String) = tx
            .cached_row(
                &format!(
                    "SELECT d.seq, json_extract(d.payload, '$.decision'), d.actor,
                            json_extract(d.payload, '$.household')
                     FROM events d WHERE d.case_id = ?1 AND d.kind = 'decision' {STANDING}
                     ORDER BY d.seq DESC LIMIT 1"
                ),
                [case_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or_else(|| {
                StoreError::Corrupt(format!("case {case_id}: to sign without a decision"))
            })?;
        if by == actor.name {
            return Err(StoreError::Refused(Refusal::OwnDecision(
                super::claims::case_ref(&tx, case_id)?,
            )));
        }
        let (kind, payload) = if confirm {
            (
                EventKind::Signed,
                json!({ "signs": seq, "decision": decision, "decided_by": by, "household": household }),
            )
        } else {
            (
                EventKind::SentBack,
                json!({ "retracts": seq, "decision": decision, "decided_by": by,
                        "household": household, "text": note }),
            )
        };
        let event = append(&tx, &at, &actor, kind, Some(case_id), &payload)?;
        settle(&tx, case_id, standing_status(&tx, case_id)?)?;
        tx.commit()?;
        Ok(event)
    }

    /// Shows a household's name, BSN, address and birth date, writing a `reveal` event in the
    /// same transaction: no showing without its record.
    pub fn reveal(&mut self, case_id: i64) -> Result<PersonalData> {
        let actor = self.actor.clone();
        require(&actor, actor.role.reveals(), "error.action.reveal")?;
        let at = timestamp(self.store.now());
        let tx = self.store.acting_tx(&actor)?;
        visible_case(&tx, &actor, case_id)?;
        let (household, name, bsn, address, birth): (String, String, String, String, String) = tx
            .cached_row(
                "SELECT h.pseudonym, p.name, p.bsn, p.address, p.birth_date
                 FROM cases c JOIN households h ON h.id = c.household_id
                 JOIN personal_data p ON p.household_id = c.household_id WHERE c.id = ?1",
                [case_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?
            .ok_or_else(|| missing_personal_data(&tx, case_id))?;
        let payload = json!({
            "household": household,
            "fields": ["name", "bsn", "address", "birth_date"],
        });
        append(&tx, &at, &actor, EventKind::Reveal, Some(case_id), &payload)?;
        tx.commit()?;
        Ok(PersonalData {
            name,
            bsn,
            address,
            birth_date: super::queue::parse_date(&birth)?,
        })
    }
}

/// Why a case's household has no personal data: erased by a purge (say when), or never held.
fn missing_personal_data(conn: &rusqlite::Connection, case_id: i64) -> StoreError {
    let erased = conn
        .cached_row(
            "SELECT household_id FROM cases WHERE id = ?1",
            [case_id],
            |r| r.get::<_, i64>(0),
        )
        .map_err(StoreError::from)
        .and_then(|h| super::retention::erased_on(conn, h));
    match erased {
        Ok(Some(on)) => StoreError::Refused(Refusal::Erased(on)),
        Ok(None) => StoreError::Refused(Refusal::Empty("error.what.personal_data")),
        Err(e) => e,
    }
}
