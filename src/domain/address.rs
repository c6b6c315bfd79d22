//! Dutch addresses as the registers write them, and the forms oordeel compares them in:
//! postcode `1234AB` (four digits, the first not 0, two letters; shown `1234 AB`), a house
//! number with its addition (`12`, `12A`, `12-2`), and names for telling two people at one
//! address apart. A creditor's file and the municipality's extract write the same address in
//! different ways (`7512 jn`, `12 a`); matching compares these canonical forms only.

/// `7512JN` from `7512 JN`, `7512jn` or ` 7512  JN `; `None` when it is not a postcode.
pub fn postcode(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let compact = compact.to_ascii_uppercase();
    let b = compact.as_bytes();
    let valid = b.len() == 6
        && (b'1'..=b'9').contains(&b[0])
        && b[1..4].iter().all(u8::is_ascii_digit)
        && b[4..].iter().all(u8::is_ascii_uppercase);
    valid.then_some(compact)
}

/// `1234 AB`: how a canonical postcode is written in an address.
pub fn show_postcode(canonical: &str) -> String {
    match canonical.split_at_checked(4) {
        Some((digits, letters)) => format!("{digits} {letters}"),
        None => canonical.to_owned(),
    }
}

/// `12A` from `12 a`, `12a` or `12-A`: the number and its addition without spaces, letters
/// upper-case, a `-` or `/` before a letter dropped (`12-2` keeps its dash: `122` is another
/// house). `None` unless it starts with a digit and is at most 12 characters of digits,
/// letters, `-` and `/`.
pub fn house_number(text: &str) -> Option<String> {
    let compact: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    let canonical: String = compact
        .iter()
        .enumerate()
        .filter(|&(i, c)| {
            let before_letter = compact.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic());
            !(matches!(c, '-' | '/') && before_letter)
        })
        .map(|(_, c)| *c)
        .collect();
    let valid = canonical.chars().next().is_some_and(|c| c.is_ascii_digit())
        && canonical.chars().count() <= 12
        && canonical
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/'));
    valid.then_some(canonical)
}

/// The address line oordeel keeps: `Vismarkt 65, 7512 JN Voorbeeldstad`.
pub fn compose(street: &str, house_number: &str, postcode: &str, city: &str) -> String {
    let city = city.trim();
    let place = if city.is_empty() {
        show_postcode(postcode)
    } else {
        format!("{} {city}", show_postcode(postcode))
    };
    format!("{} {house_number}, {place}", street.trim())
}

/// Postcode and house number of an address line in that form (the demo's, and every one
/// `compose` wrote): the house number is the street part's last word.
pub fn parts(address: &str) -> Option<(String, String)> {
    let (street, place) = address.rsplit_once(", ")?;
    // The number is the last word that starts with a digit, with what follows it (`219 hs`).
    let words: Vec<&str> = street.split_whitespace().collect();
    let at = words
        .iter()
        .rposition(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .filter(|&i| i > 0)?;
    let number = house_number(&words[at..].concat())?;
    let mut words = place.split_whitespace();
    let code = postcode(&format!("{}{}", words.next()?, words.next()?))?;
    Some((code, number))
}

/// A name as two files may both write it, for telling people at one address apart: letters
/// and digits only, lower-case, accents kept (`Jansen-de Vries` and `jansen de vries` agree).
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_and_house_numbers_read_as_registers_and_creditors_write_them() {
        assert_eq!(postcode(" 7512 jn ").as_deref(), Some("7512JN"));
        assert_eq!(postcode("0512JN"), None);
        assert_eq!(postcode("7512 J"), None);
        assert_eq!(postcode("75121JN"), None);
        assert_eq!(show_postcode("7512JN"), "7512 JN");
        assert_eq!(house_number("12 a").as_deref(), Some("12A"));
        assert_eq!(house_number("12-a").as_deref(), Some("12A"));
        assert_eq!(house_number("219 hs").as_deref(), Some("219HS"));
        assert_eq!(house_number("12-2").as_deref(), Some("12-2"));
        assert_eq!(house_number("a12"), None);
        assert_eq!(house_number(""), None);
    }

    #[test]
    fn an_address_line_gives_back_its_postcode_and_number() {
        let line = compose("Van Goghlaan", "47A", "7531ZK", "Voorbeeldstad");
        assert_eq!(line, "Van Goghlaan 47A, 7531 ZK Voorbeeldstad");
        assert_eq!(parts(&line), Some(("7531ZK".into(), "47A".into())));
        assert_eq!(
            parts("Vismarkt 65, 7512 JN Voorbeeldstad"),
            Some(("7512JN".into(), "65".into()))
        );
        assert_eq!(
            parts("Meeuwenstraat 219 hs, 7553 TG Voorbeeldstad"),
            Some(("7553TG".into(), "219HS".into()))
        );
        assert_eq!(
            parts("Laan 1940-1945 12, 7553 TG Stad"),
            Some(("7553TG".into(), "12".into()))
        );
        assert_eq!(parts("nowhere"), None);
    }

    #[test]
    fn names_compare_without_case_spaces_or_hyphens() {
        assert_eq!(name_key("Jansen-de Vries"), name_key("jansen de  vries"));
        assert_ne!(name_key("Jansen"), name_key("Janssen"));
    }
}
