//! The Algoritmeregister publication standard's field rules (`assets/register/…toml`) and the
//! check of an export against them: field names, required fields, lengths, permitted values.
//!
//! Lengths are counted in characters (Unicode scalar values), as the register's own validator
//! (Python `len`) counts them.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

const STANDARD: &str = include_str!("../../../assets/register/algoritmeregister-1.0.0.toml");

/// The standard's field rules.
#[derive(Debug, Deserialize)]
pub struct Standard {
    pub standard_version: String,
    pub field: BTreeMap<String, FieldRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldRule {
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    pub max_length: Option<usize>,
    pub max_items: Option<usize>,
    #[serde(default)]
    pub values: Vec<String>,
    pub pattern: Option<Pattern>,
    pub title_max_length: Option<usize>,
    pub link_max_length: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Enum,
    List,
    Links,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pattern {
    YearMonth,
    EmailOrHttps,
    Https,
}

/// One way an export breaks the standard, with the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub field: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The standard has no field of this name.
    Unknown,
    /// A required field is missing or empty.
    Missing,
    /// Longer than the standard allows: (length, limit).
    TooLong(usize, usize),
    /// Not one of the permitted values.
    NotPermitted(String),
    /// More items than allowed: (items, limit).
    TooMany(usize, usize),
    /// Not the expected JSON type or shape.
    Shape(&'static str),
    /// Text with markup (oordeel writes plain text only).
    Markup,
    /// A control, bidi or invisible character (its code point): never published.
    Hidden(u32),
    /// Not an e-mail address or an `https://` link, where one is required.
    Pattern(Pattern),
}

impl Standard {
    /// The embedded standard 1.0.0.
    pub fn embedded() -> Standard {
        toml::from_str(STANDARD).expect("the embedded register standard is valid TOML")
    }

    /// Every violation of the standard in `record` (a JSON object), in field order.
    pub fn check(&self, record: &Value) -> Vec<Violation> {
        let mut out = Vec::new();
        let Some(object) = record.as_object() else {
            out.push(Violation {
                field: String::new(),
                problem: Problem::Shape("object"),
            });
            return out;
        };
        for name in object.keys() {
            if !self.field.contains_key(name) {
                out.push(Violation {
                    field: name.clone(),
                    problem: Problem::Unknown,
                });
            }
        }
        for (name, rule) in &self.field {
            let problem = match object.get(name) {
                None | Some(Value::Null) => rule.required.then_some(Problem::Missing),
                Some(value) => rule.check(value),
            };
            if let Some(problem) = problem {
                out.push(Violation {
                    field: name.clone(),
                    problem,
                });
            }
        }
        out
    }
}

impl FieldRule {
    fn check(&self, value: &Value) -> Option<Problem> {
        match self.kind {
            FieldKind::Text => {
                let text = value.as_str()?;
                self.check_text(text).err()
            }
            FieldKind::Enum => match value.as_str() {
                None => Some(Problem::Shape("string")),
                Some(v) if self.values.iter().any(|p| p == v) => None,
                Some(v) => Some(Problem::NotPermitted(v.to_string())),
            },
            FieldKind::List => {
                let Some(items) = value.as_array() else {
                    return Some(Problem::Shape("array"));
                };
                if let Some(max) = self.max_items.filter(|&m| items.len() > m) {
                    return Some(Problem::TooMany(items.len(), max));
                }
                items.iter().find_map(|item| match item.as_str() {
                    None => Some(Problem::Shape("array of strings")),
                    Some(v) if self.values.iter().any(|p| p == v) => None,
                    Some(v) => Some(Problem::NotPermitted(v.to_string())),
                })
            }
            FieldKind::Links => {
                let Some(items) = value.as_array() else {
                    return Some(Problem::Shape("array"));
                };
                items.iter().find_map(|item| {
                    let (Some(title), Some(link)) = (
                        item.get("title").and_then(Value::as_str),
                        item.get("link").and_then(Value::as_str),
                    ) else {
                        return Some(Problem::Shape("array of {title, link}"));
                    };
                    if item.as_object().is_some_and(|o| o.len() != 2) {
                        return Some(Problem::Shape("array of {title, link}"));
                    }
                    too_long(title, self.title_max_length)
                        .or_else(|| too_long(link, self.link_max_length))
                        .or_else(|| (!is_https(link)).then_some(Problem::Pattern(Pattern::Https)))
                })
            }
        }
        .or_else(|| {
            (self.kind == FieldKind::Text && !value.is_string()).then_some(Problem::Shape("string"))
        })
    }

    fn check_text(&self, text: &str) -> Result<(), Problem> {
        if text.trim().is_empty() {
            return if self.required {
                Err(Problem::Missing)
            } else {
                Ok(())
            };
        }
        if let Some(p) = too_long(text, self.max_length) {
            return Err(p);
        }
        if text.contains('<') {
            return Err(Problem::Markup);
        }
        // Line breaks are allowed in the long texts; no other hidden character is.
        if let Some(c) = text
            .chars()
            .find(|&c| c != '\n' && crate::domain::text::needs_escape(c))
        {
            return Err(Problem::Hidden(c as u32));
        }
        let fits = match self.pattern {
            None => true,
            Some(Pattern::YearMonth) => is_year_month(text),
            Some(Pattern::Https) => is_https(text),
            Some(Pattern::EmailOrHttps) => is_https(text) || is_email(text),
        };
        match self.pattern {
            Some(pattern) if !fits => Err(Problem::Pattern(pattern)),
            _ => Ok(()),
        }
    }
}

fn too_long(text: &str, max: Option<usize>) -> Option<Problem> {
    let n = text.chars().count();
    max.filter(|&m| n > m).map(|m| Problem::TooLong(n, m))
}

fn is_year_month(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b[..4].iter().all(u8::is_ascii_digit)
        && matches!(text[5..].parse::<u8>(), Ok(1..=12))
}

fn is_https(text: &str) -> bool {
    text.strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace))
}

