//! `versus queries`: the catalogue of named queries.

use std::path::Path;

use anyhow::Result;

use rusqlite::types::Value;

use crate::output::Output;
use crate::queries::{Body, Catalogue, Origin};

pub fn run(user_queries: Option<&Path>, out: &mut Output) -> Result<()> {
    let catalogue = Catalogue::load(user_queries)?;
    let mut rows = Vec::new();
    for query in catalogue.queries() {
        let resolved = catalogue.resolve(&query.name)?;
        let params: Vec<String> = resolved
            .query
            .params
            .iter()
            .filter(|p| !resolved.fixed.iter().any(|(k, _)| *k == p.name))
            .map(|p| {
                let optional = !p.required;
                format!(
                    "{}{}: {}{}",
                    p.name,
                    if optional { "?" } else { "" },
                    p.kind.as_str(),
                    p.default
                        .as_ref()
                        .map(|d| format!(" = {d}"))
                        .unwrap_or_default()
                )
            })
            .collect();
        let runs = match &query.body {
            Body::Alias { target, fixed } => format!(
                " (runs {target} with {})",
                fixed
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Body::Sql { .. } => String::new(),
        };
        let origin = match &query.origin {
            Origin::BuiltIn => "built-in".to_string(),
            Origin::User(path) => format!("yours: {}", path.display()),
            Origin::Override(path) => format!("yours, replaces the built-in: {}", path.display()),
        };
        rows.push(vec![
            Value::Text(query.name.clone()),
            Value::Text(format!("{}{runs}", query.title)),
            Value::Text(params.join(", ")),
            Value::Text(origin),
        ]);
    }
    let columns = ["name", "title", "parameters", "source"].map(String::from);
    out.rows(&columns, &rows)
}
