//! `versus show`: a whole document as a person reads it.

use anyhow::Result;
use rusqlite::Connection;

use crate::context::Context;
use crate::error::{Kind, fail};
use crate::format::Format;
use crate::interchange::JsonDocument;
use crate::output::Output;
use crate::queries::resolve_document;
use crate::store;

/// Draws the document in `format`: JSON (pretty), JSON Lines (the shell's
/// `.show` under `.format jsonl`), or drawn for people, as Markdown when
/// `out` writes Markdown. Which formats `versus show` takes is
/// `cli::capabilities`'s to say.
pub fn run(ctx: &Context, document: &str, format: Format, out: &mut Output) -> Result<()> {
    let conn = ctx.open_for_reading_checked(|conn| resolve_document(conn, document).map(|_| ()))?;
    execute(&conn, document, format, out)
}

/// Draws the document on an open connection (`versus shell`'s `.show`).
pub fn execute(conn: &Connection, document: &str, format: Format, out: &mut Output) -> Result<()> {
    let slug = resolve_document(conn, document)?;
    let doc = store::load_document(conn, &slug)?
        .ok_or_else(|| fail(Kind::Usage, format!("no document {slug:?}")))?;
    match format {
        Format::Json | Format::Jsonl => {
            let json = JsonDocument::from_document(&doc, &slug);
            let text = if format == Format::Json {
                serde_json::to_string_pretty(&json)?
            } else {
                serde_json::to_string(&json)?
            };
            out.text(&(text + "\n"))
        }
        Format::Table | Format::Markdown | Format::Text | Format::Csv | Format::Tsv => {
            out.document(&doc)
        }
    }
}
