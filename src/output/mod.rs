//! Rendering results: terminal tables, CSV, TSV, JSON, JSON Lines and
//! Markdown. This is the one module that writes to stdout or stderr.
//!
//! Rows arrive one at a time through [`Output::begin`] / [`Output::row`] /
//! [`Output::finish`], and every format streams in bounded memory: the
//! terminal table keeps only its first rows, to measure its columns (see
//! `table.rs`).
//!
//! Encodings, the same in every format unless said otherwise:
//! - NULL is `null` in JSON, an empty field in CSV/TSV and `NULL` in tables
//!   and Markdown; the empty string is `""` in JSON and CSV, and empty in the
//!   others. CSV quotes every empty string so the two stay distinct.
//! - A real is written as the sqlite3 shell shows it (`printf('%!.15g')`:
//!   `2.5e+301`, `Inf`) in text formats, and with every digit in JSON, where
//!   infinity is `9.0e+999` as in SQLite's own JSON.
//! - A BLOB is written as `x'<hex>'` (SQLite's literal syntax) in text
//!   formats and as `{"blob": "<hex>"}` in JSON.
//! - Text that is not UTF-8 is written with U+FFFD for each bad byte.
//! - A line break inside a value is a line break in a table cell and `<br>`
//!   in Markdown; other control characters are escaped (`\t`, `\u{1b}`) in
//!   tables, Markdown and TSV (where line breaks and the backslash are
//!   escaped too: `\n`, `\\`). CSV and JSON quote them.
//! - Two columns with one name are keyed `name`, `name_2`, ... in JSON,
//!   whose objects cannot repeat a key.

mod blocks;
mod comparison;
mod document;
mod hits;
mod pager;
mod table;
mod terminal;
mod values;
mod wrap;

use std::io::{BufWriter, Write};

use anyhow::{Context, Result};
use rusqlite::types::{Value, ValueRef};

use crate::document::Document;
use crate::format::{Format, Presentation};

pub use terminal::{Progress, again, ask, error_line, notice, question, settled, unresolved_rows};
use terminal::{terminal_size, terminal_width};
pub use values::visible;
use values::{
    CsvFields, escape_controls, json_keys, markdown_cell, plain_text, table_cell, table_text,
    write_json_object,
};

/// ANSI escapes that turn bold on and off; kept intact in table cells.
const BOLD: &str = "\u{1b}[1m";
const NOT_BOLD: &str = "\u{1b}[22m";

/// What a failed write to stdout says (a closed pipe is not reported at all).
pub const WRITE_FAILED: &str =
    "cannot write to standard output (check the disk or the file it goes to)";

/// Where results go, in the chosen format.
pub struct Output {
    format: Format,
    presentation: Presentation,
    out: BufWriter<pager::Sink>,
    /// Set between `begin` and `finish`.
    state: Option<Rendering>,
    /// How the command's results read on a terminal with no format
    /// chosen, when not as a table.
    view: Option<View>,
}

/// Results a command knows the shape of, drawn for people on a terminal
/// when no format was chosen.
#[derive(Clone, Copy)]
enum View {
    /// Search hits, as ripgrep shows matches (`hits.rs`); `verbose` with
    /// their scores.
    Hits { verbose: bool },
    /// `differences`, as a comparison (`comparison.rs`).
    Comparison,
}

enum Rendering {
    /// Search hits as blocks on a terminal.
    Hits {
        hits: hits::Hits,
        text: String,
    },
    /// `differences` as a comparison on a terminal.
    Comparison {
        comparison: comparison::Comparison,
        text: String,
    },
    /// Terminal table: the first rows are kept until their widths fix the
    /// layout (`table`), then every row is drawn as it comes.
    Table {
        columns: Vec<String>,
        sample: Vec<Vec<String>>,
        sample_bytes: usize,
        table: Option<table::Table>,
        /// The text of the rows drawn by one call, reused.
        text: String,
        /// A record (`status`) is drawn without the "(N rows)" line.
        count_rows: bool,
    },
    Csv {
        fields: Box<CsvFields>,
        line: Vec<u8>,
    },
    Tsv,
    /// `keys` are the column names encoded as JSON strings.
    Json {
        keys: Vec<String>,
        first: bool,
    },
    Jsonl {
        keys: Vec<String>,
    },
    Markdown,
}

impl Output {
    pub fn new(format: Format, presentation: Presentation) -> Output {
        Output {
            format,
            presentation,
            out: BufWriter::with_capacity(64 * 1024, pager::Sink::new(presentation.paging)),
            state: None,
            view: None,
        }
    }

    /// Says that the results to come are search hits: on a terminal, with
    /// no format chosen, they are written as ripgrep writes matches (see
    /// `hits.rs`), `verbose` with their scores.
    pub fn search_hits(&mut self, verbose: bool) {
        self.view = Some(View::Hits { verbose });
    }

