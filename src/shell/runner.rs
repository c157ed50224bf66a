//! `versus shell`: one prompt for named queries, SQL and dot-commands, with
//! completion and history. The session (the prompt, the script, the
//! history, gathering lines) is `crate::shell::session`'s; this is what a
//! line runs: the commands' own `execute` functions, on one read-only
//! connection and one catalogue kept for the whole session. A named query
//! runs as `versus query` runs it, SQL as `versus sql` (read-only by the same
//! guard; with `--write`, each line's SQL as one `versus sql --write` script,
//! in its own transaction, on one write connection), `.search`, `.show` and
//! `.queries` as their commands, and results go through `Output` in the
//! chosen format, fitted to the terminal and paged as the commands do.

use std::io::{self, IsTerminal};

use anyhow::Result;
use rusqlite::Connection;
use rusqlite::hooks::{AuthContext, Authorization};

use crate::cmd::{self, sql};
use crate::context::Context;
use crate::db;
use crate::error::{Kind, fail};
use crate::exec;
use crate::format::{Format, Presentation};
use crate::output::{Output, notice};
use crate::queries::{Catalogue, Tables, TopicsFrom, topics_in};
use crate::shell::complete::ShellHelper;
use crate::shell::session::{self, Flow, HELP, Runner, Unit};
use crate::shell::{self};

struct Shell<'a> {
    ctx: &'a Context,
    format: Format,
    presentation: Presentation,
    timer: bool,
    /// Read-only, for the whole session: queries, SQL that reads,
    /// `.tables`, `.schema`, and telling a `--write` line that only reads
    /// from one that writes.
    conn: Connection,
    /// With `--write`: where each line's writes run.
    writer: Option<Connection>,
    /// Loaded at the first named query, then kept.
    catalogue: Option<Catalogue>,
}

pub fn run(ctx: &Context, write: bool, format: Format, presentation: Presentation) -> Result<()> {
    let writer = if write {
        // As `versus sql --write`, after the default database is made as
        // for every read: pending migrations are applied now, once.
        if !ctx.location().explicit && db::presence(&ctx.location().path)? == db::Presence::Missing
        {
            ctx.open_for_reading()?;
        }
        let (writer, applied) = ctx.open_for_writing(db::EmptyFile::Refuse)?;
        for line in db::applied_lines(&applied) {
            notice(&line);
        }
        Some(writer)
    } else {
        None
    };
    let conn = ctx.open_for_reading()?;
    let mut shell = Shell {
        ctx,
        format,
        presentation,
        timer: false,
        conn,
        writer,
        catalogue: None,
    };
    if io::stdin().is_terminal() {
        let completion = ctx.open_for_reading().ok();
        let helper = ShellHelper::new(completion, ctx.queries.clone());
        session::interactive(&mut shell, helper)
    } else {
        session::script(&mut shell)
    }
}

impl Runner for Shell<'_> {
    /// Runs one unit, its results in the current format.
    fn run_unit(&mut self, unit: &Unit) -> Result<Flow> {
        self.unguarded()?;
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

    fn timer(&self) -> bool {
        self.timer
    }

    fn banner(&self) -> Result<()> {
        let mode = if self.writer.is_some() {
            "--write: each line's SQL runs in its own transaction"
        } else {
            "read-only"
        };
        let mut out = Output::new(Format::Table, self.presentation);
        out.lines(&[format!(
            "versus shell on {} ({mode}). Named queries, SQL and dot-commands; .help for help, Ctrl-D to leave.",
            self.ctx.location().display()
        )])?;
        out.close()
    }
}

impl Shell<'_> {
    /// The session's connection without the read guard of the last
    /// statement: each command installs its own, and the one before would
    /// refuse the pragmas it sets.
    fn unguarded(&mut self) -> Result<&mut Connection> {
        self.conn
            .authorizer(None::<fn(AuthContext<'_>) -> Authorization>)?;
        Ok(&mut self.conn)
    }

    fn query(&mut self, text: &str, out: &mut Output) -> Result<()> {
        let line = shell::query_line(text)?;
        let args = exec::Run {
            params: line.params,
            timeout: None,
        };
        if self.catalogue.is_none() {
            // Loaded once for the session; a file of queries that does not
            // load is said at each query line, as `versus query` says it.
            self.catalogue = Some(self.ctx.catalogue()?);
        }
        let catalogue = self.catalogue.as_ref().expect("loaded above");
        let conn = &mut self.conn;
        let resolved = catalogue.resolve_suggesting(&line.name, || {
            topics_in(conn, None, Tables::BOTH).unwrap_or_default()
        })?;
        cmd::query::execute(conn, &resolved, false, &args, out)
    }

    /// SQL: each statement in turn, read-only; with `--write`, a line that
    /// writes runs as one script in its own transaction.
    fn sql(&mut self, text: &str, out: &mut Output) -> Result<()> {
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
        if self.writer.is_some() && !statements.iter().all(|s| self.only_reads(s)) {
            return self.write(text, out);
        }
        for statement in statements {
            match sql::execute_read(
                self.unguarded()?,
                statement,
                &[],
                None,
                exec::Source::Shell,
                out,
            ) {
                // What SQLite calls read-only but the read guard refuses
                // (a PRAGMA that sets, ATTACH, load_extension()) runs as
                // `versus sql --write` runs it, with its answer.
                Err(e)
                    if self.writer.is_some()
                        && crate::error::kind_of(&e) == crate::error::Kind::WriteRefused =>
                {
                    self.write(statement, out)?
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
                session::tables(&self.conn, out)?;
            }
            ".schema" => session::schema(&self.conn, rest, out)?,
            ".queries" => {
                no_argument()?;
                let catalogue = self.ctx.catalogue()?;
                let location = self.ctx.location();
                cmd::queries::execute(&self.conn, TopicsFrom::Database, location, &catalogue, out)?;
            }
            ".query" => self.query(rest, out)?,
            ".format" if rest.is_empty() => out.lines(&[session::format_line(self.format)])?,
            ".format" => self.format = session::results_format(rest)?,
            ".show" => {
                let document = session::one_argument(rest, ".show DOCUMENT (a slug or a title)")?;
                // A document is drawn, not rows: as text for the formats of
                // rows that have no form for it (csv, tsv).
                let format = match self.format {
                    Format::Markdown | Format::Json | Format::Jsonl => self.format,
                    _ => Format::Table,
                };
                cmd::show::execute(&self.conn, &document, format, out)?;
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
                let catalogue = self.ctx.catalogue()?;
                cmd::search::execute(&mut self.conn, &catalogue, &search, out)?;
            }
            ".timer" => self.timer = session::timer_setting(rest)?,
            other => return Err(session::no_dot_command(other)),
        }
        Ok(Flow::Continue)
    }

    /// Runs SQL that writes as one script in its own transaction.
    fn write(&mut self, sql: &str, out: &mut Output) -> Result<()> {
        let writer = self.writer.as_mut().expect("only with --write");
        sql::execute_write(writer, self.ctx.location(), sql, &[], None, out)
    }
}
