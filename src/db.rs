//! Opening a versus database: read-only or read-write, the pragmas every
//! connection gets, the embedded migrations and the checks made before them.
//!
//! Nothing here creates a file by accident: every open is made without
//! `SQLITE_OPEN_CREATE`, except [`create_new`], which builds a new database in
//! a temporary file and moves it into place only once it is complete. A path
//! is always a file name, never a SQLite URI (see [`sqlite_name`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::{Connection, OpenFlags};

use crate::error::{Kind, fail};

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The table refinery keeps its history in.
const HISTORY_TABLE: &str = "refinery_schema_history";

/// The database file used when neither `--db` nor `VERSUS_DB` is given, in
/// the current folder.
pub const DEFAULT_DB: &str = "versus.db";

/// How long a write waits for another connection's lock by default.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The newest schema version this versus knows: the highest `V<n>__` in
/// `migrations/`. Kept as a constant (a test checks it) because asking
/// refinery costs a regex compilation on every read.
pub const SCHEMA_VERSION: i64 = 9;

/// Turns off SQLite's memory statistics for the rest of the process, for a
/// bulk write: every allocation SQLite makes otherwise takes a global mutex
/// to count it, which perf showed as 5% of an import (4% faster without).
/// The statistics are what `PRAGMA hard_heap_limit` needs, so only commands
/// that set no heap limit (the import) call this, before SQLite starts; after
/// that it is a no-op.
pub fn without_memory_statistics() {
    // SAFETY: SQLITE_CONFIG_MEMSTATUS takes one int. Before sqlite3_initialize
    // it changes a setting; after it, SQLite refuses it with SQLITE_MISUSE
    // and changes nothing, which is fine.
    unsafe {
        rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int);
    }
}

/// The newest schema version this versus knows.
pub fn latest_version() -> i64 {
    SCHEMA_VERSION
}

/// Which database a command works on, and whether the user named it.
#[derive(Debug, Clone)]
pub struct Location {
    pub path: PathBuf,
    /// False when neither `--db` nor `VERSUS_DB` was given and `path` is the
    /// default `versus.db`.
    pub explicit: bool,
}

impl Location {
    pub fn display(&self) -> String {
        self.path.display().to_string()
    }
}

/// Whether a database file is there, found without following a link into
/// an error: a symbolic link that leads nowhere or loops is refused here
/// (exit code 4) with what it is, rather than reported by the system as
/// "File exists" or "Too many levels of symbolic links".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Missing,
    Present,
}

/// Looks at `path` (following links) without opening it.
pub fn presence(path: &Path) -> Result<Presence> {
    match std::fs::metadata(path) {
        Ok(_) => Ok(Presence::Present),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            match std::fs::read_link(path) {
                // A link whose target is missing: creating the database
                // "there" would fail (the link's name is taken) or create a
                // file somewhere the user may not expect.
                Ok(target) => Err(fail(
                    Kind::Database,
                    format!(
                        "{} is a symbolic link to {}, which does not exist; point --db at the database file, or remove the link",
                        path.display(),
                        target.display()
                    ),
                )),
                Err(_) => Ok(Presence::Missing),
            }
        }
        Err(e) if is_link_loop(&e) => Err(fail(
            Kind::Database,
            format!(
                "{} is a symbolic link that leads back to itself (a loop); point --db at the database file, or fix the link",
                path.display()
            ),
        )),
        Err(e) => Err(fail(
            Kind::Database,
            format!(
                "cannot look at {}: {}; check the path and the permissions of its folders",
                path.display(),
                io_reason(&e)
            ),
        )),
    }
}

fn is_link_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// An I/O error's reason without Rust's "(os error N)".
fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

