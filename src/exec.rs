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

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use fallible_iterator::FallibleIterator;
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
    fn clear(&self) {
        if let Ok(mut list) = self.0.lock() {
            list.clear();
        }
    }

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
                // `notes(body TEXT)` names the table `notes`.
                .split(|c: char| c.is_whitespace() || c == ';' || c == '(')
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

/// Refuses transaction control (`BEGIN`, `COMMIT`, `END`, `ROLLBACK`,
/// `SAVEPOINT`, `RELEASE`) in a `--write` script, which versus runs in one
/// transaction of its own: a `COMMIT` in the middle would save half of the
/// script whatever happened after it. SQLite's authorizer names these
/// statements as it prepares them, so comments and string literals never
/// fool the check.
#[derive(Clone)]
pub struct ScriptGuard {
    active: Arc<AtomicBool>,
    found: Arc<Mutex<Option<String>>>,
}

impl ScriptGuard {
    /// Installs the guard on a connection, inactive: versus's own `BEGIN`
    /// and `COMMIT` pass. Activate it around the script's statements.
    pub fn install(conn: &mut Connection) -> Result<ScriptGuard> {
        let guard = ScriptGuard {
            active: Arc::new(AtomicBool::new(false)),
            found: Arc::new(Mutex::new(None)),
        };
        let (active, found) = (guard.active.clone(), guard.found.clone());
        conn.authorizer(Some(move |ctx: AuthContext<'_>| {
            use rusqlite::hooks::TransactionOperation as T;
            if !active.load(Ordering::SeqCst) {
                return Authorization::Allow;
            }
            let what = match ctx.action {
                AuthAction::Transaction { operation } => match operation {
                    T::Begin => "BEGIN".to_string(),
                    T::Rollback => "ROLLBACK".to_string(),
                    _ => "COMMIT (or END)".to_string(),
                },
                AuthAction::Savepoint {
                    operation,
                    savepoint_name,
                } => match operation {
                    T::Begin => format!("SAVEPOINT {savepoint_name}"),
                    T::Release => format!("RELEASE {savepoint_name}"),
                    T::Rollback => format!("ROLLBACK TO {savepoint_name}"),
                    _ => format!("the savepoint {savepoint_name}"),
                },
                _ => return Authorization::Allow,
            };
            if let Ok(mut slot) = found.lock() {
                slot.get_or_insert(what);
            }
            Authorization::Deny
        }))?;
        Ok(guard)
    }

    /// Turns the check on (for the script's statements) or off.
    pub fn set_active(&self, on: bool) {
        self.active.store(on, Ordering::SeqCst);
    }

    /// Prepares every statement of the script without running any, and
    /// refuses the script if one of them controls the transaction. A
    /// statement that does not prepare yet (it needs a table an earlier one
    /// creates) ends the look-ahead; the check while the script runs covers
    /// the rest.
    pub fn check_ahead(&self, conn: &Connection, sql: &str) -> Result<()> {
        self.set_active(true);
        let mut statements = rusqlite::Batch::new(conn, sql);
        while let Ok(Some(_)) = FallibleIterator::next(&mut statements) {}
        self.set_active(false);
        match self.refusal() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// The usage error for the transaction control found, if any.
    pub fn refusal(&self) -> Option<anyhow::Error> {
        let what = self.found.lock().ok()?.clone()?;
        Some(fail(
            Kind::Usage,
            format!(
                "the --write script holds {what}, but versus already runs the whole script in one transaction (all of it or nothing); leave out BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT and RELEASE"
            ),
        ))
    }
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
    /// SQL typed at `versus shell`.
    Shell,
}

impl Source<'_> {
    fn refused(self, what: &str) -> anyhow::Error {
        refused(&self.owned(), what)
    }

    fn owned(self) -> OwnedSource {
        match self {
            Source::AdHoc => OwnedSource::AdHoc,
            Source::Named(name) => OwnedSource::Named(name.to_string()),
            Source::Shell => OwnedSource::Shell,
        }
    }
}

