//! The settings table: the database's rules (four-eyes, forbidden features, the random arm's
//! share, team capacity, oversight limits), its caseload (title, feature list) and its
//! oversight state (the halt, judge-first per team and per reviewer).
//!
//! A row is state; its truth is the log. Every write here goes with the event that says it in
//! the same transaction (`setting_changed`, or the halt's, judge-first's or a forbidden term's
//! own event), and every read compares the row with what the log says, so a rule or a halt
//! edited with the sqlite3 shell is refused where it would act, and `verify` names it.
//!
//! The log says a key's value through, in order: `settings_recorded` (every row when the
//! database was made, or when schema 9 first opened an older database), `setting_changed`,
//! `halted` / `resumed` (key `halt`), `judge_first_set` (keys `judge_first.team.T` and
//! `judge_first.user.U`) and `feature_term_forbidden` (key `feature_rules`).

use crate::store::cached::CachedSql;
use crate::store::{Refusal, SettingExpects};
use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Transaction};
use serde_json::{Value, json};

use super::events::{Actor, append, timestamp};
use super::replay::{Disagreement, LoggedEvent, events_of};
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::event::EventKind;
use crate::domain::feature_rules::FeatureRules;
use crate::domain::queue::HaltNotice;

/// The halt in force (a [`HaltNotice`] as JSON), absent when the model runs.
pub(super) const HALT: &str = "halt";
pub(super) const FEATURE_RULES: &str = "feature_rules";
const JUDGE_FIRST_TEAM: &str = "judge_first.team.";
const JUDGE_FIRST_USER: &str = "judge_first.user.";

/// The keys an admin sets with `oordeel settings set`; each value is checked as its reader
/// will read it. The others have commands of their own (halt, judge-first, features forbid)
/// or are the caseload's (its feature list).
pub const SETTABLE: &[&str] = &[
    "municipality",
    "caseload_title",
    "four_eyes",
    super::models::CAPACITY_KEY,
    super::scoring::RANDOM_ARM_KEY,
    super::oversight::FLOOR_KEY,
    super::oversight::CONFIRM_KEY,
];

const ALL_KINDS: &[EventKind] = &[
    EventKind::SettingsRecorded,
    EventKind::SettingChanged,
    EventKind::Halted,
    EventKind::Resumed,
    EventKind::JudgeFirstSet,
    EventKind::FeatureTermForbidden,
];

/// Applies one event to the settings the log has made so far.
fn apply(settings: &mut BTreeMap<String, String>, e: &LoggedEvent) -> Result<()> {
    match e.kind {
        EventKind::SettingsRecorded => {
            if let Some(Value::Object(rows)) = e.payload.get("settings") {
                for (k, v) in rows {
                    if let Some(v) = v.as_str() {
                        settings.insert(k.clone(), v.to_owned());
                    }
                }
            }
        }
        EventKind::SettingChanged => {
            if let Some(key) = e.text("key") {
                match e.text("value") {
                    Some(v) => settings.insert(key.to_owned(), v.to_owned()),
                    None => settings.remove(key),
                };
            }
        }
        EventKind::Halted => {
            let notice = HaltNotice {
                by: e.actor.clone(),
                at: e.at.clone(),
                reason: e.text("reason").unwrap_or_default().to_owned(),
            };
            settings.insert(HALT.to_owned(), halt_text(&notice));
        }
        EventKind::Resumed => {
            settings.remove(HALT);
        }
        EventKind::JudgeFirstSet => {
            let key = match (e.text("team"), e.text("user")) {
                (Some(team), _) => format!("{JUDGE_FIRST_TEAM}{team}"),
                (None, Some(user)) => format!("{JUDGE_FIRST_USER}{user}"),
                (None, None) => return Ok(()),
            };
            if e.payload.get("on").and_then(Value::as_bool) == Some(true) {
                settings.insert(key, "on".to_owned());
            } else {
                settings.remove(&key);
            }
        }
        EventKind::FeatureTermForbidden => {
            let mut rules = match settings.get(FEATURE_RULES) {
                Some(text) => FeatureRules::parse(text).map_err(StoreError::FeatureRules)?,
                None => FeatureRules::shipped().clone(),
            };
            rules.add_term(e.text("term").unwrap_or_default());
            settings.insert(FEATURE_RULES.to_owned(), rules.to_toml());
        }
        _ => {}
    }
    Ok(())
}

pub(super) fn halt_text(notice: &HaltNotice) -> String {
    serde_json::to_string(notice).expect("a notice serialises")
}

