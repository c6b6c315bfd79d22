//! Two guards against automation bias in the console (AI Act art. 14(4)(b)):
//!
//! - Judge-first mode: the reviewer records their own view of a case (1 needs help, 2 no
//!   need, 3 unsure) before its score and explanation are shown; the store hides them until
//!   then and refuses a decision without one. `J` turns the mode on or off for oneself.
//! - The quick-decision prompt: a decision taken within `confirm_within` of opening the case
//!   asks "are you sure?" once (logged as an event). Only the same decision key again records
//!   it; nothing is pre-selected, so Enter or a stray key never confirms.

use super::app::{App, PendingDecision, Popup};
use crate::domain::decision::{CaseStatus, Decision};
use crate::domain::judge_first::InitialJudgment;
use crate::domain::text::sanitize;
use crate::i18n::{t, tf};

/// Whether the case on screen waits for this reviewer's initial judgment.
pub(super) fn awaiting_judgment(app: &App) -> bool {
    app.detail()
        .and_then(|d| d.judge_first)
        .is_some_and(|j| j.initial.is_none())
}

/// Records the reviewer's initial judgment, then shows the model's view of the case.
pub(super) fn judge(app: &mut App, judgment: InitialJudgment) {
    let Some(detail) = app.detail() else {
        return app.info(t("console.status.queue_empty"));
    };
    if detail.judge_first.is_none() {
        return app.info(tf(
            "console.status.not_judge_first",
            &[(
                "key",
                &app.keymap.first_key(
                    super::keymap::Context::Review,
                    super::Action::ToggleJudgeFirst,
                    app.theme.ascii,
                ),
            )],
        ));
    }
    if !matches!(detail.status, CaseStatus::Open | CaseStatus::Deferred) {
        return app.info(t("console.status.already_decided"));
    }
    let (case_id, household) = (detail.case_id, detail.household.pseudonym.clone());
    match app.backend.judge(case_id, judgment) {
        Ok(_) => {
            app.load_detail();
            app.info(tf(
                "console.status.judged",
                &[
                    ("household", &sanitize(&household)),
                    ("judgment", &t(&format!("judgment.{}", judgment.as_code()))),
                ],
            ));
        }
        Err(e) => app.fail(&e),
    }
}

/// Turns judge-first on or off for this reviewer. The queue changes order (arrival instead
/// of rank), so it is read again from the top.
pub(super) fn toggle_judge_first(app: &mut App) {
    let on = app.summary.judge_first.is_none();
    if let Err(e) = app.backend.set_judge_first(on) {
        return app.fail(&e);
    }
    app.load_summary();
    if !reorder(app) {
        return;
    }
    app.info(t(if on {
        "console.status.judge_first_on"
    } else {
        "console.status.judge_first_off"
    }));
}

/// Reads the queue from the top after the mode changed (its order changed with it); false
/// when that failed (the error shows).
pub(super) fn reorder(app: &mut App) -> bool {
    if let Err(e) = app.window.first(&*app.backend) {
        app.fail(&e);
        return false;
    }
    // Same case or not, its model view may have to be hidden or shown now.
    app.open = None;
    app.load_detail();
    true
}

/// Before a decision is written: when it comes within `confirm_within` of opening the case
/// and the prompt has not been shown for this opening, shows it (logged) and returns true.
///
/// A deferral is not asked about: it settles nothing, and "not now" may well be quick.
pub(super) fn ask_if_quick(
    app: &mut App,
    decision: Decision,
    reason: Option<&str>,
    note: Option<&str>,
) -> bool {
    if decision == Decision::Defer {
        return false;
    }
    let (Some(limit), Some(open)) = (app.confirm_within, app.open.as_ref()) else {
        return false;
    };
    let Some(detail) = open.detail.as_ref() else {
        return false;
    };
    let elapsed = app.clock.now().saturating_sub(open.opened_at);
    if elapsed >= limit || open.prompted {
        return false;
    }
    let pending = PendingDecision {
        case_id: detail.case_id,
        household: detail.household.pseudonym.clone(),
        decision,
        reason: reason.map(str::to_owned),
        note: note.map(str::to_owned),
        seconds: elapsed.as_secs_f64(),
    };
    // The prompt is itself an event: the oversight report can count how often it came up.
    if let Err(e) = app.backend.quick_decision_prompt(
        pending.case_id,
        decision,
        pending.seconds,
        limit.as_secs_f64(),
    ) {
        app.fail(&e);
        return true;
    }
    if let Some(open) = &mut app.open {
        open.prompted = true;
    }
    app.popup = Some(Popup::Confirm(pending));
    true
}

/// The decision key that confirms a pending decision.
pub(super) fn confirms(pending: &PendingDecision, action: &super::Action) -> bool {
    use super::Action;
    matches!(
        (pending.decision, action),
        (Decision::Accept, Action::Accept)
            | (Decision::Reject, Action::Reject)
            | (Decision::Defer, Action::Defer)
    )
}
