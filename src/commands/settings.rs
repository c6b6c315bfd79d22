//! `oordeel settings list|set`: the database's rules, each change an event (`setting_changed`).

use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::Context;
use crate::cli::SettingsCommand;
use crate::i18n::{t, tf};
use crate::messages::one_line as error_value;

pub fn run(ctx: &Context, cmd: &SettingsCommand) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    match cmd {
        SettingsCommand::List => {
            let rows = store.settings(&actor)?;
            let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
            let mut out = vec![t("cli.settings.header").to_owned()];
            for (key, value) in rows {
                let value = match value {
                    Some(v) if v.contains('\n') => {
                        format!("\n    {}", v.trim_end().replace('\n', "\n    "))
                    }
                    Some(v) => v,
                    None => t("cli.settings.unset").to_owned(),
                };
                out.push(format!("  {key:width$}  {value}"));
            }
            super::say(&out.join("\n"));
        }
        SettingsCommand::Reset(args) => {
            store.reset_setting(&actor, &args.key)?;
            super::say(&tf("cli.settings.reset", &[("key", &args.key)]));
        }
        SettingsCommand::Set(args) => {
            let changed = store.set_setting(&actor, &args.key, &args.value)?;
            let key = if changed {
                "cli.settings.changed"
            } else {
                "cli.settings.unchanged"
            };
            super::say(&tf(
                key,
                &[
                    ("key", &args.key),
                    ("value", &error_value(Some(&args.value))),
                ],
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}
