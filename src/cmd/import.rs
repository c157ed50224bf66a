//! `versus import`: read documents from files, folders or standard input,
//! parse them all, then store them all in one `BEGIN IMMEDIATE` transaction.
//! Any error, in any file, leaves the database exactly as it was; an error
//! after the commit (printing the report) says that the documents are stored.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::TransactionBehavior;

use crate::cmd::init::describe_stored;
use crate::db::{self, Location};
use crate::document::{Document, parse_document};
use crate::error::{Kind, fail};
use crate::interchange::{looks_like_json, parse_json_documents};
use crate::output::{Output, Progress};
use crate::store;

/// Up to this many documents, the import lists each one; past it, one line.
const LISTED: usize = 20;

/// Where one document comes from.
enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(path) => path.display().to_string(),
        }
    }
}

pub fn run(ctx: &crate::Context, paths: &[PathBuf], dry_run: bool, out: &mut Output) -> Result<()> {
    let inputs = expand(paths)?;
    db::without_memory_statistics();
    if dry_run {
        return plan_all(&ctx.location, ctx.busy_timeout, &inputs, out);
    }
    // A bad document must not cost a migration: when one is pending, every
    // document is read before the database is opened. Otherwise reading and
    // parsing (on a second thread) overlap with storing, inside the one
    // transaction that any error rolls back.
    let read_first = db::needs_migration(&ctx.location, ctx.busy_timeout)?;
    let mut progress = Progress::new("importing", inputs.len());
    // Parsed documents cross in batches: one send per document woke the
    // storing thread 20,000 times, which perf showed as 10% of an import
    // in the scheduler.
    const BATCH: usize = 64;
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Result<Parsed>>>(8);
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new().name("versus-parse".to_string());
        reader
            .spawn_scoped(scope, || {
                // Owned here, so that the channel closes when reading ends.
                let sender = sender;
                let mut batch = Vec::with_capacity(BATCH);
                for input in &inputs {
                    let parsed = read_and_parse(input);
                    let failed = parsed.is_err();
                    batch.push(parsed);
                    if failed || batch.len() == BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                        if sender.send(full).is_err() || failed {
                            return;
                        }
                    }
                }
                let _ = sender.send(batch);
            })
            .context("cannot start the thread that reads the documents")?;
        let parsed = receiver.iter().flatten();
        let result = if read_first {
            parsed.collect::<Result<Vec<Parsed>>>().and_then(|all| {
                store_all(
                    &ctx.location,
                    ctx.busy_timeout,
                    all.into_iter().map(Ok),
                    &mut progress,
                )
            })
        } else {
            store_all(&ctx.location, ctx.busy_timeout, parsed, &mut progress)
        };
        // Stops the reader early when storing failed.
        drop(receiver);
        progress.finish();
        let lines = result?;
        // The documents are committed: a failure to print the report must
        // not read as a failed import.
        out.lines(&lines).with_context(|| {
            format!(
                "the documents were stored in {} (the import is committed), but its report could not be written",
                ctx.location.display()
            )
        })
    })
}

/// `--dry-run`: parses every input as the import would, and plans each
/// document against the database opened read-only (or, when there is none
/// yet, against a new one made in memory as `versus init` would make it).
/// Writes nothing; fails with the errors the import would fail with.
fn plan_all(
    location: &Location,
    busy_timeout: Duration,
    inputs: &[Input],
    out: &mut Output,
) -> Result<()> {
    let parsed: Vec<Parsed> = inputs.iter().map(read_and_parse).collect::<Result<_>>()?;
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
    let mut titles = Titles::default();
    let mut planner = store::Planner::read_only(&conn)?;
    let mut plans = Vec::new();
    for (name, documents) in &parsed {
        for (doc, _) in documents {
            titles.check(doc, name)?;
            let plan = planner.plan(&conn, doc)?;
            plans.push(store::PlannedDocument {
                source: name,
                doc,
                plan,
            });
        }
    }
    out.planned_import(&plans)
}

/// The titles met so far in one import, to refuse a title given twice
/// (which of the two should win?).
#[derive(Default)]
struct Titles(HashMap<String, String>);

impl Titles {
    fn check(&mut self, doc: &Document, source: &str) -> Result<()> {
        let key = crate::document::title_key(&doc.title);
        if let Some(other) = self.0.get(&key) {
            let message = if other == source {
                format!(
                    "{source} holds the document \"{}\" twice; keep one of them",
                    doc.title
                )
            } else {
                format!(
                    "{other} and {source} both hold the document \"{}\"; import one of them",
                    doc.title
                )
            };
            return Err(fail(Kind::BadDocument, message));
        }
        self.0.insert(key, source.to_string());
        Ok(())
    }
}

/// The documents of one input (a JSON file can hold several), with its name.
/// Each document comes with what storing it derives from its text,
/// worked out on the reading thread.
type Parsed = (String, Vec<(Document, store::Derived)>);

