//! OpenSSH public keys and `authorized_keys` lines: what `oordeel ssh authorize` accepts, the
//! line it writes, and how it recognises a key that is already there. No I/O.
//!
//! A reviewer's key is bound to one name by a forced command:
//!
//! ```text
//! command="/usr/local/bin/oordeel --db /srv/oordeel/gemeente.db --lang nl review --as anna",restrict,pty ssh-ed25519 AAAA... oordeel:anna
//! ```
//!
//! sshd runs that command through the service account's shell, whatever the client asked
//! for; `restrict` turns off port, agent and X11 forwarding and `~/.ssh/rc`, and `pty` gives
//! the console its terminal back.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use sha2::{Digest, Sha256};

/// The key types oordeel accepts, as written in a `.pub` file.
pub const KEY_TYPES: &[&str] = &[
    "ssh-ed25519",
    "sk-ssh-ed25519@openssh.com",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-rsa",
];

/// RSA keys shorter than this are refused (the Dutch baseline, BIO, asks for at least 2048).
pub const MIN_RSA_BITS: usize = 2048;

/// One public key: its declared type, its base64 body as given, and the decoded blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub key_type: String,
    pub base64: String,
    pub blob: Vec<u8>,
}

/// Why a public key file was refused. Shown after the file's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyError {
    Empty,
    NotText,
    PrivateKey,
    /// `---- BEGIN SSH2 PUBLIC KEY ----` (RFC 4716), as PuTTYgen and some GUIs export.
    Rfc4716,
    SeveralKeys(usize),
    /// Options (`command=...`, `from=...`, ...) before the key type.
    HasOptions(String),
    NotAKey,
    UnknownType(String),
    NoBody,
    BadBase64,
    TypeMismatch {
        declared: String,
        embedded: String,
    },
    Malformed(String),
    WeakRsa(usize),
}

impl std::error::Error for KeyError {}

impl PublicKey {
    /// Reads the contents of a `.pub` file: exactly one key line (blank lines and `#` comment
    /// lines aside), `TYPE BASE64 [comment]`. The comment is dropped: oordeel writes its own.
    pub fn from_file_contents(bytes: &[u8]) -> Result<PublicKey, KeyError> {
        let text = std::str::from_utf8(bytes).map_err(|_| {
            if looks_private(&String::from_utf8_lossy(bytes)) {
                KeyError::PrivateKey
            } else {
                KeyError::NotText
            }
        })?;
        if looks_private(text) {
            return Err(KeyError::PrivateKey);
        }
        if text.contains("---- BEGIN SSH2 PUBLIC KEY ----") {
            return Err(KeyError::Rfc4716);
        }
        if text.contains('\0') {
            return Err(KeyError::NotText);
        }
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        match lines.as_slice() {
            [] => Err(KeyError::Empty),
            [line] => PublicKey::from_line(line),
            several => Err(KeyError::SeveralKeys(several.len())),
        }
    }

    fn from_line(line: &str) -> Result<PublicKey, KeyError> {
        let fields = fields(line);
        let first = fields.first().copied().unwrap_or_default();
        if !KEY_TYPES.contains(&first) {
            // `from="10.0.0.1" ssh-ed25519 AAAA...`: options before a key we would accept.
            if fields.get(1).is_some_and(|f| looks_like_type(f)) {
                return Err(KeyError::HasOptions(first.to_owned()));
            }
            if looks_like_type(first) {
                return Err(KeyError::UnknownType(first.to_owned()));
            }
            return Err(KeyError::NotAKey);
        }
        let body = fields.get(1).copied().ok_or(KeyError::NoBody)?;
        let blob = STANDARD.decode(body).map_err(|_| KeyError::BadBase64)?;
        check_blob(first, &blob)?;
        Ok(PublicKey {
            key_type: first.to_owned(),
            base64: body.to_owned(),
            blob,
        })
    }

    /// `SHA256:...`, as `ssh-keygen -lf` and sshd's log show it.
    pub fn fingerprint(&self) -> String {
        format!(
            "SHA256:{}",
            STANDARD_NO_PAD.encode(Sha256::digest(&self.blob))
        )
    }
}

