//! `versus completions SHELL` and `versus man`: the shell completion script
//! and the man page, both generated from the command-line definition in
//! `cli.rs`, so they never fall behind it.

use anyhow::{Context, Result};

use crate::output::Output;

/// The completion script for `shell` (clap_complete): commands, flags and
/// their fixed values (formats, shells, `--color`), each command with only
/// the global options and formats it takes
/// ([`crate::cli::help::command_as_each_takes_it`]). Named-query names and
/// parameter values come from the database, which a static script cannot
/// read; `versus queries` lists them.
pub fn completions(shell: clap_complete::Shell, out: &mut Output) -> Result<()> {
    let mut command = crate::cli::help::command_as_each_takes_it();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "versus", &mut script);
    out.text(&String::from_utf8(script).context("the completion script is not UTF-8")?)
}

/// The man page (clap_mangen), in roff. It is one page: clap_mangen names
/// each command as a page of its own (`versus-init(1)`), which versus does
/// not install, so each is named as it is typed, with the global options it
/// takes, and `--help` for the rest.
pub fn man(out: &mut Output) -> Result<()> {
    let mut command = crate::cli::command();
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for name in &names {
        let taken = crate::cli::help::global_options_taken(name);
        command = command.mut_subcommand(name, |sub| {
            let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
            sub.about(format!("{about}. Global options: {taken}"))
        });
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut page)
        .context("could not write the man page")?;
    let mut page = String::from_utf8(page).context("the man page is not UTF-8")?;
    let names = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .chain(["help".to_string()]);
    for name in names {
        let name = name.replace('-', "\\-");
        page = page.replace(
            &format!(".TP\nversus\\-{name}(1)\n"),
            &format!(
                ".TP\n\\fBversus {name}\\fR (\\fBversus {name} \\-\\-help\\fR for its options)\n"
            ),
        );
    }
    out.text(&page)
}
