//! `versus check`: is this database whole? And `versus check --repair`:
//! make it whole again from the documents it holds.
//!
//! The checks and the repair are the engine's ([`crate::integrity`]); this
//! file opens the database, runs them, and hands their lines to output.

use anyhow::{Context as _, Result};
use rusqlite::TransactionBehavior;
use rusqlite::types::Value;

use crate::context::Context;
use crate::db::{self, Database, Location};
use crate::error::{Kind, fail};
use crate::format::Format;
use crate::integrity::{self, Cure, Problem, find_problems, refuse_newer};
use crate::output::{self, Output};
use crate::resolutions;

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

/// `--repair`: the checks, then the rebuild, in one transaction that
/// commits only when the database is then whole.
fn run_repair(database: &Database, out: &mut Output) -> Result<()> {
    let location = &database.location;
    let (mut conn, applied) = database.open_read_write(db::EmptyFile::Refuse)?;
    let mut lines = db::applied_lines(&applied);
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
    if let Some(refused) = integrity::refusal(&db, &before.problems, &db_flag(location)) {
        lines.extend(refused.lines);
        out.lines(&lines)?;
        return Err(refused.error);
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
    match integrity::rebuild(&tx, &schema, &before) {
        Ok(done) => lines.extend(done),
        Err(e) => {
            out.lines(&lines)?;
            return Err(db::explain_write(e, &location.path)
                .context(format!("could not repair {db} (nothing was changed)")));
        }
    }
    integrity::confirm_whole(&db, &tx, &schema)?;
    tx.commit()
        .map_err(|e| db::explain_write(e.into(), &location.path))
        .context("could not commit the repair")?;
    lines.push(format!("{db} is whole"));
    out.lines(&lines)
}
