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

use std::collections::HashSet;
use std::fmt::Write as _;

use anyhow::Result;
use rusqlite::Connection;
use serde_json::{Map, Value as Json, json};

use super::{
    Body, Catalogue, Origin, Param, ParamType, Resolved, TopicsFrom, expand, limit_parameters,
    name_key, pivot_figures_of, search_words, sql_literal,
};
use crate::document::{SMALL_WORDS, topic_key};

/// The table of full-text search that Datasette is told about.
const SEARCH_TABLE: &str = "search_items";
const SEARCH_INDEX: &str = "search_index";

/// The most columns SQLite gives a result (`SQLITE_MAX_COLUMN`), as
/// SQLite is built unless told otherwise, Datasette's included.
const SQLITE_MAX_COLUMN: usize = 2000;

/// The most places in a title the comparison table has a figure_N and a
/// value_N column for: with document, attribute and more_figures, the
/// result stays within [`SQLITE_MAX_COLUMN`] however many figures a
/// document has (the figures past it are in more_figures).
const MOST_PLACES: usize = (SQLITE_MAX_COLUMN - 3) / 2;

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

/// The metadata: the full-text table and a canned query per named query.
/// `source` says where the facts came from, for a description that needs it.
pub fn metadata(catalogue: &Catalogue, key: &str, facts: &Facts, source: &str) -> Result<Json> {
    let mut queries = Map::new();
    for query in catalogue.queries() {
        let resolved = catalogue.resolve(&query.name)?;
        let canned = canned_query(&resolved, facts, source)?;
        let mut description = query.description.clone();
        if let Body::Alias { target, fixed } = &query.body {
            let with: Vec<String> = fixed.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let _ = write!(
                description,
                "{}(Runs \"{target}\" with {}.)",
                separator(&description),
                with.join(", ")
            );
        }
        if !canned.notes.is_empty() {
            let _ = write!(
                description,
                "{}In Datasette: {}",
                separator(&description),
                canned.notes.join(" ")
            );
        }
        queries.insert(
            name_key(&query.name),
            json!({
                "sql": canned.sql,
                "title": query.title,
                "description": description,
                "params": canned.params,
            }),
        );
    }
    Ok(json!({
        "databases": {
            key: {
                "tables": {
                    SEARCH_TABLE: {"fts_table": SEARCH_INDEX, "fts_pk": "id"},
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

fn separator(text: &str) -> &'static str {
    if text.is_empty() { "" } else { " " }
}

/// A canned query: its SQL, the names of its form fields in order, and what
/// its description must add.
struct Canned {
    sql: String,
    params: Vec<String>,
    notes: Vec<String>,
}

/// How one parameter is given in Datasette.
struct Plan<'a> {
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

fn canned_query(resolved: &Resolved<'_>, facts: &Facts, source: &str) -> Result<Canned> {
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
            "the figures are columns by their place in the document's title (figure_1, value_1, figure_2, value_2, ... up to {n}), not a column per figure as in versus; more_figures lists any figure past the {n}th as \"name: value\" lines. So the table stays right after any import, and a versus row's figure columns that are not NULL are the figure_N and value_N pairs here."
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
    notes.extend(parameter_notes(&plans));
    Ok(Canned {
        sql,
        params: plans.iter().filter_map(|p| p.field.clone()).collect(),
        notes,
    })
}

/// The comparison table in the form of a versus query, with a pair of
/// columns per position in the title instead of a column per figure.
fn positional_comparison_table(widest: usize) -> String {
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

/// A piece of SQL text, as far as finding parameters and comments needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece {
    Code,
    /// A string literal, a quoted identifier or a comment.
    Quoted,
    Comment,
    /// `:name`, `@name` or `$name`.
    Parameter,
}

/// Splits SQL into pieces (byte ranges), as SQLite's tokenizer sees them.
pub(crate) fn pieces(sql: &str) -> Vec<(Piece, std::ops::Range<usize>)> {
    let bytes = sql.as_bytes();
    let id_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
    let mut out: Vec<(Piece, std::ops::Range<usize>)> = Vec::new();
    let mut push = |piece: Piece, range: std::ops::Range<usize>| match out.last_mut() {
        Some((Piece::Code, last)) if piece == Piece::Code && last.end == range.start => {
            last.end = range.end;
        }
        _ => out.push((piece, range)),
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let closing = |open: u8, close: u8, from: usize| -> usize {
            // The end of a quoted run: past its closing quote (a doubled
            // quote inside it is the quote itself), or the end of the SQL.
            let mut j = from + 1;
            while j < bytes.len() {
                if bytes[j] == close {
                    if open == close && bytes.get(j + 1) == Some(&close) {
                        j += 2;
                        continue;
                    }
                    return j + 1;
                }
                j += 1;
            }
            bytes.len()
        };
        let end = match b {
            b'\'' | b'"' | b'`' => {
                let end = closing(b, b, i);
                push(Piece::Quoted, i..end);
                end
            }
            b'[' => {
                let end = closing(b'[', b']', i);
                push(Piece::Quoted, i..end);
                end
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                push(Piece::Comment, i..end);
                end
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = memchr::memmem::find(&bytes[i + 2..], b"*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
                push(Piece::Comment, i..end);
                end
            }
            b':' | b'@' | b'$'
                if bytes.get(i + 1).is_some_and(|&n| id_char(n) && n != b'$')
                    && !(b == b'$' && i > 0 && id_char(bytes[i - 1])) =>
            {
                let mut j = i + 1;
                while j < bytes.len() && id_char(bytes[j]) {
                    j += 1;
                }
                push(Piece::Parameter, i..j);
                j
            }
            _ => {
                push(Piece::Code, i..i + 1);
                i + 1
            }
        };
        i = end;
    }
    out
}

/// Replaces each use of a declared parameter (`:name`, `@name`, `$name`)
/// with its value from `versus_params`.
fn rewrite_parameters(sql: &str, declared: &HashSet<&str>) -> String {
    let mut out = String::with_capacity(sql.len() * 2);
    for (piece, range) in pieces(sql) {
        let text = &sql[range];
        match piece {
            Piece::Parameter if declared.contains(&text[1..]) => {
                let _ = write!(
                    out,
                    "(SELECT {} FROM versus_params)",
                    identifier(&text[1..])
                );
            }
            _ => out.push_str(text),
        }
    }
    out
}

/// `-- if :name` lines as SQL conditions: the line applies when the field
/// is filled in, as versus keeps it when the parameter is given.
fn conditional_lines(sql: &str, plans: &[Plan<'_>], notes: &mut Vec<String>) -> String {
    let mut out = Vec::new();
    for line in sql.lines() {
        // Exactly the lines versus's `expand` treats as conditional.
        let Some((code, condition)) = line.rsplit_once("-- if :") else {
            out.push(line.to_string());
            continue;
        };
        let name = condition.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            out.push(line.to_string());
            continue;
        }
        let code = without_comment(code).trim_end();
        let Some(plan) = plans.iter().find(|p| p.param.name == name) else {
            // A parameter the query does not declare is never given.
            continue;
        };
        if plan.always_given() {
            out.push(code.to_string());
            continue;
        }
        let Some(field) = &plan.field else {
            out.push(code.to_string());
            continue;
        };
        let indent = &code[..code.len() - code.trim_start().len()];
        let body = code.trim_start();
        let keyword: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_uppercase();
        let rest = body[keyword.len()..].trim();
        let empty = format!("coalesce(:{field}, '') = ''");
        match keyword.as_str() {
            "AND" | "WHERE" | "HAVING" | "ON" if !rest.is_empty() => {
                out.push(format!("{indent}{keyword} ({empty} OR ({rest}))"));
            }
            "OR" if !rest.is_empty() => {
                out.push(format!("{indent}OR (NOT {empty} AND ({rest}))"));
            }
            _ => {
                notes.push(format!(
                    "give {field}: the line `{}` of this query always applies here, while versus leaves it out when {name} is not given.",
                    body
                ));
                out.push(code.to_string());
            }
        }
    }
    out.join("\n")
}

/// A line of SQL up to any comment in it.
fn without_comment(line: &str) -> &str {
    match pieces(line).iter().find(|(p, _)| *p == Piece::Comment) {
        Some((_, range)) => &line[..range.start],
        None => line,
    }
}

fn identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Puts the CTEs that compute the parameters' values in front of the query
/// (into its own `WITH` list, if it has one).
fn with_parameters(sql: &str, plans: &[Plan<'_>]) -> String {
    let raw_columns: Vec<String> = plans.iter().map(|p| identifier(&p.param.name)).collect();
    let raw_values: Vec<String> = plans.iter().map(raw_value).collect();
    let mut ctes = vec![format!(
        "versus_raw ({}) AS (SELECT {})",
        raw_columns.join(", "),
        raw_values.join(", ")
    )];
    // versus_text is needed to trim, split or lowercase what was typed.
    let needs_text = plans.iter().any(|p| match p.param.kind {
        ParamType::Text => false,
        ParamType::Document | ParamType::Figure => true,
        ParamType::Integer | ParamType::Real | ParamType::Topic | ParamType::Search => {
            p.fixed.is_none()
        }
    });
    if needs_text {
        ctes.push(text_table());
    }
    let mut values = Vec::new();
    for (n, plan) in plans.iter().enumerate() {
        let column = format!("r.{}", identifier(&plan.param.name));
        let trimmed = format!("trim({column}, t.spaces)");
        let value = match (plan.param.kind, plan.fixed) {
            (ParamType::Text, _) => column,
            (ParamType::Topic, Some(fixed)) => nullable_literal(&topic_key(fixed)),
            (ParamType::Search, Some(fixed)) => {
                sql_literal(&search_words(fixed).unwrap_or_else(|| "\"\"".to_string()))
            }
            (ParamType::Integer, Some(fixed)) => fixed
                .trim()
                .parse::<i64>()
                .map_or("NULL".to_string(), |i| i.to_string()),
            (ParamType::Real, Some(fixed)) => fixed
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map_or("NULL".to_string(), |f| format!("{f:?}")),
            (ParamType::Integer, None) => {
                let digits = format!(
                    "(CASE WHEN substr({trimmed}, 1, 1) IN ('+', '-') THEN substr({trimmed}, 2) ELSE {trimmed} END)"
                );
                format!(
                    "CASE WHEN {digits} <> '' AND {digits} NOT GLOB '*[^0-9]*' THEN CAST({trimmed} AS INTEGER) END"
                )
            }
            (ParamType::Real, None) => format!(
                "CASE WHEN {trimmed} GLOB '*[0-9]*' AND {trimmed} NOT GLOB '*[^0-9.eE+-]*' THEN CAST({trimmed} AS REAL) END"
            ),
            (ParamType::Topic, None) => {
                let cte = format!("versus_topic_{}", n + 1);
                ctes.push(topic_cte(&cte, &column));
                format!("(SELECT nullif(substr(key, 2), '') FROM {cte} ORDER BY i DESC LIMIT 1)")
            }
            (ParamType::Search, None) => {
                let cte = format!("versus_words_{}", n + 1);
                ctes.push(words_cte(&cte, &column));
                format!(
                    "CASE WHEN {column} IS NOT NULL THEN (SELECT CASE WHEN words = '' THEN '\"\"' ELSE replace(escape_fts(words), char(1) || '\"', '\"*') END FROM {cte} ORDER BY i DESC LIMIT 1) END"
                )
            }
            (ParamType::Document, _) => format!(
                "(SELECT slug FROM documents WHERE slug = lower({trimmed}) UNION ALL SELECT slug FROM documents WHERE title = {trimmed} COLLATE NOCASE LIMIT 1)"
            ),
            (ParamType::Figure, _) => format!(
                "(SELECT CASE WHEN count(*) = 1 THEN max(name) END FROM (SELECT name FROM figures WHERE name = {trimmed} COLLATE NOCASE UNION SELECT name FROM figures WHERE surname = {trimmed} COLLATE NOCASE))"
            ),
        };
        // A negative limit is NULL, which LIMIT refuses ("datatype
        // mismatch"), as versus refuses it.
        let value = if plan.limit {
            format!("CASE WHEN CAST(({value}) AS REAL) < 0 THEN NULL ELSE ({value}) END")
        } else {
            value
        };
        values.push(value);
    }
    let from = if needs_text {
        " FROM versus_raw AS r, versus_text AS t"
    } else {
        " FROM versus_raw AS r"
    };
    ctes.push(format!(
        "versus_params ({}) AS (SELECT {}{from})",
        raw_columns.join(", "),
        values.join(",\n    ")
    ));
    let ours = ctes.join(",\n");
    // The query's own WITH list, if it starts with one, takes ours first.
    let code: Vec<(Piece, std::ops::Range<usize>)> = pieces(sql)
        .into_iter()
        .filter(|(p, _)| *p != Piece::Comment)
        .collect();
    let words = leading_words(sql, &code, 2);
    match words.as_slice() {
        [(with, _), (recursive, end), ..]
            if with.eq_ignore_ascii_case("with") && recursive.eq_ignore_ascii_case("recursive") =>
        {
            format!("{}\n{ours},\n{}", &sql[..*end], sql[*end..].trim_start())
        }
        [(with, end), ..] if with.eq_ignore_ascii_case("with") => {
            let start = end - with.len();
            format!(
                "{}WITH RECURSIVE\n{ours},\n{}",
                &sql[..start],
                sql[*end..].trim_start()
            )
        }
        _ => format!("WITH RECURSIVE\n{ours}\n{sql}"),
    }
}

/// The first `n` words of the SQL outside comments, each with the byte
/// offset where it ends.
fn leading_words<'a>(
    sql: &'a str,
    code: &[(Piece, std::ops::Range<usize>)],
    n: usize,
) -> Vec<(&'a str, usize)> {
    let mut words = Vec::new();
    for (piece, range) in code {
        if *piece != Piece::Code {
            break;
        }
        let text = &sql[range.clone()];
        let mut offset = range.start;
        for part in text.split_inclusive(|c: char| !c.is_ascii_alphanumeric()) {
            let word = part.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
            if !word.is_empty() {
                words.push((word, offset + word.len()));
                if words.len() == n {
                    return words;
                }
            }
            if word.len() < part.len() && !part[word.len()..].trim().is_empty() {
                // Something other than a word or space: no more leading words.
                return words;
            }
            offset += part.len();
        }
    }
    words
}

/// What the user typed for a parameter, as SQL: an empty field is NULL
/// (as a parameter versus was not given), or the default.
fn raw_value(plan: &Plan<'_>) -> String {
    if let Some(fixed) = plan.fixed {
        return sql_literal(fixed);
    }
    let field = plan.field.as_deref().unwrap_or(&plan.param.name);
    match (&plan.param.default, plan.param.required) {
        (Some(default), _) => format!("coalesce(nullif(:{field}, ''), {})", sql_literal(default)),
        (None, true) => format!(":{field}"),
        (None, false) => format!("nullif(:{field}, '')"),
    }
}

fn nullable_literal(text: &str) -> String {
    if text.is_empty() {
        "NULL".to_string()
    } else {
        sql_literal(text)
    }
}

/// A topic key computed one character at a time: a character that is a
/// separator ends the word, which is kept unless it is a small word; any
/// other is lowercased and added to the word. `key` starts with a space.
fn topic_cte(name: &str, column: &str) -> String {
    let c = format!("substr({column}, i, 1)");
    let separator = format!("(i > length({column}) OR instr(t.separators, {c}) > 0)");
    let small: Vec<String> = std::iter::once("")
        .chain(SMALL_WORDS.iter().copied())
        .map(sql_literal)
        .collect();
    format!(
        "{name} (i, word, key) AS (
    SELECT 1, '', ''
    UNION ALL
    SELECT i + 1,
           CASE WHEN {separator} THEN ''
                ELSE word || coalesce(substr(t.lower, nullif(instr(t.upper, {c}), 0), 1), lower({c})) END,
           CASE WHEN {separator} AND word NOT IN ({small}) THEN key || ' ' || word ELSE key END
    FROM {name}, versus_raw AS r, versus_text AS t
    WHERE i <= length({column}) + 1)",
        small = small.join(", ")
    )
}

/// Plain words split as `search_words` splits them: white space ends a word,
/// other punctuation ends a piece of it; `words` gets each word's pieces
/// separated by spaces, and char(1) after a word that ends in `*`.
fn words_cte(name: &str, column: &str) -> String {
    let c = format!("substr({column}, i, 1)");
    let space = format!("(i > length({column}) OR instr(t.spaces, {c}) > 0)");
    let separator = format!("({space} OR instr(t.separators, {c}) > 0)");
    format!(
        "{name} (i, piece, word, last, words) AS (
    SELECT 1, '', '', '', ''
    UNION ALL
    SELECT i + 1,
           CASE WHEN {separator} THEN '' ELSE piece || {c} END,
           CASE WHEN {space} THEN '' WHEN piece <> '' AND {separator} THEN word || ' ' || piece ELSE word END,
           {c},
           CASE WHEN {space}
                THEN words || word || CASE WHEN piece <> '' THEN ' ' || piece ELSE '' END
                     || CASE WHEN last = '*' AND (word <> '' OR piece <> '') THEN char(1) ELSE '' END
                ELSE words END
    FROM {name}, versus_raw AS r, versus_text AS t
    WHERE i <= length({column}) + 1)"
    )
}

/// `versus_text`: the characters SQL needs to know (white space, the
/// separators of words, capitals and their lowercase letters).
fn text_table() -> String {
    let spaces: Vec<u32> = (1..=0x3000u32)
        .filter_map(char::from_u32)
        .filter(|c| c.is_whitespace())
        .map(|c| c as u32)
        .collect();
    let (mut hidden, mut shown) = (Vec::new(), String::new());
    for c in separators() {
        if shown_in_sql(c) {
            shown.push(c);
        } else {
            hidden.push((c as u32).to_string());
        }
    }
    let (upper, lower) = capitals();
    format!(
        "versus_text (spaces, separators, upper, lower) AS (SELECT\n    char({}),\n    char({}) || {},\n    {},\n    {})",
        spaces
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        hidden.join(", "),
        sql_literal(&shown),
        sql_literal(&upper),
        sql_literal(&lower)
    )
}

/// The characters SQL treats as separators: every one that is not a letter
/// or digit (as Rust's `char::is_alphanumeric`, which versus splits on) in
/// ASCII, Latin-1, General Punctuation, currency and letterlike symbols,
/// CJK symbols and punctuation and the full-width ASCII forms.
fn separators() -> impl Iterator<Item = char> {
    let ranges = [
        1..=0xBF,
        0xD7..=0xD7,
        0xF7..=0xF7,
        0x2000..=0x206F,
        0x20A0..=0x20C0,
        0x2100..=0x214F,
        0x3000..=0x303F,
        0xFF01..=0xFF0F,
        0xFF1A..=0xFF20,
        0xFF3B..=0xFF40,
        0xFF5B..=0xFF65,
    ];
    ranges
        .into_iter()
        .flatten()
        .filter_map(char::from_u32)
        .filter(|c| !c.is_alphanumeric())
}

/// Whether a separator is written as itself in a string literal (printable,
/// and not `-` or `/` next to each other: Datasette finds comments with
/// `--` and `/*` even inside strings), rather than as `char(N)`.
fn shown_in_sql(c: char) -> bool {
    let n = c as u32;
    if c.is_control() || c.is_whitespace() || n == 0xAD {
        return false;
    }
    c.is_ascii_graphic()
        || (0xA1..=0xFF).contains(&n)
        || (0x2010..=0x2027).contains(&n)
        || (0x2030..=0x205E).contains(&n)
        || (0x20A0..=0x20C0).contains(&n)
        || (0x2100..=0x214F).contains(&n)
        || (0x3001..=0x303F).contains(&n)
        || (0xFF01..=0xFF65).contains(&n)
}

/// The capitals SQLite's `lower()` leaves alone and the one letter each
/// lowercases to (Latin, Greek, Cyrillic, Armenian, Georgian, full-width
/// Latin), as two strings of the same length.
fn capitals() -> (String, String) {
    let ranges = [
        0xC0..=0x24F,
        0x370..=0x3FF,
        0x400..=0x52F,
        0x531..=0x556,
        0x10A0..=0x10C5,
        0x1E00..=0x1EFF,
        // Greek Extended: the capitals with breathings and accents (`Ἀρχή`).
        0x1F00..=0x1FFF,
        0xFF21..=0xFF3A,
    ];
    let (mut upper, mut lower) = (String::new(), String::new());
    for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
        let mut folded = c.to_lowercase();
        if let (Some(l), None) = (folded.next(), folded.next())
            && l != c
        {
            upper.push(c);
            lower.push(l);
        }
    }
    (upper, lower)
}

/// What the description says about typing each parameter in Datasette.
fn parameter_notes(plans: &[Plan<'_>]) -> Vec<String> {
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
            ParamType::Topic => {
                " Typed as in versus: case, punctuation and the small words a, an, and, as, at, by, for, from, in, of, on, or, s, the, to, with are ignored (\"Leadership Style\" is \"leadership style\"); a topic that matches nothing gives no rows (versus refuses it and suggests topics). The column topic of the tables attributes and sections holds every topic there is. SQL here lowercases Latin, Greek, Cyrillic, Armenian and Georgian letters and ignores the punctuation of ASCII, Latin-1 and General Punctuation: type other letters in lowercase and leave out other symbols (emoji, arrows, maths)."
            }
            ParamType::Document => {
                " A slug or a title, any case; one that is not stored gives no rows (versus refuses it and suggests names)."
            }
            ParamType::Figure => {
                " A full name or a surname, any case; one that is not stored, or a surname two figures share, gives no rows (versus refuses it, and says which full names to give)."
            }
            ParamType::Search => {
                " Plain words that must all appear, quoted for FTS5 by escape_fts; punctuation separates words and a trailing * matches any ending (trotsk*). Only the punctuation of ASCII, Latin-1 and General Punctuation separates words here: other symbols (emoji, maths) join the words either side of them into a phrase."
            }
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
