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
mod split;

pub use evidence::{Decision, Evidence, MARGIN, decide, is_spaceless};
pub use names::{
    Name, SMALL_WORDS, SPACELESS, WORD_ENDS, attribution_names, figure_named_first, first_named,
    full_slug_for, glob_class_sql, has_spaceless, name_ends_sql, name_parts, named_in_any_case,
    named_twice, own_name_parts, slug_for, surname, title_key, topic_key,
};
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

/// A run of non-blank lines.
struct Block<'a> {
    /// 1-based number of the first line.
    line: usize,
    lines: Vec<&'a str>,
}

impl Block<'_> {
    fn text(&self) -> String {
        self.lines.join("\n")
    }
}

/// Splits text into blocks of non-blank lines. Accepts a UTF-8 byte-order
/// mark and CRLF line ends; surrounding white space on a line is not content.
fn blocks(text: &str) -> Vec<Block<'_>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out: Vec<Block> = Vec::new();
    let mut open = false;
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            open = false;
            continue;
        }
        match out.last_mut() {
            Some(block) if open => block.lines.push(line),
            _ => {
                out.push(Block {
                    line: index + 1,
                    lines: vec![line],
                });
                open = true;
            }
        }
    }
    out
}

/// Parses a comparison document. Errors name the line and say how to fix it.
pub fn parse_document(text: &str) -> Result<Document, ParseError> {
    if text.contains('\0') {
        let line = text[..text.find('\0').unwrap_or(0)].matches('\n').count() + 1;
        return Err(error(
            line,
            "the text contains a NUL byte, so it is binary, not a document",
            "give a plain-text comparison document",
        ));
    }
    let blocks = blocks(text);
    let mut rest = blocks.iter().peekable();
    let end_line = text.lines().count().max(1);

    let final_newline = text.ends_with('\n');
    let Some(mut block) = rest.next() else {
        return Err(error(
            1,
            "the document is empty",
            "give a comparison document that starts with its title line `A vs. B`",
        ));
    };
    let site_header = block.lines[0] == SITE_HEADER;
    if site_header {
        if block.lines.len() > 1 {
            return Err(error(
                block.line + 1,
                "expected a blank line after the site header `vs.`",
                "put the title on its own line after a blank line",
            ));
        }
        block = rest.next().ok_or_else(|| {
            error(
                end_line,
                "the document ends after its header",
                "add the title line `A vs. B`",
            )
        })?;
    }

    // Title.
    let title = block.lines[0].to_string();
    let figures: Vec<String> = title.split(" vs. ").map(|n| n.trim().to_string()).collect();
    if figures.len() < 2 || figures.iter().any(|n| n.is_empty()) {
        return Err(error(
            block.line,
            format!(
                "expected a title of the form `A vs. B`, found {}",
                excerpt(&title)
            ),
            "write the title as the figures' names joined by \" vs. \"",
        ));
    }
    if let Some(c) = title.chars().find(|c| c.is_control() && *c != '\t') {
        return Err(error(
            block.line,
            format!(
                "the title holds the control character U+{:04X}, which would reach the terminal of whoever lists it",
                c as u32
            ),
            "remove it from the title",
        ));
    }
    if let Some(dup) = named_twice(&figures) {
        return Err(error(
            block.line,
            format!("the title names {dup} twice"),
            "compare different figures",
        ));
    }
    let mut after_title = block.lines[1..].iter();
    let marker_line = block.line + 1;
    let marker = match after_title.next() {
        Some(line) => Some((marker_line, *line)),
        None => rest.next().map(|b| {
            if b.lines.len() > 1 {
                (b.line, "")
            } else {
                (b.line, b.lines[0])
            }
        }),
    };
    match marker {
        Some((_, m)) if is_difference_marker(m) => {}
        Some((line, m)) => {
            return Err(error(
                line,
                format!(
                    "expected \"{DIFFERENCE_MARKER}\" after the title, found {}",
                    excerpt(m)
                ),
                format!("put the line \"{DIFFERENCE_MARKER}\" between the title and the summary"),
            ));
        }
        None => {
            return Err(error(
                end_line,
                "the document ends after its title",
                format!(
                    "add \"{DIFFERENCE_MARKER}\", the summary, the comparison table and the sections"
                ),
            ));
        }
    }
    if after_title.next().is_some() {
        return Err(error(
            marker_line + 1,
            format!("expected a blank line after \"{DIFFERENCE_MARKER}\""),
            "separate the summary from the marker line with a blank line",
        ));
    }

    // Summary: every block up to the "Comparison" line.
    let mut summary = Vec::new();
    let comparison = loop {
        match rest.next() {
            None => {
                return Err(error(
                    end_line,
                    "the document ends in its summary, before the comparison table",
                    format!(
                        "add a \"{COMPARISON_MARKER}\" line followed by the table, or restore the cut-off text"
                    ),
                ));
            }
            Some(b) if b.lines[0] == COMPARISON_MARKER => break b,
            Some(b) => summary.push(b.text()),
        }
    };
    if summary.is_empty() {
        return Err(error(
            comparison.line,
            "the summary is empty",
            format!(
                "write the summary between \"{DIFFERENCE_MARKER}\" and \"{COMPARISON_MARKER}\""
            ),
        ));
    }

    // Table: every line up to the "Further Detail" line.
    let mut rows: Vec<(usize, &str)> = comparison.lines[1..]
        .iter()
        .enumerate()
        .map(|(i, l)| (comparison.line + 1 + i, *l))
        .collect();
    let detail = loop {
        match rest.next() {
            None => {
                let line = rows.last().map_or(comparison.line, |r| r.0);
                return Err(error(
                    line,
                    "the document ends in its comparison table",
                    format!(
                        "add the \"{DETAIL_MARKER}\" line and the sections after the table, or restore the cut-off text"
                    ),
                ));
            }
            Some(b) if b.lines[0] == DETAIL_MARKER => break b,
            Some(b) => rows.extend(b.lines.iter().enumerate().map(|(i, l)| (b.line + i, *l))),
        }
    };
    let Some(&(header_line, header)) = rows.first() else {
        return Err(error(
            detail.line,
            "the comparison table is empty",
            format!(
                "after \"{COMPARISON_MARKER}\" write the header row `{HEADER_FIRST_CELL}{}` and one row per attribute",
                figures.join("")
            ),
        ));
    };
    let header_separator = parse_header(header_line, header, &figures)?;
    if rows.len() == 1 {
        return Err(error(
            header_line,
            "the comparison table has a header row but no attribute rows",
            "add one row per attribute under the header",
        ));
    }
    // Sections, then the optional disclaimer.
    let mut detail_blocks: Vec<&Block> = Vec::new();
    if detail.lines.len() > 1 {
        return Err(error(
            detail.line + 1,
            format!("expected a blank line after \"{DETAIL_MARKER}\""),
            "put a blank line between it and the first section heading",
        ));
    }
    detail_blocks.extend(rest);
    let disclaimer = match detail_blocks.last() {
        Some(b) if b.lines[0].starts_with(DISCLAIMER_START) => {
            let text = b.text();
            detail_blocks.pop();
            Some(text)
        }
        _ => None,
    };
    let mut sections: Vec<Section> = Vec::new();
    let mut section_line = detail.line;
    for b in detail_blocks {
        if is_heading(b) {
            if let Some(last) = sections.last()
                && last.paragraphs.is_empty()
            {
                return Err(error(
                    section_line,
                    format!("the section {} has no paragraphs", excerpt(&last.heading)),
                    "write its paragraphs under the heading, or end each paragraph with a full stop",
                ));
            }
            sections.push(Section {
                heading: b.lines[0].to_string(),
                paragraphs: Vec::new(),
            });
            section_line = b.line;
        } else {
            match sections.last_mut() {
                Some(section) => section.paragraphs.push(b.text()),
                None => {
                    return Err(error(
                        b.line,
                        format!(
                            "expected a section heading after \"{DETAIL_MARKER}\", found a paragraph"
                        ),
                        "start each section with a one-line heading that does not end in a full stop",
                    ));
                }
            }
        }
    }
    match sections.last() {
        None => {
            return Err(error(
                end_line,
                format!("the document has no sections after \"{DETAIL_MARKER}\""),
                "add at least one heading with its paragraphs, or restore the cut-off text",
            ));
        }
        Some(last) if last.paragraphs.is_empty() => {
            return Err(error(
                section_line,
                format!("the section {} has no paragraphs", excerpt(&last.heading)),
                "write its paragraphs under the heading, or restore the cut-off text",
            ));
        }
        Some(_) => {}
    }

    let summary = summary.join("\n\n");
    let table = parse_rows(&rows[1..], &figures, &summary, &sections);

    Ok(Document {
        title,
        figures,
        summary,
        header_separator,
        table,
        sections,
        disclaimer,
        site_header,
        final_newline,
    })
}

