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

pub(super) fn update(app: &mut App, action: Action) {
    let page = ui::stats::page(app);
    let scroll = |app: &mut App, to: u16| {
        let to = to.min(ui::stats::max_scroll(app));
        app.scroll_to(to);
    };
    let at = app.scroll();
    match action {
        Action::Down => scroll(app, at.saturating_add(1)),
        Action::Up => scroll(app, at.saturating_sub(1)),
        Action::PageDown => scroll(app, at.saturating_add(page)),
        Action::PageUp => scroll(app, at.saturating_sub(page)),
        Action::First => app.scroll_to(0),
        Action::Last => scroll(app, u16::MAX),
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
