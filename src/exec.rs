//! Running SQL for `query` and `sql`: the read-only guard, binding
//! parameters, streaming rows to `Output`, and stopping a statement on Ctrl-C
//! or when `--timeout` runs out.
//!
//! Read-only is enforced three ways, so that no single gap lets a write
//! through: the file is opened with `SQLITE_OPEN_READ_ONLY`; an authorizer
//! refuses every action that is not a read (ATTACH and DETACH, PRAGMAs that
//! set something, `load_extension` and friends, CREATE/DROP/ALTER/INSERT/
//! UPDATE/DELETE, ANALYZE, REINDEX); and a statement SQLite itself does not
//! call read-only (`VACUUM`, `VACUUM INTO`) is refused before it runs.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, Statement};

use crate::error::{Kind, fail};
use crate::output::Output;

/// Pragmas that only read. Those marked `true` also take an argument that
/// names what to read (`table_info(documents)`), not a value to set.
const READ_PRAGMAS: &[(&str, bool)] = &[
    ("application_id", false),
    ("collation_list", false),
    ("compile_options", false),
    ("data_version", false),
    ("database_list", false),
    ("encoding", false),
    ("foreign_key_check", true),
    ("foreign_key_list", true),
    ("foreign_keys", false),
    ("freelist_count", false),
    ("function_list", false),
    ("index_info", true),
    ("index_list", true),
    ("index_xinfo", true),
    ("integrity_check", true),
    ("journal_mode", false),
    ("module_list", false),
    ("page_count", false),
    ("page_size", false),
    ("pragma_list", false),
    ("quick_check", true),
    ("schema_version", false),
    ("table_info", true),
    ("table_list", true),
    ("table_xinfo", true),
    ("user_version", false),
];

/// Functions that reach outside the database.
const FORBIDDEN_FUNCTIONS: &[&str] = &[
    "load_extension",
    "writefile",
    "readfile",
    "edit",
    "fts3_tokenizer",
];

/// What the authorizer refused, for the error message.
#[derive(Clone, Default)]
pub struct Refusals(Arc<Mutex<Vec<String>>>);

impl Refusals {
    fn record(&self, what: String) {
        if let Ok(mut list) = self.0.lock() {
            list.push(what);
        }
    }

    /// The refusal to report. SQLite asks about its schema table before the
    /// statement's own action (`DROP TABLE x`), and stops at the first
    /// refusal; a change to the schema table is named by the statement's
    /// opening words instead.
    fn take(&self, sql: &str) -> Option<String> {
        let list = std::mem::take(&mut *self.0.lock().ok()?);
        let first = list.first()?;
        if first.contains(" sqlite_") {
            let words: Vec<&str> = sql
                .split(|c: char| c.is_whitespace() || c == ';')
                .filter(|w| !w.is_empty())
                .collect();
            let start = words
                .iter()
                .position(|w| ["create", "drop", "alter"].contains(&w.to_lowercase().as_str()))
                .unwrap_or(0);
            let statement = words[start..]
                .iter()
                .take(3)
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            return Some(format!("{statement} (a change to the schema)"));
        }
        Some(first.clone())
    }
}

