//! Generates a benchmark corpus: N comparison documents in the seed's text
//! format, deterministic from a seed number, plus the same rows as a flat SQL
//! script and as NDJSON for the baselines (the sqlite3 shell, sqlite-utils).
//!
//! ```sh
//! cargo run --release --example corpus -- --documents 20000 --seed 1 --out /tmp/corpus
//! ```
//!
//! Writes `OUT/docs/NNNNN.txt`, `OUT/flat.sql` (one table `rows`, every
//! INSERT in one transaction) and `OUT/rows.ndjson`. Figures come from a pool
//! of 600 names, two per surname, and recur across documents; each document
//! has 4-7 attributes from a shared vocabulary and 3-6 sections of 1-2
//! paragraphs of 25-60 words. Every document has its own title, but surnames
//! are shared the way real corpora share them (Adams, Roosevelt): across
//! documents (Anna Baranov vs. Lev Kovetsky and Greta Baranov vs. Lev
//! Kovetsky share the slug of surnames), and within one document for one in
//! ten (Anna Baranov vs. Olga Q. Baranov), whose shared surname names neither.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use versus::document::{Document, Section, Separator, TableRow};

const FIRST_NAMES: &[&str] = &[
    "Anna", "Boris", "Clara", "Dmitri", "Elena", "Felix", "Greta", "Henrik", "Irina", "Jonas",
    "Katya", "Lev", "Marta", "Nikolai", "Olga", "Pavel", "Rosa", "Sergei", "Tamara", "Viktor",
];
const SURNAME_STARTS: &[&str] = &[
    "Bar", "Kov", "Del", "Mor", "Tal", "Ves", "Gor", "Lun", "Pet", "Ros", "Sok", "Var", "Zim",
    "Bel", "Dor", "Fed", "Hal", "Kir", "Mal", "Nor",
];
const SURNAME_ENDS: &[&str] = &[
    "anov", "etsky", "ina", "ovich", "enko", "ski", "ayev", "unin", "arov", "ich", "off", "elli",
    "ova", "ard", "ström",
];
const ATTRIBUTES: &[&str] = &[
    "Foreign policy",
    "Economic policies",
    "Leadership style",
    "Political ideology",
    "Role in the revolution",
    "Party organization",
    "Views on religion",
    "Military strategy",
    "Education",
    "Legacy",
    "Relations with peasants",
    "Cultural policy",
];
const HEADINGS: &[&str] = &[
    "Background",
    "Foreign Policy",
    "Economic Policies",
    "Leadership Style",
    "Political Ideology",
    "Legacy",
    "Party Organization",
    "Military Strategy",
    "Early Life",
    "Exile",
    "Writings",
    "Cultural Policy",
];
const WORDS: &[&str] = &[
    "the",
    "party",
    "revolution",
    "state",
    "policy",
    "workers",
    "power",
    "reform",
    "government",
    "movement",
    "influence",
    "economy",
    "army",
    "peasants",
    "industry",
    "plan",
    "congress",
    "faction",
    "theory",
    "struggle",
    "alliance",
    "council",
    "program",
    "opposition",
    "doctrine",
    "strategy",
    "rivals",
    "support",
    "years",
    "capital",
    "of",
    "and",
    "in",
    "for",
    "with",
    "against",
    "under",
    "during",
    "after",
    "before",
    "rapid",
    "gradual",
    "radical",
    "moderate",
    "central",
    "national",
    "international",
    "political",
    "social",
    "military",
    "early",
    "later",
    "led",
    "opposed",
    "built",
    "shaped",
    "argued",
    "defended",
    "rejected",
    "promoted",
    "expanded",
    "reduced",
];

struct Args {
    documents: usize,
    seed: u64,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        documents: 1000,
        seed: 1,
        out: PathBuf::from("corpus"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--documents" => {
                args.documents = value()?.parse().map_err(|e| format!("--documents: {e}"))?
            }
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => args.out = PathBuf::from(value()?),
            other => {
                return Err(format!(
                    "unknown argument {other}; use --documents N --seed S --out DIR"
                ));
            }
        }
    }
    Ok(args)
}

fn surnames() -> Vec<String> {
    SURNAME_STARTS
        .iter()
        .flat_map(|s| SURNAME_ENDS.iter().map(move |e| format!("{s}{e}")))
        .collect()
}

