//! The editor popups (ratatui-textarea) for a note and for sending a decision back: several
//! lines, Ctrl-S saves (or sends back), Esc cancels.

use crate::console::action::Action;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear};
use ratatui_textarea::TextArea;

use super::{centered, pane};
use crate::console::app::App;
use crate::console::keymap::Context;
use crate::i18n::t;

/// The editor's frame, with its keys from the keymap along the bottom (`save` names what the
/// save key does). Built when the editor opens, because the text area owns its block.
pub fn editor_block(app: &App, title: String, save: &str) -> Block<'static> {
    let ascii = app.theme.ascii;
    let keys = format!(
        " {} {}{}{} {} ",
        app.keymap
            .first_key(Context::Editor, Action::SaveNote, ascii),
        save,
        app.theme.sep(),
        app.keymap.first_key(Context::Editor, Action::Cancel, ascii),
        t("keys.cancel"),
    );
    pane(app, Line::styled(format!(" {title} "), app.theme.title()))
        .title_bottom(Line::from(keys).right_aligned())
}

pub fn render(_app: &App, editor: &TextArea<'static>, frame: &mut Frame, body: Rect) {
    let width = body.width.saturating_sub(8).min(76);
    let height = body.height.saturating_sub(4).min(12);
    let area = centered(body, width, height);
    frame.render_widget(Clear, area);
    frame.render_widget(editor, area);
}
