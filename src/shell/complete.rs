//! Tab completion for `versus shell`, as a rustyline helper: named-query
//! names (several words, and every `<topic> differences`), parameter names
//! after a query's name, the values the database knows for a parameter
//! (documents, figures, topics), dot-commands and their arguments, SQL
//! keywords, and table, view and column names.
//!
//! Completion reads the database on its own read-only connection, guarded
//! like every read, each time Tab is pressed, so what another line (or
//! another program) changed is offered at once. Nothing here fails: what
//! cannot be read offers nothing.

use std::cell::Cell;
use std::path::PathBuf;

use rusqlite::Connection;
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

use super::{SQL_STARTS, parameter, quote, starts_sql, words};
use crate::format::Format;
use crate::queries::{Catalogue, ParamType, Tables, name_key, topics_in};

/// The dot-commands, as `.help` lists them.
pub const DOT_COMMANDS: &[&str] = &[
    ".exit", ".format", ".help", ".queries", ".query", ".quit", ".schema", ".search", ".show",
    ".tables", ".timer",
];

/// SQL keywords offered inside SQL (upper case; offered in lower case when
/// the word typed so far is in lower case).
const SQL_KEYWORDS: &[&str] = &[
    "ABORT",
    "ACTION",
    "ADD",
    "AFTER",
    "ALL",
    "ALTER",
    "ALWAYS",
    "ANALYZE",
    "AND",
    "AS",
    "ASC",
    "ATTACH",
    "AUTOINCREMENT",
    "BEFORE",
    "BEGIN",
    "BETWEEN",
    "BY",
    "CASCADE",
    "CASE",
    "CAST",
    "CHECK",
    "COLLATE",
    "COLUMN",
    "COMMIT",
    "CONFLICT",
    "CONSTRAINT",
    "CREATE",
    "CROSS",
    "CURRENT_DATE",
    "CURRENT_TIME",
    "CURRENT_TIMESTAMP",
    "DEFAULT",
    "DEFERRABLE",
    "DEFERRED",
    "DELETE",
    "DESC",
    "DETACH",
    "DISTINCT",
    "DO",
    "DROP",
    "EACH",
    "ELSE",
    "END",
    "ESCAPE",
    "EXCEPT",
    "EXCLUDE",
    "EXCLUSIVE",
    "EXISTS",
    "EXPLAIN",
    "FAIL",
    "FILTER",
    "FIRST",
    "FOLLOWING",
    "FOR",
    "FOREIGN",
    "FROM",
    "FULL",
    "GENERATED",
    "GLOB",
    "GROUP",
    "GROUPS",
    "HAVING",
    "IF",
    "IGNORE",
    "IMMEDIATE",
    "IN",
    "INDEX",
    "INDEXED",
    "INITIALLY",
    "INNER",
    "INSERT",
    "INSTEAD",
    "INTERSECT",
    "INTO",
    "IS",
    "ISNULL",
    "JOIN",
    "KEY",
    "LAST",
    "LEFT",
    "LIKE",
    "LIMIT",
    "MATCH",
    "MATERIALIZED",
    "NATURAL",
    "NO",
    "NOT",
    "NOTHING",
    "NOTNULL",
    "NULL",
    "NULLS",
    "OF",
    "OFFSET",
    "ON",
    "OR",
    "ORDER",
    "OTHERS",
    "OUTER",
    "OVER",
    "PARTITION",
    "PLAN",
    "PRAGMA",
    "PRECEDING",
    "PRIMARY",
    "QUERY",
    "RAISE",
    "RANGE",
    "RECURSIVE",
    "REFERENCES",
    "REGEXP",
    "REINDEX",
    "RELEASE",
    "RENAME",
    "REPLACE",
    "RESTRICT",
    "RETURNING",
    "ROLLBACK",
    "ROW",
    "ROWS",
    "SAVEPOINT",
    "SELECT",
    "SET",
    "TABLE",
    "TEMP",
    "TEMPORARY",
    "THEN",
    "TIES",
    "TO",
    "TRANSACTION",
    "TRIGGER",
    "UNBOUNDED",
    "UNION",
    "UNIQUE",
    "UPDATE",
    "USING",
    "VACUUM",
    "VALUES",
    "VIEW",
    "VIRTUAL",
    "WHEN",
    "WHERE",
    "WINDOW",
    "WITH",
    "WITHOUT",
];

/// The rustyline helper of the shell.
pub struct ShellHelper {
    /// Read-only and guarded; `None` if it could not be opened.
    conn: Option<Connection>,
    user_queries: Option<PathBuf>,
    /// Set while earlier lines hold SQL that is not complete: every line is
    /// SQL then.
    pub continuing: Cell<bool>,
}