/// Whether a row's text says what the log says, read as its reader reads it (a halt as
/// JSON, the rules as rules), so the same value written differently is not a disagreement.
fn same(key: &str, stored: Option<&str>, logged: Option<&str>) -> bool {
    match (stored, logged) {
        (Some(s), Some(l)) if key == HALT => {
            serde_json::from_str::<Value>(s).ok() == serde_json::from_str::<Value>(l).ok()
        }
        (Some(s), Some(l)) if key == FEATURE_RULES => {
            match (FeatureRules::parse(s), FeatureRules::parse(l)) {
                (Ok(s), Ok(l)) => s.to_toml() == l.to_toml(),
                _ => s == l,
            }
        }
        (s, l) => s == l,
    }
}

/// What the log says `key` holds: the last event that set it (for the forbidden-feature rules
/// the last that set the whole text, with each term forbidden since applied), picked out by
/// SQLite's JSON functions from the few settings events. Every read of a setting checks its
/// row this way, so it must cost little; [`first_disagreement`] folds all the events with
/// [`apply`] instead, and the two say the same.
fn logged(conn: &Connection, key: &str) -> Result<Option<String>> {
    if key == HALT {
        let last: Option<(String, String, String, Option<String>)> = conn
            .prepare_cached(
                "SELECT kind, actor, at, json_extract(payload, '$.reason') FROM events
                 WHERE kind IN ('halted', 'resumed') ORDER BY seq DESC LIMIT 1",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        return Ok(match last {
            Some((kind, by, at, reason)) if kind == EventKind::Halted.as_code() => {
                Some(halt_text(&HaltNotice {
                    by,
                    at,
                    reason: reason.unwrap_or_default(),
                }))
            }
            _ => None,
        });
    }
    let judge_first = match (
        key.strip_prefix(JUDGE_FIRST_TEAM),
        key.strip_prefix(JUDGE_FIRST_USER),
    ) {
        (Some(team), _) => Some(("$.team", team)),
        (None, Some(user)) => Some(("$.user", user)),
        (None, None) => None,
    };
    if let Some((path, who)) = judge_first {
        // JSON `true` reads as 1.
        let on: Option<bool> = conn
            .prepare_cached(&format!(
                "SELECT json_extract(payload, '$.on') IS 1 FROM events
                 WHERE kind = 'judge_first_set' AND json_extract(payload, '{path}') = ?1
                 ORDER BY seq DESC LIMIT 1"
            ))?
            .query_row([who], |r| r.get(0))
            .optional()?;
        return Ok((on == Some(true)).then(|| "on".to_owned()));
    }
    // A key's value is the latest of: a `settings_recorded` that holds it, a
    // `setting_changed` of it.
    let path = format!("$.settings.\"{}\"", key.replace('"', ""));
    let last: Option<(i64, Option<String>)> = conn
        .prepare_cached(
            "SELECT seq, CASE kind WHEN 'settings_recorded' THEN json_extract(payload, ?2)
                                   ELSE json_extract(payload, '$.value') END
             FROM events
             WHERE (kind = 'settings_recorded' AND json_type(payload, ?2) = 'text')
                OR (kind = 'setting_changed' AND json_extract(payload, '$.key') = ?1)
             ORDER BY seq DESC LIMIT 1",
        )?
        .query_row(rusqlite::params![key, path], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (since, value) = last.map_or((0, None), |(seq, v)| (seq, v));
    if key != FEATURE_RULES {
        return Ok(value);
    }
    let terms: Vec<String> = conn
        .prepare_cached(
            "SELECT json_extract(payload, '$.term') FROM events
             WHERE kind = 'feature_term_forbidden' AND seq > ?1 ORDER BY seq",
        )?
        .query_map([since], |r| r.get::<_, Option<String>>(0))?
        .filter_map(|t| t.transpose())
        .collect::<rusqlite::Result<_>>()?;
    if terms.is_empty() {
        return Ok(value);
    }
    let mut rules = match &value {
        Some(text) => FeatureRules::parse(text).map_err(StoreError::FeatureRules)?,
        None => FeatureRules::shipped().clone(),
    };
    for term in &terms {
        rules.add_term(term);
    }
    Ok(Some(rules.to_toml()))
}

