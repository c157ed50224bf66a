//! Every way versus opens a database: read-only, read-write (migrating),
//! for planning a write, for a trial write, new in memory or new on disk.
//! They are methods of [`Database`], so that no caller passes a location
//! and a busy timeout by hand.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::{Connection, OpenFlags};

use super::*;
use crate::error::{Kind, fail};
use crate::sqlite_error;

impl Database {
    /// Opens an existing versus database for reading. The connection cannot
    /// write: the file is opened read-only. Reads of a database migrated by a
    /// newer versus are allowed (migrations only add); a database that needs a
    /// migration this versus has, or that has no versus schema, is refused.
    pub fn open_read_only(&self) -> Result<Connection> {
        let (location, busy_timeout) = (&self.location, self.busy_timeout);
        let path = &location.path;
        check_existing(path)?;
        let conn = open_ro(path, busy_timeout)?;
        // One statement, as this is on every query's path: the newest version,
        // and whether the history and the tables are versus's own (another
        // program may use refinery too).
        let found = conn.query_row(
            &format!(
                "SELECT (SELECT max(version) FROM {HISTORY_TABLE}),
                        EXISTS (SELECT 1 FROM {HISTORY_TABLE} WHERE name = '{FIRST_MIGRATION}'),
                        EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents')"
            ),
            [],
            |row| {
                Ok((
                    row.get::<_, rusqlite::types::Value>(0)?,
                    row.get::<_, bool>(1)?,
                    row.get::<_, bool>(2)?,
                ))
            },
        );
        let (version, first, documents) = match found {
            Ok(found) => found,
            Err(e) if sqlite_error::is_no_such_table(&e) => {
                return Err(not_versus(path, "it has no versus schema"));
            }
            Err(e) => return Err(explain_file_error(e, path)),
        };
        use rusqlite::types::Value;
        match version {
            Value::Null => Err(fail(
                Kind::Database,
                format!(
                    "{} has an empty versus schema history (its first migration was interrupted); run `versus migrate --db {}`",
                    path.display(),
                    path.display()
                ),
            )),
            _ if !(first && documents) => Err(foreign_history(path)),
            Value::Integer(v) if v >= latest_version() && v <= i64::from(i32::MAX) => Ok(conn),
            Value::Integer(v) if (1..latest_version()).contains(&v) => Err(fail(
                Kind::Database,
                format!(
                    "{} has schema version {v} and this versus needs {}; run `versus migrate --db {}`",
                    path.display(),
                    latest_version(),
                    path.display()
                ),
            )),
            other => Err(damaged_history(
                path,
                &format!(
                    "its newest migration version is {}, not a migration version (a whole number from 1 to 2147483647)",
                    describe_value((&other).into())
                ),
            )),
        }
    }

    /// Opens an existing database to write: checks its history on a read-only
    /// connection first, then applies pending migrations (refinery is not even
    /// called when none are pending). Returns the connection and the migrations
    /// applied.
    pub fn open_read_write(&self, empty: EmptyFile) -> Result<(Connection, Vec<String>)> {
        let (location, busy_timeout) = (&self.location, self.busy_timeout);
        let path = &location.path;
        check_existing(path)?;
        let pending = match inspect(path, busy_timeout)? {
            Contents::Foreign => return Err(not_versus(path, "it has no versus schema")),
            Contents::ForeignHistory => return Err(foreign_history(path)),
            Contents::Empty if empty == EmptyFile::Refuse => {
                return Err(not_versus(path, "it has no versus schema"));
            }
            Contents::Empty => true,
            Contents::Versus(applied) => {
                check_history(&applied, path)?;
                let known = embedded::migrations::runner().get_migrations().len();
                applied.len() < known
            }
        };
        let mut conn = open_file(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| explain_file_error(e, path))?;
        configure(&conn, busy_timeout, path)?;
        configure_for_writing(&mut conn)?;
        let applied = if pending {
            migrate(&mut conn, path)?
        } else {
            Vec::new()
        };
        Ok((conn, applied))
    }

    /// Whether opening the database to write would apply a migration (or create
    /// the schema in an empty file). Reads only.
    pub fn needs_migration(&self) -> Result<bool> {
        let (location, busy_timeout) = (&self.location, self.busy_timeout);
        check_existing(&location.path)?;
        Ok(match inspect(&location.path, busy_timeout)? {
            Contents::Versus(applied) => {
                applied.len() < embedded::migrations::runner().get_migrations().len()
            }
            Contents::Empty | Contents::Foreign | Contents::ForeignHistory => true,
        })
    }

