//! `versus import`: read documents from files, folders or standard input,
//! parse them all, then store them all in one `BEGIN IMMEDIATE` transaction.
//! Any error, in any file, leaves the database exactly as it was.

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

pub fn run(
    location: &Location,
    busy_timeout: Duration,
    paths: &[PathBuf],
    out: &mut Output,
) -> Result<()> {
    let inputs = expand(paths)?;
    // Parse everything before the database is even opened: a bad document
    // must not cost a migration or a lock.
    let mut progress = Progress::new("reading", inputs.len());
    let mut documents: Vec<(String, Document)> = Vec::with_capacity(inputs.len());
    let mut slugs: HashMap<String, usize> = HashMap::with_capacity(inputs.len());
    for input in &inputs {
        let name = input.name();
        let text = read_text(input)?;
        let parsed = if looks_like_json(&text) {
            parse_json_documents(&text).map_err(|e| {
                fail(
                    Kind::BadDocument,
                    format!("cannot import {name}: {e}; fix the JSON (\"The JSON form\" in the README describes it)"),
                )
            })?
        } else {
            vec![parse_document(&text).with_context(|| format!("cannot import {name}"))?]
        };
        for doc in parsed {
            if let Some(&other) = slugs.get(&doc.slug()) {
                return Err(fail(
                    Kind::BadDocument,
                    format!(
                        "{} and {name} both hold the document {}; import one of them",
                        documents[other].0,
                        doc.slug()
                    ),
                ));
            }
            slugs.insert(doc.slug(), documents.len());
            documents.push((name.clone(), doc));
        }
        progress.advance();
    }
    progress.finish();

    let (mut conn, applied) = db::open_read_write(location, busy_timeout, db::EmptyFile::Refuse)?;
    let mut lines: Vec<String> = applied
        .iter()
        .map(|m| format!("applied migration {m}"))
        .collect();
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| db::explain_file_error(e, &location.path))?;
    store::prepare_for_bulk(&tx)?;
    let mut progress = Progress::new("storing", documents.len());
    let (mut added, mut replaced, mut unchanged) = (0, 0, 0);
    // Everything below is one transaction: dropped on an error, it rolls back.
    let stored: Result<()> = (|| {
        for (source, doc) in &documents {
            let stored = store::store_document(&tx, doc, source)
                .with_context(|| format!("could not store {source}"))?;
            match stored.outcome {
                store::Outcome::Added => added += 1,
                store::Outcome::Replaced => replaced += 1,
                store::Outcome::Unchanged => unchanged += 1,
            }
            if documents.len() <= LISTED {
                lines.push(describe_stored(&stored));
            }
            progress.advance();
        }
        store::remove_orphan_figures(&tx)?;
        tx.commit().context("could not commit")
    })();
    progress.finish();
    stored
        .map_err(|e| db::explain_write(e, &location.path))
        .with_context(|| format!("nothing was imported into {}", location.display()))?;
    if documents.len() > LISTED {
        lines.push(format!(
            "imported {} documents into {}: {added} added, {replaced} replaced, {unchanged} unchanged",
            documents.len(),
            location.display()
        ));
    }
    out.lines(&lines)
}

/// Files as given; folders become every `.txt` and `.json` file under them
/// (hidden files and folders skipped), in path order.
fn expand(paths: &[PathBuf]) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
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
    Ok(inputs)
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
