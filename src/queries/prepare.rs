//! Preparing a resolved query: checking and converting each `--param`
//! value to what is bound, the `-- if` lines and the pivot columns expanded;
//! values are always bound, never spliced into SQL text.

use std::collections::HashMap;

use anyhow::Result;
use rusqlite::Connection;
use rusqlite::types::Value;

use super::*;
use crate::document::topic_key;
use crate::sql_text::{sql_identifier, sql_literal, stored_text};

/// A query found by name, with the parameters its alias (or the
/// `<topic> differences` form) fixes.
pub struct Resolved<'a> {
    /// The name the user gave.
    pub asked: String,
    pub query: &'a NamedQuery,
    pub fixed: Vec<(String, String)>,
}

/// A query ready to run: the SQL after `-- if` lines and pivots, and the
/// value of every parameter it declares (NULL where not given).
pub struct Prepared {
    pub sql: String,
    pub values: Vec<(String, Value)>,
}

impl Resolved<'_> {
    /// Checks the given `--param`s against the declared ones (names, types,
    /// required), resolves documents and figures in the database, and
    /// builds the SQL.
    pub fn prepare(&self, given: &[(String, String)], conn: &Connection) -> Result<Prepared> {
        self.prepare_with(given, &[], conn)
    }

    /// As [`Resolved::prepare`], with some parameters given as values to
    /// bind as they are, past their type's conversion (`versus search --raw`
    /// hands over FTS5 syntax this way).
    pub fn prepare_with(
        &self,
        given: &[(String, String)],
        exact: &[(&str, Value)],
        conn: &Connection,
    ) -> Result<Prepared> {
        let query = self.query;
        let mut raw: HashMap<&str, &str> = HashMap::new();
        for (key, value) in given {
            let key = key.trim_start_matches([':', '@', '$']);
            let Some(param) = query.params.iter().find(|p| p.name == key) else {
                let names: Vec<&str> = query.params.iter().map(|p| p.name.as_str()).collect();
                return Err(usage(format!(
                    "the query \"{}\" has no parameter \"{key}\"; {}{}",
                    self.asked,
                    did_you_mean(&closest(key, names.iter().copied())),
                    if names.is_empty() {
                        "it takes none".to_string()
                    } else {
                        format!("its parameters: {}", names.join(", "))
                    }
                )));
            };
            if self.fixed.iter().any(|(k, _)| k == key) {
                return Err(usage(format!(
                    "the query \"{}\" sets {key} itself; run `versus query {} --param {key}=...` to choose it",
                    self.asked, query.name
                )));
            }
            if raw.insert(param.name.as_str(), value.as_str()).is_some() {
                return Err(usage(format!(
                    "--param {key} is given twice; give each parameter once"
                )));
            }
        }
        for (key, value) in &self.fixed {
            raw.insert(key.as_str(), value.as_str());
        }
        let Body::Sql { sql, pivot_figures } = &query.body else {
            unreachable!("aliases are followed in resolve");
        };
        let limits = limit_parameters(sql);
        let mut values = Vec::with_capacity(query.params.len());
        for param in &query.params {
            if let Some((_, value)) = exact.iter().find(|(name, _)| *name == param.name) {
                values.push((param.name.clone(), value.clone()));
                continue;
            }
            let text = raw
                .get(param.name.as_str())
                .copied()
                .or(param.default.as_deref());
            let value = match text {
                None if param.required => {
                    return Err(usage(format!(
                        "the query \"{}\" needs --param {}=<{}>: {}",
                        self.asked,
                        param.name,
                        param.kind.as_str(),
                        param.description
                    )));
                }
                None => Value::Null,
                Some(text) => {
                    let value = convert(param, text, conn)?;
                    if limits.contains(&param.name) && is_negative(&value) {
                        return Err(usage(format!(
                            "--param {}={text:?}: expected a whole number 0 or more: the query \"{}\" gives it to LIMIT, where SQLite reads a negative number as no limit at all",
                            param.name, self.asked
                        )));
                    }
                    value
                }
            };
            values.push((param.name.clone(), value));
        }
        // A topic must name something in scope: the document given, or all.
        let scope = query
            .params
            .iter()
            .zip(&values)
            .find_map(|(p, (_, v))| match (p.kind, v) {
                (ParamType::Document, Value::Text(slug)) => Some(slug.as_str()),
                _ => None,
            });
        for (param, (_, value)) in query.params.iter().zip(&values) {
            if param.kind != ParamType::Topic || exact.iter().any(|(n, _)| *n == param.name) {
                continue;
            }
            if let Value::Text(key) = value {
                let given = raw
                    .get(param.name.as_str())
                    .copied()
                    .or(param.default.as_deref())
                    .unwrap_or(key);
                check_topic(conn, given.trim(), key, scope, Tables::read_by(sql))?;
            }
        }
        let given_names: Vec<&str> = values
            .iter()
            .filter(|(_, v)| *v != Value::Null)
            .map(|(n, _)| n.as_str())
            .collect();
        let document = values.iter().find_map(|(n, v)| match (n.as_str(), v) {
            ("document", Value::Text(slug)) => Some(slug.as_str()),
            _ => None,
        });
        let figures = if *pivot_figures {
            pivot_figures_of(conn, document)?
        } else {
            Vec::new()
        };
        let sql = expand(sql, &given_names, &figures);
        if *pivot_figures {
            self.check_pivot_fits(conn, &sql, figures.len(), document)?;
        }
        Ok(Prepared { sql, values })
    }
}

