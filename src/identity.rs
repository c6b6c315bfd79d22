//! Who is acting: the operating-system user of the real uid (not `$USER`, which anyone can set).

use nix::unistd::{Uid, User};

/// The login name of the real user of this process, or `uid:N` when it has no passwd entry.
pub fn os_user() -> String {
    let uid = Uid::current();
    match User::from_uid(uid) {
        Ok(Some(user)) => user.name,
        _ => format!("uid:{uid}"),
    }
}
