//! `versus query NAME`: run a named query from the catalogue, or show its SQL.

use std::path::Path;
use std::time::Duration;

use anyhow::Result;
use rusqlite::types::Value;

use crate::cli::RunArgs;
use crate::cmd::init::open_for_reading;
use crate::db::Location;
use crate::exec::{self, Stopper};
use crate::output::Output;
use crate::queries::{Catalogue, known_topics, sql_literal};

pub fn run(
    location: &Location,
    busy_timeout: Duration,
    user_queries: Option<&Path>,
    name: &str,
    show_sql: bool,
    args: &RunArgs,
    out: &mut Output,
) -> Result<()> {
    // The name is checked before the database is opened, so a typo never
    // creates anything; only its suggestions read the topics there are
    // (the bundled seed's when there is no database yet).
    let catalogue = Catalogue::load(user_queries)?;
    let resolved = catalogue.resolve_suggesting(name, || {
        known_topics(location, busy_timeout)
            .map(|(topics, _)| topics)
            .unwrap_or_default()
    })?;
    let mut conn = open_for_reading(location, busy_timeout)?;
    let prepared = resolved.prepare(&args.params, &conn)?;
    if show_sql {
        return out.lines(&[sql_for_sqlite3(&prepared.sql, &prepared.values)]);
    }
    exec::limit_resources(&conn)?;
    let refusals = exec::forbid_writes(&mut conn)?;
    let stopper = Stopper::install(&mut conn, args.timeout)?;
    let source = exec::Source::Named(&resolved.query.name);
    let mut stmt = exec::prepare_read_only(&conn, &refusals, &prepared.sql, source)?;
    exec::bind(&mut stmt, &prepared.values)?;
    exec::stream(&mut stmt, out).map_err(|e| stopper.explain(e))?;
    Ok(())
}

/// The SQL with `.parameter set` lines before it, ready to paste into the
/// sqlite3 shell (version 3.32 or later).
fn sql_for_sqlite3(sql: &str, values: &[(String, Value)]) -> String {
    let mut text = String::new();
    for (name, value) in values {
        let literal = match value {
            Value::Null => continue,
            Value::Integer(i) => i.to_string(),
            Value::Real(r) => r.to_string(),
            // The shell reads a double-quoted argument with backslash
            // escapes; inside it, an SQL string literal.
            Value::Text(t) => format!(
                "\"{}\"",
                sql_literal(t).replace('\\', "\\\\").replace('"', "\\\"")
            ),
            Value::Blob(_) => continue,
        };
        text.push_str(&format!(".parameter set :{name} {literal}\n"));
    }
    text.push_str(sql.trim_end());
    if !text.ends_with(';') {
        text.push(';');
    }
    text
}
