//! Every user-facing string, in Dutch and English, from one table: `assets/strings.toml`.
//!
//! The language is chosen at start-up (`--lang`, else `LANG` starting with `nl`, else
//! English) for the thread that does the work. Lookups return `&'static str` so render code
//! can borrow freely.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    Nl,
    #[default]
    En,
}

impl Lang {
    /// The ISO 639-1 code, as in HTML's `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// Picks the language from an explicit choice, else from the `LANG`/`LC_ALL` value.
    pub fn detect(explicit: Option<Lang>, env_lang: Option<&str>) -> Lang {
        explicit.unwrap_or_else(|| match env_lang {
            Some(v) if v.to_ascii_lowercase().starts_with("nl") => Lang::Nl,
            _ => Lang::En,
        })
    }

    /// The language of this process: `LC_ALL` wins over `LANG`, as in POSIX locales.
    pub fn from_env(explicit: Option<Lang>) -> Lang {
        let env = std::env::var("LC_ALL")
            .ok()
            .filter(|v| !v.is_empty())
            .or_else(|| std::env::var("LANG").ok());
        Lang::detect(explicit, env.as_deref())
    }
}

struct Table {
    nl: HashMap<&'static str, &'static str>,
    en: HashMap<&'static str, &'static str>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| parse(include_str!("../assets/strings.toml")))
}

fn parse(text: &'static str) -> Table {
    let value: toml::Table = toml::from_str(text).expect("assets/strings.toml is valid TOML");
    let mut nl = HashMap::new();
    let mut en = HashMap::new();
    flatten("", &value, &mut nl, &mut en);
    Table { nl, en }
}

/// `[queue] title = { nl = "...", en = "..." }` becomes key `queue.title`.
fn flatten(
    prefix: &str,
    table: &toml::Table,
    nl: &mut HashMap<&'static str, &'static str>,
    en: &mut HashMap<&'static str, &'static str>,
) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        let Some(inner) = v.as_table() else { continue };
        match (
            inner.get("nl").and_then(|v| v.as_str()),
            inner.get("en").and_then(|v| v.as_str()),
        ) {
            (Some(n), Some(e)) => {
                // Leaked once per string at start-up: the table lives as long as the process.
                let key: &'static str = Box::leak(key.into_boxed_str());
                nl.insert(key, Box::leak(n.to_owned().into_boxed_str()) as &str);
                en.insert(key, Box::leak(e.to_owned().into_boxed_str()) as &str);
            }
            _ => flatten(&key, inner, nl, en),
        }
    }
}

thread_local! {
    // Per thread rather than per process, so Dutch and English tests run side by side in one
    // test binary. oordeel speaks on one thread: the console's key reader only forwards events.
    static CURRENT: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::En) };
}

/// Sets the language of this thread: what `t`, `tf` and the formatters speak from now on.
pub fn set_lang(lang: Lang) {
    CURRENT.with(|current| current.set(lang));
}

/// The language of this thread (English until [`set_lang`] says otherwise).
pub fn lang() -> Lang {
    CURRENT.with(|current| current.get())
}

/// The string for `key` in this thread's language.
pub fn t(key: &str) -> &'static str {
    t_in(lang(), key)
}

/// The string for `key` in `lang`. A missing key shows itself, so it is seen and fixed
/// (and the test below fails for every key used in the source that the table lacks).
pub fn t_in(lang: Lang, key: &str) -> &'static str {
    let t = table();
    let map = match lang {
        Lang::Nl => &t.nl,
        Lang::En => &t.en,
    };
    match map.get(key) {
        Some(s) => s,
        None => Box::leak(format!("⟨{key}⟩").into_boxed_str()),
    }
}

/// The string for `key` in this thread's language, if the table has it.
pub fn lookup(key: &str) -> Option<&'static str> {
    let t = table();
    let map = match lang() {
        Lang::Nl => &t.nl,
        Lang::En => &t.en,
    };
    map.get(key).copied()
}

/// The string for `key`, or `fallback` when the table has none (feature names of imported
/// data, for instance, have no translation).
pub fn t_or<'a>(key: &str, fallback: &'a str) -> &'a str {
    let t = table();
    let map = match lang() {
        Lang::Nl => &t.nl,
        Lang::En => &t.en,
    };
    map.get(key).copied().unwrap_or(fallback)
}

/// The string for `key` with `{name}` placeholders filled in.
pub fn tf(key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    fill(t(key), args)
}

