//! The settings of one run, resolved from the global options and the
//! environment: which database, the output format, colour, paging and
//! headers. A global option or a format that the command does not take
//! (`capabilities` says which) is refused here, before anything runs, with
//! the line the user reads.

use std::path::PathBuf;

use anyhow::Result;

use super::capabilities::{CommandKind, GlobalOption, takes_named};
use super::{Cli, ColorChoice, Command, FormatFlag};
use crate::context::Context;
use crate::db::{DEFAULT_DB, Database, Location};
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
        if let Some(refusal) = refusal(kind, &cli.given) {
            return Err(fail(Kind::Usage, refusal));
        }
        let given = cli
            .format_shorthand()
            .map(FormatFlag::Output)
            .or(cli.format);
        let (format, chosen) = output_format(cli, kind, given)?;
        let mut presentation = presentation(cli, format)?;
        presentation.format_chosen = chosen;
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
        database: Database {
            location,
            busy_timeout: cli.busy_timeout,
        },
        queries: cli.queries.clone(),
    }
}

/// The format to write in: the one given, which the command must take,
/// else for a command that writes results VERSUS_FORMAT, else the
/// command's default. VERSUS_FORMAT is not read at all by a command that
/// writes no results (what init and migrate did is plain lines; export and
/// show write documents, whose formats differ), so a value meant for
/// results never stops them. `--format datasette` is written as JSON.
/// With it, whether the format was chosen (given or from VERSUS_FORMAT)
/// rather than the command's default.
fn output_format(
    cli: &Cli,
    kind: CommandKind,
    given: Option<FormatFlag>,
) -> Result<(Format, bool)> {
    if let Some(format) = given {
        if let Some(refusal) = format_refusal(kind, format) {
            return Err(fail(Kind::Usage, refusal));
        }
        return Ok((format.output().unwrap_or(Format::Json), true));
    }
    if kind.writes_results()
        && let Some(format) = format_from_environment()?
    {
        if let Some(refusal) = format_refusal(kind, FormatFlag::Output(format)) {
            return Err(fail(
                Kind::Usage,
                format!("{refusal}; the value comes from the environment variable VERSUS_FORMAT"),
            ));
        }
        return Ok((format, true));
    }
    let default = match &cli.command {
        Command::Export { which } if which.all => Format::Json,
        _ => kind
            .formats()
            .first()
            .and_then(|format| format.output())
            .unwrap_or(Format::Table),
    };
    Ok((default, false))
}

/// The refusal of the global options given (in the order the command
/// line defines them) that the command does not take, as the line a
/// user reads: first an option no form of the command takes, then one
/// that only its other form takes (`import --json` without
/// `--dry-run`).
fn refusal(kind: CommandKind, given: &[GlobalOption]) -> Option<String> {
    let name = kind.name();
    for &option in given {
        if !takes_named(name, option) {
            return Some(format!(
                "{} does not apply to `versus {name}`: {}; leave it out (`versus {name} --help` lists the options it takes)",
                option.flag(),
                why_not_taken(name, option)
            ));
        }
    }
    let option = given.iter().find(|&&option| !kind.takes(option))?;
    let other = CommandKind::named(name).find(|kind| kind.takes(*option))?;
    Some(match other.form_flag() {
        Some(flag) => format!(
            "{} applies to `versus {}` only: {}; leave it out, or add {flag}",
            option.flag(),
            other.label(),
            writes(kind)
        ),
        None => format!(
            "{} does not apply to `versus {}`: {}; leave it out",
            option.flag(),
            kind.label(),
            writes(kind)
        ),
    })
}

/// What the command writes, to say why the other form's options do not
/// apply to it.
fn writes(kind: CommandKind) -> &'static str {
    match kind {
        CommandKind::Import { dry_run: false } => "an import writes what it did as plain lines",
        CommandKind::Check { repair: true } => "a repair writes what it did as plain lines",
        CommandKind::Import { dry_run: true }
        | CommandKind::Check { repair: false }
        | CommandKind::Status
        | CommandKind::Query
        | CommandKind::Queries
        | CommandKind::Search
        | CommandKind::Shell
        | CommandKind::Sql => "it writes results",
        CommandKind::Init | CommandKind::Migrate | CommandKind::Resolve | CommandKind::Reindex => {
            "what it did is written as plain lines"
        }
        CommandKind::Completions | CommandKind::Man => "it writes a text of its own",
        CommandKind::Export => "it writes documents",
        CommandKind::Show => "it draws a document",
    }
}

