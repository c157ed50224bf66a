//! Whether a database is whole, and making it whole again from the
//! documents it holds: the engine of `versus check`, `versus check
//! --repair` and the quick check of `versus status`.
//!
//! Other tools write to the same file, and some of what they do leaves it
//! inconsistent without any error: a trigger dropped (`sqlite-utils
//! transform` rebuilds a table without its triggers), a document deleted
//! with foreign keys off before version 4's triggers, a search table dropped
//! or made again with other options. `check` looks for all of it, reading
//! only:
//!
//! - SQLite's `PRAGMA integrity_check` (pages, indexes, NOT NULL and CHECK
//!   constraints, FTS5's own index structure) and `PRAGMA foreign_key_check`;
//! - FTS5's `integrity-check` of `search_index` against `search_items`
//!   (SQLite runs it only as a write, though it changes nothing: it runs on a
//!   second connection inside a transaction that is rolled back, and is
//!   skipped with a note on a file versus may not write);
//! - `search_items` holds exactly the rows `search_rows.sql` makes from the
//!   documents;
//! - every table, index, view and trigger versus's migrations define is
//!   there with the SQL they define (compared with a new database migrated
//!   in memory), and the FTS5 settings too;
//! - no orphan rows: the foreign keys, figures no document compares, and
//!   `figure_name_parts` as the figures' names give them.
//!
//! Each problem is one line: where, what, how to fix it. Exit code 0 when
//! there is none, 8 ([`Kind::Unhealthy`]) otherwise.
//!
//! `--repair` rebuilds, in one transaction, everything that is derived from
//! the documents: the triggers, views and indexes as defined, a table another
//! tool rebuilt (its rows kept), the search tables from scratch, the name
//! parts; it deletes orphan rows and says how many. It first refuses, with
//! nothing changed, what it cannot derive: a damaged page (restore a copy or
//! use `sqlite3 DB .recover`), a table whose columns were renamed or
//! dropped, a value that breaks a constraint. It commits only if the
//! database then passes every check.

mod checks;
mod repair;
mod schema;
mod search;

use anyhow::Result;
use rusqlite::Connection;

use crate::db::{self, Location, Schema};
use crate::derive;
use crate::error::{Kind, fail};
use crate::kinds;
use crate::store::{NOTES_TABLE, quote};

use checks::{
    foreign_keys, integrity, name_parts, orphans, title_keys, unused_figures, wrong_kind,
};
use schema::{objects_in_file, schema_problems};
use search::{fts_integrity, search_config, search_rows};

pub use repair::{Refusal, confirm_whole, rebuild, refusal};

/// Who can fix a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cure {
    /// `versus check --repair` (it is derived from the documents, or an
    /// orphan to delete).
    Repair,
    /// The user, as the problem's fix says: a table's columns or a value
    /// another tool changed, which versus cannot derive.
    ByHand,
    /// Nobody inside the file: a damaged page. Restore a copy, or recover.
    Restore,
}

/// One thing that is not as it should be.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Where: `table paragraphs`, `trigger sections_cascade (on sections)`.
    pub place: String,
    /// What is wrong.
    pub what: String,
    /// How to fix it.
    pub fix: String,
    pub cure: Cure,
}

impl Problem {
    pub(crate) fn new(
        place: impl Into<String>,
        what: impl Into<String>,
        fix: impl Into<String>,
        cure: Cure,
    ) -> Problem {
        Problem {
            place: place.into(),
            what: what.into(),
            fix: fix.into(),
            cure,
        }
    }

    /// `where: what; fix`.
    pub fn line(&self) -> String {
        format!("{}: {}; {}", self.place, self.what, self.fix)
    }
}

/// The fix of a damaged page.
pub(super) const DAMAGED: &str = "a damaged page, which versus cannot rebuild: restore the file from a copy, or save what SQLite can read with the sqlite3 shell's `.recover`";

