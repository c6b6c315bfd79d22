//! Text that comes from outside (imported fields, typed descriptions, organisation files)
//! and may end up on a terminal or in a published document.
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
use std::fmt::Write;

/// Whether a character must not reach a terminal as it is. Written out as ranges rather than
/// taken from a Unicode table crate, so what is escaped can be read here. Variation selectors
/// (U+FE00-U+FE0F, U+E0100-U+E01EF) stay: they pick emoji and CJK glyph forms and cannot
/// reorder or hide text.
pub fn needs_escape(c: char) -> bool {
    matches!(c,
        // C0 controls, including tab and newline (a single-line span must stay single-line),
        // ESC and BEL; DEL; the C1 controls, among them the one-byte CSI (U+009B), OSC
        // (U+009D), DCS (U+0090), SOS (U+0098), PM (U+009E), APC (U+009F) and NEL (U+0085)
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        // soft hyphen: drawn as nothing or as a hyphen depending on the terminal
        | '\u{ad}'
        // combining grapheme joiner: invisible
        | '\u{34f}'
        // Arabic and Syriac format characters (category Cf): number signs, the Arabic
        // letter mark, end-of-ayah marks, the Syriac abbreviation mark, pound/piastre marks
        | '\u{600}'..='\u{605}'
        | '\u{61c}'
        | '\u{6dd}'
        | '\u{70f}'
        | '\u{890}'..='\u{891}'
        | '\u{8e2}'
        // Hangul fillers: blank, yet not whitespace, so a name can look empty or different
        | '\u{115f}'..='\u{1160}'
        | '\u{3164}'
        | '\u{ffa0}'
        // Khmer inherent vowels (invisible) and the Mongolian vowel separator
        | '\u{17b4}'..='\u{17b5}'
        | '\u{180e}'
        // zero-width space, non-joiner and joiner; left-to-right and right-to-left marks
        | '\u{200b}'..='\u{200f}'
        // line and paragraph separators; bidi embeddings and overrides (LRE RLE PDF LRO RLO)
        | '\u{2028}'..='\u{202e}'
        // word joiner, invisible operators, the bidi isolates (LRI RLI FSI PDI) and the
        // deprecated shaping and digit controls
        | '\u{2060}'..='\u{206f}'
        // byte-order mark / zero-width no-break space
        | '\u{feff}'
        // interlinear annotation anchor, separator and terminator
        | '\u{fff9}'..='\u{fffb}'
        // Kaithi number signs, Egyptian hieroglyph and shorthand format controls, musical
        // symbol format characters
        | '\u{110bd}'
        | '\u{110cd}'
        | '\u{13430}'..='\u{1343f}'
        | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}'
        // tag characters: invisible, and able to carry a hidden ASCII message
        | '\u{e0000}'..='\u{e007f}'
    )
}

/// The first character of `text` that is not plain, visible text (a control, a bidi override,
/// an invisible format character), if any. Texts that are stored to be shown to people or
/// published (feature documentation, register entries) refuse these outright; texts that
/// are only displayed are escaped instead (`console::sanitize`).
pub fn first_hidden_char(text: &str) -> Option<char> {
    text.chars().find(|&c| needs_escape(c))
}

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
    fn controls_and_bidi_are_hidden_characters_letters_are_not() {
        assert_eq!(first_hidden_char("Wgs art. 3a, § 8 — één"), None);
        assert_eq!(first_hidden_char("rood\u{1b}[31m"), Some('\u{1b}'));
        assert_eq!(first_hidden_char("a\u{202e}b"), Some('\u{202e}'));
        assert_eq!(first_hidden_char("tab\there"), Some('\t'));
    }

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
