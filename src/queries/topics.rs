//! Topics: the attributes and section headings of the stored documents,
//! by their normalised key, for `<topic> differences`, its suggestions, the
//! shell's completion, `versus queries` and Datasette.

use anyhow::Result;
use rusqlite::Connection;

use super::*;
use crate::document::topic_key;
use crate::sql_text::stored_text;

/// Which tables a topic is looked for in: the ones a query reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tables {
    pub attributes: bool,
    pub sections: bool,
}

impl Tables {
    pub const BOTH: Tables = Tables {
        attributes: true,
        sections: true,
    };

    /// The tables of topics that `sql` reads, outside comments: `attributes`
    /// (or the view `comparison_table`) and `sections` (or
    /// `section_paragraphs`). A query that names neither is given both, so
    /// a topic is never refused for a table the query might read.
    pub fn read_by(sql: &str) -> Tables {
        let mut tables = Tables {
            attributes: false,
            sections: false,
        };
        for line in sql.lines() {
            let code = line.split("--").next().unwrap_or_default().to_lowercase();
            for word in code.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                match word {
                    "attributes" | "comparison_table" => tables.attributes = true,
                    "sections" | "section_paragraphs" => tables.sections = true,
                    _ => {}
                }
            }
        }
        if tables.attributes || tables.sections {
            tables
        } else {
            Tables::BOTH
        }
    }

    fn what(self) -> &'static str {
        match (self.attributes, self.sections) {
            (true, false) => "attribute",
            (false, true) => "section heading",
            _ => "attribute or section heading",
        }
    }
}

/// A topic of the documents: the attribute names and section headings that
/// share one topic key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// The topic key (`role russian revolution`), as stored.
    pub key: String,
    /// The names and headings with this key, lowercased, most used first
    /// (`role in russian revolution`, `role in the russian revolution`).
    pub forms: Vec<String>,
    /// How many documents have it: those of its most widespread form (see
    /// [`topics_in`]).
    pub documents: i64,
}

impl Topic {
    /// The topic as people write it: its most used form.
    pub fn name(&self) -> &str {
        &self.forms[0]
    }
}

/// Orders topics most common first, then by name, and each topic's forms
/// most used first; `uses` counts each form.
pub(super) fn sorted_topics(mut found: Vec<(Topic, Vec<i64>)>) -> Vec<Topic> {
    for (topic, uses) in &mut found {
        let mut forms: Vec<(String, i64)> = topic.forms.drain(..).zip(uses.drain(..)).collect();
        // Forms that differ only in case SQLite's lower() leaves are one.
        forms.sort();
        forms.dedup_by(|later, first| {
            let same = later.0 == first.0;
            if same {
                first.1 += later.1;
            }
            same
        });
        forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        topic.forms = forms.into_iter().map(|(f, _)| f).collect();
    }
    let mut topics: Vec<Topic> = found.into_iter().map(|(t, _)| t).collect();
    topics.sort_by(|a, b| {
        b.documents
            .cmp(&a.documents)
            .then_with(|| a.name().cmp(b.name()))
    });
    topics
}