/// Checks that `path` is an existing regular file before SQLite sees it, so
/// that the error can say what is wrong and nothing is created.
fn check_existing(path: &Path) -> Result<()> {
    if presence(path)? == Presence::Missing {
        return Err(fail(
            Kind::Database,
            format!(
                "no database at {}; create it with `versus init --db {}` or give an existing file with --db",
                path.display(),
                path.display()
            ),
        ));
    }
    if path.is_dir() {
        return Err(fail(
            Kind::Database,
            format!(
                "{} is a directory, not a database file; give the path of a database file with --db",
                path.display()
            ),
        ));
    }
    Ok(())
}

/// The name to give SQLite for `path`. The bundled SQLite is built with URI
/// file names on (`SQLITE_USE_URI=1`), so it reads a name that starts with
/// `file:` as a URI whatever the open flags say (`file:x.db?immutable=1`
/// would open `x.db`, immutable), and `:memory:` as no file at all. A
/// relative path gets `./` in front, which names the same file and is never
/// a URI; an absolute path starts with `/` and is never one either.
pub fn sqlite_name(path: &Path) -> PathBuf {
    if path.is_relative() {
        Path::new(".").join(path)
    } else {
        path.to_path_buf()
    }
}

/// Opens `path` with `flags`, by its file name (see [`sqlite_name`]).
fn open_file(path: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(sqlite_name(path), flags)
}

/// Gives SQLite's errors about the file itself a message that says which file
/// and what to do. Other errors pass through.
pub fn explain_file_error(err: rusqlite::Error, path: &Path) -> anyhow::Error {
    use rusqlite::ErrorCode as C;
    let code = match &err {
        rusqlite::Error::SqliteFailure(e, _) => Some(e.code),
        _ => None,
    };
    let message = match code {
        Some(C::NotADatabase) => format!(
            "{} is not a SQLite database (or is encrypted); give a versus database with --db",
            path.display()
        ),
        Some(C::DatabaseCorrupt) => format!(
            "{} is damaged (SQLite says: {err}); restore it from a copy, or check it with `sqlite3 {} 'PRAGMA integrity_check'`",
            path.display(),
            path.display()
        ),
        Some(C::CannotOpen) => format!(
            "cannot open {} ({err}); check that the file and its folder exist and are readable",
            path.display()
        ),
        Some(C::DatabaseBusy | C::DatabaseLocked) => format!(
            "{} is locked by another connection and stayed locked; wait for it to finish or raise --busy-timeout",
            path.display()
        ),
        _ => return anyhow::Error::new(err),
    };
    // The message says it all; the exit kind comes from the code.
    let kind = crate::error::kind_of(&anyhow::Error::new(err));
    fail(kind, message)
}

/// Adds what to do to a failed write whose cause is the storage: a
/// read-only file or folder, or a full disk. Other errors pass through.
pub fn explain_write(err: anyhow::Error, path: &Path) -> anyhow::Error {
    match crate::error::sqlite_code(&err) {
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::CannotOpen) => {
            match why_not_writable(path) {
                Some(why) => err.context(format!("cannot write to {}: {why}", path.display())),
                None if crate::error::sqlite_code(&err) == Some(rusqlite::ErrorCode::ReadOnly) => {
                    err.context(format!(
                        "cannot write to {}: check that you may write the file and its folder (SQLite writes a -journal file beside it)",
                        path.display()
                    ))
                }
                None => err,
            }
        }
        Some(rusqlite::ErrorCode::DiskFull) => err.context(format!(
            "the disk is full (or the database reached its size limit) while writing {}; free some space and run the command again",
            path.display()
        )),
        // SQLite names a trigger's missing table with its schema (a
        // statement's own comes as written): one versus defines is one its
        // triggers write to, and `main.notes` in the user's SQL is not.
        _ if missing_versus_table(&err) => {
            err.context(
                "a trigger versus defines writes to a table that is missing (`versus check` says which; `versus check --repair` makes it again)",
            )
        }
        _ => err,
    }
}