    /// Says that the results to come are `differences`': on a terminal,
    /// with no format chosen, they are written as a comparison (see
    /// `comparison.rs`).
    pub fn comparison(&mut self) {
        self.view = Some(View::Comparison);
    }

    /// Ends the output: writes what was held for the pager, or waits for
    /// the pager to finish. Dropping an `Output` does it too, ignoring
    /// errors (the error being reported matters more).
    pub fn close(&mut self) -> Result<()> {
        self.out.flush().context(WRITE_FAILED)?;
        self.out.get_mut().close().context(WRITE_FAILED)
    }

    /// Where a long exported text is written piece by piece (`export
    /// --all`); [`Output::close`] flushes it.
    pub fn writer(&mut self) -> &mut impl Write {
        &mut self.out
    }

    /// Writes text exactly as given (an exported document).
    pub fn text(&mut self, text: &str) -> Result<()> {
        self.out.write_all(text.as_bytes()).context(WRITE_FAILED)?;
        self.flush()
    }

    /// How to mark a matching word in a snippet: bold in a table when
    /// colour is on (see [`Presentation`]), `[` and `]` everywhere else.
    pub fn emphasis(&self) -> (&'static str, &'static str) {
        if matches!(self.format, Format::Table | Format::Text) && self.presentation.color {
            (BOLD, NOT_BOLD)
        } else {
            ("[", "]")
        }
    }

    /// Writes a whole document for people: as text with a table (the
    /// default), or as Markdown.
    pub fn document(&mut self, doc: &Document) -> Result<()> {
        let text = if self.format == Format::Markdown {
            document::markdown(doc)
        } else {
            document::text(doc, terminal_width())
        };
        self.text(&visible(&text))
    }

    /// Writes lines of plain text (what a command did), whatever the format.
    pub fn lines<S: AsRef<str>>(&mut self, lines: &[S]) -> Result<()> {
        for line in lines {
            writeln!(self.out, "{}", visible(line.as_ref())).context(WRITE_FAILED)?;
        }
        self.flush()
    }

    /// Writes what `import --dry-run` found: for people (table, Markdown),
    /// a line per document saying what importing it would do, then its
    /// comparison table as split, one row per attribute and a column per
    /// cell, so a wrong split shows at a glance; as JSON or JSON Lines, one
    /// object per document. CSV and TSV have no form for it (the command
    /// refuses them).
    pub fn planned_import(&mut self, plans: &[crate::store::PlannedDocument]) -> Result<()> {
        use crate::store::Outcome;
        let object = |p: &crate::store::PlannedDocument| {
            serde_json::json!({
                "source": p.source,
                "title": p.doc.title,
                "slug": p.plan.slug,
                "outcome": match p.plan.outcome {
                    Outcome::Added => "add",
                    Outcome::Replaced => "replace",
                    Outcome::Unchanged => "unchanged",
                },
                "figures": p.doc.figures,
                "table": p.doc.table.iter().map(|row| {
                    let mut cells = vec![row.attribute.clone()];
                    cells.extend(row.values.iter().cloned());
                    cells
                }).collect::<Vec<_>>(),
            })
        };
        match self.format {
            Format::Json => {
                let all: Vec<serde_json::Value> = plans.iter().map(object).collect();
                let text = serde_json::to_string_pretty(&all).context("cannot write JSON")?;
                return self.text(&(text + "\n"));
            }
            Format::Jsonl => {
                for plan in plans {
                    writeln!(self.out, "{}", object(plan)).context(WRITE_FAILED)?;
                }
                return self.flush();
            }
            // Which formats `import --dry-run` takes is `cli::capabilities`'s
            // to say; a format with no form of its own here is drawn for people.
            Format::Table | Format::Markdown | Format::Text | Format::Csv | Format::Tsv => {}
        }
        let count = |o: Outcome| plans.iter().filter(|p| p.plan.outcome == o).count();
        for (n, planned) in plans.iter().enumerate() {
            let what = match planned.plan.outcome {
                Outcome::Added => "would add",
                Outcome::Replaced => "would replace",
                Outcome::Unchanged => "unchanged:",
            };
            let taken = planned
                .plan
                .short_slug_taken
                .as_ref()
                .map(|short| format!(" ({short} is another document's)"))
                .unwrap_or_default();
            let heading = format!(
                "{what} {} ({}) from {}{taken}",
                planned.plan.slug, planned.doc.title, planned.source
            );
            if self.format == Format::Markdown {
                writeln!(self.out, "{}{heading}\n", if n > 0 { "\n" } else { "" })
                    .context(WRITE_FAILED)?;
            } else {
                writeln!(self.out, "{}{heading}", if n > 0 { "\n" } else { "" })
                    .context(WRITE_FAILED)?;
            }
            let mut columns = vec!["Attribute".to_string()];
            columns.extend(planned.doc.figures.iter().cloned());
            let rows: Vec<Vec<Value>> = planned
                .doc
                .table
                .iter()
                .map(|row| {
                    std::iter::once(&row.attribute)
                        .chain(&row.values)
                        .map(|cell| Value::Text(cell.clone()))
                        .collect()
                })
                .collect();
            self.rows(&columns, &rows)?;
        }
        writeln!(
            self.out,
            "\nnothing was written (dry run): {} to add, {} to replace, {} unchanged",
            count(Outcome::Added),
            count(Outcome::Replaced),
            count(Outcome::Unchanged)
        )
        .context(WRITE_FAILED)?;
        self.flush()
    }

