//! The learning loop's part of a model version: where its labels came from, its quality on
//! the random arm, against the demo's hidden truth, and against the version in use
//! ([`crate::model::labels::LabelReport`]); `model compare` prints the comparison alone.

use color_eyre::eyre::Result;

use super::train_quality::{RowFacts, evaluate_rows};
use crate::domain::metrics;
use crate::domain::outcome::LabelSource;
use crate::domain::view::FeatureValue;
use crate::i18n::{self, Lang, t, tf};
use crate::model::labels::{
    self, Comparison, Correction, LABELS_FORMAT, LabelReport, SetQuality, SideBySide, Sources,
    TruthCheck,
};
use crate::model::{CalibrationReport, TrainedModel, Training};
use crate::store::{Store, TrainingRows, in_case_set};

/// How the version was set up to learn.
pub(super) struct Setup {
    pub sources: Sources,
    pub correction: Correction,
    pub arm_share: f64,
    /// Whether `data` is every labelled case (the correction kept them all): the comparison
    /// then reads them from here instead of from the database again.
    pub whole: bool,
}

/// The label report of a version just trained on `data` (the rows its correction kept).
pub(super) fn report(
    store: &Store,
    data: &TrainingRows,
    facts: &RowFacts,
    training: &Training,
    trained_on: &[u8],
    setup: Setup,
) -> Result<LabelReport> {
    let arm_test: Vec<usize> = training
        .split
        .test
        .iter()
        .copied()
        .filter(|&i| data.sources[i] == LabelSource::Random)
        .collect();
    let random_arm = if arm_test.is_empty() {
        None
    } else {
        let share = arm_test.len() as f64 / data.labels.len() as f64;
        let (e, _) = evaluate_rows(
            store,
            &training.model,
            &data.rows,
            &data.labels,
            facts,
            &arm_test,
            share,
            training.calibration.clone(),
        )?;
        SetQuality::from_evaluation(&e)
    };
    let challenger = Contender {
        version: 0,
        model: &training.model,
        fitted: Some(trained_on.to_vec()),
    };
    let (comparison, truth) = match store.latest_run()? {
        Some((_, champion, _)) => {
            let stored = store.model_version(champion)?;
            let model = stored.model()?;
            let champion = Contender {
                version: champion,
                model: &model,
                fitted: stored.trained_on.clone(),
            };
            let [ours, theirs] = truths(store, [&training.model, &model])?;
            let both = ours.zip(theirs).map(|(c, t)| [t, c]);
            let labelled = setup.whole.then_some((data, facts));
            (
                Some(compare(store, labelled, &champion, &challenger, both)?),
                ours,
            )
        }
        None => (None, truths(store, [&training.model])?[0]),
    };
    Ok(LabelReport {
        format: LABELS_FORMAT,
        sources: setup.sources,
        correction: setup.correction,
        arm_share: setup.arm_share,
        arm_weight: labels::arm_weight(setup.arm_share),
        used: data.labels.len(),
        random_arm,
        random_arm_held_out: arm_test.len(),
        truth,
        comparison,
    })
}

/// A version in a comparison: its model and the cases it was fitted on (`None`: a version
/// from before own labels, fitted on history cases only).
pub(super) struct Contender<'a> {
    pub version: i64,
    pub model: &'a TrainedModel,
    pub fitted: Option<Vec<u8>>,
}

impl Contender<'_> {
    fn saw(&self, case: i64, source: LabelSource) -> bool {
        match &self.fitted {
            Some(bits) => in_case_set(bits, case),
            None => source == LabelSource::History,
        }
    }
}

