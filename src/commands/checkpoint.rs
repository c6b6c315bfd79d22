//! `oordeel checkpoint key|sign|status|restored`, and the signing every other command does
//! after it wrote ([`sign_after_command`]) and a review session does as it goes
//! ([`Watcher`]).

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use color_eyre::eyre::{Result, eyre};

use super::Context;
use crate::checkpoints::check::{NotARestore, check, restoration};
use crate::checkpoints::{Fault, Setup, Signer, Signing, key};
use crate::cli::CheckpointCommand;
use crate::domain::checkpoint::{TrustedKeys, split_file};
use crate::i18n::{t, tf};
use crate::messages::checkpoint as words;
use crate::store::Store;

pub fn run(ctx: &Context, cmd: &CheckpointCommand) -> Result<ExitCode> {
    match cmd {
        CheckpointCommand::Key(args) => make_key(ctx, args.name.as_deref()),
        CheckpointCommand::Sign => sign_now(ctx),
        CheckpointCommand::Status => status(ctx),
        CheckpointCommand::Restored(args) => restored(ctx, &args.reason),
    }
}

pub(super) fn setup(ctx: &Context) -> Result<Setup> {
    Ok(Setup::from_settings(&ctx.checkpoints)?)
}

fn make_key(ctx: &Context, name: Option<&str>) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    // Refused before a key is made: a reviewer cannot make one, even for their own account.
    Store::may_manage_checkpoints(&actor)?;
    let setup = setup(ctx)?;
    let (key, made) = match key::load(&setup.key_file)? {
        Some(k) => {
            if let Some(asked) = name.filter(|n| *n != k.name) {
                super::warn(&tf(
                    "cli.checkpoint.name_ignored",
                    &[("asked", &asked), ("name", &k.name)],
                ));
            }
            (k, false)
        }
        None => {
            let name = name.map(str::to_owned).unwrap_or_else(key::default_name);
            (key::make(&setup.key_file, &name)?, true)
        }
    };
    if store.checkpoint_key()?.as_deref() != Some(key.verifier_key.as_str()) {
        store.record_checkpoint_key(&actor, &key.verifier_key)?;
    }
    super::say(&tf(
        if made {
            "cli.checkpoint.key_made"
        } else {
            "cli.checkpoint.key_kept"
        },
        &[
            ("path", &key.path.display()),
            ("public", &key::public_file(&key.path).display()),
            ("key", &key.verifier_key),
        ],
    ));
    // The key's own event is the first one it signs over.
    let signer = Signer {
        key,
        setup,
        durable: true,
    };
    report_signing(
        &signer,
        signer.sign_if_new(&store, &ctx.db, 1, chrono::Utc::now(), false)?,
    );
    Ok(ExitCode::SUCCESS)
}

