//! Search (the console's `/` and `:`): the cases of households found by number, creditor,
//! a word in a note, or (for roles that may reveal personal data, and logged) a name or an
//! address, through the indexes of schema 13, never a scan. What a search finds is kept in a
//! table of this connection's own (`temp.search_hits`), which the queue's window reads in
//! the queue's order like any other list (`QueueList::Search`).

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, ToSql};
use serde_json::json;

use super::events::{Actor, append, timestamp};
use super::{Result, Store};
use crate::domain::event::EventKind;
use crate::domain::search::{
    MAX_HITS, MIN_PERSONAL_WORD, MIN_WORD, SearchField, SearchOutcome, SearchTerms,
};

/// Made on the first search of a connection; temporary, so it is never in the file.
pub(super) fn ensure_hits_table(conn: &rusqlite::Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS search_hits (case_id INTEGER PRIMARY KEY)",
    )?;
    Ok(())
}

impl Store {
    /// Finds the cases under review (open or decided, in the actor's teams) of the households
    /// `text` names, keeps them for `QueueList::Search`, and says how many and where they
    /// were found. A match on personal data is written to the log (`personal_data_searched`,
    /// with the households listed) before anything is shown; when that write fails nothing
    /// is kept.
    pub fn search(&mut self, actor: &Actor, text: &str) -> Result<SearchOutcome> {
        ensure_hits_table(&self.conn)?;
        self.conn.execute_batch("DELETE FROM temp.search_hits")?;
        let terms = SearchTerms::parse(text);
        let mut outcome = SearchOutcome::default();
        if terms.is_empty() {
            return Ok(outcome);
        }
        let team: Value = actor
            .team_scope()
            .map_or(Value::Null, |t| Value::Text(t.to_owned()));
        let mut personal: Vec<SearchField> = Vec::new();
        // The households listed for their name or address: what the log must record.
        let mut named = std::collections::BTreeSet::new();
        for (field, candidates, values) in candidates(actor, &terms) {
            let remaining = MAX_HITS - outcome.cases;
            if remaining == 0 {
                outcome.capped = true;
                break;
            }
            let n = values.len();
            let sql = format!(
                // A join, not `IN (...)`: the candidates stream (an FTS match, an index range)
                // and stop at the limit, where `IN` would gather every one of them first
                // (a creditor's households in a town of a million: 90 ms a key instead of 4).
                "SELECT DISTINCT c.id, h.pseudonym FROM ({candidates}) AS k
                 JOIN cases c ON c.household_id = k.hid
                 JOIN households h ON h.id = c.household_id
                 WHERE c.status != 'closed' AND (?{t} IS NULL OR c.team = ?{t})
                 LIMIT ?{l}",
                t = n + 1,
                l = n + 2
            );
            let mut all: Vec<&dyn ToSql> = values.iter().map(|v| v as &dyn ToSql).collect();
            let limit = (remaining + 1) as i64;
            all.push(&team);
            all.push(&limit);
            let found: Vec<(i64, String)> = self
                .conn
                .prepare_cached(&sql)?
                .query_map(all.as_slice(), |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            if found.len() > remaining {
                outcome.capped = true;
            }
            let mut insert = self
                .conn
                .prepare_cached("INSERT OR IGNORE INTO temp.search_hits (case_id) VALUES (?1)")?;
            let mut added = 0;
            for (case_id, pseudonym) in found.into_iter().take(remaining) {
                added += insert.execute([case_id])?;
                if field.personal() {
                    named.insert(pseudonym);
                }
            }
            if added > 0 || (field.personal() && !named.is_empty()) {
                outcome.fields.push(field);
                if field.personal() {
                    personal.push(field);
                }
            }
            outcome.cases += added;
            if field == SearchField::Pseudonym {
                outcome.without_case = self.without_case(&terms.pseudonyms, actor)?;
            }
        }
        if !personal.is_empty()
            && let Err(e) = self.log_personal_search(actor, &personal, named)
        {
            self.conn.execute_batch("DELETE FROM temp.search_hits")?;
            return Err(e);
        }
        Ok(outcome)
    }

    /// Households with one of these pseudonyms and no case under review the actor may see.
    fn without_case(&self, pseudonyms: &[String], actor: &Actor) -> Result<usize> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT NOT EXISTS (SELECT 1 FROM cases c WHERE c.household_id = h.id
                 AND c.status != 'closed' AND (?2 IS NULL OR c.team = ?2))
             FROM households h WHERE h.pseudonym = ?1",
        )?;
        let mut n = 0;
        for p in pseudonyms {
            let lone: Option<bool> = stmt
                .query_row(rusqlite::params![p, actor.team_scope()], |r| r.get(0))
                .optional()?;
            n += usize::from(lone == Some(true));
        }
        Ok(n)
    }

    /// The record of a search that listed households for their name or address: which
    /// fields, which households (those the search kept), never the words.
    fn log_personal_search(
        &mut self,
        actor: &Actor,
        fields: &[SearchField],
        households: std::collections::BTreeSet<String>,
    ) -> Result<()> {
        let payload = json!({
            "fields": fields.iter().map(|f| f.as_code()).collect::<Vec<_>>(),
            "households": households,
        });
        // Typing on ("ker", "kerk") often lists the same households again: one record of a
        // showing is enough, so the last one is kept with the connection and not repeated.
        let text = payload.to_string();
        self.conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS search_logged (payload TEXT NOT NULL)",
        )?;
        let repeated: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM temp.search_logged WHERE payload = ?1)",
            [&text],
            |r| r.get(0),
        )?;
        if repeated {
            return Ok(());
        }
        let at = timestamp(self.now());
        let tx = self.acting_tx(actor)?;
        append(
            &tx,
            &at,
            actor,
            EventKind::PersonalDataSearched,
            None,
            &payload,
        )?;
        tx.commit()?;
        self.conn.execute("DELETE FROM temp.search_logged", [])?;
        self.conn.execute(
            "INSERT INTO temp.search_logged (payload) VALUES (?1)",
            [&text],
        )?;
        Ok(())
    }
}

