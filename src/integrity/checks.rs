//! The data half of the checks: SQLite's integrity check, the foreign
//! keys, orphan rows, values of the wrong kind, title keys and name parts.

use anyhow::Result;
use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::{Cure, DAMAGED, DAMAGED_INDEX, Problem, count};
use crate::kinds;
use crate::store;

/// `PRAGMA integrity_check`, each message sorted by who can fix it.
pub(super) fn integrity(conn: &Connection) -> Result<Vec<Problem>> {
    let rows: rusqlite::Result<Vec<String>> = conn
        .prepare("PRAGMA integrity_check(100)")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect());
    let rows = match rows {
        Ok(rows) => rows,
        // So damaged that the check itself stops.
        Err(rusqlite::Error::SqliteFailure(e, message))
            if matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase
            ) =>
        {
            return Ok(vec![Problem::new(
                "the file",
                format!(
                    "PRAGMA integrity_check stops: {}",
                    message.unwrap_or_else(|| e.to_string())
                ),
                DAMAGED,
                Cure::Restore,
            )]);
        }
        Err(e) => return Err(anyhow::Error::new(e).context("could not run PRAGMA integrity_check")),
    };
    if rows == ["ok"] {
        return Ok(Vec::new());
    }
    // A row may hold several lines; the same message may come once per row.
    let mut messages: Vec<(String, usize)> = Vec::new();
    for line in rows.iter().flat_map(|r| r.lines()).map(str::trim) {
        if line.is_empty() || line.starts_with("*** in database") {
            continue;
        }
        match messages.iter_mut().find(|(m, _)| m == line) {
            Some((_, n)) => *n += 1,
            None => messages.push((line.to_string(), 1)),
        }
    }
    let problems: Vec<Problem> = messages
        .into_iter()
        .map(|(message, times)| {
            let index = message.contains(" missing from index ")
                || message.starts_with("wrong # of entries in index ")
                || message.starts_with("non-unique entry in index ")
                || message.starts_with("rowid not at end-of-record");
            let value = message.starts_with("NULL value in ")
                || message.starts_with("CHECK constraint failed in ")
                || message.starts_with("NUMERIC value in ")
                || message.starts_with("TEXT value in ")
                || (message.starts_with("non-") && message.contains(" value in "));
            // The search tables are derived: rebuilding them fixes their values.
            let fts = message.contains("inverted index for FTS5 table")
                || message.starts_with("fts5: corruption")
                || (value && message.contains("search_items"));
            // Which full-text table: damage of search_cjk's blocks names it.
            let table = if message.contains("search_cjk") {
                "virtual table search_cjk"
            } else {
                "virtual table search_index"
            };
            let what = match times {
                1 => format!("PRAGMA integrity_check says: {message}"),
                n => format!("PRAGMA integrity_check says: {message} ({n} times)"),
            };
            if index {
                Problem::new(
                    DAMAGED_INDEX,
                    what,
                    "`versus check --repair` rebuilds the indexes",
                    Cure::Repair,
                )
            } else if fts {
                Problem::new(
                    table,
                    what,
                    "`versus reindex` or `versus check --repair` rebuilds it",
                    Cure::Repair,
                )
            } else if value {
                Problem::new(
                    "a row",
                    what,
                    "another tool wrote a value the schema forbids: correct or delete that row with `versus sql --write`, or import its document again",
                    Cure::ByHand,
                )
            } else {
                Problem::new(
                    "the file",
                    what,
                    DAMAGED,
                    Cure::Restore,
                )
            }
        })
        .collect();
    // On a damaged page the other messages are its echoes (rows read from
    // garbage): the damage alone is said, in a few lines.
    let damaged: Vec<Problem> = problems
        .iter()
        .filter(|p| p.cure == Cure::Restore)
        .cloned()
        .collect();
    if damaged.is_empty() {
        return Ok(problems);
    }
    const SHOWN: usize = 3;
    let mut shown: Vec<Problem> = damaged.iter().take(SHOWN).cloned().collect();
    if damaged.len() > SHOWN {
        shown.push(Problem::new(
            "the file",
            format!(
                "PRAGMA integrity_check has {} like these",
                count(damaged.len() - SHOWN, "more message", "more messages")
            ),
            "see them all with `sqlite3 DB 'PRAGMA integrity_check'`",
            Cure::Restore,
        ));
    }
    Ok(shown)
}

/// `PRAGMA foreign_key_check`, one problem per table and parent.
pub(super) fn foreign_keys(conn: &Connection) -> Result<Vec<Problem>> {
    let mut stmt = conn.prepare(
        "SELECT \"table\", parent, count(*) FROM pragma_foreign_key_check GROUP BY 1, 2 ORDER BY 1, 2",
    )?;
    let rows: Vec<(String, String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows
        .into_iter()
        .map(|(table, parent, n)| orphans(&table, &parent, n))
        .collect())
}