impl Resolved<'_> {
    /// A pivot has a column per figure, and SQLite allows a result 2,000
    /// columns (`SQLITE_LIMIT_COLUMN`). Near that many figures the SQL is
    /// prepared here once, so that going over says how to narrow the query
    /// instead of SQLite's "too many columns in result set".
    fn check_pivot_fits(
        &self,
        conn: &Connection,
        sql: &str,
        figures: usize,
        document: Option<&str>,
    ) -> Result<()> {
        let limit = conn
            .limit(rusqlite::limits::Limit::SQLITE_LIMIT_COLUMN)
            .unwrap_or(2000)
            .max(0) as usize;
        // Far from the limit nothing is prepared twice.
        if figures + 64 < limit {
            return Ok(());
        }
        let Err(e) = conn.prepare(sql) else {
            return Ok(());
        };
        if !e.to_string().contains("too many columns") {
            return Ok(());
        }
        let scope = match document {
            Some(slug) => format!("of {slug}"),
            None => "of all documents".to_string(),
        };
        let narrow = if document.is_none() && self.query.params.iter().any(|p| p.name == "document")
        {
            "narrow it to one document with --param document=SLUG (`versus query documents` lists them), or "
        } else {
            ""
        };
        Err(usage(format!(
            "the query \"{}\" would have a column for each of the {figures} figures {scope}, more than the {limit} columns SQLite allows in a result; {narrow}read the table one row per cell with `versus sql \"SELECT * FROM comparison_table\"`",
            self.asked
        )))
    }
}

/// The parameters the SQL gives to LIMIT (`LIMIT :limit`, `LIMIT (:n)`).
/// SQLite reads a negative LIMIT as no limit at all, which no one means by
/// `limit=-1`: versus takes only 0 or more there, as `search --limit`.
pub(crate) fn limit_parameters(sql: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    // The code since the last parameter or quoted text, comments left out.
    let mut code = String::new();
    for (piece, range) in crate::sql_text::pieces(sql) {
        let text = &sql[range];
        match piece {
            crate::sql_text::Piece::Comment => code.push(' '),
            crate::sql_text::Piece::Code => code.push_str(text),
            crate::sql_text::Piece::Quoted => code.clear(),
            crate::sql_text::Piece::Parameter => {
                let before = code.trim_end_matches(|c: char| c == '(' || c.is_whitespace());
                let word_start = before
                    .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .map_or(0, |i| i + 1);
                let name = &text[1..];
                if before[word_start..].eq_ignore_ascii_case("limit")
                    && !found.iter().any(|f| f == name)
                {
                    found.push(name.to_string());
                }
                code.clear();
            }
        }
    }
    found
}

