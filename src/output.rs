//! Rendering results: terminal tables, CSV, TSV, JSON, JSON Lines and
//! Markdown. This is the one module that writes to stdout or stderr.
//!
//! Rows arrive one at a time through [`Output::begin`] / [`Output::row`] /
//! [`Output::finish`], so CSV, TSV, JSON, JSON Lines and Markdown stream in
//! constant memory; only the terminal table (which must know every width
//! before it draws) keeps the rows.
//!
//! Encodings, the same in every format unless said otherwise:
//! - NULL is `null` in JSON, an empty field in CSV/TSV and `NULL` in tables
//!   and Markdown; the empty string is `""` in JSON and CSV, and empty in the
//!   others. CSV quotes every empty string so the two stay distinct.
//! - A BLOB is written as `x'<hex>'` (SQLite's literal syntax) in text
//!   formats and as `{"blob": "<hex>"}` in JSON.
//! - Text that is not UTF-8 is written with U+FFFD for each bad byte.
//! - Control characters are escaped (`\n`, `\t`, `\u{1b}`) in tables, TSV and
//!   Markdown, where they would break the layout; CSV and JSON quote them.

use std::io::{self, BufWriter, IsTerminal, Write};

use anyhow::{Context, Result};
use rusqlite::types::ValueRef;

use crate::cli::Format;

/// Writes one error line to stderr: `versus: <message>`.
pub fn error_line(message: &str) -> io::Result<()> {
    let mut err = io::stderr().lock();
    writeln!(err, "versus: {message}")
}

/// Writes a note for the user to stderr (things that are not the answer,
/// such as "created versus.db"), so stdout stays clean for pipes.
pub fn notice(message: &str) {
    let _ = writeln!(io::stderr().lock(), "versus: {message}");
}

/// An owned cell, for results a command builds itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
}

