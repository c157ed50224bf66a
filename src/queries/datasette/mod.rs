//! `versus queries --format datasette`: Datasette metadata (JSON for
//! `datasette DB -m FILE`) in which every named query is a canned query that
//! gives, in Datasette, the rows versus gives for the same inputs.
//!
//! Datasette runs a canned query's SQL as it is, binding every parameter as
//! text and an empty form field as `''`. versus does more before its SQL
//! runs: it drops the `-- if :name` lines of parameters that are not given,
//! normalises topics, resolves documents and figures, turns plain words into
//! an FTS5 query, checks whole numbers and writes a column per figure. Here
//! all of that becomes SQL:
//!
//! - Each parameter's value is computed once, at the top, in the CTE
//!   `versus_params`, from what the user typed (`versus_raw`: an empty field
//!   is NULL, or the parameter's default). Every `:name` of the query's SQL
//!   becomes `(SELECT "name" FROM versus_params)`.
//! - A topic is normalised as `topic_key` does, one character at a time in a
//!   recursive CTE: lowercase, punctuation as spaces, small words dropped.
//!   SQLite without ICU lowers A-Z only, so the other letters are folded with
//!   a table of the Latin, Greek, Cyrillic, Armenian and Georgian capitals;
//!   the punctuation is that of ASCII, Latin-1, General Punctuation, currency
//!   and letterlike symbols, CJK and full-width forms. The query's
//!   description says so.
//! - Plain search words are split as `search_words` splits them (a recursive
//!   CTE again), quoted by Datasette's `escape_fts()`, and a word's trailing
//!   `*` becomes an FTS5 prefix.
//! - A document is resolved by the same SQL as `resolve_document`, a figure
//!   by the same as `resolve_figure`; an unknown document or figure, or a
//!   surname two figures share, is NULL and gives no rows (versus refuses it
//!   with a message).
//! - A `-- if :name` line starting with `AND`, `WHERE`, `HAVING` or `ON`
//!   becomes `AND (<field empty> OR (<its condition>))`, one starting with
//!   `OR` becomes `OR (NOT <field empty> AND (...))`: it filters only when
//!   the field is filled in. Any other such line always applies, and the
//!   description says to give that parameter.
//! - The built-in `comparison table` has columns by position in the title
//!   (`figure_1`, `value_1`, ...) and `more_figures` for any figures past
//!   them, so it stays right after any import; the pairs stop where SQLite's
//!   2,000 columns of a result would be passed, however many figures a
//!   document has (999 and more go to `more_figures`). A user's own pivot query has
//!   the figure columns of the day, and its description says so.
//!
//! The SQL added here holds no comments and no `--` or `/*` inside string
//! literals (Datasette strips comments with a regular expression that does
//! not know strings), and every canned query lists its parameters, so
//! Datasette never has to find them in the SQL.

mod rewrite;

use std::collections::HashSet;
use std::fmt::Write as _;

use anyhow::Result;
use rusqlite::Connection;
use serde_json::{Map, Value as Json, json};

use super::{
    Body, Catalogue, Origin, Param, ParamType, Resolved, TopicsFrom, expand, limit_parameters,
    name_key, pivot_figures_of, search_words, sql_literal,
};

use rewrite::*;

/// The table of full-text search that Datasette is told about.
pub(super) const SEARCH_TABLE: &str = "search_items";
pub(super) const SEARCH_INDEX: &str = "search_index";

/// The most columns SQLite gives a result (`SQLITE_MAX_COLUMN`), as
/// SQLite is built unless told otherwise, Datasette's included.
pub(super) const SQLITE_MAX_COLUMN: usize = 2000;

/// The most places in a title the comparison table has a figure_N and a
/// value_N column for: with document, attribute and more_figures, the
/// result stays within [`SQLITE_MAX_COLUMN`] however many figures a
/// document has (the figures past it are in more_figures).
pub(super) const MOST_PLACES: usize = (SQLITE_MAX_COLUMN - 3) / 2;