/// [`Source`] kept past the statement's preparation, for [`STEP_GUARD`].
enum OwnedSource {
    AdHoc,
    Named(String),
    Shell,
}

/// The guard of the statement that is running. The authorizer can refuse
/// while a statement runs, not only while it is prepared: a table-valued
/// pragma (`SELECT * FROM pragma_writable_schema`) prepares its PRAGMA when
/// it is first read. [`Stopper::explain`] names that refusal from here.
static STEP_GUARD: Mutex<Option<(Refusals, OwnedSource)>> = Mutex::new(None);

fn refused(source: &OwnedSource, what: &str) -> anyhow::Error {
    let message = match source {
        OwnedSource::AdHoc => format!(
            "refused {what}: versus sql is read-only; rerun with --write to change the database"
        ),
        OwnedSource::Named(name) => format!(
            "refused {what}: the named query \"{name}\" tries to write, and named queries only read; change the query, or use `versus sql --write` for changes"
        ),
        OwnedSource::Shell => format!(
            "refused {what}: the shell is read-only; start it with `versus shell --write` to change the database"
        ),
    };
    fail(Kind::WriteRefused, message)
}

/// Prepares the one statement of `sql` on a connection guarded by
/// [`forbid_writes`], and refuses it if it would write: the authorizer's
/// refusals name what was refused, and a statement SQLite does not call
/// read-only (`VACUUM`) is refused too. SQL that holds a second statement is
/// a usage error whatever that statement is (SQLite's own parser finds where
/// the first one ends, so comments and string literals never fool it).
pub fn prepare_read_only<'c>(
    conn: &'c Connection,
    refusals: &Refusals,
    sql: &str,
    source: Source<'_>,
) -> Result<Statement<'c>> {
    refusals.clear();
    let mut statements = rusqlite::Batch::new(conn, sql);
    let stmt = FallibleIterator::next(&mut statements)
        .map_err(|err| explain_prepare(err, refusals, sql, source))?;
    // SQL that is only comments and white space prepares to no statement.
    let Some(stmt) = stmt else {
        return Err(no_statement());
    };
    // Anything after the first statement but comments, white space and
    // semicolons is a second statement, even one that does not prepare.
    if !matches!(FallibleIterator::next(&mut statements), Ok(None)) {
        refusals.clear();
        return Err(match source {
            Source::AdHoc => fail(
                Kind::Usage,
                "the SQL holds more than one statement, and versus sql runs one at a time; run them one by one, or all in one transaction with --write",
            ),
            Source::Shell => fail(
                Kind::Usage,
                "the SQL holds more than one statement where the shell expected one; end each statement with ;",
            ),
            Source::Named(name) => fail(
                Kind::Usage,
                format!(
                    "the query \"{name}\" holds more than one statement, and a named query is one statement; keep one in its .sql file"
                ),
            ),
        });
    }
    // SQLite calls every PRAGMA statement a possible write; the authorizer
    // has already let through only the ones that read.
    let verb = first_word(sql).to_uppercase();
    if !stmt.readonly() && verb != "PRAGMA" {
        return Err(source.refused(&format!("{verb} (a statement that writes)")));
    }
    if let Ok(mut guard) = STEP_GUARD.lock() {
        *guard = Some((refusals.clone(), source.owned()));
    }
    Ok(stmt)
}

/// `sql` after the white space, semicolons and comments before its first
/// statement.
pub fn skip_to_statement(sql: &str) -> &str {
    let mut rest = sql;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ';');
        if let Some(comment) = rest.strip_prefix("--") {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(comment) = rest.strip_prefix("/*") {
            rest = comment.split_once("*/").map_or("", |(_, after)| after);
        } else {
            return rest;
        }
    }
}

