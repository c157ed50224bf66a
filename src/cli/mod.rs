//! The command line: every clap type (the commands, their flags and their
//! help text), parsing it, what each command takes (`capabilities`), its
//! help texts (`help`), its usage errors as one line (`usage_error`) and the
//! settings it resolves to (`settings`).
//! Nothing here runs a command; `lib.rs` dispatches, `cmd/` does the work.

pub mod capabilities;
pub mod help;
pub mod settings;
pub mod usage_error;

use std::path::PathBuf;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use self::capabilities::GlobalOption;
use crate::format::Format;

/// Keep comparison documents ("Joseph Stalin vs. Leon Trotsky") in a SQLite
/// database and answer questions about them.
///
/// The database is one plain SQLite file that any SQLite tool can open. Its
/// views `comparison_table` and `section_paragraphs` are the stable interface
/// for other tools.
#[derive(Debug, Parser)]
#[command(name = "versus", version, help_expected = true, max_term_width = 100)]
pub struct Cli {
    /// The database file. Without --db or VERSUS_DB, versus uses versus.db in
    /// the current folder and creates it from the bundled seed the first time
    /// a query needs it.
    #[arg(long, global = true, env = "VERSUS_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// How long a write waits for another connection to release its lock
    /// before failing with "database is locked" (exit code 5).
    #[arg(
        long,
        global = true,
        env = "VERSUS_BUSY_TIMEOUT",
        value_name = "SECONDS",
        default_value = "5",
        value_parser = parse_seconds
    )]
    pub busy_timeout: std::time::Duration,

    /// Output format; each command takes its own (`versus COMMAND --help`
    /// lists them). The help shown is written from `cli::capabilities`.
    #[arg(long, global = true, value_enum)]
    pub format: Option<FormatFlag>,

    /// Your own named queries: a `.sql` file or a folder of them, in the
    /// same form as the built-in ones. A query with a built-in's name
    /// replaces it.
    #[arg(long, global = true, env = "VERSUS_QUERIES", value_name = "PATH")]
    pub queries: Option<PathBuf>,

    /// Shorthand for --format csv.
    #[arg(long, global = true, help_heading = "Format shorthands", conflicts_with_all = ["format", "tsv", "json", "nl", "table", "markdown"])]
    pub csv: bool,
    /// Shorthand for --format tsv.
    #[arg(long, global = true, help_heading = "Format shorthands", conflicts_with_all = ["format", "json", "nl", "table", "markdown"])]
    pub tsv: bool,
    /// Shorthand for --format json.
    #[arg(long, global = true, help_heading = "Format shorthands", conflicts_with_all = ["format", "nl", "table", "markdown"])]
    pub json: bool,
    /// Shorthand for --format jsonl (newline-delimited JSON, as sqlite-utils
    /// calls it).
    #[arg(long, global = true, help_heading = "Format shorthands", conflicts_with_all = ["format", "table", "markdown"])]
    pub nl: bool,
    /// Shorthand for --format table.
    #[arg(short = 't', long, global = true, help_heading = "Format shorthands", conflicts_with_all = ["format", "markdown"])]
    pub table: bool,
    /// Shorthand for --format markdown.
    #[arg(
        long,
        global = true,
        help_heading = "Format shorthands",
        conflicts_with = "format"
    )]
    pub markdown: bool,

    /// Leave out the header line of csv, tsv and table output.
    #[arg(long, global = true)]
    pub no_headers: bool,

    /// When to style output (bold matches in search snippets): `auto` only
    /// on a terminal and never with NO_COLOR set or TERM=dumb.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value = "auto"
    )]
    pub color: ColorChoice,

    /// Never page output. By default output taller than the terminal goes
    /// through $VERSUS_PAGER, else $PAGER, else `less -FRX`; an empty
    /// VERSUS_PAGER turns paging off too.
    #[arg(long, global = true)]
    pub no_pager: bool,

    #[command(subcommand)]
    pub command: Command,

    /// The global options given on the command line, which `settings`
    /// refuses where they do not apply. Set by [`parse`].
    #[arg(skip)]
    pub given: Vec<GlobalOption>,
}

