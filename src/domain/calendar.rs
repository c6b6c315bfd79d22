//! Working days and the first-contact deadline of vroegsignalering.
//!
//! # Which days are holidays
//!
//! Statutory deadlines are governed by the *Algemene termijnenwet* (Atw). Its article 3,
//! first paragraph, lists the *algemeen erkende feestdagen*: Nieuwjaarsdag, de Christelijke
//! tweede Paas- en Pinksterdag, de beide Kerstdagen, Hemelvaartsdag, de dag waarop de
//! verjaardag van de Koning wordt gevierd, and 5 May; the second paragraph puts *Goede
//! Vrijdag* on the same footing. That is the set used here, with these notes:
//!
//! - *Goede Vrijdag* counts (art. 3(2)), although many employers keep it as a working day.
//! - *Eerste Paasdag* and *Eerste Pinksterdag* are always Sundays, so they are never working
//!   days anyway; [`holidays`] lists them for completeness and they change no count.
//! - *Bevrijdingsdag* (5 May) counts **every** year, even though many employers only give it
//!   off once every five years.
//! - Koningsdag is 27 April, or Saturday 26 April when the 27th is a Sunday (since 2014).
//!   Before 2014 the Queen's birthday was celebrated on 30 April, or Saturday 29 April when
//!   the 30th was a Sunday (the rule from 1980; earlier years use it too, which is not
//!   historically exact, nor is applying 5 May before it entered the Atw in the 1980s).
//! - Days equated with holidays by royal decree (art. 3(3), published every few years in the
//!   Staatscourant, in practice e.g. the Friday after Hemelvaartsdag) are **not** modelled:
//!   they are set by decree, not by rule. On such a day this module counts a working day.
//!
//! Easter follows the anonymous Gregorian algorithm (Meeus/Jones/Butcher), valid for every
//! Gregorian year.
//!
//! # The deadline
//!
//! When eviction, a cut-off of energy or water, or cancellation of the health insurance
//! threatens, first contact is due within **3 working days** after the signal arrived;
//! otherwise within **4 weeks** (28 calendar days). Following article 1 of the Atw, a 4-week
//! term that ends on a Saturday, Sunday or holiday is extended to the next working day.
//! The 3-working-day term always ends on a working day already.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let month = (h + l - 7 * m + 114).div_euclid(31);
    let day = (h + l - 7 * m + 114).rem_euclid(31) + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
        .expect("Easter falls between 22 March and 25 April")
}

/// The day the King's (before 2014: the Queen's) birthday is celebrated.
pub fn kings_day(year: i32) -> NaiveDate {
    let (day, fallback) = if year >= 2014 { (27, 26) } else { (30, 29) };
    let date = ymd(year, 4, day);
    if date.weekday() == Weekday::Sun {
        ymd(year, 4, fallback)
    } else {
        date
    }
}

/// The holidays of a year in the sense of the Algemene termijnenwet (art. 3(1) and Goede
/// Vrijdag, art. 3(2)), with their Dutch names, in date order. Eerste Paasdag and Eerste
/// Pinksterdag (always Sundays) are included.
pub fn holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let easter = easter_sunday(year);
    let mut days = vec![
        (ymd(year, 1, 1), "Nieuwjaarsdag"),
        (easter - Days::new(2), "Goede Vrijdag"),
        (easter, "Eerste Paasdag"),
        (easter + Days::new(1), "Tweede Paasdag"),
        (kings_day(year), "Koningsdag"),
        (ymd(year, 5, 5), "Bevrijdingsdag"),
        (easter + Days::new(39), "Hemelvaartsdag"),
        (easter + Days::new(49), "Eerste Pinksterdag"),
        (easter + Days::new(50), "Tweede Pinksterdag"),
        (ymd(year, 12, 25), "Eerste Kerstdag"),
        (ymd(year, 12, 26), "Tweede Kerstdag"),
    ];
    days.sort_by_key(|(date, _)| *date);
    days
}

/// Whether `date` is one of the [`holidays`] of its year.
pub fn is_public_holiday(date: NaiveDate) -> bool {
    let year = date.year();
    match (date.month(), date.day()) {
        (1, 1) | (5, 5) | (12, 25) | (12, 26) => return true,
        _ => {}
    }
    if date == kings_day(year) {
        return true;
    }
    let after_easter = (date - easter_sunday(year)).num_days();
    matches!(after_easter, -2 | 0 | 1 | 39 | 49 | 50)
}

/// Not a Saturday, a Sunday or a holiday.
pub fn is_working_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_public_holiday(date)
}

