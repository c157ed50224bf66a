//! `versus status`: which database, which schema version, what is in it.

use anyhow::{Context as _, Result};

use crate::context::Context;
use crate::db;
use rusqlite::types::{Value, ValueRef};

use crate::output::Output;

pub fn run(ctx: &Context, out: &mut Output) -> Result<()> {
    let conn = ctx.database.open_read_only()?;
    let count = |table: &str| -> Result<i64> {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .with_context(|| format!("could not count the rows of {table}"))
    };
    let version: i64 = conn.query_row(
        "SELECT max(version) FROM refinery_schema_history",
        [],
        |r| r.get(0),
    )?;
    // A slug another tool stored as a BLOB or bad UTF-8 is shown, not fatal:
    // status is where one looks when something is wrong.
    // A few, not every slug: status is read at a glance, also at 20,000
    // documents (`versus query documents` lists them all).
    let slugs: Vec<String> = conn
        .prepare(&format!(
            "SELECT slug FROM documents ORDER BY id LIMIT {SLUGS_SHOWN}"
        ))?
        .query_map([], |r| {
            Ok(match r.get_ref(0)? {
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                other => crate::sql_text::describe_value(other),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // A WAL database read from a read-only folder is opened `immutable`,
    // where SQLite reports "delete": the file's header says what it is.
    let journal: String = if db::is_wal(&ctx.location().path) {
        "wal".to_string()
    } else {
        conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?
    };
    let documents = count("documents")?;
    let table_rows: i64 = conn.query_row(
        "SELECT count(*) FROM (SELECT DISTINCT document_id, position FROM attributes)",
        [],
        |r| r.get(0),
    )?;
    out.record(&[
        ("database", Value::Text(ctx.location().display())),
        ("schema_version", Value::Integer(version)),
        ("journal_mode", Value::Text(journal)),
        ("documents", Value::Integer(documents)),
        (
            "document_slugs",
            Value::Text(shown_slugs(&slugs, documents)),
        ),
        ("figures", Value::Integer(count("figures")?)),
        ("table_rows", Value::Integer(table_rows)),
        ("attribute_values", Value::Integer(count("attributes")?)),
        ("sections", Value::Integer(count("sections")?)),
        ("paragraphs", Value::Integer(count("paragraphs")?)),
    ])?;
    // A cheap look at what other tools may have broken (a dropped trigger
    // or view, a table rebuilt without its triggers, orphan rows), as one
    // line on stderr after the record, which stays as it is. A database
    // from a newer versus has objects this one does not know: not looked at.
    if version <= db::latest_version() {
        let check = format!(
            "run `versus check{}` for every problem and how to fix it",
            if ctx.location().explicit {
                format!(" --db {}", ctx.location().display())
            } else {
                String::new()
            }
        );
        let db = ctx.location().display();
        match crate::integrity::quick_problems(&ctx.location().display(), &conn) {
            Ok(problems) => {
                if let Some(first) = problems.first() {
                    let more = match problems.len() {
                        1 => String::new(),
                        n => format!(", and {} more", n - 1),
                    };
                    crate::output::notice(&format!(
                        "warning: {db} is not whole ({}: {}{more}); {check}",
                        first.place, first.what
                    ));
                }
            }
            Err(e) => crate::output::notice(&format!(
                "warning: could not check whether {db} is whole ({}); {check}",
                crate::error::one_line(&e)
            )),
        }
    }
    Ok(())
}

/// How many slugs `status` shows.
const SLUGS_SHOWN: usize = 5;

/// The first slugs, and how many more there are.
fn shown_slugs(slugs: &[String], documents: i64) -> String {
    let more = documents - slugs.len() as i64;
    if more > 0 {
        format!(
            "{} and {more} more (`versus query documents` lists them)",
            slugs.join(", ")
        )
    } else {
        slugs.join(", ")
    }
}