/// The topics of the documents in scope (one document, by slug, or all),
/// in the given tables, most common first. One statement; Rust only merges
/// the forms of each topic.
pub fn topics_in(conn: &Connection, document: Option<&str>, tables: Tables) -> Result<Vec<Topic>> {
    let only = if document.is_some() {
        " WHERE document_id = (SELECT id FROM documents WHERE slug = ?1)"
    } else {
        ""
    };
    let mut parts = Vec::new();
    if tables.attributes {
        // One row per table row (the cells of a row share its name).
        parts.push(format!(
            "SELECT document_id, topic, lower(name) AS form FROM attributes{only} GROUP BY document_id, position"
        ));
    }
    if tables.sections {
        parts.push(format!(
            "SELECT document_id, topic, lower(heading) AS form FROM sections{only}"
        ));
    }
    // One sort of every name and heading in scope: each form's uses and
    // documents. A topic's documents are those of its most widespread form,
    // exact when it has one form, or when its forms come together (as a
    // document's attribute and heading on one topic mostly do); counting
    // the documents of each topic as well would cost a second sort.
    let sql = format!(
        "SELECT topic, form, count(*) AS uses, count(DISTINCT document_id) AS documents
           FROM ({})
          WHERE topic <> ''
          GROUP BY topic, form
          ORDER BY topic",
        parts.join(" UNION ALL ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = match document {
        Some(slug) => stmt.query([slug])?,
        None => stmt.query([])?,
    };
    let mut found: Vec<(Topic, Vec<i64>)> = Vec::new();
    while let Some(row) = rows.next()? {
        let key = stored_text(row, 0)?;
        // SQLite's lower() folds ASCII letters only.
        let form = stored_text(row, 1)?.to_lowercase();
        let uses: i64 = row.get(2)?;
        let documents: i64 = row.get(3)?;
        match found.last_mut() {
            Some((topic, counts)) if topic.key == key => {
                topic.forms.push(form);
                topic.documents = topic.documents.max(documents);
                counts.push(uses);
            }
            _ => found.push((
                Topic {
                    key,
                    forms: vec![form],
                    documents,
                },
                vec![uses],
            )),
        }
    }
    Ok(sorted_topics(found))
}

/// Refuses a topic that matches nothing in scope (the document given, or
/// all of them) in the tables the query reads, suggesting the closest
/// topics there are. Finding it is one indexed lookup with a document, and
/// stops at the first match without; the topics are only listed for the
/// error.
pub(super) fn check_topic(
    conn: &Connection,
    given: &str,
    key: &str,
    document: Option<&str>,
    tables: Tables,
) -> Result<()> {
    let only = if document.is_some() {
        " AND document_id = (SELECT id FROM documents WHERE slug = ?2)"
    } else {
        ""
    };
    // Sections first: the smaller table, so a topic that is only an
    // attribute costs the shorter scan.
    let mut tests = Vec::new();
    if tables.sections {
        tests.push(format!(
            "EXISTS (SELECT 1 FROM sections WHERE topic = ?1{only})"
        ));
    }
    if tables.attributes {
        tests.push(format!(
            "EXISTS (SELECT 1 FROM attributes WHERE topic = ?1{only})"
        ));
    }
    let mut stmt = conn.prepare_cached(&format!("SELECT {}", tests.join(" OR ")))?;
    let found: bool = match document {
        Some(slug) => stmt.query_row([key, slug], |r| r.get(0))?,
        None => stmt.query_row([key], |r| r.get(0))?,
    };
    if found {
        return Ok(());
    }
    let topics = topics_in(conn, document, tables)?;
    let (place, see) = match document {
        Some(slug) => (
            format!("in {slug}"),
            format!("run `versus show {slug}` for its attributes and sections"),
        ),
        None if !tables.attributes => (
            "in any document".to_string(),
            "run `versus query sections` for the headings".to_string(),
        ),
        None => (
            "in any document".to_string(),
            "run `versus queries` for the topics".to_string(),
        ),
    };
    Err(usage(format!(
        "no {} matches \"{given}\" {place}; {}{see}",
        tables.what(),
        did_you_mean(&closest_topics(given, &topics))
    )))
}

/// Up to three topics closest to `given`, each in the form closest to it,
/// for "did you mean". A topic is compared by its forms and by its key, so
/// small words count for nothing ("role in the revolution" is near "role in
/// russian revolution").
pub fn closest_topics<'a>(given: &str, topics: &'a [Topic]) -> Vec<&'a str> {
    let given_form = given.to_lowercase();
    let given_key = topic_key(given);
    let mut scored: Vec<(f64, &str)> = topics
        .iter()
        .map(|t| {
            let by_key = strsim::jaro_winkler(&given_key, &t.key);
            t.forms
                .iter()
                .map(|f| (strsim::jaro_winkler(&given_form, f).max(by_key), f.as_str()))
                .fold((f64::MIN, t.name()), |best, this| {
                    if this.0 > best.0 { this } else { best }
                })
        })
        .filter(|(score, _)| *score > 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, form)| form).collect()
}

/// Where the topics of a description come from (see
/// `Context::open_described`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicsFrom {
    /// The database at the location.
    Database,
    /// The bundled seed documents: there is no file at the location.
    Seed,
}
