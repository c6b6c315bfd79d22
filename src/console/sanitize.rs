//! Makes untrusted text safe for the terminal.
//!
//! Notes, names, creditor names and imported categories come from people and files we do not
//! control. Written to a terminal as they are, an ESC could move the cursor, recolour the
//! screen or retitle the window, and a bidi override could make a note read differently from
//! what it says. Every such string passes through [`sanitize`] before it becomes a `Span`;
//! offending characters are shown as visible escapes (`\x1b`, `\u{202e}`) rather than dropped,
//! so a reviewer can see that something odd was there.

use std::borrow::Cow;
use std::fmt::Write;

/// Replaces control, bidi-override and invisible format characters with visible escapes.
/// Borrows when nothing needs replacing, which is nearly always.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs_escape(c) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Sanitises text that may span lines: each line separately, so line breaks stay line breaks
/// for callers that lay lines out themselves (notes in the full detail view).
pub fn sanitize_lines(text: &str) -> Vec<String> {
    text.lines().map(|l| sanitize(l).into_owned()).collect()
}

fn needs_escape(c: char) -> bool {
    matches!(c,
        // C0 controls (including tab and newline: a single-line span must stay single-line)
        '\u{0}'..='\u{1f}'
        // DEL and the C1 controls (U+009B is a one-byte CSI on some terminals)
        | '\u{7f}'..='\u{9f}'
        // Arabic letter mark, zero-width space/joiners, LRM/RLM
        | '\u{61c}'
        | '\u{200b}'..='\u{200f}'
        // line and paragraph separators
        | '\u{2028}' | '\u{2029}'
        // bidi embeddings and overrides, then the isolates
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        // byte-order mark / zero-width no-break space
        | '\u{feff}'
    )
}

fn escape(c: char, out: &mut String) {
    let code = c as u32;
    // Writing to a String cannot fail.
    let _ = if code < 0x80 {
        write!(out, "\\x{code:02x}")
    } else {
        write!(out, "\\u{{{code:x}}}")
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        let s = "Woonstad Rotterdam · € 2.310 · ünïcødé 漢字";
        assert!(matches!(sanitize(s), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(sanitize("a\x1b[31mred"), "a\\x1b[31mred");
        assert_eq!(sanitize("bell\x07"), "bell\\x07");
        assert_eq!(sanitize("del\x7f"), "del\\x7f");
        assert_eq!(sanitize("csi\u{9b}2J"), "csi\\u{9b}2J");
        assert_eq!(sanitize("tab\there\nline"), "tab\\x09here\\x0aline");
    }

    #[test]
    fn bidi_and_invisible_characters_become_visible() {
        assert_eq!(sanitize("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(sanitize("\u{2066}x\u{2069}"), "\\u{2066}x\\u{2069}");
        assert_eq!(sanitize("zero\u{200b}width"), "zero\\u{200b}width");
        assert_eq!(sanitize("\u{feff}bom"), "\\u{feff}bom");
        assert_eq!(sanitize("a\u{2028}b\u{2029}"), "a\\u{2028}b\\u{2029}");
    }

    #[test]
    fn nothing_dangerous_survives() {
        let nasty: String = (0u32..0x3000).filter_map(char::from_u32).collect();
        let clean = sanitize(&nasty);
        assert!(!clean.chars().any(needs_escape));
        assert!(!clean.contains('\x1b'));
    }

    #[test]
    fn lines_are_sanitised_one_by_one() {
        assert_eq!(sanitize_lines("one\ntwo\x1b"), vec!["one", "two\\x1b"]);
    }
}
