//! `versus check --repair` after another tool deleted what the documents'
//! own text gives back (a figure's row, its place in a document): the
//! repair makes it again and never deletes a cell or paragraph that still
//! belongs to a document; what it cannot derive it refuses, changing
//! nothing.

use predicates::prelude::PredicateBooleanExt;

use crate::support::*;

const DOCUMENTS: [&str; 2] = ["stalin-vs-trotsky", "lenin-vs-trotsky"];

/// The seed and Lenin vs. Trotsky (Trotsky in both), with each document's
/// text and JSON export before any damage.
fn two_documents(env: &Env) -> Vec<(String, String)> {
    env.init();
    env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
        .assert()
        .success();
    DOCUMENTS
        .iter()
        .map(|d| {
            (
                stdout_of(&mut env.versus(&["export", d])),
                stdout_of(&mut env.versus(&["export", d, "--format", "json"])),
            )
        })
        .collect()
}

/// SQL run as the sqlite3 shell and Python run it: foreign keys off.
fn damage(env: &Env, sql: &str) {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}"))
        .unwrap();
}

/// As [`damage`], with versus's triggers set aside (as a tool that
/// rebuilds tables leaves them until `check --repair` makes them again).
fn damage_without_triggers(env: &Env, sql: &str) {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let triggers: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut script = String::from("PRAGMA foreign_keys = OFF;");
    for (name, _) in &triggers {
        script.push_str(&format!("DROP TRIGGER \"{name}\";"));
    }
    script.push_str(sql);
    for (_, trigger) in &triggers {
        script.push_str(&format!("{trigger};"));
    }
    conn.execute_batch(&script).unwrap();
}

/// Every document exports as it did before the damage, in both forms, and
/// the JSON export of all imports into a new database.
fn exports_as_before(env: &Env, before: &[(String, String)]) {
    for (document, (text, json)) in DOCUMENTS.iter().zip(before) {
        env.versus(&["export", document])
            .assert()
            .success()
            .stdout(text.clone());
        let now = stdout_of(&mut env.versus(&["export", document, "--format", "json"]));
        assert_eq!(without_times(&now), without_times(json), "{document}");
    }
    let all = stdout_of(&mut env.versus(&["export", "--all"]));
    let other = Env::new();
    other.init();
    let file = other.write("all.json", &all);
    other
        .versus(&["import", file.to_str().unwrap()])
        .assert()
        .success();
}

#[test]
fn a_figure_another_tool_deleted_comes_back_from_the_titles_with_every_cell() {
    let env = Env::new();
    let before = two_documents(&env);
    let cells = env.count(&env.db(), "attributes");
    damage(&env, "DELETE FROM figures WHERE name = 'Leon Trotsky'");
    env.versus(&["check"]).assert().code(8);
    env.versus(&["check", "--repair"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "made the figure Leon Trotsky (id 2) again from its documents' titles\n",
        ))
        .stdout(predicates::str::contains("deleted").not())
        .stdout(predicates::str::contains("NULL").not());
    assert_eq!(env.count(&env.db(), "attributes"), cells, "no cell deleted");
    env.versus(&["check"]).assert().success();
    exports_as_before(&env, &before);
}

#[test]
fn a_figure_and_its_place_in_a_document_come_back_together() {
    let env = Env::new();
    let before = two_documents(&env);
    damage_without_triggers(
        &env,
        "DELETE FROM document_figures WHERE document_id = (SELECT id FROM documents WHERE slug = 'lenin-vs-trotsky')
             AND figure_id = (SELECT id FROM figures WHERE name = 'Leon Trotsky');
         DELETE FROM document_figures WHERE document_id = (SELECT id FROM documents WHERE slug = 'stalin-vs-trotsky')
             AND figure_id = (SELECT id FROM figures WHERE name = 'Joseph Stalin');
         DELETE FROM figures WHERE name = 'Leon Trotsky';",
    );
    env.versus(&["check", "--repair"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "made 2 places of a figure in a document again from the titles\n",
        ));
    env.versus(&["check"]).assert().success();
    exports_as_before(&env, &before);
}

#[test]
fn a_gone_figure_whose_name_another_tool_gave_a_new_row_is_joined_to_it() {
    let env = Env::new();
    let before = two_documents(&env);
    // Trotsky's row goes, and another tool gives the name a new row,
    // while both documents still name the old id.
    damage(
        &env,
        "DELETE FROM figures WHERE name = 'Leon Trotsky';
         INSERT INTO figures (id, name, surname) VALUES (99, 'Leon Trotsky', 'Trotsky');",
    );
    env.versus(&["check", "--repair"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "gave the places, cells and paragraphs of the gone figure id 2 to Leon Trotsky",
        ));
    env.versus(&["check"]).assert().success();
    exports_as_before(&env, &before);
}

#[test]
fn a_gone_figure_whose_titles_another_tool_changed_is_refused_and_nothing_changes() {
    let env = Env::new();
    two_documents(&env);
    // The titles no longer say who the second figure is.
    damage(
        &env,
        "UPDATE documents SET title = title || ' (draft)';
         DELETE FROM figures WHERE name = 'Leon Trotsky';",
    );
    let before = bytes(&env.db());
    let out = env
        .versus(&["check", "--repair"])
        .assert()
        .code(8)
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("cannot repair: table figures: figure id 2, which document stalin-vs-trotsky and lenin-vs-trotsky compares, is gone, and no title versus keyed gives its name (another tool changed the title since); restore the file from a copy, or give the figure its row again"),
        "{stdout}"
    );
    assert_eq!(bytes(&env.db()), before, "nothing was changed");
}

