//! Imported caseloads (`oordeel import`): one row in `imports` per file, its records in
//! `import_records`, with protected attributes (`import_protected`) and personal data
//! (`import_personal`) in tables of their own, as the demo keeps `protected_attributes` and
//! `personal_data` apart from `households`.
//!
//! Why not `households` and `cases`: those have the demo's fixed columns, and an import has
//! whatever its profile names; forcing it in would mean inventing values for columns it
//! lacks. Why apart: a model or a screen that reads records never reads a protected
//! attribute by accident (only the fairness audit joins that table), and personal data can
//! be erased without touching the records or the log.
//!
//! The whole import is one transaction with its `import` event: it lands whole or not at
//! all. The same file through the same profile is refused the second time (by the SHA-256
//! of both): a repeated import would count every record twice in a report, while a file
//! read again through a corrected profile is a new import.

use crate::store::Refusal;
use crate::store::cached::CachedSql;
use rusqlite::{OptionalExtension, params};
use serde_json::{Map, Value, json};

use super::events::{Actor, append, timestamp};
use super::users::require;
use super::{Result, Store, StoreError};
use crate::domain::event::EventKind;
use crate::domain::import::ImportRecord;

/// An import about to be written.
pub struct NewImport<'a> {
    pub file_name: &'a str,
    pub file_sha256: &'a str,
    pub profile_name: &'a str,
    pub profile_sha256: &'a str,
    pub profile_text: &'a str,
    pub encoding: &'a str,
    pub delimiter: &'a str,
    pub rows_read: usize,
    pub score_direction: Option<&'a str>,
    pub records: &'a [ImportRecord],
}

/// An import as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportInfo {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub file_name: String,
    pub file_sha256: String,
    pub profile_name: String,
    pub profile_text: String,
    pub rows_read: i64,
    pub records: i64,
    pub score_direction: Option<String>,
    pub event_seq: i64,
}

/// One record as the fairness audit reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedRecord {
    pub external_id: String,
    pub team: Option<String>,
    pub features: Map<String, Value>,
    pub protected: Map<String, Value>,
    pub outcome: Option<bool>,
    pub score: Option<f64>,
}

const INFO_COLUMNS: &str = "id, at, actor, file_name, file_sha256, profile_name, profile, \
                            rows_read, records, score_direction, event_seq";

fn info(r: &rusqlite::Row<'_>) -> rusqlite::Result<ImportInfo> {
    Ok(ImportInfo {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        file_name: r.get(3)?,
        file_sha256: r.get(4)?,
        profile_name: r.get(5)?,
        profile_text: r.get(6)?,
        rows_read: r.get(7)?,
        records: r.get(8)?,
        score_direction: r.get(9)?,
        event_seq: r.get(10)?,
    })
}

impl Store {
    /// Refuses whoever may not import (admins only), before a file is even read.
    pub fn may_import(&self, actor: &Actor) -> Result<()> {
        require(actor, actor.role.administers(), "error.action.manage_data")
    }

    /// The import of this file through this profile, if there was one.
    pub fn earlier_import(
        &self,
        file_sha256: &str,
        profile_sha256: &str,
    ) -> Result<Option<ImportInfo>> {
        let sql = format!(
            "SELECT {INFO_COLUMNS} FROM imports WHERE file_sha256 = ?1 AND profile_sha256 = ?2"
        );
        Ok(self
            .conn
            .cached_row(&sql, [file_sha256, profile_sha256], info)
            .optional()?)
    }

