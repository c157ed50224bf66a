//! What output was asked to look like: the output formats and the
//! presentation (colour, paging, headers). `cli` chooses them from the
//! command line and the environment, `output` draws them; this module sits
//! below both, so that neither imports the other.

use clap::ValueEnum;

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
    /// The comparison-document text format (`export` only).
    Text,
}

impl Format {
    /// The formats of results (rows): what `query`, `sql`, `search` and the
    /// shell's `.format` take. The first is the default.
    pub const RESULTS: &'static [Format] = &[
        Format::Table,
        Format::Csv,
        Format::Tsv,
        Format::Json,
        Format::Jsonl,
        Format::Markdown,
    ];

    /// The name a user types (`--format jsonl`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Markdown => "markdown",
            Format::Text => "text",
        }
    }

    /// Whether the format has a header line that `--no-headers` leaves out
    /// (JSON keys and the Markdown header are part of their format).
    pub fn has_header_line(self) -> bool {
        match self {
            Format::Table | Format::Csv | Format::Tsv => true,
            Format::Json | Format::Jsonl | Format::Markdown | Format::Text => false,
        }
    }
}

/// How output looks on a terminal, from the global options.
#[derive(Debug, Clone, Copy)]
pub struct Presentation {
    /// Styles (bold matches in search snippets): `--color always`, or
    /// `auto` on a terminal without `NO_COLOR` and `TERM=dumb`.
    pub color: bool,
    /// Whether a pager may be used (not with `--no-pager`).
    pub paging: bool,
    /// The header line of csv, tsv and table (not with `--no-headers`).
    pub headers: bool,
    /// Whether the format was chosen (`--format`, a shorthand such as
    /// `--csv`, or `VERSUS_FORMAT`), not the command's default: only with
    /// the default may a command show its results its own way on a
    /// terminal (search's hits as blocks).
    pub format_chosen: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names are clap's, which parses `--format`.
    #[test]
    fn each_name_is_the_one_clap_parses() {
        for format in Format::value_variants() {
            assert_eq!(
                format.to_possible_value().unwrap().get_name(),
                format.name()
            );
        }
    }
}
