//! The settings of one run, resolved from the global options and the
//! environment: which database, the output format, colour, paging and
//! headers. A global option given to a command it does not apply to is
//! refused here, before anything runs.

use std::path::PathBuf;

use anyhow::Result;

use super::capabilities::{self, CommandKind};
use super::{Cli, ColorChoice, Command, FormatFlag};
use crate::context::Context;
use crate::db::{DEFAULT_DB, Location};
use crate::error::{Kind, fail};
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
        let kind = CommandKind::of(&cli.command);
        // A global option given to a command it does not apply to is
        // refused, not ignored: `versus init --format json` would otherwise
        // look as if it did something.
        if let Some(refusal) = kind.refusal(&cli.given) {
            return Err(fail(Kind::Usage, refusal));
        }
        let given = cli
            .format_shorthand()
            .map(FormatFlag::Output)
            .or(cli.format);
        let format = output_format(cli, kind, given)?;
        let presentation = presentation(cli, format)?;
        Ok(Settings {
            context: context(cli),
            format,
            datasette: given == Some(FormatFlag::Datasette),
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

/// The format to write in: the one given, which the command must take,
/// else for a command that writes results VERSUS_FORMAT, else the
/// command's default. VERSUS_FORMAT is not read at all by a command that
/// writes no results (what init and migrate did is plain lines; export and
/// show write documents, whose formats differ), so a value meant for
/// results never stops them. `--format datasette` is written as JSON.
fn output_format(cli: &Cli, kind: CommandKind, given: Option<FormatFlag>) -> Result<Format> {
    if let Some(format) = given {
        if let Some(refusal) = kind.format_refusal(format) {
            return Err(fail(Kind::Usage, refusal));
        }
        return Ok(format.output().unwrap_or(Format::Json));
    }
    if kind.writes_results()
        && let Some(format) = format_from_environment()?
    {
        if let Some(refusal) = kind.format_refusal(FormatFlag::Output(format)) {
            return Err(fail(
                Kind::Usage,
                format!("{refusal}; the value comes from the environment variable VERSUS_FORMAT"),
            ));
        }
        return Ok(format);
    }
    Ok(match &cli.command {
        Command::Export { which } if which.all => Format::Json,
        _ => kind
            .formats()
            .first()
            .and_then(|format| format.output())
            .unwrap_or(Format::Table),
    })
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
                    "invalid value {value:?} for the output format; the value comes from the environment variable VERSUS_FORMAT; use {}",
                    capabilities::one_of(CommandKind::Query.formats())
                ),
            )
        }),
        _ => Ok(None),
    }
}
