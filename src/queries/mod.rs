//! The named-query catalogue: the built-in `.sql` files compiled into the
//! binary, the user's own (`--queries`), the header they share, and turning
//! a query plus its `--param` values into the SQL to run and the values to
//! bind. Values are always bound, never spliced into SQL text.
//!
//! A query file holds one or more queries, each starting at its `-- name:`
//! line:
//!
//! ```sql
//! -- name: differences
//! -- title: Differences on a topic
//! -- description: What it answers (one line).
//! -- param: topic (topic, required) The attribute or section to compare
//! -- param: document (document, optional) Only this document, by slug or title
//! -- param: limit (integer, default 10) At most this many rows
//! SELECT ... WHERE a.topic = :topic
//!   AND d.slug = :document  -- if :document
//! ```
//!
//! - Parameter types: `text`, `integer`, `real`; `topic` (normalised like the
//!   stored `attributes.topic`; one that no attribute or heading of the
//!   documents in scope has, in the tables the query reads, is refused with
//!   the closest topics), `document` (a slug or title, bound as the slug;
//!   unknown ones are refused) and `figure` (a full name or surname, bound
//!   as the full name).
//! - A line ending in `-- if :name` is kept only when that parameter has a
//!   value, so an optional filter costs nothing when it is not given.
//! - `-- runs: other topic=foreign policy` makes an alias: the query `other`
//!   with some parameters fixed.
//! - `-- pivot: figures` with a line `-- pivot column: <expr using $figure>`
//!   in the select list adds one column per figure of the documents in scope,
//!   `<expr> AS "<name>"`, with the name as a quoted SQL string in the
//!   expression.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use crate::document::topic_key;
use crate::error::{Kind, fail};

pub mod datasette;

/// The built-in queries, compiled in.
const BUILT_IN: &[(&str, &str)] = &[
    ("comparison-table.sql", include_str!("comparison-table.sql")),
    ("differences.sql", include_str!("differences.sql")),
    ("documents.sql", include_str!("documents.sql")),
    ("figures.sql", include_str!("figures.sql")),
    ("mentions.sql", include_str!("mentions.sql")),
    ("search.sql", include_str!("search.sql")),
    ("section.sql", include_str!("section.sql")),
    ("sections.sql", include_str!("sections.sql")),
    ("summary.sql", include_str!("summary.sql")),
    ("unresolved.sql", include_str!("unresolved.sql")),
];

/// The query `<topic> differences` falls back to.
const DIFFERENCES: &str = "differences";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamType {
    Text,
    Integer,
    Real,
    Topic,
    Document,
    Figure,
    /// Plain words for full-text search, bound as an FTS5 query.
    Search,
}