/// Splits the table's rows into cells: separated rows as written, glued
/// rows on the evidence of the whole document ([`decide`]). A row that
/// cannot be split for sure is kept as written, unresolved.
fn parse_rows(
    rows: &[(usize, &str)],
    figures: &[String],
    summary: &str,
    sections: &[Section],
) -> Vec<TableRow> {
    // Separated rows first: their words are evidence for the glued ones.
    // `None` for a glued row; the cells (or `None` for the wrong number of
    // them) for a separated one.
    let separated: Vec<Option<Option<SplitCells>>> = rows
        .iter()
        .map(|&(_, row)| is_separated(row).then(|| split_row(row, figures.len() + 1, figures).ok()))
        .collect();
    let words: Vec<&str> = separated
        .iter()
        .flatten()
        .flatten()
        .flat_map(|(cells, _)| cells.iter().map(String::as_str))
        .collect();
    let evidence = evidence(summary, sections, words, figures);
    rows.iter()
        .zip(&separated)
        .map(|(&(line, row), separated)| match separated {
            Some(Some((cells, separator))) => TableRow::from_cells(cells.clone(), *separator),
            // Separated into the wrong number of cells: the author's to fix.
            Some(None) => TableRow::unresolved(row.to_string(), line, Vec::new()),
            None => match decide(row, figures.len() + 1, &evidence) {
                Decision::Split(cells) => TableRow::from_cells(cells, Separator::Glued),
                Decision::Unresolved(readings) => {
                    TableRow::unresolved(row.to_string(), line, readings)
                }
            },
        })
        .collect()
}

