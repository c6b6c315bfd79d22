//! `oordeel ssh authorize NAME --key FILE [--write]`: binds a user's SSH key to their name
//! with a forced command in the service account's `authorized_keys` (docs/administration.md, "Serving a team over SSH").
//!
//! Who may: an admin of the database, running as the account that owns the database file.
//! The forced command runs as that account and `--as` is honoured only for it, so a line
//! made by anyone else would let nobody in. The owner of a new database is its first admin
//! (see `Store::bootstrap_users`), so the service account can authorize keys from the start;
//! if an admin later takes that role away, the service account can still act for an admin
//! with `--as ADMIN`, being the owner, and the event names that admin.
//!
//! The language of the console is written into the forced command (`--lang`): sshd passes
//! the client's `LANG` only where `AcceptEnv` allows it and the client sends it (PuTTY and
//! Windows' ssh send none), so without it the console's language would depend on each
//! reviewer's laptop. It is the language of this run: `--lang`, else `LANG`.

use crate::store::Refusal;
use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use color_eyre::eyre::{Result, bail, eyre};
use nix::fcntl::{Flock, FlockArg};
use serde_json::json;

use super::Context;
use crate::cli::{SshAuthorizeArgs, SshCommand};
use crate::domain::event::EventKind;
use crate::domain::role::valid_user_name;
use crate::domain::ssh_key::{
    Binding, PublicKey, authorized_entries, authorized_line, command_word, forced_command_for,
};
use crate::i18n::{Lang, tf};
use crate::store::{StoreError, require_role};

pub fn run(ctx: &Context, cmd: &SshCommand) -> Result<ExitCode> {
    match cmd {
        SshCommand::Authorize(args) => authorize(ctx, args),
    }
}

fn authorize(ctx: &Context, args: &SshAuthorizeArgs) -> Result<ExitCode> {
    // The owner first: anyone else (root included) would make a line that cannot work, and
    // is told whom to run it as rather than that they are not a user.
    if let Ok(meta) = std::fs::metadata(&ctx.db)
        && meta.uid() != ctx.uid
    {
        bail!(tf(
            "ssh.not_owner",
            &[
                ("path", &ctx.db.display()),
                ("owner", &crate::identity::user_name(meta.uid())),
                ("me", &ctx.user),
            ]
        ));
    }
    let (mut store, actor) = ctx.open()?;
    require_role(
        &actor,
        actor.role.administers(),
        "error.action.authorize_keys",
    )?;

    let name = args.name.as_str();
    if !valid_user_name(name) {
        return Err(StoreError::Refused(Refusal::InvalidUserName(name.to_owned())).into());
    }
    match store.user(name)? {
        Some(user) if user.active => {}
        found => {
            let key = if found.is_some() {
                "ssh.user_disabled"
            } else {
                "ssh.unknown_user"
            };
            let admins = store.admins()?.join(", ");
            bail!(tf(key, &[("name", &name), ("admins", &admins)]));
        }
    }

    let key = read_key(&args.key)?;
    let db = std::fs::canonicalize(&ctx.db).map_err(|e| io(&ctx.db, e))?;
    let exe = std::env::current_exe()
        .and_then(std::fs::canonicalize)
        .map_err(|e| eyre!(tf("ssh.no_exe", &[("cause", &e)])))?;
    let lang = match ctx.lang {
        Lang::Nl => "nl",
        Lang::En => "en",
    };
    let command = forced_command_for(&word(&exe)?, &word(&db)?, lang, name);
    let line = authorized_line(&command, &key, name);

    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| eyre!(tf("ssh.no_home", &[])))?;
    let file = home.join(".ssh").join("authorized_keys");

    if args.write {
        warn_if_sshd_looks_elsewhere(ctx, &home);
        append_line(&file, &line, &key, name)?;
    } else if let Ok(existing) = std::fs::read_to_string(&file) {
        // Printing a line that would give one key two names is refused as well.
        check_existing(&existing, &file, &key, name)?;
    }

    let payload = json!({
        "name": name,
        "key_type": key.key_type,
        "fingerprint": key.fingerprint(),
        "written": args.write,
        "file": args.write.then(|| file.display().to_string()),
    });
    store
        .record_event(&actor, EventKind::SshKeyAuthorized, None, &payload)
        .map_err(|e| {
            if args.write {
                eyre!(tf(
                    "ssh.not_logged",
                    &[("path", &file.display()), ("cause", &e)]
                ))
            } else {
                e.into()
            }
        })?;

    if args.write {
        super::say(&tf(
            "ssh.written",
            &[
                ("name", &name),
                ("fingerprint", &key.fingerprint()),
                ("path", &file.display()),
                ("account", &ctx.user),
            ],
        ));
    } else {
        // As is, never wrapped: it is one line for authorized_keys.
        let _ = writeln!(std::io::stdout(), "{line}");
    }
    Ok(ExitCode::SUCCESS)
}

