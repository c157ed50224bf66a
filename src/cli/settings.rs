//! The settings of one run, resolved from the global options and the
//! environment: which database, the output format, colour, paging and
//! headers. A global option given to a command it does not apply to is
//! refused here, before anything runs.

use std::path::PathBuf;

use anyhow::Result;

use super::{Cli, ColorChoice, Command, FormatFlag};
use crate::context::Context;
use crate::db::{DEFAULT_DB, Location};
use crate::error::{self, Kind, fail};
use crate::format::{Format, Presentation};

/// What a command line asks of every command, resolved.
#[derive(Debug)]
pub struct Settings {
    /// Which database, how long to wait for it, the user's named queries.
    pub context: Context,
    /// The format to write in (for `export`, its default when none is given).
    pub format: Format,
    /// `--format datasette`: `versus queries` writes Datasette metadata.
    pub datasette: bool,
    pub presentation: Presentation,
}

impl Settings {
    /// The settings of the command line `cli`, or a usage error: an option
    /// given where it does not apply, a format the command does not write.
    pub fn resolve(cli: &Cli) -> Result<Settings> {
        refuse_options_that_do_not_apply(cli)?;
        let given = cli
            .format_shorthand()
            .map(FormatFlag::Output)
            .or(cli.format);
        let datasette = datasette_format(cli, given)?;
        let format = if datasette {
            Format::Json
        } else {
            output_format(cli, given)?
        };
        let presentation = presentation(cli, format)?;
        let format = match &cli.command {
            Command::Export { which } => {
                given.and_then(FormatFlag::output).unwrap_or(if which.all {
                    Format::Json
                } else {
                    Format::Text
                })
            }
            _ => format,
        };
        Ok(Settings {
            context: context(cli),
            format,
            datasette,
            presentation,
        })
    }
}

/// `--db` or `VERSUS_DB`, else `versus.db` in the current folder; the
/// busy timeout; the user's named queries.
fn context(cli: &Cli) -> Context {
    let location = match &cli.db {
        Some(path) => Location {
            path: path.clone(),
            explicit: true,
        },
        None => Location {
            path: PathBuf::from(DEFAULT_DB),
            explicit: false,
        },
    };
    Context {
        location,
        busy_timeout: cli.busy_timeout,
        queries: cli.queries.clone(),
    }
}

/// Whether `--format datasette` is given: Datasette metadata, which only
/// `versus queries` writes; any other command refuses it. VERSUS_FORMAT
/// never asks for it (it sets the format of results).
fn datasette_format(cli: &Cli, given: Option<FormatFlag>) -> Result<bool> {
    if given != Some(FormatFlag::Datasette) {
        return Ok(false);
    }
    if matches!(cli.command, Command::Queries) {
        return Ok(true);
    }
    Err(fail(
        Kind::Usage,
        "--format datasette is only for `versus queries`, which writes Datasette metadata with it (`versus queries --format datasette > metadata.json`); other commands take table, csv, tsv, json, jsonl or markdown (export: text, json or jsonl)",
    ))
}

/// The format to write in. VERSUS_FORMAT is the default format of results
/// only: it is not read at all by a command that writes no results (export
/// and show write documents, whose formats differ; what init, migrate,
/// import and reindex did is plain lines), so a value meant for results
/// never stops them. `text` is a document format, refused for results.
fn output_format(cli: &Cli, given: Option<FormatFlag>) -> Result<Format> {
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
        return Ok(given.and_then(FormatFlag::output).unwrap_or(Format::Table));
    }
    let (format, from_environment) = match given.and_then(FormatFlag::output) {
        Some(format) => (format, false),
        None => match format_from_environment()? {
            Some(format) => (format, true),
            None => (Format::Table, false),
        },
    };
    let is_results_command = !matches!(cli.command, Command::Import { .. });
    if format == Format::Text && is_results_command {
        return Err(fail(
            Kind::Usage,
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
        if let Some(why) = super::not_applying(id, command) {
            return Err(error::fail(
                Kind::Usage,
                format!(
                    "{} does not apply to `versus {command}`: {why}; leave it out (`versus {command} --help` lists the options it takes)",
                    super::flag_of(id)
                ),
            ));
        }
    }
    // import writes results only with --dry-run.
    if let Command::Import { dry_run: false, .. } = cli.command {
        for id in &cli.given {
            if ["format", "no_headers", "color", "no_pager"].contains(&id.as_str())
                || super::FORMAT_SHORTHANDS.contains(&id.as_str())
            {
                return Err(fail(
                    Kind::Usage,
                    format!(
                        "{} applies to `versus import --dry-run` only: an import writes what it did as plain lines; leave it out, or add --dry-run",
                        super::flag_of(id)
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Colour, paging and headers, from the global options.
fn presentation(cli: &Cli, format: Format) -> Result<Presentation> {
    if cli.no_headers && !format.has_header_line() {
        return Err(fail(
            Kind::Usage,
            format!(
                "--no-headers is for csv, tsv and table output, and the format is {}; drop --no-headers (JSON keys and the Markdown header are part of the format)",
                format.name()
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

/// `VERSUS_FORMAT`, if set: the default format of results.
fn format_from_environment() -> Result<Option<Format>> {
    use clap::ValueEnum;
    match std::env::var("VERSUS_FORMAT") {
        Ok(value) if !value.is_empty() => Format::from_str(&value, true).map(Some).map_err(|_| {
            fail(
                Kind::Usage,
                format!(
                    "invalid value {value:?} for the output format; the value comes from the environment variable VERSUS_FORMAT; use table, csv, tsv, json, jsonl or markdown"
                ),
            )
        }),
        _ => Ok(None),
    }
}
