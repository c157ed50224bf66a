//! `versus check --repair`: rebuilding, inside the caller's transaction,
//! everything derived from the documents.

use anyhow::{Context as _, Result};
use rusqlite::Connection;

use super::schema::{is_search_table, objects_in_file};
use super::{Cure, DAMAGED_INDEX, Findings, Problem, checks::name_parts, count, find_problems};
use crate::db::{Defined, Schema};
use crate::derive;
use crate::error::{Kind, fail};
use crate::store::{self, NOTES_TABLE, quote};

/// What `--repair` refuses, with nothing changed: a line for each problem
/// it cannot derive from the documents, and the error that ends it.
pub struct Refusal {
    pub lines: Vec<String>,
    pub error: anyhow::Error,
}

/// The refusal of a repair of `db` when any of `problems` is not versus's
/// to cure; `db_flag` is the ` --db PATH` its advice repeats.
pub fn refusal(db: &str, problems: &[Problem], db_flag: &str) -> Option<Refusal> {
    let refused: Vec<&Problem> = problems.iter().filter(|p| p.cure != Cure::Repair).collect();
    if refused.is_empty() {
        return None;
    }
    let lines = refused
        .iter()
        .map(|p| format!("cannot repair: {}", p.line()))
        .collect();
    let restore = refused.iter().any(|p| p.cure == Cure::Restore);
    let error = fail(
        Kind::Unhealthy,
        if restore {
            format!(
                "{db} is damaged: SQLite finds pages it cannot read, and versus can rebuild only what it derives from readable documents; nothing was changed; restore the file from a copy, or save what SQLite can still read with `sqlite3 {db} .recover | sqlite3 recovered.db` and check that file"
            )
        } else {
            format!(
                "{db} has {} that versus cannot derive from the documents (listed above); nothing was changed; fix {} as the line says, then run `versus check --repair{}` again",
                count(refused.len(), "problem", "problems"),
                if refused.len() == 1 { "it" } else { "them" },
                db_flag
            )
        },
    );
    Some(Refusal { lines, error })
}

/// Checks again after [`rebuild`]: a problem left is a bug in versus, and
/// the caller's transaction must not commit.
pub fn confirm_whole(db: &str, conn: &Connection, schema: &Schema) -> Result<()> {
    let after = find_problems(db, conn, schema, Some(conn))?;
    if let Some(left) = after.problems.first() {
        return Err(fail(
            Kind::Failure,
            format!(
                "the repair of {db} did not make it whole ({}{}); nothing was changed; this is a bug in versus, please report it with that line",
                left.line(),
                match after.problems.len() {
                    1 => String::new(),
                    n => format!(", and {} more", n - 1),
                }
            ),
        ));
    }
    Ok(())
}