/// Both versions on every labelled case neither was fitted on, and on the random arm's.
pub(super) fn compare(
    store: &Store,
    labelled: Option<(&TrainingRows, &RowFacts)>,
    champion: &Contender<'_>,
    challenger: &Contender<'_>,
    truths: Option<[TruthCheck; 2]>,
) -> Result<Comparison> {
    let read;
    let (data, facts) = match labelled {
        Some(both) => both,
        None => {
            read = (store.training_rows()?, RowFacts::read(store)?);
            (&read.0, &read.1)
        }
    };
    let unseen: Vec<usize> = (0..data.labels.len())
        .filter(|&i| {
            let (case, source) = (data.case_ids[i], data.sources[i]);
            !champion.saw(case, source) && !challenger.saw(case, source)
        })
        .collect();
    let arm: Vec<usize> = unseen
        .iter()
        .copied()
        .filter(|&i| data.sources[i] == LabelSource::Random)
        .collect();
    let mut missing = None;
    let mut side = |idx: &[usize]| -> Result<Option<SideBySide>> {
        let positives = idx.iter().filter(|&&i| data.labels[i]).count();
        if idx.len() < 10 || positives == 0 || positives == idx.len() {
            return Ok(None);
        }
        let share = idx.len() as f64 / data.labels.len() as f64;
        let mut one = |c: &Contender<'_>| -> Result<Option<(SetQuality, Vec<labels::Disparity>)>> {
            let Some(rows) = in_model_order(data, c.model) else {
                missing = Some(tf(
                    "cli.compare.features_differ",
                    &[("version", &c.version)],
                ));
                return Ok(None);
            };
            let (e, _) = evaluate_rows(
                store,
                c.model,
                &rows,
                &data.labels,
                facts,
                idx,
                share,
                CalibrationReport {
                    chosen: crate::model::CalibrationMethod::None,
                    n_calibration: 0,
                    candidates: Vec::new(),
                    platt: None,
                },
            )?;
            Ok(SetQuality::from_evaluation(&e).map(|q| (q, labels::disparities(&e))))
        };
        let (Some(a), Some(b)) = (one(champion)?, one(challenger)?) else {
            return Ok(None);
        };
        Ok(Some(SideBySide {
            champion: a.0,
            challenger: b.0,
            champion_disparities: a.1,
            challenger_disparities: b.1,
        }))
    };
    let held_out = side(&unseen)?;
    let random_arm = side(&arm)?;
    if held_out.is_none() && missing.is_none() {
        missing = Some(tf("cli.compare.too_few", &[("n", &unseen.len())]));
    }
    Ok(Comparison {
        champion: champion.version,
        challenger: challenger.version,
        held_out,
        random_arm,
        missing,
        truth: truths,
    })
}

/// The rows with their values in the model's feature order (borrowed when that is the
/// database's order, as it is for a version trained on this caseload: a copy of 700,000 rows
/// was a gigabyte), or `None` when the model uses a feature the database no longer lists.
fn in_model_order<'d>(
    data: &'d TrainingRows,
    model: &TrainedModel,
) -> Option<std::borrow::Cow<'d, [Vec<FeatureValue>]>> {
    let positions: Vec<usize> = model
        .features
        .iter()
        .map(|f| data.features.iter().position(|(n, _)| *n == f.name))
        .collect::<Option<_>>()?;
    if positions.len() == data.features.len() && positions.iter().enumerate().all(|(i, &p)| i == p)
    {
        return Some(std::borrow::Cow::Borrowed(&data.rows));
    }
    Some(std::borrow::Cow::Owned(
        data.rows
            .iter()
            .map(|r| positions.iter().map(|&p| r[p].clone()).collect())
            .collect(),
    ))
}