/// A column holding values versus cannot read back.
pub(super) fn wrong_kind(w: &kinds::WrongKind) -> Problem {
    Problem::new(
        format!("table {}", w.table),
        format!(
            "{} in the column {} that versus cannot read, where it keeps {} (another tool wrote {}): the row where {} has {}; `show` and `export` of {} document stop on it",
            if w.rows == 1 {
                "1 row has a value".to_string()
            } else {
                format!("{} rows have values", w.rows)
            },
            w.column,
            w.wanted,
            if w.rows == 1 { "it" } else { "them" },
            w.first_row,
            w.first_value,
            if w.rows == 1 { "its" } else { "their" },
        ),
        format!(
            "import the document again, which replaces it, or fix the value: `versus sql --write \"UPDATE {} SET {} = ... WHERE {}\"`",
            w.table, w.column, w.first_row
        ),
        Cure::ByHand,
    )
}

/// `n` rows of `table` that belong to a row of `parent` that is gone.
pub(super) fn orphans(table: &str, parent: &str, n: i64) -> Problem {
    let fix = match (table, parent) {
        ("paragraphs", "figures") => {
            "`versus check --repair` makes the figure again from its documents' titles, or else sets their figure to NULL (about no figure)"
        }
        ("document_figures", "figures") | ("attributes", "document_figures") => {
            "`versus check --repair` makes the figure and its place in the document again from the document's title (the rows of a deleted document it deletes)"
        }
        _ => "`versus check --repair` deletes them",
    };
    Problem::new(
        format!("table {table}"),
        format!(
            "{} to a row of {parent} that does not exist (orphans: left by a deletion made without versus's triggers)",
            if n == 1 {
                "1 row belongs".to_string()
            } else {
                format!("{n} rows belong")
            }
        ),
        fix,
        Cure::Repair,
    )
}

/// Titles that stop an import: two documents with one title to versus
/// (which only another tool can have stored: the import refuses to key
/// them), and keys that are out of date without being noted for the next
/// import (a title changed while a trigger that notes titles was missing).
pub(super) fn title_keys(conn: &Connection) -> Result<Vec<Problem>> {
    let titles = store::stored_titles(conn, store::TitleScope::All)?;
    let mut problems: Vec<Problem> = store::same_titles(conn, store::TitleScope::All, &titles)?
        .into_iter()
        .map(|same| {
            let (first, second) = &same.slugs;
            Problem::new(
                format!("documents {first} and {second}"),
                format!(
                    "have the same title to versus (\"{}\", ignoring case and spacing), which another tool must have written: no import and no `versus init` can run until one is deleted",
                    same.title
                ),
                format!(
                    "delete one, e.g. with `versus sql --write \"DELETE FROM documents WHERE slug = '{}'\"`",
                    second.replace('\'', "''")
                ),
                Cure::ByHand,
            )
        })
        .collect();
    let stale = titles.iter().filter(|t| t.is_stale() && !t.noted).count();
    if stale > 0 {
        problems.push(Problem::new(
            "table documents",
            format!(
                "{} out of date and not noted for the next import (a title changed while a trigger that notes titles was missing), so an import may not find {} by {} title",
                count(stale, "title key is", "title keys are"),
                if stale == 1 { "that document" } else { "those documents" },
                if stale == 1 { "its" } else { "their" },
            ),
            "`versus check --repair` notes every document, and the next import puts their keys right",
            Cure::Repair,
        ));
    }
    Ok(problems)
}

/// Figures no document compares: the import removes them when it replaces
/// the last document that compared one, and so does a deletion since
/// version 4.
pub(super) fn unused_figures(conn: &Connection) -> Result<Vec<Problem>> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM figures WHERE NOT EXISTS (SELECT 1 FROM document_figures AS df WHERE df.figure_id = figures.id)",
        [],
        |r| r.get(0),
    )?;
    if n == 0 {
        return Ok(Vec::new());
    }
    Ok(vec![Problem::new(
        "table figures",
        format!(
            "{} compared by no document (orphans: left by a deletion made without versus's triggers)",
            if n == 1 {
                "1 figure is".to_string()
            } else {
                format!("{n} figures are")
            }
        ),
        "`versus check --repair` deletes them",
        Cure::Repair,
    )])
}

/// The figures whose stored name parts are not the ones their names give,
/// as `(id, name)`.
pub(super) fn name_parts(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare(
        "SELECT f.id, f.name, p.part FROM figures AS f
         LEFT JOIN figure_name_parts AS p ON p.figure_id = f.id
         ORDER BY f.id, p.position",
    )?;
    let mut rows = stmt.query([])?;
    let mut wrong = Vec::new();
    let mut current: Option<(i64, String, Vec<String>)> = None;
    let mut finish = |figure: Option<(i64, String, Vec<String>)>| {
        if let Some((id, name, parts)) = figure
            && !crate::document::name_parts(&name).eq(parts.iter().map(String::as_str))
        {
            wrong.push((id, name));
        }
    };
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if current.as_ref().map(|c| c.0) != Some(id) {
            finish(current.take());
            current = Some((id, crate::sql_text::lossy_text(row.get_ref(1)?), Vec::new()));
        }
        let part = row.get_ref(2)?;
        if let (Some(c), false) = (current.as_mut(), part == ValueRef::Null) {
            c.2.push(crate::sql_text::lossy_text(part));
        }
    }
    finish(current.take());
    Ok(wrong)
}
