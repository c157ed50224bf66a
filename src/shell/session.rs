//! A session of `versus shell`, apart from what its lines run: the help,
//! gathering lines into units (a dot-command, a named query, complete SQL),
//! the prompt loop on a terminal and the script loop otherwise, the
//! history file, and the dot-commands that only read the schema. What a
//! unit runs is the [`Runner`]'s, which `cmd/shell.rs` implements with the
//! commands' own `execute` functions on one connection.
//!
//! On a terminal an error prints its one line and the shell goes on; Ctrl-C
//! stops the running statement (the progress handler sees the flag that
//! `exec` sets) and the shell goes on, or clears the line being typed;
//! Ctrl-D on an empty line leaves with exit code 0. With standard input from
//! a file or a pipe the shell reads it as a script: no banner, no prompt,
//! results only, and the first error ends it with that error's exit code.

use std::io::{self, BufRead};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result};
use rusqlite::Connection;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Behavior, CompletionType, Config, Editor};

use super::LineKind;
use super::complete::{DOT_COMMANDS, ShellHelper};
use crate::error::{Kind, fail};
use crate::exec;
use crate::format::Format;
use crate::output::{Output, error_line, notice};

/// What runs the units of a session.
pub trait Runner {
    /// Runs one unit, its results in the current format.
    fn run_unit(&mut self, unit: &Unit) -> Result<Flow>;
    /// Whether `.timer on` is in force.
    fn timer(&self) -> bool;
    /// The line that opens a session on a terminal.
    fn banner(&self) -> Result<()>;
}

const PROMPT: &str = "versus> ";
const CONTINUATION: &str = "   ...> ";

/// How many lines the history keeps.
const HISTORY_SIZE: usize = 2000;

pub const HELP: &str = "\
Type a named query, SQL or a dot-command. Tab completes; Up, Down and Ctrl-R
search the history; Ctrl-C stops a running statement or clears the line;
Ctrl-D on an empty line (or .quit) leaves.

How a line is read:
  .WORD ...          a dot-command (below)
  SQL                a line whose first word starts an SQL statement (SELECT,
                     WITH, VALUES, EXPLAIN, PRAGMA, INSERT, REPLACE, UPDATE,
                     DELETE, CREATE, DROP, ALTER, BEGIN, ...) or that starts
                     with a comment; it goes on over more lines until one
                     ends the statement with ;
  anything else      a named query: its name, then KEY=VALUE parameters, a
                     value in double quotes when it holds spaces:
                       foreign policy differences
                       mentions figure=Trotsky
                       differences topic=\"role in the Russian revolution\"

