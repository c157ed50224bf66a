//! Search results on a terminal, as ripgrep shows matches: the hits of one
//! document follow its name, each hit a heading line (where it was found,
//! the figure, the kind when it is not a paragraph) and then its snippet
//! wrapped to the terminal's full width, between words, in at most two
//! lines around the first match. Scores only with `--verbose`; `--format
//! table` still draws the grid.
//!
//! Hits come best first; they are grouped by document in the order each
//! document first appears, holding at most [`HELD`] hits at a time, so
//! memory stays bounded whatever `--limit` says.

use super::blocks::{DOCUMENT, count, field, styled};
use super::wrap::wrapped;
use rusqlite::types::ValueRef;

/// ANSI escapes for a hit's heading (green), with colour on.
const HEADING: (&str, &str) = ("\u{1b}[32m", "\u{1b}[0m");

/// Hits held to be grouped by document before they are written.
const HELD: usize = 1000;

/// Lines of snippet a hit shows at most.
const SNIPPET_LINES: usize = 2;

/// A search result being written as blocks.
pub struct Hits {
    /// Where each field is among the result's columns.
    document: Option<usize>,
    kind: Option<usize>,
    found_in: Option<usize>,
    figure: Option<usize>,
    snippet: Option<usize>,
    score: Option<usize>,
    width: usize,
    color: bool,
    verbose: bool,
    last_document: Option<String>,
    count: u64,
    /// Hits not written yet, grouped: each document with its hits' lines.
    held: Vec<(String, Vec<String>)>,
    held_hits: usize,
}

impl Hits {
    /// For a result with these `columns` (the `search` query's: document,
    /// kind, found_in, figure, snippet, score), `width` columns wide.
    pub fn new(columns: &[String], width: usize, color: bool, verbose: bool) -> Hits {
        let at = |name: &str| columns.iter().position(|c| c == name);
        Hits {
            document: at("document"),
            kind: at("kind"),
            found_in: at("found_in"),
            figure: at("figure"),
            snippet: at("snippet"),
            score: at("score"),
            width,
            color,
            verbose,
            last_document: None,
            count: 0,
            held: Vec::new(),
            held_hits: 0,
        }
    }

    /// Takes one hit; appends to `out` the groups held when they are
    /// [`HELD`] hits.
    pub fn hit(&mut self, values: &[ValueRef<'_>], out: &mut String) {
        let field = |at: Option<usize>| field(values, at);
        let document = field(self.document).unwrap_or_default();
        let kind = field(self.kind).filter(|k| k != "paragraph");
        let mut heading: Vec<String> = [field(self.found_in), field(self.figure), kind]
            .into_iter()
            .flatten()
            .collect();
        if self.verbose
            && let Some(score) = field(self.score)
        {
            heading.push(format!("score {score}"));
        }
        let mut text = String::new();
        styled(
            &mut text,
            self.color,
            HEADING,
            &wrapped(heading.join(" · "), self.width),
        );
        text.push('\n');
        let snippet = field(self.snippet).unwrap_or_default().replace('\n', " ");
        text.push_str(&self.snippet(snippet));
        text.push('\n');
        match self.held.iter_mut().find(|(d, _)| *d == document) {
            Some((_, hits)) => hits.push(text),
            None => self.held.push((document, vec![text])),
        }
        self.count += 1;
        self.held_hits += 1;
        if self.held_hits >= HELD {
            self.write_held(out);
        }
    }

    /// The snippet wrapped to the width, in at most [`SNIPPET_LINES`]
    /// lines: those around the first match, `…` marking what is left out.
    fn snippet(&self, snippet: String) -> String {
        let whole = wrapped(snippet.clone(), self.width);
        let lines: Vec<&str> = whole.split('\n').collect();
        if lines.len() <= SNIPPET_LINES {
            return whole;
        }
        // Room for the marks.
        let narrower = wrapped(snippet, self.width.saturating_sub(1).max(1));
        let lines: Vec<&str> = narrower.split('\n').collect();
        let first_match = lines
            .iter()
            .position(|l| l.contains('[') || l.contains("\u{1b}[1m"))
            .unwrap_or(0);
        let from = first_match.min(lines.len() - SNIPPET_LINES);
        let to = from + SNIPPET_LINES;
        let mut out = String::new();
        if from > 0 && !lines[from].starts_with('…') {
            out.push('…');
        }
        out.push_str(&lines[from..to].join("\n"));
        if to < lines.len() && !lines[to - 1].ends_with('…') {
            out.push('…');
        }
        out
    }

    /// Appends the held hits, document by document.
    fn write_held(&mut self, out: &mut String) {
        for (document, hits) in self.held.drain(..) {
            if self.last_document.as_deref() != Some(document.as_str()) {
                if self.last_document.is_some() {
                    out.push('\n');
                }
                styled(
                    out,
                    self.color,
                    DOCUMENT,
                    &wrapped(document.clone(), self.width),
                );
                out.push('\n');
                self.last_document = Some(document);
            }
            for hit in hits {
                out.push_str(&hit);
            }
        }
        self.held_hits = 0;
    }

    /// Appends the hits still held and the closing `(N hits)` line.
    pub fn end(&mut self, out: &mut String) {
        self.write_held(out);
        count(out, self.count, "hit");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hits of other shapes: a slug longer than the terminal, a snippet of
    /// many lines with no match marked, one whose match is bold (colour
    /// on) and far in, and documents that alternate: every line fits, each
    /// document's name comes once, a snippet keeps at most two lines.
    #[test]
    fn hits_of_other_shapes_fit_and_group() {
        let columns: Vec<String> = ["document", "kind", "found_in", "figure", "snippet", "score"]
            .map(String::from)
            .to_vec();
        let long = "a-very-long-slug-vs-another-very-long-slug-of-a-document";
        let words = "word ".repeat(60);
        let bold = format!("{words}\u{1b}[1mmatch\u{1b}[22m {words}");
        let mut hits = Hits::new(&columns, 30, true, true);
        let mut out = String::new();
        for (document, snippet) in [
            (long, words.as_str()),
            ("b-vs-c", bold.as_str()),
            (long, "short"),
        ] {
            hits.hit(
                &[
                    ValueRef::Text(document.as_bytes()),
                    ValueRef::Text(b"paragraph"),
                    ValueRef::Null,
                    ValueRef::Null,
                    ValueRef::Text(snippet.as_bytes()),
                    ValueRef::Real(1.5),
                ],
                &mut out,
            );
        }
        hits.end(&mut out);
        for line in out.lines() {
            assert!(
                textwrap::core::display_width(line) <= 30,
                "{line:?} in\n{out}"
            );
        }
        assert_eq!(out.matches("a-very-long-slug").count(), 1, "{out}");
        assert!(out.contains("\u{1b}[1mmatch"), "the match is kept:\n{out}");
        assert!(out.contains("score 1.5"), "{out}");
        assert!(out.ends_with("\n(3 hits)\n"), "{out}");
        // Three hits, two documents: at most a heading and two snippet
        // lines each, the names, a blank line between, and the count.
        assert!(out.lines().count() <= 3 * 3 + 2 * 2 + 2, "{out}");
    }
}
