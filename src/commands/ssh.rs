//! `oordeel ssh authorize`: being written (see the SSH deployment part of issue 3).

use std::process::ExitCode;

use color_eyre::eyre::{Result, bail};

use super::Context;
use crate::cli::SshCommand;

pub fn run(_ctx: &Context, _cmd: &SshCommand) -> Result<ExitCode> {
    bail!("ssh authorize is not built yet")
}