Dot-commands:
  .help              this text
  .tables            the tables and views
  .schema [NAME]     the SQL that makes the schema, or one table, view,
                     index or trigger (a table's indexes and triggers too)
  .queries           the named queries and their parameters
  .query NAME ...    run a named query whose name starts like SQL
  .format [FORMAT]   show or set the format of results: table, csv, tsv,
                     json, jsonl or markdown
  .show DOCUMENT     a whole document (as `versus show`)
  .search WORDS      full-text search (as `versus search`)
  .timer on|off      say how long each line took
  .quit, .exit       leave";

/// Whether the shell goes on after a line.
#[derive(Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// One thing to run: a dot-command, a named query, or complete SQL.
#[derive(Debug)]
pub enum Unit {
    Dot(String),
    Query(String),
    Sql(String),
}

impl Unit {
    pub fn text(&self) -> &str {
        match self {
            Unit::Dot(t) | Unit::Query(t) | Unit::Sql(t) => t,
        }
    }
}

/// Gathers lines into units: SQL until SQLite calls it complete.
#[derive(Default)]
pub struct Lines {
    pending: String,
}

impl Lines {
    pub fn continuing(&self) -> bool {
        !self.pending.is_empty()
    }

    pub fn feed(&mut self, line: &str) -> Option<Unit> {
        match super::classify(line, self.continuing()) {
            LineKind::Blank => None,
            LineKind::Dot => Some(Unit::Dot(line.trim().to_string())),
            LineKind::Query => Some(Unit::Query(line.trim().to_string())),
            LineKind::Sql => {
                if self.continuing() {
                    self.pending.push('\n');
                }
                self.pending.push_str(line);
                super::is_complete(&self.pending)
                    .then(|| Unit::Sql(std::mem::take(&mut self.pending)))
            }
        }
    }

    /// At the end of input, SQL without its final `;` runs as it is (as in
    /// the sqlite3 shell).
    pub fn finish(&mut self) -> Option<Unit> {
        let rest = std::mem::take(&mut self.pending);
        super::has_statement(&rest).then_some(Unit::Sql(rest))
    }
}

/// The prompt on a terminal.
pub fn interactive(runner: &mut impl Runner, helper: ShellHelper) -> Result<()> {
    // From now on Ctrl-C outside the line editor (a statement, the
    // pager) sets a flag instead of ending the process.
    exec::catch_interrupts()?;
    let config = Config::builder()
        .max_history_size(HISTORY_SIZE)
        .and_then(|c| c.history_ignore_dups(true))
        .context("cannot set up the line editor")?
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        // The prompt and the line being edited go to the terminal even
        // when the results go to a file (`versus shell > out.csv`).
        .behavior(Behavior::PreferTerm)
        .build();
    let mut editor: Editor<ShellHelper, DefaultHistory> =
        Editor::with_config(config).context("cannot set up the line editor")?;
    editor.set_helper(Some(helper));
    let mut history = History::open();
    history.load(&mut editor);
    runner.banner()?;
    let mut lines = Lines::default();
    loop {
        let continuing = lines.continuing();
        if let Some(helper) = editor.helper_mut() {
            helper.continuing.set(continuing);
        }
        let prompt = if continuing { CONTINUATION } else { PROMPT };
        let text = match editor.readline(prompt) {
            Ok(text) => text,
            // Ctrl-C while typing: the line, and any SQL begun on the
            // lines before it, is dropped.
            Err(ReadlineError::Interrupted | ReadlineError::Signal(_)) => {
                lines = Lines::default();
                continue;
            }
            Err(ReadlineError::Eof) => {
                if let Some(unit) = lines.finish() {
                    history.add(&mut editor, unit.text());
                    run_reporting(runner, &unit);
                }
                return Ok(());
            }
            Err(e) => return Err(anyhow::Error::new(e).context("cannot read the line")),
        };
        // Several lines at once (pasted, or SQL of several lines from
        // the history) are read one by one, as if typed.
        for line in text.split('\n') {
            let Some(unit) = lines.feed(line.strip_suffix('\r').unwrap_or(line)) else {
                continue;
            };
            history.add(&mut editor, unit.text());
            if run_reporting(runner, &unit) == Flow::Quit {
                return Ok(());
            }
        }
    }
}

/// Runs a unit typed at the prompt: an error is one line and the shell
/// goes on.
fn run_reporting(runner: &mut impl Runner, unit: &Unit) -> Flow {
    // A Ctrl-C pressed since the last statement is not for this one.
    exec::take_interrupt();
    let started = Instant::now();
    let timing = runner.timer();
    let result = runner.run_unit(unit);
    report_time(timing, runner.timer(), started);
    exec::take_interrupt();
    match result {
        Ok(flow) => flow,
        // A pager that quit early.
        Err(e) if crate::error::is_broken_pipe(&e) => Flow::Continue,
        Err(e) => {
            let _ = error_line(&crate::error::one_line(&e));
            Flow::Continue
        }
    }
}

/// Says how long a line took when the timer was on before and after it
/// (not for `.timer` itself).
fn report_time(before: bool, after: bool, started: Instant) {
    if before && after {
        notice(&format!("time: {:.3} s", started.elapsed().as_secs_f64()));
    }
}

/// Standard input that is not a terminal, as a script: no banner, no
/// prompt, results only; the first error ends it.
pub fn script(runner: &mut impl Runner) -> Result<()> {
    let mut input = io::stdin().lock();
    let mut lines = Lines::default();
    let mut bytes = Vec::new();
    let mut number = 0;
    let mut first_line = 1;
    loop {
        bytes.clear();
        let read = input
            .read_until(b'\n', &mut bytes)
            .context("cannot read the script from standard input")?;
        if read == 0 {
            break;
        }
        number += 1;
        if exec::take_interrupt() {
            return Err(fail(
                Kind::Interrupted,
                "interrupted by Ctrl-C; the script was stopped",
            ));
        }
        let line = script_line(&bytes, number)?;
        if !lines.continuing() {
            first_line = number;
        }
        if let Some(unit) = lines.feed(line)
            && run_in_script(runner, &unit, first_line)? == Flow::Quit
        {
            return Ok(());
        }
    }
    if let Some(unit) = lines.finish() {
        run_in_script(runner, &unit, first_line)?;
    }
    Ok(())
}

fn run_in_script(runner: &mut impl Runner, unit: &Unit, line: usize) -> Result<Flow> {
    let started = Instant::now();
    let timing = runner.timer();
    let flow = runner
        .run_unit(unit)
        .with_context(|| format!("line {line} of the script"))?;
    report_time(timing, runner.timer(), started);
    Ok(flow)
}

/// `.tables`: the tables and views.
pub fn tables(conn: &Connection, out: &mut Output) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT name, type FROM sqlite_master
          WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
          ORDER BY name",
    )?;
    exec::stream(&mut stmt, out).map(drop)
}

