//! `oordeel purge --before DATE [--dry-run]`: erase the personal data of households whose
//! cases closed before DATE (the rules are in `domain::retention`, the work in the store).

use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::Context;
use crate::cli::PurgeArgs;
use crate::i18n::{t, tf};

pub fn run(ctx: &Context, args: &PurgeArgs) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    let outcome = store.purge(&actor, args.before, args.dry_run)?;
    let r = &outcome.record;
    let mut counts = tf(
        "cli.purge.counts",
        &[
            ("households", &r.counts.households),
            ("personal", &r.counts.personal_data),
            ("protected", &r.counts.protected_attributes),
            ("entries", &r.counts.log_entries),
            ("keys", &r.counts.household_keys),
            ("waiting", &r.counts.waiting_identities),
        ],
    );
    // Only the demo has a hidden truth; a municipality's purge does not mention one.
    if store.is_demo()? || r.counts.demo_truth > 0 {
        counts.push('\n');
        counts.push_str(&tf(
            "cli.purge.counts_truth",
            &[("truth", &r.counts.demo_truth)],
        ));
    }
    let head = match outcome.seq {
        None => tf("cli.purge.dry_run", &[("before", &args.before)]),
        Some(seq) => tf("cli.purge.done", &[("before", &args.before), ("seq", &seq)]),
    };
    super::say(&format!("{head}\n{counts}\n{}", t("cli.purge.kept")));
    if !r.not_erasable.is_empty() {
        let seqs: Vec<String> = r.not_erasable.iter().map(i64::to_string).collect();
        super::warn(&tf(
            "cli.purge.v1",
            &[("count", &seqs.len()), ("seqs", &seqs.join(", "))],
        ));
    }
    Ok(ExitCode::SUCCESS)
}
