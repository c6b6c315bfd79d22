//! Text that comes from outside (imported fields, typed descriptions, organisation files)
//! and may end up on a terminal or in a published document.

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
}