/// A private key in any of the usual encodings (OpenSSH, PEM, PKCS#8, PuTTY).
fn looks_private(text: &str) -> bool {
    text.contains("PRIVATE KEY-----")
        || text.contains("PuTTY-User-Key-File")
        || text.contains("BEGIN SSH2 ENCRYPTED PRIVATE KEY")
}

/// Something shaped like an OpenSSH key type, known to us or not.
fn looks_like_type(field: &str) -> bool {
    KEY_TYPES.contains(&field)
        || ["ssh-", "ecdsa-", "sk-", "rsa-"]
            .iter()
            .any(|p| field.starts_with(p) && !field.contains('='))
}

/// Checks the decoded key: its embedded type is the declared one and its fields have the
/// shapes of that type (RFC 4253, 5656, 8709; OpenSSH's PROTOCOL.u2f), with nothing after.
fn check_blob(declared: &str, blob: &[u8]) -> Result<(), KeyError> {
    let mut r = Reader(blob);
    let malformed = || KeyError::Malformed(declared.to_owned());
    let embedded = r.string().ok_or_else(malformed)?;
    if embedded != declared.as_bytes() {
        return Err(KeyError::TypeMismatch {
            declared: declared.to_owned(),
            embedded: String::from_utf8_lossy(embedded)
                .chars()
                .filter(|c| !c.is_control())
                .take(60)
                .collect(),
        });
    }
    let ok = match declared {
        "ssh-ed25519" => r.string().is_some_and(|k| k.len() == 32),
        "sk-ssh-ed25519@openssh.com" => {
            r.string().is_some_and(|k| k.len() == 32) && r.string().is_some()
        }
        "ssh-rsa" => {
            let exponent = r.string().ok_or_else(malformed)?;
            let modulus = r.string().ok_or_else(malformed)?;
            if exponent.is_empty() || modulus.is_empty() {
                return Err(malformed());
            }
            let bits = mpint_bits(modulus);
            if bits < MIN_RSA_BITS {
                return Err(KeyError::WeakRsa(bits));
            }
            true
        }
        ecdsa => {
            let (curve, point_len) = match ecdsa.trim_start_matches("sk-") {
                "ecdsa-sha2-nistp256" | "ecdsa-sha2-nistp256@openssh.com" => ("nistp256", 65),
                "ecdsa-sha2-nistp384" => ("nistp384", 97),
                "ecdsa-sha2-nistp521" => ("nistp521", 133),
                _ => return Err(malformed()),
            };
            let point_ok = r.string().is_some_and(|c| c == curve.as_bytes())
                && r.string()
                    .is_some_and(|q| q.len() == point_len && q[0] == 0x04);
            point_ok && (!ecdsa.starts_with("sk-") || r.string().is_some())
        }
    };
    if ok && r.0.is_empty() {
        Ok(())
    } else {
        Err(malformed())
    }
}

/// Bits of a positive SSH mpint (big-endian, possibly with a leading zero byte).
fn mpint_bits(bytes: &[u8]) -> usize {
    let bytes = match bytes.iter().position(|&b| b != 0) {
        Some(i) => &bytes[i..],
        None => return 0,
    };
    bytes.len() * 8 - bytes[0].leading_zeros() as usize
}

/// Length-prefixed SSH wire strings.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn string(&mut self) -> Option<&'a [u8]> {
        let (len, rest) = self.0.split_first_chunk::<4>()?;
        let len = u32::from_be_bytes(*len) as usize;
        if rest.len() < len {
            return None;
        }
        let (s, rest) = rest.split_at(len);
        self.0 = rest;
        Some(s)
    }
}

/// Splits an `authorized_keys` line into whitespace-separated fields, keeping a double-quoted
/// stretch (where `\"` is an escaped quote) inside its field, as sshd does for options.
fn fields(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if quoted => escaped = true,
            '"' => {
                quoted = !quoted;
                start.get_or_insert(i);
            }
            c if c.is_whitespace() && !quoted => {
                if let Some(s) = start.take() {
                    out.push(&line[s..i]);
                }
            }
            _ => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(s) = start {
        out.push(&line[s..]);
    }
    out
}

