//! Every command-line type: the commands, their flags and their help text.
//! Nothing here runs anything; `lib.rs` dispatches, `cmd/` does the work.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

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

    /// Output format for results.
    #[arg(long, global = true, env = "VERSUS_FORMAT", value_enum, default_value_t = Format::Table)]
    pub format: Format,

    #[command(subcommand)]
    pub command: Command,
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
    /// A Markdown table.
    Markdown,
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
    /// document whose slug is already stored is replaced in place.
    Import {
        /// Document files in the comparison-document text format; `-` reads
        /// standard input.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },

    /// Show the database path, schema version, documents and row counts.
    Status,
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
