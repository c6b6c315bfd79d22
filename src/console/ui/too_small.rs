//! Below 80x24 the console does not try to squeeze: it says plainly what size it needs.

use crate::console::action::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::console::app::App;
use crate::console::keymap::Context;
use crate::console::ui::{MIN_HEIGHT, MIN_WIDTH};
use crate::i18n::t;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let size = format!("{}x{}", area.width, area.height);
    let needed = format!("{MIN_WIDTH}x{MIN_HEIGHT}");
    let quit = app
        .keymap
        .first_key(Context::Review, Action::Quit, app.theme.ascii);
    let lines = vec![
        Line::styled(
            t("console.too_small.title").replace("{size}", &size),
            app.theme.title(),
        ),
        Line::raw(""),
        Line::raw(t("console.too_small.needed").replace("{needed}", &needed)),
        Line::raw(t("console.too_small.quit").replace("{key}", &quit)),
    ];
    let top = area.height.saturating_sub(lines.len() as u16) / 2;
    let inner = Rect::new(
        area.x + 1,
        area.y + top,
        area.width.saturating_sub(2),
        area.height - top,
    );
    frame.render_widget(
        Paragraph::new(lines).centered().wrap(Wrap { trim: true }),
        inner,
    );
}
