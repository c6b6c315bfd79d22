//! What keys do in the household's history (`h`): it is read once, when it opens (and that
//! reading is logged), and only scrolling, help, the way back and quitting act, as in the
//! stats view: a decision key must not decide the case hidden behind it.

use super::action::Action;
use super::app::{App, Popup, View};
use super::keymap::Context;
use super::ui;
use crate::i18n::tf;

/// Reads the story of the household on screen and shows it; on a failed read the case stays
/// and the error shows.
pub(super) fn open(app: &mut App) {
    let Some(case_id) = app.opened() else {
        return app.info(crate::i18n::t("console.status.queue_empty"));
    };
    match app.backend.household_story(case_id) {
        Ok(story) => {
            app.view = View::History {
                story: Box::new(story),
                scroll: 0,
            };
        }
        Err(e) => app.fail(&e),
    }
}

pub(super) fn update(app: &mut App, action: Action) {
    let page = app.size.1.saturating_sub(6).max(1);
    if super::stats_view::scrolled(app, &action, page, ui::history::max_scroll(app)) {
        return;
    }
    match action {
        Action::History | Action::Back => app.view = View::Queue,
        Action::Help => app.popup = Some(Popup::Help),
        Action::Accept
        | Action::Reject
        | Action::Defer
        | Action::Note
        | Action::Undo
        | Action::Reveal
        | Action::Sign
        | Action::SendBack
        | Action::Outcome => {
            let key = app
                .keymap
                .first_key(Context::Review, Action::History, app.theme.ascii);
            app.info(tf("console.history.back_first", &[("key", &key)]));
        }
        _ => {}
    }
}