fn surname(name: &str) -> &str {
    name.rsplit(' ').next().unwrap_or(name)
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A phrase for a table cell: a capitalised word, then lowercase words, so
/// that glued cells split in exactly one place.
fn phrase(rng: &mut fastrand::Rng, words: usize) -> String {
    let mut text = capitalise(WORDS[rng.usize(..WORDS.len())]);
    for _ in 1..words {
        text.push(' ');
        text.push_str(WORDS[rng.usize(..WORDS.len())]);
    }
    text
}

/// A paragraph of 25-60 words about `who` (by surname), in sentences.
fn paragraph(rng: &mut fastrand::Rng, who: Option<&str>) -> String {
    let total = rng.usize(25..=60);
    let mut text = String::new();
    let mut written = 0;
    if let Some(name) = who {
        write!(text, "{name}").unwrap();
        written += 1;
    }
    while written < total {
        let length = rng.usize(6..=14).min(total - written).max(1);
        if !text.is_empty() {
            text.push(' ');
        }
        let sentence = phrase(rng, length);
        if written == 1 && who.is_some() {
            text.push_str(&sentence.to_lowercase());
        } else {
            text.push_str(&sentence);
        }
        text.push('.');
        written += length;
    }
    text
}

fn document(rng: &mut fastrand::Rng, index: usize, figures: &[String]) -> Document {
    let n = figures.len();
    let a = index % n;
    let b = (a + 1 + (index / n) % (n - 1)) % n;
    let second = if a.is_multiple_of(10) {
        // One document in ten compares two figures with one surname; the
        // middle initial and first name, from index / n, keep titles distinct.
        let k = index / n;
        let initial = char::from(b'A' + (k / FIRST_NAMES.len()) as u8 % 26);
        format!(
            "{} {initial}. {}",
            FIRST_NAMES[k % FIRST_NAMES.len()],
            surname(&figures[a])
        )
    } else {
        figures[b].clone()
    };
    let names = vec![figures[a].clone(), second];
    let mut attributes: Vec<&str> = ATTRIBUTES.to_vec();
    rng.shuffle(&mut attributes);
    let table = attributes[..rng.usize(4..=7)]
        .iter()
        .map(|attribute| TableRow {
            attribute: attribute.to_string(),
            values: (0..2)
                .map(|_| {
                    let words = rng.usize(2..=6);
                    phrase(rng, words)
                })
                .collect(),
            separator: Separator::Glued,
            unresolved: None,
        })
        .collect();
    let mut headings: Vec<&str> = HEADINGS.to_vec();
    rng.shuffle(&mut headings);
    let sections = headings[..rng.usize(3..=6)]
        .iter()
        .map(|heading| Section {
            heading: heading.to_string(),
            paragraphs: (0..rng.usize(1..=2))
                .map(|i| paragraph(rng, Some(surname(&names[i % 2]))))
                .collect(),
        })
        .collect();
    Document {
        title: names.join(" vs. "),
        summary: paragraph(rng, Some(&names[0])),
        figures: names,
        header_separator: Separator::Glued,
        table,
        sections,
        disclaimer: Some(
            "Comparisons may contain inaccurate information about people, places, or facts. Please report any issues."
                .to_string(),
        ),
        site_header: true,
        final_newline: true,
    }
}

fn sql_text(value: Option<&str>) -> String {
    value.map_or("NULL".to_string(), |v| {
        format!("'{}'", v.replace('\'', "''"))
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    let mut rng = fastrand::Rng::with_seed(args.seed);
    let surnames = surnames();
    // Two figures per surname: "Anna Baranov" and "Henrik Baranov".
    let figures: Vec<String> = surnames
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            [
                format!("{} {s}", FIRST_NAMES[i % FIRST_NAMES.len()]),
                format!("{} {s}", FIRST_NAMES[(i + 7) % FIRST_NAMES.len()]),
            ]
        })
        .collect();
    // Past this the middle initials of the same-surname documents repeat.
    let most = figures.len() * 26 * FIRST_NAMES.len();
    if args.documents > most {
        return Err(format!("at most {most} documents").into());
    }
    let docs = args.out.join("docs");
    std::fs::create_dir_all(&docs)?;
    let mut sql = BufWriter::new(std::fs::File::create(args.out.join("flat.sql"))?);
    let mut ndjson = BufWriter::new(std::fs::File::create(args.out.join("rows.ndjson"))?);
    writeln!(sql, "BEGIN;")?;
    writeln!(
        sql,
        "CREATE TABLE rows (document TEXT, kind TEXT, section TEXT, position INTEGER, figure TEXT, attribute TEXT, text TEXT);"
    )?;
    let mut emit = |row: [Option<&str>; 7], position: usize| -> std::io::Result<()> {
        let [document, kind, section, _, figure, attribute, text] = row;
        writeln!(
            sql,
            "INSERT INTO rows VALUES ({}, {}, {}, {position}, {}, {}, {});",
            sql_text(document),
            sql_text(kind),
            sql_text(section),
            sql_text(figure),
            sql_text(attribute),
            sql_text(text)
        )?;
        let object = serde_json::json!({
            "document": document, "kind": kind, "section": section, "position": position,
            "figure": figure, "attribute": attribute, "text": text,
        });
        writeln!(ndjson, "{object}")
    };
    for index in 0..args.documents {
        let doc = document(&mut rng, index, &figures);
        std::fs::write(docs.join(format!("{index:05}.txt")), doc.to_text())?;
        let slug = doc.slug();
        emit(
            [
                Some(&slug),
                Some("summary"),
                None,
                None,
                None,
                Some(&doc.title),
                Some(&doc.summary),
            ],
            0,
        )?;
        for (p, row) in doc.table.iter().enumerate() {
            for (figure, value) in doc.figures.iter().zip(&row.values) {
                emit(
                    [
                        Some(&slug),
                        Some("cell"),
                        None,
                        None,
                        Some(figure),
                        Some(&row.attribute),
                        Some(value),
                    ],
                    p + 1,
                )?;
            }
        }
        for section in &doc.sections {
            for (p, text) in section.paragraphs.iter().enumerate() {
                let figure = doc
                    .figure_named_first(text)
                    .map(|i| doc.figures[i].as_str());
                emit(
                    [
                        Some(&slug),
                        Some("paragraph"),
                        Some(&section.heading),
                        None,
                        figure,
                        None,
                        Some(text),
                    ],
                    p + 1,
                )?;
            }
        }
    }
    writeln!(sql, "COMMIT;")?;
    sql.flush()?;
    ndjson.flush()?;
    eprintln!(
        "wrote {} documents to {}",
        args.documents,
        args.out.display()
    );
    Ok(())
}