/// What the metadata depends on besides the queries: read from the database,
/// or from the bundled seed when there is no database yet.
pub struct Facts {
    /// The most figures any one document has (at least 2): the comparison
    /// table's positional columns.
    pub widest: usize,
    /// Every figure in the order versus's pivot gives them a column, for a
    /// user's own `-- pivot: figures` query.
    pub figures: Vec<String>,
    pub from: TopicsFrom,
}

/// Reads the facts from the database `conn` (see `Context::open_described`:
/// when there is no file, it is the bundled seed in memory).
pub fn facts(conn: &Connection, from: TopicsFrom) -> Result<Facts> {
    let widest: i64 = conn.query_row(
        "SELECT coalesce(max(n), 2) FROM (SELECT count(*) AS n FROM document_figures GROUP BY document_id)",
        [],
        |r| r.get(0),
    )?;
    Ok(Facts {
        widest: usize::try_from(widest).unwrap_or(2).max(2),
        figures: pivot_figures_of(conn, None)?,
        from,
    })
}

/// The database's key in Datasette: the file name without its last
/// extension, as Datasette names a database (`versus.db` is `versus`).
pub fn database_key(path: &std::path::Path) -> String {
    path.file_stem()
        .or_else(|| path.file_name())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "versus".to_string())
}

/// The metadata: the full-text table, the label columns, and a canned query
/// per named query.
///
/// A page is for a person at a form: each canned query hides its SQL (a
/// click shows it) and its description is the query's `-- brief:` when it
/// has one (what it answers, what to type), or else its description with a
/// line per field. Only what changes the rows' meaning in Datasette is
/// added (an alias's fixed values, the comparison table's columns by place,
/// a pivot's columns of the day, a renamed field); the typing rules are in
/// docs/DATABASE.md, "Opening the file elsewhere".
/// `source` says where the facts came from, for a description that needs it.
pub fn metadata(catalogue: &Catalogue, key: &str, facts: &Facts, source: &str) -> Result<Json> {
    let mut queries = Map::new();
    for query in catalogue.queries() {
        let resolved = catalogue.resolve(&query.name)?;
        let canned = canned_query(&resolved, facts, source)?;
        let mut description = query
            .brief
            .clone()
            .unwrap_or_else(|| query.description.clone());
        if let Body::Alias { target, fixed } = &query.body {
            let with: Vec<String> = fixed.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let _ = write!(
                description,
                "{}(Runs \"{target}\" with {}.)",
                separator(&description),
                with.join(", ")
            );
        }
        let mut notes = canned.notes;
        if query.brief.is_none() {
            notes.extend(canned.fields);
        }
        if !notes.is_empty() {
            let _ = write!(
                description,
                "{}In Datasette: {}",
                separator(&description),
                notes.join(" ")
            );
        }
        queries.insert(
            name_key(&query.name),
            json!({
                "sql": canned.sql,
                "title": query.title,
                "description": description,
                "params": canned.params,
                // The form and the rows come first; the generated SQL (up
                // to thousands of characters) is a click away.
                "hide_sql": true,
            }),
        );
    }
    Ok(json!({
        "databases": {
            key: {
                "tables": {
                    SEARCH_TABLE: {
                        "fts_table": SEARCH_INDEX,
                        "fts_pk": "id",
                        // Datasette searches a table in the order of its
                        // rows, and search_items' figure_id and section_id
                        // are kept by triggers, not foreign keys (migration
                        // 2), so they stay numbers here.
                        "description": "Every text versus searches. For hits best first, with the document, section and figure by name, use the query Full-text search."
                    },
                    // A foreign key to these tables shows the row's name
                    // (paragraphs.figure_id, sections.document_id, ...).
                    "documents": {"label_column": "title"},
                    "figures": {"label_column": "name"},
                    "sections": {"label_column": "heading"},
                    // Bookkeeping of versus's own (migration 6), out of the
                    // list of tables; its page still opens by its address.
                    crate::store::NOTES_TABLE: {
                        "hidden": true,
                        "description": "Documents whose title another tool wrote, for versus's next import to key; emptied by it."
                    }
                },
                "queries": queries,
            }
        }
    }))
}

pub(super) fn separator(text: &str) -> &'static str {
    if text.is_empty() { "" } else { " " }
}