/// Makes the database whole from what the checks found, inside the
/// caller's transaction, with foreign keys off. Returns a line for each
/// thing done.
pub fn rebuild(conn: &Connection, schema: &Schema, findings: &Findings) -> Result<Vec<String>> {
    let problems = &findings.problems;
    let mut lines = Vec::new();
    // 0. Indexes out of step with their tables are made again first: what
    //    follows finds orphans and gives figures back through them (a
    //    damaged index of document_figures would make every figure look
    //    unused).
    if problems.iter().any(|p| p.place == DAMAGED_INDEX) {
        conn.execute_batch("REINDEX")
            .context("could not rebuild the indexes")?;
        lines.push("rebuilt every index (REINDEX)".to_string());
    }
    let found = objects_in_file(conn)?;
    // 1. Views and triggers go first: they are made again at the end, and
    //    none may fire while tables are rebuilt and orphans deleted.
    for d in schema.of_kind("view").chain(schema.of_kind("trigger")) {
        if found.get(&d.name).is_some_and(|f| f.kind == d.kind) {
            store::drop_object(conn, &d.name)?;
        }
    }
    // 2. The document tables: missing ones made, changed ones rebuilt.
    let before_tables = lines.len();
    for d in schema
        .of_kind("table")
        .filter(|d| !is_search_table(&d.name))
    {
        match found.get(&d.name) {
            None => {
                conn.execute_batch(&d.sql)
                    .with_context(|| format!("could not make the table {} again", d.name))?;
                lines.push(format!("made the missing table {} again", d.name));
            }
            Some(f) if d.name == NOTES_TABLE && f.sql.as_deref() != Some(d.sql.as_str()) => {
                store::drop_object(conn, &d.name)?;
                conn.execute_batch(&d.sql)
                    .with_context(|| format!("could not make the table {} again", d.name))?;
                lines.push(format!(
                    "made the table {} again as versus defines it",
                    d.name
                ));
            }
            Some(f) if f.sql.as_deref() != Some(d.sql.as_str()) => {
                let kept = rebuild_table(conn, schema, d, &mut lines)?;
                lines.push(format!(
                    "rebuilt the table {} as versus defines it, keeping its {}",
                    d.name,
                    count(kept, "row", "rows")
                ));
            }
            Some(_) => {}
        }
    }
    // 3. What the titles give back (a figure's row, its place in a
    //    document), so that no cell or paragraph of a document is an
    //    orphan; then the orphans of deleted documents and sections,
    //    children before parents.
    //    What the checks found is read again only when a table was made or
    //    rebuilt here (its values may read otherwise now).
    let read_again;
    let derived = match &findings.derived {
        Some(plan) if lines.len() == before_tables => plan,
        _ => {
            read_again = derive::plan(conn)?;
            &read_again
        }
    };
    lines.extend(derive::restore(conn, derived)?);
    let mut removed = Vec::new();
    for (table, sql) in ORPHANS {
        let n = conn
            .execute(sql, [])
            .with_context(|| format!("could not delete the orphan rows of {table}"))?;
        if n > 0 {
            removed.push((n, *table));
        }
    }
    if !removed.is_empty() {
        let total: usize = removed.iter().map(|(n, _)| n).sum();
        let each: Vec<String> = removed.iter().map(|(n, t)| format!("{n} of {t}")).collect();
        lines.push(format!(
            "deleted {}: {}",
            count(total, "orphan row", "orphan rows"),
            each.join(", ")
        ));
    }
    let cleared = conn.execute(
        "UPDATE paragraphs SET figure_id = NULL
         WHERE figure_id IS NOT NULL AND figure_id NOT IN (SELECT id FROM figures)",
        [],
    )?;
    if cleared > 0 {
        lines.push(format!(
            "set the figure of {} to NULL: their figure did not exist",
            count(cleared, "paragraph", "paragraphs")
        ));
    }
    // 4. Name parts, derived from the figures' names.
    let wrong = name_parts(conn)?;
    for (id, name) in &wrong {
        conn.execute("DELETE FROM figure_name_parts WHERE figure_id = ?1", [id])?;
        for (position, part) in crate::document::name_parts(name).enumerate() {
            conn.execute(
                "INSERT INTO figure_name_parts (figure_id, position, part) VALUES (?1, ?2, ?3)",
                rusqlite::params![id, position as i64 + 1, part],
            )?;
        }
    }
    if !wrong.is_empty() {
        lines.push(format!(
            "derived the name parts of {} again",
            count(wrong.len(), "figure", "figures")
        ));
    }
    // 5. Indexes of the document tables as defined (the search tables'
    //    come with them below).
    let found = objects_in_file(conn)?;
    for d in schema
        .of_kind("index")
        .filter(|d| !is_search_table(&d.table))
    {
        let same = found
            .get(&d.name)
            .is_some_and(|f| f.kind == "index" && f.sql.as_deref() == Some(d.sql.as_str()));
        if !same {
            store::drop_object(conn, &d.name)?;
            conn.execute_batch(&d.sql)
                .with_context(|| format!("could not make the index {} again", d.name))?;
            lines.push(format!("made the index {} again", d.name));
        }
    }
    // 6. The search tables, from scratch.
    let texts = store::rebuild_search(conn, schema)?;
    lines.push(format!(
        "rebuilt the search tables: {}",
        count(texts, "text", "texts")
    ));
    // 7. Views and the other triggers.
    let found = objects_in_file(conn)?;
    let mut made = 0;
    for d in schema.of_kind("view").chain(schema.of_kind("trigger")) {
        if !found.contains_key(&d.name) {
            conn.execute_batch(&d.sql)
                .with_context(|| format!("could not make the {} {} again", d.kind, d.name))?;
            made += 1;
        }
    }
    lines.push(format!(
        "made {} again as versus defines them",
        count(made, "view or trigger", "views and triggers")
    ));
    // 8. Every title noted for the next import to key: while a trigger that
    //    notes titles was missing, another tool may have changed one.
    let noted = conn
        .execute(
            "INSERT OR IGNORE INTO titles_to_key (document_id) SELECT id FROM documents",
            [],
        )
        .context("could not note the titles for the next import to key")?;
    if noted > 0 {
        lines.push(format!(
            "noted {} for the next import to key again",
            count(noted, "title", "titles")
        ));
    }
    Ok(lines)
}

