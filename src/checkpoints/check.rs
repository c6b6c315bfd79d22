//! Checking a file of signed checkpoints against a log: every signature with the keys the
//! auditor trusts, that each names this log, that the count never goes down, and that the
//! log still holds, at each checkpoint's count, the head it signed.
//!
//! Run after the chain itself verified: an intact chain's stored hashes are the recomputed
//! ones, so the head at a count is one row away.

use std::collections::BTreeSet;

use crate::domain::checkpoint::{Checkpoint, CheckpointError, FiledNote, TrustedKeys, log_id};
use chrono::{DateTime, Utc};

use crate::store::{CheckpointRef, Restoration, Store, StoreError};

/// A checkpoint as the report names it: its place in the file and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// 1-based among the file's notes.
    pub number: usize,
    /// The file's line where it begins.
    pub line: usize,
    pub checkpoint: Checkpoint,
}

/// Something a checkpoint shows to be wrong with the log (or the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Not a signed checkpoint, or not signed by a trusted key.
    Unreadable {
        number: usize,
        line: usize,
        problem: CheckpointError,
    },
    /// Signed for another log (another database, or this one's first event rewritten).
    OtherLog { at: Named, log_id: String },
    /// The log holds fewer events than the checkpoint covered. `state_agrees`: the tables
    /// agree with the shorter log, as in an older copy put back; otherwise events were
    /// deleted from a log whose tables still show what they did.
    Missing {
        at: Named,
        log_events: i64,
        state_agrees: bool,
    },
    /// The log's event at the checkpoint's count hashes to something else: rewritten at or
    /// before it, after the last checkpoint that still agrees (`since`).
    Rewritten {
        at: Named,
        hash_now: String,
        since: Option<Named>,
    },
    /// A count lower than an earlier checkpoint's.
    WentBack { at: Named, earlier: Named },
}

/// A checkpoint whose events a restore lost, acknowledged in the log and signed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcknowledgedLoss {
    pub at: Named,
    /// The `log_restored` event and what it says.
    pub seq: i64,
    pub restoration: Restoration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub notes: usize,
    pub agreeing: Vec<Named>,
    pub findings: Vec<Finding>,
    pub lost: Vec<AcknowledgedLoss>,
    pub log_events: i64,
}

impl CheckReport {
    pub fn newest_agreeing(&self) -> Option<&Named> {
        self.agreeing.iter().max_by_key(|n| n.checkpoint.events)
    }
}

/// Checks `notes` (a checkpoint file, split) against the store's log. `state_agrees` is
/// whether the tables replay from the log (from `verify_chain`).
pub fn check(
    store: &Store,
    notes: &[FiledNote],
    keys: &TrustedKeys,
    state_agrees: bool,
) -> Result<CheckReport, StoreError> {
    let log_events = store.log_head()?.map_or(0, |h| h.events);
    let this_log = log_id(&store.event_hash(1)?.unwrap_or_default());
    let mut findings = Vec::new();
    let mut agreeing = Vec::new();
    // Checkpoints that disagree, with what they would be reported as.
    let mut disagreeing: Vec<(Named, Finding)> = Vec::new();
    let mut last_agreeing: Option<Named> = None;
    for note in notes {
        let checkpoint = match keys.open(&note.text) {
            Ok(c) => c,
            Err(problem) => {
                findings.push(Finding::Unreadable {
                    number: note.number,
                    line: note.line,
                    problem,
                });
                continue;
            }
        };
        let at = Named {
            number: note.number,
            line: note.line,
            checkpoint,
        };
        let signer_ok = keys
            .names()
            .iter()
            .any(|name| at.checkpoint.origin == format!("{name}/{this_log}"));
        if !signer_ok {
            findings.push(Finding::OtherLog {
                at,
                log_id: this_log.clone(),
            });
            continue;
        }
        if at.checkpoint.events > log_events {
            let f = Finding::Missing {
                at: at.clone(),
                log_events,
                state_agrees,
            };
            disagreeing.push((at, f));
            continue;
        }
        let hash_now = store.event_hash(at.checkpoint.events)?.unwrap_or_default();
        if hash_now != at.checkpoint.head {
            let f = Finding::Rewritten {
                at: at.clone(),
                hash_now,
                since: last_agreeing.clone(),
            };
            disagreeing.push((at, f));
            continue;
        }
        last_agreeing = Some(at.clone());
        agreeing.push(at);
    }
    // A loss counts as acknowledged when a `log_restored` event lists the checkpoint and a
    // checkpoint that agrees with the log covers that event: only the key's holder, running
    // `oordeel checkpoint restored`, can have signed over it.
    let newest = agreeing
        .iter()
        .map(|n| n.checkpoint.events)
        .max()
        .unwrap_or(0);
    let restorations: Vec<(i64, Restoration)> = store
        .restorations()?
        .into_iter()
        .filter(|(seq, _)| *seq <= newest)
        .collect();
    let mut lost = Vec::new();
    let mut lost_numbers = BTreeSet::new();
    for (at, finding) in disagreeing {
        let acknowledged = restorations.iter().find(|(_, r)| {
            r.lost.iter().any(|l| {
                l.events == at.checkpoint.events
                    && l.head == at.checkpoint.head
                    && l.time
                        == at
                            .checkpoint
                            .time
                            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            })
        });
        match acknowledged {
            Some((seq, restoration)) => {
                lost_numbers.insert(at.number);
                lost.push(AcknowledgedLoss {
                    at,
                    seq: *seq,
                    restoration: restoration.clone(),
                });
            }
            None => findings.push(finding),
        }
    }
    // The count never goes down, in the order they were signed (a copy that arrived by mail
    // may hold them in another), across every checkpoint a restore did not lose.
    let mut in_order: Vec<&Named> = agreeing.iter().collect();
    for f in &findings {
        if let Finding::Missing { at, .. } | Finding::Rewritten { at, .. } = f {
            in_order.push(at);
        }
    }
    in_order.retain(|n| !lost_numbers.contains(&n.number));
    in_order.sort_by_key(|n| (n.checkpoint.time, n.number));
    let mut highest: Option<&Named> = None;
    let mut went_back = Vec::new();
    for n in in_order {
        match highest {
            Some(h) if n.checkpoint.events < h.checkpoint.events => {
                went_back.push(Finding::WentBack {
                    at: n.clone(),
                    earlier: h.clone(),
                });
            }
            Some(h) if n.checkpoint.events == h.checkpoint.events => {}
            _ => highest = Some(n),
        }
    }
    findings.extend(went_back);
    findings.sort_by_key(finding_number);
    Ok(CheckReport {
        notes: notes.len(),
        agreeing,
        findings,
        lost,
        log_events,
    })
}