/// A separated row's cells and how they were separated.
type SplitCells = (Vec<String>, Separator);

/// Whether a row's cells are separated by a tab or `" | "` (and so read as
/// written, not weighed).
pub fn is_separated(row: &str) -> bool {
    row.contains('\t') || row.contains(Separator::Pipe.as_str())
}

/// The evidence a document offers for splitting its glued rows: its prose
/// (summary, then each heading and its paragraphs), the `words` of its
/// separated cells, and its figures' names. Parsing and the JSON form's
/// choice of separator build it the same way, so that they decide alike.
pub(crate) fn evidence<'a>(
    summary: &'a str,
    sections: &'a [Section],
    words: Vec<&'a str>,
    figures: &'a [String],
) -> Evidence<'a> {
    let prose: Vec<&str> = std::iter::once(summary)
        .chain(sections.iter().flat_map(|s| {
            std::iter::once(s.heading.as_str()).chain(s.paragraphs.iter().map(String::as_str))
        }))
        .collect();
    Evidence::new(prose, words, figures)
}

fn is_difference_marker(line: &str) -> bool {
    line == DIFFERENCE_MARKER || line == "What’s the Difference?"
}

/// A heading is a single line that does not read as the end of a sentence;
/// a short question ("What Is to Be Done?") is a heading too.
fn is_heading(block: &Block) -> bool {
    block.lines.len() == 1 && reads_as_heading(block.lines[0])
}

/// Whether one line reads as a section heading: it does not end like a
/// sentence (a short question is a heading too). Sentence ends and question
/// marks of other scripts count as `.` and `?` do: `。！．।` end a sentence,
/// `？`, `؟`, the Greek question mark (U+037E) and a `;` after a Greek
/// letter ask a question.
pub fn reads_as_heading(line: &str) -> bool {
    let trimmed = line.trim_end_matches(['"', '”', '’', '\'', ')', ']', '」', '』', '）', '»']);
    let mut back = trimmed.chars().rev();
    let last = back.next();
    let before = back.next();
    let greek = |c: Option<char>| c.is_some_and(names::is_greek);
    let question = match last {
        Some('?' | '？' | '؟' | '\u{37e}') => true,
        Some(';') if greek(before) => true,
        Some(
            '.' | '!' | ':' | ';' | '…' | ',' | '。' | '！' | '．' | '।' | '॥' | '、' | '，' | '：'
            | '；',
        ) => {
            return false;
        }
        Some(_) => return true,
        None => return false,
    };
    question
        && (line.split_whitespace().count() <= 8
            && line.chars().filter(|c| is_spaceless(*c)).count() <= 30)
}

