//! A whole document drawn for people (`versus show`): as text for the
//! terminal, or as Markdown.

use crate::document::{Document, TableRow};

/// What marks a value of a row kept as written: it has no values yet.
const UNRESOLVED: &str = "?";

/// A row's cells for the table: an unresolved row is its text, with
/// [`UNRESOLVED`] for each value.
fn cells(doc: &Document, row: &TableRow) -> Vec<String> {
    if row.unresolved.is_some() {
        return std::iter::once(row.attribute.clone())
            .chain(doc.figures.iter().map(|_| UNRESOLVED.to_string()))
            .collect();
    }
    std::iter::once(row.attribute.clone())
        .chain(row.values.iter().cloned())
        .collect()
}

/// The line under a table with rows kept as written.
fn unresolved_note(doc: &Document) -> Option<String> {
    let n = doc.table.iter().filter(|r| r.unresolved.is_some()).count();
    (n > 0).then(|| {
        format!(
            "{UNRESOLVED} {n} row{} kept as written, unresolved: versus could not tell for sure where its cells begin; `versus resolve` settles {}",
            if n == 1 { " is" } else { "s are" },
            if n == 1 { "it" } else { "them" }
        )
    })
}

use super::{markdown_cell, table};

/// Title, summary, the comparison table with a column per figure, then each
/// section. On a terminal prose is wrapped to its width between words; otherwise each
/// paragraph stays one line.
pub fn text(doc: &Document, width: Option<usize>) -> String {
    let wrap = |text: &str| match width {
        Some(w) => super::wrap::wrapped(text.to_string(), w.min(100)),
        None => text.to_string(),
    };
    let mut out = String::new();
    out.push_str(&doc.title);
    out.push('\n');
    out.push_str(&"=".repeat(textwrap::core::display_width(&doc.title)));
    out.push_str("\n\n");
    for paragraph in doc.summary.split("\n\n") {
        out.push_str(&wrap(paragraph));
        out.push_str("\n\n");
    }
    let mut columns = vec!["Attribute".to_string()];
    columns.extend(doc.figures.iter().cloned());
    let rows: Vec<Vec<String>> = doc.table.iter().map(|row| cells(doc, row)).collect();
    out.push_str(&table::draw(&columns, rows, width, false));
    if let Some(note) = unresolved_note(doc) {
        out.push_str(&wrap(&note));
        out.push('\n');
    }
    for section in &doc.sections {
        out.push('\n');
        out.push_str(&section.heading);
        out.push('\n');
        out.push_str(&"-".repeat(textwrap::core::display_width(&section.heading)));
        out.push('\n');
        for paragraph in &section.paragraphs {
            out.push('\n');
            out.push_str(&wrap(paragraph));
            out.push('\n');
        }
    }
    if let Some(disclaimer) = &doc.disclaimer {
        out.push('\n');
        out.push_str(&wrap(disclaimer));
        out.push('\n');
    }
    out
}

/// The same as Markdown: `#` title, the table as a Markdown table, `##` per
/// section, the disclaimer in italics.
pub fn markdown(doc: &Document) -> String {
    let mut out = format!("# {}\n\n", doc.title);
    for paragraph in doc.summary.split("\n\n") {
        out.push_str(paragraph);
        out.push_str("\n\n");
    }
    let header: Vec<String> = std::iter::once("Attribute".to_string())
        .chain(doc.figures.iter().map(|f| markdown_cell(f)))
        .collect();
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    out.push_str(&format!("|{}\n", " --- |".repeat(header.len())));
    for row in &doc.table {
        let cells: Vec<String> = cells(doc, row).iter().map(|c| markdown_cell(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    if let Some(note) = unresolved_note(doc) {
        out.push_str(&format!("\n*{note}*\n"));
    }
    for section in &doc.sections {
        out.push_str(&format!("\n## {}\n", section.heading));
        for paragraph in &section.paragraphs {
            out.push('\n');
            out.push_str(paragraph);
            out.push('\n');
        }
    }
    if let Some(disclaimer) = &doc.disclaimer {
        out.push_str(&format!("\n*{disclaimer}*\n"));
    }
    out
}