/// Why the checkpoints that disagree are not a restore's lost window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotARestore {
    /// Every checkpoint agrees: nothing was lost.
    NothingLost,
    /// A checkpoint that cannot be read, or is another log's: check the file first.
    Unusable(Finding),
    /// The log holds the checkpoint's event, with other contents, written before the
    /// checkpoint was signed: rewritten in place, not lost and written anew after a restore.
    Rewritten { at: Named, written: DateTime<Utc> },
}

/// What an admin may acknowledge after a restore: the checkpoints the log lacks (its tail
/// ended before them) or holds otherwise, but only where those events were written after
/// the newest such checkpoint was signed, as events after a restore are. `reason` is kept.
pub fn restoration(
    store: &Store,
    report: &CheckReport,
    reason: &str,
) -> Result<Result<Restoration, NotARestore>, StoreError> {
    let mut lost: Vec<&Named> = Vec::new();
    for f in &report.findings {
        match f {
            Finding::Missing { at, .. } | Finding::Rewritten { at, .. } => lost.push(at),
            // Counted already by the checkpoint it went back from.
            Finding::WentBack { .. } => {}
            other => return Ok(Err(NotARestore::Unusable(other.clone()))),
        }
    }
    let Some(newest_lost) = lost.iter().map(|n| n.checkpoint.time).max() else {
        return Ok(Err(NotARestore::NothingLost));
    };
    for at in &lost {
        if at.checkpoint.events > report.log_events {
            continue;
        }
        let written = store.event_time(at.checkpoint.events)?.unwrap_or_default();
        // Checkpoints are signed to the second: an event of that second counts as before.
        if written.timestamp() <= newest_lost.timestamp() {
            return Ok(Err(NotARestore::Rewritten {
                at: (*at).clone(),
                written,
            }));
        }
    }
    let as_ref = |c: &Checkpoint| CheckpointRef {
        events: c.events,
        head: c.head.clone(),
        time: c.time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    Ok(Ok(Restoration {
        agrees_with: report.newest_agreeing().map(|n| as_ref(&n.checkpoint)),
        lost: lost.iter().map(|n| as_ref(&n.checkpoint)).collect(),
        reason: reason.to_owned(),
    }))
}

fn finding_number(f: &Finding) -> usize {
    match f {
        Finding::Unreadable { number, .. } => *number,
        Finding::OtherLog { at, .. }
        | Finding::Missing { at, .. }
        | Finding::Rewritten { at, .. }
        | Finding::WentBack { at, .. } => at.number,
    }
}
