//! How values read on screen: chances, euros, deadlines, signals and feature labels, in the
//! language of the thread. Pure functions, so their rules are tested on their own.

use chrono::NaiveDate;

use crate::console::theme::Theme;
use crate::domain::calendar;
use crate::domain::decision::CaseStatus;
use crate::domain::household::{CreditorType, HouseholdType, IncomeSource};
use crate::domain::text::sanitize;
use crate::domain::view::FeatureValue;
use crate::i18n::{self, lang, t};

/// Demo features that are yes/no indicators.
const YES_NO_FEATURES: &[&str] = &[
    "rent_signal",
    "energy_signal",
    "water_signal",
    "health_insurance_signal",
    "multiple_signals",
    "repeated_signal",
    "threat",
    "earlier_debt_help",
    "known_to_district_team",
    "wmo_youth_support",
];

/// The string for `key`, or `None` when the table lacks it (labels of imported features).
pub fn lookup(key: &str) -> Option<&'static str> {
    let s = i18n::t_or(key, "");
    (!s.is_empty()).then_some(s)
}

/// A number in the language of the thread.
pub fn num(value: f64, decimals: usize) -> String {
    i18n::number(lang(), value, decimals)
}

/// A signed number: `+1.77`, `-0.50`.
pub fn signed(value: f64, decimals: usize) -> String {
    let text = num(value, decimals);
    if text.starts_with('-') {
        text
    } else {
        format!("+{text}")
    }
}

pub fn date(d: NaiveDate) -> String {
    i18n::date(lang(), d)
}

/// A time of an event, in the local time zone.
pub fn date_time(at: chrono::DateTime<chrono::Utc>) -> String {
    let local = at.with_timezone(&chrono::Local);
    format!("{} {}", date(local.date_naive()), local.format("%H:%M"))
}

/// The model's probability with two decimals, or `-` when the case is not scored.
pub fn chance(p: Option<f64>) -> String {
    p.map(|p| num(p, 2)).unwrap_or_else(|| "-".to_string())
}

/// `€ 2.310` (Dutch) or `€ 2,310` (English).
pub fn euros(theme: &Theme, cents: i64, decimals: usize) -> String {
    format!("{} {}", theme.euro(), num(cents as f64 / 100.0, decimals))
}

/// Working days after `from` up to and including `to`: weekdays that are not public holidays
/// under the Algemene termijnenwet (the same calendar the deadlines are set by). Counted day
/// by day, up to a year; beyond that the due column shows plain days anyway.
pub fn working_days(from: NaiveDate, to: NaiveDate) -> i64 {
    let days = (to - from).num_days().clamp(0, 366);
    (1..=days)
        .filter_map(|i| from.checked_add_days(chrono::Days::new(i as u64)))
        .filter(|d| calendar::is_working_day(*d))
        .count() as i64
}

/// The due column: working days left when eviction or cut-off threatens, else days left;
/// negative days when overdue. The flag says whether to warn (urgent, overdue, or 3 days or
/// less left); a warning also ends in `!` so it shows without colour.
pub fn due(today: NaiveDate, deadline: NaiveDate, urgent: bool) -> (String, bool) {
    let days = (deadline - today).num_days();
    let (text, warn) = if days < 0 {
        (
            t("console.due.days").replace("{n}", &days.to_string()),
            true,
        )
    } else if urgent {
        let wd = working_days(today, deadline);
        (
            t("console.due.working_days").replace("{n}", &wd.to_string()),
            true,
        )
    } else {
        (
            t("console.due.days").replace("{n}", &days.to_string()),
            days <= 3,
        )
    };
    if warn {
        (format!("{text} !"), true)
    } else {
        (text, false)
    }
}

pub fn creditor(kind: CreditorType) -> &'static str {
    t(&format!("creditor.{}", kind.as_code()))
}

pub fn creditor_short(kind: CreditorType) -> &'static str {
    t(&format!("creditor.short.{}", kind.as_code()))
}

/// What the creditor threatens: eviction, cut-off, cancellation.
pub fn threat(kind: CreditorType) -> &'static str {
    t(&format!("creditor.threat.{}", kind.as_code()))
}

