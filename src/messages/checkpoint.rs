//! Signed checkpoints in the user's words: why one could not be read, what is wrong with a
//! key or a checkpoint file, what a checkpoint shows about the log, why oordeel did not sign.

use std::fmt;

use crate::checkpoints::Fault;
use crate::checkpoints::check::{Finding, Named, NotARestore};
use crate::checkpoints::{Divergence, Signing};
use crate::domain::checkpoint::{Checkpoint, CheckpointError};
use crate::i18n::{t, tf};

impl fmt::Display for CheckpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            // The parser's own words are English and say no more than this.
            CheckpointError::NotANote(_) => t("checkpoint.error.not_a_note").to_owned(),
            CheckpointError::NotACheckpoint(what) => {
                tf("checkpoint.error.not_a_checkpoint", &[("what", what)])
            }
            CheckpointError::UnknownKey(names) => {
                tf("checkpoint.error.unknown_key", &[("names", names)])
            }
            CheckpointError::BadSignature => t("checkpoint.error.bad_signature").to_owned(),
            CheckpointError::BadKey(key) => tf("checkpoint.error.bad_key", &[("key", key)]),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for CheckpointError {}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Fault::Io { path, error } => tf(
                "checkpoint.fault.io",
                &[("path", &path.display()), ("error", error)],
            ),
            Fault::NoPlace => t("checkpoint.fault.no_place").to_owned(),
            Fault::KeyExists(path) => {
                tf("checkpoint.fault.key_exists", &[("path", &path.display())])
            }
            Fault::BadKeyName(name) => tf("checkpoint.fault.bad_key_name", &[("name", name)]),
            Fault::KeyReadableByOthers { path, mode } => tf(
                "checkpoint.fault.key_open",
                &[("path", &path.display()), ("mode", &format!("{mode:03o}"))],
            ),
            Fault::BadKeyFile(path) => tf(
                "checkpoint.fault.bad_key_file",
                &[("path", &path.display())],
            ),
            Fault::NoKey(path) => tf("checkpoint.fault.no_key", &[("path", &path.display())]),
            Fault::Store(e) => e.to_string(),
            Fault::Command { program, problem } => tf(
                "checkpoint.fault.command",
                &[("program", program), ("problem", problem)],
            ),
            Fault::CommandTimedOut { program, seconds } => tf(
                "checkpoint.fault.command_timed_out",
                &[("program", program), ("seconds", seconds)],
            ),
            Fault::BadSetting { key, problem } => tf(
                "checkpoint.fault.bad_setting",
                &[("key", key), ("problem", &t(problem))],
            ),
            Fault::BadFile { path, problem } => tf(
                "checkpoint.fault.bad_file",
                &[("path", &path.display()), ("problem", problem)],
            ),
        };
        f.write_str(&text)
    }
}

/// "checkpoint 3 (line 13, signed 2026-12-02 16:40 UTC, 1,240 events)".
pub fn named(n: &Named) -> String {
    tf(
        "checkpoint.named",
        &[
            ("number", &n.number),
            ("line", &n.line),
            ("time", &time(&n.checkpoint)),
            ("events", &n.checkpoint.events),
        ],
    )
}

fn time(c: &Checkpoint) -> String {
    c.time.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

fn short(hash: &str) -> String {
    hash.chars().take(16).collect()
}

/// "event 38", "events 38 to 47".
fn range(first: i64, last: i64) -> String {
    let key = if first == last {
        "checkpoint.finding.range_one"
    } else {
        "checkpoint.finding.range_many"
    };
    tf(key, &[("first", &first), ("last", &last)])
}

/// One finding as one sentence.
pub fn finding(f: &Finding) -> String {
    match f {
        Finding::Unreadable {
            number,
            line,
            problem,
        } => tf(
            "checkpoint.finding.unreadable",
            &[("number", number), ("line", line), ("problem", problem)],
        ),
        Finding::OtherLog { at, log_id } => tf(
            "checkpoint.finding.other_log",
            &[
                ("at", &named(at)),
                ("origin", &at.checkpoint.origin),
                ("log", log_id),
            ],
        ),
        Finding::Missing {
            at,
            log_events,
            state_agrees,
        } => tf(
            if *state_agrees {
                "checkpoint.finding.missing_older_copy"
            } else {
                "checkpoint.finding.missing_deleted"
            },
            &[
                ("at", &named(at)),
                ("log", log_events),
                ("range", &range(log_events + 1, at.checkpoint.events)),
            ],
        ),
        Finding::Rewritten {
            at,
            hash_now,
            since,
        } => {
            let since = match since {
                Some(s) => tf(
                    "checkpoint.finding.since",
                    &[("at", &named(s)), ("after", &s.checkpoint.events)],
                ),
                None => t("checkpoint.finding.since_start").to_owned(),
            };
            tf(
                "checkpoint.finding.rewritten",
                &[
                    ("at", &named(at)),
                    ("seq", &at.checkpoint.events),
                    ("signed", &short(&at.checkpoint.head)),
                    ("now", &short(hash_now)),
                    ("since", &since),
                ],
            )
        }
        Finding::WentBack { at, earlier } => tf(
            "checkpoint.finding.went_back",
            &[("at", &named(at)), ("earlier", &named(earlier))],
        ),
    }
}

/// Why oordeel did not sign, and what to do.
pub fn divergence(d: &Divergence) -> String {
    match d {
        Divergence::Shorter {
            file,
            last,
            events_now,
        } => tf(
            "checkpoint.refused.shorter",
            &[
                ("file", &file.display()),
                ("time", &time(last)),
                ("events", &last.events),
                ("now", events_now),
            ],
        ),
        Divergence::Rewritten {
            file,
            last,
            hash_now,
        } => tf(
            "checkpoint.refused.rewritten",
            &[
                ("file", &file.display()),
                ("time", &time(last)),
                ("events", &last.events),
                ("signed", &short(&last.head)),
                ("now", &short(hash_now)),
            ],
        ),
        Divergence::OtherLog {
            file,
            last,
            origin_now,
        } => tf(
            "checkpoint.refused.other_log",
            &[
                ("file", &file.display()),
                ("time", &time(last)),
                ("origin", &last.origin),
                ("now", origin_now),
            ],
        ),
    }
}

/// Why `checkpoint restored` refuses, and what to do.
pub fn not_a_restore(n: &NotARestore, file: &std::path::Path) -> String {
    match n {
        NotARestore::NothingLost => t("cli.checkpoint.nothing_lost").to_owned(),
        NotARestore::Unusable(f) => tf(
            "cli.checkpoint.restored_unusable",
            &[("file", &file.display()), ("finding", &finding(f))],
        ),
        NotARestore::Rewritten { at, written } => tf(
            "cli.checkpoint.restored_rewritten",
            &[
                ("at", &named(at)),
                ("seq", &at.checkpoint.events),
                ("written", &written.format("%Y-%m-%d %H:%M:%S UTC")),
                ("file", &file.display()),
            ],
        ),
    }
}

/// What a signing attempt did, for a command's output; `None` when there is nothing to say.
pub fn signing(s: &Signing) -> Option<String> {
    match s {
        Signing::Signed {
            checkpoint, file, ..
        } => Some(tf(
            "checkpoint.signed",
            &[("events", &checkpoint.events), ("file", &file.display())],
        )),
        Signing::Refused(d) => Some(divergence(d)),
        Signing::UpToDate | Signing::EmptyLog => None,
    }
}
