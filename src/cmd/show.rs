//! `versus show`: a whole document as a person reads it.

use anyhow::Result;

use crate::cmd::init::open_for_reading_checked;
use crate::context::Context;
use crate::error::{Kind, fail};
use crate::format::Format;
use crate::interchange::JsonDocument;
use crate::output::Output;
use crate::queries::resolve_document;
use crate::store;

pub fn run(ctx: &Context, document: &str, format: Format, out: &mut Output) -> Result<()> {
    // The format is checked before the database is opened: a command that
    // fails creates no default database.
    let refuse = || {
        fail(
            Kind::Usage,
            "show draws a document with --format table or markdown (or json); for rows, use `versus query comparison table`",
        )
    };
    if matches!(format, Format::Csv | Format::Tsv) {
        return Err(refuse());
    }
    let conn = open_for_reading_checked(&ctx.location, ctx.busy_timeout, |conn| {
        resolve_document(conn, document).map(|_| ())
    })?;
    let slug = resolve_document(&conn, document)?;
    let doc = store::load_document(&conn, &slug)?
        .ok_or_else(|| fail(Kind::Usage, format!("no document {slug:?}")))?;
    match format {
        Format::Table | Format::Text | Format::Markdown => out.document(&doc),
        Format::Json | Format::Jsonl => {
            let json = JsonDocument::from_document(&doc, &slug);
            let text = if format == Format::Json {
                serde_json::to_string_pretty(&json)?
            } else {
                serde_json::to_string(&json)?
            };
            out.text(&(text + "\n"))
        }
        Format::Csv | Format::Tsv => Err(refuse()),
    }
}
