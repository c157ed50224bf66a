//! `versus sql`: ad-hoc SQL. Read-only by default (see `exec` for how that is
//! enforced); with `--write`, a script run in one transaction, all of it or
//! nothing: a script that controls the transaction itself is refused.

use std::io::Read;
use std::time::Duration;

use anyhow::{Context as _, Result};
use fallible_iterator::FallibleIterator;
use rusqlite::types::Value;
use rusqlite::{Connection, TransactionBehavior};

use crate::context::Context;
use crate::db::{self, Location};
use crate::error::{Kind, fail};
use crate::exec::{self, ReadOnly, Stopper};
use crate::output::{Output, notice};

pub fn run(
    ctx: &Context,
    sql: &str,
    write: bool,
    args: &exec::Run,
    out: &mut Output,
) -> Result<()> {
    let sql = if sql == "-" {
        read_stdin()?
    } else {
        sql.to_string()
    };
    if sql.trim().is_empty() {
        return Err(fail(
            Kind::Usage,
            "no SQL given; pass a statement, or - to read it from standard input",
        ));
    }
    let values: Vec<(String, Value)> = args
        .params
        .iter()
        .map(|(k, v)| {
            (
                k.trim_start_matches([':', '@', '$', '?']).to_string(),
                exec::infer(v),
            )
        })
        .collect();
    // As `versus query` does: a value given twice is a mistake, not a choice.
    if let Some((key, _)) = values
        .iter()
        .enumerate()
        .find(|(n, (k, _))| values[..*n].iter().any(|(other, _)| other == k))
        .map(|(_, kv)| kv)
    {
        return Err(fail(
            Kind::Usage,
            format!("--param {key} is given twice; give each parameter once"),
        ));
    }
    if write {
        run_write(ctx, &sql, &values, args.timeout, out)
    } else {
        run_read(ctx, &sql, &values, args.timeout, exec::Source::AdHoc, out)
    }
}