/// For each field the words may be in: the households' SQL (numbered parameters from 1) and
/// its values. Personal data only for roles that may reveal it, and only for words long
/// enough not to list half the town.
fn candidates(actor: &Actor, terms: &SearchTerms) -> Vec<(SearchField, String, Vec<Value>)> {
    let mut out = Vec::new();
    if !terms.pseudonyms.is_empty() {
        let marks = (1..=terms.pseudonyms.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        out.push((
            SearchField::Pseudonym,
            format!("SELECT id AS hid FROM households WHERE pseudonym IN ({marks})"),
            terms
                .pseudonyms
                .iter()
                .map(|p| Value::Text(p.clone()))
                .collect(),
        ));
        return out;
    }
    if terms.words.is_empty() {
        return out;
    }
    let words: Vec<Value> = terms.words.iter().map(|w| Value::Text(w.clone())).collect();
    let each = (1..=words.len())
        .map(|i| format!("instr(lower(name), ?{i}) > 0"))
        .collect::<Vec<_>>()
        .join(" AND ");
    out.push((
        SearchField::Creditor,
        format!(
            "SELECT household_id AS hid FROM signals WHERE creditor IN
             (SELECT name FROM creditors WHERE {each})"
        ),
        words,
    ));
    if let Some(query) = terms.fts_query(MIN_WORD) {
        // A note counts only where the reader may see its case.
        let team = actor
            .team_scope()
            .map_or(Value::Null, |t| Value::Text(t.to_owned()));
        out.push((
            SearchField::Note,
            "SELECT c.household_id AS hid FROM search_notes n JOIN events e ON e.seq = n.rowid
             JOIN cases c ON c.id = e.case_id
             WHERE search_notes MATCH ?1 AND (?2 IS NULL OR c.team = ?2)"
                .to_owned(),
            vec![Value::Text(query), team],
        ));
    }
    if actor.role.reveals()
        && let Some(query) = terms.fts_query(MIN_PERSONAL_WORD)
    {
        for field in [SearchField::Name, SearchField::Address] {
            out.push((
                field,
                "SELECT rowid AS hid FROM search_people WHERE search_people MATCH ?1".to_owned(),
                vec![Value::Text(format!("{} : ({query})", field.as_code()))],
            ));
        }
    }
    out
}

impl super::ReviewSession {
    /// Searches as this reviewer (see `Store::search`).
    pub fn search(&mut self, text: &str) -> Result<SearchOutcome> {
        let actor = self.actor.clone();
        self.store.search(&actor, text)
    }
}
