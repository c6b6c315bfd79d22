//! The plain-Dutch letter to a household (B1 level), from its record. The sentences live in
//! `assets/citizen/letter.toml`, so a municipality can reword them; this module chooses which
//! ones apply and fills them in. Always Dutch: it is written to the household, whatever
//! language the officer's terminal uses.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::citizen::CitizenRecord;
use crate::domain::decision::{CaseStatus, Reason};
use crate::domain::view::{Contribution, FeatureValue};
use crate::i18n::{Lang, number, t_in};

const TEXTS: &str = include_str!("../../assets/citizen/letter.toml");

/// The letter's sentences (see `assets/citizen/letter.toml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Texts {
    subject: String,
    greeting: String,
    greeting_unknown: String,
    intro: String,
    why_heading: String,
    why_signals: String,
    why_signals_many: String,
    why_history: String,
    why_none: String,
    why_law: String,
    computer_heading: String,
    computer_role: String,
    computer_chance: String,
    computer_up: String,
    computer_down: String,
    computer_not_used: String,
    computer_protected: String,
    computer_none: String,
    proxy_named: String,
    proxy_weighed: String,
    proxy_effect: String,
    proxy_check: String,
    proxy_person: String,
    proxy_object: String,
    decision_heading: String,
    decision_accept: String,
    decision_reject: String,
    decision_defer: String,
    decision_to_sign: String,
    decision_none: String,
    decision_closed: String,
    decision_signed: String,
    decision_human: String,
    object_heading: String,
    object_contact: String,
    object_appeal: String,
    object_appeal_later: String,
    object_rights: String,
    object_ap: String,
    closing: String,
    ground: Grounds,
    creditor: Creditors,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Grounds {
    migration_background: String,
    age_band: String,
    gender: String,
}

impl Grounds {
    fn of(&self, attribute: &str) -> String {
        match attribute {
            "migration_background" => self.migration_background.clone(),
            "age_band" => self.age_band.clone(),
            "gender" => self.gender.clone(),
            other => other.replace('_', " "),
        }
    }
}

/// A model feature that the model version's proxy check flagged as going together with a
/// protected attribute in the municipality's own data (Cramér's V at or above the threshold).
#[derive(Debug, Clone, PartialEq)]
pub struct Proxy {
    pub feature: String,
    /// `migration_background`, `age_band` or `gender`.
    pub attribute: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Creditors {
    rent: String,
    energy: String,
    water: String,
    health_insurance: String,
}

fn texts() -> Texts {
    toml::from_str(TEXTS).expect("assets/citizen/letter.toml is valid (tested)")
}

/// The letter, ready to print as text or HTML.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Letter {
    pub sender: String,
    pub date: NaiveDate,
    /// Name and address lines; empty when the personal data was erased.
    pub to: Vec<String>,
    pub subject: String,
    pub greeting: String,
    pub intro: String,
    pub sections: Vec<Section>,
    pub closing: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub heading: String,
    /// Paragraphs, then (under the last one) a list, when there is one.
    pub paragraphs: Vec<String>,
    pub bullets: Vec<String>,
    pub after: Vec<String>,
}

/// How many of the weightiest factors the letter names.
const FACTORS: usize = 3;

