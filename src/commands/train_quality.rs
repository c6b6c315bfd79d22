//! The held-out evaluation of `oordeel train`: gathering what the model never sees (teams,
//! protected attributes) for the held-out rows, and the short summary printed after training.

use color_eyre::eyre::Result;

use crate::domain::text::sanitize;
use crate::i18n::{self, Lang, t, t_or, tf};
use crate::model::evaluation::{self, GroupQuality, HeldOut};
use crate::model::{CalibrationMethod, Evaluation, Training};
use crate::store::{Store, TrainingRows};

/// What the model never sees about each training row: its team and protected attributes,
/// row for row (`None`: not recorded).
pub(super) struct RowFacts {
    pub teams: Vec<String>,
    pub groups: Vec<Option<[String; 3]>>,
}

impl RowFacts {
    pub(super) fn read(store: &Store) -> Result<RowFacts> {
        Ok(RowFacts {
            teams: store.training_teams()?,
            groups: store.training_groups()?.rows,
        })
    }

    /// The facts of the rows at `kept`, in that order.
    pub(super) fn keep(&self, kept: &[usize]) -> RowFacts {
        RowFacts {
            teams: kept.iter().map(|&i| self.teams[i].clone()).collect(),
            groups: kept.iter().map(|&i| self.groups[i].clone()).collect(),
        }
    }
}

/// Evaluates the trained model on its held-out rows, overall, per team and per group.
pub(super) fn held_out_evaluation(
    store: &Store,
    data: &TrainingRows,
    facts: &RowFacts,
    training: &Training,
) -> Result<Evaluation> {
    let test = &training.split.test;
    let share = test.len() as f64 / data.labels.len() as f64;
    let (evaluation, _) = evaluate_rows(
        store,
        &training.model,
        &data.rows,
        &data.labels,
        facts,
        test,
        share,
        training.calibration.clone(),
    )?;
    Ok(evaluation)
}

/// Evaluates `model` on the rows at `idx` of `rows` (in the model's feature order), with
/// `share` the part of the caseload they stand for (for precision at capacity).
#[allow(clippy::too_many_arguments)]
pub(super) fn evaluate_rows<R: crate::model::FeatureRow>(
    store: &Store,
    model: &crate::model::TrainedModel,
    rows: &[R],
    labels: &[bool],
    facts: &RowFacts,
    idx: &[usize],
    share: f64,
    calibration: crate::model::CalibrationReport,
) -> Result<(Evaluation, Vec<f64>)> {
    let test = idx;
    let teams_all = &facts.teams;
    let groups = PROTECTED_GROUPS;
    let mut logits = Vec::with_capacity(test.len());
    for &i in test {
        logits.push(model.score_logit(&rows[i])?);
    }
    let probabilities: Vec<f64> = logits.iter().map(|&z| model.probability(z)).collect();
    let labels: Vec<bool> = test.iter().map(|&i| labels[i]).collect();
    let teams: Vec<String> = test.iter().map(|&i| teams_all[i].clone()).collect();
    let attributes: Vec<(String, Vec<String>)> = groups
        .iter()
        .enumerate()
        .map(|(a, name)| {
            let values = test
                .iter()
                .map(|&i| match &facts.groups[i] {
                    Some(values) => values[a].clone(),
                    None => "not_recorded".to_string(),
                })
                .collect();
            (name.to_string(), values)
        })
        .collect();
    let rows = HeldOut {
        logits: &logits,
        probabilities: &probabilities,
        labels: &labels,
        teams: &teams,
        attributes: &attributes,
    };
    let capacity = store.capacity_per_team()?;
    let evaluation = evaluation::evaluate(&rows, share, capacity, calibration);
    Ok((evaluation, probabilities))
}

const PROTECTED_GROUPS: [&str; 3] = crate::store::PROTECTED_COLUMNS;