/// Checks the header row against the title's names and returns how its
/// cells were separated.
fn parse_header(line: usize, header: &str, figures: &[String]) -> Result<Separator, ParseError> {
    let mut expected = vec![HEADER_FIRST_CELL.to_string()];
    expected.extend(figures.iter().cloned());
    for separator in [Separator::Tab, Separator::Pipe, Separator::Glued] {
        let joined = expected.join(separator.as_str());
        let matches = match separator {
            Separator::Glued => header == joined,
            _ => {
                header
                    .split(separator.as_str().trim_matches(' '))
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    == expected
            }
        };
        if matches && (separator == Separator::Glued || header.contains(separator.as_str())) {
            return Ok(separator);
        }
    }
    Err(error(
        line,
        format!(
            "the table's header row {} does not match the title's names",
            excerpt(header)
        ),
        format!(
            "write it as {:?}, the figures in title order",
            expected.join("")
        ),
    ))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_seed_and_writes_it_back_byte_for_byte() {
        let text = include_str!("../../seeds/stalin-vs-trotsky.txt");
        let doc = parse_document(text).unwrap();
        assert_eq!(doc.title, "Joseph Stalin vs. Leon Trotsky");
        assert_eq!(doc.figures, ["Joseph Stalin", "Leon Trotsky"]);
        assert_eq!(doc.slug(), "stalin-vs-trotsky");
        assert_eq!(doc.table.len(), 5);
        assert_eq!(doc.sections.len(), 5);
        assert_eq!(
            doc.sections
                .iter()
                .map(|s| s.paragraphs.len())
                .sum::<usize>(),
            9
        );
        assert!(
            doc.disclaimer
                .as_deref()
                .unwrap()
                .starts_with("Comparisons may contain")
        );
        assert_eq!(doc.to_text(), text);
    }

    #[test]
    fn crlf_and_a_byte_order_mark_read_as_the_same_document() {
        let text = include_str!("../../seeds/stalin-vs-trotsky.txt");
        let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
        assert_eq!(
            parse_document(&windows).unwrap(),
            parse_document(text).unwrap()
        );
    }

    #[test]
    fn paragraphs_belong_to_the_figure_they_name_first() {
        let doc = parse_document(include_str!("../../seeds/stalin-vs-trotsky.txt")).unwrap();
        assert_eq!(
            doc.figure_named_first("Trotsky, on the other hand"),
            Some(1)
        );
        assert_eq!(doc.figure_named_first("Both Stalin and Trotsky"), Some(0));
        assert_eq!(doc.figure_named_first("Stalin’s legacy"), Some(0));
        assert_eq!(doc.figure_named_first("Trotskyism and Stalinism"), None);
        assert_eq!(doc.figure_named_first("Nobody here"), None);
        let mao = Document {
            figures: vec!["Mao Zedong".to_string(), "Chiang Kai-shek".to_string()],
            ..doc
        };
        assert_eq!(mao.figure_named_first("Unlike Chiang, Mao’s army"), Some(1));
        assert_eq!(mao.figure_named_first("Mao’s army beat Chiang"), Some(0));
    }

    #[test]
    fn a_name_part_two_figures_share_names_neither() {
        let doc = parse_document(include_str!("../../seeds/stalin-vs-trotsky.txt")).unwrap();
        let adams = Document {
            figures: vec!["John Adams".to_string(), "Samuel Adams".to_string()],
            ..doc.clone()
        };
        assert_eq!(adams.figure_named_first("Adams signed it."), None);
        assert_eq!(adams.figure_named_first("Adams, unlike John, ..."), Some(0));
        assert_eq!(
            adams.figure_named_first("Samuel Adams and John Adams"),
            Some(1)
        );
        assert_eq!(adams.own_name_parts(0).collect::<Vec<_>>(), ["John"]);
        let quincy = Document {
            figures: vec!["John Quincy Adams".to_string(), "John Adams".to_string()],
            ..doc
        };
        assert_eq!(quincy.figure_named_first("John and Adams argued"), None);
        assert_eq!(quincy.figure_named_first("Adams the son, Quincy"), Some(0));
        assert_eq!(quincy.figure_named_first("As John Adams said"), Some(1));
        assert_eq!(quincy.own_name_parts(1).count(), 0);
    }

    #[test]
    fn topic_keys_ignore_case_punctuation_and_small_words() {
        assert_eq!(
            topic_key("Role in the Russian Revolution"),
            "role russian revolution"
        );
        assert_eq!(
            topic_key("role in Russian revolution"),
            "role russian revolution"
        );
        assert_eq!(
            topic_key("Workers’ councils, and the state"),
            "workers councils state"
        );
    }

    #[test]
    fn cut_off_documents_fail_with_the_line() {
        let text = include_str!("../../seeds/stalin-vs-trotsky.txt");
        let in_summary: String = text.lines().take(7).collect::<Vec<_>>().join("\n");
        let err = parse_document(&in_summary).unwrap_err();
        assert!(err.problem.contains("ends in its summary"), "{err}");
        let in_table: String = text.lines().take(13).collect::<Vec<_>>().join("\n");
        let err = parse_document(&in_table).unwrap_err();
        assert!(
            err.problem.contains("ends in its comparison table"),
            "{err}"
        );
        assert_eq!(err.line, 13);
    }

    #[test]
    fn sentence_ends_and_question_marks_of_other_scripts_are_read_as_english_ones() {
        // Paragraphs: a Japanese full stop or exclamation, Devanagari danda.
        assert!(!reads_as_heading("秀吉は天下を統一した。"));
        assert!(!reads_as_heading("信長は本能寺で倒れた！"));
        assert!(!reads_as_heading("यह एक वाक्य है।"));
        // Short questions are headings: Greek `;` (and U+037E), Japanese and
        // Arabic question marks.
        assert!(reads_as_heading("Ποια ήταν η φιλοσοφία τους;"));
        assert!(reads_as_heading("Ποια ήταν η φιλοσοφία τους\u{37e}"));
        assert!(reads_as_heading("なぜ対立したのか？"));
        assert!(reads_as_heading("ما الفرق؟"));
        // A `;` after a Latin letter still ends a sentence, and headings
        // in any script are headings.
        assert!(!reads_as_heading("Rome fell; Carthage rose;"));
        assert!(reads_as_heading("生涯と経歴"));
    }

    #[test]
    fn a_header_that_does_not_match_the_title_is_refused() {
        let text = include_str!("../../seeds/stalin-vs-trotsky.txt")
            .replace("AttributeJoseph StalinLeon", "AttributeJoseph StalinLev");
        let err = parse_document(&text).unwrap_err();
        assert_eq!(err.line, 11);
        assert!(err.problem.contains("header row"), "{err}");
    }
}

