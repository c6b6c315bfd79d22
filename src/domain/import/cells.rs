//! Typed cells as Dutch municipal systems write them: numbers with a decimal comma or point
//! and thousands separators, dates as `dd-mm-yyyy` or ISO `yyyy-mm-dd`, and BSNs.
//!
//! Each parser returns `None` for a cell it cannot read; the caller knows the file, line and
//! column and turns that into a [`super::FileError`] saying what was expected.

use chrono::NaiveDate;

/// Which character separates the integer part from the fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    /// `1.234,56`, `1234,56`: Dutch Excel and most municipal exports (with `;` between fields).
    Comma,
    /// `1,234.56`, `1234.56`: English software (with `,` between fields).
    Point,
}

impl DecimalMark {
    fn chars(self) -> (char, char) {
        match self {
            DecimalMark::Comma => (',', '.'),
            DecimalMark::Point => ('.', ','),
        }
    }

    /// An example number in this convention, for error messages.
    pub fn example(self) -> &'static str {
        match self {
            DecimalMark::Comma => "1.234,56",
            DecimalMark::Point => "1,234.56",
        }
    }
}

/// A finite number in `mark`'s convention. The other character is read as a thousands
/// separator when the digits are grouped by three (`1.234` is 1234 with a decimal comma);
/// a single one that cannot be a thousands separator is read as the decimal mark after all
/// (`1234.56` with a decimal comma is 1234.56: no grouping fits it). Anything else (two
/// decimal marks, a badly grouped number, exponents, `NaN`) is refused rather than guessed.
pub fn parse_number(cell: &str, mark: DecimalMark) -> Option<f64> {
    let text = cell.trim();
    let (sign, body) = match text.as_bytes().first()? {
        b'-' => ("-", &text[1..]),
        b'+' => ("", &text[1..]),
        _ => ("", text),
    };
    let (decimal, group) = mark.chars();
    let (int, frac) = if let Some((int, frac)) = body.split_once(decimal) {
        (int, Some(frac))
    } else if body.matches(group).count() == 1 && !grouped(body, group) {
        let (int, frac) = body.split_once(group)?;
        return plain(sign, int, Some(frac));
    } else {
        (body, None)
    };
    let int = if int.contains(group) {
        if !grouped(int, group) {
            return None;
        }
        int.replace(group, "")
    } else {
        int.to_owned()
    };
    plain(sign, &int, frac)
}

/// Whether `text` is digits grouped by three with `group` between the groups: `1.234.567`.
fn grouped(text: &str, group: char) -> bool {
    let mut parts = text.split(group);
    let first = parts.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && parts.all(|p| p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn plain(sign: &str, int: &str, frac: Option<&str>) -> Option<f64> {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let frac = frac.unwrap_or("");
    if !digits(int) || !digits(frac) || (int.is_empty() && frac.is_empty()) {
        return None;
    }
    let text = format!("{sign}{}.{}", if int.is_empty() { "0" } else { int }, frac);
    text.trim_end_matches('.')
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// A date written `dd-mm-yyyy` (also `d-m-yyyy`, as Excel writes it) or `yyyy-mm-dd`.
/// `05-06-2026` is the 5th of June: a Dutch file never puts the month first.
pub fn parse_date(cell: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = cell.trim().split('-').collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (year, month, day) = if a.len() == 4 {
        (number(a, 4..=4)?, number(b, 2..=2)?, number(c, 2..=2)?)
    } else {
        (number(c, 4..=4)?, number(b, 1..=2)?, number(a, 1..=2)?)
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// A BSN in its canonical nine digits, if the cell holds one that passes the elfproef.
/// Eight digits are an older number that lost its leading zero in a spreadsheet (the way
/// `bsn` says importers must pad them); spaces and dots between digit groups are dropped.
pub fn parse_bsn(cell: &str) -> Option<String> {
    let digits: String = cell
        .trim()
        .chars()
        .filter(|c| *c != ' ' && *c != '.')
        .collect();
    let canonical = if digits.len() == 8 {
        format!("0{digits}")
    } else {
        digits
    };
    super::super::bsn::is_valid(&canonical).then_some(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_and_english_numbers() {
        use DecimalMark::{Comma, Point};
        for (cell, mark, value) in [
            ("1.234,56", Comma, 1234.56),
            ("1234,56", Comma, 1234.56),
            ("1234.56", Comma, 1234.56),
            ("1.234", Comma, 1234.0),
            ("1.234.567", Comma, 1_234_567.0),
            ("-0,5", Comma, -0.5),
            (",5", Comma, 0.5),
            (" 42 ", Comma, 42.0),
            ("1,234.56", Point, 1234.56),
            ("1234.56", Point, 1234.56),
            ("1234,5", Point, 1234.5),
            ("1,234", Point, 1234.0),
            ("+7", Point, 7.0),
        ] {
            assert_eq!(parse_number(cell, mark), Some(value), "{cell} {mark:?}");
        }
        for cell in [
            "", "-", "abc", "1,2,3", "12.34.5", "1e5", "NaN", "inf", "1,23,4", "1.2.3,4", "€ 5",
            "1 234", ",", "1,,2",
        ] {
            assert_eq!(parse_number(cell, Comma), None, "{cell}");
        }
    }

    #[test]
    fn dates_day_first_or_iso() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_date("05-06-2026"), d(2026, 6, 5));
        assert_eq!(parse_date("5-6-2026"), d(2026, 6, 5));
        assert_eq!(parse_date("2026-06-05"), d(2026, 6, 5));
        for cell in [
            "31-02-2026",
            "2026-6-5",
            "06/05/2026",
            "05-06-26",
            "",
            "2026-06-05T10:00",
            "٠٥-٠٦-٢٠٢٦",
        ] {
            assert_eq!(parse_date(cell), None, "{cell}");
        }
    }

    #[test]
    fn bsns_are_checked_and_padded() {
        assert_eq!(parse_bsn("111222333").as_deref(), Some("111222333"));
        assert_eq!(parse_bsn("1112.22.333").as_deref(), Some("111222333"));
        assert_eq!(parse_bsn("10000008").as_deref(), Some("010000008"));
        assert_eq!(parse_bsn("123456789"), None);
        assert_eq!(parse_bsn("000000000"), None);
        assert_eq!(parse_bsn(""), None);
    }
}
