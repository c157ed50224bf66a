//! Explaining SQLite's and refinery's errors about a database: which file,
//! what is wrong with it, and what to do, with the exit kind the error has.

use std::path::Path;

use anyhow::Result;
use rusqlite::Connection;

use super::*;
use crate::error::{Kind, fail};

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

/// Whether `err` is SQLite's `no such table: main.X` for a table versus's
/// migrations define.
pub(super) fn missing_versus_table(err: &anyhow::Error) -> bool {
    let Some(name) = crate::sqlite_error::missing_main_table(err) else {
        return false;
    };
    defined_schema().is_ok_and(|schema| schema.get(&name).is_some_and(|d| d.kind == "table"))
}

pub(super) fn not_versus(path: &Path, why: &str) -> anyhow::Error {
    fail(
        Kind::Database,
        format!(
            "{} is not a versus database ({why}); give a versus database with --db, or create one with `versus init --db <new file>`",
            path.display()
        ),
    )
}

/// A refinery history without versus's first migration: another program's.
pub(super) fn foreign_history(path: &Path) -> anyhow::Error {
    not_versus(
        path,
        &format!(
            "its {HISTORY_TABLE} holds another program's migrations, not versus's V1__{FIRST_MIGRATION}"
        ),
    )
}

pub(super) fn damaged_history(path: &Path, what: &str) -> anyhow::Error {
    fail(
        Kind::Database,
        format!(
            "the schema history of {} is damaged: {what}; restore the database from a copy",
            path.display()
        ),
    )
}

/// Turns refinery's error into one line with the right exit kind: a locked
/// database is `Busy`, a full disk a plain failure, anything else a database
/// that cannot be migrated.
pub(super) fn migration_error(e: &refinery::Error, path: &Path) -> anyhow::Error {
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
                Some(e) => crate::sqlite_error::kind_of_migration(e),
                None => Kind::Database,
            }
        }
        _ => Kind::Database,
    };
    fail(
        kind,
        format!("could not migrate {}: {message}", path.display()),
    )
}
