//! Importing documents: read and parsed on one thread (`reading`), stored
//! on another, all in one `BEGIN IMMEDIATE` transaction. Any error, in any
//! file, leaves the database exactly as it was. Also the dry run, which
//! plans every document against the database opened read-only, and the
//! line that says what storing a document did (`import` and `init`).

mod reading;

use std::collections::HashMap;

use anyhow::{Context, Result};
use rusqlite::TransactionBehavior;

use crate::db::{self, Database, Location};
use crate::error::{Kind, fail};
use crate::inputs::{Input, Inputs};
use crate::output::Progress;
use crate::store::{self, Outcome, Stored};

use reading::{Parsed, Titles, holding, read_and_parse};

/// Up to this many documents, the import lists each one; past it, one line.
const LISTED: usize = 20;

/// Imports the documents of `inputs` into the database: all of them in one
/// `BEGIN IMMEDIATE` transaction, or none. Returns the lines that say what
/// was done and the rows kept as written. `strict`: a row that cannot be
/// split for sure stops the import (exit 3, nothing written) instead of
/// being kept as written, unresolved.
pub fn import(
    database: &Database,
    inputs: &Inputs,
    strict: bool,
) -> Result<(Vec<String>, store::UnresolvedRows)> {
    // A bad document must not cost a migration: when one is pending, every
    // document is read before the database is opened. Otherwise reading and
    // parsing (on a second thread) overlap with storing, inside the one
    // transaction that any error rolls back.
    let read_first = database.needs_migration()?;
    let mut progress = Progress::new("importing", inputs.len());
    // Parsed documents cross in batches: one send per document woke the
    // storing thread 20,000 times, which perf showed as 10% of an import
    // in the scheduler. At most two batches wait: the reading thread is
    // three times faster than the storing one, so a deeper queue only held
    // more documents (8 batches of 64 held up to 5 MiB, and an import of
    // 5,000 documents peaked 3 MiB higher or lower with the file cache);
    // batches of 16, two deep, import as fast.
    const BATCH: usize = 16;
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Result<Parsed>>>(2);
    // Stored documents go back to the reading thread to be freed there:
    // freed by the storing thread, memory the reading thread allocated took
    // glibc's arena locks from both threads (7% of an import in perf).
    let (spent_sender, spent) = std::sync::mpsc::channel::<Parsed>();
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new().name("versus-parse".to_string());
        let reading = inputs;
        reader
            .spawn_scoped(scope, move || {
                // Owned here (moved in), so that the channel closes when
                // reading ends.
                let free_spent = || while spent.try_recv().is_ok() {};
                let mut batch = Vec::with_capacity(BATCH);
                for input in reading.iter() {
                    let parsed = read_and_parse(&input);
                    let failed = parsed.is_err();
                    batch.push(parsed);
                    if failed || batch.len() == BATCH {
                        free_spent();
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                        if sender.send(full).is_err() || failed {
                            return;
                        }
                    }
                }
                let _ = sender.send(batch);
                drop(sender);
                // Until the storing thread is done with the last ones.
                for done in spent.iter() {
                    drop(done);
                }
            })
            .context("cannot start the thread that reads the documents")?;
        let spent_sender = spent_sender;
        let parsed = receiver.iter().flatten();
        let give_back = |done: Parsed| {
            // Freed here if the reading thread has ended.
            let _ = spent_sender.send(done);
        };
        let result = if read_first {
            parsed.collect::<Result<Vec<Parsed>>>().and_then(|all| {
                store_all(
                    database,
                    inputs,
                    all.into_iter().map(Ok),
                    strict,
                    &mut progress,
                    give_back,
                )
            })
        } else {
            store_all(database, inputs, parsed, strict, &mut progress, give_back)
        };
        drop(spent_sender);
        // Stops the reader early when storing failed.
        drop(receiver);
        progress.finish();
        result
    })
}

/// The error of `--strict` when rows cannot be split for sure (the rows
/// themselves are told first, on stderr).
fn strict_refusal(unresolved: &store::UnresolvedRows) -> anyhow::Error {
    let (rows, documents) = (unresolved.rows.len(), unresolved.documents);
    fail(
        Kind::BadDocument,
        format!(
            "{rows} table row{} in {documents} document{} cannot be split for sure, and --strict refuses to keep {} as written; nothing was imported; separate the cells with a tab or \" | \", or import without --strict and settle them with `versus resolve`",
            if rows == 1 { "" } else { "s" },
            if documents == 1 { "" } else { "s" },
            if rows == 1 { "it" } else { "them" },
        ),
    )
}

