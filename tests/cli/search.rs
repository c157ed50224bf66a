//! Full-text search: plain words, prefixes, raw FTS5 syntax, filters, and an
//! index that follows changes made by any tool.

use crate::support::*;

/// Hits as `kind|found_in|figure` lines (CSV without the header).
fn hits(env: &Env, args: &[&str]) -> Vec<String> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&stdout_of(&mut env.versus(&all))).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}|{}|{}",
                r["kind"].as_str().unwrap(),
                r["found_in"].as_str().unwrap_or("-"),
                r["figure"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn five_year_plans_finds_stalins_value_and_paragraph_and_nothing_about_trotsky() {
    let env = Env::seeded();
    let mut found = hits(&env, &["five-year", "plans"]);
    found.sort();
    assert_eq!(
        found,
        [
            "paragraph|Leadership Style|Joseph Stalin",
            "value|Economic policies|Joseph Stalin"
        ]
    );
    let out = stdout_of(&mut env.versus(&["search", "five-year plans", "--format", "csv"]));
    assert!(
        out.contains("[Five]-[Year] [Plans]"),
        "snippets mark the words: {out}"
    );
}

#[test]
fn a_phrase_finds_trotskys_foreign_policy_paragraph() {
    let env = Env::seeded();
    assert_eq!(
        hits(&env, &["permanent revolution"]),
        ["paragraph|Foreign Policy|Leon Trotsky"]
    );
    assert_eq!(
        hits(&env, &["--raw", "\"permanent revolution\""]),
        ["paragraph|Foreign Policy|Leon Trotsky"]
    );
}

#[test]
fn a_prefix_finds_every_paragraph_that_names_trotsky() {
    let env = Env::seeded();
    let found = hits(&env, &["trotsk*", "--limit", "100"]);
    let paragraphs: Vec<&String> = found
        .iter()
        .filter(|h| h.starts_with("paragraph|"))
        .collect();
    let naming = env.rows(
        &env.db(),
        "SELECT count(*) FROM paragraphs WHERE text LIKE '%Trotsky%'",
    )[0]
    .parse::<usize>()
    .unwrap();
    assert_eq!(paragraphs.len(), naming, "{found:?}");
    assert!(
        found.contains(&"value|Political ideology|Leon Trotsky".to_string()),
        "Trotskyism: {found:?}"
    );
}

#[test]
fn filters_by_document_and_figure_and_limit() {
    let env = Env::seeded();
    env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
        .assert()
        .success();
    let all = hits(&env, &["revolution", "--limit", "100"]);
    let lenin = hits(
        &env,
        &[
            "revolution",
            "--document",
            "lenin-vs-trotsky",
            "--limit",
            "100",
        ],
    );
    assert!(!lenin.is_empty() && lenin.len() < all.len());
    let trotsky = hits(
        &env,
        &["revolution", "--figure", "trotsky", "--limit", "100"],
    );
    assert!(
        !trotsky.is_empty() && trotsky.iter().all(|h| h.ends_with("|Leon Trotsky")),
        "{trotsky:?}"
    );
    assert_eq!(hits(&env, &["revolution", "--limit", "2"]).len(), 2);
}

#[test]
fn a_bad_raw_query_is_a_clear_error() {
    let env = Env::seeded();
    for query in ["\"unbalanced", "AND AND"] {
        let out = env.versus(&["search", "--raw", query]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{query}: {stderr}");
        assert!(
            stderr.starts_with(&format!(
                "versus: the search {query:?} is not valid FTS5 query syntax"
            )),
            "{stderr}"
        );
        assert!(stderr.contains("leave out --raw"), "{stderr}");
    }
    // The same words without --raw are plain words: "and" is in the seed.
    assert!(!hits(&env, &["AND AND"]).is_empty());
    // Punctuation alone, or a lone *, is no word: the message says what to
    // type, not which --param of the named query it went to.
    for words in ["-- !", "*"] {
        env.versus(&["search", "--", words])
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!(
                "versus: {words:?} holds no word to search for (punctuation and a lone * are not words); give a word, or the start of one with * after it (trotsk*)\n"
            ));
    }
}

/// A search that fails on its input in an empty folder does not leave the
/// default database behind: the words, the filters and a raw query are
/// checked before it is created.
#[test]
fn a_search_that_fails_creates_no_default_database() {
    let env = Env::new();
    let cases: &[(&[&str], &str)] = &[
        (
            &["search", ""],
            "versus: give at least one word to search for\n",
        ),
        (
            &["search", "*"],
            "versus: \"*\" holds no word to search for (punctuation and a lone * are not words); give a word, or the start of one with * after it (trotsk*)\n",
        ),
        (
            &["search", "purge", "--document", "nope"],
            "versus: no document \"nope\"; run `versus query documents` for the list\n",
        ),
        (
            &["search", "purge", "--figure", "nobody"],
            "versus: no figure \"nobody\"; run `versus query figures` for the list\n",
        ),
        (
            &["search", "--raw", "AND AND"],
            "versus: the search \"AND AND\" is not valid FTS5 query syntax (fts5: syntax error near \"AND\"); fix it, or leave out --raw to search for the plain words\n",
        ),
    ];
    for (args, stderr) in cases {
        env.versus(args).assert().code(2).stdout("").stderr(*stderr);
        assert!(env.files().is_empty(), "{args:?} created {:?}", env.files());
    }
    assert_eq!(
        hits(&env, &["permanent revolution"]),
        ["paragraph|Foreign Policy|Leon Trotsky"]
    );
    assert_eq!(env.files(), ["versus.db"]);
}

/// FTS5's snippet() takes time that grows with the square of the hits in
/// one text (a paragraph holding one word 20,000 times took seconds, 80,000
/// times more than a minute). Texts of up to 5000 characters get one; a
/// longer text shows its first 200 characters. Normal texts keep theirs.
#[test]
fn a_paragraph_with_tens_of_thousands_of_hits_is_searched_at_once() {
    let env = Env::seeded();
    let normal = stdout_of(&mut env.versus(&["search", "revolution", "--format", "csv"]));
    let start = "Joseph Stalin and Leon Trotsky were two prominent figures";
    let paragraph = SEED.lines().find(|l| l.starts_with(start)).unwrap();
    let long = format!("Stalin wrote{}.", " revolution".repeat(40_000));
    let doc = SEED.replace(paragraph, &long);
    env.versus(&["import", env.write("long.txt", &doc).to_str().unwrap()])
        .assert()
        .success();
    let began = std::time::Instant::now();
    let out = env
        .versus(&["search", "revolution", "--format", "json"])
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    let took = began.elapsed();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(took.as_secs_f64() < 5.0, "the search took {took:?}");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    let first = &rows[0];
    assert_eq!(first["found_in"], "Background", "{first}");
    let snippet = first["snippet"].as_str().unwrap();
    assert_eq!(
        snippet,
        format!("{}…", &long[..200]),
        "a long text shows its start"
    );
    // Every other hit keeps the snippet it had.
    let after = stdout_of(&mut env.versus(&["search", "revolution", "--format", "csv"]));
    let without_background = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.contains(",Background,"))
            .map(|l| l.rsplit_once(',').unwrap().0.to_string())
            .collect()
    };
    let mut expected = without_background(&normal);
    let mut found = without_background(&after);
    expected.sort();
    found.sort();
    assert!(expected.len() > 5, "{normal}");
    assert_eq!(found, expected);
}

