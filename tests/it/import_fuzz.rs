//! Bad input for the import's parsers: no bytes make the CSV reader panic, no text makes the
//! profile parser panic, no row makes the row reader panic, and the cell parsers never
//! return a number that is not finite.
//!
//! This is the fuzz target, run by `cargo test`: cargo-fuzz is not installed on the
//! project's machines (and needs a nightly compiler), so the same property is checked with
//! proptest over arbitrary and over near-valid inputs, a few hundred cases per run.

use oordeel::domain::feature_rules::FeatureRules;
use oordeel::domain::import::{DecimalMark, Profile, RowReader, parse_date, parse_number};
use oordeel::ingest::csv_file::{CsvFile, Delimiter, Encoding};
use proptest::prelude::*;

const PROFILE: &str = include_str!("../../assets/profiles/gemeente-vroegsignalering.toml");

/// Reads a whole file through the municipal profile, as `oordeel import` does.
fn read_all(bytes: &[u8], encoding: Option<Encoding>, delimiter: Option<Delimiter>) {
    let profile = Profile::parse("p.toml", PROFILE, FeatureRules::shipped()).expect("profile");
    let Ok(file) = CsvFile::decode("f.csv", bytes, encoding, delimiter) else {
        return;
    };
    let mut records = file.records();
    let Some(Ok(header)) = records.next() else {
        return;
    };
    let mut last_line = header.line;
    let mut rows = RowReader::new(
        &profile,
        "f.csv",
        DecimalMark::Comma,
        header.line,
        &header.fields,
    );
    for record in records {
        let Ok(record) = record else { break };
        assert!(record.line > last_line, "lines go forward");
        last_line = record.line;
        rows.row(record.line, &record.fields);
    }
    let validated = rows.finish();
    assert!(validated.errors.len() <= validated.error_count);
    for e in &validated.errors {
        let _ = e.to_string();
    }
}

/// Bytes that look like a municipal export: its header, then fragments of plausible cells,
/// quotes, delimiters, line ends and bytes beyond ASCII.
fn near_csv() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b";".to_vec()),
        Just(b",".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"1.234,56".to_vec()),
        Just(b"05-06-1980".to_vec()),
        Just(b"111222333".to_vec()),
        Just(b"Noord".to_vec()),
        Just(b"ja".to_vec()),
        Just(vec![0xEB]),
        Just(vec![0xEF, 0xBB, 0xBF]),
        Just(vec![0x1B, b'[']),
        prop::collection::vec(any::<u8>(), 0..4),
    ];
    prop::collection::vec(piece, 0..200).prop_map(|pieces| {
        let header = "Dossiernummer;Wijk;BSN;Naam;Geboortedatum;Huishouden;Schuldeiser;\
                      Achterstand (EUR);Maanden achterstand;Datum signaal;Geslacht;\
                      Migratieachtergrond;Hulp aanvaard;Risicoscore;Opmerking\r\n";
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend(pieces.concat());
        bytes
    })
}

fn encoding() -> impl Strategy<Value = Option<Encoding>> {
    prop_oneof![
        Just(None),
        Just(Some(Encoding::Utf8)),
        Just(Some(Encoding::Windows1252))
    ]
}

fn delimiter() -> impl Strategy<Value = Option<Delimiter>> {
    prop_oneof![
        Just(None),
        Just(Some(Delimiter::Comma)),
        Just(Some(Delimiter::Semicolon))
    ]
}

proptest! {
    // No regression files: a failure prints its minimal input, which goes into a test here.
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_bytes_are_read_without_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        encoding in encoding(),
        delimiter in delimiter(),
    ) {
        read_all(&bytes, encoding, delimiter);
    }

    #[test]
    fn near_csv_is_read_without_panic(bytes in near_csv(), encoding in encoding()) {
        read_all(&bytes, encoding, None);
    }

    #[test]
    fn any_text_is_a_profile_or_a_refusal(text in "\\PC{0,400}") {
        let _ = Profile::parse("p.toml", &text, FeatureRules::shipped()).map_err(|e| e.to_string());
    }

    /// A valid profile with one slice cut out or one span replaced: mostly near-misses.
    #[test]
    fn damaged_profiles_are_refused_without_panic(
        start in 0usize..PROFILE.len(),
        len in 0usize..80,
        insert in "[a-z=\"\\[\\]. \n0-9]{0,20}",
    ) {
        let mut text = PROFILE.to_owned();
        let start = (0..=start).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let end = (start + len).min(text.len());
        let end = (end..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
        text.replace_range(start..end, &insert);
        let _ = Profile::parse("p.toml", &text, FeatureRules::shipped()).map_err(|e| e.to_string());
    }

    #[test]
    fn cells_parse_to_finite_values_or_nothing(cell in "\\PC{0,24}") {
        for mark in [DecimalMark::Comma, DecimalMark::Point] {
            if let Some(v) = parse_number(&cell, mark) {
                prop_assert!(v.is_finite());
            }
        }
        let _ = parse_date(&cell);
    }

    #[test]
    fn dutch_numbers_round_trip(int in 0u64..10_000_000, cents in 0u32..100) {
        let grouped = oordeel::i18n::number(oordeel::i18n::Lang::Nl, int as f64, 0);
        let cell = format!("{grouped},{cents:02}");
        let expected = format!("{int}.{cents:02}").parse::<f64>().unwrap();
        prop_assert_eq!(parse_number(&cell, DecimalMark::Comma), Some(expected));
    }
}

/// A signal file as `oordeel signals import` reads it, through the signal-file format.
fn read_signals(bytes: &[u8]) {
    use oordeel::domain::signal_file;
    let Ok(file) = CsvFile::decode("s.csv", bytes, None, None) else {
        return;
    };
    let decimal = file.default_decimal();
    let mut records = file.records();
    let Some(Ok(header)) = records.next() else {
        return;
    };
    let Ok(at) = signal_file::header("s.csv", &header.fields) else {
        return;
    };
    for record in records {
        let Ok(record) = record else { break };
        let today = chrono::NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();
        match signal_file::row("s.csv", record.line, &record.fields, &at, decimal, today) {
            Ok(row) => assert!(row.signal.amount_cents >= 0),
            Err(faults) => assert!(faults.iter().all(|f| f.line == record.line)),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_signal_file_makes_the_reader_panic(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut bytes = b"soort;schuldeiser;huishouden;bedrag;maanden;datum;einde_levering;dreiging\n".to_vec();
        bytes.extend(body);
        read_signals(&bytes);
    }

    #[test]
    fn near_valid_signal_lines_read_or_fail_by_line(
        kind in "(huur|energie|gas|water|zorgverzekering|)",
        amount in "[0-9.,-]{0,9}",
        months in "-?[0-9]{0,4}",
        date in "[0-9]{0,2}-[0-9]{0,2}-[0-9]{0,4}",
        threat in "(ja|nee|yes|maybe|)",
    ) {
        let text = format!(
            "soort;schuldeiser;huishouden;bedrag;maanden;datum;einde_levering;dreiging\n\
             {kind};Woonstad;H-00001;{amount};{months};{date};;{threat}\n"
        );
        read_signals(text.as_bytes());
    }
}