/// Refuses, before anything is done, to `what` (a command's write) on a
/// file SQLite opened read-only (it does so, without an error, when the
/// permissions do not let it write), saying which permission and the fix.
pub fn refuse_read_only(conn: &Connection, location: &Location, what: &str) -> Result<()> {
    if !conn.is_readonly(rusqlite::MAIN_DB)? {
        return Ok(());
    }
    let why = why_not_writable(&location.path).unwrap_or_else(|| {
        "SQLite opened it read-only; check that you may write the file and its folder".to_string()
    });
    Err(fail(
        Kind::Database,
        format!(
            "cannot {what} {}: {why}; nothing was changed",
            location.display()
        ),
    ))
}

/// Why the database file at `path` cannot be written, as its permissions
/// and its folder's say, with the fix: the file is read-only (`mode 0444`),
/// on a read-only file system, or its folder, where SQLite writes a
/// `-journal` file beside it during every write, is read-only. `None` when
/// the permissions allow the write (or cannot be read).
pub fn why_not_writable(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let file = path.display().to_string();
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let folder_name = folder.display().to_string();
        for (target, is_file) in [(path, true), (folder.as_path(), false)] {
            let Err(e) = writable(target) else { continue };
            let meta = std::fs::metadata(target).ok()?;
            let mode = format!("mode {:04o}", meta.mode() & 0o7777);
            let (subject, name, journal) = if is_file {
                (file.clone(), &file, "")
            } else {
                (
                    format!("its folder {folder_name}"),
                    &folder_name,
                    ", and SQLite writes a -journal file there while it writes",
                )
            };
            // SAFETY: geteuid has no preconditions and cannot fail.
            let me = unsafe { libc::geteuid() };
            return Some(if e.raw_os_error() == Some(libc::EROFS) {
                format!(
                    "{subject} is on a read-only file system{journal}: copy the database somewhere writable (and give that with --db), or mount the file system read-write"
                )
            } else if meta.uid() == me {
                format!(
                    "{subject} is read-only ({mode}){journal}: make it writable with `chmod u+w {name}`"
                )
            } else {
                format!(
                    "{subject} is read-only to you ({mode}, owned by user {}, and you are user {me}){journal}: its owner can let you write it (chmod, or chown to you), or run versus as its owner",
                    meta.uid()
                )
            });
        }
        None
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Whether this process may write `path`, as the kernel answers for its
/// effective user (faccessat with AT_EACCESS; root may write a file of mode
/// 0444, and is told so).
#[cfg(unix)]
fn writable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
    // SAFETY: `name` is a NUL-terminated string that outlives the call.
    if unsafe { libc::faccessat(libc::AT_FDCWD, name.as_ptr(), libc::W_OK, libc::AT_EACCESS) } == 0
    {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Whether `err` is SQLite's `no such table: main.X` for a table versus's
/// migrations define.
fn missing_versus_table(err: &anyhow::Error) -> bool {
    let Some(name) = err.chain().find_map(|cause| {
        let text = cause.to_string();
        let (_, after) = text.split_once("no such table: main.")?;
        Some(after.split_whitespace().next().unwrap_or("").to_string())
    }) else {
        return false;
    };
    defined_schema().is_ok_and(|schema| schema.get(&name).is_some_and(|d| d.kind == "table"))
}

fn configure(conn: &Connection, busy_timeout: Duration, path: &Path) -> Result<()> {
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
fn open_ro(path: &Path, busy_timeout: Duration) -> Result<Connection> {
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
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.extended_code == rusqlite::ffi::SQLITE_READONLY_ROLLBACK =>
        {
            drop(conn);
            recover_hot_journal(path, busy_timeout)?;
            open(false)
        }
        // SQLite could not create the -wal file: it is missing, and the
        // folder is read-only to us.
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.extended_code == rusqlite::ffi::SQLITE_READONLY_DIRECTORY && is_wal(path) =>
        {
            drop(conn);
            let conn = open(true)?;
            first_read(&conn).map_err(|e| explain_file_error(e, path))?;
            Ok(conn)
        }
        Err(e) => Err(explain_file_error(e, path)),
        Ok(_) => Ok(conn),
    }
}

/// Whether the file's header says WAL mode (read and write versions 2).
pub fn is_wal(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 20];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok()
        && header.starts_with(b"SQLite format 3\0")
        && header[18] == 2
        && header[19] == 2
}

/// `file:` URI of `path` (made absolute, every byte outside the plain ones
/// percent-encoded) with `immutable=1`.
fn immutable_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for &b in absolute.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/._~-".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}

fn recover_hot_journal(path: &Path, busy_timeout: Duration) -> Result<()> {
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

/// The name of versus's first migration, which every versus history starts
/// with: another program's refinery history does not have it.
const FIRST_MIGRATION: &str = "initial_schema";

/// Opens an existing versus database for reading. The connection cannot
/// write: the file is opened read-only. Reads of a database migrated by a
/// newer versus are allowed (migrations only add); a database that needs a
/// migration this versus has, or that has no versus schema, is refused.
pub fn open_read_only(location: &Location, busy_timeout: Duration) -> Result<Connection> {
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
        Err(rusqlite::Error::SqliteFailure(_, Some(msg))) if msg.starts_with("no such table") => {
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

fn not_versus(path: &Path, why: &str) -> anyhow::Error {
    fail(
        Kind::Database,
        format!(
            "{} is not a versus database ({why}); give a versus database with --db, or create one with `versus init --db <new file>`",
            path.display()
        ),
    )
}

/// A refinery history without versus's first migration: another program's.
fn foreign_history(path: &Path) -> anyhow::Error {
    not_versus(
        path,
        &format!(
            "its {HISTORY_TABLE} holds another program's migrations, not versus's V1__{FIRST_MIGRATION}"
        ),
    )
}

fn damaged_history(path: &Path, what: &str) -> anyhow::Error {
    fail(
        Kind::Database,
        format!(
            "the schema history of {} is damaged: {what}; restore the database from a copy",
            path.display()
        ),
    )
}

/// A stored value as a sentence can name it: `the number 4294967296`, `a
/// BLOB of 2 bytes (x'ff00')`, `the text "one"`, `NULL`; never Rust's
/// `Blob([255])`.
pub fn describe_value(value: rusqlite::types::ValueRef<'_>) -> String {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => "NULL".to_string(),
        ValueRef::Integer(i) => format!("the number {i}"),
        ValueRef::Real(r) => format!("the number {r}"),
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(text) if text.chars().count() <= 40 => format!("the text {text:?}"),
            Ok(text) => format!(
                "the text {:?}...",
                text.chars().take(40).collect::<String>()
            ),
            Err(_) => format!("{} bytes of text that is not UTF-8", t.len()),
        },
        ValueRef::Blob(b) => {
            let hex: String = b.iter().take(16).map(|x| format!("{x:02x}")).collect();
            format!(
                "a BLOB of {} byte{} (x'{hex}'{})",
                b.len(),
                if b.len() == 1 { "" } else { "s" },
                if b.len() > 16 { "..." } else { "" }
            )
        }
    }
}

/// One row of refinery's history table, as found in the file.
#[derive(Debug)]
struct Applied {
    version: i64,
    name: String,
    checksum: String,
}

/// What a file holds before versus writes to it.
enum Contents {
    /// No tables at all (a new or 0-byte file).
    Empty,
    /// Tables, but no versus history: another program's database.
    Foreign,
    /// A refinery history of another program's migrations.
    ForeignHistory,
    /// A versus database with this history.
    Versus(Vec<Applied>),
}

/// Reads the schema history on a read-only connection and validates every
/// row, so that refinery (which unwraps bad dates and checksums) only ever
/// sees a history it can read.
fn inspect(path: &Path, busy_timeout: Duration) -> Result<Contents> {
    let conn = open_ro(path, busy_timeout)?;
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| explain_file_error(e, path))?;
    let has_history: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [HISTORY_TABLE],
            |r| r.get(0),
        )
        .map_err(|e| explain_file_error(e, path))?;
    if !has_history {
        return Ok(if tables == 0 {
            Contents::Empty
        } else {
            Contents::Foreign
        });
    }
    let damaged = |what: String| damaged_history(path, &what);
    let mut stmt = conn
        .prepare(&format!(
            "SELECT version, name, applied_on, checksum FROM {HISTORY_TABLE} ORDER BY version"
        ))
        .map_err(|e| damaged(e.to_string()))?;
    let mut rows = stmt.query([]).map_err(|e| damaged(e.to_string()))?;
    let mut applied = Vec::new();
    while let Some(row) = rows.next().map_err(|e| damaged(e.to_string()))? {
        use rusqlite::types::ValueRef;
        // refinery keeps versions as i32; versus's start at 1.
        let version = match row.get_ref(0)? {
            ValueRef::Integer(v) if (1..=i64::from(i32::MAX)).contains(&v) => v,
            other => {
                return Err(damaged(format!(
                    "it records a migration whose version is {}, not a migration version (a whole number from 1 to 2147483647)",
                    describe_value(other)
                )));
            }
        };
        let text = |i: usize, what: &str| -> Result<String> {
            match row.get_ref(i)? {
                ValueRef::Text(t) => Ok(String::from_utf8_lossy(t).into_owned()),
                other => Err(damaged(format!(
                    "migration {version} has {} as its {what}, where text belongs",
                    describe_value(other)
                ))),
            }
        };
        let name = text(1, "name")?;
        let applied_on = text(2, "date")?;
        let checksum = text(3, "checksum")?;
        if time::OffsetDateTime::parse(&applied_on, &time::format_description::well_known::Rfc3339)
            .is_err()
        {
            return Err(damaged(format!(
                "migration {version} has the date {applied_on:?}"
            )));
        }
        if checksum.parse::<u64>().is_err() {
            return Err(damaged(format!(
                "migration {version} has the checksum {checksum:?}"
            )));
        }
        applied.push(Applied {
            version,
            name,
            checksum,
        });
    }
    // Tables beside an empty history: someone emptied it, or another
    // program made them. Migrating would fail on the existing tables.
    if applied.is_empty() && tables > 1 {
        return Err(damaged(
            "it records no migration, yet the file has tables".to_string(),
        ));
    }
    // Another program that uses refinery too: its history is not versus's,
    // and calling it "divergent" would send the user looking for a versus
    // that never made it.
    if !applied.is_empty() {
        let documents: bool = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'documents'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| explain_file_error(e, path))?;
        if !documents || !applied.iter().any(|a| a.name == FIRST_MIGRATION) {
            return Ok(Contents::ForeignHistory);
        }
    }
    Ok(Contents::Versus(applied))
}

