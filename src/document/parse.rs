//! Reading the text format: the page's blocks, one function per part of
//! the page (header, title, summary, table, sections), and the table's rows
//! split on the evidence of the whole document.

use super::*;

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
    if let Some(nul) = text.find('\0') {
        return Err(error(
            text[..nul].matches('\n').count() + 1,
            "the text contains a NUL byte, so it is binary, not a document",
            "give a plain-text comparison document",
        ));
    }
    let blocks = blocks(text);
    let mut page = Page {
        rest: blocks.iter(),
        end_line: text.lines().count().max(1),
    };
    let (site_header, title_block) = page.header()?;
    let (title, figures) = title(title_block)?;
    page.difference_marker(title_block)?;
    let (summary, comparison) = page.summary()?;
    let (rows, detail) = page.table(comparison, &figures)?;
    let header_separator = header(&rows, &figures)?;
    let (sections, disclaimer) = page.sections(detail)?;
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
        final_newline: text.ends_with('\n'),
    })
}

/// Lines with their 1-based numbers.
type NumberedLines<'a> = Vec<(usize, &'a str)>;

/// The blocks of a page not read yet, and the line its text ends on (where
/// a cut-off document is reported).
struct Page<'b, 'a> {
    rest: std::slice::Iter<'b, Block<'a>>,
    end_line: usize,
}

impl<'b, 'a> Page<'b, 'a> {
    /// The optional site header `vs.`, and the block of the title.
    fn header(&mut self) -> Result<(bool, &'b Block<'a>), ParseError> {
        let Some(block) = self.rest.next() else {
            return Err(error(
                1,
                "the document is empty",
                "give a comparison document that starts with its title line `A vs. B`",
            ));
        };
        if block.lines[0] != SITE_HEADER {
            return Ok((false, block));
        }
        if block.lines.len() > 1 {
            return Err(error(
                block.line + 1,
                "expected a blank line after the site header `vs.`",
                "put the title on its own line after a blank line",
            ));
        }
        let title = self.rest.next().ok_or_else(|| {
            error(
                self.end_line,
                "the document ends after its header",
                "add the title line `A vs. B`",
            )
        })?;
        Ok((true, title))
    }

    /// The "What's the Difference?" line, right under the title or as the
    /// next block.
    fn difference_marker(&mut self, title: &Block) -> Result<(), ParseError> {
        let mut after_title = title.lines[1..].iter();
        let marker_line = title.line + 1;
        let marker = match after_title.next() {
            Some(line) => Some((marker_line, *line)),
            None => self.rest.next().map(|b| {
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
                    format!(
                        "put the line \"{DIFFERENCE_MARKER}\" between the title and the summary"
                    ),
                ));
            }
            None => {
                return Err(error(
                    self.end_line,
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
        Ok(())
    }

    /// The summary's paragraphs: every block up to the "Comparison" line,
    /// and the block that line opens.
    fn summary(&mut self) -> Result<(Vec<String>, &'b Block<'a>), ParseError> {
        let mut summary = Vec::new();
        let comparison = loop {
            match self.rest.next() {
                None => {
                    return Err(error(
                        self.end_line,
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
        Ok((summary, comparison))
    }

    /// The table's lines with their line numbers, header first: every line
    /// up to the "Further Detail" line, and the block that line opens.
    fn table(
        &mut self,
        comparison: &'b Block<'a>,
        figures: &[String],
    ) -> Result<(NumberedLines<'a>, &'b Block<'a>), ParseError> {
        let mut rows: Vec<(usize, &str)> = comparison.lines[1..]
            .iter()
            .enumerate()
            .map(|(i, l)| (comparison.line + 1 + i, *l))
            .collect();
        let detail = loop {
            match self.rest.next() {
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
        if rows.is_empty() {
            return Err(error(
                detail.line,
                "the comparison table is empty",
                format!(
                    "after \"{COMPARISON_MARKER}\" write the header row `{HEADER_FIRST_CELL}{}` and one row per attribute",
                    figures.join("")
                ),
            ));
        }
        Ok((rows, detail))
    }

    /// The sections under "Further Detail", then the optional closing
    /// disclaimer.
    fn sections(&mut self, detail: &Block) -> Result<(Vec<Section>, Option<String>), ParseError> {
        if detail.lines.len() > 1 {
            return Err(error(
                detail.line + 1,
                format!("expected a blank line after \"{DETAIL_MARKER}\""),
                "put a blank line between it and the first section heading",
            ));
        }
        let mut blocks: Vec<&Block> = self.rest.by_ref().collect();
        let disclaimer = match blocks.last() {
            Some(b) if b.lines[0].starts_with(DISCLAIMER_START) => {
                let text = b.text();
                blocks.pop();
                Some(text)
            }
            _ => None,
        };
        let mut sections: Vec<Section> = Vec::new();
        let mut section_line = detail.line;
        for b in blocks {
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
            None => Err(error(
                self.end_line,
                format!("the document has no sections after \"{DETAIL_MARKER}\""),
                "add at least one heading with its paragraphs, or restore the cut-off text",
            )),
            Some(last) if last.paragraphs.is_empty() => Err(error(
                section_line,
                format!("the section {} has no paragraphs", excerpt(&last.heading)),
                "write its paragraphs under the heading, or restore the cut-off text",
            )),
            Some(_) => Ok((sections, disclaimer)),
        }
    }
}

/// The title line and the figures it names: two or more names joined by
/// `" vs. "`, none twice, no control character.
fn title(block: &Block) -> Result<(String, Vec<String>), ParseError> {
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
    Ok((title, figures))
}

/// The header row's separator, checked against the title's names; a table
/// needs at least one row under it.
fn header(rows: &[(usize, &str)], figures: &[String]) -> Result<Separator, ParseError> {
    let (header_line, header) = rows[0];
    let separator = parse_header(header_line, header, figures)?;
    if rows.len() == 1 {
        return Err(error(
            header_line,
            "the comparison table has a header row but no attribute rows",
            "add one row per attribute under the header",
        ));
    }
    Ok(separator)
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
    let glued: Vec<&str> = rows
        .iter()
        .zip(&separated)
        .filter(|(_, separated)| separated.is_none())
        .map(|(&(_, row), _)| row)
        .collect();
    let evidence = evidence(summary, sections, words, figures).with_rows(glued);
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
