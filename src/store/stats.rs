//! What the console's stats view reads: recent standing decisions of the actor's scope and
//! the open queue's score histogram. All its SQL is here; `oversight::stats` adds the figures
//! up. Read once when the view opens, never per key.

use rusqlite::params;

use super::events::Actor;
use super::review::STANDING;
use super::{Result, Store, StoreError};
use crate::domain::decision::Decision;
use crate::domain::stats::{HISTOGRAM_BINS, histogram_bin};

/// One standing decision, as the stats view counts it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecentDecision {
    pub reviewer: String,
    pub decision: Decision,
    /// RFC 3339 UTC.
    pub at: String,
    /// Rank in the ranking in force when it was taken and that ranking's cutoff, as
    /// `Store::decision_facts` reads them for the rubber-stamp monitor.
    pub rank_and_cutoff: Option<(i64, i64)>,
}

impl Store {
    /// Standing decisions (retracted and sent-back ones excluded) on the cases of the actor's
    /// team (every team for admins and auditors) taken at or after `since` (RFC 3339 UTC), in
    /// log order. Every role may read its own team's counts: the header shows them too.
    /// Through the `(kind, at)` index: the cost is the recent decisions, not the whole log.
    pub fn standing_decisions_since(
        &self,
        actor: &Actor,
        since: &str,
    ) -> Result<Vec<RecentDecision>> {
        let cutoffs = self.run_cutoffs()?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT d.actor, json_extract(d.payload, '$.decision'), d.at,
                    json_extract(d.payload, '$.rank'),
                    (SELECT r.id FROM scoring_runs r WHERE r.at <= d.at ORDER BY r.id DESC LIMIT 1),
                    d.seq
             FROM events d JOIN cases c ON c.id = d.case_id
             WHERE d.kind = 'decision' AND d.at >= ?1
               AND (?2 IS NULL OR c.team = ?2)
               {STANDING}
             ORDER BY d.seq"
        ))?;
        let mut rows = stmt.query(params![since, actor.team_scope()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let code: String = r.get(1)?;
            let seq: i64 = r.get(5)?;
            let decision = Decision::from_code(&code)
                .ok_or_else(|| StoreError::Corrupt(format!("event {seq}: decision `{code}`")))?;
            let rank: Option<i64> = r.get(3)?;
            let run: Option<i64> = r.get(4)?;
            out.push(RecentDecision {
                reviewer: r.get(0)?,
                decision,
                at: r.get(2)?,
                rank_and_cutoff: rank.zip(run.and_then(|id| cutoffs.get(&id).copied())),
            });
        }
        Ok(out)
    }

    /// Open cases of the actor's scope per probability bin (`domain::stats::histogram_bin`),
    /// and how many have no probability. Streams the probabilities once: 200,000 open cases
    /// take tens of milliseconds, fine once per opening of the view.
    pub fn open_score_histogram(&self, actor: &Actor) -> Result<([u64; HISTOGRAM_BINS], u64)> {
        // Two statements rather than `?1 IS NULL OR team = ?1`, so each uses its index.
        let (sql, team) = match actor.team_scope() {
            Some(team) => (
                "SELECT probability FROM cases WHERE team = ?1 AND status = 'open'",
                Some(team),
            ),
            None => ("SELECT probability FROM cases WHERE status = 'open'", None),
        };
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = match team {
            Some(team) => stmt.query([team])?,
            None => stmt.query([])?,
        };
        let mut counts = [0; HISTOGRAM_BINS];
        let mut unscored = 0;
        while let Some(r) = rows.next()? {
            match r.get::<_, Option<f64>>(0)? {
                Some(p) => counts[histogram_bin(p)] += 1,
                None => unscored += 1,
            }
        }
        Ok((counts, unscored))
    }
}
