//! Recording what the outreach found (`e`, then a digit) and the list of one's accepted
//! cases still waiting for it (`w`). Each step goes through the backend like a decision
//! (role, team, claim), is one event, and `u` takes it back.

use super::app::{App, PendingOutcome, Popup};
use crate::console::action::Action;
use crate::domain::decision::CaseStatus;
use crate::domain::outcome::OutcomeStep;
use crate::domain::text::sanitize;
use crate::i18n::t;

/// Opens the picker on the case on screen, if help was offered on it.
pub(super) fn open_picker(app: &mut App) {
    if !app.role().decides() {
        return app.info(t("console.status.outcome_not_yours"));
    }
    let Some(row) = app.selected().cloned() else {
        return app.info(t(if app.window.outcomes() {
            "console.status.no_outcome_due"
        } else {
            "console.status.queue_empty"
        }));
    };
    if row.status != CaseStatus::Accepted {
        return app.info(
            t("console.status.outcome_only_accepted")
                .replace("{household}", &sanitize(&row.household))
                .replace(
                    "{status}",
                    t(&format!("console.status_label.{}", row.status.as_code())),
                ),
        );
    }
    app.popup = Some(Popup::Outcome(PendingOutcome {
        case_id: row.case_id,
        household: row.household,
        on: app.today,
    }));
}

/// The picker's keys: a step's digit records it, the arrows move the day (never past
/// today), Esc closes it unrecorded.
pub(super) fn picker(app: &mut App, mut pending: PendingOutcome, action: Action) {
    match action {
        Action::PickOutcome(key) => match OutcomeStep::from_key(key) {
            Some(step) => record(app, &pending, step),
            None => {
                app.info(
                    t("console.status.no_such_step").replace("{key}", &sanitize(&key.to_string())),
                );
                app.popup = Some(Popup::Outcome(pending));
            }
        },
        Action::ShiftDay(days) => {
            let moved = pending.on + chrono::Duration::days(days);
            pending.on = moved.min(app.today);
            app.popup = Some(Popup::Outcome(pending));
        }
        Action::Cancel => app.info(t("console.status.outcome_cancelled")),
        _ => app.popup = Some(Popup::Outcome(pending)),
    }
}

fn record(app: &mut App, pending: &PendingOutcome, step: OutcomeStep) {
    if let Err(e) = app
        .backend
        .record_outcome(pending.case_id, step, pending.on)
    {
        return app.fail(&e);
    }
    // In the list of cases waiting for an outcome, a complete one leaves it.
    if let Err(e) = app.window.reload(&*app.backend) {
        return app.fail(&e);
    }
    app.load_summary();
    app.load_detail();
    app.info(
        t("console.status.outcome_recorded")
            .replace("{household}", &sanitize(&pending.household))
            .replace("{step}", t(&format!("outcome.{}", step.as_code())))
            .replace("{day}", &pending.on.format("%Y-%m-%d").to_string()),
    );
}

/// Shows the list of this reviewer's accepted cases waiting for an outcome, or the queue
/// again where it was.
pub(super) fn toggle_list(app: &mut App) {
    if !app.window.outcomes() && !app.role().decides() {
        return app.info(t("console.status.outcome_not_yours"));
    }
    super::casework::toggle_list(
        app,
        crate::domain::queue::QueueList::Outcomes,
        "console.status.showing_outcomes",
    );
}
