//! `versus init`: create the database if it is missing, migrate it, and load
//! the bundled seed documents that are not there yet. Also used to create the
//! default database the first time a query needs it.

use std::time::Duration;

use anyhow::{Context as _, Result};
use rusqlite::{Connection, TransactionBehavior};

use crate::context::Context;
use crate::db::{self, Location};
use crate::document::parse_document;
use crate::output::Output;
use crate::seeds::SEEDS;
use crate::store::{self, Outcome, Stored};

pub fn run(ctx: &Context, out: &mut Output) -> Result<()> {
    let mut lines = Vec::new();
    let made = match db::presence(&ctx.location.path)? {
        db::Presence::Missing => match create(&ctx.location, ctx.busy_timeout)? {
            db::Created::New(applied, seeded) => {
                lines.push(format!("created {}", ctx.location.display()));
                Some((applied, seeded))
            }
            // Another `versus` made it meanwhile: go on as if it had been there.
            db::Created::ByAnother => None,
        },
        db::Presence::Present => None,
    };
    let (applied, seeded) = match made {
        Some(made) => made,
        None => {
            let (mut conn, applied) =
                db::open_read_write(&ctx.location, ctx.busy_timeout, db::EmptyFile::Migrate)?;
            (applied, seed_missing(&mut conn)?)
        }
    };
    lines.extend(applied.iter().map(|m| format!("applied migration {m}")));
    lines.extend(seeded.iter().map(describe_stored));
    if lines.is_empty() {
        lines.push(format!(
            "{} is up to date (schema version {}, seed documents present)",
            ctx.location.display(),
            db::latest_version()
        ));
    }
    out.lines(&lines)
}

/// Creates a new database at `location` with the schema and the seeds.
/// Nothing is left behind if any step fails.
pub fn create(location: &Location, busy_timeout: Duration) -> Result<db::Created<Vec<Stored>>> {
    db::create_new(&location.path, busy_timeout, seed_missing)
}

/// Loads each bundled seed whose title is not stored yet, in one transaction.
/// A seed already there is left alone, even if it was edited since.
pub fn seed_missing(conn: &mut Connection) -> Result<Vec<Stored>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut stored = Vec::new();
    store::sync_title_keys(&tx)?;
    let mut batch = store::Batch::default();
    for (file, text) in SEEDS {
        let doc = parse_document(text)
            .with_context(|| format!("the bundled seed {file} does not parse"))?;
        if store::find_by_title(&tx, &doc.title)?.is_none() {
            stored.push(store::store_document(
                &tx,
                &mut batch,
                &doc,
                &format!("seed:{file}"),
            )?);
        }
    }
    batch.finish(&tx)?;
    tx.commit().context("could not commit the seed documents")?;
    Ok(stored)
}

/// One line saying what storing a document did.
pub fn describe_stored(s: &Stored) -> String {
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    format!(
        "{} {} ({}): {}, {}, {}{}",
        match s.outcome {
            Outcome::Added => "loaded",
            Outcome::Replaced => "replaced",
            Outcome::Unchanged => "unchanged",
        },
        s.slug,
        s.title,
        match s.unresolved.len() {
            0 => count(s.attributes, "attribute"),
            n => format!("{} ({n} unresolved)", count(s.attributes, "attribute")),
        },
        count(s.sections, "section"),
        count(s.paragraphs, "paragraph"),
        s.short_slug_taken
            .as_ref()
            .map(|short| format!(" ({short} is another document's)"))
            .unwrap_or_default()
    )
}

/// Opens the database for a read command. The default database
/// (`versus.db`, chosen by neither `--db` nor `VERSUS_DB`) is created from
/// the bundled seeds the first time a query needs it, with a note on stderr;
/// a database the user named must exist.
pub fn open_for_reading(location: &Location, busy_timeout: Duration) -> Result<Connection> {
    open_for_reading_checked(location, busy_timeout, |_| Ok(()))
}

/// As [`open_for_reading`], with a check of the command's input that needs
/// a database (a document name, say). When the default database is yet to
/// be made, `check` runs first on the database it would be (the bundled
/// seeds, in memory), so that a command that fails creates no file. Several
/// runs started together on a missing default database all succeed: one
/// makes it, the others use it (see [`db::Created::ByAnother`]).
pub fn open_for_reading_checked(
    location: &Location,
    busy_timeout: Duration,
    check: impl FnOnce(&mut Connection) -> Result<()>,
) -> Result<Connection> {
    if !location.explicit && db::presence(&location.path)? == db::Presence::Missing {
        let mut would_be = db::new_in_memory()?;
        seed_missing(&mut would_be)?;
        check(&mut would_be)?;
        drop(would_be);
        if let db::Created::New(_, seeded) = create(location, busy_timeout)? {
            let slugs: Vec<&str> = seeded.iter().map(|s| s.slug.as_str()).collect();
            crate::output::notice(&format!(
                "created {} with the bundled seed document ({}); use --db or VERSUS_DB to choose another database",
                location.display(),
                slugs.join(", ")
            ));
        }
    }
    db::open_read_only(location, busy_timeout)
}
