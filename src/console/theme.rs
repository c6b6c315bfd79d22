//! Colours and drawing characters. With `NO_COLOR` set the console uses only bold and
//! reverse video; in ASCII mode (`--ascii`, `OORDEEL_ASCII=1`) borders, bars and marks are
//! plain ASCII for terminals and fonts that lack box-drawing characters.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

/// ASCII borders: `+--+` and `|`.
const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Theme {
    pub color: bool,
    pub ascii: bool,
}

impl Theme {
    pub fn new(ascii: bool, no_color: bool) -> Self {
        Theme {
            color: !no_color,
            ascii,
        }
    }

    /// A colour when colours are allowed, else the plain fallback style.
    fn pick(&self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    pub fn header(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn border(&self) -> Style {
        self.pick(Style::new().fg(Color::DarkGray), Style::new())
    }

    /// The selected queue row.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Urgent or overdue deadlines.
    pub fn warn(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn error(&self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
        )
    }

    pub fn info(&self) -> Style {
        self.pick(Style::new().fg(Color::Green), Style::new())
    }

    /// Secondary text: decided cases, hints, captions.
    pub fn dim(&self) -> Style {
        self.pick(Style::new().fg(Color::DarkGray), Style::new())
    }

    /// A key in the key bar and help overlay.
    pub fn key(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// Who else has a case open: in the queue and the detail pane.
    pub fn held_style(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    /// Bars of contributions that raise the estimated need. Neutral hues on purpose: a
    /// contribution is neither good nor bad, and red/green would suggest a verdict.
    pub fn raises(&self) -> Style {
        self.pick(Style::new().fg(Color::Magenta), Style::new())
    }

    pub fn lowers(&self) -> Style {
        self.pick(Style::new().fg(Color::Blue), Style::new())
    }

    pub fn border_set(&self) -> border::Set<'static> {
        if self.ascii {
            ASCII_BORDER
        } else {
            border::PLAIN
        }
    }

    pub fn bar(&self) -> &'static str {
        if self.ascii { "#" } else { "█" }
    }

    pub fn axis(&self) -> &'static str {
        if self.ascii { "|" } else { "│" }
    }

    pub fn sep(&self) -> &'static str {
        if self.ascii { " - " } else { " · " }
    }

    pub fn ellipsis(&self) -> &'static str {
        if self.ascii { "..." } else { "…" }
    }

    pub fn arrow(&self) -> &'static str {
        if self.ascii { "->" } else { "→" }
    }

    pub fn euro(&self) -> &'static str {
        if self.ascii { "EUR" } else { "€" }
    }

    /// Marks a case someone else has open, before their name.
    pub fn held(&self) -> &'static str {
        if self.ascii { "@" } else { "●" }
    }

    /// Marks the selected row, so the selection shows without colour or reverse video too.
    pub fn marker(&self) -> &'static str {
        ">"
    }
}

/// The theme the environment asks for: `NO_COLOR` (any non-empty value, see no-color.org)
/// and `OORDEEL_ASCII=1`.
pub fn from_env(ascii_flag: bool) -> (bool, bool) {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let ascii = ascii_flag || std::env::var("OORDEEL_ASCII").is_ok_and(|v| v == "1");
    (ascii, no_color)
}
