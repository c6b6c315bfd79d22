//! The checkpoint file on disk: where a database's is, taking it for appending under a lock,
//! reading its last checkpoint, and the owner-only directories and files.

use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::domain::checkpoint::{Checkpoint, TrustedKeys};

use super::Fault;

/// The database's path from the root, the same whether it was named relative or through a
/// symbolic link, and whether the file exists yet (its directory is resolved, then its name
/// added): before and after a new database is made at it, it names the same checkpoint file.
pub(super) fn full_path(db: &Path) -> PathBuf {
    let absolute = std::path::absolute(db).unwrap_or_else(|_| db.to_owned());
    match (absolute.parent(), absolute.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .unwrap_or_else(|_| dir.to_owned())
            .join(name),
        _ => absolute,
    }
}

/// The checkpoint file, created owner-only with its directory, open for appending and held
/// with an exclusive lock until the returned file is dropped: processes signing at once take
/// turns, so the counts in the file never go down.
pub(super) fn open_locked(path: &Path) -> Result<nix::fcntl::Flock<std::fs::File>, Fault> {
    private_parent(path)?;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Fault::io(path, e))?;
    nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, errno)| Fault::io(path, std::io::Error::from(errno)))
}

/// The newest checkpoint at the end of the file that this key signed (read from the file's
/// last few kilobytes: a file of years is not read whole for every command).
pub(super) fn last_checkpoint(
    file: &std::fs::File,
    path: &Path,
    verifier_key: &str,
) -> Result<Option<Checkpoint>, Fault> {
    const TAIL: u64 = 16 * 1024;
    let mut file = file;
    let len = file.metadata().map_err(|e| Fault::io(path, e))?.len();
    let from = len.saturating_sub(TAIL);
    let mut bytes = Vec::new();
    file.seek(SeekFrom::Start(from))
        .and_then(|_| file.read_to_end(&mut bytes))
        .map_err(|e| Fault::io(path, e))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut notes = crate::domain::checkpoint::split_file(&text);
    if from > 0 && !notes.is_empty() {
        // The first may be cut off by where the tail began.
        notes.remove(0);
    }
    let keys = TrustedKeys::new(&[verifier_key.to_owned()]).map_err(|problem| Fault::BadFile {
        path: path.to_owned(),
        problem,
    })?;
    Ok(notes.iter().rev().find_map(|n| keys.open(&n.text).ok()))
}

/// Makes the directory `path` goes in, owner-only, if it is not there.
pub(crate) fn private_parent(path: &Path) -> Result<(), Fault> {
    use std::os::unix::fs::DirBuilderExt;
    match path.parent() {
        Some(dir) => std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| Fault::io(dir, e)),
        None => Ok(()),
    }
}

/// Writes a new file with `bytes` and `mode`, refusing to replace one.
pub(crate) fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), Fault> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(|e| Fault::io(path, e))?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| Fault::io(path, e))
}
