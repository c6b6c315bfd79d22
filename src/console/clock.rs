//! The console's clock: how long a case has been on screen, for the "are you sure?" prompt.
//! Tests use a manual clock they move by hand, so no test waits or races real time.

use std::cell::Cell;
use std::fmt;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Time since the console started, from the system's monotonic clock or set by hand.
#[derive(Clone)]
pub enum Clock {
    System(Instant),
    Manual(Rc<Cell<Duration>>),
}

impl Clock {
    pub fn system() -> Clock {
        Clock::System(Instant::now())
    }

    /// A clock standing at zero, and the handle that moves it.
    pub fn manual() -> (Clock, ManualClock) {
        let time = Rc::new(Cell::new(Duration::ZERO));
        (Clock::Manual(time.clone()), ManualClock(time))
    }

    pub fn now(&self) -> Duration {
        match self {
            Clock::System(start) => start.elapsed(),
            Clock::Manual(time) => time.get(),
        }
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Clock::System(_) => f.write_str("Clock::System"),
            Clock::Manual(t) => write!(f, "Clock::Manual({:?})", t.get()),
        }
    }
}

/// Two clocks are equal when they tell the same time source: options compare by setup.
impl PartialEq for Clock {
    fn eq(&self, other: &Clock) -> bool {
        match (self, other) {
            (Clock::System(a), Clock::System(b)) => a == b,
            (Clock::Manual(a), Clock::Manual(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// The hand that moves a manual clock.
#[derive(Debug, Clone)]
pub struct ManualClock(Rc<Cell<Duration>>);

impl ManualClock {
    pub fn advance(&self, by: Duration) {
        self.0.set(self.0.get() + by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_by_hand() {
        let (clock, hand) = Clock::manual();
        assert_eq!(clock.now(), Duration::ZERO);
        hand.advance(Duration::from_secs(3));
        assert_eq!(clock.now(), Duration::from_secs(3));
        assert_eq!(clock.clone(), clock);
        assert_ne!(clock, Clock::manual().0);
    }
}
