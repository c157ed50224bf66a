//! A whole document drawn for people (`versus show`): as text for the
//! terminal, or as Markdown.

use crate::document::Document;

use super::{markdown_cell, table};

/// Title, summary, the comparison table with a column per figure, then each
/// section. On a terminal prose is wrapped to its width; otherwise each
/// paragraph stays one line.
pub fn text(doc: &Document, width: Option<usize>) -> String {
    let wrap = |text: &str| match width {
        Some(w) => textwrap::fill(text, w.min(100)),
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
    let rows: Vec<Vec<String>> = doc
        .table
        .iter()
        .map(|row| {
            std::iter::once(row.attribute.clone())
                .chain(row.values.iter().cloned())
                .collect()
        })
        .collect();
    out.push_str(&table::draw(&columns, rows, width, false));
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
        let cells: Vec<String> = std::iter::once(&row.attribute)
            .chain(&row.values)
            .map(|c| markdown_cell(c))
            .collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
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
