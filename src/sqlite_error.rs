//! What SQLite's errors mean to versus, read in one place: the result code
//! of an error anywhere in a chain, the exit kind a code gives, the
//! extended codes of a read-only open, and the messages SQLite (and FTS5)
//! only say in words: a missing table or column, a damaged full-text index,
//! a full-text query it cannot parse. Whoever explains an error asks here,
//! so that matching SQLite's wording is done once and tested once.

use rusqlite::ErrorCode;
use rusqlite::ffi;

use crate::error::Kind;

/// SQLite's result code, if a rusqlite error is somewhere in the chain.
pub fn code(err: &anyhow::Error) -> Option<ErrorCode> {
    err.chain()
        .find_map(|c| c.downcast_ref::<rusqlite::Error>().and_then(code_of))
}

/// SQLite's result code of one rusqlite error.
pub fn code_of(err: &rusqlite::Error) -> Option<ErrorCode> {
    match err {
        rusqlite::Error::SqliteFailure(e, _) => Some(e.code),
        _ => None,
    }
}

/// The exit kind a result code gives on its own, if any: a lock is `Busy`,
/// a file that is not a (whole, readable) database is `Database`, Ctrl-C is
/// `Interrupted`.
pub fn kind_of_code(code: ErrorCode) -> Option<Kind> {
    match code {
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Some(Kind::Busy),
        ErrorCode::NotADatabase
        | ErrorCode::DatabaseCorrupt
        | ErrorCode::CannotOpen
        | ErrorCode::ReadOnly => Some(Kind::Database),
        ErrorCode::OperationInterrupted => Some(Kind::Interrupted),
        _ => None,
    }
}

/// The exit kind of a failed migration: a lock is `Busy`, a full disk or a
/// read-only file a plain failure, anything else a database that cannot be
/// migrated.
pub fn kind_of_migration(err: &rusqlite::Error) -> Kind {
    match code_of(err) {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Kind::Busy,
        Some(ErrorCode::DiskFull | ErrorCode::ReadOnly) => Kind::Failure,
        _ => Kind::Database,
    }
}

/// A read-only connection met a hot journal (an unfinished write) it cannot
/// roll back.
pub fn is_hot_journal(err: &rusqlite::Error) -> bool {
    extended(err) == Some(ffi::SQLITE_READONLY_ROLLBACK)
}

/// A read-only connection could not create the `-wal` file beside a WAL
/// database: its folder is read-only.
pub fn is_read_only_folder(err: &rusqlite::Error) -> bool {
    extended(err) == Some(ffi::SQLITE_READONLY_DIRECTORY)
}

fn extended(err: &rusqlite::Error) -> Option<std::ffi::c_int> {
    match err {
        rusqlite::Error::SqliteFailure(e, _) => Some(e.extended_code),
        _ => None,
    }
}

/// Whether SQLite's message says a table is missing (`no such table: X`).
pub fn is_no_such_table(err: &rusqlite::Error) -> bool {
    matches!(err, rusqlite::Error::SqliteFailure(_, Some(msg)) if msg.starts_with("no such table"))
}

/// The table of `main` that SQLite says is missing (`no such table:
/// main.X`, as it names a trigger's table), anywhere in the chain.
pub fn missing_main_table(err: &anyhow::Error) -> Option<String> {
    err.chain().find_map(|cause| {
        let text = cause.to_string();
        let (_, after) = text.split_once("no such table: main.")?;
        Some(after.split_whitespace().next().unwrap_or("").to_string())
    })
}

/// FTS5's word that its index is damaged, anywhere in the chain.
pub fn fts_damage(err: &anyhow::Error) -> Option<String> {
    err.chain()
        .map(|c| c.to_string())
        .find(|m| m.starts_with("fts5: corruption") || m.contains("malformed"))
}

/// FTS5's word that it cannot parse a full-text query (or SQLite's, for an
/// unterminated string in it), anywhere in the chain.
pub fn fts_syntax(err: &anyhow::Error) -> Option<String> {
    err.chain()
        .map(|c| c.to_string())
        .find(|m| m.starts_with("fts5:") || m.contains("unterminated string"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn failing(conn: &Connection, sql: &str) -> rusqlite::Error {
        conn.execute_batch(sql).expect_err(sql)
    }

    #[test]
    fn codes_are_found_anywhere_in_a_chain_and_give_their_exit_kind() {
        let conn = Connection::open_in_memory().unwrap();
        let err = failing(&conn, "SELECT * FROM nowhere");
        assert!(is_no_such_table(&err));
        let chained = anyhow::Error::new(err).context("outer");
        assert_eq!(code(&chained), Some(ErrorCode::Unknown));
        assert_eq!(kind_of_code(ErrorCode::DatabaseBusy), Some(Kind::Busy));
        assert_eq!(kind_of_code(ErrorCode::NotADatabase), Some(Kind::Database));
        assert_eq!(
            kind_of_code(ErrorCode::OperationInterrupted),
            Some(Kind::Interrupted)
        );
        assert_eq!(kind_of_code(ErrorCode::ConstraintViolation), None);
        assert_eq!(code(&anyhow::anyhow!("no SQLite here")), None);
    }

    #[test]
    fn a_missing_trigger_table_is_named_without_its_schema() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (x); CREATE TABLE notes (y);
             CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN INSERT INTO notes VALUES (new.x); END;
             DROP TABLE notes;",
        )
        .unwrap();
        let err = anyhow::Error::new(failing(&conn, "INSERT INTO t VALUES (1)"));
        assert_eq!(missing_main_table(&err).as_deref(), Some("notes"));
        let plain = anyhow::Error::new(failing(&conn, "SELECT * FROM other"));
        assert_eq!(missing_main_table(&plain), None);
    }

    #[test]
    fn fts5_says_in_words_when_a_query_does_not_parse() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE VIRTUAL TABLE f USING fts5(x); INSERT INTO f VALUES ('a b');")
            .unwrap();
        for query in ["\"unclosed", "a AND", "nocolumn: a"] {
            let err = conn
                .query_row("SELECT count(*) FROM f WHERE f MATCH ?1", [query], |r| {
                    r.get::<_, i64>(0)
                })
                .expect_err(query);
            let err = anyhow::Error::new(err);
            assert!(
                fts_syntax(&err).is_some() || query.contains(':'),
                "{query}: {err}"
            );
            assert_eq!(fts_damage(&err), None, "{query}");
        }
        let damaged = anyhow::anyhow!("fts5: corruption found reading blob 1 from table \"f\"");
        assert!(fts_damage(&damaged).is_some());
    }

    #[test]
    fn migration_failures_are_busy_a_plain_failure_or_the_database() {
        let busy = rusqlite::Error::SqliteFailure(
            ffi::Error::new(ffi::SQLITE_BUSY),
            Some("database is locked".into()),
        );
        assert_eq!(kind_of_migration(&busy), Kind::Busy);
        let full = rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_FULL), None);
        assert_eq!(kind_of_migration(&full), Kind::Failure);
        let other = rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_ERROR), None);
        assert_eq!(kind_of_migration(&other), Kind::Database);
        let rollback =
            rusqlite::Error::SqliteFailure(ffi::Error::new(ffi::SQLITE_READONLY_ROLLBACK), None);
        assert!(is_hot_journal(&rollback));
        assert!(!is_read_only_folder(&rollback));
    }
}