pub(super) const REPAIR: &str = "`versus check --repair` makes it again as versus defines it";

/// What the checks found, and what they could not look at.
#[derive(Debug, Default)]
pub struct Findings {
    pub problems: Vec<Problem>,
    /// Checks that could not run (said on stderr; not problems).
    pub notes: Vec<String>,
    /// What the titles give back, as the checks found it (`None` when it
    /// could not be read), so that the repair need not work it out again.
    pub derived: Option<derive::Plan>,
}

/// A database from a newer versus has objects this one does not know: its
/// check would be wrong.
pub fn refuse_newer(conn: &Connection, location: &Location) -> Result<()> {
    let version: i64 = conn.query_row(
        "SELECT max(version) FROM refinery_schema_history",
        [],
        |r| r.get(0),
    )?;
    if version > db::latest_version() {
        return Err(fail(
            Kind::Database,
            format!(
                "{} was made by a newer versus (schema version {version}, this versus knows up to {}); check it with that versus",
                location.display(),
                db::latest_version()
            ),
        ));
    }
    Ok(())
}

/// Every check. `fts` is a connection on which FTS5's integrity-check may
/// run (it is rolled back there); `None` skips it with a note.
pub fn find_problems(
    file: &str,
    conn: &Connection,
    schema: &Schema,
    fts: Option<&Connection>,
) -> Result<Findings> {
    let mut findings = Findings::default();
    let integrity = integrity(conn)?;
    let damaged = integrity.iter().any(|p| p.cure == Cure::Restore);
    findings.problems.extend(integrity);
    // On damaged pages the other checks would read garbage or fail.
    if damaged {
        return Ok(findings);
    }
    let found = objects_in_file(conn)?;
    findings
        .problems
        .extend(schema_problems(file, conn, schema, &found)?);
    let as_defined = |name: &str| {
        schema.get(name).is_some_and(|d| {
            found
                .get(name)
                .is_some_and(|f| f.kind == d.kind && f.sql.as_deref() == Some(d.sql.as_str()))
        })
    };
    // A table whose columns another tool changed makes the checks that read
    // it fail: that table's own line says what to do.
    let columns_changed = findings
        .problems
        .iter()
        .any(|p| p.cure == Cure::ByHand && p.place.starts_with("table "));
    let mut notes = Vec::new();
    let mut problems = Vec::new();
    // The checks below read the tables through their indexes (a search row
    // is matched to its document through documents_by_title_key, a section
    // through its document's index): through a damaged index they would
    // report rows that are not missing. They read instead, where the file
    // may be written, a copy of the indexes made again inside a savepoint
    // that is rolled back; elsewhere they wait for the repair.
    let index_damaged = findings.problems.iter().any(|p| p.place == DAMAGED_INDEX);
    let conn = if index_damaged {
        let skipped = |why: String| {
            format!(
                "the other checks (foreign keys, orphans, values, the search rows) were skipped: they read through the damaged index, and {why}; `versus check --repair` makes it again, then checks them"
            )
        };
        match fts.map(reindexed) {
            Some(Ok(())) => fts.expect("a connection that may write"),
            Some(Err(e))
                if crate::error::sqlite_code(&e)
                    == Some(rusqlite::ErrorCode::ConstraintViolation) =>
            {
                let reason = sqlite_reason(&e);
                // "UNIQUE constraint failed: documents.slug": the rows that
                // share a value, found without the index.
                let find = reason
                    .split_once("UNIQUE constraint failed: ")
                    .map(|(_, columns)| {
                        let columns: Vec<&str> = columns.split(", ").map(str::trim).collect();
                        let table = columns[0].split('.').next().unwrap_or_default();
                        let names: Vec<&str> = columns
                            .iter()
                            .filter_map(|c| c.split_once('.').map(|(_, n)| n))
                            .collect();
                        format!(
                            "`versus sql \"SELECT {0}, count(*) FROM {table} NOT INDEXED GROUP BY {0} HAVING count(*) > 1\"`",
                            names.join(", ")
                        )
                    })
                    .unwrap_or_else(|| "`versus sql`".to_string());
                findings.problems.push(Problem::new(
                    DAMAGED_INDEX,
                    format!(
                        "making the indexes again from their tables fails ({reason}): a table holds what its index does not allow, written while the index was damaged"
                    ),
                    format!(
                        "find the rows with {find} and correct or delete one of them with `versus sql --write`, then run `versus check --repair`"
                    ),
                    Cure::ByHand,
                ));
                return Ok(findings);
            }
            Some(Err(e))
                if crate::error::sqlite_code(&e) != Some(rusqlite::ErrorCode::ReadOnly) =>
            {
                findings.notes.push(skipped(format!(
                    "making it again for them failed ({})",
                    sqlite_reason(&e)
                )));
                return Ok(findings);
            }
            _ => {
                findings.notes.push(skipped(
                    "they may make it again only in a file versus may write".to_string(),
                ));
                return Ok(findings);
            }
        }
    } else {
        conn
    };
    let mut data = |what: &str, result: Result<Vec<Problem>>| match result {
        Ok(found) => problems.extend(found),
        Err(_) if columns_changed => {}
        Err(e) => problems.push(Problem::new(
            "the database",
            format!("could not check {what}: {}", sqlite_reason(&e)),
            "fix the problems above first (`versus check --repair`), then check again",
            Cure::Repair,
        )),
    };
    data("the foreign keys", foreign_keys(conn));
    // Kept for the repair, which gives back what it finds.
    let derived = match derive::plan(conn) {
        Ok(plan) => {
            data(
                "what the titles give back",
                Ok(plan
                    .underivable
                    .iter()
                    .map(|why| {
                        Problem::new(
                            "table figures",
                            why.clone(),
                            "restore the file from a copy, or give the figure its row again (`versus sql --write \"INSERT INTO figures (id, name, surname) VALUES (...)\"`) and its place in the document (`document_figures`), then run `versus check --repair`: it does not delete a cell or paragraph that still belongs to a document",
                            Cure::ByHand,
                        )
                    })
                    .collect()),
            );
            Some(plan)
        }
        Err(e) => {
            data("what the titles give back", Err(e));
            None
        }
    };
    data(
        "the kinds of values",
        kinds::wrong_kinds(conn).map(|wrong| wrong.iter().map(wrong_kind).collect()),
    );
    data("for unused figures", unused_figures(conn));
    if found.contains_key("documents") && found.contains_key(NOTES_TABLE) {
        data("the title keys", title_keys(conn));
    }
    data("the figures' name parts", name_parts(conn).map(|wrong| {
        if wrong.is_empty() {
            Vec::new()
        } else {
            vec![Problem::new(
                "table figure_name_parts",
                format!(
                    "{} other name parts than {} name gives (the words that name a figure alone), so `mentions` misses or mistakes {}",
                    match wrong.len() {
                        1 => "1 figure has".to_string(),
                        n => format!("{n} figures have"),
                    },
                    if wrong.len() == 1 { "its" } else { "their" },
                    if wrong.len() == 1 { "it" } else { "them" }
                ),
                "`versus check --repair` derives them again from the names",
                Cure::Repair,
            )]
        }
    }));
    if found.contains_key("search_items") {
        data("the search rows", search_rows(conn));
    }
    if as_defined("search_index") {
        data(
            "the full-text index's settings",
            search_config(conn, schema),
        );
        if found.contains_key("search_items") {
            match fts {
                Some(fts) => data("the full-text index", fts_integrity(fts, &mut notes)),
                None => notes.push(
                    "FTS5's integrity-check of search_index was skipped: it needs a connection that may write to the file (it changes nothing)".to_string(),
                ),
            }
        }
    }
    if index_damaged {
        conn.execute_batch("ROLLBACK TO versus_reindexed; RELEASE versus_reindexed")?;
    }
    findings.problems.extend(problems);
    findings.notes.extend(notes);
    findings.derived = derived;
    Ok(findings)
}