/// The first word of the first statement, after any comments and white
/// space before it.
pub fn first_word(sql: &str) -> &str {
    let rest = skip_to_statement(sql);
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    &rest[..end]
}

fn explain_prepare(
    err: rusqlite::Error,
    refusals: &Refusals,
    sql: &str,
    source: Source<'_>,
) -> anyhow::Error {
    if let Some(what) = refusals.take(sql) {
        return source.refused(&what);
    }
    match (&err, source) {
        (rusqlite::Error::SqliteFailure(e, _), _) if e.code == rusqlite::ErrorCode::ReadOnly => {
            source.refused("a write to a read-only database")
        }
        (_, Source::AdHoc | Source::Shell) => {
            let shell = matches!(source, Source::Shell);
            let message = format!("{err}; {}", prepare_hint(&err.to_string(), sql, shell));
            fail(crate::error::kind_of(&anyhow::Error::new(err)), message)
        }
        (_, Source::Named(name)) => anyhow::Error::new(err).context(format!(
            "the query \"{name}\" does not run on this database"
        )),
    }
}

/// What to do about SQL that does not prepare, fitted to SQLite's message.
fn prepare_hint(message: &str, sql: &str, shell: bool) -> String {
    let lists_tables = if shell {
        ".tables lists the tables and views"
    } else {
        "`versus sql \"SELECT type, name FROM sqlite_master\"` lists the tables and views"
    };
    if sql.trim_start().starts_with('.') {
        return format!(
            "dot-commands such as .tables belong to the sqlite3 shell, and versus sql takes SQL; {lists_tables}"
        );
    }
    if message.contains("no such table") {
        return lists_tables.to_string();
    }
    if message.contains("no such column") && shell {
        return ".schema TABLE shows a table's columns".to_string();
    }
    if message.contains("no such column") {
        return "`versus sql \"SELECT name FROM pragma_table_info('TABLE')\"` lists a table's columns".to_string();
    }
    if let Some(rest) = message.strip_prefix("no such function: ") {
        let name = rest.split_whitespace().next().unwrap_or(rest);
        return format!(
            "{name} is not one of SQLite's functions (readfile, writefile and edit belong to the sqlite3 shell); the functions are listed at https://sqlite.org/lang_corefunc.html, and versus adds escape_fts"
        );
    }
    if message.contains("syntax error") || message.contains("incomplete input") {
        return "check the SQL at that point; SQLite's syntax is at https://sqlite.org/lang.html"
            .to_string();
    }
    "check the SQL".to_string()
}

/// The largest string or BLOB one value may grow to.
pub const MAX_VALUE_BYTES: i32 = 100_000_000;
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

/// How long after the deadline (or after Ctrl-C) the watchdog waits for the
/// progress handler to stop the statement cleanly before it ends the process.
const WATCHDOG_GRACE: Duration = Duration::from_millis(500);

/// Stops running statements on Ctrl-C, or when the deadline passes: first
/// through SQLite's progress handler, and if the statement is stuck inside
/// one step, through the watchdog (see the module docs). Dropping it, or
/// [`Stopper::disarm`], stands the watchdog down.
pub struct Stopper {
    timed_out: Arc<AtomicBool>,
    timeout: Option<Duration>,
}

impl Stopper {
    /// For a read: catches Ctrl-C (SIGINT) in a flag, installs a progress
    /// handler that stops the running statement when the flag is set or the
    /// timeout has run out, and arms the watchdog. No thread is started: the
    /// cold query path stays short.
    pub fn install(conn: &mut Connection, timeout: Option<Duration>) -> Result<Stopper> {
        Stopper::start(conn, timeout, "")
    }

    /// For a `--write` script: as [`Stopper::install`], but what the
    /// watchdog says is true of a write it ends.
    pub fn install_for_write(conn: &mut Connection, timeout: Option<Duration>) -> Result<Stopper> {
        Stopper::start(
            conn,
            timeout,
            "nothing was changed: the unfinished transaction is rolled back from its journal when the database is next opened: ",
        )
    }

