//! `versus query NAME`: run a named query from the catalogue, or show its SQL.

use anyhow::Result;
use rusqlite::Connection;
use rusqlite::types::Value;

use crate::context::Context;
use crate::exec::{self, ReadOnly};
use crate::output::Output;
use crate::queries::{Resolved, Tables, sql_literal, topics_in};

pub fn run(
    ctx: &Context,
    name: &str,
    show_sql: bool,
    args: &exec::Run,
    out: &mut Output,
) -> Result<()> {
    // The name is checked before the database is opened, so a typo never
    // creates anything; only its suggestions read the topics there are
    // (the bundled seed's when there is no database yet).
    let catalogue = ctx.catalogue()?;
    let resolved = catalogue.resolve_suggesting(name, || {
        ctx.open_described()
            .and_then(|(conn, _)| topics_in(&conn, None, Tables::BOTH))
            .unwrap_or_default()
    })?;
    // Parameters are checked (documents, figures, topics) before the
    // default database is made, so a wrong one creates nothing.
    let mut conn =
        ctx.open_for_reading_checked(|conn| resolved.prepare(&args.params, conn).map(drop))?;
    execute(&mut conn, &resolved, show_sql, args, out)
}

/// Runs the resolved query on an open connection (what [`run`] does once
/// the name is resolved and the database open; `versus shell` keeps one
/// connection and one catalogue for its session).
pub fn execute(
    conn: &mut Connection,
    resolved: &Resolved<'_>,
    show_sql: bool,
    args: &exec::Run,
    out: &mut Output,
) -> Result<()> {
    let prepared = resolved.prepare(&args.params, conn)?;
    if show_sql {
        return out.lines(&[sql_for_sqlite3(&prepared.sql, &prepared.values)]);
    }
    let statement = ReadOnly {
        sql: &prepared.sql,
        values: &prepared.values,
        source: exec::Source::Named(&resolved.query.name),
        timeout: args.timeout,
    };
    if resolved.query.name == "differences" {
        out.comparison();
    }
    exec::run_read_only(conn, &statement, |_| Ok(()), |_| None, out)?;
    Ok(())
}

/// The SQL with `.parameter set` lines before it, ready to paste into the
/// sqlite3 shell (version 3.32 or later).
fn sql_for_sqlite3(sql: &str, values: &[(String, Value)]) -> String {
    let mut text = String::new();
    for (name, value) in values {
        let Some(expression) = shell_parameter_value(value) else {
            // An unset parameter is NULL in the shell too.
            continue;
        };
        text.push_str(&format!(".parameter set :{name} {expression}\n"));
    }
    text.push_str(sql.trim_end());
    if !text.ends_with(';') {
        text.push(';');
    }
    text
}

/// A value as the last argument of `.parameter set`, which the sqlite3 shell
/// pastes into SQL (`VALUES(key, <it>)`), so it may be any SQL expression.
///
/// The shell reads a dot-command as one line and splits it into arguments:
/// one in double quotes may hold spaces, and inside it `\"` and `\\` are a
/// quote and a backslash (its other backslash escapes are never written
/// here). So text is written as SQL string literals joined by `||`, with
/// every control character (a line break above all, which would end the
/// dot-command and start another) as `char(N)` between them: the argument
/// stays on one line and the shell reads back exactly the value. Everything
/// used is in SQLite 3.32, the first shell with `.parameter`.
fn shell_parameter_value(value: &Value) -> Option<String> {
    let expression = match value {
        Value::Null => return None,
        Value::Integer(i) => return Some(i.to_string()),
        // Debug keeps every digit and a point or an exponent (`3.0`,
        // `1e300`), so the shell reads back this same real.
        Value::Real(r) => return Some(format!("{r:?}")),
        Value::Blob(bytes) => {
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            return Some(format!("x'{hex}'"));
        }
        Value::Text(text) => {
            let mut parts: Vec<String> = Vec::new();
            let mut literal = String::new();
            for c in text.chars() {
                if c.is_control() {
                    if !literal.is_empty() {
                        parts.push(sql_literal(&std::mem::take(&mut literal)));
                    }
                    parts.push(format!("char({})", c as u32));
                } else {
                    literal.push(c);
                }
            }
            if !literal.is_empty() || parts.is_empty() {
                parts.push(sql_literal(&literal));
            }
            if parts.len() == 1 && parts[0].starts_with("char(") {
                // char() alone is still text; `'' ||` only makes that plain.
                parts.insert(0, "''".to_string());
            }
            parts.join("||")
        }
    };
    Some(format!(
        "\"{}\"",
        expression.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}
