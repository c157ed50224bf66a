//! The JSON form of a document, for `versus export --format json` and for
//! importing JSON back: serde types, conversion to and from the model, and
//! the checks that keep a JSON document writable in the text format too.
//!
//! ```json
//! {
//!   "slug": "stalin-vs-trotsky",
//!   "title": "Joseph Stalin vs. Leon Trotsky",
//!   "figures": ["Joseph Stalin", "Leon Trotsky"],
//!   "summary": "Joseph Stalin and Leon Trotsky were ...",
//!   "table": [
//!     {"attribute": "Foreign policy",
//!      "values": {"Joseph Stalin": "Focused on ...", "Leon Trotsky": "Advocated ..."}},
//!     {"attribute": "Born", "values": {...}, "separator": "tab"}
//!   ],
//!   "sections": [{"heading": "Background", "paragraphs": ["...", "..."]}],
//!   "disclaimer": "Comparisons may contain ...",
//!   "layout": {"site_header": true, "final_newline": false}
//! }
//! ```
//!
//! `slug` is what export says the document is stored under; import ignores
//! it, since a document is identified by its title (a stored title keeps its
//! slug, a new one gets one by the slug rules in docs/FORMAT.md).
//! `separator` ("glued", "tab" or "pipe") says how the row's cells are
//! separated in the text form; without it a row is glued when it splits back
//! into the same cells, and written with `" | "` otherwise. `layout` is
//! optional too: by default the text form opens with `vs.`, ends with a line
//! break and glues the header row.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::document::{
    Decision, Document, Section, Separator, TableRow, decide, evidence, is_separated,
    parse_document, reads_as_heading,
};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonDocument {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    pub title: String,
    pub figures: Vec<String>,
    pub summary: String,
    pub table: Vec<JsonRow>,
    pub sections: Vec<JsonSection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclaimer: Option<String>,
    #[serde(default, skip_serializing_if = "Layout::is_default")]
    pub layout: Layout,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonRow {
    /// The attribute; for an unresolved row, the whole row as written.
    pub attribute: String,
    /// One value per figure, keyed by the figure's full name; empty for an
    /// unresolved row.
    pub values: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separator: Option<JsonSeparator>,
    /// `true` for a row versus could not split for sure, kept as written.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unresolved: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JsonSeparator {
    Glued,
    Tab,
    Pipe,
}

impl From<Separator> for JsonSeparator {
    fn from(s: Separator) -> Self {
        match s {
            Separator::Glued => JsonSeparator::Glued,
            Separator::Tab => JsonSeparator::Tab,
            Separator::Pipe => JsonSeparator::Pipe,
        }
    }
}

impl From<JsonSeparator> for Separator {
    fn from(s: JsonSeparator) -> Self {
        match s {
            JsonSeparator::Glued => Separator::Glued,
            JsonSeparator::Tab => Separator::Tab,
            JsonSeparator::Pipe => Separator::Pipe,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonSection {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    #[serde(default = "yes")]
    pub site_header: bool,
    #[serde(default = "yes")]
    pub final_newline: bool,
    #[serde(default = "glued")]
    pub header_separator: JsonSeparator,
}

fn yes() -> bool {
    true
}

fn glued() -> JsonSeparator {
    JsonSeparator::Glued
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            site_header: true,
            final_newline: true,
            header_separator: JsonSeparator::Glued,
        }
    }
}

impl Layout {
    fn is_default(&self) -> bool {
        *self == Layout::default()
    }
}

impl JsonDocument {
    /// The JSON form of `doc`, stored under `slug`.
    pub fn from_document(doc: &Document, slug: &str) -> JsonDocument {
        // A glued row leaves its separator out when the import would glue
        // it again by itself; one it would not (an empty cell another tool
        // wrote, say) says "glued", so that a backup imports back the same.
        let natural: Vec<bool> = doc
            .table
            .iter()
            .map(|r| r.separator == Separator::Glued && r.unresolved.is_none())
            .collect();
        let mut probe = doc.clone();
        natural_separators(&mut probe, &natural);
        let separator = |n: usize, row: &TableRow| {
            if row.separator != Separator::Glued {
                Some(row.separator.into())
            } else if probe.table[n].separator != Separator::Glued {
                Some(JsonSeparator::Glued)
            } else {
                None
            }
        };
        JsonDocument {
            slug: Some(slug.to_string()),
            title: doc.title.clone(),
            figures: doc.figures.clone(),
            summary: doc.summary.clone(),
            table: doc
                .table
                .iter()
                .enumerate()
                .map(|(n, row)| JsonRow {
                    attribute: row.attribute.clone(),
                    values: doc
                        .figures
                        .iter()
                        .cloned()
                        .zip(row.values.iter().map(|v| Value::String(v.clone())))
                        .collect(),
                    separator: separator(n, row),
                    unresolved: row.unresolved.is_some(),
                })
                .collect(),
            sections: doc
                .sections
                .iter()
                .map(|s| JsonSection {
                    heading: s.heading.clone(),
                    paragraphs: s.paragraphs.clone(),
                })
                .collect(),
            disclaimer: doc.disclaimer.clone(),
            layout: Layout {
                site_header: doc.site_header,
                final_newline: doc.final_newline,
                header_separator: doc.header_separator.into(),
            },
        }
    }

    /// The model, after checking what the JSON form cannot enforce: the
    /// title is the figures joined by " vs. ", every row has exactly one
    /// value per figure, and the document can be written in the text format
    /// and read back the same.
    pub fn into_document(self) -> Result<Document, String> {
        if self.figures.len() < 2 {
            return Err("\"figures\" needs at least two names".to_string());
        }
        // As the text format, whose title cannot name a figure with nothing.
        if let Some(n) = self.figures.iter().position(|f| f.trim().is_empty()) {
            return Err(format!(
                "figure {} in \"figures\" is blank ({:?}); give each figure's full name",
                n + 1,
                self.figures[n]
            ));
        }
        if let Some(c) = std::iter::once(&self.title)
            .chain(&self.figures)
            .flat_map(|t| t.chars())
            .find(|c| c.is_control() && *c != '\t')
        {
            return Err(format!(
                "the title or a figure's name holds the control character U+{:04X}, which would reach the terminal of whoever lists it; remove it",
                c as u32
            ));
        }
        if let Some(dup) = crate::document::named_twice(&self.figures) {
            return Err(format!(
                "\"figures\" names {dup} twice (names are compared ignoring case and spacing); compare different figures"
            ));
        }
        // The title may say more than the figures joined ("Vladimir Lenin
        // vs. Leon Trotsky (draft)", as another tool may retitle a stored
        // document): the JSON form names the figures itself, so a backup
        // made by `export --all` always imports back. Only the text format,
        // whose figures are its title, cannot hold such a document.
        if self.title.trim().is_empty() {
            return Err("\"title\" is blank; give the document a title".to_string());
        }
        let mut table = Vec::with_capacity(self.table.len());
        let mut natural = Vec::with_capacity(self.table.len());
        for (n, row) in self.table.into_iter().enumerate() {
            if row.attribute.trim().is_empty() {
                return Err(format!(
                    "table row {} has an empty attribute; name it or leave the row out",
                    n + 1
                ));
            }
            if row.unresolved {
                if !row.values.is_empty() || row.separator.is_some() {
                    return Err(format!(
                        "table row {} ({:?}) is unresolved, so it has no values or separator: the attribute holds the whole row",
                        n + 1,
                        row.attribute
                    ));
                }
                table.push(TableRow::unresolved(row.attribute, 0, Vec::new()));
                natural.push(false);
                continue;
            }
            let mut values = Vec::with_capacity(self.figures.len());
            for figure in &self.figures {
                match row.values.get(figure) {
                    Some(Value::String(v)) => values.push(v.clone()),
                    Some(_) => {
                        return Err(format!(
                            "table row {} ({:?}): the value for {figure} is not a string",
                            n + 1,
                            row.attribute
                        ));
                    }
                    None => {
                        return Err(format!(
                            "table row {} ({:?}) has no value for {figure}",
                            n + 1,
                            row.attribute
                        ));
                    }
                }
            }
            if let Some(extra) = row.values.keys().find(|k| !self.figures.contains(k)) {
                return Err(format!(
                    "table row {} ({:?}) has a value for {extra}, who is not one of the figures",
                    n + 1,
                    row.attribute
                ));
            }
            natural.push(row.separator.is_none());
            let separator = row.separator.map_or(Separator::Glued, Separator::from);
            table.push(TableRow::split(row.attribute, values, separator));
        }
        let doc = Document {
            title: self.title,
            figures: self.figures,
            summary: self.summary,
            header_separator: self.layout.header_separator.into(),
            table,
            sections: self
                .sections
                .into_iter()
                .map(|s| Section {
                    heading: s.heading,
                    paragraphs: s.paragraphs,
                })
                .collect(),
            disclaimer: self.disclaimer,
            site_header: self.layout.site_header,
            final_newline: self.layout.final_newline,
        };
        let mut doc = doc;
        natural_separators(&mut doc, &natural);
        // The database holds what it is given, whether or not the text format
        // could (export --format text says when it cannot); its CHECKs want
        // text in these places.
        if doc.summary.trim().is_empty() {
            return Err("\"summary\" is empty; write the summary".to_string());
        }
        for (n, section) in doc.sections.iter().enumerate() {
            if section.heading.trim().is_empty()
                || section.paragraphs.iter().any(|p| p.trim().is_empty())
            {
                return Err(format!(
                    "section {} has an empty heading or paragraph; fill it in or leave it out",
                    n + 1
                ));
            }
        }
        Ok(doc)
    }
}

/// The document in the text format, if that format can hold it: written
/// out and read back, it must be the same document. A document imported as
/// JSON or edited with SQL may not fit (a heading ending like a sentence, a
/// paragraph that reads as a heading); the error says which part, so that
/// it can be fixed or exported as JSON instead.
pub fn text_form(doc: &Document) -> Result<String, String> {
    for (n, section) in doc.sections.iter().enumerate() {
        if section.heading.contains('\n') || !reads_as_heading(&section.heading) {
            return Err(format!(
                "section {} has the heading {:?}, which the text format would read as a paragraph",
                n + 1,
                section.heading
            ));
        }
        if section.paragraphs.is_empty() {
            return Err(format!(
                "section {} ({:?}) has no paragraphs",
                n + 1,
                section.heading
            ));
        }
        for (m, paragraph) in section.paragraphs.iter().enumerate() {
            if (!paragraph.contains('\n') && reads_as_heading(paragraph.trim()))
                || paragraph.contains("\n\n")
            {
                return Err(format!(
                    "paragraph {} of section {} ({:?}) would read as a heading, or as two paragraphs, in the text format",
                    m + 1,
                    n + 1,
                    section.heading
                ));
            }
        }
    }
    let text = doc.to_text();
    match parse_document(&text) {
        Ok(back) => {
            if reads_back_as(back, doc) {
                Ok(text)
            } else {
                Err("the text format would read it back differently".to_string())
            }
        }
        Err(e) => Err(format!(
            "the text format would not read it back ({})",
            e.problem
        )),
    }
}

/// Whether `back`, read from `doc`'s text, is `doc`. A glued row a person
/// resolved (`row_resolutions`) reads back unresolved, with the same text:
/// the text holds it byte for byte, and an import applies the resolution
/// again.
fn reads_back_as(mut back: Document, doc: &Document) -> bool {
    if back.table.len() == doc.table.len() {
        for (read, stored) in back.table.iter_mut().zip(&doc.table) {
            if read.unresolved.is_some()
                && stored.unresolved.is_none()
                && stored.separator == Separator::Glued
                && read.attribute == stored.text()
            {
                *read = stored.clone();
            }
        }
    }
    back == *doc
}

/// Gives each row whose separator the JSON leaves open (`natural`) the one
/// the text format reads back: glued when the text format splits the glued
/// row into the same cells, `" | "` otherwise. Glued rows are decided on the
/// evidence of the whole document, as parsing decides them, and a row made
/// `" | "` adds its words to that evidence: the rows still glued are weighed
/// again until none changes.
pub(crate) fn natural_separators(doc: &mut Document, natural: &[bool]) {
    let cells = doc.figures.len() + 1;
    loop {
        let piped: Vec<usize> = {
            let words: Vec<&str> = doc
                .table
                .iter()
                .filter(|r| r.unresolved.is_none() && r.separator != Separator::Glued)
                .flat_map(|r| {
                    std::iter::once(r.attribute.as_str()).chain(r.values.iter().map(String::as_str))
                })
                .collect();
            let evidence = evidence(&doc.summary, &doc.sections, words, &doc.figures);
            doc.table
                .iter()
                .enumerate()
                .filter(|(n, row)| {
                    natural.get(*n).copied().unwrap_or(false)
                        && row.separator == Separator::Glued
                        && row.unresolved.is_none()
                        && {
                            let text = row.text();
                            is_separated(&text)
                                || decide(&text, cells, &evidence)
                                    != Decision::Split(
                                        std::iter::once(&row.attribute)
                                            .chain(&row.values)
                                            .cloned()
                                            .collect(),
                                    )
                        }
                })
                .map(|(n, _)| n)
                .collect()
        };
        if piped.is_empty() {
            return;
        }
        for n in piped {
            doc.table[n].separator = Separator::Pipe;
        }
    }
}

/// Whether a text looks like JSON rather than the text format, which never
/// starts with `{` or `[`.
pub fn looks_like_json(text: &str) -> bool {
    matches!(
        text.trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next(),
        Some('{' | '[')
    )
}

/// Reads JSON documents: one object, an array of them, or one per line.
pub fn parse_json_documents(text: &str) -> Result<Vec<Document>, String> {
    let text = text.trim_start_matches('\u{feff}');
    // serde_json's message ends with the line and column.
    let located = |e: serde_json::Error| e.to_string();
    let parsed: Vec<JsonDocument> = if text.trim_start().starts_with('[') {
        serde_json::from_str(text).map_err(located)?
    } else {
        serde_json::Deserializer::from_str(text)
            .into_iter::<JsonDocument>()
            .collect::<Result<_, _>>()
            .map_err(located)?
    };
    if parsed.is_empty() {
        return Err("it holds no document".to_string());
    }
    parsed
        .into_iter()
        .enumerate()
        .map(|(n, d)| {
            d.into_document()
                .map_err(|e| format!("document {}: {e}", n + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_goes_to_json_and_back() {
        let doc = parse_document(include_str!("../seeds/stalin-vs-trotsky.txt")).unwrap();
        let json =
            serde_json::to_string_pretty(&JsonDocument::from_document(&doc, &doc.slug())).unwrap();
        assert!(
            json.contains("\"Joseph Stalin\": \"Focused on expanding Soviet influence\""),
            "{json}"
        );
        assert_eq!(parse_json_documents(&json).unwrap(), vec![doc]);
    }

    #[test]
    fn an_unsplittable_row_gets_pipes_and_bad_documents_are_named() {
        let json = r#"{"title": "Karl Marx vs. Friedrich Engels", "figures": ["Karl Marx", "Friedrich Engels"],
            "summary": "Two friends.", "table": [{"attribute": "Born", "values": {"Karl Marx": "5 May 1818", "Friedrich Engels": "28 November 1820"}}],
            "sections": [{"heading": "Works", "paragraphs": ["Marx wrote."]}]}"#;
        let doc = &parse_json_documents(json).unwrap()[0];
        assert_eq!(doc.table[0].separator, Separator::Pipe);
        assert!(
            doc.to_text()
                .contains("Born | 5 May 1818 | 28 November 1820")
        );
        let missing = json.replace(", \"Friedrich Engels\": \"28 November 1820\"", "");
        assert_eq!(
            parse_json_documents(&missing).unwrap_err(),
            "document 1: table row 1 (\"Born\") has no value for Friedrich Engels"
        );
        let blank = json.replace("\"Friedrich Engels\"", "\" \\t \"");
        assert_eq!(
            parse_json_documents(&blank).unwrap_err(),
            "document 1: figure 2 in \"figures\" is blank (\" \\t \"); give each figure's full name"
        );
        let no_attribute = json.replace("\"attribute\": \"Born\"", "\"attribute\": \" \"");
        assert_eq!(
            parse_json_documents(&no_attribute).unwrap_err(),
            "document 1: table row 1 has an empty attribute; name it or leave the row out"
        );
        let bad = json.replace("\"title\"", "\"titel\"");
        assert!(
            parse_json_documents(&bad)
                .unwrap_err()
                .contains("at line 1 column")
        );
    }
}
