//! Named queries: every built-in on the seed against expected files, name
//! matching, parameters, `<topic> differences`, user queries, `--show-sql`.

use crate::support::*;

/// Every built-in query with the parameters its golden file uses.
const GOLDEN: &[(&str, &[&str])] = &[
    ("comparison table", &[]),
    (
        "differences",
        &["--param", "topic=Role in the Russian Revolution"],
    ),
    ("documents", &[]),
    ("economic policies differences", &[]),
    ("figures", &[]),
    ("foreign policy differences", &[]),
    ("leadership style differences", &[]),
    ("mentions", &["--param", "figure=trotsky"]),
    ("political ideology differences", &[]),
    ("role in the revolution differences", &[]),
    ("search", &["--param", "q=five-year plans"]),
    ("section", &["--param", "heading=legacy"]),
    ("sections", &[]),
    ("summary", &[]),
];

#[test]
fn every_built_in_query_on_the_seed_matches_its_expected_output() {
    let env = Env::new();
    env.init();
    let listed = stdout_of(&mut env.versus(&["queries", "--format", "csv"]));
    assert_eq!(
        listed.lines().count() - 1,
        GOLDEN.len(),
        "every built-in query has a golden file:\n{listed}"
    );
    for (name, params) in GOLDEN {
        for format in ["table", "json"] {
            let mut args = vec!["query", name, "--format", format];
            args.extend_from_slice(params);
            let out = without_times(&stdout_of(&mut env.versus(&args)));
            let file = format!(
                "queries/{}.{}",
                name.replace(' ', "-"),
                if format == "json" { "json" } else { "txt" }
            );
            assert_golden(&file, &out);
        }
    }
}

#[test]
fn the_quick_start_query_prints_stalin_and_trotsky_on_foreign_policy() {
    let env = Env::new();
    let out =
        stdout_of(&mut env.versus(&["query", "foreign policy differences", "--format", "json"]));
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["figure"], "Joseph Stalin");
    assert_eq!(rows[0]["value"], "Focused on expanding Soviet influence");
    assert!(
        rows[0]["paragraphs"]
            .as_str()
            .unwrap()
            .starts_with("Stalin's foreign policy")
    );
    assert_eq!(rows[1]["figure"], "Leon Trotsky");
    assert_eq!(rows[1]["value"], "Advocated for worldwide revolution");
    assert!(
        rows[1]["paragraphs"].as_str().unwrap().starts_with(
            "Trotsky, on the other hand, advocated for a policy of permanent revolution"
        )
    );
}

#[test]
fn a_fresh_folder_gets_the_default_database_from_the_seed_on_the_first_query() {
    let env = Env::new();
    env.versus(&["query", "summary", "--format", "csv"])
        .assert()
        .success()
        .stderr("versus: created versus.db with the bundled seed document (stalin-vs-trotsky); use --db or VERSUS_DB to choose another database\n");
    assert_eq!(env.files(), ["versus.db"]);
    env.versus(&["query", "summary"])
        .assert()
        .success()
        .stderr("");
}

#[test]
fn names_match_ignoring_case_and_separators_and_words_need_no_quotes() {
    let env = Env::new();
    env.init();
    let expected = stdout_of(&mut env.versus(&["query", "foreign policy differences"]));
    for name in [
        &["foreign-policy-differences"][..],
        &["Foreign_Policy  DIFFERENCES"],
        &["foreign", "policy", "differences"],
    ] {
        let mut args = vec!["query"];
        args.extend_from_slice(name);
        assert_eq!(stdout_of(&mut env.versus(&args)), expected, "{name:?}");
    }
}

#[test]
fn any_topic_differences_runs_differences_on_that_topic() {
    let env = Env::new();
    env.init();
    // A topic with only a section: values are NULL, paragraphs are there.
    let legacy = stdout_of(&mut env.versus(&["query", "legacy differences", "--format", "jsonl"]));
    let rows: Vec<serde_json::Value> = legacy
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(rows[0]["value"].is_null());
    assert!(
        rows[1]["paragraphs"]
            .as_str()
            .unwrap()
            .starts_with("Trotsky's legacy")
    );
    // A topic with only an attribute: paragraphs are NULL.
    let ideology =
        stdout_of(&mut env.versus(&["query", "political ideology differences", "--format", "csv"]));
    assert_eq!(
        ideology,
        "document,figure,attribute,value,paragraphs\r\nstalin-vs-trotsky,Joseph Stalin,Political ideology,\"Communism, Stalinism\",\r\nstalin-vs-trotsky,Leon Trotsky,Political ideology,\"Trotskyism, Marxism\",\r\n"
    );
    // A topic from a document imported later.
    env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
        .assert()
        .success();
    let party =
        stdout_of(&mut env.versus(&["query", "party organization differences", "--format", "csv"]));
    assert!(party.contains("lenin-vs-trotsky,Vladimir Lenin,Party organization,Disciplined party of professional revolutionaries,Lenin insisted"), "{party}");
    assert_eq!(party.lines().count(), 3);
}

