//! Handing each new checkpoint to the configured command, which keeps copies where the
//! database's writers cannot reach them; a command that fails or hangs is stopped and said.

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;

use super::{Fault, Signer};

impl Signer {
    /// Hands a new checkpoint to the configured command on its standard input (to mail it
    /// to the auditor, copy it to another host); waits for it.
    pub fn hand_off(&self, note: &str) -> Result<(), Fault> {
        let Some(command) = &self.setup.command else {
            return Ok(());
        };
        let program = command[0].clone();
        let failed = |problem: String| Fault::Command {
            program: program.clone(),
            problem,
        };
        // In a process group of its own, so that stopping it stops what it started too (a
        // script's `sleep`, its mailer).
        let mut child = std::process::Command::new(&command[0])
            .args(&command[1..])
            .process_group(0)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| failed(e.to_string()))?;
        // A command that does not read its input has had its say by its exit status: a
        // broken pipe here is not the failure to report.
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(note.as_bytes());
        }
        // A command that hangs (a mail server that does not answer) must not hold the
        // reviewer's console or the command: it is stopped, and that is said.
        let deadline = std::time::Instant::now() + self.setup.timeout;
        let status = loop {
            match child.try_wait().map_err(|e| failed(e.to_string()))? {
                Some(status) => break status,
                None if std::time::Instant::now() >= deadline => {
                    if let Ok(id) = i32::try_from(child.id()) {
                        let _ = nix::sys::signal::killpg(
                            nix::unistd::Pid::from_raw(id),
                            nix::sys::signal::Signal::SIGKILL,
                        );
                    }
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(Fault::CommandTimedOut {
                        program: program.clone(),
                        seconds: self.setup.timeout.as_secs(),
                    });
                }
                None => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        };
        let mut said = String::new();
        if let Some(mut err) = child.stderr.take() {
            let _ = err.read_to_string(&mut said);
        }
        if status.success() {
            Ok(())
        } else {
            let said = said.trim();
            Err(failed(if said.is_empty() {
                status.to_string()
            } else {
                format!("{status}: {said}")
            }))
        }
    }
}