/// The queue's signal column: `rent 4 m` for one signal, `energy+hi` for several.
pub fn signal_summary(signals: &[(CreditorType, u32)]) -> String {
    match signals {
        [] => "-".to_string(),
        [(kind, months)] => format!(
            "{} {} {}",
            creditor_short(*kind),
            months,
            t("console.queue.months_short")
        ),
        many => many
            .iter()
            .map(|(k, _)| creditor_short(*k))
            .collect::<Vec<_>>()
            .join("+"),
    }
}

pub fn months(n: u32) -> String {
    let key = if n == 1 {
        "console.detail.month_one"
    } else {
        "console.detail.month_many"
    };
    t(key).replace("{n}", &n.to_string())
}

pub fn children(n: u8) -> String {
    let key = match n {
        0 => "console.detail.children_none",
        1 => "console.detail.children_one",
        _ => "console.detail.children_many",
    };
    t(key).replace("{n}", &n.to_string())
}

pub fn household_type(h: HouseholdType) -> &'static str {
    t(&format!("household_type.{}", h.as_code()))
}

pub fn income_source(i: IncomeSource) -> &'static str {
    t(&format!("income_source.{}", i.as_code()))
}

pub fn status(s: CaseStatus) -> &'static str {
    t(&format!("console.status_label.{}", s.as_code()))
}

/// The status in the queue's due column when decided cases are shown.
pub fn status_short(s: CaseStatus) -> &'static str {
    t(&format!("console.status_short.{}", s.as_code()))
}

/// A decision or what became of one (`accept`, `retract`, `signed`, `sent_back`) in words;
/// an unknown code as itself, made safe.
pub fn decision_label(code: &str) -> String {
    lookup(&format!("console.decision.{code}"))
        .map(str::to_string)
        .unwrap_or_else(|| sanitize(code).into_owned())
}

/// A four-eyes rule in words; a rule this version does not know (a database may carry its
/// own) by its name, made safe.
pub fn rule(code: &str) -> String {
    lookup(&format!("console.rule.{code}"))
        .map(str::to_string)
        .unwrap_or_else(|| sanitize(code).into_owned())
}

/// The local time of day (`10:05`) of a stored RFC 3339 time; the text itself, made safe,
/// if it does not parse.
pub fn clock(at: &str) -> String {
    i18n::local_time(lang(), at, false).unwrap_or_else(|| sanitize(at).into_owned())
}

/// `3%` of the ranked cases; below one percent with a decimal, so the top is not `0%`.
pub fn top_percent(rank: i64, ranked: i64) -> String {
    let pct = rank as f64 * 100.0 / ranked.max(1) as f64;
    if pct < 1.0 {
        num(pct.max(0.1), 1)
    } else {
        num(pct.ceil(), 0)
    }
}

/// A feature's label: `feature.<name>` from the table, else the raw (sanitised) name, as for
/// features of an imported data set. A one-hot column `name=category` reads `label: category`.
pub fn feature_label(name: &str) -> String {
    if let Some((base, category)) = name.split_once('=') {
        return format!(
            "{}: {}",
            feature_label(base),
            category_label(base, category)
        );
    }
    match lookup(&format!("feature.{name}")) {
        Some(label) => label.to_string(),
        None => sanitize(name).into_owned(),
    }
}

/// The short form of a feature's label, for a pane where the full one would be cut
/// ("maanden energieachterstand" at 80 columns); `None` when it has none.
pub fn feature_label_short(name: &str) -> Option<String> {
    if name.contains('=') {
        return None;
    }
    lookup(&format!("feature.short.{name}")).map(str::to_owned)
}

/// A category value, translated where oordeel knows the codes.
fn category_label(feature: &str, code: &str) -> String {
    let key = match feature {
        "household_type" => format!("household_type.{code}"),
        "income_source" => format!("income_source.{code}"),
        _ => return sanitize(code).into_owned(),
    };
    lookup(&key)
        .map(str::to_string)
        .unwrap_or_else(|| sanitize(code).into_owned())
}