fn sign_now(ctx: &Context) -> Result<ExitCode> {
    let (store, actor) = ctx.open()?;
    Store::may_manage_checkpoints(&actor)?;
    let signer = require_signer(ctx)?;
    let signing = signer.sign_if_new(&store, &ctx.db, 1, chrono::Utc::now(), false)?;
    let refused = matches!(signing, Signing::Refused(_));
    match &signing {
        Signing::UpToDate => super::say(t("checkpoint.up_to_date")),
        Signing::EmptyLog => super::say(t("checkpoint.empty_log")),
        _ => {}
    }
    report_signing(&signer, signing);
    Ok(if refused {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn require_signer(ctx: &Context) -> Result<Signer> {
    let setup = setup(ctx)?;
    let path = setup.key_file.clone();
    Signer::load(setup)?.ok_or_else(|| eyre!(Fault::NoKey(path)))
}

fn status(ctx: &Context) -> Result<ExitCode> {
    let (store, _) = ctx.open()?;
    let setup = setup(ctx)?;
    let file = setup.file_for(&ctx.db);
    // A key oordeel cannot use is a state to show, not a reason to show nothing; with the
    // private key gone its public half still reads the file.
    let public = std::fs::read_to_string(key::public_file(&setup.key_file))
        .ok()
        .map(|k| k.trim().to_owned());
    let (signer, key, unusable) = match Signer::load(setup.clone()) {
        Ok(Some(s)) => {
            let key = s.key.verifier_key.clone();
            (Some(s), key, None)
        }
        Ok(None) => (
            None,
            match &public {
                Some(k) => tf("cli.checkpoint.key_missing_pub", &[("key", k)]),
                None => tf(
                    "cli.checkpoint.no_key",
                    &[("path", &setup.key_file.display())],
                ),
            },
            None,
        ),
        Err(e) => (
            None,
            public.clone().unwrap_or_default(),
            Some(e.to_string()),
        ),
    };
    let recorded = store
        .checkpoint_key()?
        .unwrap_or_else(|| t("cli.checkpoint.none_recorded").to_owned());
    let notes = std::fs::read_to_string(&file)
        .map(|text| split_file(&text))
        .unwrap_or_default();
    let reader = signer
        .as_ref()
        .map(|s| s.key.verifier_key.clone())
        .or(public);
    let newest = match (reader, notes.last()) {
        (Some(k), Some(n)) => match TrustedKeys::new(&[k]).and_then(|keys| keys.open(&n.text)) {
            Ok(c) => tf(
                "cli.checkpoint.newest",
                &[
                    ("events", &c.events),
                    ("time", &c.time.format("%Y-%m-%d %H:%M:%S UTC")),
                ],
            ),
            Err(e) => e.to_string(),
        },
        _ => t("cli.checkpoint.no_checkpoint").to_owned(),
    };
    // Whether the next command would sign, asked without signing or taking the lock.
    let signing = match (&signer, unusable) {
        (_, Some(why)) => why,
        (None, None) => t("cli.checkpoint.signing_off").to_owned(),
        (Some(s), None) => match s.would_refuse(&store, &ctx.db) {
            Ok(Some(d)) => words::divergence(&d),
            Ok(None) => t("cli.checkpoint.signing_on").to_owned(),
            Err(e) => e.to_string(),
        },
    };
    let events = store.log_head()?.map_or(0, |h| h.events);
    super::say(&tf(
        "cli.checkpoint.status",
        &[
            ("key_file", &setup.key_file.display()),
            ("key", &key),
            ("recorded", &recorded),
            ("file", &file.display()),
            ("count", &notes.len()),
            ("newest", &newest),
            ("events", &events),
            ("every", &setup.every),
            (
                "command",
                &setup
                    .command
                    .as_ref()
                    .map(|c| c.join(" "))
                    .unwrap_or_else(|| t("cli.checkpoint.no_command").to_owned()),
            ),
            ("signing", &signing),
        ],
    ));
    Ok(ExitCode::SUCCESS)
}

/// After a restore: the checkpoints the restored log does not reproduce are named as lost in
/// one `log_restored` event, and a checkpoint signed over it, so `verify --checkpoints`
/// shows the loss from then on instead of failing on it.
fn restored(ctx: &Context, reason: &str) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    Store::may_manage_checkpoints(&actor)?;
    let signer = require_signer(ctx)?;
    let chain = store.verify_chain()?;
    if chain.first_bad.is_some() || chain.state.is_some() {
        return Err(eyre!(tf(
            "cli.checkpoint.restored_broken",
            &[("path", &ctx.db.display())]
        )));
    }
    let file = signer.setup.file_for(&ctx.db);
    let text = std::fs::read_to_string(&file).map_err(|e| Fault::io(&file, e))?;
    let keys = TrustedKeys::new(std::slice::from_ref(&signer.key.verifier_key))?;
    let report = check(&store, &split_file(&text), &keys, true)?;
    let restoration = match restoration(&store, &report, reason)? {
        Ok(r) => r,
        Err(NotARestore::NothingLost) => {
            super::say(t("cli.checkpoint.nothing_lost"));
            return Ok(ExitCode::SUCCESS);
        }
        Err(not) => return Err(eyre!(words::not_a_restore(&not, &file))),
    };
    // Nothing is recorded that could not then be signed over.
    signer
        .can_append(&ctx.db)
        .map_err(|e| eyre!(tf("cli.checkpoint.cannot_sign", &[("problem", &e)])))?;
    // A retry after a failed signing says it once: the statement is already the log's last.
    let already = store.restorations()?.last().is_some_and(|(seq, r)| {
        r.lost == restoration.lost
            && Some(*seq) == store.log_head().ok().flatten().map(|h| h.events)
    });
    if !already {
        store.record_restoration(&actor, &restoration)?;
    }
    let lost = &restoration.lost;
    super::say(&tf(
        "cli.checkpoint.restored",
        &[
            ("count", &lost.len()),
            ("highest", &lost.iter().map(|c| c.events).max().unwrap_or(0)),
            (
                "agrees",
                &restoration.agrees_with.as_ref().map_or_else(
                    || t("cli.checkpoint.agrees_none").to_owned(),
                    |a| tf("cli.checkpoint.agrees_at", &[("events", &a.events)]),
                ),
            ),
        ],
    ));
    report_signing(
        &signer,
        signer.sign_if_new(&store, &ctx.db, 1, chrono::Utc::now(), true)?,
    );
    Ok(ExitCode::SUCCESS)
}

/// Says what signing did and hands a new checkpoint on; a failed hand-off is said, and the
/// checkpoint stays in the file.
fn report_signing(signer: &Signer, signing: Signing) {
    if let Some(text) = words::signing(&signing) {
        match &signing {
            Signing::Refused(_) => super::warn(&text),
            _ => super::say(&text),
        }
    }
    if let Signing::Signed { note, .. } = &signing
        && let Err(e) = signer.hand_off(note)
    {
        super::warn(&tf("checkpoint.hand_off_failed", &[("problem", &e)]));
    }
}

/// Before a new database is made at `ctx.db`: the checkpoints of an earlier one at that path
/// are moved aside (and said where), so the new log's are not refused as another log's.
pub fn set_aside_for_new_database(ctx: &Context) -> Result<()> {
    if let Some(aside) = crate::checkpoints::set_aside_for_new_database(&setup(ctx)?, &ctx.db)? {
        super::warn(&tf(
            "cli.checkpoint.set_aside",
            &[("path", &aside.display())],
        ));
    }
    Ok(())
}

/// After any command but `verify` and `checkpoint`: a checkpoint of what it wrote, when this
/// account has a key. Quiet when it signs; a refusal or a failure is said on stderr, and
/// never changes the command's own exit status.
pub fn sign_after_command(ctx: &Context) {
    let Some(signer) = load_quietly(ctx) else {
        return;
    };
    let Ok(store) = Store::open(&ctx.db) else {
        return;
    };
    match signer.sign_if_new(&store, &ctx.db, 1, chrono::Utc::now(), false) {
        Ok(Signing::Signed { note, .. }) => {
            if let Err(e) = signer.hand_off(&note) {
                super::warn(&tf("checkpoint.hand_off_failed", &[("problem", &e)]));
            }
        }
        Ok(Signing::Refused(d)) => super::warn(&words::divergence(&d)),
        Ok(_) => {}
        Err(e) => super::warn(&tf("checkpoint.not_signed", &[("problem", &e)])),
    }
}

/// This account's signer, if it has a key. Whatever stops signing is said (as "no checkpoint
/// signed", which is what to watch for): a settings or key problem, and a key that is gone
/// while this database's checkpoints show it had one.
fn load_quietly(ctx: &Context) -> Option<Signer> {
    if !ctx.db.exists() {
        return None;
    }
    let setup = match setup(ctx) {
        Ok(s) => s,
        Err(e) => {
            super::warn(&tf("checkpoint.not_signed", &[("problem", &e)]));
            return None;
        }
    };
    let file = setup.file_for(&ctx.db);
    let key_file = setup.key_file.clone();
    match Signer::load(setup) {
        Ok(Some(signer)) => Some(signer),
        Ok(None) => {
            if file.exists() {
                super::warn(&tf(
                    "checkpoint.key_gone",
                    &[("key", &key_file.display()), ("file", &file.display())],
                ));
            }
            None
        }
        Err(e) => {
            super::warn(&tf("checkpoint.not_signed", &[("problem", &e)]));
            None
        }
    }
}

/// A new database made while this account has a key: the key goes into its log (by its
/// first admin), so its model card and register entry name it from the start.
pub fn record_key_in_new_database(
    ctx: &Context,
    store: &mut Store,
    admin: &crate::store::Actor,
) -> Result<()> {
    if let Some(signer) = Signer::load(setup(ctx)?)? {
        store.record_checkpoint_key(admin, &signer.key.verifier_key)?;
    }
    Ok(())
}

/// Signs every `every` events while a console is open, on its own connection and thread, so
/// a long session is covered as it goes and the reviewer never waits for it. What it has to
/// say waits until the console has given the terminal back.
pub struct Watcher {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<Vec<String>>,
}

impl Watcher {
    pub fn start(ctx: &Context) -> Option<Watcher> {
        let mut signer = load_quietly(ctx)?;
        signer.durable = false;
        let db = ctx.db.clone();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || watch(&signer, &db, &stopped));
        Some(Watcher { stop, thread })
    }

    /// Stops the thread; returns what it had to say.
    pub fn finish(self) -> Vec<String> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().unwrap_or_default()
    }
}

fn watch(signer: &Signer, db: &Path, stop: &AtomicBool) -> Vec<String> {
    const TICK: Duration = Duration::from_millis(200);
    const CHECK_EVERY: u32 = 10;
    let mut said = Vec::new();
    let Ok(store) = Store::open(db) else {
        return said;
    };
    let every = i64::try_from(signer.setup.every).unwrap_or(i64::MAX);
    let mut ticks = 0;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(TICK);
        ticks += 1;
        if ticks % CHECK_EVERY != 0 {
            continue;
        }
        match signer.sign_if_new(&store, db, every, chrono::Utc::now(), false) {
            Ok(Signing::Signed { note, .. }) => {
                if let Err(e) = signer.hand_off(&note) {
                    said.push(tf("checkpoint.hand_off_failed", &[("problem", &e)]));
                }
            }
            Ok(Signing::Refused(d)) => {
                said.push(words::divergence(&d));
                break;
            }
            Ok(_) => {}
            Err(e) => {
                said.push(format!("oordeel: {e}"));
                break;
            }
        }
    }
    said
}