/// Writes the letter about the household's newest case. `proxies` are the flagged proxies of
/// the model version that scored it: whichever of them weighed in on the case is named.
pub fn write(
    record: &CitizenRecord,
    sender: &str,
    contact_email: &str,
    date: NaiveDate,
    reasons: &[Reason],
    proxies: &[Proxy],
) -> Letter {
    let tx = texts();
    let nl = |v: f64, d: usize| number(Lang::Nl, v, d);
    let (to, greeting) = match &record.personal {
        Some(p) => (
            vec![p.name.clone(), p.address.clone()],
            tx.greeting.replace("{name}", &p.name),
        ),
        None => (Vec::new(), tx.greeting_unknown.clone()),
    };
    let mut sections = Vec::new();
    let case = record.cases.first();
    if let Some(case) = case.filter(|c| !c.signals.is_empty()) {
        // The record holds the case's own month only.
        let month: Vec<_> = case.signals.iter().collect();
        let mut creditors: Vec<&str> = month
            .iter()
            .map(|s| match s.creditor_type.as_code() {
                "rent" => tx.creditor.rent.as_str(),
                "energy" => tx.creditor.energy.as_str(),
                "water" => tx.creditor.water.as_str(),
                _ => tx.creditor.health_insurance.as_str(),
            })
            .collect();
        creditors.dedup();
        let cents: i64 = month.iter().map(|s| s.amount_cents).sum();
        let first = month
            .iter()
            .map(|s| s.received_on)
            .min()
            .unwrap_or(case.opened_on);
        // One signal has a date; several in a month are told by the month, so no date in
        // the letter is wrong for one of them. A past case from the debt-help system has a
        // month only: its "date" is the first of it, which the letter does not claim.
        let text = if case.outcome.is_some() {
            let day = dutch_date(first);
            let month_name = day.split_once(' ').map_or(day.as_str(), |(_, m)| m);
            tx.why_history.replace("{month}", month_name)
        } else if month.len() == 1 {
            tx.why_signals.replace("{date}", &dutch_date(first))
        } else {
            let day = dutch_date(first);
            let month_name = day.split_once(' ').map_or(day.as_str(), |(_, m)| m);
            tx.why_signals_many.replace("{month}", month_name)
        };
        sections.push(Section {
            heading: tx.why_heading.clone(),
            paragraphs: vec![
                text.replace("{creditors}", &join_dutch(&creditors))
                    .replace("{amount}", &format!("€ {}", nl(cents as f64 / 100.0, 2))),
                tx.why_law.clone(),
            ],
            bullets: Vec::new(),
            after: Vec::new(),
        });
    } else if case.is_none() {
        // Known from the municipality's own register, named by no creditor yet.
        sections.push(Section {
            heading: tx.why_heading.clone(),
            paragraphs: vec![tx.why_none.clone()],
            bullets: Vec::new(),
            after: Vec::new(),
        });
    }
    // What the municipality holds but the program never reads is said too: the household
    // finds its origin in the appendix, and should not wonder why.
    let mut not_used = vec![tx.computer_not_used.clone()];
    if record.protected.is_some() {
        not_used.push(tx.computer_protected.clone());
    }
    let computer = match case.and_then(|c| c.explanation.as_ref()) {
        Some(e) => {
            let mut weightiest: Vec<&Contribution> = e.contributions.iter().collect();
            weightiest.sort_by(|a, b| b.contribution.abs().total_cmp(&a.contribution.abs()));
            let mut after = not_used.clone();
            after.extend(proxy_sentences(&tx, &weightiest, proxies));
            Section {
                heading: tx.computer_heading.clone(),
                paragraphs: vec![
                    tx.computer_role.clone(),
                    tx.computer_chance
                        .replace("{chance}", &nl((e.score * 100.0).round(), 0)),
                ],
                bullets: weightiest
                    .into_iter()
                    .take(FACTORS)
                    .map(|c| {
                        let text = if c.contribution >= 0.0 {
                            &tx.computer_up
                        } else {
                            &tx.computer_down
                        };
                        text.replace("{factor}", &factor(c))
                    })
                    .collect(),
                after,
            }
        }
        None => Section {
            heading: tx.computer_heading.clone(),
            paragraphs: vec![tx.computer_role.clone(), tx.computer_none.clone()],
            bullets: Vec::new(),
            after: not_used,
        },
    };
    sections.push(computer);
    let standing = case.and_then(|c| c.standing_decision());
    let mut decided = match (case.map(|c| c.status), standing) {
        (Some(CaseStatus::ToSign), _) => vec![tx.decision_to_sign.clone()],
        (Some(CaseStatus::Closed), None) => vec![tx.decision_closed.clone()],
        (_, Some(d)) if d.decision == "accept" => vec![tx.decision_accept.clone()],
        (_, Some(d)) if d.decision == "reject" => {
            let reason = d
                .reason
                .as_deref()
                .map(|code| reason_text(reasons, code))
                .unwrap_or_default();
            vec![tx.decision_reject.replace("{reason}", &reason)]
        }
        (_, Some(_)) => vec![tx.decision_defer.clone()],
        (_, None) => vec![tx.decision_none.clone()],
    };
    // Waiting for a second signature, nothing is decided yet: no "a person decided".
    let waiting = case.is_some_and(|c| c.status == CaseStatus::ToSign);
    if standing.is_some() && !waiting {
        if case.is_some_and(|c| c.signed()) {
            decided.push(tx.decision_signed.clone());
        }
        decided.push(tx.decision_human.clone());
    }
    sections.push(Section {
        heading: tx.decision_heading.clone(),
        paragraphs: decided,
        bullets: Vec::new(),
        after: Vec::new(),
    });
    // Six weeks after a decision the household received: only when there is one.
    let decided_now =
        !waiting && standing.is_some_and(|d| matches!(d.decision.as_str(), "accept" | "reject"));
    sections.push(Section {
        heading: tx.object_heading.clone(),
        paragraphs: vec![
            tx.object_contact.replace("{email}", contact_email),
            if decided_now {
                tx.object_appeal.clone()
            } else if case.is_some_and(|c| c.status == CaseStatus::Closed) {
                // A past case closed without a decision here: nothing to object to, and
                // none to come.
                String::new()
            } else {
                tx.object_appeal_later.clone()
            },
            tx.object_rights.clone(),
            tx.object_ap.clone(),
        ]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect(),
        bullets: Vec::new(),
        after: Vec::new(),
    });
    Letter {
        sender: sender.to_owned(),
        date,
        to,
        subject: tx.subject.clone(),
        greeting,
        intro: tx.intro.clone(),
        sections,
        closing: tx.closing.clone(),
    }
}

