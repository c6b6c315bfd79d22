//! Working alongside others: the claim on the case on screen (renewed every minute, refused
//! decisions when someone else holds it), revealing personal data, and the four-eyes rule
//! (the to-sign queue, confirming and sending back). The store enforces all of it; the
//! console shows it and passes the store's refusals on in the status line.

use super::app::App;
use super::backend::ClaimState;
use super::window::key_of;
use super::{editor, ui::format};
use crate::domain::decision::CaseStatus;
use crate::domain::queue::QueueList;
use crate::domain::text::sanitize;
use crate::domain::view::{CaseDetail, DecisionView, QueueRow};
use crate::i18n::t;
use crate::store::Refusal;
use crate::store::StoreError;

/// Renews the claim on the case on screen and reads the queue again, so claims and
/// decisions of others show. The cursor never moves by itself: when the selected case left
/// the queue meanwhile, the rows on screen only take over what changed.
pub(super) fn tick(app: &mut App) {
    if let Some(case_id) = app.opened() {
        if !matches!(app.claim(), ClaimState::None) {
            let held = matches!(app.claim(), ClaimState::Mine { .. });
            match app.backend.renew_claim(case_id) {
                // A supervisor freed it meanwhile: the release stands, and the reader is told.
                Ok(ClaimState::None) if held => {
                    app.set_claim(ClaimState::None);
                    let household = app
                        .detail()
                        .map(|d| sanitize(&d.household.pseudonym).into_owned())
                        .unwrap_or_default();
                    app.info(t("console.status.claim_released").replace("{household}", &household));
                }
                Ok(claim) => app.set_claim(claim),
                Err(e) => app.fail(&e),
            }
        }
        // The case on screen as it is now (someone may have decided it): no new view event.
        match app.backend.detail(case_id) {
            Ok(d) => {
                if let Some(open) = &mut app.open {
                    open.detail = Some(d);
                }
            }
            Err(e) => app.fail(&e),
        }
    }
    let mut fresh = app.window.clone();
    match fresh.reload(&*app.backend) {
        Ok(()) if fresh.selected().map(|r| r.case_id) == app.opened() => app.window = fresh,
        Ok(()) => app.window.refresh_rows(&fresh),
        Err(e) => app.fail(&e),
    }
    if let Some(d) = app.detail() {
        app.window.set_status(d.case_id, d.status);
    }
    app.load_summary();
    rebase_if_changed(app);
}

/// After another process wrote to the database: when what the queue rests on changed, reads
/// it again (see [`rebase_if_changed`]). Nothing else is read when nothing was written.
pub(super) fn poll(app: &mut App) {
    let version = match app.backend.data_version() {
        Ok(v) => v,
        Err(e) => return app.fail(&e),
    };
    if version == app.data_version {
        return;
    }
    app.data_version = version;
    refresh_from_elsewhere(app);
    rebase_if_changed(app);
}

/// Another process wrote: what it changed shows at once rather than at the next minute's
/// tick (a trial saw "held by bram" stay a minute after bram had left). A case on screen that
/// someone else held is tried again (the claim may be free now, and then it is this
/// reviewer's), the case is read again (someone may have decided it), and the rows in view
/// take over who holds them and their status, without moving.
fn refresh_from_elsewhere(app: &mut App) {
    if let Some(case_id) = app.opened() {
        if matches!(app.claim(), ClaimState::HeldBy { .. }) {
            match app.backend.renew_claim(case_id) {
                Ok(claim) => app.set_claim(claim),
                Err(e) => return app.fail(&e),
            }
        }
        match app.backend.detail(case_id) {
            Ok(d) => {
                if let Some(open) = &mut app.open {
                    open.detail = Some(d);
                }
            }
            Err(e) => return app.fail(&e),
        }
    }
    let mut fresh = app.window.clone();
    match fresh.reload(&*app.backend) {
        Ok(()) => app.window.refresh_rows(&fresh),
        Err(e) => return app.fail(&e),
    }
    if let Some(d) = app.detail() {
        app.window.set_status(d.case_id, d.status);
    }
    app.load_summary();
}

