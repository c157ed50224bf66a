//! The catalogue: the built-in queries compiled in and the user's own
//! (`--queries`, a file or a folder), and resolving a name (or an alias, or
//! `<topic> differences`) to the query to run.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::*;
use crate::error::{Kind, fail};

/// The built-in queries, compiled in.
pub(super) const BUILT_IN: &[(&str, &str)] = &[
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
pub(super) const DIFFERENCES: &str = "differences";

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

pub(super) fn query_files(path: &Path) -> Result<Vec<PathBuf>> {
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
