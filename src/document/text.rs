//! Writing a document back in the text format it is parsed from.

use super::{
    COMPARISON_MARKER, DETAIL_MARKER, DIFFERENCE_MARKER, Document, HEADER_FIRST_CELL, SITE_HEADER,
};

impl Document {
    /// Writes the document in the text format it is parsed from. For a
    /// document read from text with LF line ends this gives the same bytes.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut block = |text: &str| {
            out.push_str(text);
            out.push_str("\n\n");
        };
        if self.site_header {
            block(SITE_HEADER);
        }
        block(&self.title);
        block(DIFFERENCE_MARKER);
        block(&self.summary);
        block(COMPARISON_MARKER);
        let mut table = String::new();
        let mut header = vec![HEADER_FIRST_CELL];
        header.extend(self.figures.iter().map(String::as_str));
        table.push_str(&header.join(self.header_separator.as_str()));
        for row in &self.table {
            table.push('\n');
            let mut cells = vec![row.attribute.as_str()];
            cells.extend(row.values.iter().map(String::as_str));
            table.push_str(&cells.join(row.separator.as_str()));
        }
        block(&table);
        block(DETAIL_MARKER);
        for section in &self.sections {
            block(&section.heading);
            for paragraph in &section.paragraphs {
                block(paragraph);
            }
        }
        if let Some(disclaimer) = &self.disclaimer {
            block(disclaimer);
        }
        // Every block was followed by a blank line; the last one is not.
        out.truncate(out.len() - if self.final_newline { 1 } else { 2 });
        out
    }
}