/// When the halt, the scoring run, this reviewer's judge-first mode or a reassignment changed,
/// reads the header and the queue again in its new order, and the case on screen with what it
/// may show now (no chance once halted, none before one's own judgment). The case the
/// reviewer is reading stays selected, at the same place on screen, so a key pressed for it
/// never lands on another; a case that left the queue gives way to the new first one.
fn rebase_if_changed(app: &mut App) {
    let basis = match app.backend.queue_basis() {
        Ok(b) => b,
        Err(e) => return app.fail(&e),
    };
    if basis == app.basis {
        return;
    }
    let before = std::mem::replace(&mut app.basis, basis);
    app.load_summary();
    let screen_row = app.window.screen_row();
    let key = app
        .opened()
        .and_then(|id| app.backend.queue_key(id, app.window.by_deadline()).ok())
        .flatten();
    let moved = match key {
        Some(key) => app.window.goto(&*app.backend, key, screen_row),
        None => app.window.first(&*app.backend),
    };
    if let Err(e) = moved {
        return app.fail(&e);
    }
    app.load_detail();
    let now = &app.basis;
    let text = if now.halt.is_some() && before.halt.is_none() {
        let by = now.halt.as_ref().map(|h| sanitize(&h.by).into_owned());
        t("console.status.halted_now").replace("{by}", &by.unwrap_or_default())
    } else if now.halt.is_none() && before.halt.is_some() {
        t("console.status.resumed_now").to_owned()
    } else if now.run != before.run {
        t("console.status.ranked_again").to_owned()
    } else if now.judge_first != before.judge_first {
        t(if now.judge_first.is_some() {
            "console.status.judge_first_on"
        } else {
            "console.status.judge_first_off"
        })
        .to_owned()
    } else {
        t("console.status.reassigned_elsewhere").to_owned()
    };
    app.info(text);
}

/// A case as refusals name it: by the household the screen shows for it.
fn case_ref(app: &App, case_id: i64) -> crate::store::CaseRef {
    let household = app
        .detail()
        .filter(|d| d.case_id == case_id)
        .map(|d| d.household.pseudonym.clone())
        .or_else(|| {
            app.rows()
                .iter()
                .find(|r| r.case_id == case_id)
                .map(|r| r.household.clone())
        })
        .unwrap_or_else(|| format!("case {case_id}"));
    crate::store::CaseRef {
        id: case_id,
        household,
    }
}

/// After a refusal because someone else holds the case, the screen says who.
pub(super) fn note_refusal(app: &mut App, error: &StoreError) {
    if let StoreError::Refused(Refusal::HeldBy {
        case,
        holder,
        until,
    }) = error
        && app.opened() == Some(case.id)
    {
        app.set_claim(ClaimState::HeldBy {
            holder: holder.clone(),
            until: until.clone(),
        });
    }
}

/// When someone else holds the case on screen (asked again: they may have left), shows the
/// store's refusal and returns true.
pub(super) fn refuse_if_held(app: &mut App) -> bool {
    let (Some(case_id), ClaimState::HeldBy { .. }) = (app.opened(), app.claim()) else {
        return false;
    };
    match app.backend.renew_claim(case_id) {
        Ok(claim) => app.set_claim(claim),
        Err(e) => {
            app.fail(&e);
            return true;
        }
    }
    match app.claim() {
        ClaimState::HeldBy { holder, until } => {
            let refusal = StoreError::Refused(Refusal::HeldBy {
                case: case_ref(app, case_id),
                holder: holder.clone(),
                until: until.clone(),
            });
            app.fail(&refusal);
            true
        }
        _ => false,
    }
}

/// After a write that settled `row`: reads the window from its key, where the next case now
/// is. When the settled case stays in view (decided cases shown), the cursor steps past it.
pub(super) fn move_past(
    app: &mut App,
    row: &QueueRow,
    screen_row: usize,
) -> Result<(), StoreError> {
    app.window
        .goto(&*app.backend, key_of(row), screen_row)
        .and_then(|()| {
            if app.selected().is_some_and(|r| r.case_id == row.case_id) {
                app.window.move_by(&*app.backend, 1)
            } else {
                Ok(())
            }
        })
}

/// Shows the personal data of the case on screen; the store logs the showing first.
pub(super) fn reveal(app: &mut App) {
    let Some(case_id) = app.detail().map(|d| d.case_id) else {
        return app.info(t("console.status.queue_empty"));
    };
    if app.revealed().is_some() {
        return app.info(t("console.status.already_revealed"));
    }
    match app.backend.reveal(case_id) {
        Ok(data) => {
            if let Some(open) = &mut app.open {
                open.revealed = Some(data);
            }
            app.info(t("console.status.revealed"));
        }
        // Not a failure: the retention period is over and the data are gone, as they should.
        Err(e @ StoreError::Refused(Refusal::Erased(_))) => app.info(e.to_string()),
        Err(e) => app.fail(&e),
    }
}

/// Shows the decisions waiting for a second signature, or the queue again where it was.
pub(super) fn toggle_to_sign(app: &mut App) {
    toggle_list(app, QueueList::ToSign, "console.status.showing_to_sign");
}