/// A canned query: its SQL, the names of its form fields in order, what
/// its description must add, and a line per field for a query without a
/// brief.
pub(super) struct Canned {
    sql: String,
    params: Vec<String>,
    notes: Vec<String>,
    fields: Vec<String>,
}

/// How one parameter is given in Datasette.
pub(super) struct Plan<'a> {
    param: &'a Param,
    /// The form field's name; `None` when the query fixes the value.
    field: Option<String>,
    /// The value the query fixes (an alias's `-- runs:`).
    fixed: Option<&'a str>,
    /// Whether the SQL gives it to LIMIT, where versus refuses a negative
    /// number (SQLite would read it as no limit at all).
    limit: bool,
}

impl Plan<'_> {
    /// Whether versus always has a value for it: required, with a default,
    /// or fixed. Only the others can be left out.
    fn always_given(&self) -> bool {
        self.fixed.is_some() || self.param.required || self.param.default.is_some()
    }
}

pub(super) fn canned_query(resolved: &Resolved<'_>, facts: &Facts, source: &str) -> Result<Canned> {
    let query = resolved.query;
    let Body::Sql { sql, pivot_figures } = &query.body else {
        anyhow::bail!(
            "the query \"{}\" runs another query that runs another (aliases are followed before this)",
            query.name
        );
    };
    let mut notes = Vec::new();
    let positional = query.origin == Origin::BuiltIn && name_key(&query.name) == "comparison-table";
    let (sql, pivot) = if positional && *pivot_figures {
        let n = facts.widest.min(MOST_PLACES);
        notes.push(format!(
            "the figures are columns by their place in the title (figure_1, value_1, figure_2, value_2, ... up to {n}); more_figures lists the figures after place {n}."
        ));
        if facts.widest > MOST_PLACES {
            notes.push(format!(
                "A document of {source} has {} figures: the pairs stop at the {MOST_PLACES}th, as SQLite gives a result at most {SQLITE_MAX_COLUMN} columns.",
                facts.widest
            ));
        }
        (positional_comparison_table(n), false)
    } else {
        (sql.clone(), *pivot_figures)
    };

    // Form fields: the parameters the query does not fix, named as versus
    // names them, except that Datasette keeps names starting with `_` for
    // its own magic parameters, and `sql` for the SQL of its own queries.
    let mut taken: HashSet<String> = query.params.iter().map(|p| p.name.clone()).collect();
    let limits = limit_parameters(&sql);
    let mut plans = Vec::new();
    for param in &query.params {
        let fixed = resolved
            .fixed
            .iter()
            .find(|(k, _)| *k == param.name)
            .map(|(_, v)| v.as_str());
        let field = match fixed {
            Some(_) => None,
            None if param.name.starts_with('_') || param.name == "sql" => {
                let mut name = format!("p_{}", param.name.trim_start_matches('_'));
                while taken.contains(&name) {
                    name.insert(0, 'p');
                }
                taken.insert(name.clone());
                notes.push(format!(
                    "the parameter {} is the field {name} (Datasette keeps sql and the names starting with _ for itself).",
                    param.name
                ));
                Some(name)
            }
            None => Some(param.name.clone()),
        };
        plans.push(Plan {
            param,
            field,
            fixed,
            limit: limits.contains(&param.name),
        });
    }

    let declared: HashSet<&str> = query.params.iter().map(|p| p.name.as_str()).collect();
    let sql = rewrite_parameters(&sql, &declared);
    let sql = conditional_lines(&sql, &plans, &mut notes);
    let sql = if pivot {
        let scope = if query.params.iter().any(|p| p.name == "document") {
            " (with document given, still those of all documents)"
        } else {
            ""
        };
        notes.push(format!(
            "the figure columns are those of {source} when this metadata was written{scope}; run `versus queries --format datasette` again after an import."
        ));
        expand(&sql, &[], &facts.figures)
    } else {
        sql
    };
    let sql = if plans.is_empty() {
        sql
    } else {
        with_parameters(&sql, &plans)
    };
    Ok(Canned {
        sql,
        params: plans.iter().filter_map(|p| p.field.clone()).collect(),
        notes,
        fields: parameter_notes(&plans),
    })
}

