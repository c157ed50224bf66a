//! `versus export`: stored documents back out, in the text format they were
//! imported from or as JSON.

use anyhow::{Context as _, Result};

use crate::context::Context;
use crate::document::Document;
use crate::error::{Kind, fail};
use crate::format::Format;
use crate::interchange::{JsonDocument, text_form};
use crate::output::Output;
use crate::queries::resolve_document;
use crate::store;

/// `document` is a slug or title; `None` means every document. `format` is
/// text, json or jsonl (`cli::capabilities` refuses the others).
pub fn run(ctx: &Context, document: Option<&str>, format: Format, out: &mut Output) -> Result<()> {
    // Every check of the input comes before the database is opened: a
    // command that fails creates no default database.
    if document.is_none() && format == Format::Text {
        return Err(fail(
            Kind::Usage,
            "the text format holds one document; export --all with --format json or jsonl",
        ));
    }
    let conn = ctx.open_for_reading_checked(|conn| match document {
        Some(given) => resolve_document(conn, given).map(|_| ()),
        None => Ok(()),
    })?;
    let documents: Vec<(String, Document)> = match document {
        Some(given) => {
            let slug = resolve_document(&conn, given)?;
            vec![(slug.clone(), load(&conn, &slug)?)]
        }
        // Every document, streamed one at a time in flat memory, once a
        // look at the values other tools may have written finds none that
        // would stop a document halfway (then they are all read first, so
        // that the error comes before any output).
        None if crate::kinds::wrong_kinds(&conn)?.is_empty() => {
            return stream_all(&conn, format, out);
        }
        None => store::document_slugs(&conn)?
            .iter()
            .map(|slug| Ok((slug.clone(), load(&conn, slug)?)))
            .collect::<Result<_>>()?,
    };
    let text = match format {
        Format::Text => text_form(&documents[0].1).map_err(|why| {
            fail(
                Kind::Failure,
                format!(
                    "{} cannot be written in the text format as it is stored: {why}; fix it with `versus sql --write`, or export it with --format json",
                    documents[0].0
                ),
            )
        })?,
        Format::Jsonl => documents
            .iter()
            .map(|(slug, d)| {
                serde_json::to_string(&JsonDocument::from_document(d, slug)).map(|j| j + "\n")
            })
            .collect::<serde_json::Result<String>>()?,
        _ if document.is_some() => {
            let (slug, doc) = &documents[0];
            serde_json::to_string_pretty(&JsonDocument::from_document(doc, slug))? + "\n"
        }
        _ => {
            let all: Vec<JsonDocument> =
                documents
                    .iter()
                    .map(|(slug, doc)| JsonDocument::from_document(doc, slug))
                    .collect();
            serde_json::to_string_pretty(&all)? + "\n"
        }
    };
    out.text(&text)
}

fn load(conn: &rusqlite::Connection, slug: &str) -> Result<Document> {
    store::load_document(conn, slug)?
        .ok_or_else(|| fail(Kind::Usage, format!("no document {slug:?}")))
}

/// Writes every document as JSON Lines or as one pretty JSON array (the
/// same bytes as serialising them all at once), loading one at a time.
fn stream_all(conn: &rusqlite::Connection, format: Format, out: &mut Output) -> Result<()> {
    use serde::ser::{SerializeSeq, Serializer};
    use std::io::Write;
    let written = |e: serde_json::Error| {
        anyhow::Error::new(std::io::Error::from(e)).context(crate::output::WRITE_FAILED)
    };
    let slugs = store::document_slugs(conn)?;
    if format == Format::Jsonl {
        for slug in &slugs {
            let doc = load(conn, slug)?;
            let writer = out.writer();
            serde_json::to_writer(&mut *writer, &JsonDocument::from_document(&doc, slug))
                .map_err(written)?;
            writer
                .write_all(b"\n")
                .context(crate::output::WRITE_FAILED)?;
        }
    } else {
        let mut serializer = serde_json::Serializer::pretty(out.writer());
        let mut seq = serializer
            .serialize_seq(Some(slugs.len()))
            .map_err(written)?;
        for slug in &slugs {
            let doc = load(conn, slug)?;
            seq.serialize_element(&JsonDocument::from_document(&doc, slug))
                .map_err(written)?;
        }
        seq.end().map_err(written)?;
        out.writer()
            .write_all(b"\n")
            .context(crate::output::WRITE_FAILED)?;
    }
    out.text("")
}
