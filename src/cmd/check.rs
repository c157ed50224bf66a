//! `versus check`: is this database whole? And `versus check --repair`:
//! make it whole again from the documents it holds.
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

use std::collections::HashMap;

use anyhow::{Context as _, Result};
use rusqlite::types::{Value, ValueRef};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use crate::context::Context;
use crate::db::{self, Database, Defined, Location, Schema};
use crate::derive;
use crate::error::{Kind, fail};
use crate::format::Format;
use crate::kinds;
use crate::output::{self, Output};
use crate::resolutions;
use crate::store::{self, NOTES_TABLE, quote};

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
    fn new(
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
const DAMAGED: &str = "a damaged page, which versus cannot rebuild: restore the file from a copy, or save what SQLite can read with the sqlite3 shell's `.recover`";

const REPAIR: &str = "`versus check --repair` makes it again as versus defines it";

/// What the checks found, and what they could not look at.
#[derive(Debug, Default)]
pub struct Findings {
    pub problems: Vec<Problem>,
    /// Checks that could not run (said on stderr; not problems).
    pub notes: Vec<String>,
}

pub fn run(ctx: &Context, repair: bool, format: Format, out: &mut Output) -> Result<()> {
    if repair {
        return run_repair(&ctx.database, out);
    }
    let conn = ctx.database.open_read_only()?;
    refuse_newer(&conn, ctx.location())?;
    let schema = db::defined_schema()?;
    // FTS5's integrity-check is an INSERT: it runs on a connection that may
    // write, in a transaction that is rolled back.
    let trial = ctx.database.open_for_trial_write().ok();
    let findings = find_problems(&ctx.location().display(), &conn, &schema, trial.as_ref())?;
    for note in &findings.notes {
        output::notice(note);
    }
    let problems = &findings.problems;
    // Rows kept as written need a person's decision, which is not damage:
    // they are listed after the problems and never make the exit code. (A
    // table `unresolved_rows` versus cannot read is a problem listed above.)
    let decisions: Vec<Problem> = resolutions::pending(&conn, None)
        .unwrap_or_default()
        .iter()
        .map(|row| decision(row, ctx.location()))
        .collect();
    if matches!(format, Format::Table | Format::Text) {
        let mut lines: Vec<String> = if problems.is_empty() {
            vec![format!(
                "{} is whole: integrity, foreign keys, the full-text index and its rows, the {} tables, indexes, views and triggers versus defines, no orphan rows",
                ctx.location().display(),
                schema.objects.len()
            )]
        } else {
            problems.iter().map(Problem::line).collect()
        };
        if !decisions.is_empty() {
            lines.push(format!(
                "{} table row{} need{} a decision (not damage): `versus resolve{}` walks them",
                decisions.len(),
                if decisions.len() == 1 { "" } else { "s" },
                if decisions.len() == 1 { "s" } else { "" },
                db_flag(ctx.location())
            ));
            lines.extend(decisions.iter().map(Problem::line));
        }
        out.lines(&lines)?;
    } else {
        let columns = ["where", "problem", "fix"].map(String::from);
        let rows: Vec<Vec<Value>> = problems
            .iter()
            .chain(&decisions)
            .map(|p| {
                vec![
                    Value::Text(p.place.clone()),
                    Value::Text(p.what.clone()),
                    Value::Text(p.fix.clone()),
                ]
            })
            .collect();
        out.rows(&columns, &rows)?;
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(fail(Kind::Unhealthy, verdict(ctx.location(), problems)))
}

/// A row kept as written, as `check` lists it: not damage, a decision
/// (its cure is the person's, as [`Cure::ByHand`] says).
fn decision(row: &resolutions::Pending, location: &Location) -> Problem {
    let at = match row.line {
        Some(line) => format!("--line {line}"),
        None => format!("--row {}", row.position),
    };
    Problem::new(
        format!("document {}", row.place()),
        format!(
            "the table row {} is kept as written, unresolved: it needs a decision, which is not damage",
            crate::document::excerpt(&row.text)
        ),
        format!(
            "`versus resolve{} {} {at}` shows its readings to pick from, or takes the cells with --cells \"{}\"",
            db_flag(location),
            row.document,
            std::iter::once("Attribute")
                .chain(row.figures.iter().map(|_| "value"))
                .collect::<Vec<_>>()
                .join(" | ")
        ),
        Cure::ByHand,
    )
}

/// The one line on stderr after the problems: how many, and what to do.
fn verdict(location: &Location, problems: &[Problem]) -> String {
    let db = location.display();
    let count = match problems.len() {
        1 => "1 problem".to_string(),
        n => format!("{n} problems"),
    };
    if problems.iter().any(|p| p.cure == Cure::Restore) {
        return format!(
            "{db} is damaged ({count}, listed above): SQLite finds pages it cannot read, which versus cannot rebuild; restore the file from a copy, or save what SQLite can still read with `sqlite3 {db} .recover | sqlite3 recovered.db` and check that file"
        );
    }
    let repair = format!("versus check --repair{}", db_flag(location));
    if problems.iter().any(|p| p.cure == Cure::ByHand) {
        return format!(
            "{db} is not whole ({count}, listed above); fix by hand the ones whose line says how, then run `{repair}` for the rest"
        );
    }
    let them = if problems.len() == 1 {
        "it"
    } else {
        "them all"
    };
    format!("{db} is not whole ({count}, listed above); `{repair}` fixes {them}")
}

/// ` --db PATH` when the user named the database, for advice to copy.
fn db_flag(location: &Location) -> String {
    if location.explicit {
        format!(" --db {}", location.display())
    } else {
        String::new()
    }
}

/// A database from a newer versus has objects this one does not know: its
/// check would be wrong.
fn refuse_newer(conn: &Connection, location: &Location) -> Result<()> {
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
    data(
        "what the titles give back",
        derive::plan(conn).map(|plan| {
            plan.underivable
                .into_iter()
                .map(|why| {
                    Problem::new(
                        "table figures",
                        why,
                        "restore the file from a copy, or give the figure its row again (`versus sql --write \"INSERT INTO figures (id, name, surname) VALUES (...)\"`) and its place in the document (`document_figures`), then run `versus check --repair`: it does not delete a cell or paragraph that still belongs to a document",
                        Cure::ByHand,
                    )
                })
                .collect()
        }),
    );
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
    Ok(findings)
}

/// Where a damaged index is said to be.
const DAMAGED_INDEX: &str = "an index";

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
fn sqlite_reason(e: &anyhow::Error) -> String {
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
fn ident(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain { name.to_string() } else { quote(name) }
}

/// A name with its count: `1 figure`, `3 figures`.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `PRAGMA integrity_check`, each message sorted by who can fix it.
fn integrity(conn: &Connection) -> Result<Vec<Problem>> {
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

/// An object of the file's schema.
struct Found {
    kind: String,
    sql: Option<String>,
}

fn objects_in_file(conn: &Connection) -> Result<HashMap<String, Found>> {
    let mut found = HashMap::new();
    let mut stmt = conn.prepare("SELECT type, name, sql FROM sqlite_master")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        found.insert(
            row.get::<_, String>(1)?,
            Found {
                kind: row.get(0)?,
                sql: row.get(2)?,
            },
        );
    }
    Ok(found)
}

/// How a problem names an object: `table paragraphs`, `trigger
/// sections_cascade (on sections)`.
fn place(d: &Defined) -> String {
    match d.kind.as_str() {
        "table" if d.sql.starts_with("CREATE VIRTUAL TABLE") => format!("virtual table {}", d.name),
        "index" | "trigger" => format!("{} {} (on {})", d.kind, d.name, d.table),
        _ => format!("{} {}", d.kind, d.name),
    }
}

/// What a missing or changed object costs, for the problem's line.
fn consequence(d: &Defined) -> String {
    match d.kind.as_str() {
        "trigger" if store::SEARCH_TRIGGERS.contains(&d.name.as_str()) => {
            format!("changes to {} no longer reach the search index", d.table)
        }
        "trigger" if store::TITLE_TRIGGERS.contains(&d.name.as_str()) => format!(
            "a title another tool writes to {} is not noted, so versus may not find that document by its title",
            d.table
        ),
        "trigger" if d.name.ends_with("_cascade") => format!(
            "deleting from {} with foreign keys off (the sqlite3 shell, Python) leaves its rows behind",
            d.table
        ),
        "trigger" => format!("other tools' writes to {} are not kept consistent", d.table),
        "view" => "tools and queries that read it fail".to_string(),
        "index" => "lookups and constraints that use it are slow or unchecked".to_string(),
        _ if is_search_table(&d.name) => "searches fail or miss texts".to_string(),
        _ if d.name == NOTES_TABLE => {
            "every write to documents fails: the triggers that note titles write into it"
                .to_string()
        }
        _ => "versus cannot use the documents' rows in it".to_string(),
    }
}

/// The search tables, which are derived entirely from the documents.
fn is_search_table(name: &str) -> bool {
    name == "search_items" || store::SEARCH_INDEXES.contains(&name)
}

/// The tables derived entirely from the others: the search tables, the
/// figures' name parts, and the notes of titles to key.
fn is_derived_table(name: &str) -> bool {
    is_search_table(name) || name == "figure_name_parts" || name == NOTES_TABLE
}

/// Each defined object missing, of another kind, or with other SQL.
fn schema_problems(
    file: &str,
    conn: &Connection,
    schema: &Schema,
    found: &HashMap<String, Found>,
) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    for d in &schema.objects {
        let place = place(d);
        let Some(f) = found.get(&d.name) else {
            // A table of documents holds what nothing else derives: made
            // again empty, the rows that belonged to its rows would be
            // deleted as orphans. The name parts are derived from the names.
            let problem = if d.kind == "table" && !is_derived_table(&d.name) {
                Problem::new(
                    place,
                    format!("is missing: {}, and its rows are gone", consequence(d)),
                    "restore the file from a copy (versus does not make a table of the documents again empty: the rows that belong to its rows would be orphans)",
                    Cure::ByHand,
                )
            } else {
                Problem::new(
                    place,
                    format!("is missing: {}", consequence(d)),
                    REPAIR,
                    Cure::Repair,
                )
            };
            problems.push(problem);
            continue;
        };
        if f.kind != d.kind {
            // Anything else of that name may be someone's data, unless it
            // stands where a search table belongs (those are derived).
            let cure = if is_search_table(&d.name) {
                Cure::Repair
            } else {
                Cure::ByHand
            };
            let fix = if cure == Cure::Repair {
                REPAIR.to_string()
            } else {
                format!(
                    "rename that {} (it is not versus's) or drop it, then run `versus check --repair`",
                    f.kind
                )
            };
            problems.push(Problem::new(
                place,
                format!(
                    "is a {} in this file, where versus defines a {}",
                    f.kind, d.kind
                ),
                fix,
                cure,
            ));
            continue;
        }
        if f.sql.as_deref() == Some(d.sql.as_str()) {
            continue;
        }
        // The notes of titles to key are made again whatever their shape:
        // repair notes every document anew.
        if d.kind == "table" && !is_search_table(&d.name) && d.name != NOTES_TABLE {
            let columns = db::table_columns(conn, &d.name)?;
            // By name, so the advice reads the same whatever order the
            // migrations made the views in.
            let mut views: Vec<&str> = schema.of_kind("view").map(|v| v.name.as_str()).collect();
            views.sort_unstable();
            if let Some(problem) = changed_columns(file, &views, d, &columns) {
                problems.push(problem);
                continue;
            }
            problems.push(Problem::new(
                place,
                "differs from versus's definition (another tool rebuilt it, as `sqlite-utils transform` does, which may change its constraints and drops its triggers)",
                "`versus check --repair` rebuilds it as versus defines it, keeping its rows",
                Cure::Repair,
            ));
            continue;
        }
        problems.push(Problem::new(
            place,
            format!(
                "differs from versus's definition (changed or made again by another tool): {}",
                consequence(d)
            ),
            REPAIR,
            Cure::Repair,
        ));
    }
    Ok(problems)
}

/// A table whose columns are not the defined ones (renamed, dropped or
/// added by another tool): its rows cannot be rebuilt without guessing.
fn changed_columns(file: &str, views: &[&str], d: &Defined, columns: &[String]) -> Option<Problem> {
    let missing: Vec<&String> = d.columns.iter().filter(|c| !columns.contains(c)).collect();
    let extra: Vec<&String> = columns.iter().filter(|c| !d.columns.contains(c)).collect();
    if missing.is_empty() && extra.is_empty() {
        return None;
    }
    let list = |names: &[&String]| {
        names
            .iter()
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut what = Vec::new();
    if !missing.is_empty() {
        what.push(format!(
            "lacks the column{} {}",
            if missing.len() == 1 { "" } else { "s" },
            list(&missing)
        ));
    }
    if !extra.is_empty() {
        what.push(format!(
            "has the column{} {} that versus does not define",
            if extra.len() == 1 { "" } else { "s" },
            list(&extra)
        ));
    }
    let fix = match (missing.as_slice(), extra.as_slice()) {
        ([old], [new]) => format!(
            "if {new} is {old} renamed, rename it back: `sqlite-utils transform {file} {table} --rename {new} {old}`, or in the sqlite3 shell `{drop_views}ALTER TABLE {table} RENAME COLUMN {new} TO {old};` (SQLite refuses the rename while a view reads the column); then run `versus check --repair`, which makes the views again",
            table = ident(&d.name),
            new = ident(new),
            old = ident(old),
            drop_views = views
                .iter()
                .map(|v| format!("DROP VIEW IF EXISTS {}; ", ident(v)))
                .collect::<String>(),
        ),
        (_, []) => "its rows cannot be rebuilt without those columns: restore the file from a copy"
            .to_string(),
        _ => format!(
            "give it versus's columns back ({}) or restore the file from a copy, then run `versus check --repair`",
            d.columns.join(", ")
        ),
    };
    Some(Problem::new(
        format!("table {}", d.name),
        format!(
            "{} (changed by another tool); versus cannot read its rows",
            what.join(" and ")
        ),
        fix,
        Cure::ByHand,
    ))
}

/// `PRAGMA foreign_key_check`, one problem per table and parent.
fn foreign_keys(conn: &Connection) -> Result<Vec<Problem>> {
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
fn wrong_kind(w: &kinds::WrongKind) -> Problem {
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
fn orphans(table: &str, parent: &str, n: i64) -> Problem {
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
fn title_keys(conn: &Connection) -> Result<Vec<Problem>> {
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
fn unused_figures(conn: &Connection) -> Result<Vec<Problem>> {
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
fn name_parts(conn: &Connection) -> Result<Vec<(i64, String)>> {
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
            current = Some((id, lossy(row.get_ref(1)?), Vec::new()));
        }
        let part = row.get_ref(2)?;
        if let (Some(c), false) = (current.as_mut(), part == ValueRef::Null) {
            c.2.push(lossy(part));
        }
    }
    finish(current.take());
    Ok(wrong)
}

/// A stored value as text, as SQLite's CAST reads it.
fn lossy(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
    }
}

/// `search_items` against the rows `search_rows.sql` makes from every
/// document.
fn search_rows(conn: &Connection) -> Result<Vec<Problem>> {
    store::create_touched(conn)?;
    conn.execute_batch(
        "DELETE FROM temp.versus_touched;
         INSERT INTO temp.versus_touched (id) SELECT id FROM documents;",
    )?;
    let items = format!("SELECT {} FROM search_items", store::SEARCH_COLUMNS);
    let expected = format!("SELECT * FROM (\n{}\n)", store::SEARCH_ROWS);
    let counted = |sql: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM ({sql})"), [], |r| r.get(0))?)
    };
    let stale = counted(&format!("{items} EXCEPT {expected}"));
    let missing = counted(&format!("{expected} EXCEPT {items}"));
    let totals = counted(&items).and_then(|a| Ok((a, counted(&expected)?)));
    conn.execute_batch("DROP TABLE temp.versus_touched")?;
    let (stale, missing, (items, expected)) = (stale?, missing?, totals?);
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
fn search_config(conn: &Connection, schema: &Schema) -> Result<Vec<Problem>> {
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
            let shown = |v: &Value| crate::sql_text::describe_value(ValueRef::from(v));
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
fn fts_integrity(conn: &Connection, notes: &mut Vec<String>) -> Result<Vec<Problem>> {
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

fn run_repair(database: &Database, out: &mut Output) -> Result<()> {
    let location = &database.location;
    let (mut conn, applied) = database.open_read_write(db::EmptyFile::Refuse)?;
    let mut lines: Vec<String> = applied
        .iter()
        .map(|m| format!("applied migration {m}"))
        .collect();
    let schema = db::defined_schema()?;
    // Tables are rebuilt and orphans deleted with the cascades off, so
    // that nothing else goes with them; set outside the transaction, as
    // SQLite requires, for this connection only.
    conn.pragma_update(None, "foreign_keys", false)?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| db::explain_file_error(e, &location.path))?;
    let db = location.display();
    let before = find_problems(&db, &tx, &schema, Some(&tx))?;
    if before.problems.is_empty() {
        lines.push(format!("{db} is whole; nothing to repair"));
        return out.lines(&lines);
    }
    let refused: Vec<&Problem> = before
        .problems
        .iter()
        .filter(|p| p.cure != Cure::Repair)
        .collect();
    if !refused.is_empty() {
        lines.extend(
            refused
                .iter()
                .map(|p| format!("cannot repair: {}", p.line())),
        );
        out.lines(&lines)?;
        let restore = refused.iter().any(|p| p.cure == Cure::Restore);
        return Err(fail(
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
                    db_flag(location)
                )
            },
        ));
    }
    lines.extend(
        before
            .problems
            .iter()
            .map(|p| format!("found: {}: {}", p.place, p.what)),
    );
    if let Err(e) = db::refuse_read_only(&tx, location, "repair") {
        out.lines(&lines)?;
        return Err(e);
    }
    match rebuild(&tx, &schema, &before.problems) {
        Ok(done) => lines.extend(done),
        Err(e) => {
            out.lines(&lines)?;
            return Err(db::explain_write(e, &location.path)
                .context(format!("could not repair {db} (nothing was changed)")));
        }
    }
    let after = find_problems(&db, &tx, &schema, Some(&tx))?;
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
    tx.commit()
        .map_err(|e| db::explain_write(e.into(), &location.path))
        .context("could not commit the repair")?;
    lines.push(format!("{db} is whole"));
    out.lines(&lines)
}

/// Makes the database whole, inside the caller's transaction, with foreign
/// keys off. Returns a line for each thing done.
fn rebuild(conn: &Connection, schema: &Schema, problems: &[Problem]) -> Result<Vec<String>> {
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
    lines.extend(derive::restore(conn, &derive::plan(conn)?)?);
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
