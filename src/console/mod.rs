//! The terminal console: Elm-style `App` state, `Action`s, `update()`, and rendering as a
//! function of state, one file per screen region under `ui/`.
//!
//! `oordeel review` calls [`run`]. Tests drive the same pieces without a terminal:
//! [`App::new`] with a [`ReviewBackend`](backend::ReviewBackend) (the real store, or the fake
//! of `testing`, built only for tests and the `testing` feature), [`update`] or
//! [`handle_event`], and [`ui::render`] into a ratatui `TestBackend`.

pub mod action;
pub mod app;
pub mod backend;
mod casework;
pub mod clock;
mod editor;
mod history_view;
pub(crate) mod judging;
pub mod keychord;
pub mod keymap;
mod options;
mod outcomes;
mod screen;
pub mod search;
mod stats_view;
mod terminal;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod theme;
pub mod ui;
pub mod update;
pub mod window;

#[cfg(test)]
mod tests;

use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event};

pub use action::Action;
pub use app::{App, ConsoleOptions};
pub use keymap::Keymap;
pub use terminal::columns as terminal_columns;
pub use update::{handle_event, poll, tick, update};

use crate::i18n::t;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Keymap(#[from] keymap::KeymapError),
    #[error("{}", t("console.error.not_a_terminal"))]
    NotATerminal,
    #[error("{}: {source}", t("console.error.terminal"))]
    Terminal {
        #[from]
        source: io::Error,
    },
}

/// How often the loop looks at the stop flag (and whether the terminal is still there) while
/// no key arrives. Nothing is redrawn then: the screen changes only after an event.
const SIGNAL_POLL: Duration = Duration::from_millis(200);

/// How often the claim on the case on screen is renewed (well inside `store::LEASE`) and the
/// queue read again for other people's claims and decisions. Redrawn only if that changed
/// what the screen shows.
const TICK: Duration = Duration::from_secs(60);

/// How often the loop asks whether another process wrote to the database (a halt, a new
/// ranking): well inside the two seconds in which a halt must reach every console, and
/// costing one pragma when nothing was written. Checked between keys too, so a reviewer
/// typing without pause still sees a halt.
const POLL: Duration = Duration::from_millis(500);

/// Runs the console until the reviewer quits, the terminal hangs up or SIGTERM arrives; in
/// every case the session is ended through the backend and the terminal restored.
pub fn run(
    backend: Box<dyn backend::ReviewBackend>,
    options: ConsoleOptions,
) -> Result<(), ConsoleError> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(ConsoleError::NotATerminal);
    }
    // The signals first: opening the first case claims it, and a hang-up from then on must
    // end the session (and free the claim), not kill the process.
    let stop = Arc::new(AtomicBool::new(false));
    let signals = terminal::StopSignals::register(&stop)?;
    let mouse = options.mouse;
    let mut app = App::new(backend, options)?;
    let result = match terminal::TerminalGuard::enter(mouse) {
        Ok((guard, mut term)) => {
            let result = event_loop(&mut app, &mut term, &stop);
            // The session ends in the log before the terminal is touched again: after a
            // hang-up the terminal is gone, and nothing failing there may cost the record.
            update(&mut app, Action::Quit);
            // ratatui's Drop shows the cursor and, if that fails, prints to stderr, which
            // panics when stderr is the terminal that hung up: skip it then.
            if term.show_cursor().is_ok() {
                drop(term);
            } else {
                std::mem::forget(term);
            }
            drop(guard);
            result
        }
        Err(e) => Err(e.into()),
    };
    drop(signals);
    // However the loop ended (or never started), the session ends in the log.
    update(&mut app, Action::Quit);
    result?;
    match app.take_exit_error() {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

/// Reads terminal events on their own thread. crossterm's reader spins forever once the
/// terminal hangs up (it retries a read that keeps failing), so reading must never block the
/// thread that ends the session: this one may spin until the process exits.
fn spawn_reader() -> io::Result<mpsc::Receiver<io::Result<Event>>> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("oordeel-keys".into())
        .spawn(move || {
            loop {
                let ev = event::read();
                let failed = ev.is_err();
                if tx.send(ev).is_err() || failed {
                    break;
                }
            }
        })?;
    Ok(rx)
}

fn event_loop(
    app: &mut App,
    term: &mut ratatui::DefaultTerminal,
    stop: &AtomicBool,
) -> Result<(), ConsoleError> {
    let size = term.size()?;
    update(app, Action::Resize(size.width, size.height));
    term.draw(|frame| ui::render(app, frame))?;
    let events = spawn_reader()?;
    let mut next_tick = Instant::now() + TICK;
    let mut next_poll = Instant::now() + POLL;
    while !app.should_quit() {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        // Checked on every pass, so a reviewer typing without pause still keeps the claim.
        if Instant::now() >= next_tick {
            next_tick = Instant::now() + TICK;
            if tick(app) {
                term.draw(|frame| ui::render(app, frame))?;
            }
        }
        if Instant::now() >= next_poll {
            next_poll = Instant::now() + POLL;
            if poll(app) {
                term.draw(|frame| ui::render(app, frame))?;
            }
        }
        let ev = match events.recv_timeout(SIGNAL_POLL.min(POLL)) {
            Ok(Ok(ev)) => ev,
            // A hang-up can make the read fail before the flag is seen: that is a stop.
            Ok(Err(_)) if stop.load(Ordering::Relaxed) => return Ok(()),
            Ok(Err(e)) => return Err(e.into()),
            // No key: look whether the terminal is still there (a hang-up without SIGHUP,
            // as when the console runs under another process), and wait again.
            Err(mpsc::RecvTimeoutError::Timeout) if io::stdout().is_terminal() => continue,
            Err(_) => return Ok(()),
        };
        if handle_event(app, ev) && !app.should_quit() {
            term.draw(|frame| ui::render(app, frame))?;
        }
    }
    Ok(())
}
