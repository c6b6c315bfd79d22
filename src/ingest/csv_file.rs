//! Reading a CSV file as municipal systems write it: UTF-8 with or without a byte-order mark
//! or Windows-1252 (Excel's "CSV" on a Dutch Windows), `,` or `;` between fields, quoted
//! fields that span lines, and for every record the physical line it starts on, so faults
//! can be named by line. Shared by every importer (`oordeel import`, and the signal files).
//!
//! Typed cells (Dutch numbers, dates, BSNs) are parsed by `domain::import`, re-exported here;
//! every fault is a [`FileError`] naming file, line, column and what was expected.

use std::borrow::Cow;

pub use crate::domain::import::{
    DecimalMark, Delimiter, Encoding, FileError, Problem, parse_bsn, parse_date, parse_number,
};

/// A file decoded to text, with the delimiter it uses.
#[derive(Debug, Clone)]
pub struct CsvFile {
    /// How the file is named in messages.
    pub name: String,
    pub encoding: Encoding,
    pub had_bom: bool,
    pub delimiter: Delimiter,
    text: String,
}

/// One record: the physical line it starts on and its fields, untrimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: u64,
    pub fields: Vec<String>,
}

impl CsvFile {
    /// Decodes `bytes`; `encoding` and `delimiter` are what the profile says, `None` to find
    /// out. Only a UTF-16 file, or bytes that are not UTF-8 in a file said to be, fail here.
    pub fn decode(
        name: &str,
        bytes: &[u8],
        encoding: Option<Encoding>,
        delimiter: Option<Delimiter>,
    ) -> Result<CsvFile, FileError> {
        let fail = |line, problem| FileError {
            file: name.to_owned(),
            line,
            column: None,
            problem,
        };
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err(fail(1, Problem::Utf16));
        }
        let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
        let body = if bom { &bytes[3..] } else { bytes };
        // A BOM says UTF-8, and so does the profile when it says nothing and the bytes are
        // valid UTF-8: Windows-1252 text with any letter beyond ASCII (é, ë, €) is
        // practically never valid UTF-8, and pure ASCII reads the same either way.
        let not_utf8 = |e: std::str::Utf8Error| {
            let line = 1 + body[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            fail(line, Problem::NotUtf8)
        };
        let (text, encoding) = match (std::str::from_utf8(body), encoding) {
            (Err(e), _) if bom => return Err(not_utf8(e)),
            // Valid UTF-8 with letters beyond ASCII is practically never Windows-1252 text:
            // the profile is wrong, and reading it its way would garble every name.
            (Ok(text), Some(Encoding::Windows1252)) if !bom && !text.is_ascii() => {
                let at = text.find(|c: char| !c.is_ascii()).unwrap_or(0);
                let line = 1 + text[..at].matches('\n').count() as u64;
                // The word holding it, as whoever fixes the profile will recognise it.
                let start = text[..at]
                    .rfind(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '"'))
                    .map_or(0, |i| i + 1);
                let example = text[start..]
                    .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '"'))
                    .next()
                    .unwrap_or("");
                let example: String = example.chars().take(20).collect();
                let garbled = windows_1252(example.as_bytes());
                let example = format!("{example}` → `{garbled}");
                return Err(fail(line, Problem::Utf8NotWindows1252 { example }));
            }
            (_, Some(Encoding::Windows1252)) if !bom => (windows_1252(body), Encoding::Windows1252),
            (Ok(text), _) => (text.to_owned(), Encoding::Utf8),
            (Err(e), Some(Encoding::Utf8)) => return Err(not_utf8(e)),
            (Err(_), _) => (windows_1252(body), Encoding::Windows1252),
        };
        if let Some((line, example)) = double_encoded(&text) {
            return Err(fail(line, Problem::DoubleEncoded { example }));
        }
        let delimiter = delimiter.unwrap_or_else(|| sniff(&text));
        Ok(CsvFile {
            name: name.to_owned(),
            encoding,
            had_bom: bom,
            delimiter,
            text,
        })
    }

    /// The decimal mark a file of this delimiter uses unless its profile says otherwise:
    /// a `;` file comes from software whose decimal mark is the comma.
    pub fn default_decimal(&self) -> DecimalMark {
        match self.delimiter {
            Delimiter::Semicolon => DecimalMark::Comma,
            Delimiter::Comma => DecimalMark::Point,
        }
    }

    /// The decoded length in bytes, for a progress bar over [`Records::position`].
    pub fn len(&self) -> u64 {
        self.text.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// The header record, then the data records.
    pub fn records(&self) -> Records<'_> {
        let reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter.byte())
            .has_headers(false)
            .flexible(true)
            .from_reader(self.text.as_bytes());
        Records {
            file: &self.name,
            text: self.text.as_bytes(),
            reader,
            record: csv::StringRecord::new(),
            counted_to: 0,
            line: 1,
        }
    }
}