/// The process's command line, with `--version` naming the SQLite inside
/// versus too (bundled, so it is the same on every machine).
pub fn parse() -> Result<Cli, clap::Error> {
    // Made once per run; clap keeps a `&'static str`.
    let version: &'static str = Box::leak(
        format!(
            "{} (SQLite {})",
            env!("CARGO_PKG_VERSION"),
            rusqlite::version()
        )
        .into_boxed_str(),
    );
    let mut command = command().version(version);
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if help::may_be_asked(&args) {
        command = help::with_global_option_help(command);
    }
    let matches = command.try_get_matches_from(args)?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    // The global options given on the command line (not from the
    // environment, not defaults), wherever they were typed.
    let sub = matches.subcommand().map(|(_, m)| m);
    cli.given = GlobalOption::ALL
        .into_iter()
        .filter(|option| {
            [Some(&matches), sub].into_iter().flatten().any(|m| {
                m.value_source(option.id()) == Some(clap::parser::ValueSource::CommandLine)
            })
        })
        .collect();
    Ok(cli)
}

/// The command-line definition, with the help of `--format` (for the man
/// page and `versus --help`) written from what each command takes.
pub fn command() -> clap::Command {
    // `mut_args`, not `mut_arg`, which would move `--format` to the end.
    Cli::command().mut_args(|arg| {
        if arg.get_id() == GlobalOption::Format.id() {
            arg.help(help::format_help())
        } else {
            arg
        }
    })
}

/// When to style output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set or TERM is dumb.
    Auto,
    /// Always, also into pipes and files.
    Always,
    /// Never.
    Never,
}

impl Cli {
    /// The format asked for by a shorthand flag (`--csv`, `--json`, ...).
    pub fn format_shorthand(&self) -> Option<Format> {
        [
            (self.csv, Format::Csv),
            (self.tsv, Format::Tsv),
            (self.json, Format::Json),
            (self.nl, Format::Jsonl),
            (self.table, Format::Table),
            (self.markdown, Format::Markdown),
        ]
        .into_iter()
        .find_map(|(set, format)| set.then_some(format))
    }
}

/// Flags shared by the commands that run SQL.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// A parameter value, KEY=VALUE (repeatable). Values are bound, never
    /// pasted into the SQL.
    #[arg(short = 'p', long = "param", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub params: Vec<(String, String)>,

    /// Stop the statement after this many seconds (exit code 7); 0 means no limit.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub timeout: Option<std::time::Duration>,
}

impl From<RunArgs> for crate::exec::Run {
    fn from(args: RunArgs) -> crate::exec::Run {
        crate::exec::Run {
            params: args.params,
            timeout: args.timeout,
        }
    }
}

/// What `--format` names: an output format, or `datasette`, which is no
/// output format but what `versus queries` writes for Datasette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatFlag {
    Output(Format),
    /// Datasette metadata (JSON), `versus queries` only.
    Datasette,
}

impl FormatFlag {
    /// The name a user types (`--format datasette`).
    pub fn name(self) -> &'static str {
        match self {
            FormatFlag::Output(format) => format.name(),
            FormatFlag::Datasette => "datasette",
        }
    }

    /// The output format, unless this is `datasette`.
    pub fn output(self) -> Option<Format> {
        match self {
            FormatFlag::Output(format) => Some(format),
            FormatFlag::Datasette => None,
        }
    }
}

