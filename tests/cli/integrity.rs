//! A database that stays whole whoever writes to it: deletions from the
//! sqlite3 shell (foreign keys off) that leave nothing behind, `versus
//! check` finding each kind of damage other tools do, `versus check
//! --repair` healing it (or refusing, changing nothing, what it cannot
//! derive), and the warning line of `versus status`.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::peers;
use crate::support::*;

/// Two documents that share a figure (Émile Zola), with quotes, unicode,
/// an apostrophe in a surname and a heading that starts in lowercase.
const ZOLA_ONEILL: &str = "Émile Zola vs. Rosa O'Neill

What's the Difference?

Émile Zola wrote « J'accuse…! »; Rosa O'Neill drew \"Kewpies\" and marched for the vote.

Comparison

Attribute | Émile Zola | Rosa O'Neill
Field | Novels & \"naturalism\" | Illustration, l'art nouveau
Cause | Dreyfus' defence | women's suffrage

Further Detail

L'Affaire « Dreyfus »

Zola's letter named the généraux who framed Dreyfus.

O'Neill's drawings sold the 'Kewpie' to millions.

early life

zola grew up in Aix; O'Neill in Nebraska, both poor.
";

const ZOLA_GAULLE: &str = "Émile Zola vs. Charles de Gaulle

What's the Difference?

Zola wrote about the Republic; de Gaulle refounded it in 1958.

Comparison

Attribute | Émile Zola | Charles de Gaulle
Field | Novels | Politics

Further Detail

Republic

Zola defended the Republic's justice.

De Gaulle wrote its constitution.
";

