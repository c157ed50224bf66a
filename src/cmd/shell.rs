//! `versus shell`: one prompt for named queries, SQL and dot-commands, with
//! completion and history (rustyline; see `crate::shell` for how a line is
//! told apart and what Tab offers).
//!
//! Everything runs through the commands' own code: a named query through
//! `cmd::query`, SQL through `cmd::sql` (read-only by the same guard; with
//! `--write`, each line's SQL as one `versus sql --write` script, in its own
//! transaction), `.search`, `.show` and `.queries` through their commands,
//! and results through `Output` in the chosen format, fitted to the
//! terminal and paged as the commands do.
//!
//! On a terminal an error prints its one line and the shell goes on; Ctrl-C
//! stops the running statement (the progress handler sees the flag that
//! `exec` sets) and the shell goes on, or clears the line being typed;
//! Ctrl-D on an empty line leaves with exit code 0. With standard input from
//! a file or a pipe the shell reads it as a script: no banner, no prompt,
//! results only, and the first error ends it with that error's exit code.

use std::io::{self, BufRead, IsTerminal};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result};
use rusqlite::Connection;
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Behavior, CompletionType, Config, Editor};

use crate::cli::RunArgs;
use crate::cmd;
use crate::cmd::init::open_for_reading;
use crate::context::Context;
use crate::db;
use crate::error::{Kind, fail};
use crate::exec;
use crate::format::{Format, Presentation};
use crate::output::{Output, error_line, notice};
use crate::shell::complete::{DOT_COMMANDS, ShellHelper};
use crate::shell::{self, LineKind};

const PROMPT: &str = "versus> ";
const CONTINUATION: &str = "   ...> ";

/// How many lines the history keeps.
const HISTORY_SIZE: usize = 2000;

const HELP: &str = "\
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
enum Flow {
    Continue,
    Quit,
}

/// One thing to run: a dot-command, a named query, or complete SQL.
#[derive(Debug)]
enum Unit {
    Dot(String),
    Query(String),
    Sql(String),
}

impl Unit {
    fn text(&self) -> &str {
        match self {
            Unit::Dot(t) | Unit::Query(t) | Unit::Sql(t) => t,
        }
    }
}

/// Gathers lines into units: SQL until SQLite calls it complete.
#[derive(Default)]
struct Lines {
    pending: String,
}

impl Lines {
    fn continuing(&self) -> bool {
        !self.pending.is_empty()
    }

    fn feed(&mut self, line: &str) -> Option<Unit> {
        match shell::classify(line, self.continuing()) {
            LineKind::Blank => None,
            LineKind::Dot => Some(Unit::Dot(line.trim().to_string())),
            LineKind::Query => Some(Unit::Query(line.trim().to_string())),
            LineKind::Sql => {
                if self.continuing() {
                    self.pending.push('\n');
                }
                self.pending.push_str(line);
                shell::is_complete(&self.pending)
                    .then(|| Unit::Sql(std::mem::take(&mut self.pending)))
            }
        }
    }

    /// At the end of input, SQL without its final `;` runs as it is (as in
    /// the sqlite3 shell).
    fn finish(&mut self) -> Option<Unit> {
        let rest = std::mem::take(&mut self.pending);
        shell::has_statement(&rest).then_some(Unit::Sql(rest))
    }
}

struct Shell<'a> {
    ctx: &'a Context,
    write: bool,
    format: Format,
    presentation: Presentation,
    timer: bool,
    /// Read-only: `.tables`, `.schema`, and telling a `--write` line that
    /// only reads from one that writes.
    conn: Connection,
}

pub fn run(ctx: &Context, write: bool, format: Format, presentation: Presentation) -> Result<()> {
    if write {
        // As `versus sql --write`, after the default database is made as
        // for every read: pending migrations are applied now, once.
        if !ctx.location.explicit && db::presence(&ctx.location.path)? == db::Presence::Missing {
            open_for_reading(&ctx.location, ctx.busy_timeout)?;
        }
        let (_, applied) =
            db::open_read_write(&ctx.location, ctx.busy_timeout, db::EmptyFile::Refuse)?;
        for migration in applied {
            notice(&format!("applied migration {migration}"));
        }
    }
    let conn = open_for_reading(&ctx.location, ctx.busy_timeout)?;
    let mut shell = Shell {
        ctx,
        write,
        format,
        presentation,
        timer: false,
        conn,
    };
    if io::stdin().is_terminal() {
        shell.interactive()
    } else {
        shell.script()
    }
}

