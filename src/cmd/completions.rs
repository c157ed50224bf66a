//! `versus completions SHELL` and `versus man`: the shell completion script
//! and the man page, both generated from the command-line definition in
//! `cli.rs`, so they never fall behind it.

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::cli::Cli;
use crate::output::Output;

/// The completion script for `shell` (clap_complete): commands, flags and
/// their fixed values (formats, shells, `--color`). Named-query names and
/// parameter values come from the database, which a static script cannot
/// read; `versus queries` lists them.
pub fn completions(shell: clap_complete::Shell, out: &mut Output) -> Result<()> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "versus", &mut script);
    out.text(&String::from_utf8(script).context("the completion script is not UTF-8")?)
}

/// The man page (clap_mangen), in roff.
pub fn man(out: &mut Output) -> Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .context("could not write the man page")?;
    out.text(&String::from_utf8(page).context("the man page is not UTF-8")?)
}
