//! `versus import`: read documents from files or standard input, parse them
//! all, then store them all in one `BEGIN IMMEDIATE` transaction. Any error,
//! in any file, leaves the database exactly as it was.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::TransactionBehavior;

use crate::cmd::init::describe_stored;
use crate::db::{self, Location};
use crate::document::{Document, parse_document};
use crate::error::{Kind, fail};
use crate::output::Output;
use crate::store;

pub fn run(
    location: &Location,
    busy_timeout: Duration,
    files: &[PathBuf],
    out: &mut Output,
) -> Result<()> {
    // Parse everything before the database is even opened: a bad document
    // must not cost a migration or a lock.
    let mut documents: Vec<(String, Document)> = Vec::with_capacity(files.len());
    for path in files {
        let name = if path.as_os_str() == "-" {
            "-".to_string()
        } else {
            path.display().to_string()
        };
        let text = read_text(path)?;
        let doc = parse_document(&text).with_context(|| format!("cannot import {name}"))?;
        if let Some((other, _)) = documents.iter().find(|(_, d)| d.slug() == doc.slug()) {
            return Err(fail(
                Kind::BadDocument,
                format!(
                    "{other} and {name} are both the document {}; import one of them",
                    doc.slug()
                ),
            ));
        }
        documents.push((name, doc));
    }

    let (mut conn, applied) = db::open_read_write(location, busy_timeout, db::EmptyFile::Refuse)?;
    let mut lines: Vec<String> = applied
        .iter()
        .map(|m| format!("applied migration {m}"))
        .collect();
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| db::explain_file_error(e, &location.path))?;
    // Everything below is one transaction: dropped on an error, it rolls back.
    let stored: Result<()> = (|| {
        for (source, doc) in &documents {
            let stored = store::store_document(&tx, doc, source)
                .with_context(|| format!("could not store {source}"))?;
            lines.push(describe_stored(&stored));
        }
        store::remove_orphan_figures(&tx)?;
        tx.commit().context("could not commit")
    })();
    stored
        .map_err(|e| db::explain_write(e, &location.path))
        .with_context(|| format!("nothing was imported into {}", location.display()))?;
    out.lines(&lines)
}

/// Reads a document as UTF-8 text, with errors that say what the file is.
fn read_text(path: &Path) -> Result<String> {
    let bad = |what: String| fail(Kind::BadDocument, what);
    let bytes = if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("cannot read the document from standard input")?;
        bytes
    } else {
        if path.is_dir() {
            return Err(bad(format!(
                "{} is a directory; give the document files inside it",
                path.display()
            )));
        }
        std::fs::read(path).map_err(|e| {
            bad(format!(
                "cannot read {}: {}; check the path",
                path.display(),
                io_reason(&e)
            ))
        })?
    };
    let name = if path.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        path.display().to_string()
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
