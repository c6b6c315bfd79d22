//! The users table: who may use this database, in which role and team. Every change is an
//! event; only admins make them. Identity is resolved here too, so every command is refused
//! the same way for a stranger.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use std::os::unix::fs::MetadataExt;

use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::json;

use super::events::{Actor, append, timestamp};
use super::{Result, Store, StoreError};
use crate::domain::event::EventKind;
use crate::domain::role::{Role, User, valid_team_name, valid_user_name};

/// Who is asking to act: the operating-system user, and the `--as` name if one was given.
#[derive(Debug, Clone)]
pub struct Identity<'a> {
    /// Login name of the real uid (see `crate::identity`).
    pub os_user: &'a str,
    /// Real uid of this process, compared with the database file's owner for `--as`.
    pub uid: u32,
    pub as_name: Option<&'a str>,
}

impl Store {
    /// Resolves who acts on this database: `--as NAME` only for the account that owns the
    /// file (a service account serving reviewers over SSH), otherwise the OS user; either
    /// way the name must be an active user.
    pub fn identify(&self, who: &Identity<'_>) -> Result<Actor> {
        let name = self.acting_name(who)?;

        // A row edited by hand (a role raised, a disabled user let in again, a user the log
        // never added) is refused here, before the role decides anything.
        super::replay::users::check(&self.conn, name)?;
        let via = (name != who.os_user).then(|| who.os_user.to_owned());
        match self.user(name)? {
            Some(u) if u.active => Ok(Actor {
                via,
                ..Actor::from_user(&u)
            }),
            Some(_) => Err(StoreError::Refused(Refusal::UserDisabled {
                name: name.to_owned(),
                admins: self.admins()?,
            })),
            None => Err(StoreError::Refused(Refusal::UnknownUser {
                name: name.to_owned(),
                admins: self.admins()?,
            })),
        }
    }

