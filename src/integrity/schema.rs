//! The schema half of the checks: every table, index, view and trigger
//! versus's migrations define, there with the SQL they define.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::Connection;

use super::{Cure, Problem, REPAIR, ident};
use crate::db::{self, Defined, Schema};
use crate::store::{self, NOTES_TABLE};

/// An object of the file's schema.
pub(super) struct Found {
    pub(super) kind: String,
    pub(super) sql: Option<String>,
}

pub(super) fn objects_in_file(conn: &Connection) -> Result<HashMap<String, Found>> {
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
pub(super) fn place(d: &Defined) -> String {
    match d.kind.as_str() {
        "table" if d.sql.starts_with("CREATE VIRTUAL TABLE") => format!("virtual table {}", d.name),
        "index" | "trigger" => format!("{} {} (on {})", d.kind, d.name, d.table),
        _ => format!("{} {}", d.kind, d.name),
    }
}

/// What a missing or changed object costs, for the problem's line.
pub(super) fn consequence(d: &Defined) -> String {
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
pub(super) fn is_search_table(name: &str) -> bool {
    name == "search_items" || store::SEARCH_INDEXES.contains(&name)
}

/// The tables derived entirely from the others: the search tables, the
/// figures' name parts, and the notes of titles to key.
pub(super) fn is_derived_table(name: &str) -> bool {
    is_search_table(name) || name == "figure_name_parts" || name == NOTES_TABLE
}

/// Each defined object missing, of another kind, or with other SQL.
pub(super) fn schema_problems(
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
pub(super) fn changed_columns(
    file: &str,
    views: &[&str],
    d: &Defined,
    columns: &[String],
) -> Option<Problem> {
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