/// A feature's value as it went into the model, in words where it is a yes/no or a code.
pub fn feature_value(theme: &Theme, name: &str, value: &FeatureValue) -> String {
    let base = name.split_once('=').map_or(name, |(b, _)| b);
    match value {
        FeatureValue::Category(code) => category_label(base, code),
        FeatureValue::Number(n) if YES_NO_FEATURES.contains(&name) || name.contains('=') => {
            t(if *n != 0.0 {
                "console.yes"
            } else {
                "console.no"
            })
            .to_string()
        }
        FeatureValue::Number(n) if name == "total_arrears_eur" => {
            euros(theme, (n * 100.0).round() as i64, 0)
        }
        FeatureValue::Number(n) if n.fract() == 0.0 => num(*n, 0),
        FeatureValue::Number(n) => num(*n, 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// These tests read English.
    fn english() {
        i18n::set_lang(i18n::Lang::En);
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        // 2026-11-27 is a Friday.
        assert_eq!(working_days(d("2026-11-27"), d("2026-11-30")), 1);
        assert_eq!(working_days(d("2026-11-27"), d("2026-12-02")), 3);
        assert_eq!(working_days(d("2026-11-23"), d("2026-12-07")), 10);
        assert_eq!(working_days(d("2026-11-27"), d("2026-11-27")), 0);
        assert_eq!(working_days(d("2026-11-27"), d("2026-11-20")), 0);
        // Christmas Day and Boxing Day 2026 fall on Friday and Saturday.
        assert_eq!(working_days(d("2026-12-23"), d("2026-12-28")), 2);
    }

    #[test]
    fn due_warns_when_urgent_close_or_late() {
        english();
        let today = d("2026-11-27");
        assert_eq!(
            due(today, d("2026-12-02"), true),
            ("3 wd !".to_string(), true)
        );
        assert_eq!(
            due(today, d("2026-12-25"), false),
            ("28 d".to_string(), false)
        );
        assert_eq!(
            due(today, d("2026-11-30"), false),
            ("3 d !".to_string(), true)
        );
        assert_eq!(
            due(today, d("2026-11-24"), false),
            ("-3 d !".to_string(), true)
        );
    }

    #[test]
    fn signals_summarise_like_the_mockup() {
        english();
        assert_eq!(signal_summary(&[(CreditorType::Rent, 4)]), "rent 4 m");
        assert_eq!(
            signal_summary(&[
                (CreditorType::Energy, 2),
                (CreditorType::HealthInsurance, 1)
            ]),
            "energy+hi"
        );
        assert_eq!(signal_summary(&[]), "-");
    }

    #[test]
    fn features_fall_back_to_their_raw_name() {
        english();
        assert_eq!(feature_label("children"), "children");
        assert_eq!(
            feature_label("rent_months_in_arrears"),
            "months rent arrears"
        );
        assert_eq!(feature_label("imported_score_x"), "imported_score_x");
        assert_eq!(feature_label("evil\x1b[2J"), "evil\\x1b[2J");
        assert_eq!(
            feature_label("household_type=single_parent"),
            "household type: single parent"
        );
        let theme = Theme::default();
        assert_eq!(
            feature_value(&theme, "threat", &FeatureValue::Number(1.0)),
            "yes"
        );
        assert_eq!(
            feature_value(&theme, "total_arrears_eur", &FeatureValue::Number(2310.0)),
            "€ 2,310"
        );
        assert_eq!(
            feature_value(
                &theme,
                "income_source",
                &FeatureValue::Category("benefit".into())
            ),
            "benefit"
        );
        assert_eq!(
            feature_value(&theme, "district", &FeatureValue::Category("Noord".into())),
            "Noord"
        );
        assert_eq!(
            feature_value(&theme, "x", &FeatureValue::Number(0.126)),
            "0.13"
        );
    }

    #[test]
    fn top_percent_never_reads_zero() {
        english();
        assert_eq!(top_percent(1, 5000), "0.1");
        assert_eq!(top_percent(150, 5000), "3");
        assert_eq!(top_percent(5000, 5000), "100");
    }

    #[test]
    fn signs_are_always_shown() {
        english();
        assert_eq!(signed(1.774, 2), "+1.77");
        assert_eq!(signed(-0.5, 2), "-0.50");
    }
}
