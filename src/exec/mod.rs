//! Running SQL for `query`, `sql` and `search`: the read-only guard, one
//! statement per read, binding parameters, streaming rows to `Output`, and
//! stopping a statement on Ctrl-C or when `--timeout` runs out.
//!
//! Read-only is enforced three ways, so that no single gap lets a write
//! through: the file is opened with `SQLITE_OPEN_READ_ONLY`; an authorizer
//! refuses every action that is not a read (ATTACH and DETACH, PRAGMAs that
//! set something, `load_extension` and friends, CREATE/DROP/ALTER/INSERT/
//! UPDATE/DELETE, ANALYZE, REINDEX); and a statement SQLite itself does not
//! call read-only (`VACUUM`, `VACUUM INTO`) is refused before it runs.
//!
//! Stopping has two layers. SQLite's progress handler stops a statement
//! between its steps, cleanly (a write is rolled back). A statement stuck
//! inside one step (one call of a slow function) never reaches the handler,
//! so a watchdog on `SIGALRM` ends the process a moment later with the same
//! message and exit code; a write it ends is rolled back from its journal by
//! the next open, as after any crash.

mod guard;
mod stop;
mod watchdog;

use std::time::Duration;

use anyhow::Result;
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, Statement};

use crate::error::{Kind, fail};
use crate::output::Output;

pub use guard::{
    Refusals, ScriptGuard, Source, first_word, forbid_writes, no_statement, prepare_read_only,
    skip_to_statement,
};
pub use stop::{Stopper, catch_interrupts, take_interrupt};

/// The largest string or BLOB one value may grow to.
pub const MAX_VALUE_BYTES: i32 = 100_000_000;
/// The most memory SQLite may use in this process.
pub(crate) const MAX_HEAP_BYTES: i64 = 1 << 30;

/// Caps what one statement may take, so that a runaway value
/// (`zeroblob(2e9)`, `randomblob` grown in a recursive CTE) ends with a
/// clear error instead of the machine running out of memory.
pub fn limit_resources(conn: &Connection) -> Result<()> {
    conn.set_limit(
        rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH,
        MAX_VALUE_BYTES,
    )?;
    conn.query_row(
        &format!("PRAGMA hard_heap_limit = {MAX_HEAP_BYTES}"),
        [],
        |_| Ok(()),
    )?;
    Ok(())
}

/// One statement to run read-only: its SQL, the values of its parameters,
/// where it comes from (for messages), and how long it may run.
pub struct ReadOnly<'a> {
    pub sql: &'a str,
    pub values: &'a [(String, Value)],
    pub source: Source<'a>,
    pub timeout: Option<Duration>,
}

