//! The BSN (burgerservicenummer) and its check-digit rule, the *elfproef*.
//!
//! A BSN has nine digits `d1 d2 … d9`. It passes the elfproef when
//! `9·d1 + 8·d2 + 7·d3 + 6·d4 + 5·d5 + 4·d6 + 3·d7 + 2·d8 − 1·d9` is divisible by 11
//! (the last weight is −1, unlike the bank-account variant of the test). `000000000`
//! passes the arithmetic but is not a number anyone holds, so it is refused.
//!
//! Older BSNs (former sofinummers) sometimes appear with eight digits; they are valid once
//! written with a leading zero. This module only accepts the canonical nine-digit form, so
//! importers must pad before checking.
//!
//! The generator helpers build numbers that pass the check. Passing the elfproef says nothing
//! about whether a number was issued: synthetic BSNs may coincide with real ones, which is why
//! they are treated as personal data like any other.

/// Weights of the nine digits in the elfproef.
const WEIGHTS: [i32; 9] = [9, 8, 7, 6, 5, 4, 3, 2, -1];

/// Whether `bsn` is exactly nine ASCII digits, not all zero, and passes the elfproef.
pub fn is_valid(bsn: &str) -> bool {
    let bytes = bsn.as_bytes();
    if bytes.len() != 9 || !bytes.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if bytes.iter().all(|&b| b == b'0') {
        return false;
    }
    let sum: i32 = bytes
        .iter()
        .zip(WEIGHTS)
        .map(|(&b, w)| i32::from(b - b'0') * w)
        .sum();
    sum % 11 == 0
}

/// The check digit that completes an eight-digit prefix (`0..=99_999_999`), or `None` when
/// the prefix has none (the weighted sum is 10 modulo 11) or is out of range.
pub fn check_digit(prefix: u32) -> Option<u8> {
    if prefix > 99_999_999 {
        return None;
    }
    let sum = weighted_prefix_sum(prefix, 8);
    let check = sum % 11;
    (check < 10).then_some(check as u8)
}

/// The BSN made of an eight-digit prefix and its check digit, when there is one and the
/// result is not all zeros.
pub fn from_prefix(prefix: u32) -> Option<String> {
    let check = check_digit(prefix)?;
    if prefix == 0 && check == 0 {
        return None;
    }
    Some(format!("{prefix:08}{check}"))
}

/// A valid BSN for every seven-digit block `1_000_000..=9_999_999` (other values are taken
/// modulo that range): the block gives the first seven digits, the eighth digit is chosen
/// by `choice` among the nine digits that leave a usable check digit, and the ninth is the
/// check digit.
///
/// Different blocks always give different BSNs, so a generator that maps household indexes
/// to distinct blocks gets unique numbers without bookkeeping. Exactly one value of the
/// eighth digit, at most, would require the impossible check digit 10: `2·d8 mod 11` takes
/// every residue except 9 as `d8` runs over 0..=9.
pub fn from_block(block: u32, choice: u32) -> String {
    let block = 1_000_000 + block.wrapping_sub(1_000_000) % 9_000_000;
    let partial = weighted_prefix_sum(block, 7);
    let mut usable = [0u32; 10];
    let mut count = 0;
    for d8 in 0..10 {
        if (partial + 2 * d8) % 11 < 10 {
            usable[count] = d8;
            count += 1;
        }
    }
    let d8 = usable[choice as usize % count];
    let check = (partial + 2 * d8) % 11;
    // Written digit by digit: this runs once per generated household.
    let mut digits = [b'0'; 9];
    let mut rest = block;
    for slot in digits[..7].iter_mut().rev() {
        *slot = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    digits[7] = b'0' + d8 as u8;
    digits[8] = b'0' + check as u8;
    String::from_utf8(digits.to_vec()).expect("ASCII digits")
}

fn weighted_prefix_sum(prefix: u32, digits: usize) -> u32 {
    let mut rest = prefix;
    let mut sum = 0;
    // Walk from the last digit of the prefix back to the first (weight 9).
    for position in (0..digits).rev() {
        sum += (rest % 10) * WEIGHTS[position] as u32;
        rest /= 10;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_numbers() {
        // 9+8+7+12+10+8+9+6-3 = 66 = 6·11
        assert!(is_valid("111222333"));
        // 9+16+21+24+25+24+21+16-9 = 147 = 13·11 + 4
        assert!(!is_valid("123456789"));
        // 44·9 = 396 = 36·11, so only a check digit of 0 fits nine nines.
        assert!(is_valid("999999990"));
        assert!(!is_valid("999999992"));
        // 156 - 2 = 154 = 14·11
        assert!(is_valid("123456782"));
        // A leading zero is part of the number: 8·1 - 8 = 0.
        assert!(is_valid("010000008"));
        assert!(!is_valid("10000008"));
    }

    #[test]
    fn malformed_input_is_refused() {
        assert!(!is_valid(""));
        assert!(!is_valid("11122233"));
        assert!(!is_valid("1112223330"));
        assert!(!is_valid("11122233a"));
        assert!(!is_valid(" 11222333"));
        assert!(!is_valid("111 222 333"));
        assert!(!is_valid("000000000"));
        assert!(!is_valid("１１１２２２３３３"));
    }

    #[test]
    fn a_single_changed_digit_is_detected() {
        let valid = b"111222333";
        for position in 0..9 {
            for digit in b'0'..=b'9' {
                if digit == valid[position] {
                    continue;
                }
                let mut changed = *valid;
                changed[position] = digit;
                assert!(!is_valid(std::str::from_utf8(&changed).unwrap()));
            }
        }
    }

    #[test]
    fn check_digits() {
        assert_eq!(check_digit(11_122_233), Some(3));
        assert_eq!(check_digit(12_345_678), Some(2));
        assert_eq!(check_digit(100_000_000), None);
        assert_eq!(from_prefix(0), None);
        // 1000000x: 9 + 2x ≡ 10 (mod 11) for x = 6, so that prefix has no check digit.
        assert_eq!(check_digit(10_000_006), None);
        assert_eq!(from_prefix(10_000_006), None);
        for prefix in (0..100_000_000).step_by(9_973) {
            if let Some(bsn) = from_prefix(prefix) {
                assert!(is_valid(&bsn), "{bsn}");
            }
        }
    }

    #[test]
    fn blocks_give_distinct_valid_numbers() {
        let mut seen = std::collections::BTreeSet::new();
        for block in (1_000_000..1_000_500).chain(9_999_500..10_000_000) {
            for choice in [0, 1, 7, 8, 123] {
                let bsn = from_block(block, choice);
                assert!(is_valid(&bsn), "{bsn}");
                assert_eq!(&bsn[..7], block.to_string());
            }
            assert!(seen.insert(from_block(block, block)));
        }
        // Out-of-range blocks wrap into the range instead of panicking.
        assert!(is_valid(&from_block(0, 0)));
        assert!(is_valid(&from_block(u32::MAX, u32::MAX)));
    }
}
