//! Makes untrusted text safe for the terminal.
//!
//! Notes, names, creditor names and imported categories come from people and files we do not
//! control. Written to a terminal as they are, an ESC could move the cursor, clear or recolour
//! the screen, retitle the window or write the clipboard (OSC 52), and a bidi override could
//! make a note read differently from what it says. Every such string passes through
//! [`sanitize`] before it becomes a `Span` or a line on stdout/stderr; offending characters are
//! shown as visible escapes (`\x1b`, `\u{202e}`) rather than dropped, so a reviewer can see that
//! something odd was there.
//!
//! Escaping the introducer is enough for every escape sequence: CSI, OSC, DCS, APC, PM and SOS
//! all start with ESC (or with their one-byte C1 form, also escaped), so what follows it is
//! left as plain, harmless text (`\x1b]52;c;SGVsbG8=\x07`).
//!
//! The escapes are ASCII without control characters, so sanitising twice changes nothing: a
//! value sanitised where it is read and again where it is drawn reads the same. A backslash is
//! left alone (notes quote Windows paths); a note that *types* `\x1b` therefore looks like one
//! that contained an ESC, which is harmless.

use std::borrow::Cow;

pub(crate) use crate::domain::text::needs_escape;
use std::fmt::Write;

/// Replaces control, bidi and invisible formatting characters with visible escapes.
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

