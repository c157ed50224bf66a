//! `versus status`: which database, which schema version, what is in it.

use std::time::Duration;

use anyhow::{Context, Result};

use crate::db::{self, Location};
use rusqlite::types::Value;

use crate::output::Output;

pub fn run(location: &Location, busy_timeout: Duration, out: &mut Output) -> Result<()> {
    let conn = db::open_read_only(location, busy_timeout)?;
    let count = |table: &str| -> Result<i64> {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .with_context(|| format!("could not count the rows of {table}"))
    };
    let version: i64 = conn.query_row(
        "SELECT max(version) FROM refinery_schema_history",
        [],
        |r| r.get(0),
    )?;
    let slugs: Vec<String> = conn
        .prepare("SELECT slug FROM documents ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let journal: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    let table_rows: i64 = conn.query_row(
        "SELECT count(*) FROM (SELECT DISTINCT document_id, position FROM attributes)",
        [],
        |r| r.get(0),
    )?;
    out.record(&[
        ("database", Value::Text(location.display())),
        ("schema_version", Value::Integer(version)),
        ("journal_mode", Value::Text(journal)),
        ("documents", Value::Integer(count("documents")?)),
        ("document_slugs", Value::Text(slugs.join(", "))),
        ("figures", Value::Integer(count("figures")?)),
        ("table_rows", Value::Integer(table_rows)),
        ("attribute_values", Value::Integer(count("attributes")?)),
        ("sections", Value::Integer(count("sections")?)),
        ("paragraphs", Value::Integer(count("paragraphs")?)),
    ])
}
