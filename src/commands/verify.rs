//! `oordeel verify [--checkpoints FILE [--key PUBKEY]...]`: recompute the event log's hash
//! chain, replay the tables from it, and check every signed checkpoint against it.

use std::path::Path;
use std::process::ExitCode;

use color_eyre::eyre::{Result, eyre};

use super::Context;
use crate::checkpoints::Signer;
use crate::checkpoints::check::{Finding, check};
use crate::cli::VerifyArgs;
use crate::domain::checkpoint::{TrustedKeys, split_file};
use crate::i18n::{t, tf};
use crate::messages::checkpoint as words;
use crate::messages::{one_line as error_value, where_they_differ};
use crate::store::{ChainProblem, ChainReport, Store};

pub fn run(ctx: &Context, args: &VerifyArgs) -> Result<ExitCode> {
    let (store, _) = ctx.open_by_log()?;
    let report = store.verify_chain()?;
    // The checkpoints first: what they show (a rewritten log, a cut tail, an older copy)
    // is what the chain alone cannot.
    let checkpoints_failed = match &args.checkpoints {
        Some(file) => {
            let intact = report.first_bad.is_none() && report.state.is_none();
            !check_checkpoints(ctx, &store, file, &args.keys, intact)?
        }
        None => false,
    };
    let chain_failed = !say_chain(ctx, &report, args.checkpoints.is_some());
    Ok(if checkpoints_failed || chain_failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints what the chain and the replay found; true when both are intact.
fn say_chain(ctx: &Context, report: &ChainReport, checkpoints_checked: bool) -> bool {
    if let (None, Some(d)) = (&report.first_bad, &report.state) {
        // A status reads in the user's words; every other value as stored, long ones from
        // where they differ.
        let (stored, logged) = match d.column {
            "status" => {
                let status = |v: &Option<String>| match v {
                    Some(code) => t(&format!("status.{code}")).to_owned(),
                    None => error_value(None),
                };
                (status(&d.stored), status(&d.logged))
            }
            _ => where_they_differ(d.stored.as_deref(), d.logged.as_deref()),
        };
        super::warn(&format!(
            "oordeel: {}",
            tf(
                "cli.verify.state",
                &[
                    ("path", &ctx.db.display()),
                    ("events", &report.events),
                    ("table", &d.table),
                    ("row", &d.row),
                    ("column", &d.column),
                    ("stored", &stored),
                    ("logged", &logged),
                ]
            )
        ));
        return false;
    }
    match &report.first_bad {
        None => {
            super::say(&tf(
                "cli.verify.ok",
                &[("events", &report.events), ("head", &report.head)],
            ));
            if !checkpoints_checked {
                super::say(t("cli.verify.no_checkpoints_checked"));
            }
            true
        }
        Some((seq, problem)) => {
            let what = match problem {
                ChainProblem::Gap { expected, .. } => {
                    tf("cli.verify.gap", &[("expected", expected)])
                }
                ChainProblem::BrokenLink => t("cli.verify.broken_link").to_owned(),
                ChainProblem::Altered => t("cli.verify.altered").to_owned(),
                ChainProblem::PayloadAltered => t("cli.verify.payload_altered").to_owned(),
            };
            super::warn(&format!(
                "oordeel: {}",
                tf(
                    "cli.verify.bad",
                    &[
                        ("path", &ctx.db.display()),
                        ("seq", seq),
                        ("what", &what),
                        ("good", &report.events)
                    ]
                )
            ));
            false
        }
    }
}

/// Checks the file's checkpoints against the log and says what they show; true when every
/// one agrees (or its loss was acknowledged after a restore).
fn check_checkpoints(
    ctx: &Context,
    store: &Store,
    file: &Path,
    given: &[String],
    state_agrees: bool,
) -> Result<bool> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        eyre!(tf(
            "cli.verify.checkpoints_unreadable",
            &[("path", &file.display()), ("error", &e)]
        ))
    })?;
    let (keys, own) = trusted_keys(ctx, given)?;
    let notes = split_file(&text);
    if notes.is_empty() {
        super::warn(&format!(
            "oordeel: {}",
            tf("cli.verify.no_checkpoints", &[("path", &file.display())])
        ));
        return Ok(false);
    }
    let report = check(store, &notes, &keys, state_agrees)?;
    for finding in telling(&report.findings) {
        super::warn(&format!(
            "oordeel: {}: {}",
            file.display(),
            words::finding(finding)
        ));
    }
    // One line per restore: the checkpoints it lost, by the event that acknowledged them.
    let mut restores: Vec<(i64, Vec<&crate::checkpoints::check::AcknowledgedLoss>)> = Vec::new();
    for loss in &report.lost {
        match restores.iter_mut().find(|(seq, _)| *seq == loss.seq) {
            Some((_, losses)) => losses.push(loss),
            None => restores.push((loss.seq, vec![loss])),
        }
    }
    for (seq, losses) in &restores {
        let newest = losses.iter().max_by_key(|l| l.at.checkpoint.events);
        super::say(&tf(
            "cli.verify.lost",
            &[
                ("count", &losses.len()),
                (
                    "newest",
                    &newest.map(|l| words::named(&l.at)).unwrap_or_default(),
                ),
                ("seq", seq),
                ("reason", &losses[0].restoration.reason),
            ],
        ));
    }
    if let Some(key) = own {
        super::say(&tf("cli.verify.own_key", &[("key", &key)]));
    }
    // A wrong key or a file that is not this log's checkpoints is the reader's to fix; only
    // what the log fails to reproduce is an incident.
    let about_the_log = report.findings.iter().any(|f| {
        matches!(
            f,
            Finding::Missing { .. } | Finding::Rewritten { .. } | Finding::WentBack { .. }
        )
    });
    if !report.findings.is_empty() {
        let summary = if about_the_log {
            "cli.verify.checkpoints_bad"
        } else {
            "cli.verify.checkpoints_unusable"
        };
        super::warn(&format!(
            "oordeel: {}",
            tf(
                summary,
                &[
                    ("path", &file.display()),
                    ("bad", &report.findings.len()),
                    ("count", &report.notes),
                ]
            )
        ));
        return Ok(false);
    }
    let newest = report.newest_agreeing();
    super::say(&tf(
        "cli.verify.checkpoints_ok",
        &[
            ("count", &report.agreeing.len()),
            ("path", &file.display()),
            ("newest", &newest.map(words::named).unwrap_or_default()),
            (
                "after",
                &(report.log_events - newest.map_or(0, |n| n.checkpoint.events)),
            ),
        ],
    ));
    Ok(true)
}

