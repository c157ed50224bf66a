//! `versus resolve`: settle the table rows an import kept as written.
//!
//! On a terminal it walks them (those of one document, or all), showing
//! each with its readings numbered, best first; the person picks one, types
//! the cells separated by `" | "`, skips (`s` or an empty line) or stops
//! (`q`, or end of input). Each answer is committed as it is given, so
//! stopping keeps what was decided. In a script, `--line N --cells "A | b |
//! c"` settles one row; cells that do not join back into the row's text are
//! refused with exit code 2 and nothing changes. The engine is
//! [`crate::resolutions`].

use std::io::{BufRead, IsTerminal};

use anyhow::{Context as _, Result};
use rusqlite::{Connection, TransactionBehavior};

use crate::context::Context;
use crate::db;
use crate::error::{Kind, fail};
use crate::output::{self, Output};
use crate::queries::resolve_document;
use crate::resolutions::{self, Pending};

/// What `versus resolve` was asked.
pub struct Resolve {
    pub document: Option<String>,
    /// The row by the line of its text, as the import named it.
    pub line: Option<i64>,
    /// The row by its place in the table, from 1 (for a document imported
    /// as JSON, whose rows have no line).
    pub row: Option<i64>,
    pub cells: Option<String>,
}

pub fn run(ctx: &Context, ask: &Resolve, out: &mut Output) -> Result<()> {
    // Refused before the database is opened: a command that fails
    // changes nothing.
    let interactive = ask.cells.is_none();
    if interactive && !std::io::stdin().is_terminal() {
        return Err(fail(
            Kind::Usage,
            "versus resolve asks on a terminal, and standard input is not one; in a script give the cells: `versus resolve DOCUMENT --line N --cells \"Attribute | value | value\"` (`versus query unresolved` lists the rows, their lines and readings)",
        ));
    }
    // Which row to settle is the person's to say: the first one pending
    // may not be the one the cells were typed for.
    if ask.cells.is_some() && ask.line.is_none() && ask.row.is_none() {
        return Err(fail(
            Kind::Usage,
            "--cells needs --line N or --row N: which row to settle (`versus query unresolved` lists the rows, their lines and readings); nothing was changed",
        ));
    }
    let (mut conn, applied) = ctx.open_for_writing(db::EmptyFile::Refuse)?;
    for line in db::applied_lines(&applied) {
        output::notice(&line);
    }
    let document = match &ask.document {
        Some(given) => Some(document_id(&conn, &resolve_document(&conn, given)?)?),
        None => None,
    };
    let mut rows = resolutions::pending(&conn, document)?;
    if ask.line.is_some() || ask.row.is_some() {
        rows = vec![chosen(&rows, ask)?];
    }
    match &ask.cells {
        Some(typed) => {
            let row = &rows[0];
            let cells = resolutions::parse_cells(typed);
            if let Some(why) = row.refusal(&cells) {
                return Err(fail(
                    Kind::Usage,
                    format!(
                        "the cells do not settle the row at {}: {why}; nothing was changed",
                        row.place()
                    ),
                ));
            }
            let split = settle(&mut conn, ctx, row, &cells)?;
            out.lines(&[output::settled(row, &cells, &split)])
        }
        None => walk(&mut conn, ctx, document, &rows, out),
    }
}

fn document_id(conn: &Connection, slug: &str) -> Result<i64> {
    Ok(
        conn.query_row("SELECT id FROM documents WHERE slug = ?1", [slug], |r| {
            r.get(0)
        })?,
    )
}