impl ShellHelper {
    pub fn new(conn: Option<Connection>, user_queries: Option<PathBuf>) -> ShellHelper {
        ShellHelper {
            conn,
            user_queries,
            continuing: Cell::new(false),
        }
    }

    /// The start of the text to replace and what may replace it, for the
    /// line up to the cursor.
    pub fn candidates(&self, before: &str) -> (usize, Vec<Pair>) {
        if self.continuing.get() {
            return self.sql(before);
        }
        let lead = before.len() - before.trim_start().len();
        let text = &before[lead..];
        if text.starts_with('.') {
            return self.dot(before, lead);
        }
        if !text.contains(char::is_whitespace) {
            // The first word: SQL, or the start of a query's name.
            let mut found = keywords(SQL_STARTS, text);
            found.extend(self.query_names(text));
            return (lead, found);
        }
        if starts_sql(text) {
            return self.sql(before);
        }
        self.query(before, lead)
    }

    /// A named query from `offset` on: its name, then its parameters' names
    /// and values.
    fn query(&self, before: &str, offset: usize) -> (usize, Vec<Pair>) {
        let text = &before[offset..];
        let Ok(words) = words(text, true) else {
            return (before.len(), Vec::new());
        };
        // The word the cursor is in, if it is in one.
        let current = words.last().filter(|w| w.end == text.len());
        let done = &words[..words.len() - usize::from(current.is_some())];
        let Ok(catalogue) = Catalogue::load(self.user_queries.as_deref()) else {
            return (before.len(), Vec::new());
        };
        if !done.iter().any(|w| parameter(&w.text).is_some()) {
            let names = self.query_names_in(&catalogue, text);
            if !names.is_empty() {
                return (offset, names);
            }
        }
        let name: Vec<&str> = done
            .iter()
            .take_while(|w| parameter(&w.text).is_none())
            .map(|w| w.text.as_str())
            .collect();
        let Ok(resolved) = catalogue.resolve(&name.join(" ")) else {
            return (before.len(), Vec::new());
        };
        let open: Vec<_> = resolved
            .query
            .params
            .iter()
            .filter(|p| !resolved.fixed.iter().any(|(k, _)| *k == p.name))
            .collect();
        let start = current.map_or(before.len(), |w| offset + w.start);
        let typed = current.map_or("", |w| w.text.as_str());
        if let Some((key, value)) = parameter(typed) {
            let Some(param) = open.iter().find(|p| p.name == key) else {
                return (start, Vec::new());
            };
            let known = match param.kind {
                ParamType::Document => self.list("SELECT slug FROM documents ORDER BY slug"),
                ParamType::Figure => self.list("SELECT name FROM figures ORDER BY name"),
                ParamType::Topic => self.topics(),
                _ => Vec::new(),
            };
            let value = value.to_lowercase();
            let found = known
                .into_iter()
                .filter(|v| {
                    let lower = v.to_lowercase();
                    lower.starts_with(&value)
                        || lower.split_whitespace().any(|w| w.starts_with(&value))
                })
                .map(|v| Pair {
                    replacement: format!("{key}={} ", quote(&v)),
                    display: v,
                })
                .collect();
            return (start, found);
        }
        let given: Vec<&str> = done
            .iter()
            .filter_map(|w| parameter(&w.text).map(|(k, _)| k))
            .collect();
        let found = open
            .iter()
            .filter(|p| !given.contains(&p.name.as_str()))
            .filter(|p| p.name.starts_with(typed))
            .map(|p| Pair {
                display: format!("{}=", p.name),
                replacement: format!("{}=", p.name),
            })
            .collect();
        (start, found)
    }

    /// Named-query names that start with `typed` (ignoring case, with
    /// spaces, hyphens and underscores alike).
    fn query_names(&self, typed: &str) -> Vec<Pair> {
        match Catalogue::load(self.user_queries.as_deref()) {
            Ok(catalogue) => self.query_names_in(&catalogue, typed),
            Err(_) => Vec::new(),
        }
    }

    fn query_names_in(&self, catalogue: &Catalogue, typed: &str) -> Vec<Pair> {
        let typed = loose(typed);
        let mut names: Vec<String> = catalogue.queries().iter().map(|q| q.name.clone()).collect();
        let any_topic = catalogue
            .resolve("differences")
            .is_ok_and(|r| r.query.params.iter().any(|p| p.name == "topic"));
        if any_topic && !typed.is_empty() {
            names.extend(self.topics().iter().map(|t| format!("{t} differences")));
        }
        let mut seen = std::collections::HashSet::new();
        names.retain(|n| seen.insert(name_key(n)));
        names.sort();
        names
            .into_iter()
            .filter(|n| loose(n).starts_with(&typed))
            .map(|n| Pair {
                replacement: format!("{n} "),
                display: n,
            })
            .collect()
    }