    /// Writes a whole result held in memory.
    pub fn rows(&mut self, columns: &[String], rows: &[Vec<Value>]) -> Result<()> {
        self.begin(columns)?;
        for row in rows {
            let values: Vec<ValueRef> = row.iter().map(ValueRef::from).collect();
            self.row(&values)?;
        }
        self.finish()
    }

    /// Writes one record: vertically (field, value) in a table or Markdown,
    /// as a one-row result in the other formats.
    pub fn record(&mut self, fields: &[(&str, Value)]) -> Result<()> {
        if matches!(self.format, Format::Table | Format::Text | Format::Markdown) {
            self.begin(&["field".to_string(), "value".to_string()])?;
            if let Some(Rendering::Table { count_rows, .. }) = &mut self.state {
                *count_rows = false;
            }
            for (name, value) in fields {
                self.row(&[ValueRef::Text(name.as_bytes()), ValueRef::from(value)])?;
            }
            return self.finish();
        }
        let columns: Vec<String> = fields.iter().map(|(n, _)| n.to_string()).collect();
        let row: Vec<Value> = fields.iter().map(|(_, v)| v.clone()).collect();
        self.rows(&columns, &[row])
    }

    /// Starts a result with these column names.
    pub fn begin(&mut self, columns: &[String]) -> Result<()> {
        if let Some(view) = self.view
            && self.format == Format::Table
            && !self.presentation.format_chosen
            && let Some(width) = terminal_width()
        {
            let color = self.presentation.color;
            self.state = Some(match view {
                View::Hits { verbose } => Rendering::Hits {
                    hits: hits::Hits::new(columns, width, color, verbose),
                    text: String::new(),
                },
                View::Comparison => Rendering::Comparison {
                    comparison: comparison::Comparison::new(columns, width, color),
                    text: String::new(),
                },
            });
            return Ok(());
        }
        let state = match self.format {
            Format::Table | Format::Text => Rendering::Table {
                columns: columns.iter().map(|c| table_cell(c)).collect(),
                sample: Vec::new(),
                sample_bytes: 0,
                table: None,
                text: String::new(),
                count_rows: true,
            },
            Format::Csv => {
                let fields = Box::new(CsvFields::new());
                let mut line = Vec::new();
                if self.presentation.headers {
                    for (i, column) in columns.iter().enumerate() {
                        fields.push(&mut line, i, Some(column.as_bytes()));
                    }
                    line.extend_from_slice(b"\r\n");
                    self.out.write_all(&line).context(WRITE_FAILED)?;
                    line.clear();
                }
                Rendering::Csv { fields, line }
            }
            Format::Tsv => {
                if self.presentation.headers {
                    let header: Vec<String> =
                        columns.iter().map(|c| escape_controls(c, true)).collect();
                    writeln!(self.out, "{}", header.join("\t")).context(WRITE_FAILED)?;
                }
                Rendering::Tsv
            }
            Format::Json => {
                self.out.write_all(b"[").context(WRITE_FAILED)?;
                Rendering::Json {
                    keys: json_keys(columns),
                    first: true,
                }
            }
            Format::Jsonl => Rendering::Jsonl {
                keys: json_keys(columns),
            },
            Format::Markdown => {
                let header: Vec<String> = columns.iter().map(|c| markdown_cell(c)).collect();
                writeln!(self.out, "| {} |", header.join(" | ")).context(WRITE_FAILED)?;
                writeln!(self.out, "|{}", " --- |".repeat(columns.len().max(1)))
                    .context(WRITE_FAILED)?;
                Rendering::Markdown
            }
        };
        self.state = Some(state);
        Ok(())
    }

