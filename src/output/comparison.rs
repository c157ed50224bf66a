//! The results of `differences` on a terminal, as a comparison a person
//! reads: for each document (and attribute), each figure with its value on
//! one line, then its paragraphs at the terminal's full width, wrapped
//! between words. `--format table` still draws the grid.

use super::blocks::{DOCUMENT, count, field, styled};
use super::wrap::wrapped;
use rusqlite::types::ValueRef;

/// ANSI escapes for a figure's line (bold), with colour on.
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
        let field = |at: Option<usize>| field(values, at);
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
            styled(out, self.color, DOCUMENT, &wrapped(line, self.width));
            out.push('\n');
            self.last = Some(group);
        }
        let figure = field(self.figure).unwrap_or_default();
        let line = match field(self.value) {
            Some(value) => format!("{figure}: {value}"),
            None => figure,
        };
        styled(out, self.color, FIGURE, &wrapped(line, self.width));
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
        count(out, self.count, "row");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> Vec<String> {
        ["document", "figure", "attribute", "value", "paragraphs"]
            .map(String::from)
            .to_vec()
    }

    /// A topic with only a section (no attribute, no value), a slug longer
    /// than the terminal, a control character and a word longer than the
    /// line: every line fits, nothing is dropped, the NULLs leave no
    /// `NULL` and no empty `: `.
    #[test]
    fn values_of_other_shapes_fit_the_width() {
        let slug = "a-very-long-slug-vs-another-very-long-slug-of-a-document";
        let mut comparison = Comparison::new(&columns(), 30, false);
        let mut out = String::new();
        comparison.row(
            &[
                ValueRef::Text(slug.as_bytes()),
                ValueRef::Text("Σωκράτης".as_bytes()),
                ValueRef::Null,
                ValueRef::Null,
                ValueRef::Text("He asked\u{1b}[31m questions. Supercalifragilisticexpialidocious.\n\nAnd more.".as_bytes()),
            ],
            &mut out,
        );
        comparison.end(&mut out);
        for line in out.lines() {
            assert!(
                textwrap::core::display_width(line) <= 30,
                "{line:?} in\n{out}"
            );
        }
        assert!(out.contains("Σωκράτης\n"), "{out}");
        assert!(!out.contains("NULL") && !out.contains(": \n"), "{out}");
        assert!(
            !out.contains('\u{1b}'),
            "a control character is shown escaped:\n{out}"
        );
        assert!(out.contains("And more."), "{out}");
        assert!(out.ends_with("\n(1 row)\n"), "{out}");
    }
}
