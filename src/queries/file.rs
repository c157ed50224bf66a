//! The query file: its header (`-- name:`, `-- brief:`, `-- param:`, `-- runs:`, `-- pivot:`)
//! read into [`NamedQuery`]s, and what a query and a parameter are.

use std::path::PathBuf;

use anyhow::Result;

use crate::error::{Kind, fail};

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
    /// `-- brief:`, optional: the one or two sentences a reader of a form
    /// needs (what the query answers, what to type), which Datasette shows
    /// above the canned query's form in place of the description.
    pub brief: Option<String>,
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
                    brief: None,
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
                    && matches!(
                        key,
                        "title" | "description" | "brief" | "param" | "runs" | "pivot"
                    ) =>
            {
                let query = queries.last_mut().expect("a query is open in its header");
                match key {
                    "title" => query.title = value.to_string(),
                    "description" => query.description = value.to_string(),
                    "brief" => query.brief = Some(value.to_string()).filter(|b| !b.is_empty()),
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
            let undeclared = crate::sql_text::pieces(sql)
                .into_iter()
                .find_map(|(piece, range)| {
                    let name = &sql[range][1..];
                    (piece == crate::sql_text::Piece::Parameter
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
pub(super) fn parse_param(text: &str) -> std::result::Result<Param, String> {
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
