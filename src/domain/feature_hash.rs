//! The hash of the feature vector a score was computed from, so a score can be reproduced
//! later and a changed input told apart from a changed model.
//!
//! The encoding is length-prefixed like the event hash (`domain::event`), so an auditor can
//! re-implement it from this comment alone:
//!
//! ```text
//! hash    = SHA-256( "oordeel-features-v1" 0x00
//!                    len(n) ":" n 0x00              n = number of features, decimal
//!                    feature ... )                  one per feature, in the model's order
//! feature = len(name) ":" name 0x00 value
//! value   = "n" <8 bytes: the IEEE 754 bits of the number, big-endian>
//!         | "c" len(text) ":" text 0x00
//! ```
//! where `len` is the byte length in decimal, and the hash is written as 64 lowercase hex
//! digits. A number is hashed by its exact bits, so `0.1` and `0.1 + 1e-17` differ, and a
//! number never collides with a category that reads the same.

use sha2::{Digest, Sha256};

use super::view::FeatureValue;

const DOMAIN: &[u8] = b"oordeel-features-v1\0";

/// Hashes feature vectors, reusing one byte buffer: ranking a million cases hashes a million
/// vectors, and allocating per vector would show.
#[derive(Debug, Default)]
pub struct FeatureHasher {
    buf: Vec<u8>,
}

impl FeatureHasher {
    pub fn new() -> FeatureHasher {
        FeatureHasher::default()
    }

    /// The hash (64 hex digits) of `values` under `names`, both in the model's order.
    /// A length mismatch hashes the shorter pairing plus the count of `values`, so it can
    /// never equal the hash of a well-formed vector of the same features.
    pub fn hash<S: AsRef<str>>(&mut self, names: &[S], values: &[FeatureValue]) -> String {
        let buf = &mut self.buf;
        buf.clear();
        buf.extend_from_slice(DOMAIN);
        push_text(buf, values.len().to_string().as_bytes());
        for (name, value) in names.iter().zip(values) {
            push_text(buf, name.as_ref().as_bytes());
            match value {
                FeatureValue::Number(x) => {
                    buf.push(b'n');
                    buf.extend_from_slice(&x.to_bits().to_be_bytes());
                }
                FeatureValue::Category(text) => {
                    buf.push(b'c');
                    push_text(buf, text.as_bytes());
                }
            }
        }
        let digest = Sha256::digest(&buf[..]);
        let mut hex = [0u8; 64];
        hex::encode_to_slice(digest, &mut hex).expect("64 hex digits for 32 bytes");
        String::from_utf8_lossy(&hex).into_owned()
    }
}

/// `len(bytes) ":" bytes 0x00`
fn push_text(buf: &mut Vec<u8>, bytes: &[u8]) {
    use std::io::Write;
    // Writing to a Vec cannot fail.
    let _ = write!(buf, "{}:", bytes.len());
    buf.extend_from_slice(bytes);
    buf.push(0);
}

/// The hash of one feature vector (see the module comment for the encoding).
pub fn features_hash<S: AsRef<str>>(names: &[S], values: &[FeatureValue]) -> String {
    FeatureHasher::new().hash(names, values)
}

/// SHA-256 (hex) of a model version's stored specification, recorded when it is approved so
/// a later change to the stored model is seen.
pub fn spec_hash(spec: &str) -> String {
    hex::encode(Sha256::digest(spec.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(x: f64) -> FeatureValue {
        FeatureValue::Number(x)
    }

    fn c(s: &str) -> FeatureValue {
        FeatureValue::Category(s.to_owned())
    }

    #[test]
    fn the_encoding_is_the_documented_one() {
        // Recomputed by hand from the module comment.
        let mut bytes = b"oordeel-features-v1\0".to_vec();
        bytes.extend_from_slice(b"1:2\0");
        bytes.extend_from_slice(b"1:a\0n");
        bytes.extend_from_slice(&1.5f64.to_bits().to_be_bytes());
        bytes.extend_from_slice(b"1:b\0c3:huu\0");
        assert_eq!(
            features_hash(&["a", "b"], &[n(1.5), c("huu")]),
            hex::encode(Sha256::digest(&bytes))
        );
    }

    #[test]
    fn every_bit_and_boundary_changes_the_hash() {
        let base = features_hash(&["a", "b"], &[n(0.1), c("x")]);
        assert_eq!(base.len(), 64);
        let next = f64::from_bits(0.1f64.to_bits() + 1);
        assert_ne!(features_hash(&["a", "b"], &[n(next), c("x")]), base);
        assert_ne!(features_hash(&["b", "a"], &[n(0.1), c("x")]), base);
        assert_ne!(features_hash(&["a", "b"], &[c("0.1"), c("x")]), base);
        assert_ne!(features_hash(&["ab", ""], &[n(0.1), c("x")]), base);
        assert_ne!(features_hash(&["a"], &[n(0.1)]), base);
    }

    #[test]
    fn a_reused_hasher_gives_the_same_hash() {
        let mut h = FeatureHasher::new();
        let first = h.hash(&["a"], &[c("long category text")]);
        let _ = h.hash(&["a", "b"], &[n(2.0), n(3.0)]);
        assert_eq!(h.hash(&["a"], &[c("long category text")]), first);
    }
}