#[cfg(test)]
pub(crate) mod properties {
    use super::*;
    use proptest::prelude::*;

    fn word() -> impl Strategy<Value = String> {
        "[a-z]{2,9}"
    }

    fn capitalised() -> impl Strategy<Value = String> {
        "[A-Z][a-z]{2,9}"
    }

    /// Text that starts with a capitalised word, then lowercase words and
    /// commas: any two of these glued together split in exactly one place.
    fn phrase() -> impl Strategy<Value = String> {
        (
            capitalised(),
            prop::collection::vec((word(), any::<bool>()), 0..5),
        )
            .prop_map(|(first, rest)| {
                let mut text = first;
                for (w, comma) in rest {
                    text.push_str(if comma { ", " } else { " " });
                    text.push_str(&w);
                }
                text
            })
    }

    fn sentence() -> impl Strategy<Value = String> {
        prop::collection::vec(phrase(), 1..4).prop_map(|ps| ps.join(" ") + ".")
    }

    fn separator() -> impl Strategy<Value = Separator> {
        prop_oneof![
            Just(Separator::Glued),
            Just(Separator::Tab),
            Just(Separator::Pipe)
        ]
    }

    /// Documents with 2-3 figures, 1-6 rows (glued, tab or pipe), 1-5
    /// sections: what the text format can hold.
    pub(crate) fn document() -> impl Strategy<Value = Document> {
        let figures = prop::collection::vec(
            (capitalised(), capitalised()).prop_map(|(a, b)| format!("{a} {b}")),
            2..4,
        )
        .prop_filter("distinct figures", |f| {
            let mut sorted = f.clone();
            sorted.sort();
            sorted.dedup();
            sorted.len() == f.len()
        });
        figures.prop_flat_map(|figures| {
            let n = figures.len();
            let names = figures.clone();
            let row = (phrase(), prop::collection::vec(phrase(), n), separator()).prop_map(
                move |(attribute, values, separator)| TableRow::split(attribute, values, separator),
            );
            let _ = &names;
            let section = (phrase(), prop::collection::vec(sentence(), 1..3)).prop_map(
                |(heading, paragraphs)| Section {
                    heading,
                    paragraphs,
                },
            );
            (
                Just(figures),
                prop::collection::vec(sentence(), 1..3),
                separator(),
                prop::collection::vec(row, 1..7),
                prop::collection::vec(section, 1..6),
                prop::option::of(sentence().prop_map(|s| format!("{DISCLAIMER_START} {s}"))),
                any::<bool>(),
                any::<bool>(),
            )
                .prop_map(
                    |(
                        figures,
                        summary,
                        header_separator,
                        table,
                        sections,
                        disclaimer,
                        site_header,
                        final_newline,
                    )| {
                        let mut doc = Document {
                            title: figures.join(" vs. "),
                            figures,
                            summary: summary.join("\n\n"),
                            header_separator,
                            table,
                            sections,
                            disclaimer,
                            site_header,
                            final_newline,
                        };
                        // A glued row the text format would not read back
                        // as these cells is written with " | ", as
                        // `versus export` does.
                        let natural: Vec<bool> = doc
                            .table
                            .iter()
                            .map(|r| r.separator == Separator::Glued)
                            .collect();
                        crate::interchange::natural_separators(&mut doc, &natural);
                        doc
                    },
                )
        })
    }

