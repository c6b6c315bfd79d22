//! What keys do in the stats view (`s`). The figures are read once, when the view opens:
//! they take a pass over the open queue and recent decisions, too much for every key, and
//! `s` twice reads them afresh. While the view is open only scrolling, help, the way back
//! and quitting act: a decision key must not decide the case hidden behind the view.

use super::action::Action;
use super::app::{App, Popup, View};
use super::keymap::Context;
use super::ui;
use crate::i18n::t;

/// Reads the figures and shows them; on a failed read the queue stays and the error shows.
pub(super) fn open(app: &mut App) {
    match app.backend.stats(app.today) {
        Ok(stats) => {
            app.view = View::Stats {
                stats: Box::new(stats),
                scroll: 0,
            };
        }
        Err(e) => app.fail(&e),
    }
}

/// Scrolls a read-only view (the stats, the history) for a moving key: by a line, a page
/// of `page` lines, the wheel's lines, to either end, never past `max`. False for any
/// other action.
pub(super) fn scrolled(app: &mut App, action: &Action, page: u16, max: u16) -> bool {
    let at = app.scroll();
    let to = match action {
        Action::Down => at.saturating_add(1),
        Action::Up => at.saturating_sub(1),
        Action::PageDown => at.saturating_add(page),
        Action::PageUp => at.saturating_sub(page),
        Action::Scroll(lines) => at.saturating_add_signed(*lines),
        Action::First => 0,
        Action::Last => u16::MAX,
        _ => return false,
    };
    app.scroll_to(to.min(max));
    true
}

pub(super) fn update(app: &mut App, action: Action) {
    let (page, max) = (ui::stats::page(app), ui::stats::max_scroll(app));
    if scrolled(app, &action, page, max) {
        return;
    }
    match action {
        // The figures go with the view: the next opening reads them again.
        Action::Stats | Action::Back => app.view = View::Queue,
        Action::Help => app.popup = Some(Popup::Help),
        Action::Accept
        | Action::Reject
        | Action::Defer
        | Action::Note
        | Action::Undo
        | Action::Reveal
        | Action::Sign
        | Action::SendBack
        | Action::ToSign
        | Action::ToggleDecided => {
            let key = app
                .keymap
                .first_key(Context::Review, Action::Stats, app.theme.ascii);
            app.info(t("console.stats.back_first").replace("{key}", &key));
        }
        _ => {}
    }
}