    fn start(conn: &mut Connection, timeout: Option<Duration>, written: &str) -> Result<Stopper> {
        let timeout = timeout.filter(|t| !t.is_zero());
        let timed_out = Arc::new(AtomicBool::new(false));
        let deadline = timeout.map(|limit| Instant::now() + limit);
        let late = timed_out.clone();
        conn.progress_handler(
            1000,
            Some(move || {
                if watchdog::INTERRUPTED.load(Ordering::Relaxed) {
                    return true;
                }
                let over = deadline.is_some_and(|d| Instant::now() >= d);
                if over {
                    late.store(true, Ordering::Relaxed);
                }
                over
            }),
        )?;
        watchdog::arm(
            timeout.map(|t| t + WATCHDOG_GRACE),
            format!("versus: {written}{}\n", timed_out_message(timeout)),
            format!("versus: {written}{INTERRUPTED_MESSAGE}\n"),
        )
        .context("cannot catch Ctrl-C")?;
        Ok(Stopper { timed_out, timeout })
    }

    /// Stands the watchdog down, before a commit: a commit is not a runaway
    /// statement, and ending the process in the middle of one would make the
    /// message untrue.
    pub fn disarm(&self) {
        watchdog::disarm();
    }

    /// Says why a running statement failed when versus stopped it: Ctrl-C,
    /// the timeout, one of the resource limits, or a refusal of the
    /// read-only guard while the statement ran.
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
            Some(rusqlite::ErrorCode::AuthorizationForStatementDenied) => {
                let guard = STEP_GUARD.lock().ok().and_then(|mut g| g.take());
                if let Some((refusals, source)) = guard
                    && let Some(what) = refusals.take("")
                {
                    return refused(&source, &what);
                }
                return err;
            }
            Some(rusqlite::ErrorCode::OperationInterrupted) => {}
            _ => return err,
        }
        if self.timed_out.load(Ordering::SeqCst) {
            fail(Kind::TimedOut, timed_out_message(self.timeout))
        } else if watchdog::INTERRUPTED.load(Ordering::SeqCst) {
            fail(Kind::Interrupted, INTERRUPTED_MESSAGE)
        } else {
            err
        }
    }
}

impl Drop for Stopper {
    fn drop(&mut self) {
        watchdog::disarm();
    }
}

/// For `versus shell`: catches Ctrl-C from now on, so that one pressed
/// between statements (in the pager, say) sets the flag the next statement
/// reads instead of ending the process.
pub fn catch_interrupts() -> Result<()> {
    watchdog::register().context("cannot catch Ctrl-C")
}

/// Whether Ctrl-C was pressed since the last call, and forgets it: the
/// shell goes on after a statement Ctrl-C stopped, and the next one must
/// not be stopped by the same key press.
pub fn take_interrupt() -> bool {
    watchdog::INTERRUPTED.swap(false, Ordering::SeqCst)
}

const INTERRUPTED_MESSAGE: &str = "interrupted by Ctrl-C; the query was stopped";

fn timed_out_message(timeout: Option<Duration>) -> String {
    let seconds = timeout.map_or(0.0, |t| t.as_secs_f64());
    format!(
        "the query ran longer than --timeout {seconds}s and was stopped; narrow the query or raise --timeout"
    )
}

/// Ends the process when a statement does not stop in time. Everything the
/// signal handlers touch is a static atomic or a line made beforehand, and
/// they call only async-signal-safe functions (`alarm`, `write`, `_exit`).
mod watchdog {
    use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
    use std::time::Duration;