#[test]
fn topics_match_ignoring_case_punctuation_and_small_words() {
    let env = Env::new();
    env.init();
    let out = stdout_of(&mut env.versus(&[
        "query",
        "differences",
        "--param",
        "topic=role in the russian revolution!",
        "--format",
        "csv",
    ]));
    assert!(out.contains("Role in Russian Revolution,Key figure in Bolshevik Revolution,\"Both Stalin and Trotsky"), "{out}");
    assert_eq!(out.lines().count(), 3);
}

#[test]
fn the_document_parameter_takes_a_slug_or_a_title_and_limits_the_answer() {
    let env = Env::new();
    env.init();
    env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
        .assert()
        .success();
    let all =
        stdout_of(&mut env.versus(&["query", "foreign policy differences", "--format", "csv"]));
    assert_eq!(all.lines().count(), 5);
    for document in [
        "lenin-vs-trotsky",
        "Vladimir Lenin vs. Leon Trotsky",
        "LENIN-VS-TROTSKY",
    ] {
        let one = stdout_of(&mut env.versus(&[
            "query",
            "foreign policy differences",
            "--param",
            &format!("document={document}"),
            "--format",
            "csv",
        ]));
        assert_eq!(one.lines().count(), 3, "{document}: {one}");
        assert!(
            one.lines()
                .skip(1)
                .all(|l| l.starts_with("lenin-vs-trotsky,")),
            "{one}"
        );
    }
    let table = stdout_of(&mut env.versus(&[
        "query",
        "comparison table",
        "-p",
        "document=lenin-vs-trotsky",
        "--format",
        "csv",
    ]));
    assert_eq!(
        table.lines().next().unwrap(),
        "document,attribute,Vladimir Lenin,Leon Trotsky"
    );
    let both = stdout_of(&mut env.versus(&["query", "comparison table", "--format", "csv"]));
    assert_eq!(
        both.lines().next().unwrap(),
        "document,attribute,Joseph Stalin,Leon Trotsky,Vladimir Lenin"
    );
    assert!(both.contains("lenin-vs-trotsky,Main role in 1917,,Chairman of the Petrograd Soviet,Leader of the Bolshevik Party"), "{both}");
}

#[test]
fn show_sql_of_each_query_gives_the_same_rows_in_the_sqlite3_shell() {
    let env = Env::new();
    env.init();
    env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
        .assert()
        .success();
    let Some(shell) = system_tool("sqlite3") else {
        return;
    };
    for (name, params) in GOLDEN {
        let mut args = vec!["query", name, "--show-sql"];
        args.extend_from_slice(params);
        let sql = stdout_of(&mut env.versus(&args));
        let mut child = std::process::Command::new(&shell)
            .arg("-json")
            .arg(env.db())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(sql.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.stderr.is_empty(),
            "{name}: {}\n{sql}",
            String::from_utf8_lossy(&out.stderr)
        );
        let from_shell: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or(serde_json::json!([]));
        let mut args = vec!["query", name, "--format", "json"];
        args.extend_from_slice(params);
        let from_versus: serde_json::Value =
            serde_json::from_str(&stdout_of(&mut env.versus(&args))).unwrap();
        assert_eq!(from_shell, from_versus, "{name}");
        assert!(
            !from_versus.as_array().unwrap().is_empty(),
            "{name} answers something"
        );
    }
}

#[test]
fn show_sql_binds_parameters_with_sqlite3_parameter_lines() {
    let env = Env::new();
    env.init();
    let sql = stdout_of(&mut env.versus(&[
        "query",
        "mentions",
        "-p",
        "figure=Trotsky",
        "-p",
        "document=Joseph Stalin vs. Leon Trotsky",
        "--show-sql",
    ]));
    assert!(sql.starts_with(".parameter set :figure \"'Leon Trotsky'\"\n.parameter set :document \"'stalin-vs-trotsky'\"\nSELECT"), "{sql}");
    assert!(
        sql.contains("AND d.slug = :document\n"),
        "the optional filter is in: {sql}"
    );
    let without =
        stdout_of(&mut env.versus(&["query", "mentions", "-p", "figure=Trotsky", "--show-sql"]));
    assert!(
        !without.contains(":document"),
        "the optional filter is out: {without}"
    );
}