/// The comparison table in the form of a versus query, with a pair of
/// columns per position in the title instead of a column per figure.
pub(super) fn positional_comparison_table(widest: usize) -> String {
    let mut sql = String::from("SELECT a.document,\n       a.attribute");
    for n in 1..=widest {
        let _ = write!(
            sql,
            ",\n       max(CASE WHEN a.column_no = {n} THEN a.figure END) AS figure_{n},\n       max(CASE WHEN a.column_no = {n} THEN a.value END) AS value_{n}"
        );
    }
    // Rows kept as written (`unresolved_rows`) are their whole text with
    // no figure, as in versus's query.
    let _ = write!(
        sql,
        ",\n       (SELECT group_concat(name || ': ' || value, char(10))
          FROM (SELECT f2.name, a2.value
                  FROM attributes AS a2
                  JOIN document_figures AS df2 ON df2.document_id = a2.document_id AND df2.figure_id = a2.figure_id
                  JOIN figures AS f2 ON f2.id = a2.figure_id
                 WHERE a2.document_id = a.document_id AND a2.position = a.position AND df2.position > {widest}
                 ORDER BY df2.position)) AS more_figures
FROM (
    SELECT d.id AS document_id, d.slug AS document, x.position, x.name AS attribute,
           df.position AS column_no, f.name AS figure, x.value
    FROM documents AS d
    JOIN attributes AS x ON x.document_id = d.id
    JOIN document_figures AS df ON df.document_id = x.document_id AND df.figure_id = x.figure_id
    JOIN figures AS f ON f.id = x.figure_id
    UNION ALL
    SELECT d.id, d.slug, u.position, u.text, NULL, NULL, NULL
    FROM documents AS d
    JOIN unresolved_rows AS u ON u.document_id = d.id
) AS a
WHERE a.document = :document  -- if :document
GROUP BY a.document_id, a.position
ORDER BY a.document_id, a.position;"
    );
    sql
}

