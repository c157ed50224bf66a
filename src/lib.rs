//! versus: comparison documents in SQLite. `run` dispatches a parsed command
//! line to its command in `cmd/`, which reads or writes the database and
//! hands what it found to `output`, the only module that prints.

pub mod cli;
pub mod cmd;
pub mod db;
pub mod document;
pub mod error;
pub mod exec;
pub mod interchange;
pub mod output;
pub mod queries;
pub mod seeds;
pub mod store;

use std::path::PathBuf;

use anyhow::Result;

use crate::cli::{Cli, Command, Format};
use crate::db::Location;
use crate::output::Output;

/// The database file used when neither `--db` nor `VERSUS_DB` is given.
pub const DEFAULT_DB: &str = "versus.db";

/// Runs one command line.
pub fn run(cli: Cli) -> Result<()> {
    let format = output_format(&cli)?;
    let location = match cli.db {
        Some(path) => Location {
            path,
            explicit: true,
        },
        None => Location {
            path: PathBuf::from(DEFAULT_DB),
            explicit: false,
        },
    };
    let mut out = Output::new(format);
    let timeout = cli.busy_timeout;
    match cli.command {
        Command::Init => cmd::init::run(&location, timeout, &mut out),
        Command::Migrate => cmd::migrate::run(&location, timeout, &mut out),
        Command::Import { files, dry_run } => {
            cmd::import::run(&location, timeout, &files, dry_run, &mut out)
        }
        Command::Status => cmd::status::run(&location, timeout, &mut out),
        Command::Query {
            name,
            show_sql,
            run,
        } => cmd::query::run(
            &location,
            timeout,
            cli.queries.as_deref(),
            &name.join(" "),
            show_sql,
            &run,
            &mut out,
        ),
        Command::Queries => cmd::queries::run(&location, timeout, cli.queries.as_deref(), &mut out),
        Command::Sql { sql, write, run } => {
            cmd::sql::run(&location, timeout, &sql, write, &run, &mut out)
        }
        Command::Search {
            words,
            document,
            figure,
            limit,
            raw,
        } => {
            let search = cmd::search::Search {
                words: words.join(" "),
                document,
                figure,
                limit,
                raw,
            };
            cmd::search::run(
                &location,
                timeout,
                cli.queries.as_deref(),
                &search,
                &mut out,
            )
        }
        Command::Reindex => cmd::reindex::run(&location, timeout, &mut out),
        Command::Export { which } => cmd::export::run(
            &location,
            timeout,
            which.document.as_deref(),
            cli.format.unwrap_or(if which.all {
                Format::Json
            } else {
                Format::Text
            }),
            &mut out,
        ),
        Command::Show { document } => {
            cmd::show::run(&location, timeout, &document, format, &mut out)
        }
    }
}

/// The format to write in. VERSUS_FORMAT is the default format of results
/// only: it is not read at all by a command that writes no results (export
/// and show write documents, whose formats differ; what init, migrate,
/// import and reindex did is plain lines), so a value meant for results
/// never stops them. `text` is a document format, refused for results.
fn output_format(cli: &Cli) -> Result<Format> {
    let writes_results = match &cli.command {
        Command::Query { .. }
        | Command::Queries
        | Command::Sql { .. }
        | Command::Search { .. }
        | Command::Status => true,
        Command::Import { dry_run, .. } => *dry_run,
        Command::Init
        | Command::Migrate
        | Command::Reindex
        | Command::Export { .. }
        | Command::Show { .. } => false,
    };
    if !writes_results {
        return Ok(cli.format.unwrap_or(Format::Table));
    }
    let (format, from_environment) = match cli.format {
        Some(format) => (format, false),
        None => match format_from_environment()? {
            Some(format) => (format, true),
            None => (Format::Table, false),
        },
    };
    let is_results_command = !matches!(cli.command, Command::Import { .. });
    if format == Format::Text && is_results_command {
        return Err(error::fail(
            error::Kind::Usage,
            format!(
                "--format text is for `versus export`; results are written as table, csv, tsv, json, jsonl or markdown{}",
                if from_environment {
                    "; the value comes from the environment variable VERSUS_FORMAT"
                } else {
                    ""
                }
            ),
        ));
    }
    Ok(format)
}

/// `VERSUS_FORMAT`, if set: the default format of results.
fn format_from_environment() -> Result<Option<Format>> {
    use clap::ValueEnum;
    match std::env::var("VERSUS_FORMAT") {
        Ok(value) if !value.is_empty() => Format::from_str(&value, true).map(Some).map_err(|_| {
            error::fail(
                error::Kind::Usage,
                format!(
                    "invalid value {value:?} for the output format; the value comes from the environment variable VERSUS_FORMAT; use table, csv, tsv, json, jsonl or markdown"
                ),
            )
        }),
        _ => Ok(None),
    }
}