fn describe(action: &AuthAction<'_>) -> Option<String> {
    use AuthAction as A;
    Some(match action {
        A::Select | A::Read { .. } | A::Recursive => return None,
        A::Transaction { .. } | A::Savepoint { .. } => return None,
        A::Function { function_name } => {
            if FORBIDDEN_FUNCTIONS.contains(&function_name.to_lowercase().as_str()) {
                format!("the function {function_name}()")
            } else {
                return None;
            }
        }
        A::Pragma {
            pragma_name,
            pragma_value,
        } => {
            let name = pragma_name.to_lowercase();
            match READ_PRAGMAS.iter().find(|(n, _)| *n == name) {
                Some((_, takes_argument)) if pragma_value.is_none() || *takes_argument => {
                    return None;
                }
                _ => match pragma_value {
                    Some(value) => format!("PRAGMA {pragma_name}={value}"),
                    None => format!("PRAGMA {pragma_name}"),
                },
            }
        }
        A::Insert { table_name } => format!("INSERT into {table_name}"),
        A::Update { table_name, .. } => format!("UPDATE of {table_name}"),
        A::Delete { table_name } => format!("DELETE from {table_name}"),
        A::Attach { filename } => format!("ATTACH of {filename:?}"),
        A::Detach { database_name } => format!("DETACH of {database_name}"),
        A::AlterTable { table_name, .. } => format!("ALTER TABLE {table_name}"),
        A::Analyze { .. } => "ANALYZE".to_string(),
        A::Reindex { .. } => "REINDEX".to_string(),
        A::CreateTable { table_name } | A::CreateTempTable { table_name } => {
            format!("CREATE TABLE {table_name}")
        }
        A::CreateIndex { index_name, .. } | A::CreateTempIndex { index_name, .. } => {
            format!("CREATE INDEX {index_name}")
        }
        A::CreateView { view_name } | A::CreateTempView { view_name } => {
            format!("CREATE VIEW {view_name}")
        }
        A::CreateTrigger { trigger_name, .. } | A::CreateTempTrigger { trigger_name, .. } => {
            format!("CREATE TRIGGER {trigger_name}")
        }
        A::CreateVtable { table_name, .. } => format!("CREATE VIRTUAL TABLE {table_name}"),
        A::DropTable { table_name } | A::DropTempTable { table_name } => {
            format!("DROP TABLE {table_name}")
        }
        A::DropIndex { index_name, .. } | A::DropTempIndex { index_name, .. } => {
            format!("DROP INDEX {index_name}")
        }
        A::DropView { view_name } | A::DropTempView { view_name } => {
            format!("DROP VIEW {view_name}")
        }
        A::DropTrigger { trigger_name, .. } | A::DropTempTrigger { trigger_name, .. } => {
            format!("DROP TRIGGER {trigger_name}")
        }
        A::DropVtable { table_name, .. } => format!("DROP VIRTUAL TABLE {table_name}"),
        _ => "a statement that is not a read".to_string(),
    })
}

/// Makes a connection refuse everything but reads (see the module docs).
/// The connection should already be open read-only.
pub fn forbid_writes(conn: &mut Connection) -> Result<Refusals> {
    conn.pragma_update(None, "query_only", true)?;
    let refusals = Refusals::default();
    let record = refusals.clone();
    conn.authorizer(Some(move |ctx: AuthContext<'_>| {
        match describe(&ctx.action) {
            None => Authorization::Allow,
            Some(what) => {
                record.record(what);
                Authorization::Deny
            }
        }
    }))?;
    Ok(refusals)
}

/// The error for SQL that holds only comments and white space.
pub fn no_statement() -> anyhow::Error {
    fail(
        Kind::Usage,
        "the SQL holds no statement, only comments or white space; give a statement",
    )
}

/// Whose SQL runs on a guarded connection, for the wording of errors.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// `versus sql`.
    AdHoc,
    /// A named query, by name.
    Named(&'a str),
}

impl Source<'_> {
    fn refused(self, what: &str) -> anyhow::Error {
        let message = match self {
            Source::AdHoc => {
                format!(
                    "refused {what}: versus sql is read-only; rerun with --write to change the database"
                )
            }
            Source::Named(name) => format!(
                "refused {what}: the named query \"{name}\" tries to write, and named queries only read; change the query, or use `versus sql --write` for changes"
            ),
        };
        fail(Kind::WriteRefused, message)
    }
}

/// Prepares one statement on a connection guarded by [`forbid_writes`], and
/// refuses it if it would write: the authorizer's refusals name what was
/// refused, and a statement SQLite does not call read-only (`VACUUM`) is
/// refused too.
pub fn prepare_read_only<'c>(
    conn: &'c Connection,
    refusals: &Refusals,
    sql: &str,
    source: Source<'_>,
) -> Result<Statement<'c>> {
    let stmt = conn.prepare(sql).map_err(|err| {
        if let Some(what) = refusals.take(sql) {
            return source.refused(&what);
        }
        match (&err, source) {
            (rusqlite::Error::MultipleStatement, Source::AdHoc) => fail(
                Kind::Usage,
                "the SQL holds more than one statement, and versus sql runs one at a time; run them one by one, or all in one transaction with --write",
            ),
            (rusqlite::Error::SqliteFailure(e, _), _) if e.code == rusqlite::ErrorCode::ReadOnly => {
                source.refused("a write to a read-only database")
            }
            (_, Source::AdHoc) => {
                let message =
                    format!("{err}; `versus sql \"SELECT type, name FROM sqlite_master\"` lists the tables and views");
                fail(crate::error::kind_of(&anyhow::Error::new(err)), message)
            }
            (_, Source::Named(name)) => {
                anyhow::Error::new(err).context(format!("the query \"{name}\" does not run on this database"))
            }
        }
    })?;
    // SQL that is only comments and white space prepares to no statement.
    if stmt.expanded_sql().is_none() {
        return Err(no_statement());
    }
    // SQLite calls every PRAGMA statement a possible write; the authorizer
    // has already let through only the ones that read.
    let pragma = sql
        .trim_start()
        .get(..6)
        .is_some_and(|w| w.eq_ignore_ascii_case("pragma"));
    if !stmt.readonly() && !pragma {
        let verb = sql
            .split_whitespace()
            .next()
            .unwrap_or("the statement")
            .to_uppercase();
        return Err(source.refused(&format!("{verb} (a statement that writes)")));
    }
    Ok(stmt)
}

