//! Finding a household (`/` and `:`): a prompt that searches as the reviewer types, the
//! cases found shown in the queue pane in the queue's order, `n`/`N` through them, Esc back
//! to where the queue was. The store does the finding (`ReviewBackend::search`) and logs
//! what a search of personal data listed; nothing is opened (no `view`, no claim) until the
//! reviewer picks a case.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, View};
use super::backend::QueueKey;
use super::window::key_of;
use crate::domain::queue::QueueList;
use crate::domain::search::{SearchField, SearchOutcome};
use crate::i18n::{t, tf};

/// Longest text the prompt takes: a name and a street fit many times over.
const MAX_TEXT: usize = 80;

/// A search under way: its prompt, what it found, and where the queue was.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchState {
    pub text: String,
    /// `:`: a household's number only.
    pub jump: bool,
    /// The prompt is open: keys type into it.
    pub typing: bool,
    /// What the last search found; `None` before anything searchable was typed.
    pub outcome: Option<SearchOutcome>,
    /// The list and the case selected before the search, to go back to.
    back: (QueueList, Option<QueueKey>),
}

impl SearchState {
    /// The results are in the queue pane (after Enter, or while typing).
    pub fn shows_results(&self) -> bool {
        self.outcome.is_some()
    }
}

/// `/` or `:`: opens the prompt. Pressed again over results, it edits the same search.
pub fn start(app: &mut App, jump: bool) {
    app.view = View::Queue;
    if let Some(search) = &mut app.search {
        search.typing = true;
        search.jump = jump;
        return;
    }
    app.search = Some(SearchState {
        text: String::new(),
        jump,
        typing: true,
        outcome: None,
        back: (app.window.list(), app.selected().map(key_of)),
    });
}

/// A key in the prompt: the text changes and the search runs again.
pub fn key(app: &mut App, key: KeyEvent) {
    let Some(search) = &mut app.search else {
        return;
    };
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match key.code {
        KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => search.text.clear(),
        KeyCode::Backspace => {
            search.text.pop();
        }
        // Control characters never enter the text (a pasted escape sequence included).
        KeyCode::Char(c) if plain && !c.is_control() => {
            if search.text.chars().count() < MAX_TEXT && (!search.jump || jump_char(c)) {
                search.text.push(c);
            }
        }
        _ => return,
    }
    run(app);
}

/// What `:` takes: a number, with or without its `H-`.
fn jump_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, 'h' | 'H' | '-')
}

/// Searches for the text as it stands and shows what was found from the top; nothing opens
/// until the reviewer confirms.
fn run(app: &mut App) {
    let Some(search) = &app.search else {
        return;
    };
    let text = search.text.clone();
    let terms = crate::domain::search::SearchTerms::parse(&text);
    if terms.is_empty() || (search.jump && terms.pseudonyms.is_empty()) {
        if let Some(s) = &mut app.search {
            s.outcome = None;
        }
        return back_to_queue(app, false);
    }
    match app.backend.search(&text) {
        Ok(outcome) => {
            if let Some(s) = &mut app.search {
                s.outcome = Some(outcome);
            }
            if let Err(e) = app.window.set_list(&*app.backend, QueueList::Search, None) {
                app.fail(&e);
            }
        }
        Err(e) => app.fail(&e),
    }
}

/// Enter in the prompt: keeps what was found and opens the case selected; when nothing was
/// found, says so and goes back to the queue.
pub fn confirm(app: &mut App) {
    let Some(search) = &mut app.search else {
        return;
    };
    search.typing = false;
    let text = search.text.clone();
    match search.outcome.clone() {
        Some(outcome) if outcome.cases > 0 => {
            app.load_detail();
            app.info(found(&outcome, &text));
        }
        Some(outcome) => {
            end(app, false);
            app.info(found(&outcome, &text));
        }
        None if text.trim().is_empty() => end(app, false),
        None => {
            end(app, false);
            app.info(t("console.status.search_short"));
        }
    }
}

/// What a search found, in words for the message line.
pub fn found(outcome: &SearchOutcome, text: &str) -> String {
    let text = crate::domain::text::sanitize(text);
    if outcome.cases == 0 && outcome.without_case > 0 {
        return tf("console.status.search_no_case", &[("household", &text)]);
    }
    if outcome.cases == 0 {
        return tf("console.status.search_none", &[("text", &text)]);
    }
    let fields = fields(&outcome.fields);
    let n = crate::domain::search::MAX_HITS.to_string();
    if outcome.capped {
        tf(
            "console.status.search_capped",
            &[("n", &n), ("fields", &fields)],
        )
    } else {
        tf(
            "console.status.search_found",
            &[("n", &outcome.cases.to_string()), ("fields", &fields)],
        )
    }
}

/// "number", "creditor · note", in the reader's language.
pub fn fields(fields: &[SearchField]) -> String {
    fields
        .iter()
        .map(|f| t(&format!("console.search.{}", f.as_code())))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Esc: the search ends and the queue shows again where it was.
pub fn end(app: &mut App, say: bool) {
    back_to_queue(app, true);
    app.search = None;
    if say {
        app.info(t("console.status.search_ended"));
    }
}

/// The queue the search started from, at the case selected then; with `open`, that case is
/// on screen again (while typing, nothing is opened).
fn back_to_queue(app: &mut App, open: bool) {
    let Some(search) = &app.search else {
        return;
    };
    let (list, key) = search.back;
    if (app.window.list() != list || open)
        && let Err(e) = app.window.set_list(&*app.backend, list, key)
    {
        app.fail(&e);
    }
    if open {
        app.load_detail();
    }
}