    /// The seed with some of its lines dropped, doubled, swapped, cut or
    /// made very long, and maybe CRLF line ends and a byte-order mark.
    fn mutated_seed() -> impl Strategy<Value = String> {
        let lines: Vec<String> = include_str!("../../seeds/stalin-vs-trotsky.txt")
            .split('\n')
            .map(String::from)
            .collect();
        let count = lines.len();
        let edits = prop::collection::vec((0..5u8, 0..count, 0..count, 0..200usize), 1..5);
        (edits, any::<bool>(), any::<bool>()).prop_map(move |(edits, crlf, bom)| {
            let mut lines = lines.clone();
            for (op, a, b, cut) in edits {
                if lines.is_empty() {
                    break;
                }
                let (a, b) = (a % lines.len(), b % lines.len());
                match op {
                    0 => {
                        lines.remove(a);
                    }
                    1 => lines.insert(a, lines[a].clone()),
                    2 => lines.swap(a, b),
                    3 => {
                        let keep: String = lines[a].chars().take(cut).collect();
                        lines[a] = keep;
                    }
                    // Huge lines, up to about 1 MB: a line grown twice
                    // would reach gigabytes and stall the test for minutes.
                    _ => {
                        let times = (cut * 50 + 1).min(1_000_000 / lines[a].len().max(1)).max(1);
                        lines[a] = lines[a].repeat(times);
                    }
                }
            }
            let text = lines.join(if crlf { "\r\n" } else { "\n" });
            if bom { format!("\u{feff}{text}") } else { text }
        })
    }

    proptest! {
        #[test]
        fn generated_documents_parse_back_to_what_generated_them(doc in document()) {
            let text = doc.to_text();
            let parsed = parse_document(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(parsed, doc);
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC*") {
            let _ = parse_document(&text);
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
            let _ = parse_document(&String::from_utf8_lossy(&bytes));
        }

        #[test]
        fn a_mutated_seed_parses_or_names_a_line(text in mutated_seed()) {
            if let Err(e) = parse_document(&text) {
                prop_assert!(e.line >= 1 && e.line <= text.split('\n').count() + 1, "{}", e);
            }
        }

        #[test]
        fn arbitrary_rows_never_panic_the_splitter(row in "\\PC{0,120}", cells in 2..5usize) {
            let _ = split_row(&row, cells, &["Joseph Stalin".to_string(), "Leon Trotsky".to_string()]);
        }

        #[test]
        fn arbitrary_rows_and_prose_never_panic_the_evidence(
            row in prop_oneof!["\\PC{0,120}", "[IVXCkmgs0-9a-zA-Zé一ασΣ'’\".()\\[\\]°%/ -]{0,60}"],
            prose in "\\PC{0,200}",
            cells in 2..5usize,
        ) {
            let figures = ["Joseph Stalin".to_string(), "Leon Trotsky".to_string()];
            let _ = decide(&row, cells, &Evidence::new(vec![prose.as_str()], vec![row.as_str()], &figures));
        }
    }
}