    /// The name acting: `--as NAME` only for the account that owns the file.
    fn acting_name<'a>(&self, who: &Identity<'a>) -> Result<&'a str> {
        match who.as_name {
            Some(name) => {
                let owner = std::fs::metadata(&self.path)
                    .map_err(|e| super::io_error(&self.path, e))?
                    .uid();
                if owner != who.uid {
                    return Err(StoreError::Refused(Refusal::AsNotOwner {
                        owner: crate::identity::user_name(owner),
                        me: who.os_user.to_owned(),
                    }));
                }
                Ok(name)
            }
            None => Ok(who.os_user),
        }
    }

    /// Who acts as the log says, not as the users table does: for `verify`, which must work
    /// when that table was edited (and names the edit). The same `--as` rule as `identify`.
    pub fn identify_from_log(&self, who: &Identity<'_>) -> Result<Actor> {
        let name = self.acting_name(who)?;
        let logged = super::replay::users::logged(&self.conn, name)?;
        match logged {
            Some(u) if u.active => {
                let role = Role::from_code(&u.role).ok_or_else(|| {
                    StoreError::Corrupt(format!("user {name}: role `{}`", u.role))
                })?;
                let via = (name != who.os_user).then(|| who.os_user.to_owned());
                Ok(Actor {
                    via,
                    ..Actor::from_user(&User {
                        name: name.to_owned(),
                        role,
                        team: u.team,
                        active: true,
                    })
                })
            }
            Some(_) => Err(StoreError::Refused(Refusal::UserDisabled {
                name: name.to_owned(),
                admins: self.admins()?,
            })),
            None => Err(StoreError::Refused(Refusal::UnknownUser {
                name: name.to_owned(),
                admins: self.admins()?,
            })),
        }
    }

    pub fn user(&self, name: &str) -> Result<Option<User>> {
        self.conn
            .cached_row(
                "SELECT name, role, team, active FROM users WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .map(to_user)
            .transpose()
    }

    /// Every user; refused when a row is not what the log made it.
    pub fn users(&self) -> Result<Vec<User>> {
        if let Some(d) = super::replay::users::first_disagreement(&self.conn)? {
            return Err(d.refusal());
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, role, team, active FROM users ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get::<_, String>(1)?, r.get(2)?, r.get(3)?))
        })?;
        rows.map(|r| to_user(r?)).collect()
    }

    /// Names of the active admins: who a refused stranger should ask.
    pub fn admins(&self) -> Result<Vec<String>> {
        admins_in(&self.conn)
    }

    /// A write transaction on behalf of `actor`, refused when they were disabled, or their
    /// role or team changed, since they were identified. A session stays open for hours over
    /// SSH: disabling someone must stop their next write, not their next login.
    pub(crate) fn acting_tx(&mut self, actor: &Actor) -> Result<rusqlite::Transaction<'_>> {
        let tx = self.write_tx()?;
        let row: Option<(String, Option<String>, bool)> = tx
            .cached_row(
                "SELECT role, team, active FROM users WHERE name = ?1",
                [&actor.name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let refusal = match row {
            Some((role, team, true)) => {
                let same_team = actor.role.all_teams() || team == actor.team;
                if role == actor.role.as_code() && same_team {
                    return Ok(tx);
                }
                StoreError::Refused(Refusal::ActorChanged(actor.name.clone()))
            }
            Some((_, _, false)) => StoreError::Refused(Refusal::UserDisabled {
                name: actor.name.clone(),
                admins: admins_in(&tx)?,
            }),
            None => StoreError::Refused(Refusal::UnknownUser {
                name: actor.name.clone(),
                admins: admins_in(&tx)?,
            }),
        };
        Err(refusal)
    }

    /// Adds a user (admin only; logged).
    pub fn add_user(&mut self, by: &Actor, user: &User) -> Result<()> {
        require(by, by.role.administers(), "error.action.manage_users")?;
        check_user_fields(&user.name, user.role, user.team.as_deref())?;
        let at = timestamp(self.now());
        let tx = self.acting_tx(by)?;
        super::replay::users::check(&tx, &user.name)?;
        let exists: bool = tx.cached_row(
            "SELECT EXISTS (SELECT 1 FROM users WHERE name = ?1)",
            [&user.name],
            |r| r.get(0),
        )?;
        if exists {
            return Err(StoreError::Refused(Refusal::UserExists(user.name.clone())));
        }
        tx.cached_execute(
            "INSERT INTO users (name, role, team, active, added_at, added_by)
             VALUES (?1, ?2, ?3, 1, ?4, ?5)",
            params![user.name, user.role.as_code(), user.team, at, by.name],
        )?;
        let payload = json!({ "name": user.name, "role": user.role.as_code(), "team": user.team });
        append(&tx, &at, by, EventKind::UserAdded, None, &payload)?;
        tx.commit()?;
        Ok(())
    }

    /// Disables a user: they are refused from now on; their events stay theirs. Their claims
    /// are freed at once so their cases do not wait for a lease to lapse.
    pub fn disable_user(&mut self, by: &Actor, name: &str) -> Result<()> {
        require(by, by.role.administers(), "error.action.manage_users")?;
        super::replay::users::check(&self.conn, name)?;
        let user = self
            .user(name)?
            .ok_or_else(|| StoreError::Refused(Refusal::NoSuchUser(name.to_owned())))?;
        if user.role == Role::Admin && user.active {
            self.refuse_last_admin(name)?;
        }
        let at = timestamp(self.now());
        let tx = self.acting_tx(by)?;
        tx.cached_execute("UPDATE users SET active = 0 WHERE name = ?1", [name])?;
        tx.cached_execute("DELETE FROM claims WHERE holder = ?1", [name])?;
        append(
            &tx,
            &at,
            by,
            EventKind::UserDisabled,
            None,
            &json!({ "name": name }),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Lets a disabled user in again (admin only; logged as a role change to the same role).
    pub fn enable_user(&mut self, by: &Actor, name: &str) -> Result<()> {
        require(by, by.role.administers(), "error.action.manage_users")?;
        super::replay::users::check(&self.conn, name)?;
        let user = self
            .user(name)?
            .ok_or_else(|| StoreError::Refused(Refusal::NoSuchUser(name.to_owned())))?;
        let at = timestamp(self.now());
        let tx = self.acting_tx(by)?;
        tx.cached_execute("UPDATE users SET active = 1 WHERE name = ?1", [name])?;
        let payload = json!({
            "name": name,
            "role": user.role.as_code(),
            "team": user.team,
            "enabled": true,
        });
        append(&tx, &at, by, EventKind::RoleChanged, None, &payload)?;
        tx.commit()?;
        Ok(())
    }

    /// Changes a user's role and, when given, team (admin only; logged).
    pub fn set_role(
        &mut self,
        by: &Actor,
        name: &str,
        role: Role,
        team: Option<&str>,
    ) -> Result<()> {
        require(by, by.role.administers(), "error.action.manage_users")?;
        super::replay::users::check(&self.conn, name)?;
        let user = self
            .user(name)?
            .ok_or_else(|| StoreError::Refused(Refusal::NoSuchUser(name.to_owned())))?;
        let team = match team {
            Some(t) => Some(t.to_owned()),
            None if role.needs_team() => user.team.clone(),
            None => None,
        };
        check_user_fields(name, role, team.as_deref())?;
        if user.role == Role::Admin && role != Role::Admin && user.active {
            self.refuse_last_admin(name)?;
        }
        let at = timestamp(self.now());
        let tx = self.acting_tx(by)?;
        tx.cached_execute(
            "UPDATE users SET role = ?2, team = ?3 WHERE name = ?1",
            params![name, role.as_code(), team],
        )?;
        let payload = json!({
            "name": name,
            "role": role.as_code(),
            "team": team,
            "was_role": user.role.as_code(),
            "was_team": user.team,
        });
        append(&tx, &at, by, EventKind::RoleChanged, None, &payload)?;
        tx.commit()?;
        Ok(())
    }

    /// A database without an active admin could never be managed again.
    fn refuse_last_admin(&self, name: &str) -> Result<()> {
        let others: i64 = self.conn.cached_row(
            "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1 AND name != ?1",
            [name],
            |r| r.get(0),
        )?;
        if others == 0 {
            return Err(StoreError::Refused(Refusal::LastAdmin(name.to_owned())));
        }
        Ok(())
    }
}

/// Makes the owner of the database file its first admin, when it has no users yet (a new
/// database, or one made before there were users), and installs the shipped four-eyes rule.
/// Runs in the transaction that migrates the schema (`Store::upgrade`), so no other process
/// sees a users table without its admin.
pub(super) fn bootstrap_users(tx: &Transaction<'_>, owner: u32, at: &str) -> Result<()> {
    tx.cached_execute(
        "INSERT INTO settings (key, value) VALUES ('four_eyes', ?1) ON CONFLICT(key) DO NOTHING",
        [crate::domain::four_eyes::FourEyesRules::shipped_text()],
    )?;
    let count: i64 = tx.cached_row("SELECT count(*) FROM users", [], |r| r.get(0))?;
    if count > 0 {
        return Ok(());
    }
    let name = crate::identity::user_name(owner);
    let admin = Actor {
        name: name.clone(),
        role: Role::Admin,
        team: None,
        via: None,
    };
    tx.cached_execute(
        "INSERT INTO users (name, role, team, active, added_at, added_by)
         VALUES (?1, 'admin', NULL, 1, ?2, ?1)",
        params![name, at],
    )?;
    let payload = json!({ "name": name, "role": "admin", "team": null, "owner_of_file": true });
    append(tx, at, &admin, EventKind::UserAdded, None, &payload)?;
    Ok(())
}

fn admins_in(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name FROM users WHERE role = 'admin' AND active = 1 ORDER BY name",
    )?;
    let names = stmt.query_map([], |r| r.get(0))?;
    Ok(names.collect::<rusqlite::Result<_>>()?)
}

/// Refuses an action the actor's role does not allow; `action` is an i18n key.
pub fn require(actor: &Actor, allowed: bool, action: &'static str) -> Result<()> {
    if allowed {
        Ok(())
    } else {
        Err(StoreError::Refused(Refusal::Forbidden {
            name: actor.name.clone(),
            role: actor.role,
            action,
        }))
    }
}

fn check_user_fields(name: &str, role: Role, team: Option<&str>) -> Result<()> {
    if !valid_user_name(name) {
        return Err(StoreError::Refused(Refusal::InvalidUserName(
            name.to_owned(),
        )));
    }
    match team {
        Some(t) if !valid_team_name(t) => {
            Err(StoreError::Refused(Refusal::InvalidTeam(t.to_owned())))
        }
        None if role.needs_team() => Err(StoreError::Refused(Refusal::TeamRequired(role))),
        _ => Ok(()),
    }
}

type UserRow = (String, String, Option<String>, bool);

fn to_user((name, role, team, active): UserRow) -> Result<User> {
    let role = Role::from_code(&role)
        .ok_or_else(|| StoreError::Corrupt(format!("user {name}: role `{role}`")))?;
    Ok(User {
        name,
        role,
        team,
        active,
    })
}