/// The `n`-th working day after `date` (the day itself never counts); `n = 0` gives `date`.
pub fn add_working_days(date: NaiveDate, n: u32) -> NaiveDate {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day = day.succ_opt().expect("date within chrono's range");
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

/// The first working day on or after `date`.
pub fn next_working_day_from(date: NaiveDate) -> NaiveDate {
    let mut day = date;
    while !is_working_day(day) {
        day = day.succ_opt().expect("date within chrono's range");
    }
    day
}

/// Working days before first contact when something threatens.
pub const THREAT_WORKING_DAYS: u32 = 3;
/// Calendar days before first contact otherwise (4 weeks).
pub const REGULAR_CALENDAR_DAYS: u64 = 28;

/// When first contact is due for a case opened by a signal received on `received_on`:
/// 3 working days when eviction, cut-off or cancellation threatens, else 4 weeks, a term
/// ending on a non-working day being extended to the next working day (Atw art. 1).
pub fn first_contact_deadline(received_on: NaiveDate, threat: bool) -> NaiveDate {
    if threat {
        add_working_days(received_on, THREAT_WORKING_DAYS)
    } else {
        next_working_day_from(received_on + Days::new(REGULAR_CALENDAR_DAYS))
    }
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a fixed calendar date")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn easter_dates() {
        for (year, easter) in [
            (1818, "1818-03-22"),
            (2000, "2000-04-23"),
            (2008, "2008-03-23"),
            (2011, "2011-04-24"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
            (2285, "2285-03-22"),
        ] {
            assert_eq!(easter_sunday(year), d(easter), "{year}");
        }
    }

    #[test]
    fn holidays_2026() {
        let days: Vec<String> = holidays(2026)
            .into_iter()
            .map(|(date, name)| format!("{date} {name}"))
            .collect();
        assert_eq!(
            days,
            [
                "2026-01-01 Nieuwjaarsdag",
                "2026-04-03 Goede Vrijdag",
                "2026-04-05 Eerste Paasdag",
                "2026-04-06 Tweede Paasdag",
                "2026-04-27 Koningsdag",
                "2026-05-05 Bevrijdingsdag",
                "2026-05-14 Hemelvaartsdag",
                "2026-05-24 Eerste Pinksterdag",
                "2026-05-25 Tweede Pinksterdag",
                "2026-12-25 Eerste Kerstdag",
                "2026-12-26 Tweede Kerstdag",
            ]
        );
        for (date, _) in holidays(2026) {
            assert!(is_public_holiday(date));
            assert!(!is_working_day(date));
        }
    }

    #[test]
    fn kings_day_moves_to_saturday() {
        assert_eq!(kings_day(2014), d("2014-04-26"));
        assert_eq!(kings_day(2025), d("2025-04-26"));
        assert_eq!(kings_day(2026), d("2026-04-27"));
        assert_eq!(kings_day(2013), d("2013-04-30"));
        assert_eq!(kings_day(2006), d("2006-04-29"));
        assert!(!is_public_holiday(d("2025-04-27")));
    }

    #[test]
    fn ordinary_days() {
        // Goede Vrijdag is equated with the holidays (Atw art. 3(2)); Maundy Thursday is not.
        assert!(!is_working_day(d("2026-04-03")));
        assert!(is_working_day(d("2026-04-02")));
        // The Friday after Hemelvaartsdag is only equated by decree: not modelled.
        assert!(is_working_day(d("2026-05-15")));
        // Dodenherdenking (4 May) is a working day.
        assert!(is_working_day(d("2026-05-04")));
        assert!(!is_working_day(d("2026-04-25")));
        assert!(!is_working_day(d("2026-04-26")));
        assert!(is_working_day(d("2026-04-28")));
        assert!(!is_public_holiday(d("2026-12-24")));
    }

    #[test]
    fn adding_working_days() {
        let thursday = d("2026-04-23");
        assert_eq!(add_working_days(thursday, 0), thursday);
        assert_eq!(add_working_days(thursday, 1), d("2026-04-24"));
        // Fri 24 (1), weekend, Koningsdag Mon 27, Tue 28 (2), Wed 29 (3).
        assert_eq!(add_working_days(thursday, 3), d("2026-04-29"));
        // Easter: Thu 2 April 2026 -> Good Friday, weekend, Easter Monday -> Tue, Wed, Thu.
        assert_eq!(add_working_days(d("2026-04-02"), 3), d("2026-04-09"));
        // From a Saturday: Mon, Tue, Wed.
        assert_eq!(add_working_days(d("2026-03-07"), 3), d("2026-03-11"));
        // Christmas Fri 25, Sat 26: Mon 28 (1), Tue 29 (2), Wed 30 (3).
        assert_eq!(add_working_days(d("2026-12-24"), 3), d("2026-12-30"));
        // New Year: Thu 31 Dec 2026 -> Fri 1 Jan is a holiday -> Mon 4, Tue 5, Wed 6.
        assert_eq!(add_working_days(d("2026-12-31"), 3), d("2027-01-06"));
    }

    #[test]
    fn first_contact_deadlines() {
        let thursday = d("2026-04-23");
        assert_eq!(first_contact_deadline(thursday, true), d("2026-04-29"));
        assert_eq!(first_contact_deadline(thursday, false), d("2026-05-21"));
        // 28 days after Mon 30 March is Koningsdag: extended to Tue 28 April.
        assert_eq!(
            first_contact_deadline(d("2026-03-30"), false),
            d("2026-04-28")
        );
        // 28 days after Sat 28 March is Sat 25 April: Mon 27 is Koningsdag, so Tue 28.
        assert_eq!(
            first_contact_deadline(d("2026-03-28"), false),
            d("2026-04-28")
        );
        // Ascension Thursday 14 May 2026 is a holiday: to Friday 15 May.
        assert_eq!(
            first_contact_deadline(d("2026-04-16"), false),
            d("2026-05-15")
        );
        // Every deadline is a working day, and the short one is never later than the long.
        let mut day = d("2025-12-01");
        while day < d("2027-02-01") {
            let short = first_contact_deadline(day, true);
            let long = first_contact_deadline(day, false);
            assert!(is_working_day(short) && is_working_day(long));
            assert!(short > day && short < long);
            assert!((long - day).num_days() >= 28 && (long - day).num_days() <= 32);
            day = day.succ_opt().unwrap();
        }
    }
}