/// The refusal of a format the command does not write, as the line a
/// user reads; `None` when it writes it.
fn format_refusal(kind: CommandKind, format: FormatFlag) -> Option<String> {
    let formats = kind.formats();
    if formats.contains(&format) {
        return None;
    }
    if format == FormatFlag::Datasette {
        return Some(format!(
            "--format datasette is only for `versus queries`, which writes Datasette metadata with it (`versus queries --format datasette > metadata.json`); other commands take {} (export: {})",
            one_of(&result_formats()),
            one_of(CommandKind::Export.formats())
        ));
    }
    let name = format.name();
    Some(match kind {
        CommandKind::Show => {
            let instead = match format {
                FormatFlag::Output(Format::Text) => {
                    "`versus export` writes the text format".to_string()
                }
                FormatFlag::Output(Format::Jsonl) => {
                    "`versus export --format jsonl` writes a document as one line".to_string()
                }
                _ => "for rows, use `versus query comparison table`".to_string(),
            };
            format!("show draws a document with --format table or markdown (or json); {instead}")
        }
        CommandKind::Export => format!(
            "export writes --format {}; `versus show` draws a document for people",
            one_of(formats)
        ),
        CommandKind::Import { .. } => format!(
            "import --dry-run writes tables for people, Markdown, or JSON; use --format {}",
            one_of(formats)
        ),
        CommandKind::Status
        | CommandKind::Query
        | CommandKind::Queries
        | CommandKind::Search
        | CommandKind::Check { .. }
        | CommandKind::Shell
        | CommandKind::Sql => format!(
            "--format {name} is for `versus export`; results are written as {}",
            one_of(&result_formats())
        ),
        CommandKind::Init
        | CommandKind::Migrate
        | CommandKind::Resolve
        | CommandKind::Reindex
        | CommandKind::Completions
        | CommandKind::Man => format!(
            "--format {name} does not apply to `versus {}`: {}",
            kind.name(),
            writes(kind)
        ),
    })
}

/// Why no form of the command named `name` takes the option.
fn why_not_taken(name: &str, option: GlobalOption) -> &'static str {
    match option {
        GlobalOption::Db | GlobalOption::BusyTimeout => "it uses no database",
        GlobalOption::Queries => "it runs no named query",
        GlobalOption::Csv
        | GlobalOption::Tsv
        | GlobalOption::Json
        | GlobalOption::Nl
        | GlobalOption::Table
        | GlobalOption::Markdown
            if takes_named(name, GlobalOption::Format) =>
        {
            "it does not write that format"
        }
        GlobalOption::Format
        | GlobalOption::Csv
        | GlobalOption::Tsv
        | GlobalOption::Json
        | GlobalOption::Nl
        | GlobalOption::Table
        | GlobalOption::Markdown => "what it did is written as plain lines",
        GlobalOption::NoHeaders => "it writes no table of results",
        GlobalOption::Color => "it writes nothing styled",
        GlobalOption::NoPager => "it writes too little to page",
    }
}

/// The formats of results.
fn result_formats() -> Vec<FormatFlag> {
    Format::RESULTS
        .iter()
        .map(|format| FormatFlag::Output(*format))
        .collect()
}

/// `a, b or c`.
fn one_of(formats: &[FormatFlag]) -> String {
    let names: Vec<&str> = formats.iter().map(|f| f.name()).collect();
    match names.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
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
        format_chosen: false,
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
                    one_of(&result_formats())
                ),
            )
        }),
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_refuses_the_dry_runs_options_with_the_reason() {
        let import = CommandKind::Import { dry_run: false };
        assert_eq!(
            refusal(import, &[GlobalOption::Json]).as_deref(),
            Some(
                "--json applies to `versus import --dry-run` only: an import writes what it did as plain lines; leave it out, or add --dry-run"
            )
        );
        assert_eq!(
            refusal(import, &[GlobalOption::Csv]).as_deref(),
            Some(
                "--csv does not apply to `versus import`: it does not write that format; leave it out (`versus import --help` lists the options it takes)"
            )
        );
        assert_eq!(refusal(import, &[GlobalOption::Db]), None);
    }

    #[test]
    fn one_of_lists_with_or() {
        assert_eq!(one_of(CommandKind::Export.formats()), "text, json or jsonl");
        assert_eq!(one_of(&result_formats()[..1]), "table");
    }

    #[test]
    fn show_refuses_jsonl_with_where_to_get_it() {
        assert_eq!(
            format_refusal(CommandKind::Show, FormatFlag::Output(Format::Jsonl)).as_deref(),
            Some(
                "show draws a document with --format table or markdown (or json); `versus export --format jsonl` writes a document as one line"
            )
        );
        assert_eq!(
            format_refusal(CommandKind::Show, FormatFlag::Output(Format::Json)),
            None
        );
    }
}
