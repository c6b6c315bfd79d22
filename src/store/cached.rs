//! Statements through the connection's cache. The console runs the same few dozen statements
//! for every case it shows and every decision; preparing each anew (parsing and planning the
//! SQL) was a seventh of a decision's time.

use rusqlite::{Connection, Params, Row};

/// How many prepared statements a connection keeps (rusqlite's default is 16; a decision
/// alone runs more than that).
pub(super) const CAPACITY: usize = 256;

/// `query_row` and `execute` through `prepare_cached`.
pub(crate) trait CachedSql {
    fn cached_row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> rusqlite::Result<T>;

    fn cached_execute<P: Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
}

impl CachedSql for Connection {
    fn cached_row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: Params,
        F: FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    fn cached_execute<P: Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }
}
