//! Whether a person as a creditor named them and a household's personal data can be one
//! person: the check before an admin attaches a waiting signal by hand (`signals match`). A
//! typed pseudonym one digit off would otherwise put a stranger's arrears on a household.

use chrono::NaiveDate;

use super::address::name_key;
use super::signal_file::SignalIdentity;

/// A household's personal data, in the canonical forms the matching uses.
#[derive(Debug, Clone, Copy)]
pub struct OnRecord<'a> {
    pub bsn: &'a str,
    pub name: &'a str,
    pub postcode: &'a str,
    pub house_number: &'a str,
    pub birth_date: NaiveDate,
}

/// What the signal gives that the household's data contradicts, and how much agrees.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Comparison {
    /// `bsn`, `name`, `address` (postcode and house number), `birth_date`.
    pub differ: Vec<&'static str>,
    pub agree: usize,
}

impl Comparison {
    /// A different BSN, or nothing the creditor gave agreeing, needs the admin to say they
    /// checked: one fact off (a birth date a month out, a name spelt otherwise) does not.
    pub fn needs_confirmation(&self) -> bool {
        self.differ.contains(&"bsn") || self.agree == 0
    }
}

/// Compares what the creditor gave with the household's data; `None` (erased or never
/// held) agrees with nothing.
pub fn compare(signal: &SignalIdentity, record: Option<&OnRecord<'_>>) -> Comparison {
    let mut out = Comparison::default();
    let Some(r) = record else {
        return out;
    };
    let mut fact = |given: bool, same: bool, name: &'static str| {
        if given {
            if same {
                out.agree += 1;
            } else {
                out.differ.push(name);
            }
        }
    };
    fact(
        signal.bsn.is_some(),
        signal.bsn.as_deref() == Some(r.bsn),
        "bsn",
    );
    fact(
        signal.name.is_some(),
        signal
            .name
            .as_deref()
            .is_some_and(|n| name_key(n) == name_key(r.name)),
        "name",
    );
    fact(
        signal.postcode.is_some() && signal.house_number.is_some(),
        signal.postcode.as_deref() == Some(r.postcode)
            && signal.house_number.as_deref() == Some(r.house_number),
        "address",
    );
    fact(
        signal.birth_date.is_some(),
        signal.birth_date == Some(r.birth_date),
        "birth_date",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piotr() -> OnRecord<'static> {
        OnRecord {
            bsn: "111222333",
            name: "Piotr Brouwer",
            postcode: "8935RV",
            house_number: "178",
            birth_date: "1986-04-17".parse().unwrap(),
        }
    }

    fn named(name: &str, postcode: &str, number: &str, birth: &str) -> SignalIdentity {
        SignalIdentity {
            household: None,
            bsn: None,
            name: Some(name.into()),
            postcode: Some(postcode.into()),
            house_number: Some(number.into()),
            birth_date: Some(birth.parse().unwrap()),
        }
    }

    #[test]
    fn one_fact_off_is_the_creditors_slip_and_needs_no_confirmation() {
        let c = compare(
            &named("piotr brouwer", "8935RV", "178", "1986-05-18"),
            Some(&piotr()),
        );
        assert_eq!(c.differ, vec!["birth_date"]);
        assert_eq!(c.agree, 2);
        assert!(!c.needs_confirmation());
    }

    #[test]
    fn a_stranger_or_another_bsn_needs_confirmation() {
        let stranger = compare(
            &named("Ronald Verbeek", "8912AB", "3", "1979-02-14"),
            Some(&piotr()),
        );
        assert_eq!(stranger.differ, vec!["name", "address", "birth_date"]);
        assert!(stranger.needs_confirmation());
        let other_bsn = SignalIdentity {
            household: None,
            bsn: Some("123456782".into()),
            name: None,
            postcode: None,
            house_number: None,
            birth_date: None,
        };
        assert!(compare(&other_bsn, Some(&piotr())).needs_confirmation());
        // Erased personal data: nothing to agree with.
        assert!(compare(&other_bsn, None).needs_confirmation());
    }
}
