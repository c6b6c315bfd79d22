//! Another process writes: a supervisor halts or resumes the model, a scoring run ranks the
//! queue again, the team goes judge-first. The console's poll sees it at once (not at the
//! minute tick), keeps the case the reviewer is reading selected, and reads nothing when
//! nothing was written.

use super::{keys, open, selected};
use crate::console::{Action, poll, update};
use crate::domain::judge_first::JudgeFirstScope;
use crate::domain::queue::HaltNotice;

fn halt_notice() -> HaltNotice {
    HaltNotice {
        by: "fatima".into(),
        at: "2026-11-27T10:00:00.000000Z".into(),
        reason: "audit".into(),
    }
}

#[test]
fn a_halt_elsewhere_reaches_the_console_at_the_next_poll() {
    let (mut app, fake) = open(30, 120, 40);
    keys(&mut app, "jjj");
    let reading = selected(&app).0;
    assert!(app.rows().iter().all(|r| r.probability.is_some()));
    let reads = fake.state().basis_reads;

    // Nothing written elsewhere: the poll asks one number and reads nothing else.
    assert!(!poll(&mut app));
    assert_eq!(fake.state().basis_reads, reads);

    fake.write_elsewhere(|s| s.halt = Some(halt_notice()));
    assert!(poll(&mut app), "the screen changes");
    assert_eq!(app.summary().halt, Some(halt_notice()));
    // Nearest deadline first, without a chance or a rank anywhere on screen.
    assert!(
        app.rows()
            .iter()
            .all(|r| r.probability.is_none() && r.rank.is_none())
    );
    let deadlines: Vec<_> = app.rows().iter().map(|r| r.deadline_on).collect();
    assert!(deadlines.is_sorted(), "{deadlines:?}");
    let d = app.detail().expect("the case on screen");
    assert!(d.explanation.is_none() && d.ranking.is_none());
    // Still the case the reviewer was reading: a key pressed now is for that one.
    assert_eq!(app.selected().unwrap().case_id, reading);
    assert!(
        app.status()
            .unwrap()
            .text
            .contains("Model halted by fatima"),
        "{:?}",
        app.status()
    );

    // Resumed elsewhere: seen as quickly.
    fake.write_elsewhere(|s| s.halt = None);
    assert!(poll(&mut app));
    assert_eq!(app.summary().halt, None);
    assert!(app.status().unwrap().text.contains("Model resumed"));
}

#[test]
fn a_new_ranking_and_team_judge_first_are_read_at_once() {
    let (mut app, fake) = open(30, 120, 40);
    fake.write_elsewhere(|s| s.run += 1);
    poll(&mut app);
    assert!(app.status().unwrap().text.contains("ranked again"));

    fake.write_elsewhere(|s| s.team_judge_first = true);
    poll(&mut app);
    assert_eq!(app.summary().judge_first, Some(JudgeFirstScope::Team));
    assert!(
        app.rows()
            .iter()
            .all(|r| r.rank.is_none() && r.probability.is_none())
    );
    assert!(app.detail().unwrap().explanation.is_none());

    // A write that changes nothing the queue rests on (another reviewer's decision) reads
    // the basis once and leaves the screen as it is.
    let status = app.status().cloned();
    fake.write_elsewhere(|_| {});
    assert!(!poll(&mut app));
    assert_eq!(app.status().cloned(), status);
    // The minute tick sees the same changes, for a console whose polls failed meanwhile.
    fake.state().team_judge_first = false;
    update(&mut app, Action::Tick);
    assert_eq!(app.summary().judge_first, None);
}