/// `.schema [NAME]`: the SQL of everything, or of one table, view, index
/// or trigger, with the indexes and triggers of a table.
pub fn schema(conn: &Connection, name: &str, out: &mut Output) -> Result<()> {
    let name = if name.is_empty() {
        None
    } else {
        Some(one_argument(name, ".schema [NAME]")?)
    };
    let mut stmt = conn.prepare(
        "SELECT sql FROM sqlite_master
          WHERE sql IS NOT NULL
            AND (?1 IS NULL OR lower(name) = lower(?1) OR lower(tbl_name) = lower(?1))
          ORDER BY rowid",
    )?;
    let mut rows = stmt.query([&name])?;
    let mut lines = Vec::new();
    while let Some(row) = rows.next()? {
        let sql = match row.get_ref(0)? {
            rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
            _ => continue,
        };
        lines.push(format!("{};", sql.trim_end().trim_end_matches(';')));
    }
    if let (true, Some(name)) = (lines.is_empty(), &name) {
        return Err(fail(
            Kind::Usage,
            format!(
                "no table, view, index or trigger is named {name:?}; .tables lists the tables and views"
            ),
        ));
    }
    out.lines(&lines)
}

/// `.timer on|off`.
pub fn timer_setting(rest: &str) -> Result<bool> {
    match rest.to_lowercase().as_str() {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(fail(
            Kind::Usage,
            format!(".timer takes on or off, not {rest:?}"),
        )),
    }
}

/// A dot-command the shell does not have, with the closest one it has.
pub fn no_dot_command(other: &str) -> anyhow::Error {
    let near = crate::queries::closest(other, DOT_COMMANDS.iter().copied());
    let hint = match near.first() {
        Some(near) => format!("did you mean {near}? "),
        None => String::new(),
    };
    fail(
        Kind::Usage,
        format!("no dot-command {other}; {hint}.help lists them"),
    )
}

/// `.format` alone: the format of results now.
pub fn format_line(format: Format) -> String {
    use clap::ValueEnum;
    let name = format
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    format!("format: {name}")
}

/// `.format FORMAT`: one of the formats of results.
pub fn results_format(rest: &str) -> Result<Format> {
    use clap::ValueEnum;
    match Format::from_str(rest, true) {
        Ok(format) if Format::RESULTS.contains(&format) => Ok(format),
        _ => Err(fail(
            Kind::Usage,
            format!(
                "no format {rest:?} for results; use {}",
                Format::RESULTS
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// The one argument of a dot-command, quotes taken off (`.show "Joseph
/// Stalin vs. Leon Trotsky"`); several words are one argument too.
pub fn one_argument(rest: &str, usage: &str) -> Result<String> {
    let words = super::words(rest, false)?;
    if words.is_empty() {
        return Err(fail(Kind::Usage, format!("give an argument: {usage}")));
    }
    Ok(words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" "))
}

/// One line of a script as text, without its line end.
fn script_line(bytes: &[u8], number: usize) -> Result<&str> {
    let line = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    // A byte-order mark opening the script is no text, as `versus sql -`
    // and the import read it.
    let line = match number {
        1 => line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line),
        _ => line,
    };
    if line.contains(&0) {
        return Err(fail(
            Kind::Usage,
            format!("line {number} of the script holds a NUL byte; remove it"),
        ));
    }
    std::str::from_utf8(line).map_err(|e| {
        fail(
            Kind::Usage,
            format!(
                "line {number} of the script is not UTF-8 text (invalid byte at offset {}); give it as UTF-8",
                e.valid_up_to()
            ),
        )
    })
}

/// The history file, kept between sessions; a history that cannot be read
/// or written is said once, in one line, and the shell goes on without it.
pub struct History {
    path: Option<PathBuf>,
    warned: bool,
}

impl History {
    pub fn open() -> History {
        let mut history = History {
            path: None,
            warned: false,
        };
        match super::history_path() {
            None => history.warn(
                "no history is kept: neither XDG_DATA_HOME nor HOME is set to an absolute path",
            ),
            Some(path) => match path.parent().map(std::fs::create_dir_all) {
                Some(Err(e)) => history.warn(&format!(
                    "no history is kept: cannot create the folder of {} ({e})",
                    path.display()
                )),
                _ => history.path = Some(path),
            },
        }
        history
    }

    fn warn(&mut self, message: &str) {
        if !self.warned {
            notice(message);
            self.warned = true;
        }
    }

    pub fn load(&mut self, editor: &mut Editor<ShellHelper, DefaultHistory>) {
        let Some(path) = &self.path else {
            return;
        };
        if !path.exists() {
            return;
        }
        if let Err(e) = editor.load_history(path) {
            let message = format!(
                "cannot read the history {} ({e}); this session starts without it",
                path.display()
            );
            self.warn(&message);
        }
    }

    /// Adds a line and appends it to the file at once, so that a session
    /// that ends abruptly keeps its lines.
    pub fn add(&mut self, editor: &mut Editor<ShellHelper, DefaultHistory>, line: &str) {
        if editor.add_history_entry(line).is_err() {
            return;
        }
        let Some(path) = self.path.clone() else {
            return;
        };
        if let Err(e) = editor.append_history(&path) {
            self.warn(&format!(
                "cannot write the history {} ({e}); this session's lines are not kept",
                path.display()
            ));
            self.path = None;
        }
    }
}