/// Prints calibration, precision at capacity and the groups that differ most, from the
/// evaluation stored with `version`.
pub(super) fn print_summary(store: &Store, version: i64, lang: Lang) -> Result<()> {
    let Some(e) = store.model_version(version)?.decode()?.evaluation else {
        return Ok(());
    };
    let num = |v: f64| i18n::number(lang, v, 3);
    let c = &e.calibration;
    let method = |m: CalibrationMethod| t(&format!("cli.train.calibration.{}", method_code(m)));
    let candidates = c
        .candidates
        .iter()
        .map(|x| {
            let name = match x.method {
                CalibrationMethod::None => t("cli.train.calibration.uncalibrated"),
                other => method(other),
            };
            format!("{name} {}", num(x.held_out_log_loss))
        })
        .collect::<Vec<_>>()
        .join(", ");
    super::say(&tf(
        "cli.train.calibration.chosen",
        &[
            ("method", &method(c.chosen)),
            ("n", &c.n_calibration),
            ("candidates", &candidates),
        ],
    ));
    let cap = &e.capacity;
    if let Some(precision) = cap.precision {
        super::say(&tf(
            "cli.train.capacity",
            &[
                ("capacity", &cap.capacity_per_team),
                ("k", &cap.k_per_team),
                ("teams", &cap.teams.len()),
                ("precision", &num(precision)),
                ("hits", &cap.selected_positives),
                ("selected", &cap.selected),
                (
                    "rate",
                    &num(e.overall.positives as f64 / e.n_held_out as f64),
                ),
            ],
        ));
    }
    print_widest_gaps(&e, lang);
    super::say(&tf("cli.train.more", &[("version", &version)]));
    Ok(())
}

/// One line for the group whose AUC is furthest from the overall AUC, one for the group
/// whose mean probability is furthest from its observed rate.
fn print_widest_gaps(e: &Evaluation, lang: Lang) {
    let num = |v: f64| i18n::number(lang, v, 3);
    let groups: Vec<(&str, &GroupQuality)> = e
        .by_attribute
        .iter()
        .flat_map(|a| a.groups.iter().map(move |g| (a.attribute.as_str(), g)))
        .collect();
    let label = |attribute: &str, g: &GroupQuality| {
        format!(
            "{} = {}",
            t_or(&format!("cli.train.attribute.{attribute}"), attribute),
            sanitize(&g.group)
        )
    };
    let overall_auc = e.overall.metrics.as_ref().and_then(|m| m.auc);
    let auc_gap = groups
        .iter()
        .filter_map(|(a, g)| Some((a, g, g.metrics.as_ref()?.auc?)))
        .max_by(|x, y| {
            let gap = |v: f64| overall_auc.map_or(0.0, |o| (v - o).abs());
            gap(x.2).total_cmp(&gap(y.2))
        });
    if let (Some((a, g, auc)), Some(overall)) = (auc_gap, overall_auc) {
        super::say(&tf(
            "cli.train.widest_auc",
            &[
                ("group", &label(a, g)),
                ("auc", &num(auc)),
                ("overall", &num(overall)),
                ("n", &g.n),
            ],
        ));
    }
    let calibration_gap = groups
        .iter()
        .filter_map(|(a, g)| Some((a, g, g.metrics.as_ref()?)))
        .max_by(|x, y| {
            x.2.calibration_gap
                .abs()
                .total_cmp(&y.2.calibration_gap.abs())
        });
    if let Some((a, g, m)) = calibration_gap {
        let observed = g.positives as f64 / g.n as f64;
        super::say(&tf(
            "cli.train.widest_calibration",
            &[
                ("group", &label(a, g)),
                ("predicted", &num(observed + m.calibration_gap)),
                ("observed", &num(observed)),
                ("ece", &num(m.reliability.expected_calibration_error)),
                ("n", &g.n),
            ],
        ));
    }
}

fn method_code(m: CalibrationMethod) -> &'static str {
    match m {
        CalibrationMethod::None => "none",
        CalibrationMethod::Platt => "platt",
        CalibrationMethod::Isotonic => "isotonic",
    }
}