/// The first word (and its line) that reads as other UTF-8 once written back as
/// Windows-1252: text converted to UTF-8 twice. `ë` becomes the two letters `Ã«`, which no
/// name holds; one letter beyond ASCII alone (`é` is the byte E9) is never valid UTF-8.
fn double_encoded(text: &str) -> Option<(u64, String)> {
    let mut line = 1;
    for piece in text.split_inclusive('\n') {
        for word in piece.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '"')) {
            if word.is_ascii() {
                continue;
            }
            let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(word);
            if !unmappable
                && let Ok(once) = std::str::from_utf8(&bytes)
                && once != word
            {
                let shown: String = word.chars().take(20).collect();
                let meant: String = once.chars().take(20).collect();
                return Some((line, format!("{shown}` → `{meant}")));
            }
        }
        line += 1;
    }
    None
}

fn windows_1252(bytes: &[u8]) -> String {
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    match text {
        Cow::Borrowed(s) => s.to_owned(),
        Cow::Owned(s) => s,
    }
}

/// `;` or `,`: whichever occurs more often outside quotes on the first line (the header).
/// A header without either is one column, read with `,`.
fn sniff(text: &str) -> Delimiter {
    let (mut commas, mut semicolons, mut quoted) = (0usize, 0usize, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas {
        Delimiter::Semicolon
    } else {
        Delimiter::Comma
    }
}

/// The records of a file in order.
pub struct Records<'a> {
    file: &'a str,
    text: &'a [u8],
    reader: csv::Reader<&'a [u8]>,
    record: csv::StringRecord,
    /// Lines are counted here rather than taken from the reader: after a `\r\n` ending the
    /// reader puts the next record's start on the `\n`, one line early.
    counted_to: usize,
    line: u64,
}

impl Records<'_> {
    /// The first record, the header: a file without one is empty, and said so.
    pub fn header(&mut self) -> Result<Record, FileError> {
        self.next().unwrap_or_else(|| {
            Err(FileError {
                file: self.file.to_owned(),
                line: 1,
                column: None,
                problem: Problem::Empty,
            })
        })
    }

    /// Bytes of the decoded text read so far.
    pub fn position(&self) -> u64 {
        self.reader.position().byte()
    }

    /// The physical line of the record starting at byte `at` (or at the line ending there).
    fn line_at(&mut self, at: u64) -> u64 {
        let mut start = usize::try_from(at)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.counted_to {
            // `\n`, `\r\n` and a lone `\r` (old Mac files) each end a line, as for the reader.
            let text = self.text;
            let newlines = (self.counted_to..start)
                .filter(|&i| {
                    text[i] == b'\n' || (text[i] == b'\r' && text.get(i + 1) != Some(&b'\n'))
                })
                .count();
            self.line += newlines as u64;
            self.counted_to = start;
        }
        self.line
    }
}

