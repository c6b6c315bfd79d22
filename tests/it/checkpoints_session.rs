//! A review session in a real terminal signs checkpoints as it goes (every `every` events,
//! without the reviewer waiting for it) and one at its end, covering the session's last
//! event.

use crate::common;

use std::thread::sleep;
use std::time::{Duration, Instant};

use common::signing::Account;

#[test]
fn a_long_session_is_checkpointed_as_it_goes_and_at_its_end() {
    let db = common::demo(400);
    let account = Account::new();
    account.settings("[checkpoints]\nevery = 3\n");
    account.make_key(&db.path);
    assert_eq!(account.checkpoints(), 1);
    let mut cmd = common::console_in_pty(&db.path, 30, 110, "review");
    cmd.env("XDG_CONFIG_HOME", account.home.path().join("config"))
        .env("XDG_STATE_HOME", account.home.path().join("state"));
    let mut p = rexpect::session::spawn_command(cmd, Some(15_000)).expect("spawn in a pty");
    p.exp_string("H-").expect("the queue shows households");
    // Three deferrals, each asked about once ("are you sure?") and confirmed: views, prompts
    // and decisions, well over three events.
    for _ in 0..3 {
        for key in ["d", "d"] {
            sleep(Duration::from_millis(250));
            p.send(key).unwrap();
            p.flush().unwrap();
        }
    }
    // Signed while the console is still open.
    let deadline = Instant::now() + Duration::from_secs(10);
    while account.checkpoints() < 2 {
        assert!(
            Instant::now() < deadline,
            "no checkpoint during the session"
        );
        sleep(Duration::from_millis(200));
    }
    p.send("q").unwrap();
    p.flush().unwrap();
    p.exp_eof().expect("the console quits on q");
    // The last one covers the session's end.
    let events = common::query_i64(&db.path, "SELECT count(*) FROM events");
    let file = std::fs::read_to_string(account.checkpoint_file()).unwrap();
    let last = file
        .rsplit("\n\n")
        .find_map(|n| n.lines().nth(1)?.parse::<i64>().ok());
    assert_eq!(last, Some(events), "{file}");
    let ended = common::query_i64(
        &db.path,
        "SELECT seq FROM events WHERE kind = 'session_end' ORDER BY seq DESC LIMIT 1",
    );
    assert_eq!(ended, events);
}