impl ParamType {
    fn parse(word: &str) -> Option<ParamType> {
        Some(match word {
            "text" => ParamType::Text,
            "integer" => ParamType::Integer,
            "real" => ParamType::Real,
            "topic" => ParamType::Topic,
            "document" => ParamType::Document,
            "figure" => ParamType::Figure,
            "search" => ParamType::Search,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::Text => "text",
            ParamType::Integer => "integer",
            ParamType::Real => "real",
            ParamType::Topic => "topic",
            ParamType::Document => "document",
            ParamType::Figure => "figure",
            ParamType::Search => "search",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub kind: ParamType,
    pub required: bool,
    pub default: Option<String>,
    pub description: String,
}

#[derive(Debug, Clone)]
pub enum Body {
    Sql {
        sql: String,
        pivot_figures: bool,
    },
    /// Another query with some parameters fixed.
    Alias {
        target: String,
        fixed: Vec<(String, String)>,
    },
}

/// Where a query comes from, for `versus queries`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    User(PathBuf),
    /// A user query that replaces the built-in of the same name.
    Override(PathBuf),
}

#[derive(Debug, Clone)]
pub struct NamedQuery {
    pub name: String,
    pub title: String,
    pub description: String,
    pub params: Vec<Param>,
    pub body: Body,
    pub origin: Origin,
}

/// The key a query name is matched on: lowercase, with runs of spaces,
/// hyphens and underscores the same (`foreign-policy-differences`).
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn usage(message: String) -> anyhow::Error {
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

fn did_you_mean(suggestions: &[&str]) -> String {
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

/// Parses a query file: one or more queries, each from its `-- name:` line.
pub fn parse_query_file(text: &str, file: &str, origin: Origin) -> Result<Vec<NamedQuery>> {
    let bad = |line: usize, what: &str| {
        fail(
            Kind::Usage,
            format!(
                "{file} line {line}: {what}; see \"Named queries\" in docs/GUIDE.md for the format"
            ),
        )
    };
    let mut queries: Vec<NamedQuery> = Vec::new();
    let mut sql: Vec<&str> = Vec::new();
    let mut in_header = false;
    let finish = |queries: &mut Vec<NamedQuery>, sql: &mut Vec<&str>| {
        if let Some(q) = queries.last_mut()
            && let Body::Sql { sql: body, .. } = &mut q.body
        {
            *body = sql.join("\n").trim().to_string();
        }
        sql.clear();
    };
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let directive = line
            .trim()
            .strip_prefix("--")
            .map(str::trim)
            .and_then(|rest| rest.split_once(':').map(|(k, v)| (k.trim(), v.trim())));
        match directive {
            Some(("name", name)) => {
                finish(&mut queries, &mut sql);
                if name.is_empty() {
                    return Err(bad(number, "the query has an empty name"));
                }
                queries.push(NamedQuery {
                    name: name.to_string(),
                    title: name.to_string(),
                    description: String::new(),
                    params: Vec::new(),
                    body: Body::Sql {
                        sql: String::new(),
                        pivot_figures: false,
                    },
                    origin: origin.clone(),
                });
                in_header = true;
            }
            Some((key, value))
                if in_header
                    && matches!(key, "title" | "description" | "param" | "runs" | "pivot") =>
            {
                let query = queries.last_mut().expect("a query is open in its header");
                match key {
                    "title" => query.title = value.to_string(),
                    "description" => query.description = value.to_string(),
                    "param" => query
                        .params
                        .push(parse_param(value).map_err(|e| bad(number, &e))?),
                    "runs" => {
                        let (target, fixed) = value.split_once(' ').unwrap_or((value, ""));
                        let fixed = fixed
                            .split(',')
                            .filter(|f| !f.trim().is_empty())
                            .map(|f| {
                                f.split_once('=')
                                    .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                                    .ok_or_else(|| {
                                        bad(
                                            number,
                                            "expected `-- runs: <query> <param>=<value>, ...`",
                                        )
                                    })
                            })
                            .collect::<Result<Vec<_>>>()?;
                        query.body = Body::Alias {
                            target: target.to_string(),
                            fixed,
                        };
                    }
                    _ if value == "figures" => {
                        if let Body::Sql { pivot_figures, .. } = &mut query.body {
                            *pivot_figures = true;
                        }
                    }
                    _ => return Err(bad(number, "the only pivot is `-- pivot: figures`")),
                }
            }
            _ if queries.is_empty() => {
                if !line.trim().is_empty() && !line.trim().starts_with("--") {
                    return Err(bad(number, "SQL before the first `-- name:` line"));
                }
            }
            _ => {
                in_header = in_header && line.trim().starts_with("--");
                sql.push(line);
            }
        }
    }
    finish(&mut queries, &mut sql);
    for (i, q) in queries.iter().enumerate() {
        if let Body::Sql { sql, .. } = &q.body
            && sql
                .lines()
                .all(|l| l.trim().is_empty() || l.trim().starts_with("--"))
        {
            return Err(fail(
                Kind::Usage,
                format!(
                    "{file}: the query \"{}\" (number {}) has no SQL",
                    q.name,
                    i + 1
                ),
            ));
        }
    }
    // A parameter the SQL uses and no `-- param:` line declares could
    // never be given (versus refuses a --param the query does not declare):
    // say so once, about the file.
    for q in &queries {
        if let Body::Sql { sql, .. } = &q.body {
            let undeclared = datasette::pieces(sql)
                .into_iter()
                .find_map(|(piece, range)| {
                    let name = &sql[range][1..];
                    (piece == datasette::Piece::Parameter
                        && !name.is_empty()
                        && !q.params.iter().any(|p| p.name == name))
                    .then(|| name.to_string())
                });
            if let Some(name) = undeclared {
                return Err(fail(
                    Kind::Usage,
                    format!(
                        "{file}: the query \"{}\" uses :{name}, which no `-- param:` line declares; declare it (`-- param: {name} (text, required) what it is`) or take it out of the SQL",
                        q.name
                    ),
                ));
            }
        }
    }
    if queries.is_empty() {
        return Err(fail(
            Kind::Usage,
            format!("{file} defines no query: it needs a `-- name:` line"),
        ));
    }
    Ok(queries)
}

/// `topic (topic, required) Description`
fn parse_param(text: &str) -> std::result::Result<Param, String> {
    let expected = "expected `-- param: name (type, required|optional|default VALUE) description`";
    let (name, rest) = text.split_once('(').ok_or(expected)?;
    let (spec, description) = rest.split_once(')').ok_or(expected)?;
    let name = name.trim().trim_start_matches([':', '@', '$']).to_string();
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Err(format!("the parameter name {name:?} is not a word"));
    }
    let mut parts = spec.split(',').map(str::trim);
    let type_word = parts.next().unwrap_or_default();
    let kind = ParamType::parse(type_word).ok_or_else(|| {
        format!("unknown parameter type {type_word:?} (use text, integer, real, topic, document or figure)")
    })?;
    let mut required = false;
    let mut default = None;
    for part in parts {
        match part.split_once(' ') {
            _ if part == "required" => required = true,
            _ if part == "optional" => {}
            Some(("default", value)) => default = Some(value.trim().to_string()),
            _ => return Err(format!("unknown parameter option {part:?}; {expected}")),
        }
    }
    Ok(Param {
        name,
        kind,
        required,
        default,
        description: description.trim().to_string(),
    })
}

/// All named queries: the built-ins, then the user's, which replace
/// built-ins of the same name.
pub struct Catalogue {
    queries: Vec<NamedQuery>,
}

impl Catalogue {
    /// Loads the built-ins and, if given, the user's queries file or folder
    /// (every `.sql` file in it, in name order).
    pub fn load(user: Option<&Path>) -> Result<Catalogue> {
        let mut queries = Vec::new();
        for (file, text) in BUILT_IN {
            queries.extend(parse_query_file(text, file, Origin::BuiltIn)?);
        }
        let mut catalogue = Catalogue { queries };
        if let Some(path) = user {
            for file in query_files(path)? {
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("cannot read the queries file {}", file.display()))
                    .map_err(|e| fail(Kind::Usage, format!("{e:#}")))?;
                for query in parse_query_file(
                    &text,
                    &file.display().to_string(),
                    Origin::User(file.clone()),
                )? {
                    catalogue.add_user(query)?;
                }
            }
        }
        Ok(catalogue)
    }

    fn add_user(&mut self, mut query: NamedQuery) -> Result<()> {
        let key = name_key(&query.name);
        // Two of the user's queries with one name (ignoring case and
        // spacing): neither silently wins.
        if let Some(other) = self.queries.iter().find(|q| {
            name_key(&q.name) == key && matches!(q.origin, Origin::User(_) | Origin::Override(_))
        }) {
            let at = |o: &Origin| match o {
                Origin::User(p) | Origin::Override(p) => p.display().to_string(),
                Origin::BuiltIn => "versus".to_string(),
            };
            return Err(fail(
                Kind::Usage,
                format!(
                    "two of your queries have one name: \"{}\" in {} and \"{}\" in {} (names match ignoring case, spaces, hyphens and underscores); rename or remove one",
                    other.name,
                    at(&other.origin),
                    query.name,
                    at(&query.origin)
                ),
            ));
        }
        if let Some(existing) = self.queries.iter_mut().find(|q| name_key(&q.name) == key) {
            if existing.origin == Origin::BuiltIn
                && let Origin::User(path) = &query.origin
            {
                query.origin = Origin::Override(path.clone());
            }
            *existing = query;
        } else {
            self.queries.push(query);
        }
        Ok(())
    }

    pub fn queries(&self) -> &[NamedQuery] {
        &self.queries
    }

    fn get(&self, name: &str) -> Option<&NamedQuery> {
        let key = name_key(name);
        self.queries.iter().find(|q| name_key(&q.name) == key)
    }

    /// Finds a query by name (ignoring case; spaces, hyphens and underscores
    /// alike). Aliases are followed. `<topic> differences` that is no query
    /// of its own runs `differences` with that topic.
    pub fn resolve(&self, name: &str) -> Result<Resolved<'_>> {
        self.resolve_suggesting(name, Vec::new)
    }

