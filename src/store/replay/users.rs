//! The users table from `user_added`, `user_disabled` and `role_changed` events (an enable is
//! a role change with `enabled`).

use crate::store::cached::CachedSql;
use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension};

use super::{Disagreement, LoggedEvent, events_of, first_difference, shown};
use crate::domain::event::EventKind;
use crate::store::Result;

const KINDS: &[EventKind] = &[
    EventKind::UserAdded,
    EventKind::UserDisabled,
    EventKind::RoleChanged,
];

/// A user's row as the table holds it, or as the log made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UserRow {
    pub role: String,
    pub team: Option<String>,
    pub active: bool,
    pub added_at: String,
    pub added_by: String,
}

fn apply(users: &mut BTreeMap<String, UserRow>, e: &LoggedEvent) {
    let Some(name) = e.text("name") else { return };
    let team = e.text("team").map(str::to_owned);
    match e.kind {
        EventKind::UserAdded => {
            users.insert(
                name.to_owned(),
                UserRow {
                    role: e.text("role").unwrap_or_default().to_owned(),
                    team,
                    active: true,
                    added_at: e.at.clone(),
                    added_by: e.actor.clone(),
                },
            );
        }
        EventKind::UserDisabled => {
            if let Some(u) = users.get_mut(name) {
                u.active = false;
            }
        }
        EventKind::RoleChanged => {
            if let Some(u) = users.get_mut(name) {
                u.role = e.text("role").unwrap_or_default().to_owned();
                u.team = team;
                if e.payload.get("enabled").and_then(|v| v.as_bool()) == Some(true) {
                    u.active = true;
                }
            }
        }
        _ => {}
    }
}

/// Every user as the log made them.
pub(crate) fn logged_all(conn: &Connection) -> Result<BTreeMap<String, UserRow>> {
    let mut users = BTreeMap::new();
    for e in events_of(conn, KINDS, None)? {
        apply(&mut users, &e);
    }
    Ok(users)
}

/// One user as the log made them (`None`: never added).
pub(crate) fn logged(conn: &Connection, name: &str) -> Result<Option<UserRow>> {
    let mut users = BTreeMap::new();
    for e in events_of(conn, KINDS, Some(("$.name", &name)))? {
        apply(&mut users, &e);
    }
    Ok(users.remove(name))
}

fn stored_all(conn: &Connection) -> Result<BTreeMap<String, UserRow>> {
    let mut stmt =
        conn.prepare_cached("SELECT name, role, team, active, added_at, added_by FROM users")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, row(r)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn stored(conn: &Connection, name: &str) -> Result<Option<UserRow>> {
    Ok(conn
        .cached_row(
            "SELECT name, role, team, active, added_at, added_by FROM users WHERE name = ?1",
            [name],
            row,
        )
        .optional()?)
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        role: r.get(1)?,
        team: r.get(2)?,
        active: r.get(3)?,
        added_at: r.get(4)?,
        added_by: r.get(5)?,
    })
}

fn describe(u: &UserRow) -> String {
    format!(
        "{} {}, {}",
        u.role,
        shown(&u.team),
        if u.active { "active" } else { "disabled" }
    )
}

fn diff(s: &UserRow, l: &UserRow) -> Option<(&'static str, String, String)> {
    let active = |u: &UserRow| if u.active { "active" } else { "disabled" }.to_owned();
    if s.role != l.role {
        Some(("role", s.role.clone(), l.role.clone()))
    } else if s.team != l.team {
        Some(("team", shown(&s.team), shown(&l.team)))
    } else if s.active != l.active {
        Some(("active", active(s), active(l)))
    } else if s.added_by != l.added_by {
        Some(("added_by", s.added_by.clone(), l.added_by.clone()))
    } else if s.added_at != l.added_at {
        Some(("added_at", s.added_at.clone(), l.added_at.clone()))
    } else {
        None
    }
}

/// Refuses to act on a user whose row is not what the log made it (a role, team or `active`
/// edited by hand, or a user the log never added).
pub(crate) fn check(conn: &Connection, name: &str) -> Result<()> {
    let mut stored_one = BTreeMap::new();
    if let Some(u) = stored(conn, name)? {
        stored_one.insert(name.to_owned(), u);
    }
    let mut logged_one = BTreeMap::new();
    if let Some(u) = logged(conn, name)? {
        logged_one.insert(name.to_owned(), u);
    }
    match first_difference("users", &stored_one, &logged_one, describe, diff) {
        Some(d) => Err(d.refusal()),
        None => Ok(()),
    }
}

pub(crate) fn first_disagreement(conn: &Connection) -> Result<Option<Disagreement>> {
    Ok(first_difference(
        "users",
        &stored_all(conn)?,
        &logged_all(conn)?,
        describe,
        diff,
    ))
}
