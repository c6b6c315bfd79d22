//! Entering and leaving the terminal: raw mode, the alternate screen and bracketed paste on
//! the way in; all of it undone on the way out, on panic, and (through the event loop) on
//! SIGTERM and SIGHUP. Errors while restoring are ignored on purpose: after SIGHUP the terminal
//! is gone, and a failed write must not turn a clean exit into a panic.

use std::io::{self, Stdout, stdout};
use std::panic::{self, PanicHookInfo};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

type PanicHook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// The terminal's width in columns, if it can be asked (for wrapping command-line messages).
pub fn columns() -> Option<u16> {
    crossterm::terminal::size().ok().map(|(w, _)| w)
}

/// Puts the terminal back as it was. Safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
}

/// While alive, the terminal is in console mode; dropping it restores the terminal and the
/// panic hook that was there before.
pub struct TerminalGuard {
    previous_hook: Option<Arc<PanicHook>>,
}

impl TerminalGuard {
    pub fn enter(mouse: bool) -> io::Result<(TerminalGuard, Terminal<CrosstermBackend<Stdout>>)> {
        // The hook first, so a panic while entering restores too. It restores the terminal and
        // then hands over to the hook installed before (color-eyre's), so the report is
        // printed on a normal screen.
        let previous: Arc<PanicHook> = Arc::new(panic::take_hook());
        let chained = Arc::clone(&previous);
        panic::set_hook(Box::new(move |info| {
            restore();
            chained(info);
        }));
        let guard = TerminalGuard {
            previous_hook: Some(previous),
        };
        enable_raw_mode()?;
        execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        if mouse {
            execute!(stdout(), EnableMouseCapture)?;
        }
        let terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
        Ok((guard, terminal))
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
        // Swapping hooks while panicking would abort; the process is ending then anyway.
        if !std::thread::panicking()
            && let Some(previous) = self.previous_hook.take()
        {
            let _ = panic::take_hook();
            panic::set_hook(Box::new(move |info| previous(info)));
        }
    }
}

/// SIGTERM, SIGHUP and SIGINT set a flag that the event loop polls, so the console ends the session
/// and restores the terminal instead of dying mid-screen.
pub struct StopSignals {
    ids: Vec<signal_hook::SigId>,
}

impl StopSignals {
    pub fn register(flag: &Arc<AtomicBool>) -> io::Result<StopSignals> {
        let mut ids = Vec::new();
        // SIGINT too: in raw mode Ctrl-C arrives as a key, but `kill -INT` from outside does not.
        for signal in [
            signal_hook::consts::SIGTERM,
            signal_hook::consts::SIGHUP,
            signal_hook::consts::SIGINT,
        ] {
            ids.push(signal_hook::flag::register(signal, Arc::clone(flag))?);
        }
        Ok(StopSignals { ids })
    }
}

impl Drop for StopSignals {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}