    /// A dot-command's name, or its argument.
    fn dot(&self, before: &str, lead: usize) -> (usize, Vec<Pair>) {
        let text = &before[lead..];
        let Some((command, _)) = text.split_once(char::is_whitespace) else {
            let found = DOT_COMMANDS
                .iter()
                .filter(|c| c.starts_with(text))
                .map(|c| pair(c, " "))
                .collect();
            return (lead, found);
        };
        let rest_at = lead + command.len();
        let rest = &before[rest_at..];
        let argument_at = rest_at + (rest.len() - rest.trim_start().len());
        if command == ".query" {
            return self.query(before, argument_at);
        }
        let word_at = before
            .rfind(char::is_whitespace)
            .map_or(argument_at, |at| at + 1)
            .max(argument_at);
        let typed = &before[word_at..];
        let options: Vec<String> = match command {
            ".schema" => self.list(
                "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
            ),
            ".show" => self.list("SELECT slug FROM documents ORDER BY slug"),
            ".format" => Format::RESULTS.iter().map(|f| f.name().to_string()).collect(),
            ".timer" => vec!["on".to_string(), "off".to_string()],
            _ => Vec::new(),
        };
        let typed = typed.to_lowercase();
        let found = options
            .into_iter()
            .filter(|o| o.to_lowercase().starts_with(&typed))
            .map(|o| pair(&o, " "))
            .collect();
        (word_at, found)
    }

    /// SQL: keywords, tables, views and columns for the word at the cursor;
    /// only columns after a `.` (`d.sl`).
    fn sql(&self, before: &str) -> (usize, Vec<Pair>) {
        let start = before
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
            .last()
            .map_or(before.len(), |(at, _)| at);
        let typed = &before[start..];
        let after_dot = before[..start].ends_with('.');
        let mut names = self.columns();
        if !after_dot {
            names.extend(self.list(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
            ));
        }
        names.sort();
        names.dedup();
        let lower = typed.to_lowercase();
        let mut found: Vec<Pair> = if after_dot {
            Vec::new()
        } else {
            keywords(SQL_KEYWORDS, typed)
        };
        found.extend(
            names
                .into_iter()
                .filter(|n| n.to_lowercase().starts_with(&lower))
                .map(|n| pair(&identifier(&n), "")),
        );
        (start, found)
    }

    /// The first column of a query's rows, as text; nothing on any error.
    fn list(&self, sql: &str) -> Vec<String> {
        let Some(conn) = &self.conn else {
            return Vec::new();
        };
        let read = || -> rusqlite::Result<Vec<String>> {
            let mut stmt = conn.prepare_cached(sql)?;
            let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
            Ok(rows.filter_map(Result::ok).collect())
        };
        read().unwrap_or_default()
    }

    /// The column names of every table and view.
    fn columns(&self) -> Vec<String> {
        let Some(conn) = &self.conn else {
            return Vec::new();
        };
        let tables = self.list(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
        );
        let mut columns = Vec::new();
        for table in tables {
            // A view that no longer prepares has no columns to offer.
            if let Ok(mut stmt) = conn.prepare_cached("SELECT name FROM pragma_table_info(?1)")
                && let Ok(rows) = stmt.query_map([&table], |row| row.get::<_, String>(0))
            {
                columns.extend(rows.filter_map(Result::ok));
            }
        }
        columns
    }

    /// The topics of the documents, most common first.
    fn topics(&self) -> Vec<String> {
        let Some(conn) = &self.conn else {
            return Vec::new();
        };
        topics_in(conn, None, Tables::BOTH)
            .map(|topics| topics.iter().map(|t| t.name().to_string()).collect())
            .unwrap_or_default()
    }
}

/// A candidate shown as `text`, inserted with `after` behind it.
fn pair(text: &str, after: &str) -> Pair {
    Pair {
        display: text.to_string(),
        replacement: format!("{text}{after}"),
    }
}

/// Keywords that start with `typed`, in its case: lower case when it holds
/// a lower-case letter.
fn keywords(list: &[&str], typed: &str) -> Vec<Pair> {
    let lower = typed.chars().any(char::is_lowercase);
    list.iter()
        .filter(|k| k.len() >= typed.len() && k[..typed.len()].eq_ignore_ascii_case(typed))
        .map(|k| {
            let word = if lower {
                k.to_lowercase()
            } else {
                k.to_string()
            };
            pair(&word, " ")
        })
        .collect()
}