/// Sanitises a message for stdout or stderr, keeping its line feeds (error messages quote
/// files over several lines; JSON is pretty-printed) and escaping everything else, `\r`
/// included, so no line can be overwritten.
pub fn sanitize_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && needs_escape(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(sanitize).collect();
    Cow::Owned(lines.join("\n"))
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
        let s = "Woonstad Rotterdam · € 2.310 · ünïcødé 漢字 C:\\Users\\anna";
        assert!(matches!(sanitize(s), Cow::Borrowed(_)));
        assert!(matches!(sanitize_text("two\nlines"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_become_visible() {
        // The issue's examples: an OSC 52 clipboard write and a clear-screen CSI.
        assert_eq!(
            sanitize("\x1b]52;c;SGVsbG8=\x07"),
            "\\x1b]52;c;SGVsbG8=\\x07"
        );
        assert_eq!(sanitize("\x1b[2J"), "\\x1b[2J");
        assert_eq!(sanitize("a\x1b[31mred"), "a\\x1b[31mred");
        // OSC ended by ST, DCS, APC, PM and SOS: the ESC that opens each is escaped.
        assert_eq!(sanitize("\x1b]0;title\x1b\\"), "\\x1b]0;title\\x1b\\");
        assert_eq!(sanitize("\x1bP1$r\x1b\\"), "\\x1bP1$r\\x1b\\");
        assert_eq!(
            sanitize("\x1b_apc\x1b^pm\x1bXsos"),
            "\\x1b_apc\\x1b^pm\\x1bXsos"
        );
        // The one-byte C1 forms of CSI and OSC.
        assert_eq!(sanitize("csi\u{9b}2J"), "csi\\u{9b}2J");
        assert_eq!(sanitize("osc\u{9d}52;c;x\u{9c}"), "osc\\u{9d}52;c;x\\u{9c}");
        assert_eq!(sanitize("bell\x07 del\x7f"), "bell\\x07 del\\x7f");
        assert_eq!(sanitize("tab\there\nline\r"), "tab\\x09here\\x0aline\\x0d");
    }

    /// Every character the issue names, one per row, and what it must become.
    #[test]
    fn bidi_and_invisible_characters_become_visible() {
        let table: &[(char, &str)] = &[
            ('\u{202a}', "\\u{202a}"),   // LRE
            ('\u{202b}', "\\u{202b}"),   // RLE
            ('\u{202c}', "\\u{202c}"),   // PDF
            ('\u{202d}', "\\u{202d}"),   // LRO
            ('\u{202e}', "\\u{202e}"),   // RLO
            ('\u{2066}', "\\u{2066}"),   // LRI
            ('\u{2067}', "\\u{2067}"),   // RLI
            ('\u{2068}', "\\u{2068}"),   // FSI
            ('\u{2069}', "\\u{2069}"),   // PDI
            ('\u{200b}', "\\u{200b}"),   // zero-width space
            ('\u{200c}', "\\u{200c}"),   // zero-width non-joiner
            ('\u{200d}', "\\u{200d}"),   // zero-width joiner
            ('\u{200e}', "\\u{200e}"),   // LRM
            ('\u{200f}', "\\u{200f}"),   // RLM
            ('\u{61c}', "\\u{61c}"),     // Arabic letter mark
            ('\u{2060}', "\\u{2060}"),   // word joiner
            ('\u{2061}', "\\u{2061}"),   // function application
            ('\u{2062}', "\\u{2062}"),   // invisible times
            ('\u{2063}', "\\u{2063}"),   // invisible separator
            ('\u{2064}', "\\u{2064}"),   // invisible plus
            ('\u{feff}', "\\u{feff}"),   // BOM / zero-width no-break space
            ('\u{ad}', "\\u{ad}"),       // soft hyphen
            ('\u{180e}', "\\u{180e}"),   // Mongolian vowel separator
            ('\u{34f}', "\\u{34f}"),     // combining grapheme joiner
            ('\u{e0001}', "\\u{e0001}"), // language tag
            ('\u{e0041}', "\\u{e0041}"), // tag latin capital A
            ('\u{e007f}', "\\u{e007f}"), // cancel tag
            ('\u{fff9}', "\\u{fff9}"),   // interlinear annotation anchor
            ('\u{fffa}', "\\u{fffa}"),   // ... separator
            ('\u{fffb}', "\\u{fffb}"),   // ... terminator
            ('\u{2028}', "\\u{2028}"),   // line separator
            ('\u{2029}', "\\u{2029}"),   // paragraph separator
            ('\u{3164}', "\\u{3164}"),   // Hangul filler
            ('\u{85}', "\\u{85}"),       // NEL
        ];
        for (c, want) in table {
            assert_eq!(sanitize(&format!("a{c}b")), format!("a{want}b"), "{c:?}");
        }
    }

    /// Every Unicode scalar value: nothing that needs escaping, and no control character by
    /// the standard library's own definition, survives; escapes are printable ASCII; every
    /// other character is kept as it was; and sanitising twice changes nothing.
    #[test]
    fn nothing_dangerous_survives_any_character() {
        let all: String = (0u32..=0x10ffff).filter_map(char::from_u32).collect();
        let clean = sanitize(&all);
        assert!(!clean.chars().any(|c| needs_escape(c) || c.is_control()));
        assert!(matches!(sanitize(&clean), Cow::Borrowed(_)), "idempotent");
        let kept: String = all.chars().filter(|c| !needs_escape(*c)).collect();
        let kept_in_clean: String = clean.chars().filter(|c| !c.is_ascii()).collect();
        assert_eq!(
            kept_in_clean,
            kept.chars().filter(|c| !c.is_ascii()).collect::<String>()
        );
        for c in all.chars().filter(|c| needs_escape(*c)) {
            let e = sanitize(c.encode_utf8(&mut [0; 4])).into_owned();
            assert!(e.starts_with('\\') && e.len() > 1, "{c:?} -> {e}");
            assert!(e.chars().all(|x| x.is_ascii_graphic()), "{c:?} -> {e}");
        }
    }

    #[test]
    fn lines_are_sanitised_one_by_one() {
        assert_eq!(sanitize_lines("one\ntwo\x1b"), vec!["one", "two\\x1b"]);
        assert_eq!(
            sanitize_text("line one\x1b[2J\nline\rtwo\n"),
            "line one\\x1b[2J\nline\\x0dtwo\n"
        );
    }
}