/// A line per form field, for a query without a `-- brief:`: what it is,
/// whether it may be left empty, and a number's form.
pub(super) fn parameter_notes(plans: &[Plan<'_>]) -> Vec<String> {
    let mut notes = Vec::new();
    let mut optional = false;
    for plan in plans {
        let Some(field) = &plan.field else { continue };
        let param = plan.param;
        let how = match (&param.default, param.required) {
            (Some(d), _) => format!(" (empty: {d})"),
            (None, true) => String::new(),
            (None, false) => {
                optional = true;
                " (optional)".to_string()
            }
        };
        let typing = match param.kind {
            ParamType::Text => "",
            ParamType::Integer if plan.limit => {
                " A whole number 0 or more; anything else is an error."
            }
            ParamType::Integer => " A whole number; anything else is an error.",
            ParamType::Real => " A number.",
            // How a topic, a document, a figure or search words are
            // typed is in docs/DATABASE.md: a line each would be longer
            // than the query's form.
            ParamType::Topic | ParamType::Document | ParamType::Figure | ParamType::Search => "",
        };
        notes.push(format!(
            "{field}{how}: {}.{typing}",
            param.description.trim_end_matches('.')
        ));
    }
    if optional {
        notes.push("An empty field is a parameter not given.".to_string());
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{SMALL_WORDS, topic_key};

    #[test]
    fn the_capitals_fold_as_topic_key_folds_them_greek_extended_too() {
        let (upper, lower) = capitals();
        for (u, l) in upper.chars().zip(lower.chars()) {
            assert_eq!(topic_key(&u.to_string()), topic_key(&l.to_string()), "{u}");
        }
        for capital in ['Ἀ', 'Ὅ', 'Ἑ', 'É', 'Ж', 'Ա'] {
            assert!(upper.contains(capital), "{capital}");
        }
    }

    #[test]
    fn the_small_words_are_those_topic_key_drops() {
        for word in SMALL_WORDS {
            assert_eq!(topic_key(&format!("{word} x")), "x", "{word}");
        }
        // Every ASCII word of up to four letters (the longest small word).
        let letters: Vec<char> = ('a'..='z').collect();
        let mut words: Vec<String> = letters.iter().map(|c| c.to_string()).collect();
        let mut last = words.clone();
        for _ in 1..4 {
            last = last
                .iter()
                .flat_map(|w| letters.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(last.iter().cloned());
        }
        for word in words {
            let dropped = topic_key(&word).is_empty();
            assert_eq!(dropped, SMALL_WORDS.contains(&word.as_str()), "{word}");
        }
    }

    #[test]
    fn parameters_are_found_outside_strings_and_comments() {
        let declared: HashSet<&str> = ["document", "q"].into_iter().collect();
        let sql = "SELECT ':document', \"$q\", [ :q ] -- :q\nFROM t WHERE a = :document AND b = @q AND c$q = $q /* :q */ AND :other";
        assert_eq!(
            rewrite_parameters(sql, &declared),
            "SELECT ':document', \"$q\", [ :q ] -- :q\nFROM t WHERE a = (SELECT \"document\" FROM versus_params) AND b = (SELECT \"q\" FROM versus_params) AND c$q = (SELECT \"q\" FROM versus_params) /* :q */ AND :other"
        );
    }

    #[test]
    fn the_sql_never_holds_what_datasettes_parameter_finder_misreads() {
        let text = text_table();
        assert!(!text.contains("--") && !text.contains("/*") && !text.contains("*/"));
        let (upper, lower) = capitals();
        assert_eq!(upper.chars().count(), lower.chars().count());
        assert!(upper.contains('É') && lower.contains('é'));
        assert!(upper.contains('Ж') && lower.contains('ж'));
    }

    #[test]
    fn conditional_lines_hold_when_the_field_is_filled_in() {
        let param = |name: &str, required: bool, default: Option<&str>| Param {
            name: name.to_string(),
            kind: ParamType::Text,
            required,
            default: default.map(str::to_string),
            description: String::new(),
        };
        let (optional, with_default) = (param("x", false, None), param("n", false, Some("3")));
        let plans = [
            Plan {
                param: &optional,
                field: Some("x".to_string()),
                fixed: None,
                limit: false,
            },
            Plan {
                param: &with_default,
                field: Some("n".to_string()),
                fixed: None,
                limit: false,
            },
        ];
        let sql = "SELECT a\n     , b  -- if :x\nFROM t\nJOIN u\n  ON u.a = t.a -- why -- if :x\nWHERE a = 1  -- if :x\n  and b = 2 -- if :x\n  OR c = 3 -- if :x\n  AND d = 4 -- if :n\n  AND e = 5 -- if :nobody";
        let mut notes = Vec::new();
        assert_eq!(
            conditional_lines(sql, &plans, &mut notes),
            "SELECT a\n     , b\nFROM t\nJOIN u\n  ON (coalesce(:x, '') = '' OR (u.a = t.a))\nWHERE (coalesce(:x, '') = '' OR (a = 1))\n  AND (coalesce(:x, '') = '' OR (b = 2))\n  OR (NOT coalesce(:x, '') = '' AND (c = 3))\n  AND d = 4"
        );
        assert_eq!(
            notes,
            [
                "give x: the line `, b` of this query always applies here, while versus leaves it out when x is not given."
            ]
        );
    }

    #[test]
    fn a_with_list_takes_the_parameters_first() {
        let param = Param {
            name: "n".to_string(),
            kind: ParamType::Text,
            required: true,
            default: None,
            description: String::new(),
        };
        let plans = [Plan {
            param: &param,
            field: Some("n".to_string()),
            fixed: None,
            limit: false,
        }];
        let sql = with_parameters("-- x\nWITH t AS (SELECT 1) SELECT * FROM t", &plans);
        assert!(
            sql.starts_with("-- x\nWITH RECURSIVE\nversus_raw (\"n\") AS (SELECT :n)"),
            "{sql}"
        );
        assert!(sql.ends_with(",\nt AS (SELECT 1) SELECT * FROM t"), "{sql}");
        let sql = with_parameters("with recursive t(x) AS (SELECT 1) SELECT 2", &plans);
        assert!(sql.starts_with("with recursive\nversus_raw"), "{sql}");
        let sql = with_parameters("SELECT 1", &plans);
        assert!(sql.starts_with("WITH RECURSIVE\nversus_raw"), "{sql}");
        assert!(sql.ends_with("\nSELECT 1"), "{sql}");
    }
}
