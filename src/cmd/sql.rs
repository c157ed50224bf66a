//! `versus sql`: ad-hoc SQL. Read-only by default (see `exec` for how that is
//! enforced); with `--write`, a script run in one transaction.

use std::io::Read;
use std::time::Duration;

use anyhow::{Context, Result};
use fallible_iterator::FallibleIterator;
use rusqlite::TransactionBehavior;
use rusqlite::types::Value;

use crate::cli::RunArgs;
use crate::cmd::init::open_for_reading;
use crate::db::{self, Location};
use crate::error::{Kind, fail};
use crate::exec::{self, Stopper};
use crate::output::{Output, notice};

pub fn run(
    location: &Location,
    busy_timeout: Duration,
    sql: &str,
    write: bool,
    args: &RunArgs,
    out: &mut Output,
) -> Result<()> {
    let sql = if sql == "-" {
        let mut text = String::new();
        std::io::stdin()
            .lock()
            .read_to_string(&mut text)
            .context("cannot read the SQL from standard input (it must be UTF-8 text)")?;
        text
    } else {
        sql.to_string()
    };
    if sql.trim().is_empty() {
        return Err(fail(
            Kind::Usage,
            "no SQL given; pass a statement, or - to read it from standard input",
        ));
    }
    let values: Vec<(String, Value)> = args
        .params
        .iter()
        .map(|(k, v)| {
            (
                k.trim_start_matches([':', '@', '$', '?']).to_string(),
                infer(v),
            )
        })
        .collect();
    if write {
        run_write(location, busy_timeout, &sql, &values, args.timeout, out)
    } else {
        run_read(location, busy_timeout, &sql, &values, args.timeout, out)
    }
}

/// A value written exactly as SQLite prints an integer or a real binds as
/// that number; anything else (`02139`, `1e3`, `abc`) binds as text.
fn infer(text: &str) -> Value {
    if let Ok(i) = text.parse::<i64>()
        && i.to_string() == text
    {
        return Value::Integer(i);
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    if let Some((whole, fraction)) = unsigned.split_once('.')
        && digits(whole)
        && digits(fraction)
        && (whole == "0" || !whole.starts_with('0'))
        && let Ok(r) = text.parse::<f64>()
    {
        return Value::Real(r);
    }
    Value::Text(text.to_string())
}

fn unused(given: &[(String, Value)], used: &[String]) -> Result<()> {
    if let Some((key, _)) = given.iter().find(|(k, _)| !used.contains(k)) {
        let names: Vec<String> = used.iter().map(|u| format!(":{u}")).collect();
        return Err(fail(
            Kind::Usage,
            format!(
                "--param {key} is not used by the SQL ({}); check its name",
                if names.is_empty() {
                    "it has no parameters".to_string()
                } else {
                    format!("its parameters: {}", names.join(", "))
                }
            ),
        ));
    }
    Ok(())
}

fn run_read(
    location: &Location,
    busy_timeout: Duration,
    sql: &str,
    values: &[(String, Value)],
    timeout: Option<Duration>,
    out: &mut Output,
) -> Result<()> {
    let mut conn = open_for_reading(location, busy_timeout)?;
    exec::limit_resources(&conn)?;
    let refusals = exec::forbid_writes(&mut conn)?;
    let stopper = Stopper::install(&mut conn, timeout)?;
    let mut stmt = exec::prepare_read_only(&conn, &refusals, sql, exec::Source::AdHoc)?;
    let used = exec::bind(&mut stmt, values)?;
    unused(values, &used)?;
    exec::stream(&mut stmt, out).map_err(|e| stopper.explain(e))?;
    Ok(())
}

fn run_write(
    location: &Location,
    busy_timeout: Duration,
    sql: &str,
    values: &[(String, Value)],
    timeout: Option<Duration>,
    out: &mut Output,
) -> Result<()> {
    let (mut conn, applied) = db::open_read_write(location, busy_timeout, db::EmptyFile::Refuse)?;
    for migration in applied {
        notice(&format!("applied migration {migration}"));
    }
    exec::limit_resources(&conn)?;
    let stopper = Stopper::install(&mut conn, timeout)?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| db::explain_file_error(e, &location.path))?;
    let mut used: Vec<String> = Vec::new();
    let mut last_rows = None;
    let mut statements = 0;
    let mut changed = 0;
    let mut batch = rusqlite::Batch::new(&tx, sql);
    let result: Result<()> = (|| {
        while let Some(mut stmt) = batch.next()? {
            statements += 1;
            used.extend(exec::bind(&mut stmt, values)?);
            let before = tx.total_changes();
            if stmt.column_count() > 0 {
                last_rows = Some(exec::collect(&mut stmt)?);
            } else {
                stmt.raw_execute()?;
            }
            // changes() counts the rows this statement itself changed (not
            // the search triggers' rows), but only an INSERT, UPDATE or
            // DELETE sets it; DDL changes sqlite_master without setting it.
            let verb = stmt
                .expanded_sql()
                .and_then(|s| s.split_whitespace().next().map(str::to_uppercase));
            let dml = verb.is_some_and(|v| {
                ["INSERT", "UPDATE", "DELETE", "REPLACE", "WITH"].contains(&v.as_str())
            });
            if dml && tx.total_changes() > before {
                changed += tx.changes();
            }
        }
        Ok(())
    })();
    result
        .map_err(|e| db::explain_write(stopper.explain(e), &location.path))
        .context("nothing was changed: the transaction was rolled back")?;
    if statements == 0 {
        return Err(exec::no_statement());
    }
    unused(values, &used)?;
    tx.commit()
        .map_err(|e| db::explain_file_error(e, &location.path))
        .context("could not commit")?;
    notice(&format!(
        "committed {statements} statement{}, {changed} row{} changed",
        if statements == 1 { "" } else { "s" },
        if changed == 1 { "" } else { "s" }
    ));
    match last_rows {
        Some((columns, rows)) => out.rows(&columns, &rows),
        None => Ok(()),
    }
}
