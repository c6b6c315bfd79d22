//! Claims: who has a case open. Opening a case claims it for a few minutes (a lease the
//! console renews while the case stays on screen); others see who holds it and cannot decide
//! it. A lapsed lease frees the case by itself, so a lost connection never locks a case.
//! Every opening is a `view` event: the log says who looked at which household.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use rusqlite::{OptionalExtension, params};
use serde_json::json;

use super::error::CaseRef;
use super::events::{Actor, append, timestamp};
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::decision::CaseStatus;
use crate::domain::event::EventKind;
use crate::domain::view::CaseDetail;

/// How long a claim lasts without renewal; the console renews it every minute.
pub const LEASE: chrono::Duration = chrono::Duration::minutes(5);

/// The claim on a case as seen by the one who opened it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimState {
    /// Held by this reviewer until the given time (RFC 3339).
    Mine { until: String },
    /// Someone else is handling it.
    HeldBy { holder: String, until: String },
    /// No claim: the case is not open for decisions, or the role decides nothing.
    None,
}

/// A case opened on a screen: what it shows, and whose it is.
#[derive(Debug, Clone)]
pub struct OpenedCase {
    pub detail: CaseDetail,
    pub claim: ClaimState,
}

/// A live claim, for supervisors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimView {
    pub case_id: i64,
    pub household: String,
    pub team: String,
    pub holder: String,
    pub claimed_at: String,
    pub expires_at: String,
}

