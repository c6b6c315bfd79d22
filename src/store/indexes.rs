//! Indexes set aside for bulk work and made again after it: one sort per index instead of
//! moving entries one at a time to random places (a first load; a scoring run that places
//! most of the queue anew).

use rusqlite::Transaction;

use super::Result;

/// Drops the indexes of `tables` whose definition `wanted` picks, in the caller's
/// transaction, and returns the statements that make them again. Inside the transaction, so
/// a failure before they are made again leaves them as they were.
pub(super) fn set_aside(
    tx: &Transaction<'_>,
    tables: &[&str],
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<String>> {
    let mut indexes: Vec<(String, String)> = Vec::new();
    {
        let mut stmt = tx.prepare_cached(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = ?1 ORDER BY name",
        )?;
        for table in tables {
            let rows = stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?;
            for row in rows {
                let (name, sql): (String, String) = row?;
                if wanted(&sql) {
                    indexes.push((name, sql));
                }
            }
        }
    }
    for (name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}
