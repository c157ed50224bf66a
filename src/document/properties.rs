//! Generators of documents for the property tests: rows, sections and
//! names in Latin (with accents), Greek and Cyrillic, figures of one word,
//! two, or with a particle; shared by the parser's and the store's tests.

use super::*;
use proptest::prelude::*;

/// A lowercase word, in the scripts real documents are written in: Latin
/// with accents, Greek, Cyrillic.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z]{2,9}",
        1 => "[a-zéèüöñç]{2,9}",
        1 => "[α-ω]{2,9}",
        1 => "[а-я]{2,9}",
    ]
}

/// A capitalised word, in the same scripts.
fn capitalised() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[A-Z][a-z]{2,9}",
        1 => "[ÉÖÑ][a-zéü]{2,9}",
        1 => "[Α-Ω][α-ω]{2,9}",
        1 => "[А-Я][а-я]{2,9}",
    ]
}

/// A figure's name: one word (`Cats`), two, or two with a particle
/// (`Charles de Gaulle`).
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => capitalised(),
        3 => (capitalised(), capitalised()).prop_map(|(a, b)| format!("{a} {b}")),
        1 => (capitalised(), prop_oneof![Just("de"), Just("van"), Just("von")], capitalised())
            .prop_map(|(a, p, b)| format!("{a} {p} {b}")),
    ]
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
    let figures = prop::collection::vec(name(), 2..4).prop_filter("distinct figures", |f| {
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
