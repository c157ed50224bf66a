//! The read-only guard: an authorizer that refuses every action that is not
//! a read, the refusals it records, the statement SQLite does not call
//! read-only (`VACUUM`), and preparing a statement under it with a message
//! that says what was refused and where.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::Result;
use fallible_iterator::FallibleIterator;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::{Connection, Statement};

use crate::error::{Kind, fail};

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

/// The refusal the guard recorded while the statement of
/// [`prepare_read_only`] ran (a read SQLite authorizes step by step), once.
pub(super) fn refused_while_stepping() -> Option<anyhow::Error> {
    let guard = STEP_GUARD.lock().ok().and_then(|mut g| g.take());
    if let Some((refusals, source)) = guard
        && let Some(what) = refusals.take("")
    {
        return Some(refused(&source, &what));
    }
    None
}

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
