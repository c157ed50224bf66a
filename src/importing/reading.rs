//! Reading the documents of an import: each input read as UTF-8 text and
//! parsed (text or JSON), with what storing it derives worked out here, and
//! the titles met so far, so that a title given twice is refused.

use std::collections::HashMap;
use std::io::Read;

use anyhow::{Context, Result};

use crate::document::{Document, parse_document};
use crate::error::{Kind, fail};
use crate::inputs::{Input, Inputs, digest};
use crate::interchange::{looks_like_json, parse_json_documents};
use crate::store;

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
pub(crate) struct Titles(pub(super) HashMap<u64, u32>);

impl Titles {
    /// `title_key` is the title key of `doc`; `input` is the number of the
    /// document's input in `inputs`; `count(other, key)` says how many
    /// documents with the title key `key` the input `other` holds, or
    /// `None` when it cannot be read again.
    pub(crate) fn check(
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
pub(crate) fn holding(documents: &[(Document, store::Derived)], key: &str) -> usize {
    documents
        .iter()
        .filter(|(_, derived)| derived.title_key == key)
        .count()
}

/// The documents of one input (a JSON file can hold several), with its name.
/// Each document comes with what storing it derives from its text,
/// worked out on the reading thread.
pub type Parsed = (String, Vec<(Document, store::Derived)>);

pub fn read_and_parse(input: &Input) -> Result<Parsed> {
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
    use std::path::PathBuf;

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
