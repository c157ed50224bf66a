//! `versus import`: read documents from files, folders or standard input,
//! parse them all, then store them all in one `BEGIN IMMEDIATE` transaction.
//! Any error, in any file, leaves the database exactly as it was; an error
//! after the commit (printing the report) says that the documents are stored.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::TransactionBehavior;

use crate::cmd::init::describe_stored;
use crate::db::{self, Location};
use crate::document::{Document, parse_document};
use crate::error::{Kind, fail};
use crate::inputs::{Input, Inputs, digest};
use crate::interchange::{looks_like_json, parse_json_documents};
use crate::output::{Output, Progress};
use crate::store;

/// Up to this many documents, the import lists each one; past it, one line.
const LISTED: usize = 20;

/// `strict`: a row that cannot be split for sure stops the import (exit 3,
/// nothing written) instead of being kept as written, unresolved.
pub fn run(
    ctx: &crate::Context,
    paths: &[PathBuf],
    dry_run: bool,
    strict: bool,
    out: &mut Output,
) -> Result<()> {
    let inputs = Inputs::expand(paths)?;
    db::without_memory_statistics();
    if dry_run {
        return plan_all(&ctx.location, ctx.busy_timeout, &inputs, strict, out);
    }
    // A bad document must not cost a migration: when one is pending, every
    // document is read before the database is opened. Otherwise reading and
    // parsing (on a second thread) overlap with storing, inside the one
    // transaction that any error rolls back.
    let read_first = db::needs_migration(&ctx.location, ctx.busy_timeout)?;
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
        let reading = &inputs;
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
                    &ctx.location,
                    ctx.busy_timeout,
                    &inputs,
                    all.into_iter().map(Ok),
                    strict,
                    &mut progress,
                    give_back,
                )
            })
        } else {
            store_all(
                &ctx.location,
                ctx.busy_timeout,
                &inputs,
                parsed,
                strict,
                &mut progress,
                give_back,
            )
        };
        drop(spent_sender);
        // Stops the reader early when storing failed.
        drop(receiver);
        progress.finish();
        let (lines, unresolved) = result?;
        // The documents are committed: a failure to print the report must
        // not read as a failed import.
        out.lines(&lines).with_context(|| {
            format!(
                "the documents were stored in {} (the import is committed), but its report could not be written",
                ctx.location.display()
            )
        })?;
        crate::output::unresolved_rows(&unresolved, false);
        Ok(())
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
fn plan_all(
    location: &Location,
    busy_timeout: Duration,
    inputs: &Inputs,
    strict: bool,
    out: &mut Output,
) -> Result<()> {
    let mut parsed: Vec<Parsed> = inputs
        .iter()
        .map(|i| read_and_parse(&i))
        .collect::<Result<_>>()?;
    let conn = if db::presence(&location.path)? == db::Presence::Present {
        db::open_for_planning(location, busy_timeout)?
    } else {
        let mut conn = db::new_in_memory()?;
        crate::cmd::init::seed_missing(&mut conn)?;
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
    out.planned_import(&plans)?;
    crate::output::unresolved_rows(&unresolved, false);
    Ok(())
}

/// The titles met so far in one import, to refuse a title given twice
/// (which of the two should win?). Each title key is kept as a 64-bit
/// digest with the number of its input, not as text: an import's memory must
/// not grow with its documents (12 bytes each here, where the titles and
/// file names took a few hundred; measured with heaptrack, 0.9 MiB for
/// 50,000 documents). Two titles can share a digest, so a match is
/// confirmed by reading the earlier input again and looking for the title
/// itself: only then is the import refused. (Standard input cannot be read
/// twice; a match with a document from it is taken as it is: one chance in
/// about 10^19 per pair of titles to refuse two different ones.)
#[derive(Default)]
struct Titles(HashMap<u64, u32>);

impl Titles {
    /// `title_key` is the title key of `doc`; `input` is the number of the
    /// document's input in `inputs`; `count(other, key)` says how many
    /// documents with the title key `key` the input `other` holds, or
    /// `None` when it cannot be read again.
    fn check(
        &mut self,
        doc: &Document,
        title_key: &str,
        input: usize,
        inputs: &Inputs,
        count: impl Fn(usize, &str) -> Option<usize>,
    ) -> Result<()> {
        let key = digest(title_key);
        // More inputs than a u32 counts would not fit in memory anyway.
        let here = u32::try_from(input).unwrap_or(u32::MAX);
        let Some(&other) = self.0.get(&key) else {
            self.0.insert(key, here);
            return Ok(());
        };
        let other = other as usize;
        // The document itself is one of those its own input holds.
        let needed = if other == input { 2 } else { 1 };
        if count(other, title_key).is_some_and(|n| n < needed) {
            // Two titles with one digest: a new title after all.
            return Ok(());
        }
        let name = |i: usize| inputs.get(i).shown();
        let message = if other == input {
            format!(
                "{} holds the document \"{}\" twice; keep one of them",
                name(input),
                doc.title
            )
        } else {
            format!(
                "{} and {} both hold the document \"{}\"; import one of them",
                name(other),
                name(input),
                doc.title
            )
        };
        Err(fail(Kind::BadDocument, message))
    }
}

/// How many of `documents` have the title key `key`.
fn holding(documents: &[(Document, store::Derived)], key: &str) -> usize {
    documents
        .iter()
        .filter(|(_, derived)| derived.title_key == key)
        .count()
}

/// The documents of one input (a JSON file can hold several), with its name.
/// Each document comes with what storing it derives from its text,
/// worked out on the reading thread.
type Parsed = (String, Vec<(Document, store::Derived)>);

fn read_and_parse(input: &Input) -> Result<Parsed> {
    let name = input.name();
    let shown = input.shown();
    let text = read_text(input)?;
    let documents = if looks_like_json(&text) {
        parse_json_documents(&text).map_err(|e| {
            fail(
                Kind::BadDocument,
                format!("cannot import {shown}: {e}; fix the JSON (\"Export, show and the JSON form\" in docs/GUIDE.md describes it)"),
            )
        })?
    } else {
        vec![parse_document(&text).with_context(|| format!("cannot import {shown}"))?]
    };
    for doc in &documents {
        if let Some((what, bytes)) = too_long(doc) {
            return Err(fail(
                Kind::BadDocument,
                format!(
                    "cannot import {shown}: {what} of {} is {bytes} bytes, more than the {} bytes one value may be when a query reads it (the limit versus sets on SQLite, see docs/RELIABILITY.md); split it",
                    crate::document::excerpt(&doc.title),
                    crate::exec::MAX_VALUE_BYTES
                ),
            ));
        }
    }
    let documents = documents
        .into_iter()
        .map(|doc| {
            let derived = store::Derived::of(&doc);
            (doc, derived)
        })
        .collect();
    Ok((name, documents))
}

/// The first text of `doc` longer than a query may read back, and its
/// length: stored, it would import and export but fail every query.
fn too_long(doc: &Document) -> Option<(&'static str, usize)> {
    let limit = crate::exec::MAX_VALUE_BYTES as usize;
    let texts = [
        ("the title", doc.title.as_str()),
        ("the summary", doc.summary.as_str()),
    ]
    .into_iter()
    .chain(doc.table.iter().flat_map(|row| {
        std::iter::once(("a table row", row.attribute.as_str()))
            .chain(row.values.iter().map(|v| ("a table cell", v.as_str())))
    }))
    .chain(doc.sections.iter().flat_map(|s| {
        std::iter::once(("a heading", s.heading.as_str()))
            .chain(s.paragraphs.iter().map(|p| ("a paragraph", p.as_str())))
    }));
    texts
        .map(|(what, text)| (what, text.len()))
        .find(|(_, len)| *len > limit)
}

/// Opens the database and stores every document in one transaction, as they
/// arrive. Returns the lines that say what was done.
fn store_all(
    location: &Location,
    busy_timeout: Duration,
    inputs: &Inputs,
    parsed: impl Iterator<Item = Result<Parsed>>,
    strict: bool,
    progress: &mut Progress,
    mut give_back: impl FnMut(Parsed),
) -> Result<(Vec<String>, store::UnresolvedRows)> {
    let (mut conn, applied) = db::open_read_write(location, busy_timeout, db::EmptyFile::Refuse)?;
    let mut lines: Vec<String> = applied
        .iter()
        .map(|m| format!("applied migration {m}"))
        .collect();
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

/// Reads a document as UTF-8 text, with errors that say what the file is.
fn read_text(input: &Input) -> Result<String> {
    let bad = |what: String| fail(Kind::BadDocument, what);
    let bytes = match input {
        Input::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .context("cannot read the document from standard input")?;
            bytes
        }
        Input::File(path) => std::fs::read(path).map_err(|e| {
            // A link whose file is gone (found in a folder, say): where it
            // points is what to fix.
            let target = std::fs::read_link(path).ok();
            match target {
                Some(target) if e.kind() == std::io::ErrorKind::NotFound => bad(format!(
                    "cannot read {}: it is a link to {}, which does not exist; fix or remove the link",
                    path.display(),
                    target.display()
                )),
                _ => bad(format!(
                    "cannot read {}: {}; check the path",
                    path.display(),
                    io_reason(&e)
                )),
            }
        })?,
    };
    let name = match input {
        Input::Stdin => "standard input".to_string(),
        Input::File(path) => path.display().to_string(),
    };
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count();
        bad(format!(
            "{name} is not UTF-8 text (invalid byte on line {line}, at byte offset {at}); give a text document saved as UTF-8"
        ))
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::title_key;

    fn doc(title: &str) -> Document {
        let figures: Vec<&str> = title.split(" vs. ").collect();
        crate::document::parse_document(&format!(
            "{title}\n\nWhat's the Difference?\n\nA summary.\n\nComparison\n\nAttribute | {}\nRole | a | b\n\nFurther Detail\n\nLife\n\nA paragraph.\n",
            figures.join(" | ")
        ))
        .unwrap()
    }

    /// A digest met again is a title given twice only when the earlier
    /// input holds the title itself; when it cannot be read again (standard
    /// input), the digest is taken as it is.
    #[test]
    fn a_title_met_again_by_its_digest_is_confirmed_by_the_earlier_input() {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = ["a.txt", "b.txt"]
            .iter()
            .map(|name| {
                let path = dir.path().join(name);
                std::fs::write(&path, "x").unwrap();
                path
            })
            .collect();
        let inputs = Inputs::expand(&paths).unwrap();
        let ann = doc("Ann Lee vs. Bob Ray");
        let mut titles = Titles::default();
        titles
            .check(
                &ann,
                &title_key(&ann.title),
                0,
                &inputs,
                |_, _| unreachable!(),
            )
            .unwrap();
        // The same title (in other case and spacing) from the next input.
        let again = doc("ANN LEE  vs. Bob Ray");
        let error = titles
            .check(
                &again,
                &title_key(&again.title),
                1,
                &inputs,
                |other, key| {
                    assert_eq!((other, key), (0, "ann lee vs. bob ray"));
                    Some(1)
                },
            )
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{} and {} both hold the document \"ANN LEE  vs. Bob Ray\"; import one of them",
                paths[0].display(),
                paths[1].display()
            )
        );
        // The earlier input does not hold it: two titles with one digest.
        titles
            .check(&again, &title_key(&again.title), 1, &inputs, |_, _| Some(0))
            .unwrap();
        // Its own input holds it once (itself) or twice.
        titles
            .check(&ann, &title_key(&ann.title), 0, &inputs, |_, _| Some(1))
            .unwrap();
        assert!(
            titles
                .check(&ann, &title_key(&ann.title), 0, &inputs, |_, _| Some(2))
                .is_err()
        );
        // Not readable again: taken as given twice.
        assert!(
            titles
                .check(&again, &title_key(&again.title), 1, &inputs, |_, _| None)
                .is_err()
        );
    }
}