/// Refuses a history this versus cannot continue: versions it does not know
/// (a newer versus made them) or versions whose content differs from its own.
fn check_history(applied: &[Applied], path: &Path) -> Result<()> {
    let runner = embedded::migrations::runner();
    let known = runner.get_migrations();
    for a in applied {
        match known.iter().find(|m| i64::from(m.version()) == a.version) {
            None => {
                return Err(fail(
                    Kind::Database,
                    format!(
                        "{} was created by a newer versus (schema version {}, this versus knows up to {}); upgrade versus to write to it",
                        path.display(),
                        a.version,
                        latest_version()
                    ),
                ));
            }
            Some(m) if m.checksum().to_string() != a.checksum || m.name() != a.name => {
                return Err(fail(
                    Kind::Database,
                    format!(
                        "{}: migration V{}__{} in the database differs from this versus's V{}__{} (divergent migration); restore the database from a copy or use the versus that made it",
                        path.display(),
                        a.version,
                        a.name,
                        m.version(),
                        m.name()
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Applies pending migrations to an open read-write connection, all in one
/// transaction together with their history rows. Returns the names of the
/// migrations applied (`V1__initial_schema`).
fn migrate(conn: &mut Connection, path: &Path) -> Result<Vec<String>> {
    register_functions(conn).map_err(|e| explain_file_error(e, path))?;
    let report = embedded::migrations::runner()
        .set_grouped(true)
        .run(conn)
        .map_err(|e| migration_error(&e, path))?;
    Ok(report
        .applied_migrations()
        .iter()
        .map(|m| format!("V{}__{}", m.version(), m.name()))
        .collect())
}

/// The functions migrations and imports call to compute in SQL what versus
/// computes in Rust (see migration 3). They live only on versus's own write
/// connections, so no stored table, view or trigger may call them. They take
/// any value another tool may have stored (a BLOB, text that is not UTF-8, a
/// number) as the text it reads as, so that a bad row never stops an import
/// that would replace it.
fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("versus_title_key", 1, flags, |ctx| {
        Ok(crate::document::title_key(&lossy_text(ctx.get_raw(0))))
    })?;
    conn.create_scalar_function("versus_name_parts", 1, flags, |ctx| {
        Ok(crate::document::name_parts(&lossy_text(ctx.get_raw(0)))
            .collect::<Vec<_>>()
            .join("\n"))
    })?;
    // Whether a text goes into search_cjk: the triggers' GLOB class
    // (migration 9), which SQLite's GLOB tries at every character of every
    // text, half of an import's time; here one pass, none for ASCII.
    conn.create_scalar_function("versus_spaceless", 1, flags, |ctx| {
        Ok(match ctx.get_raw(0) {
            rusqlite::types::ValueRef::Text(t) => {
                !t.is_ascii() && crate::document::has_spaceless(&String::from_utf8_lossy(t))
            }
            _ => false,
        })
    })?;
    conn.create_scalar_function("versus_figure_named_first", 2, flags, |ctx| {
        let text = lossy_text(ctx.get_raw(0));
        let figures: Vec<String> = lossy_text(ctx.get_raw(1))
            .split('\n')
            .map(String::from)
            .collect();
        Ok(crate::document::figure_named_first(&figures, &text).map(|i| i as i64 + 1))
    })?;
    Ok(())
}

/// A value as text, the way SQLite's `CAST(x AS TEXT)` reads it (bad UTF-8
/// bytes become U+FFFD; NULL is empty).
pub fn lossy_text(value: rusqlite::types::ValueRef<'_>) -> String {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
    }
}

/// Turns refinery's error into one line with the right exit kind: a locked
/// database is `Busy`, a full disk a plain failure, anything else a database
/// that cannot be migrated.
fn migration_error(e: &refinery::Error, path: &Path) -> anyhow::Error {
    let message = match e.kind() {
        refinery::error::Kind::Connection(_, source) => source.to_string(),
        other => other.to_string(),
    };
    // SQLite's message may quote a whole migration: keep its first line.
    let mut message: String = message
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect();
    if let Some(cut) = message
        .find(" in CREATE ")
        .or_else(|| message.find(" in -- "))
    {
        message.truncate(cut);
    }
    if let Some(stripped) = message.strip_suffix(" in") {
        message = stripped.to_string();
    }
    let kind = match e.kind() {
        refinery::error::Kind::Connection(_, source) => {
            match source.downcast_ref::<rusqlite::Error>() {
                Some(rusqlite::Error::SqliteFailure(f, _)) => match f.code {
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                        Kind::Busy
                    }
                    rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::ReadOnly => Kind::Failure,
                    _ => Kind::Database,
                },
                _ => Kind::Database,
            }
        }
        _ => Kind::Database,
    };
    fail(
        kind,
        format!("could not migrate {}: {message}", path.display()),
    )
}

/// Whether a write may go to a file with no tables at all (a new or 0-byte
/// file): `init` and `migrate` give it the schema; other writes refuse it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmptyFile {
    Migrate,
    Refuse,
}

/// Opens an existing database to write: checks its history on a read-only
/// connection first, then applies pending migrations (refinery is not even
/// called when none are pending). Returns the connection and the migrations
/// applied.
pub fn open_read_write(
    location: &Location,
    busy_timeout: Duration,
    empty: EmptyFile,
) -> Result<(Connection, Vec<String>)> {
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

/// What every write connection gets before its first transaction: statement
/// journals in memory (every insert that fires the search triggers keeps one;
/// in a temporary file that was over a million small writes for 3,000
/// documents), and the test-only faults below.
fn configure_for_writing(conn: &mut Connection) -> Result<()> {
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    register_functions(conn)?;
    install_faults(conn)
}

/// Whether opening the database to write would apply a migration (or create
/// the schema in an empty file). Reads only.
pub fn needs_migration(location: &Location, busy_timeout: Duration) -> Result<bool> {
    check_existing(&location.path)?;
    Ok(match inspect(&location.path, busy_timeout)? {
        Contents::Versus(applied) => {
            applied.len() < embedded::migrations::runner().get_migrations().len()
        }
        Contents::Empty | Contents::Foreign | Contents::ForeignHistory => true,
    })
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
fn install_faults(conn: &mut Connection) -> Result<()> {
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
fn install_faults(_conn: &mut Connection) -> Result<()> {
    Ok(())
}

/// Ends the process at once, as `kill -9` would: no destructor, no rollback.
#[cfg(debug_assertions)]
fn kill_self() -> ! {
    #[cfg(unix)]
    // SAFETY: kill(2) on our own pid has no memory-safety preconditions.
    unsafe {
        libc::kill(libc::getpid(), libc::SIGKILL);
    }
    std::process::abort()
}

/// Opens a database to plan a write without making it (`import --dry-run`):
/// the checks `open_read_write` makes, then the file opened read-only; when
/// it needs a migration, a copy in memory is migrated instead, so the plan
/// is made against the schema the write would have.
pub fn open_for_planning(location: &Location, busy_timeout: Duration) -> Result<Connection> {
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

/// A new, empty, migrated database in memory.
pub fn new_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn, DEFAULT_BUSY_TIMEOUT, Path::new(":memory:"))?;
    register_functions(&conn)?;
    migrate(&mut conn, Path::new(":memory:"))?;
    Ok(conn)
}

/// One table, index, view or trigger as versus's migrations define it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defined {
    /// `table`, `index`, `view` or `trigger`.
    pub kind: String,
    pub name: String,
    /// The table it belongs to (a table's or view's own name).
    pub table: String,
    /// Its CREATE statement, as SQLite keeps it in `sqlite_master`.
    pub sql: String,
    /// A table's columns, in order (empty for the other kinds).
    pub columns: Vec<String>,
}

/// The schema versus's migrations make: read from a new database migrated
/// in memory, so that it is always the current definition, whichever
/// migration last changed an object, and never a second copy of it.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Tables first, then indexes, views and triggers, each kind in the
    /// order the migrations made them. Not listed: SQLite's own objects,
    /// refinery's history table and the tables FTS5 makes for itself.
    pub objects: Vec<Defined>,
    /// The settings of the full-text index (`search_index_config`), its
    /// format version left out: FTS5 writes that one itself.
    pub search_config: Vec<(String, rusqlite::types::Value)>,
}

impl Schema {
    /// The object of that name.
    pub fn get(&self, name: &str) -> Option<&Defined> {
        self.objects.iter().find(|o| o.name == name)
    }

    /// The objects of one kind (`table`, `index`, `view`, `trigger`).
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Defined> + 'a {
        self.objects.iter().filter(move |o| o.kind == kind)
    }
}

/// The schema as versus's migrations define it (see [`Schema`]).
pub fn defined_schema() -> Result<Schema> {
    let conn = new_in_memory()?;
    let shadow: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut objects: Vec<Defined> = conn
        .prepare(&format!(
            "SELECT type, name, tbl_name, sql FROM sqlite_master
             WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '{HISTORY_TABLE}'
             ORDER BY rowid"
        ))?
        .query_map([], |r| {
            Ok(Defined {
                kind: r.get(0)?,
                name: r.get(1)?,
                table: r.get(2)?,
                sql: r.get(3)?,
                columns: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|o| !shadow.contains(&o.name))
        .collect();
    for object in objects.iter_mut().filter(|o| o.kind == "table") {
        object.columns = table_columns(&conn, &object.name)?;
    }
    let rank = |kind: &str| {
        ["table", "index", "view", "trigger"]
            .iter()
            .position(|k| *k == kind)
    };
    objects.sort_by_key(|o| rank(&o.kind));
    let search_config = conn
        .prepare("SELECT k, v FROM search_index_config WHERE k <> 'version' ORDER BY k")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Schema {
        objects,
        search_config,
    })
}

/// The columns of a table, in order; none if there is no such table.
pub fn table_columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    Ok(conn
        .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?
        .query_map([table], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// A read-write connection to a database that [`open_read_only`] has
/// accepted, for the one check SQLite runs only as a write though it
/// changes nothing (FTS5's `integrity-check`): no migration, no functions.
/// The caller runs it inside a transaction it rolls back. On a file it may
/// not write, SQLite opens it read-only and the write fails.
pub fn open_for_trial_write(location: &Location, busy_timeout: Duration) -> Result<Connection> {
    let path = &location.path;
    let conn = open_file(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| explain_file_error(e, path))?;
    configure(&conn, busy_timeout, path)?;
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

/// Creates a new database at `path`, which must not exist: the schema and
/// whatever `fill` writes go into a temporary file beside it, which becomes
/// `path` only when all of it succeeded, and only if `path` is still free
/// (the move never replaces a file). On any error no file is left.
pub fn create_new<T>(
    path: &Path,
    busy_timeout: Duration,
    fill: impl FnOnce(&mut Connection) -> Result<T>,
) -> Result<Created<T>> {
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

/// A migrated in-memory database, for unit tests.
#[cfg(test)]
pub(crate) fn migrated_in_memory() -> Connection {
    let mut conn = Connection::open_in_memory().expect("in-memory database");
    conn.pragma_update(None, "foreign_keys", true)
        .expect("foreign keys");
    migrate(&mut conn, Path::new(":memory:")).expect("migrations");
    conn
}

#[cfg(test)]
mod tests {
    #[test]
    fn schema_version_is_the_newest_migration() {
        let newest = super::embedded::migrations::runner()
            .get_migrations()
            .iter()
            .map(|m| i64::from(m.version()))
            .max();
        assert_eq!(newest, Some(super::SCHEMA_VERSION));
    }

    #[test]
    fn the_defined_schema_lists_versus_objects_tables_first_and_no_shadow_table() {
        let schema = super::defined_schema().unwrap();
        let kinds: Vec<&str> = schema.objects.iter().map(|o| o.kind.as_str()).collect();
        let mut sorted = kinds.clone();
        sorted.sort_by_key(|k| {
            ["table", "index", "view", "trigger"]
                .iter()
                .position(|x| x == k)
        });
        assert_eq!(kinds, sorted);
        for name in [
            "documents",
            "search_index",
            "comparison_table",
            "documents_cascade",
            "sections_cascade",
            "document_figures_cascade",
            "figures_cascade",
            "documents_title_key",
        ] {
            assert!(schema.get(name).is_some(), "{name}");
        }
        assert!(
            schema
                .objects
                .iter()
                .all(|o| !o.name.starts_with("search_index_")
                    && !o.name.starts_with("sqlite_")
                    && o.name != super::HISTORY_TABLE)
        );
        assert_eq!(
            schema.get("paragraphs").unwrap().columns,
            ["id", "section_id", "position", "figure_id", "text"]
        );
    }
}