    /// Set by Ctrl-C; read by the progress handler and the watchdog.
    pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);
    /// Whether a statement is running that the watchdog may end.
    static ARMED: AtomicBool = AtomicBool::new(false);
    /// What to print on each way of ending: made each time it is armed and
    /// never freed, since a signal handler may still read the one before.
    /// A command arms once or twice; the shell arms for every statement it
    /// runs, leaving one `Lines` behind each time.
    static LINES: AtomicPtr<Lines> = AtomicPtr::new(std::ptr::null_mut());

    struct Lines {
        timed_out: Vec<u8>,
        interrupted: Vec<u8>,
    }

    /// Installs the handlers of SIGINT and SIGALRM, once per process.
    #[cfg(unix)]
    pub fn register() -> std::io::Result<()> {
        use std::sync::Once;
        static HANDLERS: Once = Once::new();
        let mut registered = Ok(());
        HANDLERS.call_once(|| {
            // SAFETY: both handlers only touch atomics and call
            // async-signal-safe functions.
            registered = unsafe {
                signal_hook::low_level::register(signal_hook::consts::SIGINT, on_interrupt)
                    .and_then(|_| {
                        signal_hook::low_level::register(signal_hook::consts::SIGALRM, on_alarm)
                    })
                    .map(|_| ())
            };
        });
        registered
    }

    #[cfg(not(unix))]
    pub fn register() -> std::io::Result<()> {
        Ok(())
    }

    #[cfg(unix)]
    pub fn arm(
        after: Option<Duration>,
        timed_out: String,
        interrupted: String,
    ) -> std::io::Result<()> {
        register()?;
        let lines = Box::into_raw(Box::new(Lines {
            timed_out: timed_out.into_bytes(),
            interrupted: interrupted.into_bytes(),
        }));
        LINES.store(lines, Ordering::SeqCst);
        ARMED.store(true, Ordering::SeqCst);
        if let Some(after) = after {
            set_timer(after);
        }
        // Ctrl-C pressed before the statement started.
        if INTERRUPTED.load(Ordering::SeqCst) {
            set_timer(super::WATCHDOG_GRACE);
        }
        Ok(())
    }

    #[cfg(not(unix))]
    pub fn arm(_: Option<Duration>, _: String, _: String) -> std::io::Result<()> {
        Ok(())
    }

    pub fn disarm() {
        ARMED.store(false, Ordering::SeqCst);
        #[cfg(unix)]
        set_timer(Duration::ZERO);
    }

    #[cfg(unix)]
    fn set_timer(after: Duration) {
        let value = libc::itimerval {
            it_interval: libc::timeval {
                tv_sec: 0,
                tv_usec: 0,
            },
            it_value: libc::timeval {
                tv_sec: after.as_secs().min(i32::MAX as u64) as libc::time_t,
                tv_usec: after.subsec_micros() as libc::suseconds_t,
            },
        };
        // SAFETY: a plain system call with a valid pointer.
        unsafe {
            libc::setitimer(libc::ITIMER_REAL, &value, std::ptr::null_mut());
        }
    }

    /// SIGINT: tell the progress handler, and give it a second before the
    /// watchdog steps in.
    #[cfg(unix)]
    fn on_interrupt() {
        INTERRUPTED.store(true, Ordering::SeqCst);
        if ARMED.load(Ordering::SeqCst) {
            // SAFETY: alarm is async-signal-safe.
            unsafe {
                libc::alarm(1);
            }
        }
    }

    /// SIGALRM: the statement did not stop in time; end the process.
    #[cfg(unix)]
    fn on_alarm() {
        if !ARMED.load(Ordering::SeqCst) {
            return;
        }
        let lines = LINES.load(Ordering::SeqCst);
        if lines.is_null() {
            return;
        }
        // SAFETY: LINES points to a leaked, never freed `Lines`.
        let lines = unsafe { &*lines };
        let (line, code) = if INTERRUPTED.load(Ordering::SeqCst) {
            (&lines.interrupted, 130)
        } else {
            (&lines.timed_out, 7)
        };
        // SAFETY: write and _exit are async-signal-safe.
        unsafe {
            libc::write(2, line.as_ptr().cast(), line.len());
            libc::_exit(code);
        }
    }
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