/// Orphan rows, deleted in this order (children first, foreign keys off).
const ORPHANS: &[(&str, &str)] = &[
    (
        "document_figures",
        "DELETE FROM document_figures
         WHERE document_id NOT IN (SELECT id FROM documents) OR figure_id NOT IN (SELECT id FROM figures)",
    ),
    (
        "attributes",
        "DELETE FROM attributes WHERE document_id NOT IN (SELECT id FROM documents)",
    ),
    (
        "sections",
        "DELETE FROM sections WHERE document_id NOT IN (SELECT id FROM documents)",
    ),
    (
        "unresolved_rows",
        "DELETE FROM unresolved_rows WHERE document_id NOT IN (SELECT id FROM documents)",
    ),
    (
        "paragraphs",
        "DELETE FROM paragraphs WHERE section_id NOT IN (SELECT id FROM sections)",
    ),
    (
        "figures",
        "DELETE FROM figures WHERE NOT EXISTS (SELECT 1 FROM document_figures AS df WHERE df.figure_id = figures.id)",
    ),
    (
        "figure_name_parts",
        "DELETE FROM figure_name_parts WHERE figure_id NOT IN (SELECT id FROM figures)",
    ),
];

/// Rebuilds a table another tool rebuilt (same columns, other SQL) as
/// versus defines it, keeping its rows and the indexes and triggers someone
/// else added to it. Returns how many rows it kept.
fn rebuild_table(
    conn: &Connection,
    schema: &Schema,
    d: &Defined,
    lines: &mut Vec<String>,
) -> Result<usize> {
    let name = quote(&d.name);
    let columns = d
        .columns
        .iter()
        .map(|c| quote(c))
        .collect::<Vec<_>>()
        .join(", ");
    let theirs: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT type, name, sql FROM sqlite_master
             WHERE tbl_name = ?1 AND type IN ('index', 'trigger') AND sql IS NOT NULL",
        )?
        .query_map([&d.name], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|(_, n, _)| schema.get(n).is_none())
        .collect();
    conn.execute_batch(&format!(
        "DROP TABLE IF EXISTS temp.versus_rebuild;
         CREATE TEMP TABLE versus_rebuild AS SELECT {columns} FROM main.{name};
         DROP TABLE main.{name};"
    ))
    .with_context(|| format!("could not set the rows of {} aside", d.name))?;
    conn.execute_batch(&d.sql)
        .with_context(|| format!("could not make the table {} again", d.name))?;
    let kept = conn
        .execute(
            &format!(
                "INSERT INTO main.{name} ({columns}) SELECT {columns} FROM temp.versus_rebuild"
            ),
            [],
        )
        .with_context(|| {
            format!(
                "could not put the rows of {} back into it as versus defines it",
                d.name
            )
        })?;
    conn.execute_batch("DROP TABLE temp.versus_rebuild")?;
    for (kind, object, sql) in theirs {
        if let Err(e) = conn.execute_batch(&sql) {
            lines.push(format!(
                "could not make your {kind} {object} on {} again ({e}); its SQL was: {sql}",
                d.name
            ));
        }
    }
    Ok(kept)
}