/// A case as refusals name it: by its household's pseudonym.
pub(crate) fn case_ref(conn: &rusqlite::Connection, case_id: i64) -> Result<CaseRef> {
    let household: Option<String> = conn
        .cached_row(
            "SELECT h.pseudonym FROM cases c JOIN households h ON h.id = c.household_id
             WHERE c.id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(CaseRef {
        id: case_id,
        household: household.unwrap_or_else(|| format!("case {case_id}")),
    })
}

/// The refusal of a decision on a case in `status` (not open): who decided it and what,
/// so the reader is told what they can do (undo their own; ask whoever decided, or a senior).
pub(crate) fn already_decided(
    conn: &rusqlite::Connection,
    actor: &Actor,
    case_id: i64,
    status: CaseStatus,
) -> Result<StoreError> {
    let standing: Option<(String, String)> = conn
        .cached_row(
            &format!(
                "SELECT d.actor, json_extract(d.payload, '$.decision') FROM events d
                 WHERE d.case_id = ?1 AND d.kind = 'decision' {}
                 ORDER BY d.seq DESC LIMIT 1",
                super::review::STANDING
            ),
            [case_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (by, decision) = standing.unzip();
    Ok(StoreError::Refused(Refusal::AlreadyDecided {
        case: case_ref(conn, case_id)?,
        status: status.as_code().to_owned(),
        mine: by.as_deref() == Some(actor.name.as_str()),
        by,
        decision,
    }))
}

/// The team and status of a case, refused when the actor may not see it.
impl Store {
    /// The status of a case the actor may see.
    pub fn case_status(&self, actor: &Actor, case_id: i64) -> Result<CaseStatus> {
        Ok(visible_case(&self.conn, actor, case_id)?.1)
    }
}

pub(crate) fn visible_case(
    conn: &rusqlite::Connection,
    actor: &Actor,
    case_id: i64,
) -> Result<(String, CaseStatus)> {
    let (team, status): (String, String) = conn
        .cached_row(
            "SELECT team, status FROM cases WHERE id = ?1",
            [case_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or(StoreError::Refused(Refusal::NoSuchCase(case_id)))?;
    // The team decides who may see the case: a team edited by hand is refused.
    super::replay::cases::check_team(conn, case_id, &team)?;
    if let Some(mine) = actor.team_scope()
        && mine != team
    {
        return Err(StoreError::Refused(Refusal::NotYourTeam(case_ref(
            conn, case_id,
        )?)));
    }
    let status = CaseStatus::from_code(&status)
        .ok_or_else(|| StoreError::Corrupt(format!("case {case_id}: status `{status}`")))?;
    Ok((team, status))
}

/// Who else holds a live claim on the case, if anyone: (holder, until). A claim its holder
/// never took by opening the case (planted by hand to keep others off it) is refused.
pub(crate) fn held_by_other(
    tx: &rusqlite::Connection,
    actor: &Actor,
    case_id: i64,
    now: &str,
) -> Result<Option<(String, String)>> {
    let held: Option<(String, String)> = tx
        .cached_row(
            "SELECT holder, expires_at FROM claims
             WHERE case_id = ?1 AND holder != ?2 AND expires_at > ?3",
            params![case_id, actor.name, now],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if held.is_some()
        && let Some(d) = super::replay::claims::check(tx, case_id)?
    {
        return Err(d.refusal());
    }
    Ok(held)
}

/// Refuses when another person holds a live claim on the case.
pub(crate) fn refuse_if_held(
    tx: &rusqlite::Connection,
    actor: &Actor,
    case_id: i64,
    now: &str,
) -> Result<()> {
    match held_by_other(tx, actor, case_id, now)? {
        Some((holder, until)) => Err(StoreError::Refused(Refusal::HeldBy {
            case: case_ref(tx, case_id)?,
            holder,
            until,
        })),
        None => Ok(()),
    }
}

impl Store {
    /// Opens a case for `actor`: logs a `view` event and, for a case that still needs a
    /// decision or a signature and a role that gives them, claims it (freeing the actor's
    /// previous claim). All in one transaction, so two reviewers cannot both get the claim.
    pub fn open_case(&mut self, actor: &Actor, case_id: i64) -> Result<OpenedCase> {
        let now = self.now();
        let at = timestamp(now);
        let until = timestamp(now + LEASE);
        let tx = self.acting_tx(actor)?;
        let (_, status) = visible_case(&tx, actor, case_id)?;
        tx.cached_execute(
            "DELETE FROM claims WHERE holder = ?1 AND case_id != ?2",
            params![actor.name, case_id],
        )?;
        let claimable = match status {
            CaseStatus::Open | CaseStatus::Deferred => actor.role.decides(),
            CaseStatus::ToSign => actor.role.signs(),
            _ => false,
        };
        // Whoever holds it is shown to every role (a supervisor watching their team too);
        // only roles that decide or sign take a claim themselves.
        let claim = if let Some((holder, until)) = held_by_other(&tx, actor, case_id, &at)? {
            ClaimState::HeldBy { holder, until }
        } else if !claimable {
            ClaimState::None
        } else {
            tx.cached_execute(
                "INSERT INTO claims (case_id, holder, claimed_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(case_id) DO UPDATE SET holder = excluded.holder,
                     claimed_at = CASE WHEN claims.holder = excluded.holder
                                       THEN claims.claimed_at ELSE excluded.claimed_at END,
                     expires_at = excluded.expires_at",
                params![case_id, actor.name, at, until],
            )?;
            ClaimState::Mine {
                until: until.clone(),
            }
        };
        let household: String = tx.cached_row(
            "SELECT h.pseudonym FROM cases c JOIN households h ON h.id = c.household_id
             WHERE c.id = ?1",
            [case_id],
            |r| r.get(0),
        )?;
        let claim_payload = match &claim {
            ClaimState::Mine { until } => json!({ "until": until }),
            ClaimState::HeldBy { holder, .. } => json!({ "held_by": holder }),
            ClaimState::None => json!(null),
        };
        let payload = json!({ "household": household, "claim": claim_payload });
        append(&tx, &at, actor, EventKind::View, Some(case_id), &payload)?;
        tx.commit()?;
        Ok(OpenedCase {
            detail: self.case_detail(actor, case_id)?,
            claim,
        })
    }

    /// Extends the actor's claim on a case that is still on their screen. When the lease
    /// lapsed meanwhile and nobody else took the case, it is claimed again.
    pub fn renew_claim(&mut self, actor: &Actor, case_id: i64) -> Result<ClaimState> {
        let now = self.now();
        let at = timestamp(now);
        let until = timestamp(now + LEASE);
        let tx = self.acting_tx(actor)?;
        if let Some((holder, until)) = held_by_other(&tx, actor, case_id, &at)? {
            return Ok(ClaimState::HeldBy { holder, until });
        }
        let renewed = tx.cached_execute(
            "UPDATE claims SET expires_at = ?3 WHERE case_id = ?1 AND holder = ?2",
            params![case_id, actor.name, until],
        )?;
        if renewed == 0 {
            // A supervisor freed the claim (or moved the case) since this reviewer opened it:
            // the release stands. Taking it back unasked would undo it without a word, and
            // a claim nobody took by opening the case is what `verify` names as planted.
            let released_since_opened: bool = tx.cached_row(
                "SELECT coalesce((SELECT max(seq) FROM events WHERE case_id = ?1
                                    AND kind IN ('claim_released', 'reassigned')), 0)
                      > coalesce((SELECT max(seq) FROM events WHERE case_id = ?1
                                    AND kind = 'view' AND actor = ?2), 0)",
                params![case_id, actor.name],
                |r| r.get(0),
            )?;
            if released_since_opened {
                return Ok(ClaimState::None);
            }
            // Lapsed and taken over, then freed again: only reclaim a case that still
            // wants a decision.
            let (_, status) = visible_case(&tx, actor, case_id)?;
            let wanted = matches!(status, CaseStatus::Open | CaseStatus::Deferred)
                && actor.role.decides()
                || status == CaseStatus::ToSign && actor.role.signs();
            if !wanted {
                return Ok(ClaimState::None);
            }
            tx.cached_execute(
                "INSERT INTO claims (case_id, holder, claimed_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(case_id) DO UPDATE SET holder = excluded.holder,
                     claimed_at = excluded.claimed_at, expires_at = excluded.expires_at",
                params![case_id, actor.name, at, until],
            )?;
        }
        tx.commit()?;
        Ok(ClaimState::Mine { until })
    }

    /// Frees every claim the actor holds (leaving a case, quitting, hanging up).
    pub fn release_claims(&mut self, actor: &Actor) -> Result<()> {
        self.conn
            .cached_execute("DELETE FROM claims WHERE holder = ?1", [&actor.name])?;
        Ok(())
    }

    /// A supervisor frees someone's claim on a case of their team; logged. Returns the
    /// holder whose claim was freed, if there was a live one.
    pub fn release_claim(&mut self, by: &Actor, case_id: i64) -> Result<Option<String>> {
        require(by, by.role.supervises(), "error.action.supervise")?;
        let at = timestamp(self.now());
        let tx = self.acting_tx(by)?;
        visible_case(&tx, by, case_id)?;
        let holder: Option<(String, String)> = tx
            .cached_row(
                "SELECT holder, expires_at FROM claims WHERE case_id = ?1 AND expires_at > ?2",
                params![case_id, at],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        tx.cached_execute("DELETE FROM claims WHERE case_id = ?1", [case_id])?;
        if let Some((holder, until)) = &holder {
            let payload = json!({ "holder": holder, "until": until });
            append(
                &tx,
                &at,
                by,
                EventKind::ClaimReleased,
                Some(case_id),
                &payload,
            )?;
        }
        tx.commit()?;
        Ok(holder.map(|(h, _)| h))
    }

    /// Moves a case to another team (supervisors of its team, admins); logged. Its claim, if
    /// any, is freed: the new team starts fresh.
    pub fn reassign(&mut self, by: &Actor, case_id: i64, team: &str) -> Result<()> {
        require(by, by.role.supervises(), "error.action.supervise")?;
        if !crate::domain::role::valid_team_name(team) {
            return Err(StoreError::Refused(Refusal::InvalidTeam(team.to_owned())));
        }
        let at = timestamp(self.now());
        let tx = self.acting_tx(by)?;
        let (from, _) = visible_case(&tx, by, case_id)?;
        // A team nobody in it could decide for: the case would wait forever.
        let staffed: bool = tx.cached_row(
            "SELECT EXISTS (SELECT 1 FROM users WHERE team = ?1 AND active = 1
                              AND role IN ('reviewer', 'senior'))",
            [team],
            |r| r.get(0),
        )?;
        if !staffed {
            return Err(StoreError::Refused(Refusal::TeamWithoutReviewers(
                team.to_owned(),
            )));
        }
        tx.cached_execute(
            "UPDATE cases SET team = ?2 WHERE id = ?1",
            params![case_id, team],
        )?;
        tx.cached_execute("DELETE FROM claims WHERE case_id = ?1", [case_id])?;
        let payload = json!({ "from": from, "to": team });
        append(&tx, &at, by, EventKind::Reassigned, Some(case_id), &payload)?;
        tx.commit()?;
        Ok(())
    }

    /// A case as people know it, by its household (for messages about a `--case N`).
    pub fn case_ref(&self, case_id: i64) -> Result<CaseRef> {
        case_ref(&self.conn, case_id)
    }

    /// The live claims the actor may see (their team's, or all for admins and auditors).
    pub fn claims(&self, actor: &Actor) -> Result<Vec<ClaimView>> {
        let now = timestamp(self.now());
        let mut stmt = self.conn.prepare_cached(
            "SELECT cl.case_id, h.pseudonym, c.team, cl.holder, cl.claimed_at, cl.expires_at
             FROM claims cl JOIN cases c ON c.id = cl.case_id
             JOIN households h ON h.id = c.household_id
             WHERE cl.expires_at > ?1 AND (?2 IS NULL OR c.team = ?2)
             ORDER BY cl.claimed_at, cl.case_id",
        )?;
        let rows = stmt.query_map(params![now, actor.team_scope()], |r| {
            Ok(ClaimView {
                case_id: r.get(0)?,
                household: r.get(1)?,
                team: r.get(2)?,
                holder: r.get(3)?,
                claimed_at: r.get(4)?,
                expires_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