impl Cell {
    fn as_value_ref(&self) -> ValueRef<'_> {
        match self {
            Cell::Null => ValueRef::Null,
            Cell::Integer(i) => ValueRef::Integer(*i),
            Cell::Real(r) => ValueRef::Real(*r),
            Cell::Text(t) => ValueRef::Text(t.as_bytes()),
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}
impl From<i64> for Cell {
    fn from(i: i64) -> Self {
        Cell::Integer(i)
    }
}

/// The result of a command: messages for people, or rows.
pub struct Output {
    format: Format,
    out: BufWriter<io::StdoutLock<'static>>,
    /// Set between `begin` and `finish`.
    state: Option<Rendering>,
}

enum Rendering {
    /// Terminal table: rows kept until `finish` knows every width.
    Table {
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
        /// Whether a "(N rows)" line follows the table.
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
    pub fn new(format: Format) -> Output {
        Output {
            format,
            out: BufWriter::with_capacity(64 * 1024, io::stdout().lock()),
            state: None,
        }
    }

    /// Writes lines of plain text (what a command did), whatever the format.
    pub fn lines<S: AsRef<str>>(&mut self, lines: &[S]) -> Result<()> {
        for line in lines {
            writeln!(self.out, "{}", line.as_ref()).context("cannot write to standard output")?;
        }
        self.flush()
    }

    /// Writes a whole result held in memory.
    pub fn rows(&mut self, columns: &[&str], rows: &[Vec<Cell>]) -> Result<()> {
        self.begin(&columns.iter().map(|c| c.to_string()).collect::<Vec<_>>())?;
        for row in rows {
            let values: Vec<ValueRef> = row.iter().map(Cell::as_value_ref).collect();
            self.row(&values)?;
        }
        self.finish()
    }

    /// Writes rows a command kept in memory.
    pub fn values(
        &mut self,
        columns: &[String],
        rows: &[Vec<rusqlite::types::Value>],
    ) -> Result<()> {
        self.begin(columns)?;
        for row in rows {
            let values: Vec<ValueRef> = row.iter().map(ValueRef::from).collect();
            self.row(&values)?;
        }
        self.finish()
    }

    /// Writes one record vertically in a table (name, value), or as one
    /// object in JSON.
    pub fn record(&mut self, fields: &[(&str, Cell)]) -> Result<()> {
        match self.format {
            Format::Table | Format::Markdown => {
                self.begin(&["field".to_string(), "value".to_string()])?;
                if let Some(Rendering::Table { count_rows, .. }) = &mut self.state {
                    *count_rows = false;
                }
                for (name, value) in fields {
                    self.row(&[ValueRef::Text(name.as_bytes()), value.as_value_ref()])?;
                }
                self.finish()
            }
            _ => {
                let columns: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
                let row: Vec<Cell> = fields.iter().map(|(_, v)| v.clone()).collect();
                if self.format == Format::Json {
                    // One object, not an array of one.
                    let columns: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
                    let values: Vec<ValueRef> = row.iter().map(Cell::as_value_ref).collect();
                    write_json_object(&mut self.out, &json_keys(&columns), &values)?;
                    self.out
                        .write_all(b"\n")
                        .context("cannot write to standard output")?;
                    self.flush()
                } else {
                    self.rows(&columns, &[row])
                }
            }
        }
    }

    /// Starts a result with these column names.
    pub fn begin(&mut self, columns: &[String]) -> Result<()> {
        let state = match self.format {
            Format::Table => Rendering::Table {
                columns: columns.to_vec(),
                rows: Vec::new(),
                count_rows: true,
            },
            Format::Csv => {
                let fields = Box::new(CsvFields::new());
                let mut line = Vec::new();
                for (i, column) in columns.iter().enumerate() {
                    fields.push(&mut line, i, Some(column.as_bytes()));
                }
                line.extend_from_slice(b"\r\n");
                self.out
                    .write_all(&line)
                    .context("cannot write to standard output")?;
                line.clear();
                Rendering::Csv { fields, line }
            }
            Format::Tsv => {
                let header: Vec<String> = columns.iter().map(|c| escape_controls(c)).collect();
                writeln!(self.out, "{}", header.join("\t"))
                    .context("cannot write to standard output")?;
                Rendering::Tsv
            }
            Format::Json => {
                self.out
                    .write_all(b"[")
                    .context("cannot write to standard output")?;
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
                writeln!(self.out, "| {} |", header.join(" | "))
                    .context("cannot write to standard output")?;
                writeln!(self.out, "|{}", " --- |".repeat(columns.len().max(1)))
                    .context("cannot write to standard output")?;
                Rendering::Markdown
            }
        };
        self.state = Some(state);
        Ok(())
    }

    /// Writes one row (streamed in every format but `table`).
    pub fn row(&mut self, values: &[ValueRef<'_>]) -> Result<()> {
        let out = &mut self.out;
        match self.state.as_mut() {
            None => anyhow::bail!("internal error: a row before its columns"),
            Some(Rendering::Table { rows, .. }) => {
                rows.push(values.iter().map(|v| table_text(*v)).collect());
                Ok(())
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
                let written = out
                    .write_all(line)
                    .context("cannot write to standard output");
                line.clear();
                written
            }
            Some(Rendering::Tsv) => {
                let cells: Vec<String> = values
                    .iter()
                    .map(|v| match v {
                        ValueRef::Null => String::new(),
                        other => escape_controls(&plain_text(*other)),
                    })
                    .collect();
                writeln!(out, "{}", cells.join("\t")).context("cannot write to standard output")
            }
            Some(Rendering::Json { keys, first }) => {
                out.write_all(if *first { b"\n  " } else { b",\n  " })
                    .context("cannot write to standard output")?;
                *first = false;
                write_json_object(out, keys, values)
            }
            Some(Rendering::Jsonl { keys }) => {
                write_json_object(out, keys, values)?;
                out.write_all(b"\n")
                    .context("cannot write to standard output")
            }
            Some(Rendering::Markdown) => {
                let cells: Vec<String> = values
                    .iter()
                    .map(|v| markdown_cell(&table_text(*v)))
                    .collect();
                writeln!(out, "| {} |", cells.join(" | "))
                    .context("cannot write to standard output")
            }
        }
    }

    /// Ends the result: draws the table, closes the JSON array, flushes.
    pub fn finish(&mut self) -> Result<()> {
        match self.state.take() {
            Some(Rendering::Table {
                columns,
                rows,
                count_rows,
            }) => {
                let text = draw_table(&columns, rows, count_rows);
                self.out
                    .write_all(text.as_bytes())
                    .context("cannot write to standard output")?;
            }
            Some(Rendering::Json { first, .. }) => {
                self.out
                    .write_all(if first { b"]\n" } else { b"\n]\n" })
                    .context("cannot write to standard output")?;
            }
            _ => {}
        }
        self.flush()
    }

    fn flush(&mut self) -> Result<()> {
        self.out.flush().context("cannot write to standard output")
    }
}

/// RFC 4180 fields: quoted only where needed (by `csv_core`'s rules), except
/// that the empty string is always `""` so that it differs from NULL, which
/// is an empty field.
struct CsvFields {
    rules: csv_core::Writer,
}

impl CsvFields {
    fn new() -> CsvFields {
        CsvFields {
            rules: csv_core::WriterBuilder::new()
                .quote_style(csv_core::QuoteStyle::Necessary)
                .build(),
        }
    }

    /// Appends field number `index` (a comma before all but the first);
    /// `None` is NULL.
    fn push(&self, line: &mut Vec<u8>, index: usize, field: Option<&[u8]>) {
        if index > 0 {
            line.push(b',');
        }
        match field {
            None => {}
            Some([]) => line.extend_from_slice(b"\"\""),
            Some(bytes) if self.rules.should_quote(bytes) => {
                line.push(b'"');
                let start = line.len();
                // Worst case every byte is a quote and doubles.
                line.resize(start + bytes.len() * 2, 0);
                let (_, _, written) = csv_core::quote(bytes, &mut line[start..], b'"', b'"', true);
                line.truncate(start + written);
                line.push(b'"');
            }
            Some(bytes) => line.extend_from_slice(bytes),
        }
    }
}

/// Text for CSV and TSV: numbers as SQLite prints them, BLOBs as `x'hex'`.
fn plain_text(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => format_real(r),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Blob(b) => format!("x'{}'", hex(b)),
    }
}

/// Text for tables and Markdown: NULL shown as `NULL`, controls escaped.
fn table_text(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".to_string(),
        other => escape_controls(&plain_text(other)),
    }
}

fn format_real(r: f64) -> String {
    if r.is_finite() && r == r.trunc() && r.abs() < 1e15 {
        format!("{r:.1}")
    } else {
        r.to_string()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Escapes control characters so one cell stays on one line.
fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn markdown_cell(text: &str) -> String {
    escape_controls(text).replace('|', "\\|")
}

/// Writes one JSON object, keys in column order. `keys` are the column
/// names already encoded as JSON strings (see [`json_keys`]).
fn write_json_object(out: &mut impl Write, keys: &[String], values: &[ValueRef<'_>]) -> Result<()> {
    let mut line = Vec::with_capacity(256);
    line.push(b'{');
    for (i, (key, value)) in keys.iter().zip(values).enumerate() {
        if i > 0 {
            line.push(b',');
        }
        line.extend_from_slice(key.as_bytes());
        line.push(b':');
        match *value {
            ValueRef::Null => line.extend_from_slice(b"null"),
            ValueRef::Integer(i) => line.extend_from_slice(i.to_string().as_bytes()),
            ValueRef::Real(r) if r.is_finite() => serde_json::to_writer(&mut line, &r)?,
            // JSON has no infinity or NaN.
            ValueRef::Real(_) => line.extend_from_slice(b"null"),
            ValueRef::Text(t) => match std::str::from_utf8(t) {
                Ok(text) => serde_json::to_writer(&mut line, text)?,
                Err(_) => serde_json::to_writer(&mut line, &String::from_utf8_lossy(t))?,
            },
            ValueRef::Blob(b) => {
                line.extend_from_slice(b"{\"blob\":\"");
                line.extend_from_slice(hex(b).as_bytes());
                line.extend_from_slice(b"\"}");
            }
        }
    }
    line.push(b'}');
    out.write_all(&line)
        .context("cannot write to standard output")
}

/// Column names encoded once as JSON strings, for every row's keys.
fn json_keys(columns: &[String]) -> Vec<String> {
    columns
        .iter()
        .map(|c| serde_json::to_string(c).unwrap_or_else(|_| "\"?\"".to_string()))
        .collect()
}

/// Draws a terminal table. On a terminal, long columns are wrapped at word
/// boundaries so the table fits the width: short columns keep their width,
/// the rest share what is left. When stdout is not a terminal the table is
/// drawn at full width, nothing wrapped or cut.
fn draw_table(columns: &[String], mut rows: Vec<Vec<String>>, count_rows: bool) -> String {
    use tabled::builder::Builder;
    use tabled::settings::Style;

    let count = rows.len();
    let mut header = columns.to_vec();
    if let Some(width) = terminal_width() {
        let widths = fit_widths(&header, &rows, width);
        for row in std::iter::once(&mut header).chain(rows.iter_mut()) {
            for (cell, &limit) in row.iter_mut().zip(&widths) {
                if textwrap::core::display_width(cell) > limit {
                    *cell = textwrap::fill(cell, limit);
                }
            }
        }
    }
    let mut builder = Builder::with_capacity(count + 1, columns.len());
    builder.push_record(header);
    for row in rows {
        builder.push_record(row);
    }
    let mut table = builder.build();
    table.with(Style::rounded());
    let mut text = table.to_string();
    text.push('\n');
    if count_rows {
        text.push_str(&format!(
            "({count} row{})\n",
            if count == 1 { "" } else { "s" }
        ));
    }
    text
}

/// Column widths that fit `total` terminal columns: every column that fits
/// its fair share keeps its natural width; the wider ones split the rest in
/// proportion to their natural widths, so a paragraph column gets the most.
fn fit_widths(header: &[String], rows: &[Vec<String>], total: usize) -> Vec<usize> {
    let natural: Vec<usize> = (0..header.len())
        .map(|i| {
            std::iter::once(&header[i])
                .chain(rows.iter().filter_map(|r| r.get(i)))
                .map(|c| textwrap::core::display_width(c))
                .max()
                .unwrap_or(0)
                .max(1)
        })
        .collect();
    // Each column costs its width plus a border and two padding spaces.
    let mut available = total.saturating_sub(3 * header.len() + 1);
    let mut widths = natural.clone();
    let mut open: Vec<usize> = (0..header.len()).collect();
    loop {
        if open.is_empty() {
            break;
        }
        let fair = available / open.len();
        let (fits, wide): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&i| natural[i] <= fair);
        if fits.is_empty() {
            let sum: usize = wide.iter().map(|&i| natural[i]).sum::<usize>().max(1);
            let mut left = available;
            for (n, &i) in wide.iter().enumerate() {
                let share = if n + 1 == wide.len() {
                    left
                } else {
                    available * natural[i] / sum
                };
                widths[i] = share.max(natural[i].min(16)).max(8);
                left = left.saturating_sub(widths[i]);
            }
            break;
        }
        for &i in &fits {
            available -= natural[i];
        }
        open = wide;
    }
    widths
}

/// The terminal's width when stdout is a terminal (`COLUMNS` wins when set).
fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
    {
        return Some(columns.max(20));
    }
    terminal_size::terminal_size().map(|(w, _)| usize::from(w.0).max(20))
}
