//! What is wrong with an SSH public key someone handed in, in the user's language.

use std::fmt;

use crate::domain::ssh_key::{KEY_TYPES, KeyError, MIN_RSA_BITS};
use crate::i18n::tf;

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let types = KEY_TYPES.join(", ");
        let text = match self {
            KeyError::Empty => tf("ssh.key.empty", &[]),
            KeyError::NotText => tf("ssh.key.not_text", &[]),
            KeyError::PrivateKey => tf("ssh.key.private", &[]),
            KeyError::Rfc4716 => tf("ssh.key.rfc4716", &[]),
            KeyError::SeveralKeys(n) => tf("ssh.key.several", &[("count", n)]),
            KeyError::HasOptions(options) => tf("ssh.key.options", &[("options", options)]),
            KeyError::NotAKey => tf("ssh.key.not_a_key", &[("types", &types)]),
            KeyError::UnknownType(found) => tf(
                "ssh.key.unknown_type",
                &[("found", found), ("types", &types)],
            ),
            KeyError::NoBody => tf("ssh.key.no_body", &[]),
            KeyError::BadBase64 => tf("ssh.key.bad_base64", &[]),
            KeyError::TypeMismatch { declared, embedded } => tf(
                "ssh.key.type_mismatch",
                &[("declared", declared), ("embedded", embedded)],
            ),
            KeyError::Malformed(key_type) => tf("ssh.key.malformed", &[("type", key_type)]),
            KeyError::WeakRsa(bits) => tf(
                "ssh.key.weak_rsa",
                &[("bits", bits), ("min", &MIN_RSA_BITS)],
            ),
        };
        f.write_str(&text)
    }
}
