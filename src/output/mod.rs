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

mod document;
mod pager;
mod table;

use std::io::{self, BufWriter, IsTerminal, Write};

use anyhow::{Context, Result};
use rusqlite::types::{Value, ValueRef};

use crate::document::Document;
use crate::format::{Format, Presentation};

/// ANSI escapes that turn bold on and off; kept intact in table cells.
const BOLD: &str = "\u{1b}[1m";
const NOT_BOLD: &str = "\u{1b}[22m";

/// What a failed write to stdout says (a closed pipe is not reported at all).
pub const WRITE_FAILED: &str =
    "cannot write to standard output (check the disk or the file it goes to)";

/// Writes one error line to stderr: `versus: <message>`.
pub fn error_line(message: &str) -> io::Result<()> {
    let mut err = io::stderr().lock();
    writeln!(err, "versus: {}", visible(message))
}

/// Writes a note for the user to stderr (things that are not the answer,
/// such as "created versus.db"), so stdout stays clean for pipes.
pub fn notice(message: &str) {
    let _ = writeln!(io::stderr().lock(), "versus: {}", visible(message));
}

/// Writes `text` to standard output at once, never through the pager: a
/// question that waits for its answer (`versus resolve`).
pub fn ask(text: &str) -> Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes()).context(WRITE_FAILED)?;
    stdout.flush().context(WRITE_FAILED)
}

/// `versus resolve`'s question about one row: where it is, the row, its
/// readings numbered best first, and what may be answered.
pub fn question(row: &crate::resolutions::Pending, n: usize, total: usize) -> String {
    let mut text = format!(
        "row {n} of {total}: {}
  {}
",
        row.place(),
        row.text
    );
    for (k, reading) in row.readings.iter().enumerate() {
        text.push_str(&format!("  {}. {}\n", k + 1, reading.join(" | ")));
    }
    let pick = match row.readings.len() {
        0 => String::new(),
        1 => "1 picks the reading, ".to_string(),
        n => format!("1-{n} picks a reading, "),
    };
    text.push_str(&format!(
        "{pick}or type the cells separated by \" | \" ({}); s skips, q stops\n> ",
        std::iter::once("attribute")
            .chain(row.figures.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    text
}

/// An answer `versus resolve` cannot use, and the prompt again.
pub fn again(why: &str) -> String {
    format!("{why}\n> ")
}

/// What settling a row did: its cells, and where it was split.
pub fn settled(row: &crate::resolutions::Pending, cells: &[String], split: &[String]) -> String {
    let mut line = format!("settled {}: {}", row.place(), cells.join(" | "));
    let others: Vec<&str> = split
        .iter()
        .map(String::as_str)
        .filter(|slug| *slug != row.document)
        .collect();
    if !others.is_empty() {
        line.push_str(&format!(" (split in {} too)", others.join(", ")));
    }
    line
}

/// Tells on stderr each table row an import kept as written, with the file,
/// the line and its best readings numbered, then one closing line. `strict`
/// says the rows stopped the import rather than being kept.
pub fn unresolved_rows(unresolved: &crate::store::UnresolvedRows, strict: bool) {
    let (rows, documents) = (&unresolved.rows, unresolved.documents);
    if rows.is_empty() {
        return;
    }
    let mut err = io::stderr().lock();
    for (source, row) in rows {
        let at = if row.line > 0 {
            format!("{source}:{}", row.line)
        } else {
            source.clone()
        };
        let what = if strict {
            "cannot be split for sure"
        } else {
            "is kept as written, unresolved"
        };
        let why = match row.readings.len() {
            _ if crate::document::is_separated(&row.text) => {
                "its cells are separated by a tab or \" | \", but not into the attribute and one value per figure".to_string()
            }
            0 => "no reading of it is supported".to_string(),
            1 => "its one reading is not supported by the document's words".to_string(),
            _ => "no reading of it is clearly the best".to_string(),
        };
        let _ = writeln!(
            err,
            "versus: {at}: the table row {} {what}: {why}",
            crate::document::excerpt(&row.text)
        );
        for (n, reading) in row.readings.iter().enumerate() {
            let _ = writeln!(err, "    {}. {}", n + 1, reading.join(" | "));
        }
    }
    if !strict {
        let _ = writeln!(
            err,
            "versus: {} row{} in {documents} document{} need{} a decision: `versus resolve`",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" },
            if documents == 1 { "" } else { "s" },
            if rows.len() == 1 { "s" } else { "" },
        );
    }
}

/// A progress bar on stderr for long imports: shown only when stderr is a
/// terminal and the work has taken longer than half a second, so short runs
/// and pipes see nothing.
pub struct Progress {
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
    shown: bool,
    terminal: bool,
}

impl Progress {
    pub fn new(what: &'static str, total: usize) -> Progress {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{prefix} {bar:30} {pos}/{len} documents, {per_sec}, {eta} left",
        ) {
            bar.set_style(style);
        }
        bar.set_prefix(what);
        Progress {
            bar,
            started: std::time::Instant::now(),
            shown: false,
            terminal: io::stderr().is_terminal(),
        }
    }

    pub fn advance(&mut self) {
        self.bar.inc(1);
        if !self.shown
            && self.terminal
            && self.started.elapsed() > std::time::Duration::from_millis(500)
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.shown = true;
        }
    }

    pub fn finish(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// Where results go, in the chosen format.
pub struct Output {
    format: Format,
    presentation: Presentation,
    out: BufWriter<pager::Sink>,
    /// Set between `begin` and `finish`.
    state: Option<Rendering>,
}

enum Rendering {
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
        }
    }

    /// Ends the output: writes what was held for the pager, or waits for
    /// the pager to finish. Dropping an `Output` does it too, ignoring
    /// errors (the error being reported matters more).
    pub fn close(&mut self) -> Result<()> {
        self.out.flush().context(WRITE_FAILED)?;
        self.out.get_mut().close().context(WRITE_FAILED)
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

/// Text for CSV, TSV and Markdown: numbers as SQLite prints them, BLOBs as
/// `x'hex'`.
fn plain_text(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => format_real(r),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Blob(b) => format!("x'{}'", hex(b)),
    }
}

/// Text for a table cell: NULL shown as `NULL`, line breaks kept, other
/// control characters escaped.
fn table_text(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".to_string(),
        ValueRef::Integer(i) => i.to_string(),
        other => {
            let text = plain_text(other);
            // Most values need no escape: kept as they are, not copied.
            if text.chars().any(|c| c.is_control() && c != '\n') {
                table_cell(&text)
            } else {
                text
            }
        }
    }
}

fn table_cell(text: &str) -> String {
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    };
    if !text.contains('\u{1b}') {
        return escape_controls(&text, false);
    }
    // Bold from a search snippet stays bold; any other escape is shown.
    text.split(BOLD)
        .map(|part| {
            part.split(NOT_BOLD)
                .map(|p| escape_controls(p, false))
                .collect::<Vec<_>>()
                .join(NOT_BOLD)
        })
        .collect::<Vec<_>>()
        .join(BOLD)
}