/// What the letter says of flagged proxies that weighed in on the case (a contribution
/// other than zero): each by name, whether among the facts named above or not, then once
/// what that means, what the municipality does and that the household can object. Saying
/// "no data on your origin" and naming the district that stands in for it, without a word
/// more, would be less than the truth.
fn proxy_sentences(tx: &Texts, weightiest: &[&Contribution], proxies: &[Proxy]) -> Vec<String> {
    let base = |feature: &str| {
        feature
            .split_once('=')
            .map_or(feature, |(b, _)| b)
            .to_owned()
    };
    let mut out = Vec::new();
    let mut grounds: Vec<String> = Vec::new();
    for (i, c) in weightiest.iter().enumerate() {
        if c.contribution == 0.0 {
            continue;
        }
        for p in proxies.iter().filter(|p| p.feature == base(&c.feature)) {
            let ground = tx.ground.of(&p.attribute);
            let text = if i < FACTORS {
                &tx.proxy_named
            } else {
                &tx.proxy_weighed
            };
            out.push(
                text.replace("{fact}", &factor(c))
                    .replace("{ground}", &ground),
            );
            if !grounds.contains(&ground) {
                grounds.push(ground);
            }
        }
    }
    if grounds.is_empty() {
        return out;
    }
    let refs: Vec<&str> = grounds.iter().map(String::as_str).collect();
    out.push(tx.proxy_effect.replace("{ground}", &join_dutch(&refs)));
    out.extend([
        tx.proxy_check.clone(),
        tx.proxy_person.clone(),
        tx.proxy_object.clone(),
    ]);
    out
}

/// "12 november 2026".
pub fn dutch_date(d: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    use chrono::Datelike;
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// "a", "a en b", "a, b en c".
fn join_dutch(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} en {last}", rest.join(", ")),
    }
}

/// The Dutch label of a factor with its value: "maanden achterstand (4)".
fn factor(c: &Contribution) -> String {
    let (label, value) = feature_text(&c.feature, &c.value);
    format!("{label} ({value})")
}

