//! A halt reaches a console that is already open (AI Act art. 14(4)(e): a stop that stops).
//! The real binary runs in a pseudo-terminal whose output a terminal emulator (vt100) turns
//! into the screen a reviewer sees; a supervisor halts the model from another process, and
//! within two seconds that screen shows the banner, the queue in arrival order with the
//! nearest deadline first, and no chance anywhere. Resuming and scoring again reach it too.

use crate::common;

use std::time::{Duration, Instant};

use common::{DemoDb, demo, oordeel};

/// The console in a pty, and the screen its output draws.
struct Console {
    process: rexpect::process::PtyProcess,
    input: std::fs::File,
    output: std::sync::mpsc::Receiver<Vec<u8>>,
    screen: vt100::Parser,
}

impl Console {
    fn open(db: &DemoDb, as_name: &str) -> Console {
        let cmd = common::console_in_pty(&db.path, 30, 110, &format!("review --as {as_name}"));
        let process = rexpect::process::PtyProcess::new(cmd).expect("spawn in a pty");
        let mut reader = process.get_file_handle().expect("the pty");
        let input = process.get_file_handle().expect("the pty");
        // The raw bytes, on a thread of their own (a read blocks until the console writes).
        let (tx, output) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::Read;
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let mut console = Console {
            process,
            input,
            output,
            screen: vt100::Parser::new(30, 110, 0),
        };
        console.wait_for(Duration::from_secs(15), |s| s.contains("H-"));
        console
    }

    /// Reads what the console wrote until `done` holds for the screen; the time it took.
    fn wait_for(&mut self, limit: Duration, done: impl Fn(&str) -> bool) -> Duration {
        let start = Instant::now();
        loop {
            while let Ok(bytes) = self.output.try_recv() {
                self.screen.process(&bytes);
            }
            let text = self.text();
            if done(&text) {
                return start.elapsed();
            }
            assert!(
                start.elapsed() < limit,
                "not on screen after {limit:?}:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn text(&self) -> String {
        self.screen.screen().contents()
    }

    /// The households in the queue pane, top to bottom.
    fn queue(&self) -> Vec<String> {
        self.text()
            .lines()
            .filter_map(|l| {
                let pane = l.split('│').nth(1)?;
                let h = pane.split_whitespace().find(|w| w.starts_with("H-"))?;
                Some(h.to_owned())
            })
            .collect()
    }

    fn quit(mut self) {
        use std::io::Write;
        self.input.write_all(b"q").unwrap();
        self.input.flush().unwrap();
        let status = self.process.wait().expect("exit status");
        assert!(
            matches!(status, rexpect::process::wait::WaitStatus::Exited(_, 0)),
            "console exit status {status:?}"
        );
    }
}

/// A chance as the queue and the detail write it: `0.96`, `chance 0.35`.
fn shows_a_chance(text: &str) -> bool {
    text.lines().any(|l| {
        l.split('│').any(|cell| {
            cell.split_whitespace().any(|w| {
                w.len() == 4 && w.starts_with("0.") && w[2..].chars().all(|c| c.is_ascii_digit())
            })
        })
    }) || text.contains("chance ")
}

/// Team Noord's open cases in the order a halt puts them: nearest deadline first, then
/// arrival, then case number.
fn arrival_order(db: &DemoDb, n: usize) -> Vec<String> {
    let conn = rusqlite::Connection::open(&db.path).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT h.pseudonym FROM cases c JOIN households h ON h.id = c.household_id
             WHERE c.team = 'Noord' AND c.status = 'open'
             ORDER BY c.deadline_on, c.opened_on, c.id LIMIT ?1",
        )
        .unwrap();
    stmt.query_map([n as i64], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_halt_reaches_an_open_console_within_two_seconds() {
    let db = demo(400);
    let mut anna = Console::open(&db, "anna");
    assert!(
        shows_a_chance(&anna.text()),
        "ranked at first:\n{}",
        anna.text()
    );

    oordeel()
        .args(["--as", "fatima", "halt", "--reason", "test", "--db"])
        .arg(&db.path)
        .assert()
        .success();
    let took = anna.wait_for(Duration::from_secs(2), |s| {
        s.contains("MODEL HALTED by fatima") && !shows_a_chance(s)
    });
    let text = anna.text();
    let queue = anna.queue();
    assert!(queue.len() >= 10, "{text}");
    assert_eq!(queue, arrival_order(&db, queue.len()), "{text}");
    assert!(
        text.contains("Model halted"),
        "the detail says why:\n{text}"
    );
    eprintln!("halt on screen {took:?} after the command returned");

    // Resumed by a second supervisor: the banner goes, and until the next scoring run the
    // queue stays in arrival order with no place the model did not give.
    oordeel()
        .args(["resume", "--db"])
        .arg(&db.path)
        .assert()
        .success();
    anna.wait_for(Duration::from_secs(2), |s| !s.contains("MODEL HALTED"));
    let text = anna.text();
    assert!(!text.contains("top "), "no rank without a ranking:\n{text}");
    assert!(text.contains("not ranked since the halt"), "{text}");

    // Ranked again: chances and places come back as quickly.
    oordeel()
        .args(["score", "--db"])
        .arg(&db.path)
        .assert()
        .success();
    anna.wait_for(Duration::from_secs(2), |s| {
        shows_a_chance(s) && s.contains("top ")
    });
    anna.quit();
}
