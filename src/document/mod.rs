//! The comparison-document model and its text format: `parse_document` reads
//! the format, `Document::to_text` writes it back. No I/O, no printing.
//!
//! The format (see `seeds/stalin-vs-trotsky.txt`), one element per block of
//! lines, blocks separated by blank lines:
//!
//! ```text
//! vs.                                   optional site header
//! Joseph Stalin vs. Leon Trotsky        title: two or more names joined by " vs. "
//! What's the Difference?
//! <summary paragraphs>
//! Comparison
//! AttributeJoseph StalinLeon Trotsky    header row
//! Foreign policyFocused on ...Advocated for ...   one row per attribute
//! Further Detail
//! <heading>, then its paragraphs, for each section
//! Comparisons may contain ...           optional closing disclaimer
//! ```
//!
//! Table rows usually have their cells glued together with no separator. A
//! glued row is split only where one cell can end and the next begin (see
//! [`split_row`]); when that leaves more than one way to split it, or none,
//! parsing fails and says so, and the author separates the cells with a tab
//! or `" | "`, which is read as written. Nothing is guessed.

use std::fmt;

mod evidence;
mod lexicon;
mod names;
mod parse;
#[cfg(test)]
pub(crate) mod properties;
mod split;
mod text;

pub use evidence::{Decision, Evidence, MARGIN, decide, is_spaceless};
pub use names::{
    Name, SMALL_WORDS, SPACELESS, WORD_ENDS, attribution_names, figure_named_first, first_named,
    full_slug_for, glob_class_sql, has_spaceless, name_ends_sql, name_parts, named_in_any_case,
    named_twice, own_name_parts, slug_for, surname, title_key, topic_key,
};
pub(crate) use parse::evidence;
pub use parse::{is_separated, parse_document, reads_as_heading};
pub use split::{SplitError, split_places, split_row};

/// The marker line that opens the summary.
const DIFFERENCE_MARKER: &str = "What's the Difference?";
const COMPARISON_MARKER: &str = "Comparison";
const DETAIL_MARKER: &str = "Further Detail";
const SITE_HEADER: &str = "vs.";
const HEADER_FIRST_CELL: &str = "Attribute";
/// The closing disclaimer of the format starts with these words.
const DISCLAIMER_START: &str = "Comparisons may contain";

/// How the cells of one table row were separated in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Separator {
    /// Cells written one after the other with nothing between them.
    #[default]
    Glued,
    /// Cells separated by a tab character.
    Tab,
    /// Cells separated by `" | "`.
    Pipe,
}

impl Separator {
    /// The text placed between two cells.
    pub fn as_str(self) -> &'static str {
        match self {
            Separator::Glued => "",
            Separator::Tab => "\t",
            Separator::Pipe => " | ",
        }
    }

    /// The separator written as `as_str` (the database stores it that way).
    pub fn from_stored(text: &str) -> Option<Separator> {
        [Separator::Glued, Separator::Tab, Separator::Pipe]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// One row of the comparison table: an attribute and a value per figure.
///
/// A row versus could not split for sure is kept as written: `attribute`
/// holds the whole row, `values` is empty, and `unresolved` says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub attribute: String,
    /// One value per figure, in the order of `Document::figures`.
    pub values: Vec<String>,
    pub separator: Separator,
    pub unresolved: Option<Unresolved>,
}

impl TableRow {
    /// A row split into its cells.
    pub fn split(attribute: String, values: Vec<String>, separator: Separator) -> TableRow {
        TableRow {
            attribute,
            values,
            separator,
            unresolved: None,
        }
    }

    /// A row from its cells: the attribute, then one value per figure.
    pub fn from_cells(mut cells: Vec<String>, separator: Separator) -> TableRow {
        let values = cells.split_off(1.min(cells.len()));
        TableRow::split(cells.pop().unwrap_or_default(), values, separator)
    }

    /// A row kept as written, undecided.
    pub fn unresolved(text: String, line: usize, readings: Vec<Vec<String>>) -> TableRow {
        TableRow {
            attribute: text,
            values: Vec::new(),
            separator: Separator::Glued,
            unresolved: Some(Unresolved { line, readings }),
        }
    }

    /// The row `text` split into `cells` (the attribute, then one value per
    /// figure) as a person said (`versus resolve`), or `None` when the
    /// cells do not fit: a resolution places the boundaries and never edits
    /// the text, so the cells, one per figure after the attribute, none
    /// empty, must join back into exactly `text`, with nothing between
    /// them (a glued row) or with the tab that separates them.
    pub fn resolved(text: &str, cells: &[String], figures: usize) -> Option<TableRow> {
        if cells.len() != figures + 1 || cells.iter().any(String::is_empty) {
            return None;
        }
        let separator = [Separator::Glued, Separator::Tab]
            .into_iter()
            .find(|s| cells.join(s.as_str()) == text)?;
        Some(TableRow::from_cells(cells.to_vec(), separator))
    }

    /// The row as the text format writes it.
    pub fn text(&self) -> String {
        let mut cells = vec![self.attribute.as_str()];
        cells.extend(self.values.iter().map(String::as_str));
        cells.join(self.separator.as_str())
    }
}

/// Why a row is kept as written: where it was, and its best readings.
/// Two unresolved rows with the same text are the same row: the line and
/// readings are derived from the text, not part of the document.
#[derive(Debug, Clone, Default)]
pub struct Unresolved {
    /// The row's line in its text (0 when not read from text).
    pub line: usize,
    /// The best ways to split it, best first: each the attribute, then one
    /// value per figure. May be empty.
    pub readings: Vec<Vec<String>>,
}

impl PartialEq for Unresolved {
    fn eq(&self, _: &Unresolved) -> bool {
        true
    }
}

impl Eq for Unresolved {}

/// A titled section of prose under "Further Detail".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// A whole comparison document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// `A vs. B`, as written.
    pub title: String,
    /// The figures' full names, in title order.
    pub figures: Vec<String>,
    /// The "What's the Difference?" text; paragraphs separated by a blank line.
    pub summary: String,
    /// How the header row's cells were separated.
    pub header_separator: Separator,
    pub table: Vec<TableRow>,
    pub sections: Vec<Section>,
    pub disclaimer: Option<String>,
    /// Whether the text opened with the site header line `vs.`.
    pub site_header: bool,
    /// Whether the text ended with a line break.
    pub final_newline: bool,
}

/// Why a text is not a comparison document, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number the problem was found at.
    pub line: usize,
    /// What is wrong.
    pub problem: String,
    /// How to fix it.
    pub fix: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}; {}", self.line, self.problem, self.fix)
    }
}

impl std::error::Error for ParseError {}

pub(crate) fn error(line: usize, problem: impl Into<String>, fix: impl Into<String>) -> ParseError {
    ParseError {
        line,
        problem: problem.into(),
        fix: fix.into(),
    }
}

/// Shortens a line for an error message, so one bad line cannot flood the terminal.
pub fn excerpt(text: &str) -> String {
    const MAX: usize = 160;
    if text.chars().count() <= MAX {
        format!("{text:?}")
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{:?}", format!("{head}..."))
    }
}