impl Shell<'_> {
    /// The prompt on a terminal.
    fn interactive(&mut self) -> Result<()> {
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
        let completion = open_for_reading(&self.ctx.location, self.ctx.busy_timeout).ok();
        editor.set_helper(Some(ShellHelper::new(completion, self.ctx.queries.clone())));
        let mut history = History::open();
        history.load(&mut editor);
        self.banner()?;
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
                        self.run_reporting(&unit);
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
                if self.run_reporting(&unit) == Flow::Quit {
                    return Ok(());
                }
            }
        }
    }

    fn banner(&self) -> Result<()> {
        let mode = if self.write {
            "--write: each line's SQL runs in its own transaction"
        } else {
            "read-only"
        };
        let mut out = Output::new(Format::Table, self.presentation);
        out.lines(&[format!(
            "versus shell on {} ({mode}). Named queries, SQL and dot-commands; .help for help, Ctrl-D to leave.",
            self.ctx.location.display()
        )])?;
        out.close()
    }

    /// Runs a unit typed at the prompt: an error is one line and the shell
    /// goes on.
    fn run_reporting(&mut self, unit: &Unit) -> Flow {
        // A Ctrl-C pressed since the last statement is not for this one.
        exec::take_interrupt();
        let started = Instant::now();
        let timing = self.timer;
        let result = self.run_unit(unit);
        self.report_time(timing, started);
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
    fn report_time(&self, timing: bool, started: Instant) {
        if timing && self.timer {
            notice(&format!("time: {:.3} s", started.elapsed().as_secs_f64()));
        }
    }

    /// Standard input that is not a terminal, as a script: no banner, no
    /// prompt, results only; the first error ends it.
    fn script(&mut self) -> Result<()> {
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
                && self.run_in_script(&unit, first_line)? == Flow::Quit
            {
                return Ok(());
            }
        }
        if let Some(unit) = lines.finish() {
            self.run_in_script(&unit, first_line)?;
        }
        Ok(())
    }

    fn run_in_script(&mut self, unit: &Unit, line: usize) -> Result<Flow> {
        let started = Instant::now();
        let timing = self.timer;
        let flow = self
            .run_unit(unit)
            .with_context(|| format!("line {line} of the script"))?;
        self.report_time(timing, started);
        Ok(flow)
    }

    /// Runs one unit, its results in the current format.
    fn run_unit(&mut self, unit: &Unit) -> Result<Flow> {
        let mut out = Output::new(self.format, self.presentation);
        let result = match unit {
            Unit::Dot(text) => self.dot(text, &mut out),
            Unit::Query(text) => self.query(text, &mut out).map(|()| Flow::Continue),
            Unit::Sql(text) => self.sql(text, &mut out).map(|()| Flow::Continue),
        };
        // What was held for the pager is written before the error is told.
        let closed = out.close();
        let flow = result?;
        closed?;
        Ok(flow)
    }

    fn query(&self, text: &str, out: &mut Output) -> Result<()> {
        let line = shell::query_line(text)?;
        let args = RunArgs {
            params: line.params,
            timeout: None,
        };
        cmd::query::run(self.ctx, &line.name, false, &args, out)
    }

    /// SQL: each statement in turn, read-only; with `--write`, a line that
    /// writes runs as one script in its own transaction.
    fn sql(&self, text: &str, out: &mut Output) -> Result<()> {
        if let Some(at) = text.find('\0') {
            return Err(fail(
                Kind::Usage,
                format!(
                    "the SQL holds a NUL byte (at byte {at}), where SQLite would stop reading it; remove it (char(0) or x'00' writes one in a value)"
                ),
            ));
        }
        let statements = shell::statements(text);
        if statements.is_empty() {
            return Ok(());
        }
        if self.write && !statements.iter().all(|s| self.only_reads(s)) {
            return cmd::sql::run_write(self.ctx, text, &[], None, out);
        }
        for statement in statements {
            match cmd::sql::run_read(self.ctx, statement, &[], None, exec::Source::Shell, out) {
                // What SQLite calls read-only but the read guard refuses
                // (a PRAGMA that sets, ATTACH, load_extension()) runs as
                // `versus sql --write` runs it, with its answer.
                Err(e)
                    if self.write
                        && crate::error::kind_of(&e) == crate::error::Kind::WriteRefused =>
                {
                    cmd::sql::run_write(self.ctx, statement, &[], None, out)?
                }
                other => other?,
            }
        }
        Ok(())
    }

    /// Whether SQLite calls a statement read-only (one that does not
    /// prepare yet, as after a CREATE earlier on its line, is not).
    /// Transaction control, which SQLite calls read-only, goes with the
    /// writes, whose guard refuses it: each line is its own transaction.
    fn only_reads(&self, statement: &str) -> bool {
        const TRANSACTION: &[&str] =
            &["BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"];
        let verb = exec::first_word(statement);
        !TRANSACTION.iter().any(|t| t.eq_ignore_ascii_case(verb))
            && self
                .conn
                .prepare(statement)
                .is_ok_and(|stmt| stmt.readonly())
    }

    fn dot(&mut self, text: &str, out: &mut Output) -> Result<Flow> {
        let (command, rest) = match text.split_once(char::is_whitespace) {
            Some((command, rest)) => (command, rest.trim()),
            None => (text, ""),
        };
        let no_argument = || -> Result<()> {
            if rest.is_empty() {
                Ok(())
            } else {
                Err(fail(
                    Kind::Usage,
                    format!("{command} takes no argument, and was given {rest:?}"),
                ))
            }
        };
        match command {
            ".help" => {
                no_argument()?;
                out.lines(&HELP.lines().collect::<Vec<_>>())?;
            }
            ".quit" | ".exit" => {
                no_argument()?;
                return Ok(Flow::Quit);
            }
            ".tables" => {
                no_argument()?;
                let mut stmt = self.conn.prepare(
                    "SELECT name, type FROM sqlite_master
                      WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                      ORDER BY name",
                )?;
                exec::stream(&mut stmt, out)?;
            }
            ".schema" => self.schema(rest, out)?,
            ".queries" => {
                no_argument()?;
                cmd::queries::run(self.ctx, out)?;
            }
            ".query" => self.query(rest, out)?,
            ".format" => self.set_format(rest, out)?,
            ".show" => {
                let document = one_argument(rest, ".show DOCUMENT (a slug or a title)")?;
                // A document is drawn, not rows: as text for the formats of
                // rows that have no form for it (csv, tsv).
                let format = match self.format {
                    Format::Markdown | Format::Json | Format::Jsonl => self.format,
                    _ => Format::Table,
                };
                cmd::show::run(self.ctx, &document, format, out)?;
            }
            ".search" => {
                if rest.is_empty() {
                    return Err(fail(
                        Kind::Usage,
                        ".search needs the words to search for: .search WORDS",
                    ));
                }
                let search = cmd::search::Search {
                    words: rest.to_string(),
                    document: None,
                    figure: None,
                    limit: 20,
                    raw: false,
                    verbose: false,
                };
                cmd::search::run(self.ctx, &search, out)?;
            }
            ".timer" => {
                self.timer = match rest.to_lowercase().as_str() {
                    "on" => true,
                    "off" => false,
                    _ => {
                        return Err(fail(
                            Kind::Usage,
                            format!(".timer takes on or off, not {rest:?}"),
                        ));
                    }
                };
            }
            other => {
                let near = crate::queries::closest(other, DOT_COMMANDS.iter().copied());
                let hint = match near.first() {
                    Some(near) => format!("did you mean {near}? "),
                    None => String::new(),
                };
                return Err(fail(
                    Kind::Usage,
                    format!("no dot-command {other}; {hint}.help lists them"),
                ));
            }
        }
        Ok(Flow::Continue)
    }

    /// `.schema [NAME]`: the SQL of everything, or of one table, view, index
    /// or trigger, with the indexes and triggers of a table.
    fn schema(&self, name: &str, out: &mut Output) -> Result<()> {
        let name = if name.is_empty() {
            None
        } else {
            Some(one_argument(name, ".schema [NAME]")?)
        };
        let mut stmt = self.conn.prepare(
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

    fn set_format(&mut self, rest: &str, out: &mut Output) -> Result<()> {
        use clap::ValueEnum;
        if rest.is_empty() {
            let name = self
                .format
                .to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default();
            return out.lines(&[format!("format: {name}")]);
        }
        match Format::from_str(rest, true) {
            Ok(format) if Format::RESULTS.contains(&format) => {
                self.format = format;
                Ok(())
            }
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
}

/// The one argument of a dot-command, quotes taken off (`.show "Joseph
/// Stalin vs. Leon Trotsky"`); several words are one argument too.
fn one_argument(rest: &str, usage: &str) -> Result<String> {
    let words = shell::words(rest, false)?;
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
struct History {
    path: Option<PathBuf>,
    warned: bool,
}

impl History {
    fn open() -> History {
        let mut history = History {
            path: None,
            warned: false,
        };
        match shell::history_path() {
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

    fn load(&mut self, editor: &mut Editor<ShellHelper, DefaultHistory>) {
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
    fn add(&mut self, editor: &mut Editor<ShellHelper, DefaultHistory>, line: &str) {
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