/// A key found in an existing `authorized_keys` file, and whom it lets in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizedEntry {
    /// 1-based line number in the file.
    pub line: usize,
    pub blob: Vec<u8>,
    pub binding: Binding,
}

/// What a key in `authorized_keys` opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// oordeel's forced command for this user.
    Oordeel(String),
    /// Some other forced command.
    OtherCommand,
    /// No forced command: a shell as the service account, and so the database file.
    Shell,
}

/// The keys in an `authorized_keys` file. Lines that are not keys (comments, blanks, key
/// types oordeel does not know) are skipped: sshd judges those, not oordeel.
pub fn authorized_entries(text: &str) -> Vec<AuthorizedEntry> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let fields = fields(line);
            let (options, key_at) = if looks_like_type(fields.first()?) {
                (None, 0)
            } else {
                (Some(*fields.first()?), 1)
            };
            let blob = STANDARD.decode(fields.get(key_at + 1)?).ok()?;
            let binding = match options.and_then(forced_command) {
                None => Binding::Shell,
                Some(command) => match as_name(&command) {
                    Some(name) => Binding::Oordeel(name),
                    None => Binding::OtherCommand,
                },
            };
            Some(AuthorizedEntry {
                line: i + 1,
                blob,
                binding,
            })
        })
        .collect()
}

/// The value of `command="..."` in an options field, unescaped.
fn forced_command(options: &str) -> Option<String> {
    let at = options
        .match_indices("command=\"")
        .find(|(i, _)| *i == 0 || options.as_bytes()[i - 1] == b',')?
        .0;
    let mut value = String::new();
    let mut chars = options[at + "command=\"".len()..].chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('"') => value.push('"'),
                Some(other) => {
                    value.push('\\');
                    value.push(other);
                }
                None => return None,
            },
            '"' => return Some(value),
            c => value.push(c),
        }
    }
    None
}

/// `NAME` of `... review --as NAME` (also `--as=NAME`), if the command is oordeel's.
fn as_name(command: &str) -> Option<String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    if !words.contains(&"review") {
        return None;
    }
    words.iter().enumerate().find_map(|(i, w)| {
        w.strip_prefix("--as=")
            .or_else(|| (*w == "--as").then(|| words.get(i + 1).copied()).flatten())
            .map(|n| n.trim_matches('\'').to_owned())
    })
}

/// Why a path cannot go into a forced command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsafePath;

/// A path as one word of the forced command. sshd hands the command to the service
/// account's shell (`sh -c`), so a path with a space or a shell character is put in single
/// quotes; one with a quote, a backslash or a control character (a newline would end the
/// `authorized_keys` line) is refused rather than escaped.
pub fn command_word(path: &str) -> Result<String, UnsafePath> {
    if path
        .chars()
        .any(|c| matches!(c, '"' | '\'' | '\\') || c.is_control())
    {
        return Err(UnsafePath);
    }
    let plain = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@%=".contains(c));
    if plain && !path.is_empty() {
        Ok(path.to_owned())
    } else {
        Ok(format!("'{path}'"))
    }
}

/// The forced command for `name`: the words must already be safe (see `command_word`); the
/// name must pass `role::valid_user_name`.
pub fn forced_command_for(exe: &str, db: &str, lang: &str, name: &str) -> String {
    format!("{exe} --db {db} --lang {lang} review --as {name}")
}