/// `--dry-run`: parses every input as the import would, and plans each
/// document against the database opened read-only (or, when there is none
/// yet, against a new one made in memory as `versus init` would make it).
/// Writes nothing; fails with the errors the import would fail with.
pub fn plan(
    database: &Database,
    inputs: &Inputs,
    strict: bool,
    show: impl FnOnce(&[store::PlannedDocument]) -> Result<()>,
) -> Result<()> {
    let location = &database.location;
    let mut parsed: Vec<Parsed> = inputs
        .iter()
        .map(|i| read_and_parse(&i))
        .collect::<Result<_>>()?;
    let conn = if db::presence(&location.path)? == db::Presence::Present {
        database.open_for_planning()?
    } else {
        let conn = crate::seeds::in_memory()?;
        crate::output::notice(&format!(
            "there is no database at {} yet: planned as for a new one with the bundled seed (create it with `versus init{}`)",
            location.display(),
            if location.explicit {
                format!(" --db {}", location.display())
            } else {
                String::new()
            }
        ));
        conn
    };
    // Rows a person resolved before are split as they said.
    let mut unresolved = store::UnresolvedRows::default();
    for (input, (_, docs)) in parsed.iter_mut().enumerate() {
        for (doc, _) in docs.iter_mut() {
            if let Some(resolved) = store::apply_resolutions(&conn, doc)? {
                *doc = resolved;
            }
            unresolved.add(&inputs.get(input).shown(), &store::UnresolvedRow::of(doc));
        }
    }
    if strict && !unresolved.rows.is_empty() {
        crate::output::unresolved_rows(&unresolved, true);
        return Err(strict_refusal(&unresolved));
    }
    let mut titles = Titles::default();
    let mut planner = store::Planner::read_only(&conn)?;
    let mut plans = Vec::new();
    for (input, (name, documents)) in parsed.iter().enumerate() {
        for (doc, derived) in documents {
            let key = derived.title_key.as_str();
            titles.check(doc, key, input, inputs, |other, key| {
                Some(holding(&parsed[other].1, key))
            })?;
            let plan = planner.plan(&conn, doc, key)?;
            plans.push(store::PlannedDocument {
                source: name,
                doc,
                plan,
            });
        }
    }
    show(&plans)?;
    crate::output::unresolved_rows(&unresolved, false);
    Ok(())
}

/// Opens the database and stores every document in one transaction, as they
/// arrive. Returns the lines that say what was done.
fn store_all(
    database: &Database,
    inputs: &Inputs,
    parsed: impl Iterator<Item = Result<Parsed>>,
    strict: bool,
    progress: &mut Progress,
    mut give_back: impl FnMut(Parsed),
) -> Result<(Vec<String>, store::UnresolvedRows)> {
    let location = &database.location;
    let (mut conn, applied) = database.open_read_write(db::EmptyFile::Refuse)?;
    let mut lines = db::applied_lines(&applied);
    store::prepare_for_bulk(&conn)?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| db::explain_file_error(e, &location.path))?;
    store::sync_title_keys(&tx).map_err(|e| nothing_imported(e, location))?;
    let mut batch = store::Batch::default();
    // Sized once: a map that doubles as it fills leaves its old tables to
    // the allocator, which glibc keeps (measured: a quarter more memory at
    // 50,000 documents).
    let mut titles = Titles(HashMap::with_capacity(inputs.len()));
    // What was done: counts, and each document's line while there are few
    // (kept no further, so that memory does not grow with the import).
    let mut stored: Vec<store::Stored> = Vec::new();
    let mut counts = [0usize; 3];
    // The rows kept as written: told after the import, or, with --strict,
    // the reason nothing is.
    let mut unresolved = store::UnresolvedRows::default();
    // Dropped on an error, the transaction rolls back: nothing is imported.
    for (input, parsed) in parsed.enumerate() {
        let (name, documents) = parsed?;
        for (doc, derived) in &documents {
            titles.check(
                doc,
                &derived.title_key,
                input,
                inputs,
                |other, key| match inputs.get(other) {
                    Input::Stdin => None,
                    earlier => read_and_parse(&earlier)
                        .ok()
                        .map(|(_, documents)| holding(&documents, key)),
                },
            )?;
            let result = store::store_derived(&tx, &mut batch, doc, derived, &name)
                .with_context(|| format!("could not store {name}"))
                .map_err(|e| nothing_imported(e, location))?;
            unresolved.add(&inputs.get(input).shown(), &result.unresolved);
            counts[match result.outcome {
                store::Outcome::Added => 0,
                store::Outcome::Replaced => 1,
                store::Outcome::Unchanged => 2,
            }] += 1;
            if stored.len() <= LISTED {
                stored.push(result);
            }
        }
        give_back((name, documents));
        progress.advance();
    }
    if strict && !unresolved.rows.is_empty() {
        crate::output::unresolved_rows(&unresolved, true);
        return Err(strict_refusal(&unresolved));
    }
    batch
        .finish(&tx)
        .and_then(|()| tx.commit().context("could not commit"))
        .map_err(|e| nothing_imported(e, location))?;
    let total: usize = counts.iter().sum();
    if total <= LISTED {
        lines.extend(stored.iter().map(describe_stored));
    } else {
        lines.push(format!(
            "imported {total} documents into {}: {} added, {} replaced, {} unchanged",
            location.display(),
            counts[0],
            counts[1],
            counts[2]
        ));
    }
    Ok((lines, unresolved))
}

fn nothing_imported(err: anyhow::Error, location: &Location) -> anyhow::Error {
    db::explain_write(err, &location.path)
        .context(format!("nothing was imported into {}", location.display()))
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