/// A value written exactly as SQLite prints an integer or a real binds as
/// that number; anything else (`02139`, `1e3`, `abc`) binds as text
/// (`versus sql --param`, where no query says a parameter's type).
pub fn infer(text: &str) -> Value {
    if let Ok(i) = text.parse::<i64>()
        && i.to_string() == text
    {
        return Value::Integer(i);
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    if let Some((whole, fraction)) = unsigned.split_once('.')
        && digits(whole)
        && digits(fraction)
        && (whole == "0" || !whole.starts_with('0'))
        && let Ok(r) = text.parse::<f64>()
        // As SQLite prints it back: `1.5`, not `1.50` or `01.5`.
        && format!("{r:?}") == text
    {
        return Value::Real(r);
    }
    Value::Text(text.to_string())
}

/// What a named query or SQL is run with: its parameters (`--param
/// KEY=VALUE`, bound, never pasted into the SQL) and its time limit
/// (`--timeout`). `cli` parses them; the commands and the shell run with
/// them.
#[derive(Debug, Default, Clone)]
pub struct Run {
    pub params: Vec<(String, String)>,
    pub timeout: Option<std::time::Duration>,
}

/// Runs one statement read-only on `conn` and streams its rows to `out`
/// (`query`, `search`, `sql`, and each read of `versus shell`): the
/// resource limits, the read-only guard, the stopper, then prepare, bind
/// and stream. `check` sees the names of the parameters bound before any
/// row is read; `explain` may put a failure of the run in the command's own
/// words (`None` leaves it to the stopper, which says when Ctrl-C or the
/// timeout stopped it). Returns how many rows there were.
pub fn run_read_only(
    conn: &mut Connection,
    statement: &ReadOnly<'_>,
    check: impl FnOnce(&[String]) -> Result<()>,
    explain: impl FnOnce(&anyhow::Error) -> Option<anyhow::Error>,
    out: &mut Output,
) -> Result<u64> {
    limit_resources(conn)?;
    let refusals = forbid_writes(conn)?;
    let stopper = Stopper::install(conn, statement.timeout)?;
    let mut stmt = prepare_read_only(conn, &refusals, statement.sql, statement.source)?;
    let used = bind(&mut stmt, statement.values)?;
    check(&used)?;
    stream(&mut stmt, out).map_err(|e| explain(&e).unwrap_or_else(|| stopper.explain(e)))
}

/// Binds `values` to the statement's parameters by name (`:name`, `@name`,
/// `$name`) or number (`?1`). Every parameter of the statement must have a
/// value; returns the names it used.
pub fn bind(stmt: &mut Statement<'_>, values: &[(String, Value)]) -> Result<Vec<String>> {
    let mut used = Vec::new();
    // `SELECT ?3` has three parameters to SQLite, two of them gaps with no
    // name; a statement that numbers its parameters (`?3`) needs values
    // for those it writes only.
    let numbered = (1..=stmt.parameter_count())
        .any(|i| stmt.parameter_name(i).is_some_and(|n| n.starts_with('?')));
    for index in 1..=stmt.parameter_count() {
        let name = stmt.parameter_name(index).map(str::to_string);
        if name.is_none() && numbered {
            continue;
        }
        let key = match &name {
            Some(n) => n.trim_start_matches([':', '@', '$', '?']).to_string(),
            None => index.to_string(),
        };
        let Some((_, value)) = values.iter().find(|(k, _)| *k == key) else {
            let shown = name.unwrap_or_else(|| format!("?{index}"));
            return Err(fail(
                Kind::Usage,
                format!(
                    "the SQL uses the parameter {shown}, which has no value; give it with --param {key}=VALUE"
                ),
            ));
        };
        stmt.raw_bind_parameter(index, value)?;
        used.push(key);
    }
    Ok(used)
}

/// Runs a bound statement and streams its rows to `out` (column names
/// first, even when there are no rows). Returns how many rows there were.
pub fn stream(stmt: &mut Statement<'_>, out: &mut Output) -> Result<u64> {
    let columns: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let count = columns.len();
    let mut rows = stmt.raw_query();
    // The first row is fetched before anything is written, so that a
    // statement that fails at once (a bad FTS5 query) leaves stdout empty.
    let mut next = rows.next()?;
    out.begin(&columns)?;
    let mut seen = 0u64;
    while let Some(row) = next {
        let values: Vec<ValueRef<'_>> = (0..count)
            .map(|i| row.get_ref(i))
            .collect::<rusqlite::Result<_>>()?;
        out.row(&values)?;
        seen += 1;
        next = rows.next()?;
    }
    out.finish()?;
    Ok(seen)
}

/// Runs a bound statement and keeps its rows, for results that must wait
/// (the last statement of a `--write` script, shown after the commit).
pub fn collect(stmt: &mut Statement<'_>) -> Result<(Vec<String>, Vec<Vec<Value>>)> {
    let columns: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let count = columns.len();
    let mut rows = stmt.raw_query();
    let mut kept = Vec::new();
    while let Some(row) = rows.next()? {
        kept.push(
            (0..count)
                .map(|i| row.get::<_, Value>(i))
                .collect::<rusqlite::Result<_>>()?,
        );
    }
    Ok((columns, kept))
}