/// A name as SQL can use it: in double quotes unless it is a plain word.
fn identifier(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !SQL_KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(name));
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// Text compared loosely: lower case, hyphens and underscores as spaces,
/// runs of white space as one (a trailing one kept: it ends a word).
fn loose(text: &str) -> String {
    let spaced: String = text
        .to_lowercase()
        .chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect();
    let mut joined = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    if spaced.ends_with(char::is_whitespace) && !joined.is_empty() {
        joined.push(' ');
    }
    joined
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let pos = pos.min(line.len());
        Ok(self.candidates(line.get(..pos).unwrap_or(line)))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
}

impl Highlighter for ShellHelper {}

impl Validator for ShellHelper {}

impl Helper for ShellHelper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn replacements(helper: &ShellHelper, line: &str) -> (usize, Vec<String>) {
        let (start, found) = helper.candidates(line);
        (start, found.into_iter().map(|p| p.replacement).collect())
    }

    /// A helper on the database the bundled seed makes, in memory.
    fn seeded() -> ShellHelper {
        let conn = crate::seeds::in_memory().expect("the seed loads in memory");
        ShellHelper::new(Some(conn), None)
    }

    #[test]
    fn the_database_gives_topics_documents_figures_tables_and_columns() {
        let helper = seeded();
        let (start, found) = replacements(&helper, "  foreign po");
        assert_eq!(
            (start, found),
            (2, vec!["foreign policy differences ".to_string()])
        );
        let (start, found) = replacements(&helper, "mentions figure=tro");
        assert_eq!(
            (start, found),
            (9, vec!["figure=\"Leon Trotsky\" ".to_string()])
        );
        let (_, found) = replacements(&helper, "summary document=st");
        assert_eq!(found, ["document=stalin-vs-trotsky "]);
        let (_, found) = replacements(&helper, "differences topic=\"role in");
        assert!(
            found.iter().any(|f| f.starts_with("topic=\"role in")),
            "{found:?}"
        );
        let (start, found) = replacements(&helper, "SELECT * FROM document_f");
        assert_eq!((start, found), (14, vec!["document_figures".to_string()]));
        let (_, found) = replacements(&helper, "select d.sl");
        assert_eq!(found, ["slug"]);
        helper.continuing.set(true);
        let (_, found) = replacements(&helper, "mentions");
        assert!(found.is_empty(), "SQL goes on: {found:?}");
        helper.continuing.set(false);
        let (_, found) = replacements(&helper, ".show st");
        assert_eq!(found, ["stalin-vs-trotsky "]);
        let (_, found) = replacements(&helper, ".schema search_i");
        assert!(found.contains(&"search_index ".to_string()), "{found:?}");
    }

    #[test]
    fn names_parameters_and_keywords_complete_without_a_database() {
        let helper = ShellHelper::new(None, None);
        let (_, found) = replacements(&helper, "  comparison-t");
        assert_eq!(found, ["comparison table "]);
        let (_, found) = replacements(&helper, "sel");
        assert_eq!(found, ["select "]);
        let (_, found) = replacements(&helper, "SE");
        assert!(found.contains(&"SELECT ".to_string()), "{found:?}");
        assert!(found.contains(&"search ".to_string()), "{found:?}");
        let (start, found) = replacements(&helper, "mentions ");
        assert_eq!(start, 9);
        assert_eq!(found, ["figure=", "document="]);
        let (_, found) = replacements(&helper, "mentions figure=x d");
        assert_eq!(found, ["document="]);
        let (_, found) = replacements(&helper, ".sc");
        assert_eq!(found, [".schema "]);
        let (start, found) = replacements(&helper, ".format j");
        assert_eq!(
            (start, found),
            (8, vec!["json ".to_string(), "jsonl ".to_string()])
        );
        let (_, found) = replacements(&helper, ".query mentions fi");
        assert_eq!(found, ["figure="]);
        let (_, found) = replacements(&helper, "SELECT * FROM x WHER");
        assert_eq!(found, ["WHERE "]);
    }

    #[test]
    fn loose_text_ignores_case_and_separators() {
        assert_eq!(loose("Foreign_Policy-  diff"), "foreign policy diff");
        assert_eq!(loose("mentions "), "mentions ");
        assert_eq!(identifier("documents"), "documents");
        assert_eq!(identifier("my table"), "\"my table\"");
        assert_eq!(identifier("order"), "\"order\"");
    }
}