    /// Opens a database to plan a write without making it (`import --dry-run`):
    /// the checks `open_read_write` makes, then the file opened read-only; when
    /// it needs a migration, a copy in memory is migrated instead, so the plan
    /// is made against the schema the write would have.
    pub fn open_for_planning(&self) -> Result<Connection> {
        let (location, busy_timeout) = (&self.location, self.busy_timeout);
        let path = &location.path;
        check_existing(path)?;
        let applied = match inspect(path, busy_timeout)? {
            Contents::Foreign | Contents::Empty => {
                return Err(not_versus(path, "it has no versus schema"));
            }
            Contents::ForeignHistory => return Err(foreign_history(path)),
            Contents::Versus(applied) => applied,
        };
        check_history(&applied, path)?;
        let conn = open_ro(path, busy_timeout)?;
        if applied.len() == embedded::migrations::runner().get_migrations().len() {
            return Ok(conn);
        }
        let mut copy = Connection::open_in_memory()?;
        rusqlite::backup::Backup::new(&conn, &mut copy)
            .and_then(|b| b.run_to_completion(1024, Duration::ZERO, None))
            .map_err(|e| explain_file_error(e, path))?;
        configure(&copy, busy_timeout, path)?;
        migrate(&mut copy, path)?;
        Ok(copy)
    }

    /// A read-write connection to a database that [`open_read_only`] has
    /// accepted, for the one check SQLite runs only as a write though it
    /// changes nothing (FTS5's `integrity-check`): no migration, no functions.
    /// The caller runs it inside a transaction it rolls back. On a file it may
    /// not write, SQLite opens it read-only and the write fails.
    pub fn open_for_trial_write(&self) -> Result<Connection> {
        let (location, busy_timeout) = (&self.location, self.busy_timeout);
        let path = &location.path;
        let conn = open_file(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| explain_file_error(e, path))?;
        configure(&conn, busy_timeout, path)?;
        Ok(conn)
    }

    /// Creates a new database at `path`, which must not exist: the schema and
    /// whatever `fill` writes go into a temporary file beside it, which becomes
    /// `path` only when all of it succeeded, and only if `path` is still free
    /// (the move never replaces a file). On any error no file is left.
    pub fn create_new<T>(
        &self,
        fill: impl FnOnce(&mut Connection) -> Result<T>,
    ) -> Result<Created<T>> {
        let (path, busy_timeout) = (&self.location.path, self.busy_timeout);
        // A dangling or looping link is refused before anything is built.
        if presence(path)? == Presence::Present {
            return Ok(Created::ByAnother);
        }
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !parent.is_dir() {
            return Err(fail(
                Kind::Database,
                format!(
                    "cannot create {}: the folder {} does not exist; create it first or choose another --db path",
                    path.display(),
                    parent.display()
                ),
            ));
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".versus-new-").suffix(".db");
        // tempfile makes private (0600) files; a database gets the mode SQLite
        // would give it, 0666 less the umask.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let temp = builder
            .tempfile_in(&parent)
            .with_context(|| format!("cannot create a file in {}", parent.display()))?;
        let (applied, value) = {
            let mut conn = open_file(
                temp.path(),
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| explain_file_error(e, temp.path()))?;
            configure(&conn, busy_timeout, path)?;
            configure_for_writing(&mut conn)?;
            let applied = migrate(&mut conn, path)?;
            let value = fill(&mut conn)?;
            conn.close().map_err(|(_, e)| explain_file_error(e, path))?;
            (applied, value)
        };
        match temp.persist_noclobber(path) {
            Ok(_) => Ok(Created::New(applied, value)),
            // Dropping the error removes the temporary file.
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                drop(e);
                // The name was taken while the database was being built: by
                // another process's database, or by a link made meanwhile.
                presence(path)?;
                Ok(Created::ByAnother)
            }
            Err(e) => Err(fail(
                Kind::Failure,
                format!("cannot create {}: {}", path.display(), io_reason(&e.error)),
            )),
        }
    }
}

pub(super) fn configure(conn: &Connection, busy_timeout: Duration, path: &Path) -> Result<()> {
    conn.busy_timeout(busy_timeout)
        .and_then(|_| conn.pragma_update(None, "foreign_keys", true))
        .map_err(|e| explain_file_error(e, path))
}