/// Each model against the demo's hidden truth on every current case, in one pass over the
/// cases (each pass parses a million cases' features at a million households); `None`
/// outside the demo, and for a model whose features are not the caseload's, in its order.
pub(super) fn truths<const N: usize>(
    store: &Store,
    models: [&TrainedModel; N],
) -> Result<[Option<TruthCheck>; N]> {
    let names: Vec<String> = store.feature_list()?.into_iter().map(|(n, _)| n).collect();
    let fits = models.map(|m| m.features.iter().map(|f| &f.name).eq(names.iter()));
    let mut probabilities: [Vec<f64>; N] = std::array::from_fn(|_| Vec::new());
    let mut truths = Vec::new();
    let mut failure = None;
    let demo = fits.iter().any(|&f| f)
        && store.for_each_demo_truth(|values, truth| {
            for ((model, fits), p) in models.iter().zip(&fits).zip(&mut probabilities) {
                if *fits {
                    match model.score_logit(values) {
                        Ok(z) => p.push(model.probability(z)),
                        Err(e) => failure = Some(e),
                    }
                }
            }
            truths.push(truth);
            Ok(())
        })?;
    if let Some(e) = failure {
        return Err(e.into());
    }
    let mut out = probabilities.into_iter().zip(fits);
    Ok(std::array::from_fn(|_| {
        let (probabilities, fits) = out.next().expect("one per model");
        if !demo || !fits || probabilities.is_empty() {
            return None;
        }
        let n = probabilities.len();
        Some(TruthCheck {
            n,
            true_rate: truths.iter().filter(|&&t| t).count() as f64 / n as f64,
            mean_predicted: probabilities.iter().sum::<f64>() / n as f64,
            auc: metrics::auc(&probabilities, &truths),
            expected_calibration_error: crate::model::evaluation::reliability(
                &probabilities,
                &truths,
            )
            .expected_calibration_error,
        })
    }))
}

/// The lines `train` prints about labels, the correction, the arm and the comparison,
/// through `say` (standard output for `train`, standard error for the demo's set-up).
pub(super) fn print_summary(store: &Store, version: i64, lang: Lang, say: fn(&str)) -> Result<()> {
    if let Some(r) = store.model_version(version)?.decode()?.labels {
        describe(&r, lang).iter().for_each(|line| say(line));
    }
    Ok(())
}

/// The label report in sentences (train, `model show`), the comparison last.
pub(super) fn describe(r: &LabelReport, lang: Lang) -> Vec<String> {
    let mut out = describe_labels(r, lang);
    if let Some(c) = &r.comparison {
        out.extend(super::model::compare::describe(c, lang));
    } else {
        out.push(t("cli.train.labels.no_champion").to_owned());
    }
    out
}

/// The label report without the comparison: sources, correction, the arm, the truth.
pub(super) fn describe_labels(r: &LabelReport, lang: Lang) -> Vec<String> {
    let num = |v: f64| i18n::number(lang, v, 3);
    let count = |n: usize| i18n::number(lang, n as f64, 0);
    let s = &r.sources;
    let mut out = vec![
        tf(
            "cli.train.labels.sources",
            &[
                ("history", &count(s.history.cases)),
                ("history_pos", &count(s.history.positives)),
                ("ranked", &count(s.ranked.cases)),
                ("ranked_pos", &count(s.ranked.positives)),
                ("random", &count(s.random.cases)),
                ("random_pos", &count(s.random.positives)),
            ],
        ),
        tf(
            &format!("cli.train.labels.correction.{}", r.correction.as_code()),
            &[
                ("used", &count(r.used)),
                ("weight", &r.arm_weight),
                ("share", &crate::format::percent(lang, r.arm_share, 1)),
            ],
        ),
    ];
    out.push(match &r.random_arm {
        Some(q) => tf(
            "cli.train.labels.arm",
            &[
                ("n", &count(q.n)),
                ("positives", &count(q.positives)),
                ("auc", &q.auc.map_or("-".to_owned(), num)),
                ("brier", &num(q.brier)),
                ("log_loss", &num(q.log_loss)),
            ],
        ),
        None => tf("cli.train.labels.no_arm", &[("n", &r.random_arm_held_out)]),
    });
    if let Some(tc) = &r.truth {
        out.push(tf(
            "cli.train.labels.truth",
            &[
                ("n", &count(tc.n)),
                ("auc", &num(tc.auc)),
                ("predicted", &num(tc.mean_predicted)),
                ("rate", &num(tc.true_rate)),
                ("ece", &num(tc.expected_calibration_error)),
            ],
        ));
    }
    out
}
