//! Hostile text through the real binary in a pseudo-terminal: the bytes `oordeel review`
//! writes to its terminal never hold the hostile escape sequences or bidi overrides, only
//! their visible escapes; and `export` on a terminal is sanitised the same way.

use crate::common;

use std::process::Command;
use std::time::Duration;

use common::demo;
use common::hostile::*;
use rexpect::session::PtySession;
use unicode_width::UnicodeWidthChar;

/// Generous: the binary is a debug build and the machine may be busy.
const TIMEOUT: Duration = Duration::from_secs(30);
const ROWS: usize = 40;
const COLS: usize = 120;

fn spawn(args: &str, db: &std::path::Path) -> PtySession {
    let bin = assert_cmd::cargo::cargo_bin("oordeel");
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(format!(
            "stty rows {ROWS} cols {COLS} && exec '{}' {args} --db '{}'",
            bin.display(),
            db.display()
        ))
        .env("TERM", "xterm-256color")
        .env("LANG", "en_GB.UTF-8")
        .env_remove("LC_ALL");
    rexpect::session::spawn_command(cmd, Some(TIMEOUT.as_millis() as u64)).expect("spawn in a pty")
}

/// rexpect hands back each byte the terminal received as one `char`: as bytes again.
fn bytes(text: &str) -> Vec<u8> {
    text.chars().map(|c| c as u32 as u8).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The screen the bytes draw, as text. ratatui redraws only the cells that changed, so the
/// words of a later frame can arrive in pieces; this applies its cursor moves
/// (`ESC [ row ; col H`) and skips every other escape sequence, which is all it writes.
fn screen(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut grid = vec![vec![String::from(" "); COLS]; ROWS];
    let (mut row, mut col) = (0, 0);
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            if chars.next() == Some('[') {
                let mut params = String::new();
                let end = chars.by_ref().find(|x| {
                    params.push(*x);
                    ('@'..='~').contains(x)
                });
                if end == Some('H') {
                    let mut at = params.trim_end_matches('H').split(';');
                    let mut next = || at.next().and_then(|n| n.parse::<usize>().ok()).unwrap_or(1);
                    (row, col) = (next().saturating_sub(1), next().saturating_sub(1));
                }
            }
            continue;
        }
        if row >= ROWS || col >= COLS || c.is_control() {
            continue;
        }
        match c.width().unwrap_or(0) {
            // Zero-width characters join the cell before, as in a terminal.
            0 => grid[row][col.saturating_sub(1)].push(c),
            w => {
                grid[row][col] = c.to_string();
                col += w;
            }
        }
    }
    grid.iter()
        .map(|r| r.concat())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads what the program writes until its screen shows `want`; returns the screen.
fn wait_for(p: &mut PtySession, seen: &mut Vec<u8>, want: &str) -> String {
    loop {
        let shown = screen(seen);
        if shown.contains(want) {
            return shown;
        }
        // Everything written so far, as soon as there is something (rexpect's own byte-wise
        // try_read splits multi-byte characters and panics).
        match p.exp_regex("(?s).+") {
            Ok((_, more)) => seen.extend(bytes(&more)),
            Err(e) => panic!("waiting for {want:?}: {e}\nthe screen:\n{shown}"),
        }
    }
}

fn send(p: &mut PtySession, keys: &str) {
    p.send(keys).unwrap();
    p.flush().unwrap();
}

/// No hostile sequence, with its unique payload, and no override reached the terminal.
fn assert_clean(seen: &[u8]) {
    for bad in FORBIDDEN {
        assert!(
            !contains(seen, bad),
            "raw {bad:?} written to the terminal:\n{:?}",
            String::from_utf8_lossy(seen)
        );
    }
}

#[test]
fn the_console_writes_hostile_text_as_visible_escapes() {
    let db = demo(300);
    poison(&db.path);
    let mut p = spawn("review", &db.path);
    let mut seen = Vec::new();
    // The queue: header title, pseudonym, district and the start of the last note.
    let shown = wait_for(&mut p, &mut seen, "\"\\x1b]52;c;SGVsbG8=\\x07");
    for want in [TITLE_SHOWN, PSEUDONYM_SHOWN, DISTRICT_SHOWN] {
        assert!(shown.contains(want), "{want} not shown:\n{shown}");
    }
    // v: the household's name, revealed (and logged) on request only.
    assert!(!shown.contains("sneJ"), "the name shows before v:\n{shown}");
    send(&mut p, "v");
    wait_for(&mut p, &mut seen, NAME_SHOWN);
    // Enter: the full view, with the creditor's name on every signal.
    send(&mut p, "\r");
    wait_for(&mut p, &mut seen, CREDITOR_SHOWN);
    // PgDn: the notes, after the whole chart, with their author.
    send(&mut p, "\x1b[6~");
    wait_for(&mut p, &mut seen, AUTHOR_SHOWN);
    wait_for(&mut p, &mut seen, NOTE_SHOWN);
    send(&mut p, "q");
    seen.extend(bytes(&p.exp_eof().expect("the console quits on q")));

    assert_clean(&seen);
    assert_eq!(
        common::query_i64(
            &db.path,
            "SELECT count(*) FROM events WHERE kind = 'reveal'"
        ),
        1,
        "the name was shown once, and that showing is in the log"
    );
    // ratatui redraws only what changed and never clears the whole screen, so
    // any clear-screen CSI could only have come from the data.
    assert!(
        !contains(&seen, b"\x1b[2J"),
        "a raw clear screen was written"
    );
}

/// `export` writes exact data into pipes, but on a terminal a person reads it: there the
/// note's override and escapes arrive as visible escapes.
#[test]
fn export_on_a_terminal_is_sanitised() {
    let db = demo(300);
    poison(&db.path);
    for format in ["csv", "json"] {
        let mut p = spawn(&format!("export --format {format}"), &db.path);
        let seen = bytes(&p.exp_eof().expect("export ends"));
        assert_clean(&seen);
        let text = String::from_utf8_lossy(&seen);
        // JSON escapes ESC and BEL itself (`\u001b`); the override is left to us.
        assert!(text.contains("\\u{202e}olleh"), "{format}:\n{text:?}");
        if format == "csv" {
            assert!(text.contains(NOTE_SHOWN), "{format}:\n{text:?}");
        }
    }
    // The same export into a pipe still holds the override itself.
    let out = common::export_json(&db.path);
    assert!(contains(&out, "\u{202e}olleh".as_bytes()));
}
