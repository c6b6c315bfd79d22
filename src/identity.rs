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

/// The login name of `uid`, or `uid:N` when it has no passwd entry.
pub fn user_name(uid: u32) -> String {
    match User::from_uid(Uid::from_raw(uid)) {
        Ok(Some(user)) => user.name,
        _ => format!("uid:{uid}"),
    }
}

/// The real uid of this process.
pub fn uid() -> u32 {
    Uid::current().as_raw()
}
