//! The search half of the checks: `search_items` against the documents,
//! the FTS5 settings, and FTS5's own integrity-check.

use anyhow::Result;
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, OptionalExtension};

use super::{Cure, Problem, count};
use crate::db::{self, Schema};
use crate::store;

/// `search_items` against the rows `search_rows.sql` makes from every
/// document.
pub(super) fn search_rows(conn: &Connection) -> Result<Vec<Problem>> {
    let store::RowCounts {
        stale,
        missing,
        items,
        expected,
    } = store::search_index::compare_rows(conn)?;
    let fix = "`versus reindex` (or `versus check --repair`) rebuilds the search tables from the documents";
    let mut problems = Vec::new();
    if stale > 0 {
        problems.push(Problem::new(
            "table search_items",
            format!(
                "{} no text of the documents (stale, or left by a deleted document): searches find what is not there",
                count(stale as usize, "row matches", "rows match")
            ),
            fix,
            Cure::Repair,
        ));
    }
    if missing > 0 {
        problems.push(Problem::new(
            "table search_items",
            format!(
                "{} missing from it: searches do not find {}",
                count(
                    missing as usize,
                    "text of the documents is",
                    "texts of the documents are"
                ),
                if missing == 1 { "it" } else { "them" }
            ),
            fix,
            Cure::Repair,
        ));
    }
    if stale == 0 && missing == 0 && items != expected {
        problems.push(Problem::new(
            "table search_items",
            format!(
                "holds {} rows for {} texts of the documents (duplicates)",
                items, expected
            ),
            fix,
            Cure::Repair,
        ));
    }
    Ok(problems)
}

/// The FTS5 settings versus gives `search_index` (its hash size).
pub(super) fn search_config(conn: &Connection, schema: &Schema) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    for (key, value) in &schema.search_config {
        let stored: Option<Value> = conn
            .query_row(
                "SELECT v FROM search_index_config WHERE k = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?;
        if stored.as_ref() != Some(value) {
            let shown = |v: &Value| db::describe_value(ValueRef::from(v));
            problems.push(Problem::new(
                "virtual table search_index",
                format!(
                    "its setting {key} is {} where versus sets {} (large imports are slower)",
                    stored.as_ref().map_or("unset".to_string(), shown),
                    shown(value)
                ),
                "`versus check --repair` sets it again",
                Cure::Repair,
            ));
        }
    }
    Ok(problems)
}

/// FTS5's own check that `search_index` holds exactly the texts of
/// `search_items`, run inside a savepoint that is rolled back.
pub(super) fn fts_integrity(conn: &Connection, notes: &mut Vec<String>) -> Result<Vec<Problem>> {
    let result = conn
        .execute_batch("SAVEPOINT versus_fts_check")
        .and_then(|_| {
            let checked = conn.execute(
                "INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)",
                [],
            );
            conn.execute_batch("ROLLBACK TO versus_fts_check; RELEASE versus_fts_check")?;
            checked
        });
    match result {
        Ok(_) => Ok(Vec::new()),
        // FTS5 says the index and its rows differ as SQLITE_CORRUPT_VTAB.
        Err(rusqlite::Error::SqliteFailure(e, message))
            if e.code == rusqlite::ErrorCode::DatabaseCorrupt =>
        {
            Ok(vec![Problem::new(
                "virtual table search_index",
                format!(
                    "does not hold exactly the texts of search_items (FTS5's integrity-check says: {}): searches find stale texts or miss texts",
                    message.unwrap_or_else(|| e.to_string())
                ),
                "`versus reindex` (or `versus check --repair`) rebuilds it",
                Cure::Repair,
            )])
        }
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ReadOnly => {
            notes.push(
                "FTS5's integrity-check of search_index was skipped: SQLite runs it only on a file it may write (it changes nothing), and this one is read-only".to_string(),
            );
            Ok(Vec::new())
        }
        Err(e) => {
            notes.push(format!(
                "FTS5's integrity-check of search_index was skipped: it could not run ({e})"
            ));
            Ok(Vec::new())
        }
    }
}
