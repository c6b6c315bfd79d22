//! The checkpoint signing key: an Ed25519 key in the signed-note form
//! (`PRIVATE+KEY+<name>+<id>+<base64>`), in a file only its owner can read, with its public
//! half (`<name>+<id>+<base64>`) beside it for anyone to have.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use signed_note::StandardSigner;

use super::Fault;

/// A loaded signing key.
pub struct SigningKey {
    pub(super) signer: StandardSigner,
    pub name: String,
    /// The public key in the signed-note form, as `--key` takes it.
    pub verifier_key: String,
    pub path: PathBuf,
}

/// The public key's file beside the private one.
pub fn public_file(key_file: &Path) -> PathBuf {
    key_file.with_extension("pub")
}

/// Makes a new key named `name` at `path` (owner-only, in an owner-only directory) and its
/// public file; refuses to replace a key that exists, whose checkpoints would then no longer
/// be checkable with the key the auditor holds.
pub fn make(path: &Path, name: &str) -> Result<SigningKey, Fault> {
    if !signed_note::is_key_name_valid(name) {
        return Err(Fault::BadKeyName(name.to_owned()));
    }
    if path.exists() {
        return Err(Fault::KeyExists(path.to_owned()));
    }
    let io = |e: std::io::Error| Fault::io(path, e);
    crate::checkpoints::private_parent(path)?;
    // A settings directory made by hand (`mkdir -p`) is usually 0755: the key's is made
    // owner-only, whoever made it.
    if let Some(dir) = path.parent() {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| Fault::io(dir, e))?;
    }
    let (skey, vkey) = signed_note::generate_key(&mut rand::rngs::OsRng, name);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(io)?;
    file.write_all(format!("{skey}\n").as_bytes())
        .and_then(|_| file.sync_all())
        .map_err(io)?;
    let public = public_file(path);
    crate::checkpoints::write_new(&public, format!("{vkey}\n").as_bytes(), 0o644)?;
    load(path)?.ok_or_else(|| Fault::io(path, std::io::ErrorKind::NotFound.into()))
}

/// The key at `path`; `None` when there is none. A key others can read is refused, as ssh
/// refuses such a private key: whoever can read it can sign checkpoints.
pub fn load(path: &Path) -> Result<Option<SigningKey>, Fault> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Fault::io(path, e)),
    };
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(Fault::KeyReadableByOthers {
            path: path.to_owned(),
            mode,
        });
    }
    let text = std::fs::read_to_string(path).map_err(|e| Fault::io(path, e))?;
    let skey = text.trim();
    let bad = || Fault::BadKeyFile(path.to_owned());
    let signer = StandardSigner::new(skey).map_err(|_| bad())?;
    // PRIVATE+KEY+<name>+<id>+<base64(0x01 || seed)>: the public half from the seed.
    let mut parts = skey.splitn(5, '+');
    let name = parts.nth(2).ok_or_else(bad)?.to_owned();
    let seed = parts
        .nth(1)
        .and_then(|b| BASE64.decode(b).ok())
        .filter(|b| b.len() == 33 && b[0] == 1)
        .ok_or_else(bad)?;
    let seed: [u8; 32] = seed[1..].try_into().map_err(|_| bad())?;
    let public = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
    let verifier_key = signed_note::new_ed25519_verifier_key(&name, &public);
    Ok(Some(SigningKey {
        signer,
        name,
        verifier_key,
        path: path.to_owned(),
    }))
}

/// The name a new key gets when none is given: `oordeel.<host name>`.
pub fn default_name() -> String {
    let host = nix::unistd::gethostname()
        .ok()
        .and_then(|h| h.into_string().ok())
        .filter(|h| signed_note::is_key_name_valid(h))
        .unwrap_or_else(|| "localhost".to_owned());
    format!("oordeel.{host}")
}