/// The seed, Lenin vs. Trotsky and the two Zola documents.
fn four_documents(env: &Env) {
    env.init();
    let files = [
        env.write("lenin.txt", LENIN),
        env.write("zola-oneill.txt", ZOLA_ONEILL),
        env.write("zola-gaulle.txt", ZOLA_GAULLE),
    ];
    let mut args = vec!["import"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    env.versus(&args).assert().success();
}

/// Runs SQL in the real sqlite3 shell, which leaves foreign keys off; `None`
/// (after a skip note) when it is not installed.
fn shell(env: &Env, sql: &str) -> Option<()> {
    let out = sqlite3(&env.db(), &[sql])?;
    assert!(
        out.status.success(),
        "sqlite3 {sql:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn check(env: &Env, args: &[&str]) -> Output {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    env.versus(&all).output().expect("run versus check")
}

/// `versus check` finds the database whole: exit 0, its one line.
fn assert_whole(env: &Env) {
    let out = check(env, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).starts_with("versus.db is whole: "),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(text(&out.stderr), "");
}

/// `versus check` finds problems: exit 8, one line per problem on stdout,
/// each holding `where: what; fix`, and the verdict on stderr. Returns the
/// lines.
fn assert_not_whole(env: &Env) -> Vec<String> {
    let out = check(env, &[]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(8), "{stdout}{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("versus: versus.db is ") && stderr.lines().count() == 1,
        "{stderr}"
    );
    let lines: Vec<String> = stdout.lines().map(String::from).collect();
    assert!(!lines.is_empty());
    for line in &lines {
        assert!(line.contains(": ") && line.contains("; "), "{line}");
    }
    lines
}

/// `versus check --repair` succeeds; returns what it said.
fn repair(env: &Env) -> String {
    let out = check(env, &["--repair"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.ends_with("versus.db is whole\n"), "{stdout}");
    stdout
}

/// What `versus status` says on stderr.
fn status_warning(env: &Env) -> String {
    let out = env.versus(&["status"]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stderr)
}

/// Search hits as `document|kind|found_in|figure` lines.
fn hits(env: &Env, words: &str) -> Vec<String> {
    let out = stdout_of(&mut env.versus(&["search", words, "--limit", "100", "--format", "json"]));
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}|{}|{}|{}",
                r["document"].as_str().unwrap(),
                r["kind"].as_str().unwrap(),
                r["found_in"].as_str().unwrap_or("-"),
                r["figure"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

/// FTS5's check of search_index against search_items ("ok" when it holds
/// exactly their texts), through SQLite's own library.
fn fts_check(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    match conn.execute(
        "INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)",
        [],
    ) {
        Ok(_) => "ok".to_string(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_new_database_is_whole_and_repair_changes_nothing() {
    let env = Env::new();
    four_documents(&env);
    assert_whole(&env);
    let json = env.versus(&["check", "--format", "json"]).output().unwrap();
    assert_eq!(json.status.code(), Some(0));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&json.stdout).unwrap(),
        serde_json::json!([])
    );
    assert_eq!(status_warning(&env), "");
    let before = bytes(&env.db());
    env.versus(&["check", "--repair"])
        .assert()
        .success()
        .stdout("versus.db is whole; nothing to repair\n");
    assert_eq!(bytes(&env.db()), before, "nothing was written");
}

/// The case: the shell leaves foreign keys off, and a deleted
/// document used to leave its sections, table, search texts and figures
/// behind, and its import failed after.
#[test]
fn a_document_deleted_in_the_sqlite3_shell_takes_everything_that_belongs_to_it() {
    let env = Env::new();
    four_documents(&env);
    let db = env.db();
    assert_eq!(hits(&env, "kewpie*").len(), 2);
    let Some(()) = shell(&env, "DELETE FROM documents WHERE slug = 'zola-vs-o-neill'") else {
        return;
    };
    let Some(()) = shell(
        &env,
        "DELETE FROM documents WHERE slug = 'lenin-vs-trotsky'",
    ) else {
        return;
    };
    let fk = sqlite3(&db, &["PRAGMA foreign_key_check"]).unwrap();
    assert_eq!(text(&fk.stdout), "", "no orphan row");
    for table in ["sections", "attributes", "document_figures", "search_items"] {
        assert_eq!(
            env.rows(
                &db,
                &format!("SELECT count(*) FROM {table} WHERE document_id NOT IN (SELECT id FROM documents)")
            ),
            ["0"],
            "{table}"
        );
    }
    assert_eq!(
        env.rows(
            &db,
            "SELECT count(*) FROM paragraphs WHERE section_id NOT IN (SELECT id FROM sections)"
        ),
        ["0"]
    );
    // Figures no document compares go with their name parts; a figure
    // another document compares stays.
    assert_eq!(
        env.rows(&db, "SELECT name FROM figures ORDER BY name"),
        [
            "Charles de Gaulle",
            "Joseph Stalin",
            "Leon Trotsky",
            "Émile Zola"
        ]
    );
    assert_eq!(
        env.rows(
            &db,
            "SELECT count(*) FROM figure_name_parts WHERE figure_id NOT IN (SELECT id FROM figures)"
        ),
        ["0"]
    );
    assert_eq!(fts_check(&db), "ok", "the index holds no orphan");
    assert!(hits(&env, "kewpie*").is_empty());
    assert!(hits(&env, "Brest-Litovsk").is_empty());
    assert_whole(&env);
    // Both import again as they were.
    for (file, slug) in [
        ("zola-oneill.txt", "zola-vs-o-neill"),
        ("lenin.txt", "lenin-vs-trotsky"),
    ] {
        env.versus(&["import", env.path(file).to_str().unwrap()])
            .assert()
            .success()
            .stdout(predicates::str::starts_with(format!("loaded {slug} ")));
    }
    let mut found = hits(&env, "kewpie*");
    found.sort();
    assert_eq!(
        found,
        [
            "zola-vs-o-neill|paragraph|L'Affaire « Dreyfus »|Rosa O'Neill",
            "zola-vs-o-neill|summary|-|-"
        ]
    );
    assert_whole(&env);
}

#[test]
fn a_section_deleted_in_the_sqlite3_shell_takes_its_paragraphs_and_their_search_texts() {
    let env = Env::new();
    four_documents(&env);
    let db = env.db();
    let Some(()) = shell(
        &env,
        "DELETE FROM sections WHERE heading = 'L''Affaire « Dreyfus »'",
    ) else {
        return;
    };
    assert_eq!(
        env.rows(
            &db,
            "SELECT count(*) FROM paragraphs WHERE section_id NOT IN (SELECT id FROM sections)"
        ),
        ["0"]
    );
    assert_eq!(fts_check(&db), "ok");
    assert_eq!(hits(&env, "kewpie*"), ["zola-vs-o-neill|summary|-|-"]);
    assert_whole(&env);
}

/// versus's own connections (and Python's, when told) have foreign keys
/// on: the cascades run first, then the triggers find nothing left.
#[test]
fn with_foreign_keys_on_the_cascades_and_the_triggers_both_run_harmlessly() {
    let env = Env::new();
    four_documents(&env);
    env.versus(&[
        "sql",
        "--write",
        "DELETE FROM documents WHERE slug = 'zola-vs-o-neill'; DELETE FROM sections WHERE heading = 'Republic'",
    ])
    .assert()
    .success();
    let db = env.db();
    assert_eq!(
        env.rows(
            &db,
            "SELECT count(*) FROM figures WHERE name = 'Rosa O''Neill'"
        ),
        ["0"]
    );
    assert_eq!(fts_check(&db), "ok");
    assert_whole(&env);
    env.versus(&["import", env.path("zola-oneill.txt").to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("loaded zola-vs-o-neill "));
    assert_whole(&env);
}

#[test]
fn a_dropped_trigger_is_found_warned_of_and_repaired() {
    let env = Env::new();
    four_documents(&env);
    let Some(()) = shell(&env, "DROP TRIGGER paragraphs_search_insert") else {
        return;
    };
    assert_eq!(
        assert_not_whole(&env),
        [
            "trigger paragraphs_search_insert (on paragraphs): is missing: changes to paragraphs no longer reach the search index; `versus check --repair` makes it again as versus defines it"
        ]
    );
    assert_eq!(
        text(&check(&env, &[]).stderr),
        "versus: versus.db is not whole (1 problem, listed above); `versus check --repair` fixes it\n"
    );
    assert_eq!(
        status_warning(&env),
        "versus: warning: versus.db is not whole (trigger paragraphs_search_insert (on paragraphs): is missing: changes to paragraphs no longer reach the search index); run `versus check` for every problem and how to fix it\n"
    );
    let said = repair(&env);
    assert!(
        said.starts_with("found: trigger paragraphs_search_insert (on paragraphs): is missing"),
        "{said}"
    );
    assert!(said.contains("rebuilt the search tables: "), "{said}");
    assert_whole(&env);
    assert_eq!(status_warning(&env), "");
    // A paragraph another tool adds is searchable again.
    let Some(()) = shell(
        &env,
        "INSERT INTO paragraphs (section_id, position, figure_id, text)
         SELECT id, 9, NULL, 'Narwhals in « quotes »' FROM sections WHERE heading = 'Republic'",
    ) else {
        return;
    };
    assert_eq!(
        hits(&env, "narwhals"),
        ["zola-vs-gaulle|paragraph|Republic|-"]
    );
}

/// A document deleted from a tool while the triggers of version 4 were
/// missing (as before version 4) leaves orphans: found, counted, deleted.
#[test]
fn orphans_of_a_deletion_without_the_triggers_are_found_and_deleted() {
    let env = Env::new();
    four_documents(&env);
    let db = env.db();
    let Some(()) = shell(
        &env,
        "DROP TRIGGER documents_cascade; DROP TRIGGER sections_cascade;
         DROP TRIGGER document_figures_cascade; DROP TRIGGER figures_cascade;
         DELETE FROM documents WHERE slug = 'zola-vs-o-neill';",
    ) else {
        return;
    };
    let orphans = |sql: &str| env.rows(&db, sql)[0].parse::<usize>().unwrap();
    let sections = orphans(
        "SELECT count(*) FROM sections WHERE document_id NOT IN (SELECT id FROM documents)",
    );
    let places = orphans(
        "SELECT count(*) FROM document_figures WHERE document_id NOT IN (SELECT id FROM documents)",
    );
    assert_eq!((sections, places), (2, 2));
    let lines = assert_not_whole(&env);
    for expected in [
        "table document_figures: 2 rows belong to a row of documents that does not exist (orphans: left by a deletion made without versus's triggers); `versus check --repair` deletes them",
        "table sections: 2 rows belong to a row of documents that does not exist (orphans: left by a deletion made without versus's triggers); `versus check --repair` deletes them",
        "table search_items: 10 rows belong to a row of documents that does not exist (orphans: left by a deletion made without versus's triggers); `versus check --repair` deletes them",
    ] {
        assert!(
            lines.contains(&expected.to_string()),
            "{expected}\nin {lines:#?}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("trigger documents_cascade (on documents): is missing")),
        "{lines:#?}"
    );
    let warning = status_warning(&env);
    assert!(
        warning.starts_with("versus: warning: versus.db is not whole (")
            && warning.lines().count() == 1,
        "{warning}"
    );
    let said = repair(&env);
    // The table's 2 attributes x 2 figures, 2 places, 2 sections, 3
    // paragraphs and Rosa O'Neill (Zola is in another document).
    assert!(
        said.contains(
            "deleted 14 orphan rows: 2 of document_figures, 4 of attributes, 2 of sections, 3 of paragraphs, 1 of figures, 2 of figure_name_parts\n"
        ),
        "{said}"
    );
    assert_whole(&env);
    env.versus(&["import", env.path("zola-oneill.txt").to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("loaded zola-vs-o-neill "));
    assert_whole(&env);
    // The triggers are back: the next deletion in the shell is whole.
    let Some(()) = shell(&env, "DELETE FROM documents WHERE slug = 'zola-vs-o-neill'") else {
        return;
    };
    assert_whole(&env);
}

#[test]
fn a_dropped_search_table_is_found_and_made_again() {
    for table in ["search_items", "search_index"] {
        let env = Env::new();
        four_documents(&env);
        let expected = hits(&env, "dreyfus");
        assert_eq!(expected.len(), 3, "{expected:?}");
        let Some(()) = shell(&env, &format!("DROP TABLE {table}")) else {
            return;
        };
        let lines = assert_not_whole(&env);
        assert!(
            lines[0].starts_with(&format!(
                "{} {table}: is missing: searches fail or miss texts; ",
                if table == "search_items" {
                    "table"
                } else {
                    "virtual table"
                }
            )),
            "{lines:#?}"
        );
        // An import cannot write its search rows, and says what to run.
        let out = env
            .versus(&[
                "import",
                env.write("seed.txt", &SEED.replace("ruthless", "pitiless"))
                    .to_str()
                    .unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stderr).contains("`versus check --repair` rebuilds it"),
            "{}",
            text(&out.stderr)
        );
        repair(&env);
        assert_whole(&env);
        assert_eq!(hits(&env, "dreyfus"), expected);
        assert_eq!(fts_check(&env.db()), "ok");
        env.versus(&["import", env.path("seed.txt").to_str().unwrap()])
            .assert()
            .success();
        assert_eq!(hits(&env, "pitiless").len(), 1);
    }
}

#[test]
fn reindex_also_makes_a_dropped_search_table_again() {
    let env = Env::new();
    four_documents(&env);
    let expected = hits(&env, "dreyfus");
    let Some(()) = shell(&env, "DROP TABLE search_items") else {
        return;
    };
    env.versus(&["reindex"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "rebuilt the search index of versus.db: ",
        ));
    assert_eq!(hits(&env, "dreyfus"), expected);
    assert_whole(&env);
}

/// The definition of search_index (as the migrations make it), its
/// settings included.
fn search_index_as_defined(env: &Env) {
    let db = env.db();
    let sql = env.rows(
        &db,
        "SELECT sql FROM sqlite_master WHERE name = 'search_index'",
    );
    assert!(
        sql[0].contains("content=\"search_items\"")
            && sql[0].contains("tokenize=\"unicode61 remove_diacritics 2\""),
        "{sql:?}"
    );
    assert_eq!(
        env.rows(&db, "SELECT k, v FROM search_index_config ORDER BY k"),
        ["automerge|16", "hashsize|3145728", "version|4"]
    );
}

#[test]
fn a_search_index_made_again_with_another_tokenizer_is_made_as_defined() {
    for heal in ["check --repair", "reindex"] {
        let env = Env::new();
        four_documents(&env);
        let expected = hits(&env, "generaux");
        assert_eq!(
            expected,
            ["zola-vs-o-neill|paragraph|L'Affaire « Dreyfus »|Émile Zola"]
        );
        let Some(()) = shell(
            &env,
            "DROP TABLE search_index;
             CREATE VIRTUAL TABLE search_index USING fts5 (text, content='search_items', content_rowid='id', tokenize='porter ascii');
             INSERT INTO search_index (search_index) VALUES ('rebuild');",
        ) else {
            return;
        };
        assert!(
            hits(&env, "generaux").is_empty(),
            "the diacritics count again"
        );
        assert_eq!(
            assert_not_whole(&env),
            [
                "virtual table search_index: differs from versus's definition (changed or made again by another tool): searches fail or miss texts; `versus check --repair` makes it again as versus defines it"
            ]
        );
        let args: Vec<&str> = heal.split(' ').collect();
        env.versus(&args).assert().success();
        search_index_as_defined(&env);
        assert_eq!(hits(&env, "generaux"), expected, "{heal}");
        assert_whole(&env);
    }
}

/// `sqlite-utils transform` rebuilds a table and silently drops its
/// triggers: new paragraphs were no longer searchable.
#[test]
fn a_table_rebuilt_by_sqlite_utils_transform_is_found_and_rebuilt_keeping_its_rows() {
    let Some(sqlite_utils) = peers::sqlite_utils() else {
        return;
    };
    let env = Env::new();
    four_documents(&env);
    let db = env.db();
    let paragraphs = env.rows(&db, "SELECT * FROM paragraphs ORDER BY id");
    let out = peers::run(
        &sqlite_utils,
        &["transform", db.to_str().unwrap(), "paragraphs"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines = assert_not_whole(&env);
    assert_eq!(
        lines,
        [
            "table paragraphs: differs from versus's definition (another tool rebuilt it, as `sqlite-utils transform` does, which may change its constraints and drops its triggers); `versus check --repair` rebuilds it as versus defines it, keeping its rows",
            "trigger paragraphs_search_insert (on paragraphs): is missing: changes to paragraphs no longer reach the search index; `versus check --repair` makes it again as versus defines it",
            "trigger paragraphs_search_update (on paragraphs): is missing: changes to paragraphs no longer reach the search index; `versus check --repair` makes it again as versus defines it",
            "trigger paragraphs_search_delete (on paragraphs): is missing: changes to paragraphs no longer reach the search index; `versus check --repair` makes it again as versus defines it",
        ]
    );
    assert!(status_warning(&env).contains("(table paragraphs: differs from versus's definition"));
    let said = repair(&env);
    assert!(
        said.contains(&format!(
            "rebuilt the table paragraphs as versus defines it, keeping its {} rows\n",
            paragraphs.len()
        )),
        "{said}"
    );
    assert_eq!(
        env.rows(&db, "SELECT * FROM paragraphs ORDER BY id"),
        paragraphs
    );
    assert_whole(&env);
    let Some(()) = shell(
        &env,
        "UPDATE paragraphs SET text = 'Zola''s walruses.' WHERE text LIKE 'Zola defended%'",
    ) else {
        return;
    };
    assert_eq!(
        hits(&env, "walruses"),
        ["zola-vs-gaulle|paragraph|Republic|Émile Zola"]
    );
}

/// A renamed column cannot be rebuilt without guessing: the repair says
/// how to rename it back and changes nothing; done, it repairs the rest.
#[test]
fn a_renamed_column_is_refused_with_advice_and_nothing_changes() {
    let Some(sqlite_utils) = peers::sqlite_utils() else {
        return;
    };
    let env = Env::new();
    four_documents(&env);
    let db = env.db();
    let out = peers::run(
        &sqlite_utils,
        &[
            "transform",
            db.to_str().unwrap(),
            "paragraphs",
            "--rename",
            "text",
            "body",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines = assert_not_whole(&env);
    let advice = "table paragraphs: lacks the column text and has the column body that versus does not define (changed by another tool); versus cannot read its rows; if body is text renamed, rename it back: `sqlite-utils transform versus.db paragraphs --rename body text`, or in the sqlite3 shell `DROP VIEW IF EXISTS comparison_table; DROP VIEW IF EXISTS section_paragraphs; ALTER TABLE paragraphs RENAME COLUMN body TO text;` (SQLite refuses the rename while a view reads the column); then run `versus check --repair`, which makes the views again";
    assert_eq!(lines[0], advice);
    assert!(
        lines.iter().all(|l| !l.contains("could not check")),
        "no echo of the renamed column: {lines:#?}"
    );
    let before = bytes(&db);
    let out = check(&env, &["--repair"]);
    assert_eq!(out.status.code(), Some(8));
    assert_eq!(text(&out.stdout), format!("cannot repair: {advice}\n"));
    assert_eq!(
        text(&out.stderr),
        "versus: versus.db has 1 problem that versus cannot derive from the documents (listed above); nothing was changed; fix it as the line says, then run `versus check --repair` again\n"
    );
    assert_eq!(bytes(&db), before, "nothing was changed");
    // The advice works as written, in the real shell.
    let sql = advice
        .split("in the sqlite3 shell `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .unwrap();
    let Some(()) = shell(&env, sql) else {
        return;
    };
    repair(&env);
    assert_whole(&env);
    assert_eq!(hits(&env, "kewpie*").len(), 2);
}

/// A damaged page is not derived from anything: both commands say to
/// restore a copy or recover, and the repair writes nothing.
#[test]
fn a_damaged_page_is_refused_with_advice() {
    let env = Env::new();
    four_documents(&env);
    let db = env.db();
    let root: u64 = env.rows(
        &db,
        "SELECT rootpage FROM sqlite_master WHERE name = 'paragraphs'",
    )[0]
    .parse()
    .unwrap();
    let page: u64 = env.rows(&db, "PRAGMA page_size")[0].parse().unwrap();
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut file = std::fs::OpenOptions::new().write(true).open(&db).unwrap();
        file.seek(SeekFrom::Start((root - 1) * page + 8)).unwrap();
        file.write_all(&[0xff; 64]).unwrap();
    }
    let lines = assert_not_whole(&env);
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("the file: PRAGMA integrity_check ")),
        "{lines:#?}"
    );
    assert!(lines.len() <= 4, "a few lines, not every echo: {lines:#?}");
    let stderr = text(&check(&env, &[]).stderr);
    assert!(
        stderr.starts_with("versus: versus.db is damaged (")
            && stderr.contains("restore the file from a copy")
            && stderr.contains("`sqlite3 versus.db .recover | sqlite3 recovered.db`"),
        "{stderr}"
    );
    let before = bytes(&db);
    let out = check(&env, &["--repair"]);
    assert_eq!(out.status.code(), Some(8));
    assert!(text(&out.stdout).starts_with("cannot repair: the file: "));
    assert!(
        text(&out.stderr).contains("nothing was changed; restore the file from a copy"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(bytes(&db), before);
}

/// A value versus cannot read back (a BLOB, or text that is not UTF-8,
/// where it keeps text), which stops `show` and `export` of its document,
/// makes `versus status` warn, as it warns of the other problems it looks
/// for: it said nothing. The record on stdout stays as it is.
#[test]
fn status_warns_of_values_versus_cannot_read() {
    let cases = [
        ("paragraphs", "text", "x'41ff42'", "id = 2"),
        ("paragraphs", "text", "CAST(x'41ff42' AS TEXT)", "id = 2"),
        ("documents", "title", "x'4aff'", "id = 1"),
        ("documents", "title", "CAST(x'4aff' AS TEXT)", "id = 1"),
        ("figures", "name", "x'80'", "id = 1"),
        ("figures", "name", "CAST(x'80' AS TEXT)", "id = 1"),
    ];
    for (table, column, value, row) in cases {
        let env = Env::seeded();
        let record = stdout_of(&mut env.versus(&["status", "--format", "json"]));
        rusqlite::Connection::open(env.db())
            .unwrap()
            .execute_batch(&format!(
                "UPDATE {table} SET {column} = {value} WHERE {row}"
            ))
            .unwrap();
        let out = env
            .versus(&["status", "--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{value}: {}", text(&out.stderr));
        assert_eq!(
            text(&out.stdout),
            record,
            "{value}: the record is as it was"
        );
        let warning = text(&out.stderr);
        assert!(
            warning.starts_with(&format!(
                "versus: warning: versus.db is not whole (table {table}: 1 row has a value in the column {column} that versus cannot read, where it keeps UTF-8 text (another tool wrote it): the row where {row} has "
            )) && warning.ends_with("; run `versus check` for every problem and how to fix it\n")
                && warning.lines().count() == 1,
            "{value}: {warning}"
        );
    }
}

/// Every document exported as JSON, to show a repair kept them.
fn all_documents(env: &Env) -> String {
    stdout_of(&mut env.versus(&["export", "--all", "--format", "json"]))
}

/// An index out of step with its table (its entries deleted through the
/// sqlite3 shell's `.imposter`, as a tool writing the file's pages could)
/// is named alone: `check` read the search rows through
/// documents_by_title_key and added "N rows match no text of the documents"
/// (a damaged index of sections or paragraphs did the same, one of
/// search_items "duplicates", one of document_figures "figures compared by
/// no document"), and the repair, deleting orphans through the damaged
/// index before making it again, failed. Each index versus defines in
/// turn: the check names that index only, the repair makes it whole, and
/// every document exports as before.
#[test]
fn a_damaged_index_is_named_alone_and_the_repair_makes_it_again() {
    let env = Env::new();
    four_documents(&env);
    let db = env.db();
    let whole = env.path("whole.db");
    std::fs::copy(&db, &whole).unwrap();
    let documents = all_documents(&env);
    let indexes = env.rows(
        &db,
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name <> 'refinery_schema_history' ORDER BY name",
    );
    assert!(
        indexes.contains(&"documents_by_title_key".to_string()) && indexes.len() >= 8,
        "{indexes:?}"
    );
    for index in &indexes {
        std::fs::copy(&whole, &db).unwrap();
        let Some(out) = sqlite3(
            &db,
            &[
                &format!(".imposter {index} imposter"),
                "DELETE FROM imposter",
            ],
        ) else {
            return;
        };
        assert!(out.status.success(), "{index}: {}", text(&out.stderr));
        let lines = assert_not_whole(&env);
        for line in &lines {
            assert!(
                line.starts_with("an index: PRAGMA integrity_check says: ")
                    && line.contains(index.as_str()),
                "{index}: {lines:#?}"
            );
        }
        let said = repair(&env);
        assert!(
            said.contains("rebuilt every index (REINDEX)"),
            "{index}: {said}"
        );
        assert_whole(&env);
        assert_eq!(all_documents(&env), documents, "{index}");
    }
    // With the index damaged, the other checks still find what is really
    // wrong: a search row another tool deleted.
    std::fs::copy(&whole, &db).unwrap();
    let Some(out) = sqlite3(
        &db,
        &[
            ".imposter documents_by_title_key imposter",
            "DELETE FROM imposter",
            "DELETE FROM search_items WHERE id = (SELECT max(id) FROM search_items)",
        ],
    ) else {
        return;
    };
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines = assert_not_whole(&env);
    let others: Vec<&String> = lines
        .iter()
        .filter(|l| !l.starts_with("an index: "))
        .collect();
    assert_eq!(others.len(), 1, "{lines:#?}");
    assert!(
        others[0].starts_with("table search_items: 1 text of the documents is missing from it"),
        "{lines:#?}"
    );
    repair(&env);
    assert_whole(&env);
    assert_eq!(all_documents(&env), documents);
    // A row written while the index was damaged that the index forbids (a
    // second document with the seed's slug): the index cannot be made
    // again until a person decides, which the line says how to find.
    std::fs::copy(&whole, &db).unwrap();
    for commands in [
        &[
            ".imposter sqlite_autoindex_documents_1 imposter",
            "DELETE FROM imposter",
        ][..],
        // (Read NOT INDEXED: the slug's index is empty now.)
        &[
            "CREATE TEMP TABLE copy AS SELECT * FROM documents NOT INDEXED WHERE slug = 'stalin-vs-trotsky';
           UPDATE copy SET id = 99, title = 'Another vs. Other', title_key = 'another vs other';
           INSERT INTO documents SELECT * FROM copy;",
        ],
    ] {
        let Some(out) = sqlite3(&db, commands) else {
            return;
        };
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    assert_eq!(
        env.rows(
            &db,
            "SELECT count(*) FROM documents NOT INDEXED WHERE slug = 'stalin-vs-trotsky'"
        ),
        ["2"]
    );
    let lines = assert_not_whole(&env);
    assert!(
        lines.iter().any(|l| l.starts_with("an index: making the indexes again from their tables fails (UNIQUE constraint failed: documents.slug)")
            && l.contains("`versus sql \"SELECT slug, count(*) FROM documents NOT INDEXED GROUP BY slug HAVING count(*) > 1\"`")),
        "{lines:#?}"
    );
    let before = bytes(&db);
    assert_eq!(check(&env, &["--repair"]).status.code(), Some(8));
    assert_eq!(bytes(&db), before);
}

#[test]
fn problems_in_json_are_one_object_each() {
    let env = Env::new();
    four_documents(&env);
    let Some(()) = shell(
        &env,
        "DROP VIEW comparison_table; DROP TRIGGER figures_cascade",
    ) else {
        return;
    };
    let out = env.versus(&["check", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(8));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        rows,
        serde_json::json!([
            {
                "where": "view comparison_table",
                "problem": "is missing: tools and queries that read it fail",
                "fix": "`versus check --repair` makes it again as versus defines it"
            },
            {
                "where": "trigger figures_cascade (on figures)",
                "problem": "is missing: deleting from figures with foreign keys off (the sqlite3 shell, Python) leaves its rows behind",
                "fix": "`versus check --repair` makes it again as versus defines it"
            }
        ])
    );
    let csv = env.versus(&["check", "--format", "csv"]).output().unwrap();
    assert_eq!(csv.status.code(), Some(8));
    assert!(text(&csv.stdout).starts_with("where,problem,fix"));
}

/// The name parts are derived from the figures' names: a tool that empties
/// them breaks `mentions`; the check sees it and the repair derives them.
#[test]
fn name_parts_are_checked_and_derived_again() {
    let env = Env::new();
    four_documents(&env);
    let db = env.db();
    let parts = env.rows(&db, "SELECT * FROM figure_name_parts ORDER BY 1, 2");
    let Some(()) = shell(
        &env,
        "DELETE FROM figure_name_parts WHERE figure_id = (SELECT id FROM figures WHERE name = 'Rosa O''Neill')",
    ) else {
        return;
    };
    assert_eq!(
        assert_not_whole(&env),
        [
            "table figure_name_parts: 1 figure has other name parts than its name gives (the words that name a figure alone), so `mentions` misses or mistakes it; `versus check --repair` derives them again from the names"
        ]
    );
    assert!(repair(&env).contains("derived the name parts of 1 figure again\n"));
    assert_eq!(
        env.rows(&db, "SELECT * FROM figure_name_parts ORDER BY 1, 2"),
        parts
    );
    assert_whole(&env);
}

#[test]
fn a_database_that_needs_a_migration_is_checked_after_it() {
    let env = Env::new();
    let db: PathBuf = env.write("empty.db", "");
    env.versus(&["--db", "empty.db", "migrate"])
        .assert()
        .success();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("DELETE FROM refinery_schema_history WHERE version = 10", [])
        .unwrap();
    drop(conn);
    env.versus(&["--db", "empty.db", "check"])
        .assert()
        .code(4)
        .stderr("versus: empty.db has schema version 9 and this versus needs 10; run `versus migrate --db empty.db`\n");
}

/// A search row changed behind its trigger's back: the rows differ from the
/// documents, and FTS5's own check finds the index out of step with them.
#[test]
fn a_search_index_out_of_step_with_its_rows_is_found_and_rebuilt() {
    let env = Env::new();
    four_documents(&env);
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let trigger: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'search_items_update'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute_batch(&format!(
        "DROP TRIGGER search_items_update;
         UPDATE search_items SET text = 'Zebras « everywhere »' WHERE kind = 'summary' AND document_id = (SELECT id FROM documents WHERE slug = 'zola-vs-gaulle');
         {trigger};"
    ))
    .unwrap();
    drop(conn);
    let lines = assert_not_whole(&env);
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(
        lines[0].starts_with("table search_items: 1 row matches no text of the documents"),
        "{lines:#?}"
    );
    assert!(
        lines[1].starts_with("table search_items: 1 text of the documents is missing from it: searches do not find it;"),
        "{lines:#?}"
    );
    assert!(
        lines[2].starts_with("virtual table search_index: does not hold exactly the texts of search_items (FTS5's integrity-check says: "),
        "{lines:#?}"
    );
    repair(&env);
    assert_whole(&env);
    assert!(hits(&env, "zebras").is_empty());
    assert_eq!(hits(&env, "refounded"), ["zola-vs-gaulle|summary|-|-"]);
}

/// A dropped table of name parts is derived again from the names; a
/// dropped table of the documents is not made again empty (its sections'
/// rows would be orphans): the repair refuses and says to restore a copy.
#[test]
fn a_dropped_derived_table_is_made_again_and_a_dropped_document_table_is_refused() {
    let env = Env::new();
    four_documents(&env);
    let db = env.db();
    let parts = env.rows(&db, "SELECT * FROM figure_name_parts ORDER BY 1, 2");
    let Some(()) = shell(&env, "DROP TABLE figure_name_parts") else {
        return;
    };
    let said = repair(&env);
    assert!(
        said.contains("made the missing table figure_name_parts again\n")
            && said.contains("derived the name parts of 6 figures again\n"),
        "{said}"
    );
    assert_eq!(
        env.rows(&db, "SELECT * FROM figure_name_parts ORDER BY 1, 2"),
        parts
    );
    assert_whole(&env);

    let Some(()) = shell(&env, "DROP TABLE paragraphs") else {
        return;
    };
    let lines = assert_not_whole(&env);
    assert!(
        lines.contains(&"table paragraphs: is missing: versus cannot use the documents' rows in it, and its rows are gone; restore the file from a copy (versus does not make a table of the documents again empty: the rows that belong to its rows would be orphans)".to_string()),
        "{lines:#?}"
    );
    let before = bytes(&db);
    env.versus(&["check", "--repair"]).assert().code(8);
    assert_eq!(bytes(&db), before);
}

/// The content of a database, without ids: every cell of every document's
/// table, every paragraph with the figure it is about, every figure with
/// its name parts, and every search text, sorted. (Not `source`: an
/// unchanged document keeps the path it was first imported from.)
fn content(env: &Env, db: &Path) -> Vec<Vec<String>> {
    [
        "SELECT * FROM comparison_table",
        "SELECT * FROM section_paragraphs",
        "SELECT d.slug, d.title, d.summary FROM documents AS d ORDER BY d.slug",
        "SELECT f.name, f.surname, group_concat(p.part, ' ') FROM figures AS f
         LEFT JOIN (SELECT * FROM figure_name_parts ORDER BY figure_id, position) AS p ON p.figure_id = f.id
         GROUP BY f.id ORDER BY f.name",
        "SELECT s.kind, d.slug, s.label, f.name, s.text FROM search_items AS s
         JOIN documents AS d ON d.id = s.document_id LEFT JOIN figures AS f ON f.id = s.figure_id
         ORDER BY 1, 2, 3, 4, 5",
    ]
    .iter()
    .map(|sql| env.rows(db, sql))
    .collect()
}

/// The import writes with foreign keys off (see `store::prepare_for_bulk`):
/// successive imports that add, replace (figures renamed, so that figures
/// no document compares any more must go), keep unchanged and share
/// figures between documents leave no foreign key broken, a database
/// `versus check` finds whole, and the very content that importing the
/// final documents into a new database gives.
#[test]
fn successive_imports_leave_what_one_fresh_import_of_the_final_documents_gives() {
    let env = Env::seeded();
    // Shared surnames, shared figures, particles and initials.
    let names = [
        "John Adams",
        "Samuel Adams",
        "John Quincy Adams",
        "Anna de la Cruz",
        "Rosa Cruz",
        "Karl Marx",
        "Friedrich Engels",
        "Leon Trotsky",
        "Lev D. Bronstein",
        "Mary Shelley",
        "Percy Bysshe Shelley",
        "Ada Lovelace",
    ];
    let mut seed = 7u64;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    let mut titles: Vec<Vec<String>> = Vec::new();
    while titles.len() < 24 {
        let count = 2 + next(2);
        let mut figures: Vec<String> = Vec::new();
        while figures.len() < count {
            let name = names[next(names.len())].to_string();
            if !figures.contains(&name) {
                figures.push(name);
            }
        }
        let key = figures.join(" vs. ").to_lowercase();
        if !titles.iter().any(|t| t.join(" vs. ").to_lowercase() == key) {
            titles.push(figures);
        }
    }
    let document = |figures: &[String], marker: &str| {
        let refs: Vec<&str> = figures.iter().map(String::as_str).collect();
        let paragraphs: Vec<String> = figures
            .iter()
            .rev()
            .map(|f| format!("{f} did it ({marker})."))
            .collect();
        let paragraphs: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
        crate::identity::comparison(&refs, marker, &paragraphs)
    };
    std::fs::create_dir(env.path("one")).unwrap();
    std::fs::create_dir(env.path("two")).unwrap();
    for (i, figures) in titles.iter().take(18).enumerate() {
        env.write(&format!("one/{i:02}.txt"), &document(figures, "first"));
    }
    // The second round: the first six unchanged, six changed, six with
    // their figures' names in capitals (the same title, other figures),
    // and six new documents.
    for (i, figures) in titles.iter().enumerate() {
        let text = match i / 6 {
            0 => document(figures, "first"),
            1 | 3 => document(figures, "second"),
            _ => document(
                &figures.iter().map(|f| f.to_uppercase()).collect::<Vec<_>>(),
                "second",
            ),
        };
        env.write(&format!("two/{i:02}.txt"), &text);
    }
    for round in ["one", "two", "two"] {
        env.versus(&["import", round]).assert().success();
        assert_eq!(
            env.rows(&env.db(), "PRAGMA foreign_key_check"),
            Vec::<String>::new(),
            "after importing {round}"
        );
        assert_whole(&env);
    }
    let fresh = Env::new();
    fresh.init();
    std::fs::create_dir(fresh.path("two")).unwrap();
    for entry in std::fs::read_dir(env.path("two")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, fresh.path("two").join(path.file_name().unwrap())).unwrap();
    }
    fresh.versus(&["import", "two"]).assert().success();
    let (have, want) = (content(&env, &env.db()), content(&fresh, &fresh.db()));
    for (table, (have, want)) in have.iter().zip(&want).enumerate() {
        assert_eq!(have, want, "query {table}");
    }
    // Renamed figures that no document compares any more are gone.
    assert_eq!(
        env.rows(&env.db(), "SELECT count(*) FROM figures"),
        fresh.rows(&fresh.db(), "SELECT count(*) FROM figures")
    );
}