/// The `authorized_keys` line binding `key` to `command`.
pub fn authorized_line(command: &str, key: &PublicKey, name: &str) -> String {
    format!(
        "command=\"{command}\",restrict,pty {} {} oordeel:{name}",
        key.key_type, key.base64
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // Made with ssh-keygen for these tests; the private halves were thrown away.
    const ED25519: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOs+Tnu+T5KqVq/TwQfiZjIR3HN4vN5KcBKFE5NA1vsY a@laptop";
    const ECDSA256: &str = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBAxOIwEMdD2Mdu85Alwl2LyLozgMbXRwE+8ZRINafhVQ2Lr/n5/PV/Z981VuooUEepkJtDq2ruMpY4vb1USxEaE= x";
    const ECDSA384: &str = "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBCmWCG9FDXEMDrmyLFNl1Au1VRj5+DneW2lNvz9OtXOyEXOXz+xu+d9myzvEFDr/E2M06l/V4LtZAPqQ7KY6IJaSZphTdhU67D1IHbxTNyS+OfqYYYcTmfL5vgD8Sh8+jQ== x";
    const RSA2048: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC1JkVv4gwjIN6LVlNMPr92fuhdd9aSWQgdBXGHoFhga2jO1l4O7e7fHd+PGsgsvMEAW4V/HDX6x6qSpd9556YjqcrZCVwNL/lr+Cf68K2fLM1pKWFkI3OPaequJcpPIKf0s9afMoQMTCvTzjXY97Qy5uadvcMF3k3oy0L9EsQMgucCtZp2qbE2Y/j4VcKGhc80En0eIxzS3xvG5G4zCe4Raxq7RAzGU5p045csSh2bjS2EgF7kdOt+6uYDP2b82a+fsr0ukesJp0Nh1IHF+jNh/RnZTtrUfD4F/9ua89qQ3a0BP+lr3o8W5Wo3ed0YkJyF3B7bDrGF6kF1QzhJb/Zb r";

    #[test]
    fn accepts_a_pub_file_and_fingerprints_it_like_ssh_keygen() {
        let key = PublicKey::from_file_contents(format!("{ED25519}\n").as_bytes()).unwrap();
        assert_eq!(key.key_type, "ssh-ed25519");
        assert_eq!(
            key.fingerprint(),
            "SHA256:GrJwd3et1AQJKj97Mt1ogwaHFXI/XfCRAVgvrXn3I1I"
        );
        let parse = |s: &str| PublicKey::from_file_contents(s.as_bytes()).unwrap();
        assert_eq!(
            parse(ECDSA256).fingerprint(),
            "SHA256:3h5JCH3D+8gI3Jl7zrYD1ydTssX/h2n7s4KCdXH/GQE"
        );
        assert_eq!(parse(ECDSA384).key_type, "ecdsa-sha2-nistp384");
        assert_eq!(
            parse(RSA2048).fingerprint(),
            "SHA256:lOXuYRxIFD0p9D2ZZ8R8zTsdA1e06Bab5roMfbLEPyQ"
        );
    }

    #[test]
    fn refuses_what_is_not_one_clean_key() {
        let err = |s: &str| PublicKey::from_file_contents(s.as_bytes()).unwrap_err();
        assert_eq!(err(""), KeyError::Empty);
        assert_eq!(err("\n  \n# just a comment\n"), KeyError::Empty);
        assert_eq!(
            err("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n"),
            KeyError::PrivateKey
        );
        assert_eq!(
            err(&format!("{ED25519}\n{ECDSA256}\n")),
            KeyError::SeveralKeys(2)
        );
        assert_eq!(
            err(&format!("from=\"10.0.0.1\" {ED25519}")),
            KeyError::HasOptions("from=\"10.0.0.1\"".into())
        );
        assert_eq!(err("hello world"), KeyError::NotAKey);
        assert_eq!(
            err("ssh-dss AAAAB3NzaC1kc3M="),
            KeyError::UnknownType("ssh-dss".into())
        );
        assert_eq!(err("ssh-ed25519"), KeyError::NoBody);
        assert_eq!(err("ssh-ed25519 AAAA!!notbase64"), KeyError::BadBase64);
        // An ECDSA body under an Ed25519 label.
        let body = ECDSA256.split_whitespace().nth(1).unwrap();
        assert_eq!(
            err(&format!("ssh-ed25519 {body}")),
            KeyError::TypeMismatch {
                declared: "ssh-ed25519".into(),
                embedded: "ecdsa-sha2-nistp256".into()
            }
        );
        // A body cut short.
        let body = ED25519.split_whitespace().nth(1).unwrap();
        let short = STANDARD.encode(&STANDARD.decode(body).unwrap()[..40]);
        assert_eq!(
            err(&format!("ssh-ed25519 {short}")),
            KeyError::Malformed("ssh-ed25519".into())
        );
    }

    /// `TYPE BASE64` of a blob made of these wire strings.
    fn line(key_type: &str, parts: &[&[u8]]) -> String {
        let mut blob = Vec::new();
        for part in [key_type.as_bytes()].iter().chain(parts) {
            blob.extend_from_slice(&(part.len() as u32).to_be_bytes());
            blob.extend_from_slice(part);
        }
        format!("{key_type} {}", STANDARD.encode(&blob))
    }

    #[test]
    fn short_rsa_keys_are_refused() {
        let parse = |s: String| PublicKey::from_file_contents(s.as_bytes());
        assert_eq!(
            parse(line("ssh-rsa", &[&[1, 0, 1], &[0x80; 128]])).unwrap_err(),
            KeyError::WeakRsa(1024)
        );
        // A leading zero byte (a positive mpint) does not count.
        let mut modulus = vec![0];
        modulus.extend_from_slice(&[0x80; 256]);
        assert!(parse(line("ssh-rsa", &[&[1, 0, 1], &modulus])).is_ok());
    }

    #[test]
    fn security_key_types_carry_their_application() {
        let parse = |s: String| PublicKey::from_file_contents(s.as_bytes());
        let ed = "sk-ssh-ed25519@openssh.com";
        assert!(parse(line(ed, &[&[7; 32], b"ssh:"])).is_ok());
        assert_eq!(
            parse(line(ed, &[&[7; 32]])).unwrap_err(),
            KeyError::Malformed(ed.into())
        );
        let ec = "sk-ecdsa-sha2-nistp256@openssh.com";
        let mut point = vec![4];
        point.extend_from_slice(&[9; 64]);
        assert!(parse(line(ec, &[b"nistp256", &point, b"ssh:"])).is_ok());
        assert_eq!(
            parse(line(ec, &[b"nistp384", &point, b"ssh:"])).unwrap_err(),
            KeyError::Malformed(ec.into())
        );
    }

    #[test]
    fn paths_become_one_shell_word_or_are_refused() {
        assert_eq!(
            command_word("/srv/oordeel/db.db").unwrap(),
            "/srv/oordeel/db.db"
        );
        assert_eq!(
            command_word("/srv/my db/x.db").unwrap(),
            "'/srv/my db/x.db'"
        );
        assert_eq!(command_word("/srv/$(reboot)").unwrap(), "'/srv/$(reboot)'");
        for bad in ["/a\"b", "/a\\b", "/a\nb", "/a'b"] {
            assert_eq!(command_word(bad), Err(UnsafePath), "{bad:?}");
        }
    }

    #[test]
    fn existing_lines_are_recognised_with_whom_they_let_in() {
        let key = PublicKey::from_file_contents(ED25519.as_bytes()).unwrap();
        let command = forced_command_for("/usr/bin/oordeel", "'/srv/a b.db'", "nl", "anna");
        let ours = authorized_line(&command, &key, "anna");
        assert_eq!(
            ours,
            "command=\"/usr/bin/oordeel --db '/srv/a b.db' --lang nl review --as anna\",restrict,pty \
             ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOs+Tnu+T5KqVq/TwQfiZjIR3HN4vN5KcBKFE5NA1vsY oordeel:anna"
        );
        let file = format!(
            "# admins\n{ED25519}\n\n{ours}\ncommand=\"backup \\\"x\\\"\",no-pty {ECDSA256}\nnot a key\n"
        );
        let entries = authorized_entries(&file);
        let bindings: Vec<(usize, Binding)> = entries
            .iter()
            .map(|e| (e.line, e.binding.clone()))
            .collect();
        assert_eq!(
            bindings,
            [
                (2, Binding::Shell),
                (4, Binding::Oordeel("anna".into())),
                (5, Binding::OtherCommand)
            ]
        );
        assert_eq!(entries[1].blob, key.blob);
    }
}
