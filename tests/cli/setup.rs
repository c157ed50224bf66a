//! `versus init`, `migrate` and `status`, the seed in the database, and the
//! database as other SQLite tools see it.

use crate::support::*;

#[test]
fn init_creates_the_database_with_the_whole_seed() {
    let env = Env::new();
    env.versus(&["init"])
        .assert()
        .success()
        .stdout(include_str!("../expected/init.txt"));
    let db = env.db();
    assert_eq!(env.count(&db, "documents"), 1);
    assert_eq!(env.count(&db, "figures"), 2);
    assert_eq!(env.count(&db, "attributes"), 10);
    assert_eq!(env.count(&db, "sections"), 5);
    assert_eq!(env.count(&db, "paragraphs"), 9);
    assert_eq!(
        env.rows(
            &db,
            "SELECT slug, title, source, site_header, final_newline FROM documents"
        ),
        ["stalin-vs-trotsky|Joseph Stalin vs. Leon Trotsky|seed:stalin-vs-trotsky.txt|1|0"]
    );
    assert_eq!(
        env.rows(&db, "SELECT attribute, figure, value FROM comparison_table"),
        [
            "Role in Russian Revolution|Joseph Stalin|Key figure in Bolshevik Revolution",
            "Role in Russian Revolution|Leon Trotsky|Also played a significant role in the revolution",
            "Political ideology|Joseph Stalin|Communism, Stalinism",
            "Political ideology|Leon Trotsky|Trotskyism, Marxism",
            "Leadership style|Joseph Stalin|Authoritarian, centralized control",
            "Leadership style|Leon Trotsky|More democratic, decentralized control",
            "Foreign policy|Joseph Stalin|Focused on expanding Soviet influence",
            "Foreign policy|Leon Trotsky|Advocated for worldwide revolution",
            "Economic policies|Joseph Stalin|Implemented Five-Year Plans, collectivization",
            "Economic policies|Leon Trotsky|Advocated for rapid industrialization",
        ]
    );
    assert_eq!(
        env.rows(
            &db,
            "SELECT section, paragraph_no, figure, substr(text, 1, 25) FROM section_paragraphs"
        ),
        [
            "Background|1|Joseph Stalin|Joseph Stalin and Leon Tr",
            "Leadership Style|1|Joseph Stalin|Stalin was known for his ",
            "Leadership Style|2|Leon Trotsky|Trotsky, on the other han",
            "Role in the Russian Revolution|1|Joseph Stalin|Both Stalin and Trotsky p",
            "Role in the Russian Revolution|2|Leon Trotsky|Trotsky, on the other han",
            "Foreign Policy|1|Joseph Stalin|Stalin's foreign policy w",
            "Foreign Policy|2|Leon Trotsky|Trotsky, on the other han",
            "Legacy|1|Joseph Stalin|Stalin's legacy is a comp",
            "Legacy|2|Leon Trotsky|Trotsky's legacy is also ",
        ]
    );
    let summary = &env.rows(&db, "SELECT summary FROM documents")[0];
    assert!(summary.starts_with("Joseph Stalin and Leon Trotsky were both key figures"));
    assert!(summary.ends_with("ended with Stalin's victory and Trotsky's exile."));
    assert_eq!(
        env.rows(&db, "SELECT disclaimer FROM documents"),
        [
            "Comparisons may contain inaccurate information about people, places, or facts. Please report any issues."
        ]
    );
}