/// Where a damaged index is said to be.
pub(super) const DAMAGED_INDEX: &str = "an index";

/// Makes every index again inside the savepoint `versus_reindexed`, left
/// open for the checks to read through (the caller rolls it back). On an
/// error the savepoint is rolled back already.
fn reindexed(conn: &Connection) -> Result<()> {
    conn.execute_batch("SAVEPOINT versus_reindexed")?;
    if let Err(e) = conn.execute_batch("REINDEX") {
        let _ = conn.execute_batch("ROLLBACK TO versus_reindexed; RELEASE versus_reindexed");
        return Err(e.into());
    }
    Ok(())
}

/// An error's message without the SQL SQLite quotes after it.
pub(super) fn sqlite_reason(e: &anyhow::Error) -> String {
    let line = crate::error::one_line(e);
    match line
        .find(" in SELECT ")
        .or_else(|| line.find(" in INSERT "))
    {
        Some(cut) => line[..cut].to_string(),
        None => line,
    }
}

/// A name as the shell and SQL can take it: as it is when plain, else
/// quoted.
pub(super) fn ident(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain { name.to_string() } else { quote(name) }
}

/// A name with its count: `1 figure`, `3 figures`.
pub(super) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The references deletions by other tools break: a document deleted
/// without versus's triggers leaves rows of `document_figures` and
/// `sections` behind, a section its `paragraphs`, a figure its places and
/// name parts. (The orphans of `attributes` and `search_items` come with
/// those of `document_figures` and `sections`.) As (table, column, the
/// table whose `id` it holds); each column leads an index.
const QUICK_ORPHANS: &[(&str, &str, &str)] = &[
    ("document_figures", "document_id", "documents"),
    ("document_figures", "figure_id", "figures"),
    ("sections", "document_id", "documents"),
    ("unresolved_rows", "document_id", "documents"),
    ("paragraphs", "section_id", "sections"),
    ("figure_name_parts", "figure_id", "figures"),
];