impl Iterator for Records<'_> {
    type Item = Result<Record, FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let at = self.record.position().map_or(0, |p| p.byte());
                Some(Ok(Record {
                    line: self.line_at(at),
                    fields: self.record.iter().map(str::to_owned).collect(),
                }))
            }
            // Reading from text in memory, the reader has nothing to fail on but a fault it
            // cannot step over: end after reporting it.
            Err(e) => {
                let at = e.position().map_or(0, |p| p.byte());
                let line = self.line_at(at);
                let error = FileError {
                    file: self.file.to_owned(),
                    line,
                    column: None,
                    problem: Problem::Csv(e.to_string()),
                };
                self.reader = csv::Reader::from_reader(&[][..]);
                Some(Err(error))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(file: &CsvFile) -> Vec<Record> {
        file.records().map(|r| r.expect("readable")).collect()
    }

    #[test]
    fn semicolons_windows_1252_and_quoted_line_breaks() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252
            .encode("id;naam;notitie\r\n1;Zoë;\"twee\r\nregels\"\r\n2;José;\"a;b\"\r\n");
        let file = CsvFile::decode("f.csv", &bytes, None, None).unwrap();
        assert_eq!(file.encoding, Encoding::Windows1252);
        assert_eq!(file.delimiter, Delimiter::Semicolon);
        assert_eq!(file.default_decimal(), DecimalMark::Comma);
        let records = rows(&file);
        assert_eq!(records[1].fields, ["1", "Zoë", "twee\r\nregels"]);
        assert_eq!(
            (records[0].line, records[1].line, records[2].line),
            (1, 2, 4)
        );
        assert_eq!(records[2].fields, ["2", "José", "a;b"]);
        let mac = CsvFile::decode("f.csv", b"a\r1\r\r2\n3", None, None).unwrap();
        let lines: Vec<u64> = rows(&mac).iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 2, 4, 5]);
    }

    #[test]
    fn a_bom_is_dropped_and_utf8_is_kept() {
        let file = CsvFile::decode("f.csv", "\u{feff}a,b\n€,é\n".as_bytes(), None, None).unwrap();
        assert!(file.had_bom);
        assert_eq!(file.encoding, Encoding::Utf8);
        assert_eq!(rows(&file)[0].fields, ["a", "b"]);
        assert_eq!(rows(&file)[1].fields, ["€", "é"]);
    }

    #[test]
    fn encodings_said_in_the_profile() {
        let bytes = b"a\nZo\xEB\n";
        let error = CsvFile::decode("f.csv", bytes, Some(Encoding::Utf8), None).unwrap_err();
        assert_eq!((error.line, error.problem), (2, Problem::NotUtf8));
        let file = CsvFile::decode("f.csv", bytes, Some(Encoding::Windows1252), None).unwrap();
        assert_eq!(rows(&file)[1].fields, ["Zoë"]);
        // UTF-8 under a profile saying Windows-1252 would garble every name: refused, at the
        // line of the first such letter.
        let utf8 = "naam\nJansen\nJo\u{eb}l Brouwer\n".as_bytes();
        let error = CsvFile::decode("f.csv", utf8, Some(Encoding::Windows1252), None).unwrap_err();
        assert_eq!(error.line, 3);
        assert_eq!(
            error.problem,
            Problem::Utf8NotWindows1252 {
                example: "Jo\u{eb}l` → `Jo\u{c3}\u{ab}l".into()
            }
        );
        // Converted to UTF-8 twice: refused at its line, with what it meant.
        let twice = "naam\nJansen\nJo\u{c3}\u{ab}l Brouwer\n".as_bytes();
        let error = CsvFile::decode("f.csv", twice, None, None).unwrap_err();
        assert_eq!(error.line, 3);
        assert_eq!(
            error.problem,
            Problem::DoubleEncoded {
                example: "Jo\u{c3}\u{ab}l` → `Jo\u{eb}l".into()
            }
        );
        // Ordinary letters beyond ASCII are not mistaken for it.
        let fine = "naam\nZo\u{eb} Jos\u{e9} \u{c5}se \u{20ac} 3\n".as_bytes();
        assert!(CsvFile::decode("f.csv", fine, None, None).is_ok());
        let ascii = CsvFile::decode("f.csv", b"a\nb\n", Some(Encoding::Windows1252), None);
        assert_eq!(ascii.unwrap().encoding, Encoding::Windows1252);
        let utf16 = CsvFile::decode("f.csv", b"\xFF\xFEa\x00", None, None).unwrap_err();
        assert_eq!(utf16.problem, Problem::Utf16);
    }

    #[test]
    fn an_empty_file_has_no_header() {
        let profile = crate::domain::import::Profile::parse(
            "p.toml",
            "name = \"p\"\n[columns.id]\nrole = \"id\"\n",
            crate::domain::feature_rules::FeatureRules::shipped(),
        )
        .unwrap();
        let empty = crate::ingest::import::read("f.csv", b"", &profile, &mut |_, _| {});
        assert_eq!(empty.err().map(|e| e.problem), Some(Problem::Empty));
        let header_only = crate::ingest::import::read("f.csv", b"id\r\n", &profile, &mut |_, _| {});
        assert_eq!(header_only.ok().map(|r| r.validated.records.len()), Some(0));
    }

    #[test]
    fn the_delimiter_is_sniffed_from_the_header_outside_quotes() {
        assert_eq!(sniff("a;b;c\n1,5;2,5;3\n"), Delimiter::Semicolon);
        assert_eq!(sniff("a,b\n1;2\n"), Delimiter::Comma);
        assert_eq!(sniff("\"a,b,c\";d\n"), Delimiter::Semicolon);
        assert_eq!(sniff("alone\n1\n"), Delimiter::Comma);
    }
}