/// The findings worth a line each: of the checkpoints a tail lacks, the newest (it names
/// every missing event); of each other kind, the first (a rewrite is bounded by the first
/// checkpoint that no longer agrees). The summary line counts them all.
fn telling(findings: &[Finding]) -> Vec<&Finding> {
    let kind = |f: &Finding| std::mem::discriminant(f);
    let mut chosen: Vec<&Finding> = Vec::new();
    for f in findings {
        match chosen.iter().position(|c| kind(c) == kind(f)) {
            Some(i) if matches!(f, Finding::Missing { .. }) => chosen[i] = f,
            Some(_) => {}
            None => chosen.push(f),
        }
    }
    chosen
}

/// The keys `--key` gives (each a key, or a file of keys, one per line), or this account's
/// own; with the own key the second value says which, so the reader knows it was not the
/// auditor's copy.
fn trusted_keys(ctx: &Context, given: &[String]) -> Result<(TrustedKeys, Option<String>)> {
    let mut keys = Vec::new();
    for k in given {
        let path = Path::new(k);
        if path.is_file() {
            let text = std::fs::read_to_string(path).map_err(|e| {
                eyre!(tf(
                    "cli.verify.checkpoints_unreadable",
                    &[("path", &path.display()), ("error", &e)]
                ))
            })?;
            keys.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_owned),
            );
        } else if k.contains('/') && !k.contains('+') {
            // Meant as a file (a key always has two '+'), and not there.
            return Err(eyre!(tf(
                "cli.verify.checkpoints_unreadable",
                &[
                    ("path", &path.display()),
                    ("error", &t("cli.verify.no_such_file"))
                ]
            )));
        } else {
            keys.push(k.clone());
        }
    }
    if !keys.is_empty() {
        return Ok((TrustedKeys::new(&keys)?, None));
    }
    let setup = super::checkpoint::setup(ctx)?;
    let key_file = setup.key_file.clone();
    match Signer::load(setup)? {
        Some(signer) => {
            let own = signer.key.verifier_key.clone();
            Ok((TrustedKeys::new(std::slice::from_ref(&own))?, Some(own)))
        }
        None => Err(eyre!(tf(
            "cli.verify.no_key",
            &[("path", &key_file.display())]
        ))),
    }
}
