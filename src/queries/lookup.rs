//! Looking up what a user typed: a document by slug or title, a figure by
//! full name or surname, search words, and the closest names to suggest.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};

use crate::error::{Kind, fail};
use crate::sql_text::stored_text;

pub(super) fn usage(message: String) -> anyhow::Error {
    fail(Kind::Usage, message)
}

/// Up to three of `candidates` closest to `given`, for "did you mean".
pub fn closest<'a>(given: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let given = given.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|c| (strsim::jaro_winkler(&given, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

pub(super) fn did_you_mean(suggestions: &[&str]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!("did you mean \"{one}\"? "),
        many => format!(
            "did you mean {}? ",
            many.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Plain words as an FTS5 query that they must all match: each word is
/// quoted (so punctuation and FTS5 operators are only text: `five-year` is
/// the words `five` and `year`), and a word ending in `*` matches any
/// ending. `None` if there is no word.
pub fn search_words(text: &str) -> Option<String> {
    let mut terms = Vec::new();
    for word in text.split_whitespace() {
        let prefix = word.ends_with('*');
        let pieces: Vec<&str> = word
            .split(|c: char| !c.is_alphanumeric())
            .filter(|p| !p.is_empty())
            .collect();
        for (n, piece) in pieces.iter().enumerate() {
            let star = if prefix && n + 1 == pieces.len() {
                "*"
            } else {
                ""
            };
            terms.push(format!("\"{piece}\"{star}"));
        }
    }
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// A document by slug or title (ignoring case), as its slug.
pub fn resolve_document(conn: &Connection, given: &str) -> Result<String> {
    let found: Option<String> = conn
        .prepare_cached(
            "SELECT slug FROM documents WHERE slug = lower(?1)
             UNION ALL SELECT slug FROM documents WHERE title = ?1 COLLATE NOCASE
             UNION ALL SELECT slug FROM documents WHERE title_key = ?2 LIMIT 1",
        )?
        // The title as identity compares it too: `bee  vs.  dee`.
        .query_row(
            [given.trim(), crate::document::title_key(given).as_str()],
            |r| stored_text(r, 0),
        )
        .optional()?;
    match found {
        Some(slug) => Ok(slug),
        None => {
            let slugs: Vec<String> = conn
                .prepare("SELECT slug FROM documents ORDER BY id LIMIT 1000")?
                .query_map([], |r| stored_text(r, 0))?
                .collect::<rusqlite::Result<_>>()?;
            Err(usage(format!(
                "no document \"{given}\"; {}run `versus query documents` for the list",
                did_you_mean(&closest(given, slugs.iter().map(String::as_str)))
            )))
        }
    }
}

/// A figure by full name or surname (ignoring case), as the full name.
pub fn resolve_figure(conn: &Connection, given: &str) -> Result<String> {
    let names: Vec<String> = conn
        .prepare_cached(
            "SELECT name FROM figures WHERE name = ?1 COLLATE NOCASE
             UNION SELECT name FROM figures WHERE surname = ?1 COLLATE NOCASE",
        )?
        .query_map([given.trim()], |r| stored_text(r, 0))?
        .collect::<rusqlite::Result<_>>()?;
    // The exact full name always wins: "Joseph Stalin" beside "JOSEPH
    // STALIN" (two figures to versus, whose names differ in case) is the
    // one written so.
    if let Some(exact) = names.iter().find(|n| n.as_str() == given.trim()) {
        return Ok(exact.clone());
    }
    match names.as_slice() {
        [one] => Ok(one.clone()),
        [] => {
            let all: Vec<String> = conn
                .prepare("SELECT name FROM figures ORDER BY name LIMIT 1000")?
                .query_map([], |r| stored_text(r, 0))?
                .collect::<rusqlite::Result<_>>()?;
            let surnames: Vec<(String, &str)> = all
                .iter()
                .map(|n| (crate::document::surname(n).to_string(), n.as_str()))
                .collect();
            let mut suggestions = closest(given, all.iter().map(String::as_str));
            for (surname, name) in &surnames {
                if closest(given, std::iter::once(surname.as_str())).len() == 1
                    && !suggestions.contains(name)
                {
                    suggestions.push(name);
                }
            }
            suggestions.truncate(3);
            Err(usage(format!(
                "no figure \"{given}\"; {}run `versus query figures` for the list",
                did_you_mean(&suggestions)
            )))
        }
        many => Err(usage(format!(
            "\"{given}\" could be {}; give the full name",
            many.iter()
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(" or ")
        ))),
    }
}
