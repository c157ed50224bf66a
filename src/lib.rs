//! versus: comparison documents in SQLite. `run` dispatches a parsed command
//! line to its command in `cmd/`, which reads or writes the database and
//! hands what it found to `output`, the only module that prints.

pub mod cli;
pub mod cmd;
pub mod context;
pub mod db;
pub mod derive;
pub mod document;
pub mod error;
pub mod exec;
pub mod format;
pub mod inputs;
pub mod interchange;
pub mod kinds;
pub mod output;
pub mod queries;
pub mod resolutions;
pub mod seeds;
pub mod shell;
pub mod store;

pub use crate::context::Context;

use anyhow::Result;

use crate::cli::{Cli, ColorChoice, Command, FormatFlag};
use crate::format::{Format, Presentation};
use crate::output::Output;

/// The database file used when neither `--db` nor `VERSUS_DB` is given.
pub const DEFAULT_DB: &str = "versus.db";

/// Runs one command line.
pub fn run(mut cli: Cli) -> Result<()> {
    refuse_options_that_do_not_apply(&cli)?;
    if let Some(format) = cli.format_shorthand() {
        cli.format = Some(FormatFlag::Output(format));
    }
    let datasette = datasette_format(&cli)?;
    let format = if datasette {
        Format::Json
    } else {
        output_format(&cli)?
    };
    let presentation = presentation(&cli, format)?;
    let ctx = Context::from_cli(&cli);
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
        } => cmd::query::run(&ctx, &name.join(" "), show_sql, &run, &mut out),
        Command::Queries if datasette => cmd::queries::datasette(&ctx, &mut out),
        Command::Queries => cmd::queries::run(&ctx, &mut out),
        Command::Sql { sql, write, run } => cmd::sql::run(&ctx, &sql, write, &run, &mut out),
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
            cmd::search::run(&ctx, &search, &mut out)
        }
        Command::Reindex => cmd::reindex::run(&ctx, &mut out),
        Command::Completions { shell } => cmd::completions::completions(shell, &mut out),
        Command::Man => cmd::completions::man(&mut out),
        Command::Check { repair } => cmd::check::run(&ctx, repair, format, &mut out),
        Command::Export { which } => cmd::export::run(
            &ctx,
            which.document.as_deref(),
            cli.format
                .and_then(FormatFlag::output)
                .unwrap_or(if which.all {
                    Format::Json
                } else {
                    Format::Text
                }),
            &mut out,
        ),
        Command::Shell { write } => cmd::shell::run(&ctx, write, format, presentation),
        Command::Show { document } => cmd::show::run(&ctx, &document, format, &mut out),
    };
    result?;
    // What was held for a pager is written, or the pager is waited for.
    out.close()
}

/// Whether `--format datasette` is given: Datasette metadata, which only
/// `versus queries` writes; any other command refuses it. VERSUS_FORMAT
/// never asks for it (it sets the format of results).
fn datasette_format(cli: &Cli) -> Result<bool> {
    if cli.format != Some(FormatFlag::Datasette) {
        return Ok(false);
    }
    if matches!(cli.command, Command::Queries) {
        return Ok(true);
    }
    Err(error::fail(
        error::Kind::Usage,
        "--format datasette is only for `versus queries`, which writes Datasette metadata with it (`versus queries --format datasette > metadata.json`); other commands take table, csv, tsv, json, jsonl or markdown (export: text, json or jsonl)",
    ))
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
        | Command::Shell { .. }
        | Command::Search { .. }
        | Command::Status => true,
        Command::Import { dry_run, .. } => *dry_run,
        // The problems `check` finds are results; what `--repair` did is lines.
        Command::Check { repair } => !*repair,
        Command::Init
        | Command::Migrate
        | Command::Completions { .. }
        | Command::Man
        | Command::Reindex
        | Command::Resolve { .. }
        | Command::Export { .. }
        | Command::Show { .. } => false,
    };
    if !writes_results {
        return Ok(cli
            .format
            .and_then(FormatFlag::output)
            .unwrap_or(Format::Table));
    }
    let (format, from_environment) = match cli.format.and_then(FormatFlag::output) {
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

/// A global option given to a command it does not apply to is refused, not
/// ignored: `versus init --format json` would otherwise look as if it did
/// something. (`cli::GLOBAL_OPTIONS` says which apply where.)
fn refuse_options_that_do_not_apply(cli: &Cli) -> Result<()> {
    let command = cli.command_name.as_str();
    for id in &cli.given {
        if let Some(why) = cli::not_applying(id, command) {
            return Err(error::fail(
                error::Kind::Usage,
                format!(
                    "{} does not apply to `versus {command}`: {why}; leave it out (`versus {command} --help` lists the options it takes)",
                    cli::flag_of(id)
                ),
            ));
        }
    }
    // import writes results only with --dry-run.
    if let Command::Import { dry_run: false, .. } = cli.command {
        for id in &cli.given {
            if ["format", "no_headers", "color", "no_pager"].contains(&id.as_str())
                || cli::FORMAT_SHORTHANDS.contains(&id.as_str())
            {
                return Err(error::fail(
                    error::Kind::Usage,
                    format!(
                        "{} applies to `versus import --dry-run` only: an import writes what it did as plain lines; leave it out, or add --dry-run",
                        cli::flag_of(id)
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Colour, paging and headers, from the global options.
fn presentation(cli: &Cli, format: Format) -> Result<Presentation> {
    if cli.no_headers && !matches!(format, Format::Csv | Format::Tsv | Format::Table) {
        return Err(error::fail(
            error::Kind::Usage,
            format!(
                "--no-headers is for csv, tsv and table output, and the format is {}; drop --no-headers (JSON keys and the Markdown header are part of the format)",
                format_name(format)
            ),
        ));
    }
    Ok(Presentation {
        color: match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => auto_color(),
        },
        paging: !cli.no_pager,
        headers: !cli.no_headers,
    })
}

/// Colour for `--color auto`: only when standard output is a terminal,
/// never with `NO_COLOR` set (to any value, as no-color.org says) or
/// `TERM=dumb`.
fn auto_color() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none()
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

fn format_name(format: Format) -> String {
    use clap::ValueEnum;
    format
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
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