/// The row `--line` or `--row` names, among the document's `rows`.
fn chosen(rows: &[Pending], ask: &Resolve) -> Result<Pending> {
    let document = ask.document.as_deref().unwrap_or_default();
    let (found, what) = match (ask.line, ask.row) {
        (Some(line), _) => (
            rows.iter().find(|r| r.line == Some(line)),
            format!("line {line}"),
        ),
        (None, Some(row)) => (
            rows.iter().find(|r| r.position == row),
            format!("row {row}"),
        ),
        (None, None) => (None, String::new()),
    };
    if let Some(row) = found {
        return Ok(row.clone());
    }
    let places: Vec<String> = rows
        .iter()
        .map(|r| match r.line {
            Some(line) => format!("line {line}"),
            None => format!("row {}", r.position),
        })
        .collect();
    Err(fail(
        Kind::Usage,
        if places.is_empty() {
            format!("{document} has no table row that needs a decision")
        } else {
            format!(
                "{document} has no table row that needs a decision at {what}; those that do are at {} (`versus query unresolved --param document={document}` lists them)",
                places.join(", ")
            )
        },
    ))
}

/// Keeps one resolution and splits the row, in its own transaction; the
/// slugs of the documents whose row was split.
fn settle(
    conn: &mut Connection,
    ctx: &Context,
    row: &Pending,
    cells: &[String],
) -> Result<Vec<String>> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| db::explain_file_error(e, &ctx.location().path))?;
    let split = resolutions::resolve(&tx, row, cells)?;
    tx.commit()
        .map_err(|e| db::explain_write(e.into(), &ctx.location().path))
        .context("could not commit the resolution")?;
    Ok(split)
}

/// Asks about each row in turn on the terminal.
fn walk(
    conn: &mut Connection,
    ctx: &Context,
    document: Option<i64>,
    rows: &[Pending],
    out: &mut Output,
) -> Result<()> {
    if rows.is_empty() {
        return out.lines(&["no table row needs a decision"]);
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let (mut settled, mut skipped) = (0, 0);
    // A row settled as another was (the same text in two documents) is
    // split already: it is not asked about again.
    let mut done: Vec<String> = Vec::new();
    let stopped = 'rows: {
        for (n, row) in rows.iter().enumerate() {
            if done.contains(&row.text) {
                continue;
            }
            output::ask(&output::question(row, n + 1, rows.len()))?;
            loop {
                let mut answer = String::new();
                let read = input
                    .read_line(&mut answer)
                    .context("could not read the answer")?;
                let answer = answer.trim_end_matches(['\n', '\r']);
                let cells = match answer.trim() {
                    _ if read == 0 => break 'rows true,
                    "q" => break 'rows true,
                    "" | "s" => {
                        skipped += 1;
                        break;
                    }
                    number if number.parse::<usize>().is_ok() => {
                        let k = number.parse::<usize>().unwrap_or_default();
                        match k.checked_sub(1).and_then(|i| row.readings.get(i)) {
                            Some(reading) => reading.clone(),
                            None => {
                                output::ask(&output::again(&format!("there is no reading {k}")))?;
                                continue;
                            }
                        }
                    }
                    _ if answer.contains(" | ") => resolutions::parse_cells(answer),
                    _ => {
                        output::ask(&output::again(
                            "type a reading's number, the cells separated by \" | \", s to skip or q to stop",
                        ))?;
                        continue;
                    }
                };
                if let Some(why) = row.refusal(&cells) {
                    output::ask(&output::again(&why))?;
                    continue;
                }
                let split = settle(conn, ctx, row, &cells)?;
                output::ask(&format!("{}\n\n", output::settled(row, &cells, &split)))?;
                done.push(row.text.clone());
                settled += 1;
                break;
            }
        }
        false
    };
    let left = resolutions::pending(conn, document)?.len();
    finish(out, settled, skipped, left, stopped)
}

/// The closing line of a walk.
fn finish(
    out: &mut Output,
    settled: usize,
    skipped: usize,
    left: usize,
    stopped: bool,
) -> Result<()> {
    let rows = |n: usize| format!("{n} row{}", if n == 1 { "" } else { "s" });
    let mut line = format!("settled {}, skipped {skipped}", rows(settled));
    if stopped {
        line.push_str(", stopped");
    }
    if left > 0 {
        line.push_str(&format!(
            "; {} still need{} a decision",
            rows(left),
            if left == 1 { "s" } else { "" }
        ));
    }
    out.lines(&[line])
}
