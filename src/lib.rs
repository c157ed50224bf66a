//! versus: comparison documents in SQLite. `main` parses the command line
//! (`cli`), and `run` dispatches it to its command in `cmd/`, which reads or
//! writes the database and hands what it found to `output`, the only module
//! that prints.

pub mod cli;
pub mod cmd;
pub mod context;
pub mod db;
pub mod derive;
pub mod document;
pub mod error;
pub mod exec;
pub mod format;
pub mod importing;
pub mod inputs;
pub mod integrity;
pub mod interchange;
pub mod kinds;
pub mod output;
pub mod queries;
pub mod resolutions;
pub mod seeds;
pub mod shell;
pub mod sql_text;
pub mod sqlite_error;
pub mod store;

pub use crate::context::Context;

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::error::ErrorKind;

use crate::cli::settings::Settings;
use crate::cli::{Cli, Command};
use crate::output::Output;

/// The whole process but for the panic hook and the allocator (`main.rs`):
/// parse the command line, run it, and turn an error into one line on
/// stderr and a documented exit code (see [`error::Kind`]).
pub fn main() -> ExitCode {
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    // A panic has been reported by the hook; it still ends with exit code 1.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli)));
    match result {
        Err(_) => ExitCode::FAILURE,
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(err)) if error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            let kind = error::kind_of(&err);
            // stderr may be closed too; there is nowhere left to report that.
            let _ = output::error_line(&error::one_line(&err));
            ExitCode::from(kind.code())
        }
    }
}

/// Help and version go to stdout as clap writes them (a failed write is
/// reported, exit code 1); a usage error becomes one line,
/// `versus: <what>; <tip>; see --help`, and exit code 2.
fn usage_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            match e.print().and_then(|()| io::stdout().flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(err) => {
                    let _ = output::error_line(&format!("{}: {err}", output::WRITE_FAILED));
                    ExitCode::FAILURE
                }
            }
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(error::Kind::Usage.code())
        }
        _ => {
            let _ = output::error_line(&cli::usage_error::one_line(&e));
            ExitCode::from(error::Kind::Usage.code())
        }
    }
}

/// Runs one command line.
pub fn run(cli: Cli) -> Result<()> {
    let Settings {
        context: ctx,
        format,
        datasette,
        presentation,
    } = Settings::resolve(&cli)?;
    let mut out = Output::new(format, presentation);
    let result = match cli.command {
        Command::Init => cmd::init::run(&ctx, &mut out),
        Command::Migrate => cmd::migrate::run(&ctx, &mut out),
        Command::Import {
            files,
            dry_run,
            strict,
        } => cmd::import::run(&ctx, &files, dry_run, strict, &mut out),
        Command::Resolve {
            document,
            line,
            row,
            cells,
        } => cmd::resolve::run(
            &ctx,
            &cmd::resolve::Resolve {
                document,
                line,
                row,
                cells,
            },
            &mut out,
        ),
        Command::Status => cmd::status::run(&ctx, &mut out),
        Command::Query {
            name,
            show_sql,
            run,
        } => cmd::query::run(&ctx, &name.join(" "), show_sql, &run.into(), &mut out),
        Command::Queries if datasette => cmd::queries::datasette(&ctx, &mut out),
        Command::Queries => cmd::queries::run(&ctx, &mut out),
        Command::Sql { sql, write, run } => cmd::sql::run(&ctx, &sql, write, &run.into(), &mut out),
        Command::Search {
            words,
            document,
            figure,
            limit,
            raw,
            verbose,
        } => {
            let search = cmd::search::Search {
                words: words.join(" "),
                document,
                figure,
                limit,
                raw,
                verbose,
            };
            cmd::search::run(&ctx, &search, &mut out)
        }
        Command::Reindex => cmd::reindex::run(&ctx, &mut out),
        Command::Completions { shell } => out.text(&cli::help::completion_script(shell)?),
        Command::Man => out.text(&cli::help::man_page()?),
        Command::Check { repair } => cmd::check::run(&ctx, repair, format, &mut out),
        Command::Export { which } => {
            cmd::export::run(&ctx, which.document.as_deref(), format, &mut out)
        }
        Command::Shell { write } => shell::run(&ctx, write, format, presentation),
        Command::Show { document } => cmd::show::run(&ctx, &document, format, &mut out),
    };
    result?;
    // What was held for a pager is written, or the pager is waited for.
    out.close()
}