/// A real as the sqlite3 shell shows it, SQLite's `printf('%!.15g')`: 15
/// significant digits, at least one after the point (`3.0`), the exponent
/// form below 1e-4 and from 1e15 (`2.5e+301`, `1.0e-05`); `Inf` and `-Inf`.
fn format_real(r: f64) -> String {
    if r.is_nan() {
        // SQLite never stores a NaN (it becomes NULL); shown as it would be.
        return "NaN".to_string();
    }
    if r.is_infinite() {
        return if r > 0.0 { "Inf" } else { "-Inf" }.to_string();
    }
    if r == 0.0 {
        return "0.0".to_string();
    }
    let (mut digits, exponent) = fifteen_digits(r.abs());
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    let digits = String::from_utf8(digits).unwrap_or_default();
    let mut out = String::with_capacity(24);
    if r < 0.0 {
        out.push('-');
    }
    if !(-4..15).contains(&exponent) {
        out.push_str(&digits[..1]);
        out.push('.');
        out.push_str(if digits.len() > 1 { &digits[1..] } else { "0" });
        out.push_str(&format!(
            "e{}{:02}",
            if exponent < 0 { '-' } else { '+' },
            exponent.abs()
        ));
    } else if exponent >= 0 {
        let whole = exponent as usize + 1;
        if digits.len() > whole {
            out.push_str(&digits[..whole]);
            out.push('.');
            out.push_str(&digits[whole..]);
        } else {
            out.push_str(&digits);
            out.push_str(&"0".repeat(whole - digits.len()));
            out.push_str(".0");
        }
    } else {
        out.push_str("0.");
        out.push_str(&"0".repeat((-exponent - 1) as usize));
        out.push_str(&digits);
    }
    out
}