fn stored(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .cached_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

/// The setting `key`, refused when the row is not what the log says (read on `conn`, so
/// inside a write transaction too).
pub(super) fn read(conn: &Connection, key: &str) -> Result<Option<String>> {
    let (stored, logged) = (stored(conn, key)?, logged(conn, key)?);
    if same(key, stored.as_deref(), logged.as_deref()) {
        Ok(stored)
    } else {
        Err(Disagreement::new("settings", key, "value", stored, logged).refusal())
    }
}

/// Writes or (with `None`) removes the row; the caller appends the event that says so.
pub(super) fn put(conn: &Connection, key: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => conn.cached_execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, v],
        )?,
        None => conn.cached_execute("DELETE FROM settings WHERE key = ?1", [key])?,
    };
    Ok(())
}

/// Writes the row and its `setting_changed` event in the caller's transaction.
pub(super) fn change(
    tx: &Transaction<'_>,
    actor: &Actor,
    at: &str,
    key: &str,
    value: Option<&str>,
) -> Result<()> {
    let was = read(tx, key)?;
    put(tx, key, value)?;
    let payload = json!({ "key": key, "value": value, "was": was });
    append(tx, at, actor, EventKind::SettingChanged, None, &payload)?;
    Ok(())
}

/// Logs every row but the halt and judge-first (whose own events are their history) as the
/// database holds them now: at creation, the shipped rules; on upgrading an older database,
/// whatever it held then, which the log could not have said before.
pub(super) fn record(tx: &Transaction<'_>, actor: &Actor, at: &str, reason: &str) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "SELECT key, value FROM settings
         WHERE key != 'halt' AND key NOT LIKE 'judge\\_first.%' ESCAPE '\\' ORDER BY key",
    )?;
    let rows: serde_json::Map<String, Value> = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, Value::String(r.get(1)?)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    let payload = json!({ "settings": rows, "reason": reason });
    append(tx, at, actor, EventKind::SettingsRecorded, None, &payload)?;
    Ok(())
}

pub(super) fn first_disagreement(conn: &Connection) -> Result<Option<Disagreement>> {
    let mut logged = BTreeMap::new();
    for e in &events_of(conn, ALL_KINDS, None)? {
        apply(&mut logged, e)?;
    }
    let mut stmt = conn.prepare_cached("SELECT key, value FROM settings")?;
    let stored: BTreeMap<String, String> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let keys: std::collections::BTreeSet<&String> = stored.keys().chain(logged.keys()).collect();
    Ok(keys.into_iter().find_map(|k| {
        let (s, l) = (stored.get(k), logged.get(k));
        (!same(k, s.map(String::as_str), l.map(String::as_str)))
            .then(|| Disagreement::new("settings", k.clone(), "value", s.cloned(), l.cloned()))
    }))
}

/// Checks a value as the setting's reader will read it; the refusal says what is expected.
fn check_value(key: &str, value: &str) -> std::result::Result<(), SettingExpects> {
    let ok = match key {
        "caseload_title" | "municipality" => {
            !value.trim().is_empty()
                && value.chars().count() <= 60
                && crate::domain::text::first_hidden_char(value).is_none()
        }
        "four_eyes" => {
            let rules = crate::domain::four_eyes::FourEyesRules::parse(value).map_err(|e| {
                let cause = e.split_whitespace().collect::<Vec<_>>().join(" ");
                SettingExpects::FourEyesRules { cause }
            })?;
            // No second signature at all is a choice to make on purpose, not by an empty file.
            if rules.rule.is_empty() && !value.contains("rule = []") {
                return Err(SettingExpects::FourEyesNotEmpty);
            }
            return Ok(());
        }
        k if k == super::models::CAPACITY_KEY => super::models::parse_capacity(value).is_some(),
        k if k == super::scoring::RANDOM_ARM_KEY => {
            crate::domain::random_arm::parse_share(value).is_some()
        }
        // Beyond these a prompt would never come, or every reviewer would be flagged.
        k => {
            let most = if k == super::oversight::CONFIRM_KEY {
                600.0
            } else {
                3600.0
            };
            value
                .trim()
                .parse::<f64>()
                .is_ok_and(|f| f.is_finite() && (0.0..=most).contains(&f))
        }
    };
    if ok {
        Ok(())
    } else {
        Err(SettingExpects::OfKey)
    }
}

impl Store {
    /// Every setting an admin can set, with its value now (checked against the log): for
    /// admins, and for those who oversee (auditors, supervisors) to read.
    pub fn settings(&self, actor: &Actor) -> Result<Vec<(String, Option<String>)>> {
        require(actor, actor.role.audits(), "error.action.read_settings")?;
        SETTABLE
            .iter()
            .map(|k| Ok(((*k).to_owned(), read(&self.conn, k)?)))
            .collect()
    }

