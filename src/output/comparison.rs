//! The results of `differences` on a terminal, as a comparison a person
//! reads: for each document (and attribute), each figure with its value on
//! one line, then its paragraphs at the terminal's full width, wrapped
//! between words. `--format table` still draws the grid.

use super::values::table_text;
use super::wrap::wrapped;
use rusqlite::types::ValueRef;

/// ANSI escapes for the document line (magenta and bold, as search's) and
/// a figure's line (bold), with colour on.
const DOCUMENT: (&str, &str) = ("\u{1b}[35m\u{1b}[1m", "\u{1b}[0m");
const FIGURE: (&str, &str) = ("\u{1b}[1m", "\u{1b}[0m");

/// A comparison being written row by row (a row is one figure of one
/// document: document, figure, attribute, value, paragraphs).
pub struct Comparison {
    document: Option<usize>,
    figure: Option<usize>,
    attribute: Option<usize>,
    value: Option<usize>,
    paragraphs: Option<usize>,
    width: usize,
    color: bool,
    last: Option<(String, String)>,
    count: u64,
}

impl Comparison {
    pub fn new(columns: &[String], width: usize, color: bool) -> Comparison {
        let at = |name: &str| columns.iter().position(|c| c == name);
        Comparison {
            document: at("document"),
            figure: at("figure"),
            attribute: at("attribute"),
            value: at("value"),
            paragraphs: at("paragraphs"),
            width,
            color,
            last: None,
            count: 0,
        }
    }

    /// Appends one figure's value and paragraphs to `out`, after the
    /// document's line when it is its first.
    pub fn row(&mut self, values: &[ValueRef<'_>], out: &mut String) {
        let field = |at: Option<usize>| -> Option<String> {
            let value = *values.get(at?)?;
            (!matches!(value, ValueRef::Null)).then(|| table_text(value))
        };
        let document = field(self.document).unwrap_or_default();
        let attribute = field(self.attribute).unwrap_or_default();
        let group = (document, attribute);
        if self.last.as_ref() != Some(&group) {
            if self.last.is_some() {
                out.push('\n');
            }
            let line = if group.1.is_empty() {
                group.0.clone()
            } else {
                format!("{} · {}", group.0, group.1)
            };
            self.styled(out, DOCUMENT, &wrapped(line, self.width));
            out.push('\n');
            self.last = Some(group);
        }
        let figure = field(self.figure).unwrap_or_default();
        let line = match field(self.value) {
            Some(value) => format!("{figure}: {value}"),
            None => figure,
        };
        self.styled(out, FIGURE, &wrapped(line, self.width));
        out.push('\n');
        if let Some(paragraphs) = field(self.paragraphs) {
            for paragraph in paragraphs.split("\n\n").filter(|p| !p.trim().is_empty()) {
                out.push_str(&wrapped(paragraph.replace('\n', " "), self.width));
                out.push('\n');
            }
        }
        self.count += 1;
    }

    /// Appends the closing `(N rows)` line.
    pub fn end(&self, out: &mut String) {
        if self.count > 0 {
            out.push('\n');
        }
        let count = self.count;
        out.push_str(&format!(
            "({count} row{})\n",
            if count == 1 { "" } else { "s" }
        ));
    }

    fn styled(&self, out: &mut String, (on, off): (&str, &str), text: &str) {
        if !self.color {
            out.push_str(text);
            return;
        }
        for (n, line) in text.split('\n').enumerate() {
            if n > 0 {
                out.push('\n');
            }
            out.push_str(on);
            out.push_str(line);
            out.push_str(off);
        }
    }
}