impl ValueEnum for FormatFlag {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            FormatFlag::Output(Format::Table),
            FormatFlag::Output(Format::Csv),
            FormatFlag::Output(Format::Tsv),
            FormatFlag::Output(Format::Json),
            FormatFlag::Output(Format::Jsonl),
            FormatFlag::Output(Format::Markdown),
            FormatFlag::Output(Format::Text),
            FormatFlag::Datasette,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        match self {
            FormatFlag::Output(format) => format.to_possible_value(),
            FormatFlag::Datasette => Some(clap::builder::PossibleValue::new("datasette").help(
                "Datasette metadata (JSON) with every named query as a canned query, for `datasette DB -m FILE` (`versus queries` only)",
            )),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database if it is missing, apply migrations and load the
    /// bundled seed documents. Running it again changes nothing.
    Init,

    /// Apply pending schema migrations and say which.
    Migrate,

    /// Load comparison documents. All files of one call are imported in one
    /// transaction: on any error the database is left exactly as it was. A
    /// document is identified by its title (ignoring case and spacing): a
    /// title that is stored is replaced in place and keeps its slug.
    Import {
        /// Document files in the comparison-document text format or JSON, or
        /// folders of them; `-` reads standard input.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,

        /// Parse everything and show what the import would do (added,
        /// replaced or unchanged, the slug, each comparison table as split)
        /// without writing anything. The database is opened read-only and
        /// need not exist.
        #[arg(long)]
        dry_run: bool,

        /// All or nothing: a table row that cannot be split for sure stops
        /// the import (exit code 3, every such row named, nothing written)
        /// instead of being kept as written for `versus resolve`.
        #[arg(long)]
        strict: bool,
    },

    /// Settle the table rows an import kept as written, unresolved. On a
    /// terminal it shows each row with its readings numbered, best first:
    /// pick one, type the cells separated by " | ", or skip. In a script,
    /// --line (or --row) and --cells settle one row. The cells must join
    /// back into exactly the row's text. The database keeps the decision:
    /// an import of the same row splits it so, and nobody is asked again.
    Resolve {
        /// Only this document's rows, by slug or title (required with --cells).
        #[arg(value_name = "DOCUMENT")]
        document: Option<String>,

        /// The row on this line of the document's text, as the import named it.
        #[arg(long, value_name = "N", requires = "document", conflicts_with = "row")]
        line: Option<i64>,

        /// The row at this place in the table, from 1 (a document imported
        /// as JSON has no lines).
        #[arg(long, value_name = "N", requires = "document")]
        row: Option<i64>,

        /// The row's cells, separated by " | ": the attribute, then a value
        /// per figure. Settles the row without asking.
        #[arg(long, value_name = "CELLS", requires = "document")]
        cells: Option<String>,
    },

    /// Show the database path, schema version, documents and row counts.
    Status,

    /// Run a named query, such as "foreign policy differences" (`versus
    /// queries` lists them all). Names match ignoring case, with spaces,
    /// hyphens and underscores alike; any "<topic> differences" runs the
    /// query "differences" on that topic.
    Query {
        /// The query's name; several words need no quotes.
        #[arg(required = true, num_args = 1.., value_name = "NAME")]
        name: Vec<String>,

        /// Print the SQL (with `.parameter set` lines for sqlite3) instead of
        /// running it.
        #[arg(long)]
        show_sql: bool,

        #[command(flatten)]
        run: RunArgs,
    },

    /// List the named queries: name, title, parameters, and where each comes from.
    /// `--format datasette` writes them instead as Datasette metadata, every
    /// query a canned query that gives the rows versus gives
    /// (`versus queries --format datasette > metadata.json`, then
    /// `datasette versus.db -m metadata.json`).
    Queries,

    /// Full-text search of summaries, section headings, paragraphs and table
    /// values, best match first. Plain words must all match; punctuation is
    /// ignored and a trailing * matches any ending (trotsk*). Runs the named
    /// query "search".
    Search {
        /// The words to search for; several words need no quotes.
        #[arg(required = true, num_args = 1.., value_name = "QUERY")]
        words: Vec<String>,

        /// Only this document, by slug or title.
        #[arg(long, value_name = "DOCUMENT")]
        document: Option<String>,

        /// Only text about this figure, by full name or surname.
        #[arg(long, value_name = "FIGURE")]
        figure: Option<String>,

        /// At most this many hits.
        #[arg(long, value_name = "N", default_value_t = 20, allow_negative_numbers = true, value_parser = parse_limit)]
        limit: u32,

        /// Pass QUERY to FTS5 as it is: phrases ("permanent revolution"),
        /// NEAR, AND, OR, NOT, prefixes, column filters.
        #[arg(long)]
        raw: bool,

        /// Show each hit's score (bm25; higher is better) on a terminal;
        /// `--format table` and the machine formats always have it.
        #[arg(long)]
        verbose: bool,
    },

    /// Rebuild the full-text search tables and their triggers from the
    /// documents, as versus defines them (the search part of `check
    /// --repair`).
    Reindex,

    /// Check that the database is whole: SQLite's and FTS5's integrity
    /// checks, foreign keys, the search index in step with the documents,
    /// every table, index, view and trigger as versus defines it, no orphan
    /// rows. One line per problem: where, what, how to fix it; exit code 8
    /// when there is any.
    Check {
        /// Rebuild everything derived from the documents (triggers, views,
        /// indexes, the search tables, a table another tool rebuilt) and
        /// delete orphan rows, in one transaction. What it cannot derive (a
        /// damaged page, a renamed column) it refuses, changing nothing.
        #[arg(long)]
        repair: bool,
    },

    /// Print a completion script for a shell, to source from its startup
    /// file (see "Completions and the man page" in docs/GUIDE.md).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print versus's man page (roff), for `man -l -` or a man folder.
    Man,

    /// Write a stored document back out: in the text format it was imported
    /// from (byte for byte for a document imported from text), or as JSON.
    Export {
        #[command(flatten)]
        which: Which,
    },

    /// Show a whole document as a person reads it: title, summary, the
    /// comparison table with a column per figure, then each section
    /// (`--format markdown` for Markdown).
    Show {
        /// The document, by slug or title.
        #[arg(value_name = "DOCUMENT")]
        document: String,
    },

    /// An interactive prompt for named queries, SQL and dot-commands
    /// (`.help`), with Tab completion and history. A line that starts with
    /// `.` is a dot-command, one whose first word starts an SQL statement
    /// (SELECT, WITH, INSERT, ...) is SQL up to its `;`, anything else a
    /// named query with KEY=VALUE parameters. With standard input from a
    /// file or a pipe it runs that as a script and stops at the first error.
    Shell {
        /// Allow changes: each line's SQL runs in its own transaction,
        /// as `versus sql --write` runs a script.
        #[arg(long)]
        write: bool,
    },

    /// Run ad-hoc SQL, read-only unless --write is given.
    Sql {
        /// The SQL; `-` reads it from standard input. Parameters are written
        /// :name or ?1 and given with --param name=VALUE or --param 1=VALUE.
        #[arg(value_name = "SQL", allow_hyphen_values = true)]
        sql: String,

        /// Allow changes: run every statement of the SQL in one transaction,
        /// committed only if all succeed. Shows the rows of the last
        /// statement that returns rows.
        #[arg(long)]
        write: bool,

        #[command(flatten)]
        run: RunArgs,
    },
}

/// Which documents `export` writes.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct Which {
    /// The document, by slug or title.
    #[arg(value_name = "DOCUMENT")]
    pub document: Option<String>,

    /// Every document (as a JSON array with --format json, one per line with jsonl).
    #[arg(long)]
    pub all: bool,
}

fn parse_key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("expected KEY=VALUE, found {text:?}")),
    }
}

/// A limit: a whole number 0 or more. (A negative one is said to be
/// negative, as `--param limit=-1` is, not taken for a flag.)
fn parse_limit(text: &str) -> Result<u32, String> {
    let negative = text.trim().parse::<f64>().is_ok_and(|n| n < 0.0);
    match text.trim().parse::<u32>() {
        Ok(n) => Ok(n),
        Err(_) if negative => Err(
            "expected a whole number 0 or more: SQLite reads a negative LIMIT as no limit at all"
                .to_string(),
        ),
        Err(_) => Err(format!(
            "expected a whole number from 0 to {}, for example --limit 10",
            u32::MAX
        )),
    }
}

fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    match text.parse::<f64>() {
        Ok(s) if s.is_finite() && (0.0..=86_400.0).contains(&s) => {
            Ok(std::time::Duration::from_secs_f64(s))
        }
        _ => Err(format!(
            "expected a number of seconds from 0 to 86400, found {text:?}"
        )),
    }
}