fn read_key(path: &Path) -> Result<PublicKey> {
    let mut bytes = Vec::new();
    // `-`: standard input, for a key file the service account may not read itself
    // (`sudo -u oordeel oordeel ssh authorize anna --key - < anna.pub`).
    let read = if path == Path::new("-") {
        std::io::stdin().take(64 * 1024).read_to_end(&mut bytes)
    } else {
        File::open(path).and_then(|f| f.take(64 * 1024).read_to_end(&mut bytes))
    };
    read.map_err(|e| {
        eyre!(tf(
            "ssh.key_unreadable",
            &[("path", &path.display()), ("cause", &e)]
        ))
    })?;
    PublicKey::from_file_contents(&bytes).map_err(|problem| {
        eyre!(tf(
            "ssh.key_refused",
            &[("path", &path.display()), ("problem", &problem)]
        ))
    })
}

/// A path as one word of the forced command, or a refusal naming it.
fn word(path: &Path) -> Result<String> {
    path.to_str()
        .and_then(|p| command_word(p).ok())
        .ok_or_else(|| eyre!(tf("ssh.unsafe_path", &[("path", &path.display())])))
}

/// One key, one identity: refuses a key that is already in the file, for this name or for
/// any other use.
fn check_existing(text: &str, file: &Path, key: &PublicKey, name: &str) -> Result<()> {
    let Some(entry) = authorized_entries(text)
        .into_iter()
        .find(|e| e.blob == key.blob)
    else {
        return Ok(());
    };
    let place = [
        ("name", &name as &dyn std::fmt::Display),
        ("line", &entry.line),
        ("path", &file.display()),
    ];
    Err(match entry.binding {
        Binding::Oordeel(holder) if holder == name => eyre!(tf("ssh.duplicate", &place)),
        Binding::Oordeel(holder) => eyre!(tf(
            "ssh.other_name",
            &[place[0], place[1], place[2], ("holder", &holder)]
        )),
        Binding::OtherCommand => eyre!(tf("ssh.other_command", &place)),
        Binding::Shell => eyre!(tf("ssh.shell_key", &place)),
    })
}

/// Appends the line to `authorized_keys`, creating `~/.ssh` (0700) and the file (0600).
///
/// The whole line, with its newline, goes out in one `write(2)` on a file opened with
/// `O_APPEND`: the kernel puts it at the end of the file in one piece, so sshd, which reads
/// the file afresh at each login, sees the file either without the line or with all of it.
/// An exclusive `flock` keeps two `authorize` runs from both passing the duplicate check.
fn append_line(file: &Path, line: &str, key: &PublicKey, name: &str) -> Result<()> {
    let dir = file.parent().expect("authorized_keys has a directory");
    if !dir.exists() {
        DirBuilder::new()
            .mode(0o700)
            .create(dir)
            .map_err(|e| io(dir, e))?;
    }
    check_private(dir)?;
    let handle = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(0o600)
        .open(file)
        .map_err(|e| io(file, e))?;
    check_private(file)?;
    let mut locked =
        Flock::lock(handle, FlockArg::LockExclusive).map_err(|(_, e)| io(file, e.into()))?;
    let mut existing = String::new();
    locked
        .read_to_string(&mut existing)
        .map_err(|e| io(file, e))?;
    check_existing(&existing, file, key, name)?;
    let mut out = String::with_capacity(line.len() + 2);
    // A last line without its newline would run into ours and spoil both.
    if !existing.is_empty() && !existing.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(line);
    out.push('\n');
    let written = locked.write(out.as_bytes()).map_err(|e| io(file, e))?;
    if written != out.len() {
        bail!(tf(
            "ssh.short_write",
            &[("path", &file.display()), ("written", &written)]
        ));
    }
    locked.sync_all().map_err(|e| io(file, e))?;
    Ok(())
}

/// sshd ignores an `authorized_keys` (or `.ssh`) that another user owns or that others may
/// write to (`StrictModes`): better to say so now than to have every login fail.
fn check_private(path: &Path) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| io(path, e))?;
    if meta.uid() != crate::identity::uid() || meta.mode() & 0o022 != 0 {
        bail!(tf(
            "ssh.not_private",
            &[
                ("path", &path.display()),
                ("owner", &crate::identity::user_name(meta.uid())),
                ("mode", &format!("{:o}", meta.mode() & 0o7777)),
            ]
        ));
    }
    Ok(())
}

/// sshd reads `authorized_keys` in the home directory of the passwd entry, not in `$HOME`.
fn warn_if_sshd_looks_elsewhere(ctx: &Context, home: &Path) {
    let passwd_home = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(ctx.uid))
        .ok()
        .flatten()
        .map(|u| u.dir);
    if let Some(passwd_home) = passwd_home
        && passwd_home != home
    {
        super::warn(&tf(
            "ssh.home_differs",
            &[
                ("home", &home.display()),
                ("account", &ctx.user),
                ("passwd_home", &passwd_home.display()),
            ],
        ));
    }
}

fn io(path: &Path, e: std::io::Error) -> color_eyre::Report {
    eyre!("{}: {e}", path.display())
}
