//! Feature governance: what each model feature means, where it comes from, on what legal
//! basis, who approved it (table `feature_metadata`), and the forbidden-feature rules of the
//! database (settings key `feature_rules`).

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use rusqlite::{Transaction, params};
use serde::Serialize;
use serde_json::json;

use super::events::{Actor, append, timestamp};
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::event::EventKind;
use crate::domain::feature_governance::{DeclaredMeaning, FeatureRefusal, check_features};
use crate::domain::feature_rules::FeatureRules;

/// A feature's documentation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeatureMetadata {
    pub name: String,
    /// `numeric` or `categorical`.
    pub kind: String,
    pub source: String,
    pub legal_basis: String,
    pub description: String,
    pub approved_by: String,
    pub approved_at: String,
}

/// What an admin declares about a feature.
#[derive(Debug, Clone, Copy)]
pub struct FeatureDoc<'a> {
    pub name: &'a str,
    pub source: &'a str,
    pub legal_basis: &'a str,
    pub description: &'a str,
}

/// Writes one feature's documentation and its `feature_documented` event in the caller's
/// transaction; the actor is its approver.
pub(super) fn document_one(
    tx: &Transaction<'_>,
    actor: &Actor,
    at: &str,
    doc: &FeatureDoc<'_>,
    categorical: bool,
) -> Result<()> {
    let kind = if categorical {
        "categorical"
    } else {
        "numeric"
    };
    tx.cached_execute(
        "INSERT INTO feature_metadata
             (name, kind, source, legal_basis, description, approved_by, approved_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, source = excluded.source,
             legal_basis = excluded.legal_basis, description = excluded.description,
             approved_by = excluded.approved_by, approved_at = excluded.approved_at",
        params![
            doc.name,
            kind,
            doc.source.trim(),
            doc.legal_basis.trim(),
            doc.description.trim(),
            actor.name,
            at
        ],
    )?;
    let payload = json!({
        "feature": doc.name,
        "kind": kind,
        "source": doc.source.trim(),
        "legal_basis": doc.legal_basis.trim(),
        "description": doc.description.trim(),
        "approved_by": actor.name,
    });
    append(tx, at, actor, EventKind::FeatureDocumented, None, &payload)?;
    Ok(())
}

/// Writes the shipped rules into a new database (kept if it has rules already).
pub(crate) fn install_shipped_rules(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.cached_execute(
        "INSERT INTO settings (key, value) VALUES ('feature_rules', ?1) ON CONFLICT(key) DO NOTHING",
        [FeatureRules::shipped_text()],
    )?;
    Ok(())
}

fn rules_in(conn: &rusqlite::Connection) -> Result<FeatureRules> {
    match super::settings::read(conn, super::settings::FEATURE_RULES)? {
        Some(text) => FeatureRules::parse(&text).map_err(StoreError::FeatureRules),
        // A database that lost its copy gets the shipped rules, never none.
        None => Ok(FeatureRules::shipped().clone()),
    }
}

/// Refuses the features `names` when the database's rules or documentation, as they are now,
/// would refuse them at training (read on `conn`, so inside a write transaction too).
pub(super) fn refuse_forbidden_features(
    conn: &rusqlite::Connection,
    names: &[String],
) -> Result<std::result::Result<(), FeatureRefusal>> {
    let rules = rules_in(conn)?;
    super::replay::features::check(conn)?;
    let mut stmt = conn.prepare_cached("SELECT name, description, source FROM feature_metadata")?;
    let docs: std::collections::BTreeMap<String, (String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(check_features(
        names.iter().map(String::as_str),
        &rules,
        |name| {
            docs.get(name).map(|(description, source)| DeclaredMeaning {
                description,
                source,
            })
        },
    ))
}

impl Store {
    /// The features `names` against the database's rules and documentation as they are now
    /// (admins, auditors, supervisors): training checks its caseload's features, `forbid`
    /// the version in use, and approval (inside its transaction) the version's.
    pub fn feature_refusal(
        &self,
        actor: &Actor,
        names: &[String],
    ) -> Result<std::result::Result<(), FeatureRefusal>> {
        require(actor, actor.role.audits(), "error.action.read_features")?;
        refuse_forbidden_features(&self.conn, names)
    }

    /// The forbidden-feature rules and proxy threshold of this database.
    pub fn feature_rules(&self) -> Result<FeatureRules> {
        rules_in(&self.conn)
    }

    /// Every documented feature, by name (admins, auditors, supervisors).
    pub fn feature_metadata(&self, actor: &Actor) -> Result<Vec<FeatureMetadata>> {
        require(actor, actor.role.audits(), "error.action.read_features")?;
        super::replay::features::check(&self.conn)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, kind, source, legal_basis, description, approved_by, approved_at
             FROM feature_metadata ORDER BY name",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(FeatureMetadata {
                    name: r.get(0)?,
                    kind: r.get(1)?,
                    source: r.get(2)?,
                    legal_basis: r.get(3)?,
                    description: r.get(4)?,
                    approved_by: r.get(5)?,
                    approved_at: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Documents features of the caseload (admins): one transaction, one `feature_documented`
    /// event per feature with every field; the actor is the approver. A name that is not in the
    /// caseload's feature list is refused (a typo would otherwise document nothing).
    pub fn document_features(&mut self, actor: &Actor, docs: &[FeatureDoc<'_>]) -> Result<()> {
        require(
            actor,
            actor.role.administers(),
            "error.action.document_features",
        )?;
        let declared = self.feature_list()?;
        let at = timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        for doc in docs {
            let Some((_, categorical)) = declared.iter().find(|(n, _)| n == doc.name) else {
                return Err(StoreError::Refused(Refusal::NoSuchFeature {
                    name: doc.name.to_owned(),
                    known: declared.iter().map(|(n, _)| n.clone()).collect(),
                }));
            };
            for (field, text) in [
                ("source", doc.source),
                ("legal_basis", doc.legal_basis),
                ("description", doc.description),
            ] {
                if text.trim().is_empty() {
                    return Err(StoreError::Refused(Refusal::EmptyFeatureField {
                        name: doc.name.to_owned(),
                        field,
                    }));
                }
                // Shown to approvers and published in the register: no terminal escapes,
                // bidi overrides or invisible characters.
                if let Some(c) = crate::domain::text::first_hidden_char(text) {
                    return Err(StoreError::Refused(Refusal::HiddenCharacter {
                        what: doc.name.to_owned(),
                        field,
                        code: c as u32,
                    }));
                }
            }
            document_one(&tx, actor, &at, doc, *categorical)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Adds a forbidden term to this database's rules (admins; logged). `Ok(false)` when the
    /// term is forbidden already (nothing written).
    pub fn forbid_feature_term(&mut self, actor: &Actor, term: &str) -> Result<bool> {
        require(
            actor,
            actor.role.administers(),
            "error.action.document_features",
        )?;
        let at = timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        let mut rules = rules_in(&tx)?;
        if crate::domain::feature_rules::words(term).is_empty() {
            return Err(StoreError::Refused(Refusal::EmptyTerm(term.to_owned())));
        }
        if let Some(c) = crate::domain::text::first_hidden_char(term) {
            return Err(StoreError::Refused(Refusal::HiddenCharacter {
                what: term.trim().to_owned(),
                field: "term",
                code: c as u32,
            }));
        }
        if !rules.add_term(term) {
            return Ok(false);
        }
        super::settings::put(&tx, super::settings::FEATURE_RULES, Some(&rules.to_toml()))?;
        let payload = json!({ "term": term.trim() });
        append(
            &tx,
            &at,
            actor,
            EventKind::FeatureTermForbidden,
            None,
            &payload,
        )?;
        tx.commit()?;
        Ok(true)
    }
}