/// Enters `list` beside the queue from the top, or (when it is showing) leaves it for the
/// queue where it was.
pub(super) fn toggle_list(app: &mut App, list: QueueList, showing: &str) {
    let entering = app.window.list() != list;
    let back_to = if entering {
        app.queue_return = app.selected().map(key_of);
        None
    } else {
        app.queue_return.take()
    };
    let target = if entering { list } else { QueueList::Queue };
    match app.window.set_list(&*app.backend, target, back_to) {
        Ok(()) => {
            app.load_detail();
            app.info(t(if entering {
                showing
            } else {
                "console.status.showing_queue"
            }));
        }
        Err(e) => {
            if entering {
                app.queue_return = None;
            }
            app.fail(&e);
        }
    }
}

/// The decision a case waits with: the latest decision in its history (a retraction or a
/// send-back would have reopened the case).
pub fn waiting_decision(d: &CaseDetail) -> Option<&DecisionView> {
    d.history
        .iter()
        .rev()
        .find(|h| matches!(h.decision.as_str(), "accept" | "reject" | "defer"))
}

/// The four-eyes rule a waiting case is held by, in words.
pub(super) fn waiting_rule(d: &CaseDetail) -> String {
    waiting_decision(d)
        .and_then(|h| h.four_eyes.as_deref())
        .map(format::rule)
        .unwrap_or_else(|| t("console.rule.unknown").to_owned())
}

/// The second signature: the waiting decision stands, and the next case comes up.
pub(super) fn sign(app: &mut App) {
    let Some(row) = app.selected().cloned() else {
        return app.info(t("console.status.queue_empty"));
    };
    let screen_row = app.window.screen_row();
    let waiting = app.detail().and_then(waiting_decision).cloned();
    if let Err(e) = app.backend.sign(row.case_id) {
        note_refusal(app, &e);
        return app.fail(&e);
    }
    let moved = move_past(app, &row, screen_row);
    app.load_summary();
    app.load_detail();
    let (reviewer, decision) = who_decided(waiting.as_ref());
    app.info(
        t("console.status.signed")
            .replace("{household}", &sanitize(&row.household))
            .replace("{reviewer}", &reviewer)
            .replace("{decision}", &decision),
    );
    if let Err(e) = moved {
        app.fail(&e);
    }
}

/// The reviewer and the decision label of a waiting decision, made safe for the screen.
fn who_decided(waiting: Option<&DecisionView>) -> (String, String) {
    match waiting {
        Some(h) => (
            sanitize(&h.reviewer).into_owned(),
            format::decision_label(&h.decision),
        ),
        None => ("?".to_owned(), "?".to_owned()),
    }
}

/// `b`: checks what the store would refuse at once (so no note is written in vain), then
/// opens the send-back editor. The store checks all of it again when the note is sent.
pub(super) fn start_send_back(app: &mut App) {
    let Some(row) = app.selected().cloned() else {
        return app.info(t("console.status.queue_empty"));
    };
    let case_id = row.case_id;
    let role = app.role();
    let waiting = app.detail().and_then(waiting_decision).cloned();
    let status = app.detail().map(|d| d.status);
    let refusal = if !role.signs() {
        Some(StoreError::Refused(Refusal::Forbidden {
            name: app.backend.reviewer().to_owned(),
            role,
            action: "error.action.sign",
        }))
    } else if status != Some(CaseStatus::ToSign) {
        Some(StoreError::Refused(Refusal::NotToSign(case_ref(
            app, case_id,
        ))))
    } else if waiting
        .as_ref()
        .is_some_and(|h| h.reviewer == app.backend.reviewer())
    {
        Some(StoreError::Refused(Refusal::OwnDecision(case_ref(
            app, case_id,
        ))))
    } else {
        None
    };
    if let Some(e) = refusal {
        return app.fail(&e);
    }
    if refuse_if_held(app) {
        return;
    }
    let (reviewer, _) = who_decided(waiting.as_ref());
    editor::open_send_back(app, &row.household, &reviewer);
}

/// Sends the waiting decision on screen back, with the note if there is one; the case
/// reopens for its reviewer and the next case comes up. On a refusal nothing moves.
pub(super) fn send_back(app: &mut App, note: Option<&str>) -> Result<(), StoreError> {
    let Some(row) = app.selected().cloned() else {
        app.info(t("console.status.queue_empty"));
        return Ok(());
    };
    let screen_row = app.window.screen_row();
    let waiting = app.detail().and_then(waiting_decision).cloned();
    if let Err(e) = app.backend.send_back(row.case_id, note) {
        note_refusal(app, &e);
        return Err(e);
    }
    let moved = move_past(app, &row, screen_row);
    app.load_summary();
    app.load_detail();
    let (reviewer, decision) = who_decided(waiting.as_ref());
    app.info(
        t("console.status.sent_back")
            .replace("{household}", &sanitize(&row.household))
            .replace("{reviewer}", &reviewer)
            .replace("{decision}", &decision),
    );
    if let Err(e) = moved {
        app.fail(&e);
    }
    Ok(())
}