fn read_and_parse(input: &Input) -> Result<Parsed> {
    let name = input.name();
    let text = read_text(input)?;
    let documents = if looks_like_json(&text) {
        parse_json_documents(&text).map_err(|e| {
            fail(
                Kind::BadDocument,
                format!("cannot import {name}: {e}; fix the JSON (\"The JSON form\" in the README describes it)"),
            )
        })?
    } else {
        vec![parse_document(&text).with_context(|| format!("cannot import {name}"))?]
    };
    let documents = documents
        .into_iter()
        .map(|doc| {
            let derived = store::Derived::of(&doc);
            (doc, derived)
        })
        .collect();
    Ok((name, documents))
}

/// Opens the database and stores every document in one transaction, as they
/// arrive. Returns the lines that say what was done.
fn store_all(
    location: &Location,
    busy_timeout: Duration,
    parsed: impl Iterator<Item = Result<Parsed>>,
    progress: &mut Progress,
) -> Result<Vec<String>> {
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
    let mut titles = Titles::default();
    let mut stored: Vec<store::Stored> = Vec::new();
    // Dropped on an error, the transaction rolls back: nothing is imported.
    for input in parsed {
        let (name, documents) = input?;
        for (doc, derived) in documents {
            titles.check(&doc, &name)?;
            let result = store::store_derived(&tx, &mut batch, &doc, &derived, &name)
                .with_context(|| format!("could not store {name}"))
                .map_err(|e| nothing_imported(e, location))?;
            stored.push(result);
        }
        progress.advance();
    }
    batch
        .finish(&tx)
        .and_then(|()| tx.commit().context("could not commit"))
        .map_err(|e| nothing_imported(e, location))?;
    if stored.len() <= LISTED {
        lines.extend(stored.iter().map(describe_stored));
    } else {
        let count = |o: store::Outcome| stored.iter().filter(|s| s.outcome == o).count();
        lines.push(format!(
            "imported {} documents into {}: {} added, {} replaced, {} unchanged",
            stored.len(),
            location.display(),
            count(store::Outcome::Added),
            count(store::Outcome::Replaced),
            count(store::Outcome::Unchanged)
        ));
    }
    Ok(lines)
}

fn nothing_imported(err: anyhow::Error, location: &Location) -> anyhow::Error {
    db::explain_write(err, &location.path)
        .context(format!("nothing was imported into {}", location.display()))
}

/// Files as given; folders become every `.txt` and `.json` file under them
/// (hidden files and folders skipped), in path order.
fn expand(paths: &[PathBuf]) -> Result<Vec<Input>> {
    let mut inputs: Vec<Input> = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            if found.is_empty() {
                return Err(fail(
                    Kind::BadDocument,
                    format!(
                        "the folder {} has no .txt or .json documents; give document files, or a folder that holds some",
                        path.display()
                    ),
                ));
            }
            found.sort();
            inputs.extend(found.into_iter().map(Input::File));
        } else {
            inputs.push(Input::File(path.clone()));
        }
    }
    refuse_repeats(&inputs)?;
    Ok(inputs)
}

/// Refuses a file given twice (also through a folder, or as another path to
/// the same file), and standard input given twice.
fn refuse_repeats(inputs: &[Input]) -> Result<()> {
    let mut seen: HashMap<PathBuf, String> = HashMap::new();
    for input in inputs {
        let (key, name) = match input {
            Input::Stdin => (PathBuf::from("-"), "standard input (-)".to_string()),
            Input::File(path) => (
                std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()),
                path.display().to_string(),
            ),
        };
        if let Some(first) = seen.get(&key) {
            let also = if *first == name {
                String::new()
            } else {
                format!(" (as {first})")
            };
            return Err(fail(
                Kind::Usage,
                format!("{name} is given twice{also}; give each file once"),
            ));
        }
        seen.insert(key, name);
    }
    Ok(())
}

fn walk(folder: &Path, found: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(folder).map_err(|e| {
        fail(
            Kind::BadDocument,
            format!("cannot list the folder {}: {e}", folder.display()),
        )
    })?;
    for entry in entries {
        let entry =
            entry.with_context(|| format!("cannot list the folder {}", folder.display()))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, found)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("json"))
        {
            found.push(path);
        }
    }
    Ok(())
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
            bad(format!(
                "cannot read {}: {}; check the path",
                path.display(),
                io_reason(&e)
            ))
        })?,
    };
    let name = match input {
        Input::Stdin => "standard input".to_string(),
        Input::File(path) => path.display().to_string(),
    };
    String::from_utf8(bytes).map_err(|e| {
        bad(format!(
            "{name} is not UTF-8 text (invalid byte at offset {}); give a text document saved as UTF-8",
            e.utf8_error().valid_up_to()
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
