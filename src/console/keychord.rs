//! One key with the modifiers that matter: parsed from keymap files, matched against key
//! events, and labelled for the key bar and help.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::t;

/// A key with the modifiers that matter. Shift is folded into the character (`G`, `?`), so a
/// binding reads the way the key is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyChord {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeyChord {
    pub fn from_event(event: &KeyEvent) -> Self {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let alt = event.modifiers.contains(KeyModifiers::ALT);
        let code = match event.code {
            // Terminals report Ctrl-S as 's' or 'S' depending on Shift; bind it once.
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            KeyCode::Char(c) if event.modifiers.contains(KeyModifiers::SHIFT) => {
                KeyCode::Char(c.to_ascii_uppercase())
            }
            other => other,
        };
        KeyChord { code, ctrl, alt }
    }

    /// Parses `a`, `G`, `?`, `ctrl-s`, `alt-x`, `pagedown`, `f5` ...
    pub fn parse(text: &str) -> Option<Self> {
        let mut rest = text;
        let (mut ctrl, mut alt) = (false, false);
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.chars().count() > 1 && lower.starts_with("ctrl-") {
                ctrl = true;
                rest = &rest[5..];
            } else if rest.chars().count() > 1 && lower.starts_with("alt-") {
                alt = true;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "esc" | "escape" => KeyCode::Esc,
                "enter" | "return" => KeyCode::Enter,
                "tab" => KeyCode::Tab,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "space" => KeyCode::Char(' '),
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                f if f.starts_with('f') => {
                    KeyCode::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?)
                }
                _ => return None,
            },
        };
        Some(KeyChord { code, ctrl, alt })
    }

    /// The key as the key bar and help show it, e.g. `a`, `Ctrl-S`, `PgDn`, `↓`.
    pub fn label(&self, ascii: bool) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => t("keys.cap.space").to_string(),
            KeyCode::Char(c) if self.ctrl => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Esc => t("keys.cap.esc").to_string(),
            KeyCode::Enter => t("keys.cap.enter").to_string(),
            KeyCode::Tab => t("keys.cap.tab").to_string(),
            KeyCode::Backspace => t("keys.cap.backspace").to_string(),
            KeyCode::Delete => t("keys.cap.delete").to_string(),
            KeyCode::Home => t("keys.cap.home").to_string(),
            KeyCode::End => t("keys.cap.end").to_string(),
            KeyCode::PageUp => t("keys.cap.pageup").to_string(),
            KeyCode::PageDown => t("keys.cap.pagedown").to_string(),
            KeyCode::Up if ascii => t("keys.cap.up").to_string(),
            KeyCode::Down if ascii => t("keys.cap.down").to_string(),
            KeyCode::Left if ascii => t("keys.cap.left").to_string(),
            KeyCode::Right if ascii => t("keys.cap.right").to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        let mut label = String::new();
        if self.ctrl {
            label.push_str(t("keys.cap.ctrl"));
            label.push('-');
        }
        if self.alt {
            label.push_str(t("keys.cap.alt"));
            label.push('-');
        }
        // A user keymap may bind any character, a bidi override or a zero-width one too.
        label.push_str(&crate::domain::text::sanitize(&base));
        label
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_label() {
        let k = KeyChord::parse("ctrl-s").unwrap();
        assert_eq!((k.code, k.ctrl, k.alt), (KeyCode::Char('s'), true, false));
        assert_eq!(k.label(false), "Ctrl-S");
        assert_eq!(KeyChord::parse("pagedown").unwrap().label(false), "PgDn");
        assert_eq!(KeyChord::parse("down").unwrap().label(true), "Down");
        assert_eq!(KeyChord::parse("-").unwrap().code, KeyCode::Char('-'));
        assert_eq!(KeyChord::parse("f5").unwrap().code, KeyCode::F(5));
        assert!(KeyChord::parse("f13").is_none());
        assert!(KeyChord::parse("hyper-x").is_none());
    }

    #[test]
    fn labels_show_invisible_keys_as_escapes() {
        // A user keymap binding an override or a zero-width space must not put one on screen.
        assert_eq!(
            KeyChord::parse("\u{202e}").unwrap().label(false),
            "\\u{202e}"
        );
        assert_eq!(
            KeyChord::parse("alt-\u{200b}").unwrap().label(false),
            "Alt-\\u{200b}"
        );
    }
}