/// The SQL from standard input. SQLite ends SQL text at a NUL byte, so SQL
/// that holds one would run only up to it: it is refused instead.
fn read_stdin() -> Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .context("cannot read the SQL from standard input")?;
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(fail(
            Kind::Usage,
            format!(
                "the SQL from standard input holds a NUL byte (at byte {offset}), where SQLite would stop reading it; remove it (char(0) or x'00' writes one in a value)"
            ),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        fail(
            Kind::Usage,
            format!(
                "the SQL from standard input is not UTF-8 text (invalid byte at offset {}); give it as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

fn unused(given: &[(String, Value)], used: &[String]) -> Result<()> {
    if let Some((key, _)) = given.iter().find(|(k, _)| !used.contains(k)) {
        let names: Vec<String> = used.iter().map(|u| format!(":{u}")).collect();
        return Err(fail(
            Kind::Usage,
            format!(
                "--param {key} is not used by the SQL ({}); check its name",
                if names.is_empty() {
                    "it has no parameters".to_string()
                } else {
                    format!("its parameters: {}", names.join(", "))
                }
            ),
        ));
    }
    Ok(())
}

/// Runs one read-only statement and streams its rows (`versus sql`, and
/// each statement of a line in `versus shell`).
pub fn run_read(
    ctx: &Context,
    sql: &str,
    values: &[(String, Value)],
    timeout: Option<Duration>,
    source: exec::Source<'_>,
    out: &mut Output,
) -> Result<()> {
    // The statement is checked before the default database is created, so
    // that SQL that fails creates nothing.
    let mut conn = ctx.open_for_reading_checked(|scratch| {
        let refusals = exec::forbid_writes(scratch)?;
        let mut stmt = exec::prepare_read_only(scratch, &refusals, sql, source)?;
        let used = exec::bind(&mut stmt, values)?;
        unused(values, &used)
    })?;
    execute_read(&mut conn, sql, values, timeout, source, out)
}

/// Runs one read-only statement on an open connection and streams its rows
/// (what [`run_read`] does once the database is open; `versus shell` keeps
/// one connection for its session).
pub fn execute_read(
    conn: &mut Connection,
    sql: &str,
    values: &[(String, Value)],
    timeout: Option<Duration>,
    source: exec::Source<'_>,
    out: &mut Output,
) -> Result<()> {
    let statement = ReadOnly {
        sql,
        values,
        source,
        timeout,
    };
    exec::run_read_only(conn, &statement, |used| unused(values, used), |_| None, out)?;
    Ok(())
}

/// `VACUUM` (or `VACUUM INTO 'file'`) with --write: SQLite cannot run it
/// inside a transaction, so it runs alone, as the only statement; it changes
/// no content, and SQLite makes it all-or-nothing itself.
fn vacuum(
    conn: &rusqlite::Connection,
    sql: &str,
    values: &[(String, Value)],
    location: &Location,
) -> Result<()> {
    let mut statements = rusqlite::Batch::new(conn, sql);
    let Some(mut stmt) = statements.next()? else {
        return Err(exec::no_statement());
    };
    if !matches!(statements.next(), Ok(None)) {
        return Err(crate::error::fail(
            crate::error::Kind::Usage,
            "VACUUM cannot run inside a transaction, so it must be the only statement; run it alone with `versus sql --write \"VACUUM\"`",
        ));
    }
    let used = exec::bind(&mut stmt, values)?;
    unused(values, &used)?;
    stmt.raw_execute()
        .map_err(|e| db::explain_write(e.into(), &location.path))
        .context("VACUUM failed; the database is as it was")?;
    // `VACUUM INTO 'file'` leaves the database as it is and writes a copy.
    let into = exec::skip_to_statement(sql)
        .split_whitespace()
        .nth(1)
        .is_some_and(|w| w.eq_ignore_ascii_case("INTO"));
    notice(if into {
        "wrote a vacuumed copy of the database"
    } else {
        "vacuumed the database"
    });
    Ok(())
}

/// Runs a script of statements in one transaction, all of it or nothing
/// (`versus sql --write`, and each line's SQL in `versus shell --write`).
pub fn run_write(
    ctx: &Context,
    sql: &str,
    values: &[(String, Value)],
    timeout: Option<Duration>,
    out: &mut Output,
) -> Result<()> {
    let (mut conn, applied) = ctx.open_for_writing(db::EmptyFile::Refuse)?;
    for line in db::applied_lines(&applied) {
        notice(&line);
    }
    execute_write(&mut conn, ctx.location(), sql, values, timeout, out)
}

/// Runs a script in one transaction on an open write connection to the
/// database at `location` (what [`run_write`] does once it is open).
pub fn execute_write(
    conn: &mut Connection,
    location: &Location,
    sql: &str,
    values: &[(String, Value)],
    timeout: Option<Duration>,
    out: &mut Output,
) -> Result<()> {
    exec::limit_resources(conn)?;
    if exec::first_word(sql).eq_ignore_ascii_case("VACUUM") {
        return vacuum(conn, sql, values, location);
    }
    let guard = exec::ScriptGuard::install(conn)?;
    let stopper = Stopper::install_for_write(conn, timeout)?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| db::explain_file_error(e, &location.path))?;
    guard.check_ahead(&tx, sql)?;
    let mut used: Vec<String> = Vec::new();
    let mut last_rows = None;
    let mut statements = 0;
    let mut changed = 0;
    let mut batch = rusqlite::Batch::new(&tx, sql);
    guard.set_active(true);
    let result: Result<()> = (|| {
        while let Some(mut stmt) = batch.next()? {
            statements += 1;
            used.extend(exec::bind(&mut stmt, values)?);
            let before = tx.total_changes();
            if stmt.column_count() > 0 {
                last_rows = Some(exec::collect(&mut stmt)?);
            } else {
                stmt.raw_execute()?;
            }
            // changes() counts the rows this statement itself changed (not
            // the search triggers' rows), but only an INSERT, UPDATE or
            // DELETE sets it; DDL changes sqlite_master without setting it.
            let verb = stmt
                .expanded_sql()
                .and_then(|s| s.split_whitespace().next().map(str::to_uppercase));
            let dml = verb.is_some_and(|v| {
                ["INSERT", "UPDATE", "DELETE", "REPLACE", "WITH"].contains(&v.as_str())
            });
            if dml && tx.total_changes() > before {
                changed += tx.changes();
            }
        }
        Ok(())
    })();
    // versus's own COMMIT or ROLLBACK must pass.
    guard.set_active(false);
    let result = match guard.refusal() {
        Some(refusal) => Err(refusal),
        None => result.map_err(|e| db::explain_write(stopper.explain(e), &location.path)),
    };
    result.context("nothing was changed: the transaction was rolled back")?;
    if statements == 0 {
        return Err(exec::no_statement());
    }
    unused(values, &used)?;
    stopper.disarm();
    tx.commit()
        .map_err(|e| db::explain_file_error(e, &location.path))
        .context("could not commit")?;
    notice(&format!(
        "committed {statements} statement{}, {changed} row{} changed",
        if statements == 1 { "" } else { "s" },
        if changed == 1 { "" } else { "s" }
    ));
    match last_rows {
        Some((columns, rows)) => out.rows(&columns, &rows),
        None => Ok(()),
    }
}
