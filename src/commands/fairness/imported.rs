//! `report fairness --import ID|latest`: the audit of an imported caseload, with its external
//! score in the model's place and its outcome as the label, grouped by any column its profile
//! made protected, a feature or the team. The audit may group by what the model may not use;
//! only the model is kept from protected attributes. Personal data, display fields and ids
//! are no groups: refused by name.

use color_eyre::eyre::{Result, eyre};
use serde::Serialize;

use super::{Context, FairnessAudit, OutcomeKind, cutoff_text, run_audit, split_by, suppressed};
use crate::cli::FairnessArgs;
use crate::domain::fairness::{AuditOptions, AuditRow};
use crate::domain::import::{Column, Direction, Profile};
use crate::i18n::{t, tf};
use crate::store::ImportedRecord;

/// Which import was audited, for the report's header and JSON.
#[derive(Debug, Serialize)]
pub struct ImportSource {
    pub id: i64,
    pub file: String,
    pub file_sha256: String,
    pub profile: String,
    /// `higher` or `lower`: which end of the external score comes first. A `lower` score is
    /// audited negated, so a `score:T` cutoff applies to minus the score.
    pub score_direction: String,
    /// Records of the import the reader may see.
    pub records: usize,
    /// Of those, the ones with a known outcome.
    pub outcome_known: usize,
    pub labelled_only: bool,
}

/// Where an audit group's value comes from.
enum Source {
    Protected,
    Feature,
    Team,
}

pub fn audit(
    ctx: &Context,
    args: &FairnessArgs,
    which: &str,
    options: &AuditOptions,
) -> Result<FairnessAudit> {
    let id = match which.trim() {
        "latest" => None,
        n => Some(
            n.parse::<i64>()
                .map_err(|_| eyre!(tf("cli.fairness.import.bad_id", &[("value", &which)])))?,
        ),
    };
    let (store, actor) = ctx.open()?;
    let info = store.import_info(&actor, id)?;
    let profile = Profile::stored(&info.profile_text)
        .map_err(|e| crate::store::StoreError::Corrupt(format!("import {}: {e}", info.id)))?;
    let groupable: Vec<(&str, Source)> = profile
        .columns
        .iter()
        .filter_map(|(name, column)| match column {
            Column::Protected { .. } => Some((name.as_str(), Source::Protected)),
            Column::Feature { .. } => Some((name.as_str(), Source::Feature)),
            Column::Team => Some((name.as_str(), Source::Team)),
            _ => None,
        })
        .collect();
    let listed = || {
        groupable
            .iter()
            .map(|(n, _)| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Without --by: the first protected attribute, which is what an audit is for.
    let default = groupable
        .iter()
        .find(|(_, s)| matches!(s, Source::Protected))
        .map(|(n, _)| *n);
    let by = match (args.by.as_deref(), default) {
        (Some(by), _) => split_by(Some(by), "")?,
        (None, Some(name)) => vec![name.to_owned()],
        (None, None) => {
            return Err(eyre!(tf(
                "cli.fairness.import.no_default",
                &[("id", &info.id), ("columns", &listed())]
            )));
        }
    };
    let sources: Vec<&Source> = by
        .iter()
        .map(|name| {
            groupable
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, s)| s)
                .ok_or_else(|| {
                    eyre!(tf(
                        "cli.fairness.import.not_a_group",
                        &[("name", name), ("id", &info.id), ("columns", &listed())]
                    ))
                })
        })
        .collect::<Result<_>>()?;
    let Some((_, direction)) = profile.score() else {
        return Err(eyre!(tf(
            "cli.fairness.import.no_score",
            &[("id", &info.id)]
        )));
    };
    let records = store.imported_records(&actor, info.id)?;
    let visible = records.len();
    let outcome_known = records.iter().filter(|r| r.outcome.is_some()).count();
    let audited: Vec<&ImportedRecord> = records
        .iter()
        .filter(|r| !args.labelled || r.outcome.is_some())
        .collect();
    let outcome = if audited.iter().all(|r| r.outcome.is_some()) {
        OutcomeKind::Recorded
    } else {
        OutcomeKind::Unavailable
    };
    let rows: Vec<AuditRow> = audited
        .iter()
        .map(|r| {
            let groups = by
                .iter()
                .zip(&sources)
                .map(|(name, source)| group_value(r, name, source))
                .collect();
            let score = r.score.unwrap_or(f64::NAN);
            AuditRow {
                groups,
                outcome: r.outcome.unwrap_or(false),
                score: match direction {
                    Direction::Higher => score,
                    Direction::Lower => -score,
                },
            }
        })
        .collect();
    let mut report = external("import", by, &rows, options, outcome)?;
    report.team = actor.team_scope().map(str::to_owned);
    report.import = Some(ImportSource {
        id: info.id,
        file: info.file_name,
        file_sha256: info.file_sha256,
        profile: info.profile_name,
        score_direction: direction.as_code().to_owned(),
        records: visible,
        outcome_known,
        labelled_only: args.labelled,
    });
    Ok(report)
}

/// A record's value of a group column; an empty optional cell is a group of its own.
fn group_value(record: &ImportedRecord, name: &str, source: &Source) -> String {
    let value = match source {
        Source::Protected => record.protected.get(name),
        Source::Feature => record.features.get(name),
        Source::Team => {
            return record
                .team
                .clone()
                .unwrap_or_else(|| t("cli.fairness.import.no_value").to_owned());
        }
    };
    match value {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => t("cli.fairness.import.no_value").to_owned(),
    }
}

/// The audit of rows that come from outside the database's own ranking (a file given with
/// `--input`, an import): the score is the model's, there are no reviewers' decisions.
pub fn external(
    source: &'static str,
    by: Vec<String>,
    rows: &[AuditRow],
    options: &AuditOptions,
    outcome: OutcomeKind,
) -> Result<FairnessAudit> {
    Ok(FairnessAudit {
        source,
        arm: "all",
        outcome,
        cutoff: cutoff_text(options.cutoff),
        population: rows.len(),
        undecided_excluded: None,
        no_decisions: false,
        decided: 0,
        team: None,
        model_version: None,
        min_group: options.min_group,
        seed: options.seed,
        suppressed: suppressed(rows, options.min_group),
        model: Some(run_audit(rows, options, outcome)?),
        decisions: None,
        by,
        import: None,
        learning_loop: None,
        arm_quality: None,
    })
}
