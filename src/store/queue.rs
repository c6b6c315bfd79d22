//! Reading the queue a window at a time, and one case in full.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use chrono::{Datelike, NaiveDate};
use rusqlite::{OptionalExtension, Row, params};

use super::claims::visible_case;
use super::events::{Actor, timestamp};
use super::models::decode_contributions;
use super::{Result, Store, StoreError};
use crate::domain::decision::CaseStatus;
use crate::domain::household::{
    CreditorType, Household, HouseholdType, IncomeSource, Signal, SignalFlags,
};
use crate::domain::queue::{QueueKey, QueueList, WindowQuery, WindowStart};
use crate::domain::view::{
    CaseDetail, Contribution, DecisionView, Explanation, FeatureValue, NoteView, QueueRow, Ranking,
    Written,
};

/// The order the queue is read in for one reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QueueOrder {
    /// By the model's rank (or, while halted, by the arrival order the halt wrote).
    Ranked,
    /// Judge-first mode: by arrival day, then case number; no rank or score leaves the store.
    Arrival,
    /// Nearest deadline first, then case number (the console's `o`); without rank or score
    /// when the reader works judge-first.
    Deadline { blind: bool },
}

impl QueueOrder {
    /// (position, shown rank, probability, the column the keyset compares). A date column's
    /// position is its Julian day number; `date(n + 0.5)` turns it back into the stored date
    /// for the keyset comparison.
    fn columns(self) -> (&'static str, &'static str, &'static str, &'static str) {
        let (rank, probability) = match self {
            QueueOrder::Arrival | QueueOrder::Deadline { blind: true } => ("NULL", "NULL"),
            _ => ("c.queue_rank", "c.probability"),
        };
        match self {
            QueueOrder::Ranked => ("c.queue_rank", rank, probability, "c.queue_rank"),
            QueueOrder::Arrival => (
                "CAST(julianday(c.opened_on) AS INTEGER)",
                rank,
                probability,
                "c.opened_on",
            ),
            QueueOrder::Deadline { .. } => (
                "CAST(julianday(c.deadline_on) AS INTEGER)",
                rank,
                probability,
                "c.deadline_on",
            ),
        }
    }
}

pub(crate) fn parse_date(text: &str) -> Result<NaiveDate> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("date `{text}`")))
}

pub(super) fn code<T>(text: &str, parse: impl Fn(&str) -> Option<T>, what: &str) -> Result<T> {
    parse(text).ok_or_else(|| StoreError::Corrupt(format!("{what} `{text}`")))
}

pub(crate) fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists")
}

