//! `oordeel init --municipality NAME`: a new, empty database for a municipality's own data.

use std::process::ExitCode;

use color_eyre::eyre::{Result, bail};

use super::Context;
use crate::cli::InitArgs;
use crate::i18n::tf;
use crate::store::{Identity, Store};

pub fn run(ctx: &Context, args: &InitArgs) -> Result<ExitCode> {
    // Even an empty file: it may be what a failed copy left, and its owner should look first.
    if ctx.db.exists() {
        bail!(tf("cli.init.exists", &[("path", &ctx.db.display())]));
    }
    let municipality = args.municipality.trim();
    // Made here, with the schema, the shipped rules and the file's owner as first admin
    // (`Store::upgrade`), each logged; then the municipality's name, logged as a setting.
    super::checkpoint::set_aside_for_new_database(ctx)?;
    let mut store = Store::create(&ctx.db)?;
    let admin = store.identify(&Identity {
        os_user: &ctx.user,
        uid: ctx.uid,
        as_name: None,
    })?;
    let named = store.set_setting(&admin, "municipality", municipality);
    if let Err(e) = named {
        // A name the store refuses leaves no half-made database behind.
        drop(store);
        crate::store::remove_database(&ctx.db)?;
        return Err(e.into());
    }
    store.set_setting(&admin, "caseload_title", "Vroegsignalering")?;
    super::checkpoint::record_key_in_new_database(ctx, &mut store, &admin)?;
    // Absolute, for the settings file the message suggests.
    let path = std::fs::canonicalize(&ctx.db).unwrap_or_else(|_| ctx.db.clone());
    let mut done = tf(
        "cli.init.done",
        &[
            ("path", &path.display()),
            ("municipality", &municipality),
            ("admin", &admin.name),
        ],
    );
    // Said only to whoever has not pointed oordeel here yet.
    let pointed = match std::env::var_os("OORDEEL_DB") {
        Some(env) => std::path::Path::new(&env) == ctx.db,
        None => crate::paths::configured_database()
            .ok()
            .flatten()
            .is_some_and(|p| p == ctx.db),
    };
    if !pointed {
        done.push(' ');
        done.push_str(&tf("cli.init.point", &[("path", &path.display())]));
    }
    super::say(&done);
    Ok(ExitCode::SUCCESS)
}