/// The first 15 significant digits of `r` (positive), rounded half away
/// from zero as SQLite rounds them, and the power of ten of the first.
fn fifteen_digits(r: f64) -> (Vec<u8>, i32) {
    let split = |text: &str| -> (Vec<u8>, i32) {
        let (mantissa, exponent) = text.split_once('e').unwrap_or((text, "0"));
        let digits = mantissa.bytes().filter(u8::is_ascii_digit).collect();
        (digits, exponent.parse().unwrap_or(0))
    };
    // The shortest digits that read back as a normal `r` are its 15-digit
    // rounding when there are at most 15 of them (`r` is nearer to them than
    // half a step of the 15th digit), and they are quick to find.
    if r.is_normal() {
        let (digits, exponent) = split(&format!("{r:e}"));
        if digits.len() <= 15 {
            return (digits, exponent);
        }
    }
    let (mut digits, mut exponent) = split(&format!("{r:.16e}"));
    let up = match (digits[15], digits[16]) {
        (d, _) if d > b'5' => true,
        (d, _) if d < b'5' => false,
        (_, d) if d != b'0' => true,
        // Exactly halfway, or just under and rounded up to 17 digits: the
        // long form tells (rarely needed, and slower).
        _ => split(&format!("{r:.39e}")).0[15] >= b'5',
    };
    digits.truncate(15);
    if up {
        let mut i = digits.len();
        loop {
            if i == 0 {
                // 9.99...9 rounded up.
                digits.insert(0, b'1');
                digits.pop();
                exponent += 1;
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    (digits, exponent)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `text` for a terminal: control characters other than line breaks and
/// tabs escaped (`\u{1b}`), so that no text a document holds (another tool
/// may have stored an escape sequence) moves the cursor, retitles the
/// window or clears the screen.
pub fn visible(text: &str) -> String {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            c if c.is_control() => format!("\\u{{{:x}}}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// Escapes control characters. For TSV (`tsv`), line breaks and the
/// backslash too, so that every escape reads back as one character: a tab is
/// `\t`, the text `\t` is `\\t`.
fn escape_controls(text: &str, tsv: bool) -> String {
    if !text
        .chars()
        .any(|c| (c.is_control() && (tsv || c != '\n')) || (tsv && c == '\\'))
    {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if !tsv => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\\' if tsv => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn markdown_cell(text: &str) -> String {
    escape_controls(&text.replace("\r\n", "\n"), false)
        .replace('|', "\\|")
        .replace('\n', "<br>")
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
            // JSON has no infinity: SQLite's own JSON (`json_quote(9e999)`)
            // writes a number too large for a double, which JavaScript and
            // Python read back as infinity.
            ValueRef::Real(r) if r == f64::INFINITY => line.extend_from_slice(b"9.0e+999"),
            ValueRef::Real(r) if r == f64::NEG_INFINITY => line.extend_from_slice(b"-9.0e+999"),
            // SQLite stores no NaN (it becomes NULL).
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
    out.write_all(&line).context(WRITE_FAILED)
}

/// Column names encoded once as JSON strings, for every row's keys; a
/// repeated name gets `_2`, `_3`, ... so that every key is distinct.
fn json_keys(columns: &[String]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::with_capacity(columns.len());
    for column in columns {
        let mut name = column.clone();
        let mut n = 1;
        while seen.contains(&name) {
            n += 1;
            name = format!("{column}_{n}");
        }
        seen.push(name);
    }
    seen.iter()
        .map(|c| serde_json::to_string(c).unwrap_or_else(|_| "\"?\"".to_string()))
        .collect()
}

/// The terminal's width when stdout is a terminal (`COLUMNS` wins when set).
fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    terminal_size().0.map(|w| w.max(20))
}

/// The terminal's width and height: `COLUMNS` and `LINES` when set, else
/// what the terminal says. A terminal that reports no size (0 x 0, as a new
/// pseudo-terminal may) has none. The one reading of the size, for the
/// table's width and the pager's height.
fn terminal_size() -> (Option<usize>, Option<usize>) {
    let from_env = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
    };
    let measured = terminal_size::terminal_size()
        .map(|(w, h)| (usize::from(w.0), usize::from(h.0)))
        .filter(|&(w, h)| w > 0 && h > 1);
    (
        from_env("COLUMNS").or(measured.map(|m| m.0)),
        from_env("LINES").or(measured.map(|m| m.1)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reals are written as SQLite's `printf('%!.15g', r)` writes them.
    #[test]
    fn reals_read_as_sqlite_prints_them() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut stmt = conn.prepare("SELECT printf('%!.15g', ?1)").unwrap();
        let mut check = |r: f64| {
            let sqlite: String = stmt.query_row([r], |row| row.get(0)).unwrap();
            assert_eq!(format_real(r), sqlite, "{r:e}");
        };
        for r in [
            0.0,
            1.0,
            -1.0,
            2.5,
            0.1,
            0.1 + 0.2,
            1.0 / 3.0,
            2.5e301,
            1e-320,
            1e15,
            1e14,
            999999999999999.9,
            1e-4,
            1e-5,
            123456789012345678.0,
            1000000000000005.0,
            9.999999999999995,
            1000000000000015.0,
            1000000000000025.0,
            0.5,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            100.0,
            -0.00012345,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            check(r);
        }
        let mut rng = fastrand::Rng::with_seed(10);
        for _ in 0..20_000 {
            let bits = rng.u64(..);
            let r = f64::from_bits(bits);
            if r.is_finite() {
                check(r);
            }
            // Numbers people write: a few digits and a power of ten.
            let r = rng.i64(-99_999..99_999) as f64 * 10f64.powi(rng.i32(-12..20));
            check(r);
        }
    }

    #[test]
    fn tsv_escapes_the_backslash_so_every_escape_reads_back() {
        // A real tab and the text `\t` come out different.
        assert_eq!(escape_controls("a\tb", true), r"a\tb");
        assert_eq!(escape_controls(r"a\tb\c", true), r"a\\tb\\c");
        assert_eq!(escape_controls(r"a\b", false), r"a\b");
    }
}