/// The largest string or BLOB one value may grow to.
const MAX_VALUE_BYTES: i32 = 100_000_000;
/// The most memory SQLite may use in this process.
const MAX_HEAP_BYTES: i64 = 1 << 30;

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

/// Stops running statements on Ctrl-C, or when the deadline passes.
pub struct Stopper {
    interrupted: Arc<AtomicBool>,
    timed_out: Arc<AtomicBool>,
    timeout: Option<Duration>,
}

impl Stopper {
    /// Catches Ctrl-C (SIGINT) in a flag, and installs a progress handler
    /// that stops the running statement when the flag is set or the timeout
    /// has run out. No thread is started: the cold query path stays short.
    pub fn install(conn: &mut Connection, timeout: Option<Duration>) -> Result<Stopper> {
        let interrupted = Arc::new(AtomicBool::new(false));
        let timed_out = Arc::new(AtomicBool::new(false));
        #[cfg(unix)]
        signal_hook::flag::register(signal_hook::consts::SIGINT, interrupted.clone())
            .context("cannot catch Ctrl-C")?;
        let timeout = timeout.filter(|t| !t.is_zero());
        let deadline = timeout.map(|limit| Instant::now() + limit);
        let (stop, late) = (interrupted.clone(), timed_out.clone());
        conn.progress_handler(
            1000,
            Some(move || {
                if stop.load(Ordering::Relaxed) {
                    return true;
                }
                let over = deadline.is_some_and(|d| Instant::now() >= d);
                if over {
                    late.store(true, Ordering::Relaxed);
                }
                over
            }),
        )?;
        Ok(Stopper {
            interrupted,
            timed_out,
            timeout,
        })
    }

    /// Says why a running statement failed when versus stopped it: Ctrl-C,
    /// the timeout, or one of the resource limits.
    pub fn explain(&self, err: anyhow::Error) -> anyhow::Error {
        match crate::error::sqlite_code(&err) {
            Some(rusqlite::ErrorCode::TooBig) => {
                return fail(
                    Kind::Failure,
                    format!(
                        "a value grew past the {} MB that versus allows one value (SQLite: string or blob too big); narrow the query",
                        MAX_VALUE_BYTES / 1_000_000
                    ),
                );
            }
            Some(rusqlite::ErrorCode::OutOfMemory) => {
                return fail(
                    Kind::Failure,
                    format!(
                        "the query needed more than the {} GiB of memory that versus allows (SQLite: out of memory); narrow the query",
                        MAX_HEAP_BYTES >> 30
                    ),
                );
            }
            Some(rusqlite::ErrorCode::OperationInterrupted) => {}
            _ => return err,
        }
        if self.timed_out.load(Ordering::SeqCst) {
            let seconds = self.timeout.map_or(0.0, |t| t.as_secs_f64());
            fail(
                Kind::TimedOut,
                format!(
                    "the query ran longer than --timeout {seconds}s and was stopped; narrow the query or raise --timeout"
                ),
            )
        } else if self.interrupted.load(Ordering::SeqCst) {
            fail(
                Kind::Interrupted,
                "interrupted by Ctrl-C; the query was stopped",
            )
        } else {
            err
        }
    }
}

/// Binds `values` to the statement's parameters by name (`:name`, `@name`,
/// `$name`) or number (`?1`). Every parameter of the statement must have a
/// value; returns the names it used.
pub fn bind(stmt: &mut Statement<'_>, values: &[(String, Value)]) -> Result<Vec<String>> {
    let mut used = Vec::new();
    for index in 1..=stmt.parameter_count() {
        let name = stmt.parameter_name(index).map(str::to_string);
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