/// A feature's Dutch label and its value in words: ("eerder schuldhulp", "nee"),
/// ("totale achterstand", "€ 2.062"), ("huishouden", "eenoudergezin").
pub fn feature_text(feature: &str, value: &FeatureValue) -> (String, String) {
    let (base, category) = match feature.split_once('=') {
        Some((b, cat)) => (b, Some(cat)),
        None => (feature, None),
    };
    let label = dutch_or(&format!("feature.{base}"), base);
    let value = match (value, category) {
        (_, Some(cat)) => category_text(base, cat),
        (FeatureValue::Category(code), None) => category_text(base, code),
        (FeatureValue::Number(n), None) if is_yes_no(base) => {
            if *n != 0.0 { "ja" } else { "nee" }.to_owned()
        }
        (FeatureValue::Number(n), None) if base.ends_with("_eur") => {
            format!("€ {}", number(Lang::Nl, *n, 0))
        }
        (FeatureValue::Number(n), None) => number(Lang::Nl, *n, 0),
    };
    (label, value)
}

fn is_yes_no(name: &str) -> bool {
    name.ends_with("_signal")
        || matches!(
            name,
            "multiple_signals"
                | "repeated_signal"
                | "threat"
                | "earlier_debt_help"
                | "known_to_district_team"
                | "wmo_youth_support"
        )
}

fn category_text(feature: &str, code: &str) -> String {
    match feature {
        "household_type" | "income_source" => dutch_or(&format!("{feature}.{code}"), code),
        _ => code.to_owned(),
    }
}

fn dutch_or(key: &str, fallback: &str) -> String {
    let text = t_in(Lang::Nl, key);
    if text.starts_with('⟨') {
        fallback.to_owned()
    } else {
        text.to_owned()
    }
}

fn reason_text(reasons: &[Reason], code: &str) -> String {
    reasons
        .iter()
        .find(|r| r.code == code)
        .map(|r| lowercase_first(&r.nl))
        .unwrap_or_else(|| code.replace('_', " "))
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_texts_parse_and_keep_their_placeholders() {
        let tx = texts();
        assert!(tx.greeting.contains("{name}"));
        assert!(tx.computer_chance.contains("{chance}"));
        assert!(tx.decision_reject.contains("{reason}"));
        assert!(tx.object_contact.contains("{email}"));
    }

    /// B1: no jargon, short sentences. Every sentence of the letter's texts stays under 20
    /// words, and on average under 12.
    #[test]
    fn the_texts_read_as_plain_dutch() {
        let jargon = [
            "algoritme",
            "model",
            "score",
            "log-odds",
            "logit",
            "classific",
            "AVG",
        ];
        let words_per_sentence: Vec<usize> = TEXTS
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains('"'))
            .flat_map(|l| {
                let text = l
                    .split_once('"')
                    .map(|(_, t)| t.trim_end_matches('"'))
                    .unwrap_or("");
                for j in jargon {
                    assert!(
                        !text.to_lowercase().contains(&j.to_lowercase()),
                        "{j} in {text}"
                    );
                }
                text.split(['.', '?', ':'])
                    .map(|s| s.split_whitespace().count())
                    .filter(|&n| n > 0)
                    .collect::<Vec<_>>()
            })
            .collect();
        let longest = *words_per_sentence.iter().max().unwrap();
        let mean =
            words_per_sentence.iter().sum::<usize>() as f64 / words_per_sentence.len() as f64;
        assert!(longest < 20, "longest sentence {longest} words");
        assert!(mean < 12.0, "mean {mean} words per sentence");
    }

    #[test]
    fn dates_and_lists_read_dutch() {
        assert_eq!(dutch_date("2026-11-02".parse().unwrap()), "2 november 2026");
        assert_eq!(join_dutch(&["a", "b", "c"]), "a, b en c");
        assert_eq!(join_dutch(&["a"]), "a");
    }
}