impl Store {
    /// A window of the queue in (rank, case id) order, via the queue indexes: the cost is the
    /// window's size, not the queue's.
    /// Only the actor's team's cases are read (every team's for admins and auditors), with
    /// who holds a live claim on each.
    pub fn queue_window(&self, actor: &Actor, q: &WindowQuery) -> Result<Vec<QueueRow>> {
        let outcomes = q.list == QueueList::Outcomes;
        let filter = if outcomes {
            // ?6: the reader. Their standing acceptances whose outcome is not complete.
            "c.status = 'accepted'
             AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.case_id = c.id
                 AND (o.debts IS NOT NULL OR o.contact IN ('not_reached', 'declined')))
             AND EXISTS (SELECT 1 FROM events d WHERE d.case_id = c.id AND d.kind = 'decision'
                 AND d.actor = ?6 AND json_extract(d.payload, '$.decision') = 'accept'
                 AND NOT EXISTS (SELECT 1 FROM events r WHERE r.case_id = d.case_id
                     AND r.kind IN ('retract', 'sent_back')
                     AND json_extract(r.payload, '$.retracts') = d.seq))"
        } else if q.list == QueueList::ToSign {
            "c.status = 'to_sign'"
        } else if q.list == QueueList::Search {
            super::search::ensure_hits_table(&self.conn)?;
            "c.id IN (SELECT case_id FROM temp.search_hits)"
        } else if q.include_decided {
            "c.status != 'closed'"
        } else {
            "c.status = 'open'"
        };
        // Spelled out for SQLite's planner: the ranked queue's indexes hold only cases that
        // are not closed (schema 12), and it uses them only when the query says so in these
        // words.
        let filter = format!("{filter} AND c.status != 'closed'");
        let team = if actor.team_scope().is_some() {
            "AND c.team = ?4"
        } else {
            ""
        };
        let (cmp, order, reverse, key) = match q.start {
            WindowStart::First => ("", "ASC", false, None),
            WindowStart::Last => ("", "DESC", true, None),
            WindowStart::After(k) => (">", "ASC", false, Some(k)),
            WindowStart::From(k) => (">=", "ASC", false, Some(k)),
            WindowStart::Before(k) => ("<", "DESC", true, Some(k)),
        };
        let (position, shown_rank, probability, sort) = self
            .queue_order(actor, q.by_deadline || outcomes)?
            .columns();
        let keyset = match (key.is_some(), sort) {
            (false, _) => String::new(),
            (true, "c.queue_rank") => format!("AND ({sort}, c.id) {cmp} (?1, ?2)"),
            (true, date) => format!("AND ({date}, c.id) {cmp} (date(?1 + 0.5), ?2)"),
        };
        let sql = format!(
            "SELECT c.id, h.pseudonym, {position}, {shown_rank}, {probability}, c.deadline_on,
                    c.urgent, c.status, c.household_id, c.opened_on, cl.holder
             FROM cases c
             JOIN households h ON h.id = c.household_id
             LEFT JOIN claims cl ON cl.case_id = c.id AND cl.expires_at > ?5
             WHERE {filter} {team} {keyset}
             ORDER BY {sort} {order}, c.id {order} LIMIT ?3"
        );
        let k = key.unwrap_or(QueueKey {
            rank: 0,
            case_id: 0,
        });
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let now = timestamp(self.now());
        let limit = q.limit as i64;
        let team = actor.team_scope().unwrap_or("");
        let mut values: Vec<&dyn rusqlite::ToSql> = vec![&k.rank, &k.case_id, &limit, &team, &now];
        if outcomes {
            values.push(&actor.name);
        }
        let mut rows = stmt.query(values.as_slice())?;
        let mut out = Vec::with_capacity(q.limit);
        while let Some(r) = rows.next()? {
            out.push(self.queue_row(r)?);
        }
        if reverse {
            out.reverse();
        }
        Ok(out)
    }

    /// By deadline when asked, or when no model has ranked the queue yet (no approved
    /// version scored it: a new municipality's first month); else arrival order for a reader
    /// working judge-first, else the ranking.
    fn queue_order(&self, actor: &Actor, by_deadline: bool) -> Result<QueueOrder> {
        let blind = super::judge_first::judge_first_in(&self.conn, actor)?.is_some();
        let unranked = self.latest_run()?.is_none();
        Ok(match (by_deadline || unranked, blind) {
            (true, blind) => QueueOrder::Deadline { blind },
            (false, true) => QueueOrder::Arrival,
            (false, false) => QueueOrder::Ranked,
        })
    }

    fn queue_row(&self, r: &Row<'_>) -> Result<QueueRow> {
        let rank: Option<i64> = r.get(3)?;
        let household_id: i64 = r.get(8)?;
        let opened_on = parse_date(&r.get::<_, String>(9)?)?;
        let mut signals = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT creditor_type, months_in_arrears FROM signals
             WHERE household_id = ?1 AND received_on >= ?2 AND received_on <= ?3
             ORDER BY amount_cents DESC, id",
        )?;
        let mut q = stmt.query(params![
            household_id,
            month_start(opened_on).to_string(),
            (month_start(opened_on) + chrono::Months::new(1) - chrono::Days::new(1)).to_string()
        ])?;
        while let Some(s) = q.next()? {
            let t: String = s.get(0)?;
            signals.push((
                code(&t, CreditorType::from_code, "creditor type")?,
                s.get(1)?,
            ));
        }
        Ok(QueueRow {
            case_id: r.get(0)?,
            household: r.get(1)?,
            rank: rank.filter(|&r| r != i64::MAX),
            position: r.get(2)?,
            probability: r.get(4)?,
            deadline_on: parse_date(&r.get::<_, String>(5)?)?,
            urgent: r.get(6)?,
            signals,
            status: code(
                &r.get::<_, String>(7)?,
                CaseStatus::from_code,
                "case status",
            )?,
            held_by: r.get(10)?,
        })
    }

    /// The key of a case in the queue order this reader sees (for resuming at it, or
    /// selecting it after an undo).
    pub fn queue_key(
        &self,
        actor: &Actor,
        case_id: i64,
        by_deadline: bool,
    ) -> Result<Option<QueueKey>> {
        let (position, ..) = self.queue_order(actor, by_deadline)?.columns();
        Ok(self
            .conn
            .cached_row(
                &format!("SELECT {position} FROM cases c WHERE c.id = ?1"),
                [case_id],
                |r| r.get(0),
            )
            .optional()?
            .map(|rank| QueueKey { rank, case_id }))
    }

    /// Cases with this status in the actor's view (their team, or all), from the counts the
    /// triggers of schema 12 keep: one row or a few, whatever the queue's length.
    pub fn count_status(&self, actor: &Actor, status: CaseStatus) -> Result<i64> {
        let count = match actor.team_scope() {
            Some(team) => self.conn.cached_row(
                "SELECT coalesce(sum(n), 0) FROM case_counts WHERE team = ?2 AND status = ?1",
                params![status.as_code(), team],
                |r| r.get(0),
            )?,
            None => self.conn.cached_row(
                "SELECT coalesce(sum(n), 0) FROM case_counts WHERE status = ?1",
                [status.as_code()],
                |r| r.get(0),
            )?,
        };
        Ok(count)
    }

    /// The exact explanation of a case's latest score, if it has one.
    pub fn explanation(&self, case_id: i64) -> Result<Option<(Explanation, Ranking)>> {
        self.explanation_as_of(case_id, None)
    }

    /// The case's explanation from the latest scoring run at or before `at` (RFC 3339; all
    /// runs for `None`): what the model said when a decision was taken, for the household
    /// that asks why.
    pub fn explanation_as_of(
        &self,
        case_id: i64,
        at: Option<&str>,
    ) -> Result<Option<(Explanation, Ranking)>> {
        let row = self
            .conn
            .cached_row(
                // The rank shown is the case's place in the queue, like the queue's own
                // column: the model's rank would set a random-arm case apart (DESIGN §8).
                // A halt takes the probabilities off the queue and puts it in arrival
                // order: the place is then not the model's, and none is given.
                "SELECT s.logit, s.probability,
                        CASE WHEN c.probability IS NULL THEN NULL
                             WHEN c.queue_rank = 9223372036854775807 THEN s.rank
                             ELSE c.queue_rank END,
                        s.contributions, r.model_version, r.cases,
                        c.features
                 FROM scores s JOIN scoring_runs r ON r.id = s.run_id
                 JOIN cases c ON c.id = s.case_id
                 WHERE s.case_id = ?1 AND (?2 IS NULL OR r.at <= ?2)
                 ORDER BY s.run_id DESC LIMIT 1",
                params![case_id, at],
                |r| {
                    Ok((
                        r.get::<_, f64>(0)?,
                        r.get::<_, f64>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                        r.get::<_, Vec<u8>>(3)?,
                        r.get::<_, i64>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                },
            )
            .optional()?;
        let Some((logit, score, rank, blob, version, ranked, features)) = row else {
            return Ok(None);
        };
        let model = self.model_version(version)?;
        let values: Vec<FeatureValue> = serde_json::from_str(&features)
            .map_err(|e| StoreError::Corrupt(format!("features of case {case_id}: {e}")))?;
        let names = self.feature_list()?;
        let contributions = decode_contributions(&blob)?;
        if contributions.len() != model.features.len() {
            return Err(StoreError::Corrupt(format!(
                "case {case_id}: {} contributions for {} features",
                contributions.len(),
                model.features.len()
            )));
        }
        let mut list: Vec<Contribution> = model
            .features
            .iter()
            .zip(contributions)
            .map(|(feature, contribution)| {
                let value = names
                    .iter()
                    .position(|(n, _)| n == feature)
                    .and_then(|i| values.get(i).cloned())
                    .unwrap_or(FeatureValue::Category(String::new()));
                Contribution {
                    feature: feature.clone(),
                    value,
                    contribution,
                }
            })
            .collect();
        list.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
        let explanation = Explanation {
            case_id,
            model_version: version,
            intercept: model.intercept,
            contributions: list,
            logit,
            score,
        };
        Ok(Some((
            explanation,
            Ranking {
                rank,
                ranked,
                auc: model.auc,
            },
        )))
    }

    /// Everything the detail pane shows about one case, if the actor may see it.
    pub fn case_detail(&self, actor: &Actor, case_id: i64) -> Result<CaseDetail> {
        visible_case(&self.conn, actor, case_id)?;
        let row = self
            .conn
            .cached_row(
                "SELECT c.household_id, c.opened_on, c.deadline_on, c.status, c.urgent,
                        c.multiple_signals, c.repeated_signal,
                        h.pseudonym, h.household_type, h.children, h.income_source, h.district,
                        h.earlier_debt_help, h.known_to_district_team, h.wmo_youth_support
                 FROM cases c JOIN households h ON h.id = c.household_id WHERE c.id = ?1",
                [case_id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        [r.get::<_, String>(1)?, r.get(2)?, r.get(3)?],
                        SignalFlags {
                            threat: r.get(4)?,
                            multiple: r.get(5)?,
                            repeated: r.get(6)?,
                        },
                        [r.get::<_, String>(7)?, r.get(8)?, r.get(10)?, r.get(11)?],
                        r.get::<_, u8>(9)?,
                        [r.get::<_, bool>(12)?, r.get(13)?, r.get(14)?],
                    ))
                },
            )
            .optional()?
            .ok_or(StoreError::Refused(Refusal::NoSuchCase(case_id)))?;
        let (
            household_id,
            [opened, deadline, status],
            flags,
            [pseudonym, htype, income, district],
            children,
            [debt, known, wmo],
        ) = row;
        let household = Household {
            pseudonym,
            household_type: code(&htype, HouseholdType::from_code, "household type")?,
            children,
            income_source: code(&income, IncomeSource::from_code, "income source")?,
            district,
            earlier_debt_help: debt,
            known_to_district_team: known,
            wmo_youth_support: wmo,
        };
        let opened_on = parse_date(&opened)?;
        // Halted: people work without the model, so its score and explanation stay hidden.
        // Judge-first: hidden until the viewer has recorded their own judgment.
        let judge_first = super::judge_first::judge_first_view(&self.conn, actor, case_id)?;
        let hidden = judge_first.is_some_and(|j| j.initial.is_none());
        let explained = match self.halt_notice()? {
            Some(_) => None,
            None if hidden => None,
            None => self.explanation(case_id)?,
        };
        Ok(CaseDetail {
            case_id,
            household,
            signals: self.signals_of(household_id, opened_on)?,
            flags,
            opened_on,
            deadline_on: parse_date(&deadline)?,
            status: code(&status, CaseStatus::from_code, "case status")?,
            ranking: explained.as_ref().map(|(_, r)| r.clone()),
            judge_first,
            explanation: explained.map(|(e, _)| e),
            notes: self.notes_of(case_id)?,
            history: self.history_of(case_id)?,
            outcome: {
                let o = super::outcomes::outcome_in(&self.conn, case_id)?;
                o.debts.or(o.contact)
            },
        })
    }

    /// A household's signals: those of the case month first, then earlier ones, newest first.
    pub(super) fn signals_of(
        &self,
        household_id: i64,
        opened_on: NaiveDate,
    ) -> Result<Vec<Signal>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT creditor_type, creditor, amount_cents, months_in_arrears, received_on,
                    end_of_supply_on, threat
             FROM signals WHERE household_id = ?1
             ORDER BY received_on >= ?2 DESC, received_on DESC, id",
        )?;
        let mut q = stmt.query(params![household_id, month_start(opened_on).to_string()])?;
        let mut out = Vec::new();
        while let Some(r) = q.next()? {
            out.push(signal_from_row(r)?);
        }
        Ok(out)
    }

    pub(super) fn notes_of(&self, case_id: i64) -> Result<Vec<NoteView>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT seq, at, actor, json_extract(payload, '$.text'), {} FROM events e
             WHERE case_id = ?1 AND kind = 'note' ORDER BY seq",
            super::retention::ERASED_AT
        ))?;
        let mut q = stmt.query([case_id])?;
        let mut out = Vec::new();
        while let Some(r) = q.next()? {
            let text = match r.get::<_, Option<String>>(4)? {
                Some(at) => Written::Erased {
                    on: parse_time(&at)?.date_naive(),
                },
                None => Written::Text(r.get::<_, Option<String>>(3)?.unwrap_or_default()),
            };
            out.push(NoteView {
                seq: r.get(0)?,
                at: parse_time(&r.get::<_, String>(1)?)?,
                author: r.get(2)?,
                text,
            });
        }
        Ok(out)
    }

    pub(super) fn history_of(&self, case_id: i64) -> Result<Vec<DecisionView>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT seq, at, actor, kind, json_extract(payload, '$.decision'),
                    json_extract(payload, '$.reason'), json_extract(payload, '$.four_eyes'),
                    CASE kind WHEN 'sent_back' THEN json_extract(payload, '$.text') END,
                    {}
             FROM events e WHERE case_id = ?1
               AND kind IN ('decision', 'retract', 'signed', 'sent_back') ORDER BY seq",
            super::retention::ERASED_AT
        ))?;
        let mut q = stmt.query([case_id])?;
        let mut out = Vec::new();
        while let Some(r) = q.next()? {
            let kind: String = r.get(3)?;
            let decision: Option<String> = r.get(4)?;
            out.push(DecisionView {
                seq: r.get(0)?,
                at: parse_time(&r.get::<_, String>(1)?)?,
                reviewer: r.get(2)?,
                // A retraction, signature or send-back shows as what it is; a decision as
                // the decision taken.
                decision: if kind == "decision" {
                    decision.unwrap_or_default()
                } else {
                    kind
                },
                reason: r.get(5)?,
                four_eyes: r.get(6)?,
                note: match r.get::<_, Option<String>>(8)? {
                    Some(at) => Some(Written::Erased {
                        on: parse_time(&at)?.date_naive(),
                    }),
                    None => r.get::<_, Option<String>>(7)?.map(Written::Text),
                },
            });
        }
        Ok(out)
    }
}

/// The columns `creditor_type, creditor, amount_cents, months_in_arrears, received_on,
/// end_of_supply_on, threat`, in that order, as a signal.
pub(super) fn signal_from_row(r: &Row<'_>) -> Result<Signal> {
    let end: Option<String> = r.get(5)?;
    Ok(Signal {
        creditor_type: code(
            &r.get::<_, String>(0)?,
            CreditorType::from_code,
            "creditor type",
        )?,
        creditor: r.get(1)?,
        amount_cents: r.get(2)?,
        months_in_arrears: r.get(3)?,
        received_on: parse_date(&r.get::<_, String>(4)?)?,
        end_of_supply_on: end.as_deref().map(parse_date).transpose()?,
        threat: r.get(6)?,
    })
}

pub(crate) fn parse_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| StoreError::Corrupt(format!("time `{text}`")))
}