#[test]
fn unknown_names_and_parameters_are_usage_errors_with_suggestions() {
    let env = Env::new();
    env.versus(&["query", "foriegn policy diferences"])
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with("versus: no query named \"foriegn policy diferences\"; did you mean \"foreign policy differences\""));
    env.versus(&["query", "sumary"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean \"summary\""));
    assert!(env.files().is_empty(), "a wrong name creates no database");
    env.init();
    env.versus(&["query", "differences", "--param", "topik=legacy"])
        .assert()
        .code(2)
        .stderr("versus: the query \"differences\" has no parameter \"topik\"; did you mean \"topic\"? its parameters: topic, document\n");
    env.versus(&["query", "differences"])
        .assert()
        .code(2)
        .stderr("versus: the query \"differences\" needs --param topic=<topic>: The attribute or section to compare, for example \"foreign policy\"\n");
    env.versus(&["query", "summary", "--param", "document=stalin-vs-trotzky"])
        .assert()
        .code(2)
        .stderr("versus: no document \"stalin-vs-trotzky\"; did you mean \"stalin-vs-trotsky\"? run `versus query documents` for the list\n");
    env.versus(&["query", "mentions", "--param", "figure=Trotski"])
        .assert()
        .code(2)
        .stderr("versus: no figure \"Trotski\"; did you mean \"Leon Trotsky\"? run `versus query figures` for the list\n");
    env.versus(&[
        "query",
        "foreign policy differences",
        "--param",
        "topic=legacy",
    ])
    .assert()
    .code(2)
    .stderr(predicates::str::starts_with(
        "versus: the query \"foreign policy differences\" sets topic itself",
    ));
    env.versus(&["query", "summary", "--param", "nokey"])
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with(
            "versus: invalid value 'nokey' for '--param <KEY=VALUE>': expected KEY=VALUE",
        ));
}

#[test]
fn your_own_queries_add_to_and_replace_the_built_ins() {
    let env = Env::new();
    env.init();
    std::fs::create_dir(env.path("mine")).unwrap();
    env.write(
        "mine/summary.sql",
        "-- name: Summary\n-- title: Just the titles\n-- description: Titles only.\nSELECT title FROM documents ORDER BY id;\n",
    );
    env.write(
        "mine/longest.sql",
        "-- name: longest paragraphs\n-- title: Longest paragraphs\n-- description: The longest paragraphs.\n-- param: limit (integer, default 2) How many\n-- param: echo (text, optional) Repeated back\nSELECT length(text) AS chars, :echo AS echo FROM paragraphs ORDER BY chars DESC LIMIT :limit;\n",
    );
    let list = stdout_of(&mut env.versus(&["queries", "--queries", "mine", "--format", "csv"]));
    assert!(
        list.contains(
            "Summary,Just the titles,\"\",\"yours, replaces the built-in: mine/summary.sql\""
        ),
        "{list}"
    );
    assert!(list.contains("longest paragraphs,Longest paragraphs,\"limit?: integer = 2, echo?: text\",yours: mine/longest.sql"), "{list}");
    assert_eq!(
        stdout_of(&mut env.versus(&["query", "summary", "--queries", "mine", "--format", "csv"])),
        "title\r\nJoseph Stalin vs. Leon Trotsky\r\n"
    );
    env.versus(&["query", "longest paragraphs", "--format", "csv"])
        .env("VERSUS_QUERIES", "mine")
        .assert()
        .success()
        .stdout("chars,echo\r\n499,\r\n443,\r\n");
    env.versus(&[
        "query",
        "longest paragraphs",
        "--queries",
        "mine",
        "-p",
        "limit=many",
    ])
    .assert()
    .code(2)
    .stderr("versus: --param limit=\"many\": expected a whole number\n");
    // Values are bound, never pasted into the SQL.
    let hostile = "x'); DROP TABLE figures; --";
    let out = stdout_of(&mut env.versus(&[
        "query",
        "longest paragraphs",
        "--queries",
        "mine",
        "-p",
        "limit=1",
        "-p",
        &format!("echo={hostile}"),
        "--format",
        "json",
    ]));
    assert_eq!(
        out,
        format!(
            "[\n  {{\"chars\":499,\"echo\":{}}}\n]\n",
            serde_json::to_string(hostile).unwrap()
        )
    );
    assert_eq!(env.count(&env.db(), "figures"), 2);
}

#[test]
fn a_broken_queries_file_names_its_line() {
    let env = Env::new();
    env.init();
    env.write(
        "bad.sql",
        "-- name: x\n-- param: n (number) a number\nSELECT :n;\n",
    );
    env.versus(&["query", "x", "--queries", "bad.sql"])
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with(
            "versus: bad.sql line 2: unknown parameter type \"number\"",
        ));
}

#[test]
fn a_named_query_that_writes_is_refused() {
    let env = Env::new();
    env.init();
    env.write("wipe.sql", "-- name: wipe\n-- title: Wipe\n-- description: Tries to delete.\nDELETE FROM paragraphs;\n");
    let before = bytes(&env.db());
    env.versus(&["query", "wipe", "--queries", "wipe.sql"])
        .assert()
        .code(6)
        .stderr("versus: refused DELETE from paragraphs: the named query \"wipe\" tries to write, and named queries only read; change the query, or use `versus sql --write` for changes\n");
    assert_eq!(bytes(&env.db()), before);
}

#[test]
fn a_flag_that_should_be_a_parameter_says_how_to_give_parameters() {
    let env = Env::new();
    env.versus(&["query", "comparison", "table", "--document", "x"])
        .assert()
        .code(2)
        .stderr("versus: unexpected argument '--document' found; parameters are given as --param NAME=VALUE; see `versus --help`\n");
}

#[test]
fn a_bad_value_from_the_environment_names_the_variable() {
    let env = Env::new();
    env.versus(&["queries"])
        .env("VERSUS_FORMAT", "bogus")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "the value comes from the environment variable VERSUS_FORMAT",
        ));
}