#[test]
fn every_sentence_of_the_seed_is_in_the_database() {
    let env = Env::seeded();
    let db = env.db();
    let prose = env
        .rows(
            &db,
            "SELECT title FROM documents UNION ALL SELECT summary FROM documents
             UNION ALL SELECT disclaimer FROM documents UNION ALL SELECT heading FROM sections
             UNION ALL SELECT text FROM paragraphs",
        )
        .join("\n");
    // Table rows, glued back together from the view: attribute, then values.
    let mut table_rows: Vec<String> = vec!["AttributeJoseph StalinLeon Trotsky".to_string()];
    for cell in env.rows(&db, "SELECT attribute, value FROM comparison_table") {
        let (attribute, value) = cell.split_once('|').unwrap();
        let rows = table_rows.len();
        match table_rows.last_mut() {
            Some(row) if rows > 1 && row.starts_with(attribute) => row.push_str(value),
            _ => table_rows.push(format!("{attribute}{value}")),
        }
    }
    let mut checked = 0;
    let mut in_table = false;
    for line in SEED.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line {
            "vs." | "What's the Difference?" => continue,
            "Comparison" => {
                in_table = true;
                continue;
            }
            "Further Detail" => {
                in_table = false;
                continue;
            }
            _ => {}
        }
        if in_table {
            assert!(
                table_rows.iter().any(|r| r == line),
                "table row not in the database: {line:?}"
            );
            checked += 1;
            continue;
        }
        for sentence in line.split_inclusive(". ") {
            assert!(
                prose.contains(sentence.trim()),
                "not in the database: {sentence:?}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 6 + 42, "every table row and sentence was checked");
}

#[test]
fn init_twice_changes_nothing() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    env.versus(&["init"])
        .assert()
        .success()
        .stdout("versus.db is up to date (schema version 10, seed documents present)\n");
    assert_eq!(bytes(&env.db()), before, "the second init changed the file");
}

#[test]
fn init_leaves_an_edited_seed_alone() {
    let env = Env::seeded();
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute("UPDATE documents SET summary = 'edited'", [])
        .unwrap();
    drop(conn);
    env.versus(&["init"]).assert().success();
    assert_eq!(
        env.rows(&env.db(), "SELECT summary FROM documents"),
        ["edited"]
    );
}

#[test]
fn init_writes_a_new_database_file_with_a_plain_rollback_journal() {
    let env = Env::new();
    env.versus(&["--db", "sub.db", "init"]).assert().success();
    assert_eq!(
        env.files(),
        ["sub.db"],
        "no temporary or journal file is left"
    );
    assert_eq!(
        env.rows(&env.path("sub.db"), "PRAGMA journal_mode"),
        ["delete"]
    );
}

#[test]
fn migrate_applies_the_schema_to_an_empty_file_and_then_says_it_is_up_to_date() {
    let env = Env::new();
    let db = env.write("empty.db", "");
    env.versus(&["--db", "empty.db", "migrate"])
        .assert()
        .success()
        .stdout("applied migration V1__initial_schema\napplied migration V2__full_text_search\napplied migration V3__title_identity\napplied migration V4__whole_and_visible\napplied migration V5__faster_import\napplied migration V6__titles_to_key\napplied migration V7__unresolved_rows\napplied migration V8__every_script\napplied migration V9__search_inside_spaceless_runs\napplied migration V10__fewer_index_merges\n");
    assert_eq!(env.count(&db, "documents"), 0, "migrate loads no seed");
    env.versus(&["--db", "empty.db", "migrate"])
        .assert()
        .success()
        .stdout("empty.db is up to date (schema version 10)\n");
}

#[test]
fn status_shows_path_version_and_counts() {
    let env = Env::seeded();
    env.versus(&["status"])
        .assert()
        .success()
        .stdout(include_str!("../expected/status.txt"));
    env.versus(&["status", "--format", "json"])
        .assert()
        .success()
        .stdout(include_str!("../expected/status.json"));
}

#[test]
fn the_database_passes_the_sqlite3_shells_checks() {
    let env = Env::seeded();
    env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
        .assert()
        .success();
    let Some(out) = sqlite3(
        &env.db(),
        &["PRAGMA integrity_check; PRAGMA foreign_key_check;"],
    ) else {
        return;
    };
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ok\n");
    assert!(out.status.success());
}

#[test]
fn the_views_run_in_the_system_sqlite3_shell() {
    let env = Env::seeded();
    let Some(out) = sqlite3(
        &env.db(),
        &[
            "SELECT count(*), count(DISTINCT attribute) FROM comparison_table;
             SELECT count(*), count(figure) FROM section_paragraphs;
             SELECT figure, value FROM comparison_table WHERE attribute = 'Foreign policy';",
        ],
    ) else {
        return;
    };
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "10|5\n9|9\nJoseph Stalin|Focused on expanding Soviet influence\nLeon Trotsky|Advocated for worldwide revolution\n",
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn pythons_sqlite3_module_reads_both_views() {
    let env = Env::seeded();
    let Some(python) = system_tool("python3") else {
        return;
    };
    let script = r#"
import sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
table = conn.execute("SELECT document, attribute, figure, value FROM comparison_table").fetchall()
paragraphs = conn.execute("SELECT document, section, paragraph_no, figure, text FROM section_paragraphs").fetchall()
print(len(table), table[0][1], table[0][2])
print(len(paragraphs), paragraphs[-1][1], paragraphs[-1][3])
"#;
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .arg(env.db())
        .output()
        .expect("run python3");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "10 Role in Russian Revolution Joseph Stalin\n9 Legacy Leon Trotsky\n",
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs a script in the system's sqlite3 shell on `db`, stopping at the
/// first error; `None` when the shell is missing (outside CI).
fn in_the_sqlite3_shell(db: &std::path::Path, script: &str) -> Option<String> {
    let out = sqlite3(db, &["-bail", script])?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "the system sqlite3 shell failed: {stderr}\nrunning: {script}"
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn the_schema_and_every_named_query_run_in_the_system_sqlite3_shell() {
    // Everything versus stores must work in an older SQLite than the one
    // bundled (3.37 and later, docs/DATABASE.md says): the system's shell builds
    // the whole schema anew from versus's own CREATE statements, fires every
    // trigger and reads every view, and runs every built-in query's SQL.
    let env = Env::seeded();
    let schema: Vec<String> = env.rows(
        &env.db(),
        "SELECT sql FROM sqlite_master
         WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
           AND name NOT IN (SELECT name FROM pragma_table_list WHERE type = 'shadow')
         ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 WHEN 'view' THEN 2 ELSE 3 END, rowid",
    );
    assert!(
        schema.len() >= 30,
        "tables, indexes, views and triggers: {schema:?}"
    );
    let copy = env.path("copy.db");
    let script = schema.join(";\n") + ";";
    let Some(_) = in_the_sqlite3_shell(&copy, &script) else {
        return;
    };
    let objects = "SELECT type, name FROM sqlite_master ORDER BY type, name";
    assert_eq!(env.rows(&copy, objects), env.rows(&env.db(), objects));
    // Every trigger fires (inserts, updates, the deletes of a cascade) and
    // the views read the rows, in the old SQLite.
    let db = env.db();
    let fired = in_the_sqlite3_shell(
        &copy,
        &format!(
            "PRAGMA foreign_keys = ON;
             ATTACH '{}' AS seed;
             INSERT INTO documents SELECT * FROM seed.documents;
             INSERT INTO figures SELECT * FROM seed.figures;
             INSERT INTO figure_name_parts SELECT * FROM seed.figure_name_parts;
             INSERT INTO document_figures SELECT * FROM seed.document_figures;
             INSERT INTO attributes SELECT * FROM seed.attributes;
             INSERT INTO sections SELECT * FROM seed.sections;
             INSERT INTO paragraphs SELECT * FROM seed.paragraphs;
             INSERT INTO documents (slug, title, summary, source) VALUES ('a-vs-b', 'A vs. B', 'A and B.', 'test');
             UPDATE documents SET summary = summary || ' Edited.';
             UPDATE attributes SET value = value || ' (edited)';
             UPDATE sections SET heading = heading || ' Edited';
             UPDATE paragraphs SET text = text || ' Edited.';
             SELECT count(*) FROM comparison_table;
             SELECT count(*), count(figure) FROM section_paragraphs;
             SELECT count(*) FROM search_index WHERE search_index MATCH 'edited';
             SELECT title_key FROM documents WHERE slug = 'a-vs-b';
             DELETE FROM titles_to_key;
             UPDATE documents SET title = 'A vs. C' WHERE slug = 'a-vs-b';
             SELECT group_concat(d.slug) FROM titles_to_key JOIN documents AS d ON d.id = document_id;
             DELETE FROM documents;
             SELECT count(*) FROM search_items;",
            db.display()
        ),
    )
    .unwrap();
    // 26 edited texts found: 2 summaries, 10 values, 5 headings, 9 paragraphs.
    // The retitled document noted for versus to key.
    assert_eq!(fired, "10\n9|9\n26\na vs. b\na-vs-b\n0\n");

    // Every built-in named query, with only its required parameters and
    // with all of them, as `--show-sql` writes it for the shell.
    let catalogue: serde_json::Value = serde_json::from_str(&stdout_of(
        &mut env.versus(&["queries", "--format", "json"]),
    ))
    .unwrap();
    let value = |name: &str| match name {
        "topic" => "foreign policy",
        "heading" => "Legacy",
        "figure" => "Trotsky",
        "q" => "revolution",
        "document" => "stalin-vs-trotsky",
        "limit" => "5",
        "before" => "<",
        "after" => ">",
        other => panic!("no test value for the parameter {other}"),
    };
    // A row kept as written, so that `unresolved` has one to give.
    add_unresolved_row(&env);
    let mut ran = 0;
    for query in catalogue.as_array().unwrap() {
        assert_eq!(query["source"], "built-in", "{query}");
        let name = query["name"]
            .as_str()
            .unwrap()
            .replace("<topic>", "foreign policy");
        let parameters: Vec<(&str, bool)> = query["parameters"]
            .as_str()
            .unwrap()
            .split(", ")
            .filter(|p| !p.is_empty())
            .map(|p| {
                let name = p.split(':').next().unwrap();
                (name.trim_end_matches('?'), name.ends_with('?'))
            })
            .collect();
        for all in [false, true] {
            let mut args = vec!["query".to_string(), name.clone(), "--show-sql".to_string()];
            for (parameter, optional) in &parameters {
                if all || !optional {
                    args.push("--param".to_string());
                    args.push(format!("{parameter}={}", value(parameter)));
                }
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let sql = stdout_of(&mut env.versus(&args));
            let rows = in_the_sqlite3_shell(&db, &sql).unwrap();
            assert!(!rows.is_empty(), "{args:?} gave no rows in the shell");
            ran += 1;
        }
    }
    assert_eq!(ran, 2 * 11, "every built-in query, twice");
}

#[test]
fn several_runs_at_once_on_a_missing_default_database_all_succeed() {
    // Started together in an empty folder, each finds no versus.db and
    // builds one: one of them moves its copy into place, the others use it.
    for command in [&["query", "summary", "--format", "csv"][..], &["init"]] {
        for _ in 0..3 {
            let env = Env::new();
            let barrier = std::sync::Barrier::new(6);
            let outputs: Vec<std::process::Output> = std::thread::scope(|s| {
                let runs: Vec<_> = (0..6)
                    .map(|_| {
                        s.spawn(|| {
                            let mut cmd = env.process();
                            cmd.args(command);
                            barrier.wait();
                            cmd.output().unwrap()
                        })
                    })
                    .collect();
                runs.into_iter().map(|r| r.join().unwrap()).collect()
            });
            let mut created = 0;
            for out in &outputs {
                let stderr = String::from_utf8_lossy(&out.stderr);
                let stdout = String::from_utf8_lossy(&out.stdout);
                assert_eq!(out.status.code(), Some(0), "{command:?}: {stderr}");
                if command[0] == "init" {
                    created += usize::from(stdout.starts_with("created versus.db\n"));
                    assert!(stderr.is_empty(), "{stderr}");
                } else {
                    assert!(
                        stdout.starts_with("document,title,summary\r\nstalin-vs-trotsky,"),
                        "{stdout}"
                    );
                    if !stderr.is_empty() {
                        assert_eq!(
                            stderr,
                            "versus: created versus.db with the bundled seed document (stalin-vs-trotsky); use --db or VERSUS_DB to choose another database\n"
                        );
                        created += 1;
                    }
                }
            }
            assert_eq!(
                created, 1,
                "{command:?}: one run says it created the database"
            );
            assert_eq!(env.files(), ["versus.db"], "no temporary file is left");
            assert_eq!(env.count(&env.db(), "documents"), 1);
        }
    }
}

#[test]
fn every_command_has_help() {
    let env = Env::new();
    for command in [
        &["--help"][..],
        &["init", "--help"],
        &["migrate", "--help"],
        &["import", "--help"],
        &["status", "--help"],
    ] {
        let out = stdout_of(&mut env.versus(command));
        assert!(out.contains("Usage: versus"), "{command:?}: {out}");
        assert!(
            out.contains("--db <PATH>"),
            "{command:?} lists the global flags: {out}"
        );
    }
    assert!(env.files().is_empty(), "help creates no file");
}

/// At 12 more documents than it shows, status names five slugs and counts
/// the rest, instead of a wall of slugs.
#[test]
fn status_shows_a_few_slugs_and_counts_the_rest() {
    let env = Env::seeded();
    for n in 0..12 {
        env.write(
            &format!("doc{n}.txt"),
            &SEED.replace("Joseph Stalin", &format!("Joseph Stalin{n}")),
        );
    }
    let files: Vec<String> = (0..12).map(|n| format!("doc{n}.txt")).collect();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    env.versus(&args).assert().success();
    let json = stdout_of(&mut env.versus(&["status", "--format", "json"]));
    let status: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let slugs = status[0]["document_slugs"].as_str().expect("a string");
    assert!(
        slugs.starts_with("stalin-vs-trotsky, ")
            && slugs.ends_with(" and 8 more (`versus query documents` lists them)"),
        "{slugs}"
    );
    assert_eq!(slugs.matches(", ").count(), 4, "{slugs}");
}

/// Whether an UPDATE of every row's `column` in `table` to `value` is
/// accepted (then rolled back): what the table's constraints say of it.
fn accepts(conn: &rusqlite::Connection, table: &str, column: &str, value: &str) -> bool {
    conn.execute_batch("SAVEPOINT probe").unwrap();
    let accepted = conn
        .execute(&format!("UPDATE {table} SET {column} = ?1"), [value])
        .is_ok();
    conn.execute_batch("ROLLBACK TO probe; RELEASE probe")
        .unwrap();
    accepted
}

/// Every string of up to three characters from `alphabet`, and `extra`.
fn candidates(alphabet: &[char], extra: &[&str]) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..3 {
        last = last
            .iter()
            .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
            .collect();
        all.extend(last.iter().cloned());
    }
    all.extend(extra.iter().map(|s| s.to_string()));
    all
}

/// Migration 5 rewrites three CHECK constraints in place. On a version 4
/// database holding a document: the rows stay as they were, the file is
/// whole, a connection opened before the migration (another tool's) reads
/// the new definitions, and they accept exactly what the old ones did,
/// tried on every short string near the allowed values. An insert no
/// longer builds a temporary index for its row (what made them slow).
#[test]
fn migration_5_changes_three_checks_and_nothing_they_accept() {
    let env = Env::new();
    let db = env.db();
    database_at_version(&db, 4)
        .execute_batch(
            "INSERT INTO documents (id, slug, title, title_key, summary, source, header_separator)
                 VALUES (1, 'aster-vs-brink', 'Ann Aster vs. Bob Brink', 'ann aster vs. bob brink', 'Both ran.', 'a.txt', char(9));
             INSERT INTO figures VALUES (1, 'Ann Aster', 'Aster'), (2, 'Bob Brink', 'Brink');
             INSERT INTO figure_name_parts VALUES (1, 1, 'Ann'), (1, 2, 'Aster'), (2, 1, 'Bob'), (2, 2, 'Brink');
             INSERT INTO document_figures VALUES (1, 1, 1), (1, 2, 2);
             INSERT INTO attributes VALUES (1, 1, 'Role', 'role', 1, 'ran', ' | '), (1, 1, 'Role', 'role', 2, 'walked', ' | '),
                 (1, 2, 'Age', 'age', 1, '40', char(9)), (1, 2, 'Age', 'age', 2, '41', char(9));
             INSERT INTO sections VALUES (1, 1, 1, 'Life', 'life');
             INSERT INTO paragraphs VALUES (1, 1, 1, 1, 'Ann ran.');",
        )
        .unwrap();
    let old = env.path("version-4.db");
    std::fs::copy(&db, &old).unwrap();
    let every_row = "SELECT * FROM documents; SELECT * FROM attributes; SELECT * FROM search_items";
    let before: Vec<Vec<String>> = every_row.split("; ").map(|q| env.rows(&db, q)).collect();
    // Opened and its schema read before the migration, as Datasette's would be.
    let other = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(
        other
            .query_row("SELECT count(*) FROM attributes", [], |r| r
                .get::<_, i64>(0))
            .unwrap(),
        4
    );

    env.versus(&["migrate"])
        .assert()
        .success()
        .stdout("applied migration V5__faster_import\napplied migration V6__titles_to_key\napplied migration V7__unresolved_rows\napplied migration V8__every_script\napplied migration V9__search_inside_spaceless_runs\napplied migration V10__fewer_index_merges\n");
    let after: Vec<Vec<String>> = every_row.split("; ").map(|q| env.rows(&db, q)).collect();
    assert_eq!(after, before);
    assert_eq!(env.rows(&db, "PRAGMA integrity_check"), ["ok"]);
    env.versus(&["check"]).assert().success();

    let definitions = env.rows(
        &db,
        "SELECT sql FROM sqlite_master WHERE name IN ('documents', 'attributes', 'search_items') ORDER BY name",
    );
    for (definition, (check, column)) in definitions.iter().zip([
        ("CHECK (cell_separator = '' OR cell_separator = char(9) OR cell_separator = ' | ')", "cell_separator"),
        ("CHECK (header_separator = '' OR header_separator = char(9) OR header_separator = ' | ')", "header_separator"),
        ("CHECK (kind = 'summary' OR kind = 'heading' OR kind = 'paragraph' OR kind = 'value')", "kind"),
    ]) {
        assert!(definition.contains(check), "{check} in {definition}");
        assert!(!definition.contains(&format!("{column} IN (")), "{definition}");
    }

    let was = rusqlite::Connection::open(&old).unwrap();
    let separators = candidates(&[' ', '|', '\t', 'x'], &[" |  ", "  | ", "\t ", " \t"]);
    let kinds = candidates(
        &['a', 'e', ' '],
        &[
            "summary",
            "heading",
            "paragraph",
            "value",
            "Summary",
            "VALUE",
            "value ",
            " value",
            "values",
            "summar",
            "paragraphs",
            "headings",
            "kind",
        ],
    );
    let mut accepted = 0;
    for (table, column, values) in [
        ("documents", "header_separator", &separators),
        ("attributes", "cell_separator", &separators),
        ("search_items", "kind", &kinds),
    ] {
        for value in values {
            let now = accepts(&other, table, column, value);
            assert_eq!(
                now,
                accepts(&was, table, column, value),
                "{table}.{column} = {value:?}"
            );
            accepted += usize::from(now);
        }
    }
    // '', a tab and ' | ' for each separator; the four kinds.
    assert_eq!(accepted, 3 + 3 + 4);

    let temporary_indexes = |sql: &str| -> usize {
        let mut stmt = other.prepare(&format!("EXPLAIN {sql}")).unwrap();
        stmt.query_map([], |r| r.get::<_, String>(1))
            .unwrap()
            .filter(|op| op.as_ref().unwrap() == "OpenEphemeral")
            .count()
    };
    for insert in [
        "INSERT INTO attributes VALUES (1, 3, 'Town', 'town', 1, 'Oslo', '')",
        "INSERT INTO search_items (kind, document_id, text) VALUES ('value', 1, 'Oslo')",
        "INSERT INTO documents (slug, title, summary, source) VALUES ('c-vs-d', 'C vs. D', 'S.', 'c.txt')",
    ] {
        assert_eq!(temporary_indexes(insert), 0, "{insert}");
    }
}

/// A table another tool changed keeps its change through migration 5: a
/// column added to `attributes` (its definition gains the column after
/// the last one, right behind the CHECK constraint) stays, with its values, and the CHECK constraint is still rewritten;
/// a constraint another tool wrote its own way is left as it is.
#[test]
fn migration_5_keeps_what_other_tools_changed_in_the_tables() {
    let env = Env::new();
    let db = env.db();
    database_at_version(&db, 4)
        .execute_batch(
            "ALTER TABLE attributes ADD COLUMN note TEXT DEFAULT 'kept';
             PRAGMA writable_schema = ON;
             UPDATE sqlite_master SET sql = replace(sql, 'CHECK (kind IN (', 'CHECK (kind  IN (')
             WHERE name = 'search_items';
             PRAGMA writable_schema = OFF;",
        )
        .unwrap();
    env.versus(&["migrate"])
        .assert()
        .success()
        .stdout("applied migration V5__faster_import\napplied migration V6__titles_to_key\napplied migration V7__unresolved_rows\napplied migration V8__every_script\napplied migration V9__search_inside_spaceless_runs\napplied migration V10__fewer_index_merges\n");
    let sql = |name: &str| {
        env.rows(
            &db,
            &format!("SELECT sql FROM sqlite_master WHERE name = '{name}'"),
        )
        .remove(0)
    };
    let attributes = sql("attributes");
    assert!(
        attributes.contains("cell_separator = '' OR cell_separator = char(9)")
            && attributes.contains(", note TEXT DEFAULT 'kept'"),
        "{attributes}"
    );
    assert!(sql("search_items").contains("CHECK (kind  IN ("));
    assert_eq!(env.rows(&db, "PRAGMA integrity_check"), ["ok"]);
    env.versus(&["import", "--db", "versus.db", "-"])
        .write_stdin(SEED)
        .assert()
        .success();
    assert_eq!(
        env.rows(&db, "SELECT DISTINCT note FROM attributes"),
        ["kept"]
    );
}
