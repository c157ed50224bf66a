//! The schema versus's migrations define, read from a database migrated in
//! memory, and the columns of a table.

use anyhow::Result;
use rusqlite::Connection;

use super::*;

/// One table, index, view or trigger as versus's migrations define it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defined {
    /// `table`, `index`, `view` or `trigger`.
    pub kind: String,
    pub name: String,
    /// The table it belongs to (a table's or view's own name).
    pub table: String,
    /// Its CREATE statement, as SQLite keeps it in `sqlite_master`.
    pub sql: String,
    /// A table's columns, in order (empty for the other kinds).
    pub columns: Vec<String>,
}

/// The schema versus's migrations make: read from a new database migrated
/// in memory, so that it is always the current definition, whichever
/// migration last changed an object, and never a second copy of it.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Tables first, then indexes, views and triggers, each kind in the
    /// order the migrations made them. Not listed: SQLite's own objects,
    /// refinery's history table and the tables FTS5 makes for itself.
    pub objects: Vec<Defined>,
    /// The settings of the full-text index (`search_index_config`), its
    /// format version left out: FTS5 writes that one itself.
    pub search_config: Vec<(String, rusqlite::types::Value)>,
}

impl Schema {
    /// The object of that name.
    pub fn get(&self, name: &str) -> Option<&Defined> {
        self.objects.iter().find(|o| o.name == name)
    }

    /// The objects of one kind (`table`, `index`, `view`, `trigger`).
    pub fn of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Defined> + 'a {
        self.objects.iter().filter(move |o| o.kind == kind)
    }
}

/// The schema as versus's migrations define it (see [`Schema`]).
pub fn defined_schema() -> Result<Schema> {
    let conn = new_in_memory()?;
    let shadow: Vec<String> = conn
        .prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut objects: Vec<Defined> = conn
        .prepare(&format!(
            "SELECT type, name, tbl_name, sql FROM sqlite_master
             WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '{HISTORY_TABLE}'
             ORDER BY rowid"
        ))?
        .query_map([], |r| {
            Ok(Defined {
                kind: r.get(0)?,
                name: r.get(1)?,
                table: r.get(2)?,
                sql: r.get(3)?,
                columns: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|o| !shadow.contains(&o.name))
        .collect();
    for object in objects.iter_mut().filter(|o| o.kind == "table") {
        object.columns = table_columns(&conn, &object.name)?;
    }
    let rank = |kind: &str| {
        ["table", "index", "view", "trigger"]
            .iter()
            .position(|k| *k == kind)
    };
    objects.sort_by_key(|o| rank(&o.kind));
    let search_config = conn
        .prepare("SELECT k, v FROM search_index_config WHERE k <> 'version' ORDER BY k")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Schema {
        objects,
        search_config,
    })
}

/// The columns of a table, in order; none if there is no such table.
pub fn table_columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    Ok(conn
        .prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?
        .query_map([table], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_defined_schema_lists_versus_objects_tables_first_and_no_shadow_table() {
        let schema = super::defined_schema().unwrap();
        let kinds: Vec<&str> = schema.objects.iter().map(|o| o.kind.as_str()).collect();
        let mut sorted = kinds.clone();
        sorted.sort_by_key(|k| {
            ["table", "index", "view", "trigger"]
                .iter()
                .position(|x| x == k)
        });
        assert_eq!(kinds, sorted);
        for name in [
            "documents",
            "search_index",
            "comparison_table",
            "documents_cascade",
            "sections_cascade",
            "document_figures_cascade",
            "figures_cascade",
            "documents_title_key",
        ] {
            assert!(schema.get(name).is_some(), "{name}");
        }
        assert!(
            schema
                .objects
                .iter()
                .all(|o| !o.name.starts_with("search_index_")
                    && !o.name.starts_with("sqlite_")
                    && o.name != super::super::history::HISTORY_TABLE)
        );
        assert_eq!(
            schema.get("paragraphs").unwrap().columns,
            ["id", "section_id", "position", "figure_id", "text"]
        );
    }
}