#[test]
fn search_is_a_named_query_too() {
    let env = Env::seeded();
    let list = stdout_of(&mut env.versus(&["queries", "--format", "csv"]));
    assert!(list.contains("search,Full-text search,"), "{list}");
    let by_query = stdout_of(&mut env.versus(&[
        "query",
        "search",
        "-p",
        "q=permanent revolution",
        "--format",
        "csv",
    ]));
    let by_search =
        stdout_of(&mut env.versus(&["search", "permanent revolution", "--format", "csv"]));
    assert_eq!(by_query, by_search);
    let Some(shell) = system_tool("sqlite3") else {
        return;
    };
    let sql = stdout_of(&mut env.versus(&[
        "query",
        "search",
        "-p",
        "q=permanent revolution",
        "--show-sql",
    ]));
    let out = std::process::Command::new(shell)
        .arg("-json")
        .arg(env.db())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(sql.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    let from_shell: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let from_versus: serde_json::Value = serde_json::from_str(&stdout_of(&mut env.versus(&[
        "search",
        "permanent revolution",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(from_shell, from_versus);
}

/// SQLite reads a negative LIMIT as no limit at all: `query search -p
/// limit=-1` returned every hit while `search --limit -1` was refused.
/// Both refuse it now, with one line and exit code 2, as does any query
/// (the user's own too, and in the shell) whose LIMIT takes a parameter.
#[test]
fn a_negative_limit_is_refused_by_search_and_by_the_named_query_alike() {
    let env = Env::seeded();
    let refused = |args: &[&str], message: &str| {
        env.versus(args).assert().code(2).stdout("").stderr(
            predicates::prelude::PredicateBooleanExt::and(
                predicates::str::contains(message),
                predicates::str::contains("\n").count(1),
            ),
        );
    };
    let why = "expected a whole number 0 or more";
    refused(&["search", "stalin", "--limit", "-1"], why);
    refused(&["search", "stalin", "--limit=-5"], why);
    refused(
        &["query", "search", "-p", "q=stalin", "-p", "limit=-1"],
        "versus: --param limit=\"-1\": expected a whole number 0 or more: the query \"search\" gives it to LIMIT, where SQLite reads a negative number as no limit at all\n",
    );
    // 0 is a limit: no hits, in both.
    for args in [
        &["search", "stalin", "--limit", "0", "--format", "csv"][..],
        &[
            "query", "search", "-p", "q=stalin", "-p", "limit=0", "--format", "csv",
        ],
    ] {
        assert_eq!(
            stdout_of(&mut env.versus(args)),
            "document,kind,found_in,figure,snippet,score\r\n"
        );
    }
    // A query of your own whose LIMIT takes a parameter, and the shell.
    env.write(
        "longest.sql",
        "-- name: longest paragraphs\n-- title: Longest paragraphs\n-- description: The longest paragraphs.\n-- param: n (integer, default 2) How many\nSELECT length(text) AS chars FROM paragraphs ORDER BY chars DESC\nLIMIT (:n);\n",
    );
    refused(
        &[
            "--queries",
            "longest.sql",
            "query",
            "longest paragraphs",
            "-p",
            "n=-2",
        ],
        "--param n=\"-2\": expected a whole number 0 or more",
    );
    env.versus(&["shell"])
        .write_stdin("search q=stalin limit=-1\n")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "--param limit=\"-1\": expected a whole number 0 or more",
        ));
}

#[test]
fn changes_made_by_any_tool_stay_searchable() {
    let env = Env::seeded();
    env.versus(&[
        "sql",
        "--write",
        "UPDATE paragraphs SET text = 'Stalin admired zebras.' WHERE id = 2",
    ])
    .assert()
    .success();
    assert_eq!(
        hits(&env, &["zebras"]),
        ["paragraph|Leadership Style|Joseph Stalin"]
    );
    assert!(
        hits(&env, &["centralized", "style"]).is_empty(),
        "the old text is gone from the index"
    );
    // Another program, through plain SQLite.
    rusqlite::Connection::open(env.db())
        .unwrap()
        .execute_batch("UPDATE attributes SET value = 'Quokkas' WHERE position = 1 AND figure_id = 2; DELETE FROM sections WHERE heading = 'Legacy';")
        .unwrap();
    assert_eq!(
        hits(&env, &["quokkas"]),
        ["value|Role in Russian Revolution|Leon Trotsky"]
    );
    assert!(
        hits(&env, &["contentious"]).is_empty(),
        "deleted sections leave the index"
    );
    // Re-importing the seed puts everything back.
    env.versus(&["import", env.write("seed.txt", SEED).to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(
        hits(&env, &["contentious"]),
        ["paragraph|Legacy|Leon Trotsky"]
    );
    assert!(hits(&env, &["zebras"]).is_empty());
}

#[test]
fn reindex_rebuilds_the_index_from_the_documents() {
    let env = Env::seeded();
    // Break the index behind versus's back, as a careless tool might.
    rusqlite::Connection::open(env.db())
        .unwrap()
        .execute_batch("DROP TRIGGER paragraphs_search_update; UPDATE paragraphs SET text = 'Walruses everywhere.' WHERE id = 1;")
        .unwrap();
    assert!(hits(&env, &["walruses"]).is_empty());
    env.versus(&["reindex"])
        .assert()
        .success()
        .stdout("rebuilt the search index of versus.db: 25 texts\n");
    assert_eq!(
        hits(&env, &["walruses"]),
        ["paragraph|Background|Joseph Stalin"]
    );
    assert_eq!(integrity_check(&env), "ok");
    // The dropped trigger is back: later changes are searchable again.
    env.versus(&[
        "sql",
        "--write",
        "UPDATE paragraphs SET text = 'Narwhals too.' WHERE id = 1",
    ])
    .assert()
    .success();
    assert_eq!(
        hits(&env, &["narwhals"]),
        ["paragraph|Background|Joseph Stalin"]
    );
    // Even a dropped index comes back.
    rusqlite::Connection::open(env.db())
        .unwrap()
        .execute_batch("DROP TABLE search_index")
        .unwrap();
    env.versus(&["reindex"])
        .assert()
        .success()
        .stdout("rebuilt the search index of versus.db: 25 texts\n");
    assert_eq!(
        hits(&env, &["narwhals"]),
        ["paragraph|Background|Joseph Stalin"]
    );
    assert_eq!(integrity_check(&env), "ok");
}

/// SQLite's and FTS5's own consistency checks ("ok" when both pass).
fn integrity_check(env: &Env) -> String {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    if let Err(e) = conn.execute(
        "INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)",
        [],
    ) {
        return format!("FTS5: {e}");
    }
    env.rows(&env.db(), "PRAGMA integrity_check").join("\n")
}

/// The search rows Datasette's and sqlite-utils' own detection finds: the
/// FTS table whose SQL holds `content="search_items"` (or `[search_items]`),
/// as `datasette.utils.detect_fts` and sqlite-utils' `Table.detect_fts`
/// look for it.
fn detected_fts(db: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            r#"SELECT name FROM sqlite_master WHERE rootpage = 0 AND (
                   sql LIKE '%VIRTUAL TABLE%USING FTS%content="search\_items"%' ESCAPE '\'
                   OR sql LIKE '%VIRTUAL TABLE%USING FTS%content=[search\_items]%' ESCAPE '\'
                   OR (tbl_name = 'search_items' AND sql LIKE '%VIRTUAL TABLE%USING FTS%'))"#,
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

/// The ids and ranks FTS5 gives for a query, straight from the index.
fn ranked(db: &std::path::Path, query: &str) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT rowid, rank FROM search_index WHERE search_index MATCH ?1 ORDER BY rank, rowid",
        )
        .unwrap();
    stmt.query_map([query], |r| {
        Ok(format!(
            "{}|{:.9}",
            r.get::<_, i64>(0)?,
            r.get::<_, f64>(1)?
        ))
    })
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

#[test]
fn sqlite_utils_searches_search_items_and_rebuilds_its_index() {
    let Some(sqlite_utils) = crate::peers::sqlite_utils() else {
        return;
    };
    let env = Env::seeded();
    env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
        .assert()
        .success();
    let db = env.db();
    let db_arg = db.to_str().unwrap();
    assert_eq!(detected_fts(&db), ["search_index"]);
    let before =
        stdout_of(&mut env.versus(&["search", "revolution", "--limit", "100", "--format", "json"]));
    let out = crate::peers::run(
        &sqlite_utils,
        &["search", db_arg, "search_items", "revolution"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut found: Vec<i64> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    found.sort();
    let mut expected: Vec<i64> = ranked(&db, "revolution")
        .iter()
        .map(|r| r.split('|').next().unwrap().parse().unwrap())
        .collect();
    expected.sort();
    assert!(expected.len() > 3, "{expected:?}");
    assert_eq!(found, expected, "sqlite-utils finds what the index holds");
    let all = env.count(&db, "search_items") as usize;
    assert!(found.len() < all, "and filters");
    // rebuild-fts rebuilds the index from search_items: versus's search is
    // as it was, the hash size setting is kept, and the database is whole.
    let out = crate::peers::run(&sqlite_utils, &["rebuild-fts", db_arg, "search_items"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after =
        stdout_of(&mut env.versus(&["search", "revolution", "--limit", "100", "--format", "json"]));
    assert_eq!(after, before);
    assert_eq!(
        env.rows(
            &db,
            "SELECT v FROM search_index_config WHERE k = 'hashsize'"
        ),
        ["3145728"]
    );
    env.versus(&["check"]).assert().success();
}

#[test]
fn datasette_filters_search_items_and_shows_a_search_box() {
    let Some(datasette) = crate::peers::datasette() else {
        return;
    };
    let python = datasette.with_file_name("python");
    let env = Env::seeded();
    env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
        .assert()
        .success();
    let script = env.write(
        "search.py",
        r#"
import asyncio, json, sys
from datasette.app import Datasette

async def main(path):
    ds = Datasette([path])
    found = await ds.client.get("/versus/search_items.json?_search=revolution&_shape=array&_size=max")
    page = await ds.client.get("/versus/search_items")
    print(json.dumps({
        "status": found.status_code,
        "ids": sorted(row["id"] for row in found.json()),
        "search_box": 'name="_search"' in page.text,
    }))

asyncio.run(main(sys.argv[1]))
"#,
    );
    let out = std::process::Command::new(&python)
        .arg(&script)
        .arg(env.db())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut expected: Vec<i64> = ranked(&env.db(), "revolution")
        .iter()
        .map(|r| r.split('|').next().unwrap().parse().unwrap())
        .collect();
    expected.sort();
    assert!(expected.len() > 3 && (expected.len() as i64) < env.count(&env.db(), "search_items"));
    assert_eq!(
        answer,
        serde_json::json!({"status": 200, "ids": expected, "search_box": true})
    );
}

/// A database as versus 3 left it: its FTS5 table in the form no other
/// tool detects, with the hash size setting, and documents with accents
/// and quotes written through its triggers.
fn version_3_database(env: &Env) -> std::path::PathBuf {
    let db = env.db();
    let conn = database_at_version(&db, 3);
    conn.execute_batch(
        "INSERT INTO documents (id, slug, title, title_key, summary, source)
             VALUES (3, 'zola-vs-o-neill', 'Émile Zola vs. Rosa O''Neill', 'émile zola vs. rosa o''neill', 'Zola wrote « J''accuse »; O''Neill drew \"Kewpies\" for the Révolution of manners.', 'a.txt');
         INSERT INTO figures (id, name, surname) VALUES (1, 'Émile Zola', 'Zola'), (2, 'Rosa O''Neill', 'O''Neill');
         INSERT INTO figure_name_parts VALUES (1, 1, 'Émile'), (1, 2, 'Zola'), (2, 1, 'Rosa'), (2, 2, 'O''Neill');
         INSERT INTO document_figures VALUES (3, 1, 1), (3, 2, 2);
         INSERT INTO attributes (document_id, position, name, topic, figure_id, value)
             VALUES (3, 1, 'Cause', 'cause', 1, 'Dreyfus'' defence, a revolution'), (3, 1, 'Cause', 'cause', 2, 'women''s suffrage');
         INSERT INTO sections (id, document_id, position, heading, topic) VALUES (5, 3, 1, 'L''Affaire « Dreyfus »', 'affaire dreyfus');
         INSERT INTO paragraphs (section_id, position, figure_id, text) VALUES
             (5, 1, 1, 'Zola''s letter named the généraux: a REVOLUTION in the press.'),
             (5, 2, 2, 'O''Neill''s drawings sold the ''Kewpie'' to millions.');",
    )
    .unwrap();
    db
}

#[test]
fn a_version_3_database_upgrades_to_an_index_the_peers_detect_with_the_same_results() {
    let env = Env::new();
    let db = version_3_database(&env);
    assert!(detected_fts(&db).is_empty(), "version 3 hid it");
    let queries = ["revolution", "generaux", "kewpie*", "\"o neill\""];
    let before: Vec<Vec<String>> = queries.iter().map(|q| ranked(&db, q)).collect();
    assert!(before.iter().all(|r| !r.is_empty()), "{before:?}");
    env.versus(&["migrate"])
        .assert()
        .success()
        .stdout("applied migration V4__whole_and_visible\napplied migration V5__faster_import\napplied migration V6__titles_to_key\napplied migration V7__unresolved_rows\napplied migration V8__every_script\napplied migration V9__search_inside_spaceless_runs\napplied migration V10__fewer_index_merges\n");
    assert_eq!(detected_fts(&db), ["search_index"]);
    let after: Vec<Vec<String>> = queries.iter().map(|q| ranked(&db, q)).collect();
    assert_eq!(after, before, "the same rows, ranked the same");
    assert_eq!(
        env.rows(&db, "SELECT k, v FROM search_index_config ORDER BY k"),
        ["automerge|16", "hashsize|3145728", "version|4"],
        "the hash size of version 5"
    );
    assert_eq!(integrity_check(&env), "ok");
    env.versus(&["check"]).assert().success();
    assert_eq!(
        hits(&env, &["revolution"]),
        [
            "value|Cause|Émile Zola",
            "paragraph|L'Affaire « Dreyfus »|Émile Zola",
            "summary|-|-"
        ]
    );
    // And the triggers of version 4 work on it: a deletion in the shell
    // leaves nothing.
    let Some(out) = sqlite3(&db, &["DELETE FROM documents; PRAGMA foreign_key_check;"]) else {
        return;
    };
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(
        env.count(&db, "figures") + env.count(&db, "search_items"),
        0
    );
    env.versus(&["check"]).assert().success();
}

/// The issue's damage done before this version: a version 3 database whose
/// search_items another tool dropped still takes migration 4, and `versus
/// check` then says what is missing and `--repair` rebuilds it.
#[test]
fn a_version_3_database_whose_search_table_was_dropped_upgrades_and_is_repaired() {
    let env = Env::new();
    let db = version_3_database(&env);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("DROP TABLE search_items")
        .unwrap();
    env.versus(&["migrate"])
        .assert()
        .success()
        .stdout("applied migration V4__whole_and_visible\napplied migration V5__faster_import\napplied migration V6__titles_to_key\napplied migration V7__unresolved_rows\napplied migration V8__every_script\napplied migration V9__search_inside_spaceless_runs\napplied migration V10__fewer_index_merges\n");
    assert_eq!(detected_fts(&db), ["search_index"]);
    env.versus(&["check"])
        .assert()
        .code(8)
        .stdout("table search_items: 6 texts of the documents are missing from it: searches do not find them; `versus reindex` (or `versus check --repair`) rebuilds the search tables from the documents\n");
    env.versus(&["check", "--repair"]).assert().success();
    env.versus(&["check"]).assert().success();
    assert_eq!(hits(&env, &["kewpie*"]).len(), 2);
}

/// An import that replaces documents among others: the old texts leave the
/// index, the new ones are found, and FTS5's own check passes (the old
/// rows are taken out in one statement at the end of the import).
#[test]
fn replaced_documents_leave_the_index_and_their_new_text_is_found() {
    let env = Env::seeded();
    env.write("lenin.txt", LENIN);
    env.versus(&["import", "lenin.txt"]).assert().success();
    let old_word = "Stalin was known for his ruthless tactics";
    assert!(SEED.contains(old_word));
    env.write(
        "seed-new.txt",
        &SEED.replace(old_word, "Stalin was known for his zanzibarian tactics"),
    );
    env.write(
        "lenin-new.txt",
        &LENIN.replacen(
            "What's the Difference?\n\n",
            "What's the Difference?\n\nQuuxotic. ",
            1,
        ),
    );
    env.versus(&["import", "seed-new.txt", "lenin-new.txt"])
        .assert()
        .success();
    let hits = |words: &str| {
        stdout_of(&mut env.versus(&["search", words, "--format", "csv"]))
            .lines()
            .count()
            - 1
    };
    assert_eq!(hits("ruthless tactics"), 0);
    assert_eq!(hits("zanzibarian"), 1);
    assert_eq!(hits("quuxotic"), 1);
    env.versus(&["check"]).assert().success();
    let db = env.db();
    assert_eq!(
        env.rows(
            &db,
            "SELECT count(*) FROM search_items WHERE document_id NOT IN (SELECT id FROM documents)"
        ),
        ["0"]
    );
}

/// The snippets `versus search ARGS` finds, as JSON gives them.
fn snippets(env: &Env, args: &[&str]) -> Vec<String> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json", "--limit", "100"]);
    let rows: serde_json::Value = serde_json::from_str(&stdout_of(&mut env.versus(&all))).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["snippet"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn words_inside_runs_of_chinese_and_japanese_are_found_and_stay_found_after_any_tool_changes_them()
{
    let env = Env::seeded();
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/realistic/oda-vs-toyotomi.txt");
    env.versus(&["import", file.to_str().unwrap()])
        .assert()
        .success();
    // Three characters inside a run, through the trigram index.
    let found = snippets(&env, &["本能寺"]);
    assert!(!found.is_empty());
    assert!(found.iter().all(|s| s.contains("[本能寺]")), "{found:?}");
    // Two characters, which have no trigram.
    let found = snippets(&env, &["秀吉"]);
    assert!(found.len() > 3, "{found:?}");
    assert!(found.iter().all(|s| s.contains("[秀吉]")), "{found:?}");
    // A Latin word is still found by words, and only so.
    assert_eq!(
        hits(&env, &["Trotsky", "--limit", "100"]).len(),
        hits(&env, &["trotsky", "--limit", "100"]).len()
    );
    assert!(snippets(&env, &["存在しない語"]).is_empty());

    // Another tool's change is searchable at once (the triggers).
    env.versus(&[
        "sql",
        "--write",
        "UPDATE paragraphs SET text = text || '安土桃山' WHERE id = (SELECT min(id) FROM paragraphs)",
    ])
    .assert()
    .success();
    assert_eq!(snippets(&env, &["安土桃山"]).len(), 1);
    env.versus(&["check"]).assert().success();

    // Dropped by another tool, the trigram index is named and rebuilt.
    env.versus(&["sql", "--write", "DROP TABLE search_cjk"])
        .assert()
        .success();
    let out = env.versus(&["check"]).assert().code(8).get_output().clone();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("search_cjk"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    env.versus(&["check", "--repair"]).assert().success();
    assert_eq!(snippets(&env, &["安土桃山"]).len(), 1);
    assert!(!snippets(&env, &["本能寺"]).is_empty());
    env.versus(&["reindex"]).assert().success();
    assert!(!snippets(&env, &["本能寺"]).is_empty());
    env.versus(&["check"]).assert().success();
}

#[test]
fn a_damaged_index_is_named_as_the_index_searches_say_so_and_the_repair_rebuilds_it() {
    let env = Env::seeded();
    // Another tool writes garbage into the index's blocks.
    rusqlite::Connection::open(env.db())
        .unwrap()
        .execute_batch("UPDATE search_index_data SET block = x'00112233' WHERE id > 10")
        .unwrap();
    let out = env.versus(&["check"]).assert().code(8).get_output().clone();
    let listed = String::from_utf8(out.stdout).unwrap();
    assert!(
        listed.starts_with(
            "virtual table search_index: PRAGMA integrity_check says: fts5: corruption found"
        ),
        "{listed}"
    );
    assert!(!listed.contains("damaged page"), "{listed}");
    env.versus(&["search", "revolution"])
        .assert()
        .code(4)
        .stdout("")
        .stderr(predicates::str::starts_with(
            "versus: the full-text index is damaged (fts5: corruption found",
        ))
        .stderr(predicates::str::contains("`versus reindex` rebuilds it"));
    env.versus(&["check", "--repair"]).assert().success();
    env.versus(&["check"]).assert().success();
    assert!(!hits(&env, &["revolution"]).is_empty());
}
