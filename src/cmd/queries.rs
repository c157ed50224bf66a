//! `versus queries`: the catalogue of named queries, and the topics that
//! `<topic> differences` can be asked about; with `--format datasette`, the
//! catalogue as Datasette metadata (see `crate::queries::datasette`).

use anyhow::Result;

use rusqlite::Connection;
use rusqlite::types::Value;

use crate::context::Context;
use crate::db::Location;
use crate::output::{Output, notice};
use crate::queries::datasette;
use crate::queries::{
    Body, Catalogue, Origin, Param, Resolved, Tables, TopicsFrom, name_key, topics_in,
};

/// Topics named in the `<topic> differences` row; the rest are counted.
const LISTED_TOPICS: usize = 20;

/// Lists every named query. The database is only read, for its topics; when
/// there is no file at `ctx.location()`, the topics are the bundled seed's and
/// nothing is created.
pub fn run(ctx: &Context, out: &mut Output) -> Result<()> {
    let catalogue = ctx.catalogue()?;
    let (conn, from) = ctx.open_described()?;
    execute(&conn, from, ctx.location(), &catalogue, out)
}

/// Lists the named queries of `catalogue`, with the topics of `conn`, the
/// database at `location` (or, `from` says, the bundled seed's in memory).
pub fn execute(
    conn: &Connection,
    from: TopicsFrom,
    location: &Location,
    catalogue: &Catalogue,
    out: &mut Output,
) -> Result<()> {
    let mut rows = Vec::new();
    for query in catalogue.queries() {
        let resolved = catalogue.resolve(&query.name)?;
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
        rows.push(vec![
            Value::Text(query.name.clone()),
            Value::Text(format!("{}{runs}", query.title)),
            Value::Text(parameters(&resolved)),
            Value::Text(origin(&query.origin)),
        ]);
        let takes_a_topic = resolved.query.params.iter().any(|p| p.name == "topic");
        if name_key(&query.name) == "differences" && takes_a_topic {
            rows.push(any_topic_row(conn, from, location, catalogue)?);
        }
    }
    let columns = ["name", "title", "parameters", "source"].map(String::from);
    out.rows(&columns, &rows)
}

/// Writes the named queries as Datasette metadata for the database at
/// `ctx.location()` (its key is the file's stem). Like the listing, it only
/// reads the database; when there is none, the metadata is for the database
/// that `versus init` would make there from the bundled seed, and nothing is
/// created.
pub fn datasette(ctx: &Context, out: &mut Output) -> Result<()> {
    let catalogue = ctx.catalogue()?;
    let (conn, from) = ctx.open_described()?;
    let facts = datasette::facts(&conn, from)?;
    let key = datasette::database_key(&ctx.location().path);
    let source = match facts.from {
        TopicsFrom::Database => ctx.location().display().to_string(),
        TopicsFrom::Seed => {
            notice(&format!(
                "there is no database at {} yet: this metadata is for the one `versus init` makes there from the bundled seed (Datasette key \"{key}\")",
                ctx.location().display()
            ));
            "the bundled seed".to_string()
        }
    };
    let metadata = datasette::metadata(&catalogue, &key, &facts, &source)?;
    out.text(&(serde_json::to_string_pretty(&metadata)? + "\n"))
}

/// The row of `<topic> differences`: how it runs `differences`, and the
/// topics there are, most common first.
fn any_topic_row(
    conn: &Connection,
    from: TopicsFrom,
    location: &Location,
    catalogue: &Catalogue,
) -> Result<Vec<Value>> {
    let resolved = catalogue.resolve("<topic> differences")?;
    let topics = topics_in(conn, None, Tables::BOTH)?;
    let names: Vec<&str> = topics.iter().map(|t| t.name()).collect();
    let list = if names.len() > LISTED_TOPICS {
        format!(
            "{}, and {} more",
            names[..LISTED_TOPICS].join(", "),
            names.len() - LISTED_TOPICS
        )
    } else {
        names.join(", ")
    };
    let topics = match (from, names.is_empty()) {
        (TopicsFrom::Database, false) => format!(
            "topics in {}, most common first: {list}",
            location.display()
        ),
        (TopicsFrom::Database, true) => format!(
            "{} has no topics yet: import documents first",
            location.display()
        ),
        (TopicsFrom::Seed, _) => format!(
            "there is no database at {} yet, so these are the topics of the bundled seed, which `versus init` loads: {list}",
            location.display()
        ),
    };
    Ok(vec![
        Value::Text("<topic> differences".to_string()),
        Value::Text(format!(
            "Differences on the topic in the name, such as \"foreign policy differences\" (runs {} with topic=<topic>); {topics}",
            resolved.query.name
        )),
        Value::Text(parameters(&resolved)),
        Value::Text(origin(&resolved.query.origin)),
    ])
}

/// The parameters left to give: `name?: type = default`, `?` if optional.
fn parameters(resolved: &Resolved<'_>) -> String {
    let shown = |p: &&Param| !resolved.fixed.iter().any(|(k, _)| *k == p.name);
    resolved
        .query
        .params
        .iter()
        .filter(shown)
        .map(|p| {
            format!(
                "{}{}: {}{}",
                p.name,
                if p.required { "" } else { "?" },
                p.kind.as_str(),
                p.default
                    .as_ref()
                    .map(|d| format!(" = {d}"))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn origin(origin: &Origin) -> String {
    match origin {
        Origin::BuiltIn => "built-in".to_string(),
        Origin::User(path) => format!("yours: {}", path.display()),
        Origin::Override(path) => format!("yours, replaces the built-in: {}", path.display()),
    }
}
