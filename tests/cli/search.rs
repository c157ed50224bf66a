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
    let env = Env::new();
    env.init();
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
    let env = Env::new();
    env.init();
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
    let env = Env::new();
    env.init();
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
    let env = Env::new();
    env.init();
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
    let env = Env::new();
    env.init();
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
    let env = Env::new();
    env.init();
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
    let env = Env::new();
    env.init();
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

#[test]
fn changes_made_by_any_tool_stay_searchable() {
    let env = Env::new();
    env.init();
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
    let env = Env::new();
    env.init();
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