/// Whether a value bound for LIMIT is a number below 0 (as SQLite would
/// read text there).
pub(super) fn is_negative(value: &Value) -> bool {
    match value {
        Value::Integer(n) => *n < 0,
        Value::Real(f) => *f < 0.0,
        Value::Text(t) => t.trim().parse::<f64>().is_ok_and(|f| f < 0.0),
        Value::Null | Value::Blob(_) => false,
    }
}

/// Turns a parameter's text into the value to bind.
pub(super) fn convert(param: &Param, text: &str, conn: &Connection) -> Result<Value> {
    let wrong = |what: &str| usage(format!("--param {}={text:?}: expected {what}", param.name));
    Ok(match param.kind {
        ParamType::Text => Value::Text(text.to_string()),
        ParamType::Integer => Value::Integer(text.trim().parse().map_err(
            |e: std::num::ParseIntError| {
                use std::num::IntErrorKind;
                if matches!(e.kind(), IntErrorKind::PosOverflow | IntErrorKind::NegOverflow) {
                    wrong("a whole number SQLite can hold, from -9223372036854775808 to 9223372036854775807")
                } else {
                    wrong(&format!(
                        "a whole number; give digits, for example --param {}=10",
                        param.name
                    ))
                }
            },
        )?),
        ParamType::Real => Value::Real(
            text.trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .ok_or_else(|| {
                    wrong(&format!(
                        "a number; give one such as --param {}=2.5",
                        param.name
                    ))
                })?,
        ),
        ParamType::Topic => {
            let key = topic_key(text);
            if key.is_empty() {
                return Err(wrong(
                    "a topic with at least one word that is not a small word",
                ));
            }
            Value::Text(key)
        }
        ParamType::Document => Value::Text(resolve_document(conn, text)?),
        ParamType::Figure => Value::Text(resolve_figure(conn, text)?),
        ParamType::Search => {
            Value::Text(search_words(text).ok_or_else(|| wrong("at least one word to search for"))?)
        }
    })
}

/// The figures of the documents in scope, in document then title order.
pub(super) fn pivot_figures_of(conn: &Connection, document: Option<&str>) -> Result<Vec<String>> {
    let mut stmt = match document {
        Some(_) => conn.prepare_cached(
            "SELECT f.name FROM documents AS d
             JOIN document_figures AS df ON df.document_id = d.id
             JOIN figures AS f ON f.id = df.figure_id
             WHERE d.slug = ?1 ORDER BY df.position",
        )?,
        None => conn.prepare_cached(
            "SELECT f.name FROM document_figures AS df JOIN figures AS f ON f.id = df.figure_id
             GROUP BY f.id ORDER BY min(df.document_id), min(df.position)",
        )?,
    };
    let rows = match document {
        Some(slug) => stmt
            .query_map([slug], |r| stored_text(r, 0))?
            .collect::<rusqlite::Result<Vec<String>>>(),
        None => stmt.query_map([], |r| stored_text(r, 0))?.collect(),
    };
    Ok(rows?)
}

/// Applies `-- if :name` lines and the `-- pivot column:` line.
pub(super) fn expand(sql: &str, given: &[&str], figures: &[String]) -> String {
    let mut out = Vec::new();
    for line in sql.lines() {
        let trimmed = line.trim_start();
        if let Some(expr) = trimmed.strip_prefix("-- pivot column:") {
            let indent = &line[..line.len() - trimmed.len()];
            for figure in figures {
                out.push(format!(
                    "{indent}, {} AS {}",
                    expr.trim().replace("$figure", &sql_literal(figure)),
                    sql_identifier(figure)
                ));
            }
            continue;
        }
        if let Some((code, condition)) = line.rsplit_once("-- if :") {
            let name = condition.trim();
            if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                if given.contains(&name) {
                    out.push(code.trim_end().to_string());
                }
                continue;
            }
        }
        out.push(line.to_string());
    }
    out.join("\n")
}