/// Opens a file read-only. A hot journal (an unfinished write left by a
/// process that was killed) cannot be rolled back by a read-only connection,
/// so it is rolled back first on a read-write one, as any SQLite client
/// would do on its next open: that restores the last committed state.
///
/// A database another tool switched to WAL mode is read as SQLite reads one:
/// through its `-wal` and `-shm` files, which SQLite creates beside it when
/// they are missing (and, on a read-only connection, leaves there; the last
/// writer to close removes them). Where they cannot be created (a read-only
/// folder) and there is no `-wal` file, every committed page is in the
/// database file itself (SQLite moves them there when the last connection
/// closes), so the file is read as it stands, opened `immutable`.
pub(super) fn open_ro(path: &Path, busy_timeout: Duration) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let open = |immutable: bool| -> Result<Connection> {
        let conn = if immutable {
            Connection::open_with_flags(immutable_uri(path), flags | OpenFlags::SQLITE_OPEN_URI)
        } else {
            open_file(path, flags)
        }
        .map_err(|e| explain_file_error(e, path))?;
        configure(&conn, busy_timeout, path)?;
        Ok(conn)
    };
    let first_read = |conn: &Connection| {
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
    };
    let conn = open(false)?;
    match first_read(&conn) {
        Err(e) if sqlite_error::is_hot_journal(&e) => {
            drop(conn);
            recover_hot_journal(path, busy_timeout)?;
            open(false)
        }
        // SQLite could not create the -wal file: it is missing, and the
        // folder is read-only to us.
        Err(e) if sqlite_error::is_read_only_folder(&e) && is_wal(path) => {
            drop(conn);
            let conn = open(true)?;
            first_read(&conn).map_err(|e| explain_file_error(e, path))?;
            Ok(conn)
        }
        Err(e) => Err(explain_file_error(e, path)),
        Ok(_) => Ok(conn),
    }
}

pub(super) fn recover_hot_journal(path: &Path, busy_timeout: Duration) -> Result<()> {
    let recovered = open_file(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|conn| {
        conn.busy_timeout(busy_timeout)?;
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
    });
    match recovered {
        Ok(_) => Ok(()),
        Err(e) => Err(fail(
            Kind::Database,
            format!(
                "{} has an unfinished write left by a process that stopped mid-way, and it cannot be rolled back ({e}); make the file and its folder writable and run any versus command again",
                path.display()
            ),
        )),
    }
}

/// Whether a write may go to a file with no tables at all (a new or 0-byte
/// file): `init` and `migrate` give it the schema; other writes refuse it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmptyFile {
    Migrate,
    Refuse,
}

/// What every write connection gets before its first transaction: statement
/// journals in memory (every insert that fires the search triggers keeps one;
/// in a temporary file that was over a million small writes for 3,000
/// documents), and the test-only faults below.
pub(super) fn configure_for_writing(conn: &mut Connection) -> Result<()> {
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    register_functions(conn)?;
    install_faults(conn)
}

/// Test-only faults, read from the environment on write connections only
/// (never on the query path), so that crash and disk-full behaviour can be
/// tested through the real binary:
/// - `VERSUS_FAULT_KILL_AFTER_WRITES=N`: the process kills itself with
///   SIGKILL when its Nth row is written, mid-transaction.
/// - `VERSUS_FAULT_MAX_PAGES=N`: the database may not grow past N pages, as
///   on a full disk.
///
/// They exist only in debug builds (`cargo test` runs the debug binary): a
/// release build compiles none of this, so no variable in a user's
/// environment can make an installed versus kill itself or refuse to grow.
#[cfg(debug_assertions)]
pub(super) fn install_faults(conn: &mut Connection) -> Result<()> {
    let number = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    if let Some(limit) = number("VERSUS_FAULT_KILL_AFTER_WRITES") {
        let mut written = 0u64;
        conn.update_hook(Some(
            move |_: rusqlite::hooks::Action, _: &str, _: &str, _: i64| {
                written += 1;
                if written >= limit {
                    kill_self();
                }
            },
        ))?;
    }
    if let Some(pages) = number("VERSUS_FAULT_MAX_PAGES") {
        conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
    }
    Ok(())
}

/// Release builds have no test-only faults (see the debug version).
#[cfg(not(debug_assertions))]
pub(super) fn install_faults(_conn: &mut Connection) -> Result<()> {
    Ok(())
}

/// Ends the process at once, as `kill -9` would: no destructor, no rollback.
#[cfg(debug_assertions)]
pub(super) fn kill_self() -> ! {
    #[cfg(unix)]
    // SAFETY: kill(2) on our own pid has no memory-safety preconditions.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGKILL);
    }
    std::process::abort()
}

/// A new, empty, migrated database in memory.
pub fn new_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn, DEFAULT_BUSY_TIMEOUT, Path::new(":memory:"))?;
    register_functions(&conn)?;
    migrate(&mut conn, Path::new(":memory:"))?;
    Ok(conn)
}

/// What [`create_new`] did.
pub enum Created<T> {
    /// The database was made: the migrations applied and what `fill` returned.
    New(Vec<String>, T),
    /// Another process made it while this one was building its own (several
    /// runs started together on a missing default database): theirs is
    /// complete, since it too was moved into place whole, and this one's
    /// temporary file is gone.
    ByAnother,
}

/// A migrated in-memory database, for unit tests.
#[cfg(test)]
pub(crate) fn migrated_in_memory() -> Connection {
    let mut conn = Connection::open_in_memory().expect("in-memory database");
    conn.pragma_update(None, "foreign_keys", true)
        .expect("foreign keys");
    migrate(&mut conn, Path::new(":memory:")).expect("migrations");
    conn
}