/// Fills `{name}` with the argument's value, and `{name|one|other}` with the word for its
/// number (`{cases|case|cases}`, `{absent|staat|staan}`): a count of 1 takes the first form.
fn fill(template: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        let value = value.to_string();
        out = out.replace(&format!("{{{name}}}"), &value);
        let open = format!("{{{name}|");
        let mut from = 0;
        while let Some(start) = out[from..].find(&open).map(|i| i + from) {
            let inner_start = start + open.len();
            let Some(len) = out[inner_start..].find('}') else {
                break;
            };
            let inner = &out[inner_start..inner_start + len];
            let (one, other) = inner.split_once('|').unwrap_or((inner, inner));
            let word = if value == "1" { one } else { other }.to_owned();
            out.replace_range(start..inner_start + len + 1, &word);
            from = start + word.len();
        }
    }
    out
}

/// A number in the language's format: `1 284,5` in Dutch, `1,284.5` in English.
pub fn number(lang: Lang, value: f64, decimals: usize) -> String {
    let formatted = format!("{:.*}", decimals, value.abs());
    let (int, frac) = formatted.split_once('.').unwrap_or((&formatted, ""));
    let (group, point) = match lang {
        Lang::Nl => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let sign = if value < 0.0 && formatted.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{frac}")
    }
}

/// A date in the language's format: `28-11-2026` in Dutch, `2026-11-28` in English.
pub fn date(lang: Lang, d: chrono::NaiveDate) -> String {
    match lang {
        Lang::Nl => d.format("%d-%m-%Y").to_string(),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

/// A time as stored in the log (RFC 3339), in the local time zone: `10:05`, or with the
/// date (`28-11-2026 10:05` in Dutch) when `with_date`. `None` if it does not parse.
pub fn local_time(lang: Lang, at: &str, with_date: bool) -> Option<String> {
    let local = chrono::DateTime::parse_from_rfc3339(at)
        .ok()?
        .with_timezone(&chrono::Local);
    let clock = local.format("%H:%M").to_string();
    Some(if with_date {
        format!("{} {clock}", date(lang, local.date_naive()))
    } else {
        clock
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_follows_lang_unless_chosen() {
        assert_eq!(Lang::detect(None, Some("nl_NL.UTF-8")), Lang::Nl);
        assert_eq!(Lang::detect(None, Some("en_GB.UTF-8")), Lang::En);
        assert_eq!(Lang::detect(None, None), Lang::En);
        assert_eq!(Lang::detect(Some(Lang::En), Some("nl_NL")), Lang::En);
    }

    #[test]
    fn numbers_use_the_languages_separators() {
        assert_eq!(number(Lang::Nl, 1284.5, 1), "1.284,5");
        assert_eq!(number(Lang::En, 1284.5, 1), "1,284.5");
        assert_eq!(number(Lang::Nl, -0.5, 2), "-0,50");
        assert_eq!(number(Lang::En, 1_000_000.0, 0), "1,000,000");
        assert_eq!(number(Lang::En, -0.0001, 2), "0.00");
    }

    #[test]
    fn a_count_of_one_takes_the_singular() {
        let text = "{n} {n|case|cases} opened, {m} {m|was|were} known";
        assert_eq!(
            fill(text, &[("n", &1), ("m", &0)]),
            "1 case opened, 0 were known"
        );
        assert_eq!(
            fill(text, &[("n", &3), ("m", &1)]),
            "3 cases opened, 1 was known"
        );
        // A form may be empty, and text after the forms stays.
        assert_eq!(fill("{n} item{n||s}.", &[("n", &2)]), "2 items.");
    }

    /// Every `{name|one|other}` has two forms, in both languages.
    #[test]
    fn every_plural_has_two_forms() {
        let t = table();
        for map in [&t.nl, &t.en] {
            for (key, text) in map.iter() {
                for part in text.split('{').skip(1) {
                    let inner = part.split('}').next().unwrap_or_default();
                    if let Some((name, _)) = inner.split_once('|') {
                        assert_eq!(inner.matches('|').count(), 2, "{key}: {{{inner}}}");
                        // The count is an argument of the text, so it is filled in.
                        assert!(text.contains(&format!("{{{name}}}")), "{key}: {name}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_key_has_both_languages() {
        let t = table();
        assert!(!t.nl.is_empty());
        for k in t.nl.keys() {
            assert!(t.en.contains_key(k), "{k} lacks English");
        }
    }

    /// Every `t("...")` key written in the source exists in the table.
    #[test]
    fn every_key_used_in_the_source_exists() {
        let mut missing = Vec::new();
        visit(
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
            &mut missing,
        );
        assert!(
            missing.is_empty(),
            "keys missing from assets/strings.toml: {missing:?}"
        );
    }

    fn visit(dir: &std::path::Path, missing: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                visit(&path, missing);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let src = std::fs::read_to_string(&path).unwrap();
                for part in src.split("t(\"").skip(1) {
                    let Some(key) = part.split('"').next() else {
                        continue;
                    };
                    let looks_like_key =
                        key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                            && key.contains('.')
                            && key
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
                    if looks_like_key && !table().en.contains_key(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
    }
}