/// A plain mailbox check (one `@`, a dot in the domain, no spaces): enough to catch a
/// placeholder or a typo; the register's own validator has the last word.
fn is_email(text: &str) -> bool {
    let mut parts = text.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.contains(char::is_whitespace)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn minimal() -> Value {
        json!({
            "name": "Volgorde van signalen",
            "description_short": "Kort.",
            "organization": "Gemeente Voorbeeldstad",
            "status": "In gebruik",
            "contact_email": "algoritmes@voorbeeldstad.example",
            "publication_category": "Hoog-risico AI-systeem",
            "lang": "nld",
        })
    }

    fn problems(record: &Value) -> Vec<(String, Problem)> {
        Standard::embedded()
            .check(record)
            .into_iter()
            .map(|v| (v.field, v.problem))
            .collect()
    }

    #[test]
    fn the_required_fields_alone_pass() {
        assert_eq!(problems(&minimal()), vec![]);
    }

    #[test]
    fn each_rule_is_enforced() {
        let mut r = minimal();
        r["description_short"] = json!("x".repeat(351));
        r["status"] = json!("Actief");
        r["lang"] = json!("nl");
        r["category"] = json!(["Wonen", "Werk", "Recht", "Economie"]);
        r["begin_date"] = json!("2026-13");
        r["website"] = json!("http://insecure.example");
        r["goal"] = json!("<script>alert(1)</script>");
        r["risks"] = json!("rood \u{1b}[31m");
        r["lawful_basis_grouping"] = json!([{"title": "Wgs"}]);
        r["colour"] = json!("blue");
        r.as_object_mut().unwrap().remove("organization");
        let found = problems(&r);
        let expect = [
            ("colour", Problem::Unknown),
            ("begin_date", Problem::Pattern(Pattern::YearMonth)),
            ("category", Problem::TooMany(4, 3)),
            ("description_short", Problem::TooLong(351, 350)),
            ("goal", Problem::Markup),
            ("risks", Problem::Hidden(0x1b)),
            ("lang", Problem::NotPermitted("nl".into())),
            (
                "lawful_basis_grouping",
                Problem::Shape("array of {title, link}"),
            ),
            ("organization", Problem::Missing),
            ("status", Problem::NotPermitted("Actief".into())),
            ("website", Problem::Pattern(Pattern::Https)),
        ];
        for (field, problem) in expect.clone() {
            assert!(
                found.contains(&(field.to_string(), problem.clone())),
                "{field}: {problem:?} not in {found:?}"
            );
        }
        assert_eq!(found.len(), expect.len(), "{found:?}");
    }

    /// 350 characters of Dutch text with diacritics fit, though they are more than 350 bytes.
    #[test]
    fn lengths_count_characters_not_bytes() {
        let mut r = minimal();
        r["description_short"] = json!("é".repeat(350));
        assert_eq!(problems(&r), vec![]);
    }

    #[test]
    fn contact_may_be_a_mailbox_or_a_https_page() {
        for ok in ["a@b.nl", "https://www.voorbeeldstad.example/contact"] {
            let mut r = minimal();
            r["contact_email"] = json!(ok);
            assert_eq!(problems(&r), vec![], "{ok}");
        }
        for bad in ["iemand", "a@b", "a @b.nl", "@b.nl", "a@b@c.nl"] {
            let mut r = minimal();
            r["contact_email"] = json!(bad);
            assert_eq!(problems(&r).len(), 1, "{bad}");
        }
    }
}
