//! The named-query catalogue: the built-in `.sql` files compiled into the
//! binary, the user's own (`--queries`), the header they share, and turning
//! a query plus its `--param` values into the SQL to run and the values to
//! bind. Values are always bound, never spliced into SQL text. The rooms:
//! `file` (the header), `catalogue` (loading and resolving names), `prepare`
//! (parameters to bound values), `lookup` (documents, figures, suggestions),
//! `topics` (shared by `<topic> differences`, the shell, `versus queries` and
//! Datasette).
//!
//! A query file holds one or more queries, each starting at its `-- name:`
//! line:
//!
//! ```sql
//! -- name: differences
//! -- title: Differences on a topic
//! -- description: What it answers (one line).
//! -- brief: For a reader of Datasette's form: what it answers, what to type.
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

mod catalogue;
pub mod datasette;
mod file;
mod lookup;
mod prepare;
mod topics;

#[allow(unused_imports)]
use {catalogue::*, file::*, lookup::*, prepare::*, topics::*};

pub use crate::sql_text::sql_literal;
pub use catalogue::Catalogue;
pub use file::{Body, NamedQuery, Origin, Param, ParamType, name_key, parse_query_file};
pub use lookup::{closest, resolve_document, resolve_figure, search_words};
pub use prepare::{Prepared, Resolved};
pub use topics::{Tables, Topic, TopicsFrom, closest_topics, topics_in};

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