    /// Writes one row (in a table, once the first rows have fixed the
    /// layout).
    pub fn row(&mut self, values: &[ValueRef<'_>]) -> Result<()> {
        let out = &mut self.out;
        let headers = self.presentation.headers;
        match self.state.as_mut() {
            None => anyhow::bail!("internal error: a row before its columns"),
            Some(Rendering::Hits { hits, text }) => {
                text.clear();
                hits.hit(values, text);
                out.write_all(text.as_bytes()).context(WRITE_FAILED)
            }
            Some(Rendering::Comparison { comparison, text }) => {
                text.clear();
                comparison.row(values, text);
                out.write_all(text.as_bytes()).context(WRITE_FAILED)
            }
            Some(Rendering::Table {
                columns,
                sample,
                sample_bytes,
                table,
                text,
                ..
            }) => {
                let cells: Vec<String> = values.iter().map(|v| table_text(*v)).collect();
                text.clear();
                match table {
                    Some(table) => table.row(cells, text),
                    None => {
                        *sample_bytes += cells.iter().map(String::len).sum::<usize>();
                        sample.push(cells);
                        if sample.len() < table::SAMPLE_ROWS && *sample_bytes < table::SAMPLE_BYTES
                        {
                            return Ok(());
                        }
                        let mut planned = table::Table::plan(
                            std::mem::take(columns),
                            sample,
                            terminal_width(),
                            headers,
                        );
                        for row in sample.drain(..) {
                            planned.row(row, text);
                        }
                        *sample = Vec::new();
                        *table = Some(planned);
                    }
                }
                out.write_all(text.as_bytes()).context(WRITE_FAILED)
            }
            Some(Rendering::Csv { fields, line }) => {
                for (i, value) in values.iter().enumerate() {
                    match value {
                        ValueRef::Null => fields.push(line, i, None),
                        ValueRef::Text(t) => match std::str::from_utf8(t) {
                            Ok(_) => fields.push(line, i, Some(t)),
                            Err(_) => {
                                fields.push(line, i, Some(String::from_utf8_lossy(t).as_bytes()))
                            }
                        },
                        other => fields.push(line, i, Some(plain_text(*other).as_bytes())),
                    }
                }
                line.extend_from_slice(b"\r\n");
                let written = out.write_all(line).context(WRITE_FAILED);
                line.clear();
                written
            }
            Some(Rendering::Tsv) => {
                let cells: Vec<String> = values
                    .iter()
                    .map(|v| match v {
                        ValueRef::Null => String::new(),
                        other => escape_controls(&plain_text(*other), true),
                    })
                    .collect();
                writeln!(out, "{}", cells.join("\t")).context(WRITE_FAILED)
            }
            Some(Rendering::Json { keys, first }) => {
                out.write_all(if *first { b"\n  " } else { b",\n  " })
                    .context(WRITE_FAILED)?;
                *first = false;
                write_json_object(out, keys, values)
            }
            Some(Rendering::Jsonl { keys }) => {
                write_json_object(out, keys, values)?;
                out.write_all(b"\n").context(WRITE_FAILED)
            }
            Some(Rendering::Markdown) => {
                let cells: Vec<String> = values
                    .iter()
                    .map(|v| match v {
                        ValueRef::Null => "NULL".to_string(),
                        other => markdown_cell(&plain_text(*other)),
                    })
                    .collect();
                writeln!(out, "| {} |", cells.join(" | ")).context(WRITE_FAILED)
            }
        }
    }

    /// Ends the result: draws the table, closes the JSON array, flushes.
    pub fn finish(&mut self) -> Result<()> {
        let headers = self.presentation.headers;
        match self.state.take() {
            Some(Rendering::Table {
                columns,
                sample,
                table,
                mut text,
                count_rows,
                ..
            }) => {
                text.clear();
                let table = match table {
                    Some(table) => table,
                    // Every row was in the sample: drawn as if all were measured.
                    None => {
                        let mut table =
                            table::Table::plan(columns, &sample, terminal_width(), headers);
                        for row in sample {
                            table.row(row, &mut text);
                        }
                        table
                    }
                };
                table.end(count_rows, &mut text);
                self.out.write_all(text.as_bytes()).context(WRITE_FAILED)?;
            }
            Some(Rendering::Comparison {
                comparison,
                mut text,
            }) => {
                text.clear();
                comparison.end(&mut text);
                self.out.write_all(text.as_bytes()).context(WRITE_FAILED)?;
            }
            Some(Rendering::Hits {
                mut hits, mut text, ..
            }) => {
                text.clear();
                hits.end(&mut text);
                self.out.write_all(text.as_bytes()).context(WRITE_FAILED)?;
            }
            Some(Rendering::Json { first, .. }) => {
                self.out
                    .write_all(if first { b"]\n" } else { b"\n]\n" })
                    .context(WRITE_FAILED)?;
            }
            _ => {}
        }
        self.flush()
    }

    fn flush(&mut self) -> Result<()> {
        self.out.flush().context(WRITE_FAILED)
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        let _ = self.close();
    }
}
