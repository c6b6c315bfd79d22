//! The part of the queue the console holds: a window of rows around the cursor, read through
//! `ReviewBackend::window` with keyset pagination. Moving past either end reads the next chunk
//! and drops rows far from the cursor, so memory and work per keystroke stay the same whether
//! the queue holds a hundred cases or a million.

use super::backend::{QueueKey, ReviewBackend, WindowQuery, WindowStart};
use crate::domain::queue::QueueList;
use crate::domain::view::QueueRow;
use crate::store::StoreError;

/// Rows read per query.
pub const CHUNK: usize = 64;
/// Most rows held at once.
pub const CAPACITY: usize = 4 * CHUNK;

/// The queue ordering key of a row.
pub fn key_of(row: &QueueRow) -> QueueKey {
    QueueKey {
        rank: row.position,
        case_id: row.case_id,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueueWindow {
    rows: Vec<QueueRow>,
    cursor: usize,
    /// First row shown in the queue pane; kept here so scrolling is steady, not recomputed.
    top: usize,
    /// Rows in the queue pane.
    view: usize,
    /// Whether the queue may hold rows before / after the window.
    more_before: bool,
    more_after: bool,
    include_decided: bool,
    /// The queue, or a list beside it (to sign, outcomes due).
    list: QueueList,
    /// Nearest deadline first instead of the queue's own order.
    by_deadline: bool,
}

impl QueueWindow {
    pub fn new(view: usize) -> Self {
        QueueWindow {
            rows: Vec::new(),
            cursor: 0,
            top: 0,
            view: view.max(1),
            more_before: false,
            more_after: false,
            include_decided: false,
            list: QueueList::Queue,
            by_deadline: false,
        }
    }

    pub fn rows(&self) -> &[QueueRow] {
        &self.rows
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn top(&self) -> usize {
        self.top
    }

    /// Where the cursor is in the pane: kept when the window is read again after a write.
    pub fn screen_row(&self) -> usize {
        self.cursor - self.top.min(self.cursor)
    }

    pub fn selected(&self) -> Option<&QueueRow> {
        self.rows.get(self.cursor)
    }

    pub fn include_decided(&self) -> bool {
        self.include_decided
    }

    pub fn list(&self) -> QueueList {
        self.list
    }

    pub fn to_sign(&self) -> bool {
        self.list == QueueList::ToSign
    }

    pub fn outcomes(&self) -> bool {
        self.list == QueueList::Outcomes
    }

    pub fn by_deadline(&self) -> bool {
        self.by_deadline
    }

    pub fn more_after(&self) -> bool {
        self.more_after
    }

    pub fn more_before(&self) -> bool {
        self.more_before
    }

    fn query(&self, start: WindowStart, limit: usize) -> WindowQuery {
        WindowQuery {
            list: self.list,
            include_decided: self.include_decided,
            by_deadline: self.by_deadline,
            start,
            limit,
        }
    }

    /// The top of the queue.
    pub fn first(&mut self, backend: &dyn ReviewBackend) -> Result<(), StoreError> {
        let rows = backend.window(&self.query(WindowStart::First, CHUNK))?;
        self.more_after = rows.len() == CHUNK;
        self.more_before = false;
        self.rows = rows;
        self.cursor = 0;
        self.top = 0;
        self.fill(backend)
    }

    /// The bottom of the queue.
    pub fn last(&mut self, backend: &dyn ReviewBackend) -> Result<(), StoreError> {
        let rows = backend.window(&self.query(WindowStart::Last, CHUNK))?;
        self.more_before = rows.len() == CHUNK;
        self.more_after = false;
        self.rows = rows;
        self.cursor = self.rows.len().saturating_sub(1);
        self.top = self.cursor.saturating_sub(self.view - 1);
        Ok(())
    }

    /// Re-reads the window around `key`: selects that case, or the next one after it, or
    /// (at the end of the queue) the one before. `screen_row` is where the cursor should
    /// appear in the pane, so a reload after a decision does not make the list jump.
    pub fn goto(
        &mut self,
        backend: &dyn ReviewBackend,
        key: QueueKey,
        screen_row: usize,
    ) -> Result<(), StoreError> {
        let half = CHUNK / 2;
        let before = backend.window(&self.query(WindowStart::Before(key), half))?;
        let from = backend.window(&self.query(WindowStart::From(key), CHUNK))?;
        self.more_before = before.len() == half;
        self.more_after = from.len() == CHUNK;
        self.cursor = if from.is_empty() {
            before.len().saturating_sub(1)
        } else {
            before.len()
        };
        self.rows = before;
        self.rows.extend(from);
        self.top = self.cursor.saturating_sub(screen_row.min(self.view - 1));
        self.fill(backend)
    }

    /// Opens the window on the case a session left off at, with the queue above it in view:
    /// near the top, the pane starts at rank 1 (a reviewer returning after `score` must not
    /// find the first ranks scrolled away); deeper, the case sits mid-pane.
    pub fn resume(&mut self, backend: &dyn ReviewBackend, key: QueueKey) -> Result<(), StoreError> {
        self.goto(backend, key, self.view / 2)?;
        if !self.more_before && self.cursor < self.view {
            self.top = 0;
        }
        Ok(())
    }

    /// Re-reads the window around the selected case (after a write, or a change of filter).
    pub fn reload(&mut self, backend: &dyn ReviewBackend) -> Result<(), StoreError> {
        match self.selected().map(key_of) {
            Some(key) => self.goto(backend, key, self.screen_row()),
            None => self.first(backend),
        }
    }

    /// Shows decided cases too, or only open ones, keeping the selection where it can.
    pub fn set_include_decided(
        &mut self,
        backend: &dyn ReviewBackend,
        include: bool,
    ) -> Result<(), StoreError> {
        let previous = self.include_decided;
        self.include_decided = include;
        let result = self.reload(backend);
        if result.is_err() {
            self.include_decided = previous;
        }
        result
    }

    /// Reads the queue nearest deadline first, or in its own order again, from the top.
    pub fn set_by_deadline(
        &mut self,
        backend: &dyn ReviewBackend,
        by_deadline: bool,
    ) -> Result<(), StoreError> {
        let previous = self.by_deadline;
        self.by_deadline = by_deadline;
        let result = self.first(backend);
        if result.is_err() {
            self.by_deadline = previous;
        }
        result
    }

    /// Shows `list` from the top, or (for the queue itself) the queue again at `back_to`,
    /// the case that was selected before.
    pub fn set_list(
        &mut self,
        backend: &dyn ReviewBackend,
        list: QueueList,
        back_to: Option<QueueKey>,
    ) -> Result<(), StoreError> {
        let previous = self.list;
        self.list = list;
        let result = match back_to.filter(|_| list == QueueList::Queue) {
            Some(key) => self.goto(backend, key, self.view / 2),
            None => self.first(backend),
        };
        if result.is_err() {
            self.list = previous;
        }
        result
    }

    /// Takes over what changed in rows that `fresh` (a re-read of this window) also holds:
    /// who holds them and their status. A row `fresh` lacks has left this queue (decided
    /// meanwhile), which frees its claim. The rows and the cursor stay where they are.
    pub fn refresh_rows(&mut self, fresh: &QueueWindow) {
        for row in &mut self.rows {
            match fresh.rows.iter().find(|r| r.case_id == row.case_id) {
                Some(new) => {
                    row.held_by.clone_from(&new.held_by);
                    row.status = new.status;
                }
                None => row.held_by = None,
            }
        }
    }

    /// The status of one row as now known (the case on screen, read again).
    pub fn set_status(&mut self, case_id: i64, status: crate::domain::decision::CaseStatus) {
        if let Some(row) = self.rows.iter_mut().find(|r| r.case_id == case_id) {
            row.status = status;
        }
    }

    /// Rows the pane shows; a new height keeps the cursor in view and may read more rows.
    pub fn set_view(&mut self, backend: &dyn ReviewBackend, view: usize) -> Result<(), StoreError> {
        self.view = view.max(1);
        self.fit();
        self.fill(backend)
    }

    pub fn view(&self) -> usize {
        self.view
    }

    /// Moves the cursor by `delta` rows, reading further chunks when it passes an end.
    pub fn move_by(&mut self, backend: &dyn ReviewBackend, delta: isize) -> Result<(), StoreError> {
        if self.rows.is_empty() {
            return self.first(backend);
        }
        if delta >= 0 {
            let mut target = self.cursor + delta as usize;
            while target >= self.rows.len() && self.more_after {
                let last = key_of(self.rows.last().expect("rows are not empty"));
                let more = backend.window(&self.query(WindowStart::After(last), CHUNK))?;
                self.more_after = more.len() == CHUNK;
                self.rows.extend(more);
                let dropped = self.trim_front(target);
                target -= dropped;
            }
            self.cursor = target.min(self.rows.len() - 1);
        } else {
            let back = delta.unsigned_abs();
            while back > self.cursor && self.more_before {
                let first = key_of(&self.rows[0]);
                let mut more = backend.window(&self.query(WindowStart::Before(first), CHUNK))?;
                self.more_before = more.len() == CHUNK;
                let added = more.len();
                more.append(&mut self.rows);
                self.rows = more;
                self.cursor += added;
                self.top += added;
                self.trim_back();
                if added == 0 {
                    break;
                }
            }
            self.cursor = self.cursor.saturating_sub(back);
        }
        self.fit();
        self.fill(backend)
    }

    /// Drops rows from the front beyond the capacity, never the one at `target` or above the
    /// pane. Returns how many were dropped.
    fn trim_front(&mut self, target: usize) -> usize {
        let excess = self.rows.len().saturating_sub(CAPACITY);
        let keep_from = target.saturating_sub(self.view).min(self.top);
        let dropped = excess.min(keep_from);
        if dropped > 0 {
            self.rows.drain(..dropped);
            self.cursor -= dropped;
            self.top -= dropped;
            self.more_before = true;
        }
        dropped
    }

    /// Drops rows from the back beyond the capacity, keeping the pane full.
    fn trim_back(&mut self) {
        let keep = CAPACITY.max(self.top + self.view + 1).max(self.cursor + 1);
        if self.rows.len() > keep {
            self.rows.truncate(keep);
            self.more_after = true;
        }
    }

    /// Scrolls so the cursor is in the pane.
    fn fit(&mut self) {
        if self.cursor < self.top {
            self.top = self.cursor;
        } else if self.cursor >= self.top + self.view {
            self.top = self.cursor + 1 - self.view;
        }
    }

    /// Reads ahead when the pane would show empty lines although more rows exist.
    fn fill(&mut self, backend: &dyn ReviewBackend) -> Result<(), StoreError> {
        if self.more_after && self.rows.len() < self.top + self.view {
            let Some(last) = self.rows.last().map(key_of) else {
                return Ok(());
            };
            let more = backend.window(&self.query(WindowStart::After(last), CHUNK))?;
            self.more_after = more.len() == CHUNK;
            self.rows.extend(more);
        }
        Ok(())
    }
}
