//! Every command-line type: the commands, their flags and their help text.
//! Nothing here runs anything; `lib.rs` dispatches, `cmd/` does the work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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

    /// Output format: for results `table` (the default), `csv`, `tsv`,
    /// `json`, `jsonl` or `markdown` (VERSUS_FORMAT sets the default for
    /// results); for `export`, `text` (the default for one document), `json`
    /// (the default for --all) or `jsonl`; for `show`, `table`, `markdown`
    /// or `json`.
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,

    /// Your own named queries: a `.sql` file or a folder of them, in the
    /// same form as the built-in ones. A query with a built-in's name
    /// replaces it.
    #[arg(long, global = true, env = "VERSUS_QUERIES", value_name = "PATH")]
    pub queries: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
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

/// How results are written to standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people, wrapped to the terminal's width.
    Table,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// One JSON array of objects keyed by column name.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// A Markdown table (`show`: the whole document as Markdown).
    Markdown,
    /// The comparison-document text format, for `export` (`show` and
    /// `import --dry-run` draw it as `table`; results refuse it).
    Text,
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
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: u32,

        /// Pass QUERY to FTS5 as it is: phrases ("permanent revolution"),
        /// NEAR, AND, OR, NOT, prefixes, column filters.
        #[arg(long)]
        raw: bool,
    },

    /// Rebuild the full-text search index from the documents.
    Reindex,

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