    /// As [`Catalogue::resolve`]; an unknown name that ends in a word like
    /// "differences" (`foriegn policy diferences`) is also compared with
    /// `<topic> differences` for each of `topics`, which are only asked for
    /// on that error path.
    pub fn resolve_suggesting(
        &self,
        name: &str,
        topics: impl FnOnce() -> Vec<Topic>,
    ) -> Result<Resolved<'_>> {
        let mut fixed = Vec::new();
        let query = match self.get(name) {
            Some(q) => q,
            None => {
                let key = name_key(name);
                let topic = key.strip_suffix("-differences").filter(|t| !t.is_empty());
                match (topic, self.get(DIFFERENCES)) {
                    (Some(topic), Some(differences)) => {
                        fixed.push(("topic".to_string(), topic.replace('-', " ")));
                        differences
                    }
                    (_, differences) => {
                        let mut suggestions: Vec<String> = Vec::new();
                        let words: Vec<&str> = key.split('-').collect();
                        if let [rest @ .., last] = words.as_slice()
                            && differences.is_some()
                            && !rest.is_empty()
                            && strsim::jaro_winkler(last, DIFFERENCES) > 0.85
                        {
                            let topics = topics();
                            suggestions.extend(
                                closest_topics(&rest.join(" "), &topics)
                                    .into_iter()
                                    .map(|t| format!("{t} {DIFFERENCES}")),
                            );
                        }
                        let names = self.queries.iter().map(|q| q.name.as_str());
                        for near in closest(name, names) {
                            if !suggestions.iter().any(|s| name_key(s) == name_key(near)) {
                                suggestions.push(near.to_string());
                            }
                        }
                        suggestions.truncate(3);
                        let suggestions: Vec<&str> =
                            suggestions.iter().map(String::as_str).collect();
                        return Err(usage(format!(
                            "no query named \"{name}\"; {}run `versus queries` for the list, or `versus query \"<topic> differences\"` for any attribute or section",
                            did_you_mean(&suggestions)
                        )));
                    }
                }
            }
        };
        let mut query = query;
        let mut hops = 0;
        while let Body::Alias {
            target,
            fixed: more,
        } = &query.body
        {
            hops += 1;
            let next = self.get(target).filter(|_| hops < 8).ok_or_else(|| {
                usage(format!(
                    "the query \"{}\" runs \"{target}\", which is not a query (or aliases loop)",
                    query.name
                ))
            })?;
            for (k, v) in more {
                if !fixed.iter().any(|(fk, _)| fk == k) {
                    fixed.push((k.clone(), v.clone()));
                }
            }
            query = next;
        }
        Ok(Resolved {
            asked: name.to_string(),
            query,
            fixed,
        })
    }
}

