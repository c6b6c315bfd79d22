//! What a reviewer types after `/` (or `:`), read as a search: a household's number, or
//! words to find in creditors' names, notes and, for those who may see them, people's names
//! and addresses.

/// Most cases a search keeps: beyond it the reviewer is asked to type more.
pub const MAX_HITS: usize = 1000;

/// The shortest word looked for in names and addresses: one or two letters would list a
/// good part of the town, each showing logged as an access to personal data.
pub const MIN_PERSONAL_WORD: usize = 3;

/// The shortest word looked for in creditors and notes.
pub const MIN_WORD: usize = 2;

/// Where a search found what was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SearchField {
    Pseudonym,
    Creditor,
    Note,
    /// Personal data: only for roles that may reveal it, and logged.
    Name,
    Address,
}

impl SearchField {
    pub fn as_code(self) -> &'static str {
        match self {
            SearchField::Pseudonym => "pseudonym",
            SearchField::Creditor => "creditor",
            SearchField::Note => "note",
            SearchField::Name => "name",
            SearchField::Address => "address",
        }
    }

    pub fn personal(self) -> bool {
        matches!(self, SearchField::Name | SearchField::Address)
    }
}

/// What a search found: cases (kept for the console to read a window at a time), where.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchOutcome {
    /// Cases under review found (at most [`MAX_HITS`]).
    pub cases: usize,
    /// More would have matched than were kept.
    pub capped: bool,
    /// Where matches were found, in the order of [`SearchField`].
    pub fields: Vec<SearchField>,
    /// Households found that have no case under review (their history is all there is).
    pub without_case: usize,
}

/// What was typed, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerms {
    /// The pseudonyms a number could be (`1377` is `H-01377` in a town of 5,000 households
    /// and `H-0001377` in one of a million): empty when what was typed is not a number.
    pub pseudonyms: Vec<String>,
    /// Words, lower-cased, each at least [`MIN_WORD`] long.
    pub words: Vec<String>,
}

impl SearchTerms {
    /// `H-01377`, `h01377`, `1377` and ` 01377 ` are a household's number; anything else is
    /// words, split at whatever is not a letter or a digit.
    pub fn parse(text: &str) -> SearchTerms {
        let trimmed = text.trim();
        let digits = trimmed
            .strip_prefix(['h', 'H'])
            .map(|rest| rest.strip_prefix('-').unwrap_or(rest))
            .unwrap_or(trimmed);
        if !digits.is_empty() && digits.len() <= 9 && digits.bytes().all(|b| b.is_ascii_digit()) {
            let number = digits.trim_start_matches('0');
            let number = if number.is_empty() { "0" } else { number };
            let pseudonyms = (number.len()..=9)
                .map(|width| format!("H-{number:0>width$}"))
                .collect();
            return SearchTerms {
                pseudonyms,
                words: Vec::new(),
            };
        }
        let words = trimmed
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= MIN_WORD)
            .map(str::to_lowercase)
            .collect();
        SearchTerms {
            pseudonyms: Vec::new(),
            words,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pseudonyms.is_empty() && self.words.is_empty()
    }

    /// The words as an FTS5 query: every word, each as a prefix (`jans` finds Jansen),
    /// quoted so that no word is read as an operator. `None` when a word is shorter than
    /// `min`, so that it is not looked for there.
    pub fn fts_query(&self, min: usize) -> Option<String> {
        if self.words.is_empty() || self.words.iter().any(|w| w.chars().count() < min) {
            return None;
        }
        Some(
            self.words
                .iter()
                .map(|w| format!("\"{}\"*", w.replace('"', "")))
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_is_a_pseudonym_of_any_width() {
        let t = SearchTerms::parse(" h-01377 ");
        assert_eq!(t.pseudonyms.first().unwrap(), "H-1377");
        assert!(t.pseudonyms.contains(&"H-01377".to_string()));
        assert!(t.pseudonyms.contains(&"H-0001377".to_string()));
        assert!(t.words.is_empty());
        assert_eq!(SearchTerms::parse("1377"), t);
    }

    #[test]
    fn words_are_split_lowered_and_quoted() {
        let t = SearchTerms::parse("Jansen, Kerk-straat \"x");
        assert_eq!(t.words, ["jansen", "kerk", "straat"]);
        assert_eq!(t.fts_query(3).unwrap(), "\"jansen\"* \"kerk\"* \"straat\"*");
        assert_eq!(SearchTerms::parse("Ab c").fts_query(3), None);
        assert_eq!(SearchTerms::parse("Ab c").fts_query(2).unwrap(), "\"ab\"*");
        assert!(SearchTerms::parse("  ").is_empty());
    }
}