    /// Sets one of the [`SETTABLE`] keys (admins; logged as `setting_changed`). Returns
    /// `false` when it held that value already (nothing written).
    pub fn set_setting(&mut self, actor: &Actor, key: &str, value: &str) -> Result<bool> {
        require(actor, actor.role.administers(), "error.action.settings")?;
        if !SETTABLE.contains(&key) {
            return Err(StoreError::Refused(Refusal::NotASetting(key.to_owned())));
        }
        check_value(key, value).map_err(|expected| {
            StoreError::Refused(Refusal::BadSettingValue {
                key: key.to_owned(),
                value: value.to_owned(),
                expected,
            })
        })?;
        let at = timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        if read(&tx, key)?.as_deref() == Some(value) {
            return Ok(false);
        }
        change(&tx, actor, &at, key, Some(value))?;
        tx.commit()?;
        Ok(true)
    }

    /// Puts one of the [`SETTABLE`] keys back to what oordeel ships (admins; logged as a
    /// `setting_changed`): the rules' shipped text, or no row where the reader falls back
    /// to the shipped value itself. Returns the value now in force, `None` for the shipped
    /// default; refused for the municipality's own names, which have none.
    pub fn reset_setting(&mut self, actor: &Actor, key: &str) -> Result<Option<String>> {
        require(actor, actor.role.administers(), "error.action.settings")?;
        let shipped: Option<String> = match key {
            "four_eyes" => Some(crate::domain::four_eyes::FourEyesRules::shipped_text().into()),
            k if k == super::models::CAPACITY_KEY => {
                Some(super::models::shipped_capacity().to_string())
            }
            k if k == super::scoring::RANDOM_ARM_KEY => {
                Some(super::scoring::shipped_random_arm_share().to_string())
            }
            k if k == super::oversight::CONFIRM_KEY || k == super::oversight::FLOOR_KEY => None,
            _ => return Err(StoreError::Refused(Refusal::NotASetting(key.to_owned()))),
        };
        let at = timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        if read(&tx, key)? != shipped {
            change(&tx, actor, &at, key, shipped.as_deref())?;
            tx.commit()?;
        }
        Ok(shipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::role::{Role, User};
    use crate::store::{Identity, ReviewSession};

    /// The quick per-key read and the fold `verify` uses say the same of every key, after
    /// each kind of event that sets a setting.
    #[test]
    fn the_quick_read_and_the_fold_agree() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut store = Store::create(&path).unwrap();
        let me = crate::identity::os_user();
        let admin = store
            .identify(&Identity {
                os_user: &me,
                uid: crate::identity::uid(),
                as_name: None,
            })
            .unwrap();
        let other = User {
            name: "tweede".into(),
            role: Role::Admin,
            team: None,
            active: true,
        };
        store.add_user(&admin, &other).unwrap();
        let second = Actor::from_user(&other);
        let agree = |store: &Store| {
            let mut folded = BTreeMap::new();
            for e in &events_of(&store.conn, ALL_KINDS, None).unwrap() {
                apply(&mut folded, e).unwrap();
            }
            let keys: Vec<String> = folded
                .keys()
                .cloned()
                .chain(["halt".into(), "judge_first.user.tweede".into()])
                .collect();
            for key in keys {
                let quick = logged(&store.conn, &key).unwrap();
                let fold = folded.get(&key).cloned();
                assert!(
                    same(&key, quick.as_deref(), fold.as_deref()),
                    "{key}: {quick:?} / {fold:?}"
                );
            }
            assert_eq!(first_disagreement(&store.conn).unwrap(), None);
        };
        agree(&store);
        store
            .set_setting(&admin, "confirm_within_seconds", "0")
            .unwrap();
        store
            .set_setting(&admin, "confirm_within_seconds", "3")
            .unwrap();
        store.forbid_feature_term(&admin, "postcode").unwrap();
        store.forbid_feature_term(&admin, "huisnummer").unwrap();
        agree(&store);
        store.halt(&admin, "test").unwrap();
        agree(&store);
        store.resume(&second).unwrap();
        agree(&store);
        let mut session = ReviewSession::start(store, second.clone()).unwrap();
        session.set_own_judge_first(true).unwrap();
        agree(session.store());
        session.set_own_judge_first(false).unwrap();
        agree(session.store());
    }
}