    /// Writes an import and its `import` event in one transaction (admins only). `progress`
    /// is told how many records have been written, now and then.
    pub fn write_import(
        &mut self,
        actor: &Actor,
        new: &NewImport<'_>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<ImportInfo> {
        self.may_import(actor)?;
        let at = timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        // Read again under the write lock: two admins importing the same file at once.
        let sql = format!(
            "SELECT {INFO_COLUMNS} FROM imports WHERE file_sha256 = ?1 AND profile_sha256 = ?2"
        );
        if let Some(earlier) = tx
            .cached_row(&sql, [new.file_sha256, new.profile_sha256], info)
            .optional()?
        {
            return Err(duplicate(earlier));
        }
        let id: i64 = tx.cached_row("SELECT coalesce(max(id), 0) + 1 FROM imports", [], |r| {
            r.get(0)
        })?;
        let payload = json!({
            "import": id,
            "file": new.file_name,
            "file_sha256": new.file_sha256,
            "profile": new.profile_name,
            "profile_sha256": new.profile_sha256,
            "encoding": new.encoding,
            "delimiter": new.delimiter,
            "rows_read": new.rows_read,
            "records": new.records.len(),
        });
        let seq = append(&tx, &at, actor, EventKind::Import, None, &payload)?;
        tx.cached_execute(
            "INSERT INTO imports (id, at, actor, file_name, file_sha256, profile_name,
                profile_sha256, profile, encoding, delimiter, rows_read, records,
                score_direction, event_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                id,
                at,
                actor.name,
                new.file_name,
                new.file_sha256,
                new.profile_name,
                new.profile_sha256,
                new.profile_text,
                new.encoding,
                new.delimiter,
                new.rows_read as i64,
                new.records.len() as i64,
                new.score_direction,
                seq
            ],
        )?;
        {
            let mut record = tx.prepare_cached(
                "INSERT INTO import_records (import_id, external_id, line, team, features,
                    outcome, external_score, display)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut protected = tx.prepare_cached(
                "INSERT INTO import_protected (import_id, external_id, attributes)
                 VALUES (?1, ?2, ?3)",
            )?;
            let mut personal = tx.prepare_cached(
                "INSERT INTO import_personal (import_id, external_id, fields)
                 VALUES (?1, ?2, ?3)",
            )?;
            for (i, r) in new.records.iter().enumerate() {
                record.execute(params![
                    id,
                    r.id,
                    r.line as i64,
                    r.team,
                    Value::Object(r.features.clone()).to_string(),
                    r.outcome.map(i64::from),
                    r.score,
                    Value::Object(r.display.clone()).to_string(),
                ])?;
                if !r.protected.is_empty() {
                    let json = Value::Object(r.protected.clone()).to_string();
                    protected.execute(params![id, r.id, json])?;
                }
                if !r.personal.is_empty() {
                    let json = Value::Object(r.personal.clone()).to_string();
                    personal.execute(params![id, r.id, json])?;
                }
                if i.is_multiple_of(1024) {
                    progress(i);
                }
            }
        }
        let sql = format!("SELECT {INFO_COLUMNS} FROM imports WHERE id = ?1");
        let stored = tx.cached_row(&sql, [id], info)?;
        tx.commit()?;
        progress(new.records.len());
        Ok(stored)
    }

    /// An import (`None`: the latest) for the fairness audit: auditors and admins, and
    /// supervisors for their own team's records.
    pub fn import_info(&self, actor: &Actor, id: Option<i64>) -> Result<ImportInfo> {
        require(actor, actor.role.audits(), "error.action.audit")?;
        let sql = format!(
            "SELECT {INFO_COLUMNS} FROM imports WHERE ?1 IS NULL OR id = ?1
             ORDER BY id DESC LIMIT 1"
        );
        self.conn
            .cached_row(&sql, [id], info)
            .optional()?
            .ok_or(match id {
                Some(id) => StoreError::Refused(Refusal::NoSuchImport(id)),
                None => StoreError::Refused(Refusal::Empty("error.import.none")),
            })
    }

    /// The records of import `id` with their protected attributes, in file order, limited
    /// to the actor's team. Read for the fairness audit only.
    pub fn imported_records(&self, actor: &Actor, id: i64) -> Result<Vec<ImportedRecord>> {
        require(actor, actor.role.audits(), "error.action.audit")?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.external_id, r.team, r.features, p.attributes, r.outcome, r.external_score
             FROM import_records r
             LEFT JOIN import_protected p
               ON p.import_id = r.import_id AND p.external_id = r.external_id
             WHERE r.import_id = ?1 AND (?2 IS NULL OR r.team = ?2)
             ORDER BY r.line",
        )?;
        let mut rows = stmt.query(params![id, actor.team_scope()])?;
        let object = |text: Option<String>, what: &str| -> Result<Map<String, Value>> {
            match text.map(|t| serde_json::from_str::<Value>(&t)) {
                None => Ok(Map::new()),
                Some(Ok(Value::Object(map))) => Ok(map),
                Some(_) => Err(StoreError::Corrupt(format!("import {id}: {what}"))),
            }
        };
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(ImportedRecord {
                external_id: r.get(0)?,
                team: r.get(1)?,
                features: object(r.get(2)?, "features")?,
                protected: object(r.get(3)?, "protected attributes")?,
                outcome: r.get::<_, Option<i64>>(4)?.map(|o| o == 1),
                score: r.get(5)?,
            });
        }
        Ok(out)
    }
}

fn duplicate(earlier: ImportInfo) -> StoreError {
    StoreError::Refused(Refusal::DuplicateImport {
        id: earlier.id,
        at: earlier.at,
        by: earlier.actor,
    })
}