/// The tables versus keeps, and how many columns of each a damage may
/// change (their names, for an UPDATE).
const TABLES: &[(&str, &[&str])] = &[
    ("documents", &["title", "slug", "summary", "title_key"]),
    ("figures", &["name", "surname", "id"]),
    (
        "document_figures",
        &["figure_id", "position", "document_id"],
    ),
    (
        "attributes",
        &["figure_id", "position", "value", "document_id"],
    ),
    ("sections", &["position", "heading", "document_id"]),
    (
        "paragraphs",
        &["section_id", "figure_id", "text", "position"],
    ),
    ("figure_name_parts", &["figure_id", "part"]),
    ("unresolved_rows", &["document_id", "text"]),
];

/// Values another tool may write.
const VALUES: &[&str] = &[
    "NULL",
    "'x'",
    "0",
    "-1",
    "99999",
    "x'00ff'",
    "'Leon Trotsky'",
];

/// The rows of the documents that still exist: their cells and paragraphs
/// (a repair may delete the rows of a deleted document or section, never
/// these). A cell by its document, row and value: the repair may give it
/// to the figure row that has its figure's name now.
fn kept_rows(env: &Env) -> Vec<String> {
    env.rows(
        &env.db(),
        "SELECT 'cell', a.document_id, a.position, '', quote(a.value) FROM attributes AS a
             WHERE a.document_id IN (SELECT id FROM documents)
         UNION ALL
         SELECT 'paragraph', s.document_id, p.id, '', quote(p.text) FROM paragraphs AS p
             JOIN sections AS s ON s.id = p.section_id
             WHERE s.document_id IN (SELECT id FROM documents)
         ORDER BY 1, 2, 3, 4",
    )
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        // 24 in a run (each case runs versus a dozen times);
        // PROPTEST_CASES=300 for a longer look.
        cases: proptest_cases(24),
        failure_persistence: None,
        ..Default::default()
    })]

    /// Another tool deletes rows of what the titles give back (figures,
    /// their places, name parts), with versus's triggers set aside: the
    /// repair gives every document back as it was, or refuses and changes
    /// nothing.
    #[test]
    fn after_derivable_damage_every_document_exports_as_before_or_nothing_changes(
        deletions in proptest::collection::vec((0usize..3, 0usize..40), 1..4),
    ) {
        let env = Env::new();
        let before = two_documents(&env);
        let mut sql = String::new();
        for (table, row) in &deletions {
            let table = ["figures", "document_figures", "figure_name_parts"][*table];
            let columns = column_list(&env, table);
            sql.push_str(&format!(
                "DELETE FROM {table} WHERE ({columns}) IN (SELECT {columns} FROM {table} LIMIT 1 OFFSET {row} % (SELECT max(count(*), 1) FROM {table}));"
            ));
        }
        damage_without_triggers(&env, &sql);
        let damaged = bytes(&env.db());
        let out = env.versus(&["check", "--repair"]).output().unwrap();
        match out.status.code() {
            Some(0) => {
                env.versus(&["check"]).assert().success();
                exports_as_before(&env, &before);
            }
            Some(8) => proptest::prop_assert_eq!(bytes(&env.db()), damaged, "refused, so unchanged"),
            other => proptest::prop_assert!(false, "exit {:?}: {}", other, String::from_utf8_lossy(&out.stderr)),
        }
    }

    /// Another tool deletes or changes any row of any of versus's tables,
    /// foreign keys off: the repair either refuses and changes nothing, or
    /// makes the database whole without deleting a cell or paragraph of a
    /// document that is still there.
    #[test]
    fn after_any_outside_damage_repair_never_deletes_what_a_document_still_holds(
        table in 0..TABLES.len(),
        row in 0usize..60,
        change in proptest::option::of((0usize..4, 0..VALUES.len())),
    ) {
        let env = Env::new();
        two_documents(&env);
        let (name, columns) = TABLES[table];
        let all = column_list(&env, name);
        let target = format!(
            "({all}) IN (SELECT {all} FROM {name} LIMIT 1 OFFSET {row} % (SELECT max(count(*), 1) FROM {name}))"
        );
        let sql = match change {
            None => format!("DELETE FROM {name} WHERE {target};"),
            Some((column, value)) => format!(
                "PRAGMA ignore_check_constraints = ON; UPDATE OR IGNORE {name} SET {} = {} WHERE {target};",
                columns[column % columns.len()],
                VALUES[value]
            ),
        };
        // What SQLite itself refuses (NULL as a rowid) is no damage.
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        let done = conn.execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}"));
        drop(conn);
        proptest::prop_assume!(done.is_ok());
        let damaged = bytes(&env.db());
        let kept = kept_rows(&env);
        let out = env.versus(&["check", "--repair"]).output().unwrap();
        let said = String::from_utf8_lossy(&out.stderr).to_string();
        match out.status.code() {
            Some(0) => {
                env.versus(&["check"]).assert().success();
                let mut now = kept_rows(&env);
                for row in &kept {
                    let found = now.iter().position(|r| r == row);
                    proptest::prop_assert!(found.is_some(), "{} deleted {} ({})", sql, row, said);
                    now.swap_remove(found.unwrap_or_default());
                }
            }
            Some(8) => proptest::prop_assert_eq!(bytes(&env.db()), damaged, "refused, so unchanged: {}", said),
            other => proptest::prop_assert!(false, "{}: exit {:?}: {}", sql, other, said),
        }
    }
}

/// What names a row of `table`: its primary key's columns, joined by
/// commas (for a row value), or `rowid`.
fn column_list(env: &Env, table: &str) -> String {
    let key = env.rows(
        &env.db(),
        &format!("SELECT name FROM pragma_table_info('{table}') WHERE pk > 0 ORDER BY pk"),
    );
    if key.is_empty() || key == ["id"] {
        "rowid".to_string()
    } else {
        key.join(", ")
    }
}
