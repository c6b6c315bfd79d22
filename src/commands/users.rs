//! `oordeel users ...`: who may use this database, as what, for which team (admins).

use crate::store::Refusal;
use std::process::ExitCode;

use color_eyre::eyre::Result;

use super::Context;
use crate::cli::{UserRoleArgs, UsersCommand};
use crate::domain::role::User;
use crate::i18n::{t, tf};

pub fn run(ctx: &Context, cmd: &UsersCommand) -> Result<ExitCode> {
    let (mut store, actor) = ctx.open()?;
    match cmd {
        UsersCommand::Add(UserRoleArgs { name, role, team }) => {
            let user = User {
                name: name.clone(),
                role: role.role(),
                team: team.clone(),
                active: true,
            };
            store.add_user(&actor, &user)?;
            super::say(
                &(tf(
                    "cli.users.added",
                    &[("name", name), ("role", &role_label(&user))],
                )),
            );
        }
        UsersCommand::List => {
            // Admin-only like every users command: the list says who can do what.
            crate::store::require_role(
                &actor,
                actor.role.administers(),
                "error.action.manage_users",
            )?;
            // Read (and checked against the log) before anything is printed.
            let users = store.users()?;
            super::say(&format!(
                "{:<20} {:<14} {:<16} {}",
                t("cli.users.name"),
                t("cli.users.role"),
                t("cli.users.team"),
                t("cli.users.active")
            ));
            for u in users {
                super::say(&format!(
                    "{:<20} {:<14} {:<16} {}",
                    u.name,
                    t(&format!("role.{}", u.role.as_code())),
                    u.team.as_deref().unwrap_or("-"),
                    if u.active {
                        t("cli.users.yes")
                    } else {
                        t("cli.users.no")
                    }
                ));
            }
        }
        UsersCommand::Disable(args) => {
            store.disable_user(&actor, &args.name)?;
            super::say(&(tf("cli.users.disabled", &[("name", &args.name)])));
        }
        UsersCommand::Enable(args) => {
            store.enable_user(&actor, &args.name)?;
            super::say(&(tf("cli.users.enabled", &[("name", &args.name)])));
        }
        UsersCommand::SetRole(UserRoleArgs { name, role, team }) => {
            store.set_role(&actor, name, role.role(), team.as_deref())?;
            let user = store.user(name)?.ok_or_else(|| {
                crate::store::StoreError::Refused(Refusal::NoSuchUser(name.clone()))
            })?;
            super::say(
                &(tf(
                    "cli.users.changed",
                    &[("name", name), ("role", &role_label(&user))],
                )),
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// "reviewer, team Noord" or "auditor".
fn role_label(user: &User) -> String {
    let role = t(&format!("role.{}", user.role.as_code()));
    match &user.team {
        Some(team) if user.role.needs_team() => {
            tf("cli.users.role_team", &[("role", &role), ("team", team)])
        }
        _ => role.to_owned(),
    }
}