fn query_files(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path).map_err(|e| {
        fail(
            Kind::Usage,
            format!(
                "cannot read the queries at {}: {e}; check --queries / VERSUS_QUERIES",
                path.display()
            ),
        )
    })?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("cannot list the queries folder {}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql") && p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

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
    for (piece, range) in datasette::pieces(sql) {
        let text = &sql[range];
        match piece {
            datasette::Piece::Comment => code.push(' '),
            datasette::Piece::Code => code.push_str(text),
            datasette::Piece::Quoted => code.clear(),
            datasette::Piece::Parameter => {
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
fn is_negative(value: &Value) -> bool {
    match value {
        Value::Integer(n) => *n < 0,
        Value::Real(f) => *f < 0.0,
        Value::Text(t) => t.trim().parse::<f64>().is_ok_and(|f| f < 0.0),
        Value::Null | Value::Blob(_) => false,
    }
}

/// Turns a parameter's text into the value to bind.
fn convert(param: &Param, text: &str, conn: &Connection) -> Result<Value> {
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
fn sorted_topics(mut found: Vec<(Topic, Vec<i64>)>) -> Vec<Topic> {
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
fn check_topic(
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

/// The figures of the documents in scope, in document then title order.
fn pivot_figures_of(conn: &Connection, document: Option<&str>) -> Result<Vec<String>> {
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

/// A stored name, slug or heading as text, whatever another tool put there:
/// text that is not UTF-8 with U+FFFD for each bad byte, a number as SQLite
/// prints it, a BLOB as `x'<hex>'` (as the output formats show them), so
/// that a suggestion or a column name never fails on rusqlite's "Invalid
/// column type".
fn stored_text(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<String> {
    use rusqlite::types::ValueRef;
    Ok(match row.get_ref(index)? {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Blob(b) => {
            let hex: String = b.iter().map(|byte| format!("{byte:02x}")).collect();
            format!("x'{hex}'")
        }
    })
}

/// SQL text for a string literal: `'it''s'`.
pub fn sql_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// SQL text for an identifier: `"Leon Trotsky"`.
fn sql_identifier(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Applies `-- if :name` lines and the `-- pivot column:` line.
fn expand(sql: &str, given: &[&str], figures: &[String]) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parameters_given_to_limit_are_found_outside_strings_and_comments() {
        assert_eq!(limit_parameters("SELECT 1 LIMIT :limit;"), ["limit"]);
        assert_eq!(limit_parameters("SELECT 1 limit ( $n ) OFFSET :o"), ["n"]);
        assert_eq!(limit_parameters("SELECT 1 LIMIT -- why\n @n"), ["n"]);
        assert!(limit_parameters("SELECT 'LIMIT :a', :b, mylimit :c, \"limit\" :d").is_empty());
        let search = Catalogue::load(None).unwrap();
        let Body::Sql { sql, .. } = &search.resolve("search").unwrap().query.body else {
            unreachable!()
        };
        assert_eq!(limit_parameters(sql), ["limit"]);
    }

    #[test]
    fn every_built_in_query_parses() {
        let catalogue = Catalogue::load(None).unwrap();
        assert_eq!(catalogue.queries().len(), BUILT_IN.len());
        for q in catalogue.queries() {
            assert!(!q.description.is_empty(), "{} has a description", q.name);
            let resolved = catalogue.resolve(&q.name).unwrap();
            assert!(matches!(resolved.query.body, Body::Sql { .. }));
            // No built-in is tied to one document's vocabulary.
            assert!(
                resolved.fixed.is_empty(),
                "{} fixes {:?}",
                q.name,
                resolved.fixed
            );
        }
    }

    #[test]
    fn a_topic_is_looked_for_in_the_tables_the_query_reads() {
        let catalogue = Catalogue::load(None).unwrap();
        let tables = |name: &str| match &catalogue.resolve(name).unwrap().query.body {
            Body::Sql { sql, .. } => Tables::read_by(sql),
            Body::Alias { .. } => unreachable!(),
        };
        assert_eq!(tables("differences"), Tables::BOTH);
        assert_eq!(
            tables("section"),
            Tables {
                attributes: false,
                sections: true
            }
        );
        // Comments do not count; a query that names neither gets both.
        assert_eq!(
            Tables::read_by("SELECT * FROM comparison_table -- not sections\nWHERE 1"),
            Tables {
                attributes: true,
                sections: false
            }
        );
        assert_eq!(Tables::read_by("SELECT :topic"), Tables::BOTH);
    }

    #[test]
    fn the_seeds_topics_and_the_closest_ones() {
        let seed = crate::seeds::in_memory().unwrap();
        let topics = topics_in(&seed, None, Tables::BOTH).unwrap();
        let names: Vec<&str> = topics.iter().map(Topic::name).collect();
        assert_eq!(
            names,
            [
                "background",
                "economic policies",
                "foreign policy",
                "leadership style",
                "legacy",
                "political ideology",
                "role in russian revolution"
            ]
        );
        let role = topics.iter().find(|t| t.key == "role russian revolution");
        assert_eq!(
            role.unwrap().forms,
            [
                "role in russian revolution",
                "role in the russian revolution"
            ]
        );
        assert_eq!(
            closest_topics("foriegn policy", &topics),
            ["foreign policy"]
        );
        assert_eq!(
            closest_topics("Economic Policy", &topics)[0],
            "economic policies"
        );
        assert_eq!(
            closest_topics("role in the revolution", &topics)[0],
            "role in the russian revolution"
        );
        assert!(closest_topics("zzz", &topics).is_empty());
    }

    #[test]
    fn names_match_ignoring_case_spaces_hyphens_and_underscores() {
        assert_eq!(
            name_key("Foreign  policy_Differences"),
            "foreign-policy-differences"
        );
        let catalogue = Catalogue::load(None).unwrap();
        let r = catalogue.resolve("FOREIGN_policy-differences").unwrap();
        assert_eq!(r.query.name, "differences");
        assert_eq!(
            r.fixed,
            [("topic".to_string(), "foreign policy".to_string())]
        );
        let r = catalogue.resolve("party organization differences").unwrap();
        assert_eq!(
            r.fixed,
            [("topic".to_string(), "party organization".to_string())]
        );
    }

    #[test]
    fn conditional_lines_and_pivot_columns() {
        let sql = "SELECT a\n  -- pivot column: max(CASE WHEN f = $figure THEN v END)\nFROM t\nWHERE x = :document  -- if :document\nORDER BY 1";
        assert_eq!(expand(sql, &[], &[]), "SELECT a\nFROM t\nORDER BY 1");
        assert_eq!(
            expand(sql, &["document"], &["O'Neil \"Tip\"".to_string()]),
            "SELECT a\n  , max(CASE WHEN f = 'O''Neil \"Tip\"' THEN v END) AS \"O'Neil \"\"Tip\"\"\"\nFROM t\nWHERE x = :document\nORDER BY 1"
        );
    }

    #[test]
    fn plain_words_become_a_quoted_fts5_query() {
        assert_eq!(
            search_words("five-year plans").as_deref(),
            Some("\"five\" \"year\" \"plans\"")
        );
        assert_eq!(search_words("trotsk*").as_deref(), Some("\"trotsk\"*"));
        assert_eq!(
            search_words("\"AND\" OR NEAR(x").as_deref(),
            Some("\"AND\" \"OR\" \"NEAR\" \"x\"")
        );
        assert_eq!(search_words(" -- ! "), None);
    }

    #[test]
    fn a_bad_header_names_the_line() {
        let err = parse_query_file(
            "-- name: x\n-- param: y (color) no\nSELECT 1",
            "mine.sql",
            Origin::BuiltIn,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("mine.sql line 2: unknown parameter type \"color\""),
            "{err}"
        );
        let err = parse_query_file("SELECT 1", "mine.sql", Origin::BuiltIn).unwrap_err();
        assert!(
            err.to_string()
                .contains("SQL before the first `-- name:` line"),
            "{err}"
        );
    }
}