/// The cheap part of the checks, for `versus status` (which runs on
/// databases of tens of thousands of documents): every table, index, view
/// and trigger there with its SQL, the foreign keys of [`QUICK_ORPHANS`],
/// looked up through their indexes (`PRAGMA foreign_key_check` of every
/// table reads every row and costs five times as much), and the values
/// versus cannot read back (one read of the document tables, about a tenth
/// of a second at 20,000 documents: a document that `show` and `export`
/// stop on is what one runs `status` to learn). Returns the problems found.
pub fn quick_problems(file: &str, conn: &Connection) -> Result<Vec<Problem>> {
    let schema = db::defined_schema()?;
    let found = objects_in_file(conn)?;
    let mut problems = schema_problems(file, conn, &schema, &found)?;
    let is_table = |name: &str| found.get(name).is_some_and(|f| f.kind == "table");
    for (table, column, parent) in QUICK_ORPHANS {
        if !(is_table(table) && is_table(parent)) {
            continue;
        }
        let n: i64 = conn.query_row(
            &format!(
                "SELECT count(*) FROM {table} WHERE {column} IN (
                     SELECT id FROM (SELECT DISTINCT {column} AS id FROM {table})
                     WHERE id NOT IN (SELECT id FROM {parent}))"
            ),
            [],
            |r| r.get(0),
        )?;
        if n > 0 {
            problems.push(orphans(table, parent, n));
        }
    }
    // Values versus cannot read back (a BLOB or text that is not UTF-8
    // where it keeps text, text where it keeps a number): `show` and
    // `export` of their document stop on them.
    problems.extend(kinds::wrong_kinds(conn)?.iter().map(wrong_kind));
    Ok(problems)
}
