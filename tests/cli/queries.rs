//! Named queries: every built-in on the seed against expected files, name
//! matching, parameters, `<topic> differences` on any document's topics and
//! the suggestions for a topic there is not, user queries, `--show-sql`.

use crate::support::*;

/// Every built-in query with the parameters its golden file uses, and the
/// quick start's `foreign policy differences`, which is `differences` with
/// the topic in its name.
const GOLDEN: &[(&str, &[&str])] = &[
    ("comparison table", &[]),
    (
        "differences",
        &["--param", "topic=Role in the Russian Revolution"],
    ),
    ("documents", &[]),
    ("figures", &[]),
    ("foreign policy differences", &[]),
    ("mentions", &["--param", "figure=trotsky"]),
    ("search", &["--param", "q=five-year plans"]),
    ("section", &["--param", "heading=legacy"]),
    ("sections", &[]),
    ("summary", &[]),
    ("unresolved", &[]),
];

/// Topics of its own: an attribute and a heading "Role in the revolution"
/// (the seed has "Role in Russian Revolution"), and "Foreign policy".
const ROBESPIERRE: &str = "Maximilien Robespierre vs. Georges Danton

What's the Difference?

Maximilien Robespierre and Georges Danton led the French Revolution and ended up on opposite sides of the Terror.

Comparison

Attribute | Maximilien Robespierre | Georges Danton
Role in the revolution | Leader of the Committee of Public Safety | Minister of Justice and orator of the Republic
Foreign policy | A defensive war against the coalition | Peace with the coalition powers

Further Detail

Role in the Revolution

Robespierre dominated the Committee of Public Safety during the Terror.

Danton roused Paris to defend the Republic in 1792.
";

/// "Foreign policy" again, and a section "Exile" that no other document has.
const CICERO: &str = "Marcus Tullius Cicero vs. Cato the Younger

What's the Difference?

Marcus Tullius Cicero and Cato the Younger defended the Roman Republic in different ways.

Comparison

Attribute | Marcus Tullius Cicero | Cato the Younger
Foreign policy | Favoured settlements with Rome's allies | Opposed every extraordinary command

Further Detail

Exile

Cicero spent a year in exile after the Catiline affair.

Cato chose death at Utica over Caesar's pardon.
";

/// A database with the documents written for these tests and not the seed.
fn without_the_seed(env: &Env) {
    env.init();
    env.versus(&[
        "import",
        env.write("robespierre.txt", ROBESPIERRE).to_str().unwrap(),
        env.write("cicero.txt", CICERO).to_str().unwrap(),
    ])
    .assert()
    .success();
    env.versus(&[
        "sql",
        "--write",
        "DELETE FROM documents WHERE slug = 'stalin-vs-trotsky'",
    ])
    .assert()
    .success();
}

/// A usage error: exit code 2, nothing on stdout, one line on stderr.
fn refused(env: &Env, args: &[&str]) -> String {
    let out = env.versus(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} printed something");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.starts_with("versus: "), "{stderr}");
    stderr
}

/// The title of the `<topic> differences` row of `versus queries`.
fn topics_row(listing_json: &str) -> String {
    let rows: serde_json::Value = serde_json::from_str(listing_json).unwrap();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "<topic> differences")
        .unwrap_or_else(|| panic!("no <topic> differences row: {listing_json}"));
    row["title"].as_str().unwrap().to_string()
}

#[test]
fn every_built_in_query_on_the_seed_matches_its_expected_output() {
    let env = Env::seeded();
    let listed = stdout_of(&mut env.versus(&["queries", "--format", "csv"]));
    let names: Vec<&str> = listed
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "comparison table",
            "differences",
            "<topic> differences",
            "documents",
            "figures",
            "mentions",
            "search",
            "section",
            "sections",
            "summary",
            "unresolved"
        ],
        "every built-in query has a golden file, and none is tied to the seed's topics:\n{listed}"
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
    let env = Env::seeded();
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
    let env = Env::seeded();
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
    let env = Env::seeded();
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
    let env = Env::seeded();
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
    let env = Env::seeded();
    env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
        .assert()
        .success();
    let Some(shell) = system_tool("sqlite3") else {
        return;
    };
    // A row kept as written, so that `unresolved` has one to give.
    add_unresolved_row(&env);
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
    let env = Env::seeded();
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

/// Runs SQL (the `--show-sql` output) in the sqlite3 shell, in the test's
/// folder, and returns its rows as JSON.
fn rows_in_the_shell(env: &Env, shell: &std::path::Path, sql: &str) -> serde_json::Value {
    use std::io::Write;
    let mut child = std::process::Command::new(shell)
        .arg("-json")
        .arg(env.db())
        .current_dir(env.dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(sql.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}\n{sql}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(serde_json::json!([]))
}

#[test]
fn show_sql_writes_every_value_so_the_sqlite3_shell_reads_back_exactly_it() {
    let env = Env::seeded();
    let Some(shell) = system_tool("sqlite3") else {
        return;
    };
    env.write(
        "echo.sql",
        "-- name: echo\n-- title: Echo\n-- description: Its parameters back.\n-- param: t (text, required) Text\n-- param: i (integer, optional) A whole number\n-- param: r (real, optional) A number\n-- param: rt (text, optional) The same number as text\nSELECT :t AS t, typeof(:t) AS tt, hex(:t) AS hex, :i AS i, typeof(:i) AS ti, typeof(:r) AS tr, :r = CAST(:rt AS REAL) AS same;\n",
    );
    let texts = [
        "<\n.shell touch pwned\n",
        "\n.shell touch pwned",
        "\"both\" 'quotes' \"",
        "'",
        "\"",
        r"back\slash \n \t \\ \0 \101",
        "\\",
        "ends in a backslash\\",
        "tab\there, cr\r\nlf",
        "é ü 日本 🙂 \u{202e}",
        "",
        " leading and trailing ",
        ".parameter set :t 1",
        "x'00' || char(10) -- not SQL",
        "\u{1}\u{7f}\u{1b}[1m",
    ];
    let numbers: [(&str, &str); 4] = [
        ("-9223372036854775808", "3.0"),
        ("4294967296", "2.5e301"),
        ("0", "0.1"),
        ("-1", "-1e-300"),
    ];
    for (n, text) in texts.iter().enumerate() {
        let (i, r) = numbers[n % numbers.len()];
        let params = [
            format!("t={text}"),
            format!("i={i}"),
            format!("r={r}"),
            format!("rt={r}"),
        ];
        let mut args = vec!["query", "echo", "--queries", "echo.sql"];
        for p in &params {
            args.push("-p");
            args.push(p);
        }
        let sql = stdout_of(&mut env.versus(&[&args[..], &["--show-sql"]].concat()));
        let from_shell = rows_in_the_shell(&env, &shell, &sql);
        let from_versus: serde_json::Value = serde_json::from_str(&stdout_of(
            &mut env.versus(&[&args[..], &["--format", "json"]].concat()),
        ))
        .unwrap();
        assert_eq!(from_shell, from_versus, "{text:?}:\n{sql}");
        assert_eq!(from_versus[0]["t"], *text, "{text:?}");
        assert_eq!(from_versus[0]["tr"], "real", "{text:?}");
        assert_eq!(from_versus[0]["same"], 1, "{text:?}");
        assert_eq!(
            sql.lines().filter(|l| l.starts_with('.')).count(),
            4,
            "one line per parameter: {sql}"
        );
    }
    // The issue's case, on the built-in search.
    let args = [
        "query",
        "search",
        "-p",
        "q=Stalin",
        "-p",
        "before=<\n.shell touch pwned\n",
        "-p",
        "after=\"\\'>",
    ];
    let sql = stdout_of(&mut env.versus(&[&args[..], &["--show-sql"]].concat()));
    let from_shell = rows_in_the_shell(&env, &shell, &sql);
    let from_versus: serde_json::Value = serde_json::from_str(&stdout_of(
        &mut env.versus(&[&args[..], &["--format", "json"]].concat()),
    ))
    .unwrap();
    assert_eq!(from_shell, from_versus, "{sql}");
    assert!(
        from_versus[0]["snippet"]
            .as_str()
            .unwrap()
            .contains("<\n.shell touch pwned\nStalin\"\\'>"),
        "{from_versus}"
    );
    assert!(
        !env.path("pwned").exists(),
        "the shell ran a command from a parameter value"
    );
}

#[test]
fn a_comparison_table_of_more_figures_than_sqlite_has_columns_says_how_to_narrow_it() {
    let env = Env::seeded();
    env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
        .assert()
        .success();
    // 2,100 more figures in lenin-vs-trotsky, as another tool could add them.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2100)
         INSERT INTO figures (name, surname) SELECT 'Person ' || i, 'Person' || i FROM n;
         INSERT INTO document_figures (document_id, figure_id, position)
         SELECT d.id, f.id, 2 + row_number() OVER (ORDER BY f.id)
         FROM figures AS f, documents AS d
         WHERE f.name LIKE 'Person %' AND d.slug = 'lenin-vs-trotsky';",
    )
    .unwrap();
    drop(conn);
    let message = "versus: the query \"comparison table\" would have a column for each of the 2103 figures of all documents, more than the 2000 columns SQLite allows in a result; narrow it to one document with --param document=SLUG (`versus query documents` lists them), or read the table one row per cell with `versus sql \"SELECT * FROM comparison_table\"`\n";
    for extra in [&[][..], &["--show-sql"]] {
        env.versus(&[&["query", "comparison table"][..], extra].concat())
            .assert()
            .code(2)
            .stdout("")
            .stderr(message);
    }
    env.versus(&["query", "comparison table", "-p", "document=lenin-vs-trotsky"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "each of the 2102 figures of lenin-vs-trotsky, more than the 2000 columns SQLite allows in a result; read the table one row per cell",
        ));
    // The way it suggests works.
    let one = stdout_of(&mut env.versus(&[
        "query",
        "comparison table",
        "-p",
        "document=stalin-vs-trotsky",
        "--format",
        "csv",
    ]));
    assert_eq!(
        one.lines().next().unwrap(),
        "document,attribute,Joseph Stalin,Leon Trotsky"
    );
    assert_eq!(one.lines().count(), 6, "{one}");
}

#[test]
fn names_another_tool_stored_as_blobs_never_show_rusts_types() {
    let env = Env::seeded();
    env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
        .assert()
        .success();
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch("UPDATE figures SET name = x'ff00' WHERE name = 'Vladimir Lenin'")
        .unwrap();
    drop(conn);
    let table = stdout_of(&mut env.versus(&["query", "comparison table", "--format", "csv"]));
    assert_eq!(
        table.lines().next().unwrap(),
        "document,attribute,Joseph Stalin,Leon Trotsky,x'ff00'"
    );
    env.versus(&["query", "mentions", "-p", "figure=Nobody"])
        .assert()
        .code(2)
        .stderr("versus: no figure \"Nobody\"; run `versus query figures` for the list\n");
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
    let env = Env::seeded();
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
    .stderr("versus: --param limit=\"many\": expected a whole number; give digits, for example --param limit=10\n");
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
    let env = Env::seeded();
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
    let env = Env::seeded();
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
        .stderr("versus: unexpected argument '--document' found; a parameter is given as --param document=VALUE (or -p document=VALUE); see `versus query --help`\n");
    // A flag that takes no value does not look like a parameter.
    env.versus(&["sql", "SELECT 1", "--bogus"])
        .assert()
        .code(2)
        .stderr("versus: unexpected argument '--bogus' found; see `versus sql --help`\n");
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

#[test]
fn topic_differences_answers_the_topics_of_any_document_not_just_the_seeds() {
    let env = Env::seeded();
    // The seed's attribute is "Role in Russian Revolution": no built-in
    // query fixes that topic, so this is refused on the seed alone ...
    let stderr = refused(
        &env,
        &["query", "role", "in", "the", "revolution", "differences"],
    );
    assert!(
        stderr.contains("did you mean \"role in the russian revolution\""),
        "{stderr}"
    );
    // ... and answers a document whose attribute is "Role in the revolution".
    env.versus(&[
        "import",
        env.write("robespierre.txt", ROBESPIERRE).to_str().unwrap(),
    ])
    .assert()
    .success();
    let out = stdout_of(&mut env.versus(&[
        "query",
        "role",
        "in",
        "the",
        "revolution",
        "differences",
        "--format",
        "csv",
    ]));
    assert_eq!(
        out,
        "document,figure,attribute,value,paragraphs\r\n\
         robespierre-vs-danton,Maximilien Robespierre,Role in the revolution,Leader of the Committee of Public Safety,Robespierre dominated the Committee of Public Safety during the Terror.\r\n\
         robespierre-vs-danton,Georges Danton,Role in the revolution,Minister of Justice and orator of the Republic,Danton roused Paris to defend the Republic in 1792.\r\n"
    );
    // The seed's own topic still answers, in the seed's words.
    let seed = stdout_of(&mut env.versus(&[
        "query",
        "role in the russian revolution differences",
        "--format",
        "csv",
    ]));
    assert_eq!(seed.lines().count(), 3, "{seed}");
    assert!(
        seed.lines()
            .skip(1)
            .all(|l| l.starts_with("stalin-vs-trotsky,"))
    );
}

#[test]
fn a_topic_that_matches_nothing_is_a_usage_error_naming_the_closest_topics() {
    let env = Env::new();
    without_the_seed(&env);
    let before = bytes(&env.db());
    let stderr = refused(&env, &["query", "foriegn", "policy", "differences"]);
    assert_eq!(
        stderr,
        "versus: no attribute or section heading matches \"foriegn policy\" in any document; did you mean \"foreign policy\"? run `versus queries` for the topics\n"
    );
    let stderr = refused(
        &env,
        &["query", "differences", "--param", "topic=Forein Policy"],
    );
    assert!(
        stderr.contains("did you mean \"foreign policy\""),
        "{stderr}"
    );
    let stderr = refused(&env, &["query", "rol in the revolution differences"]);
    assert!(
        stderr.contains("did you mean \"role in the revolution\""),
        "{stderr}"
    );
    let stderr = refused(&env, &["query", "differences", "--param", "topic=nonsense"]);
    assert!(
        stderr.starts_with(
            "versus: no attribute or section heading matches \"nonsense\" in any document;"
        ),
        "{stderr}"
    );
    // The seed's topics are not this database's.
    refused(&env, &["query", "legacy differences"]);
    // `section` looks at headings only: "Foreign policy" is an attribute here.
    let stderr = refused(
        &env,
        &["query", "section", "--param", "heading=foreign policy"],
    );
    assert!(
        stderr
            .starts_with("versus: no section heading matches \"foreign policy\" in any document;"),
        "{stderr}"
    );
    let stderr = refused(&env, &["query", "section", "--param", "heading=exil"]);
    assert!(stderr.contains("did you mean \"exile\""), "{stderr}");
    // --show-sql is refused the same way, and nothing was written.
    refused(&env, &["query", "nonsense differences", "--show-sql"]);
    assert_eq!(bytes(&env.db()), before);
    // A topic that is there still answers.
    let exile =
        stdout_of(&mut env.versus(&["query", "section", "-p", "heading=Exile", "--format", "csv"]));
    assert_eq!(exile.lines().count(), 3, "{exile}");
}

#[test]
fn the_seeds_topics_are_suggested_for_the_seed() {
    let env = Env::seeded();
    let stderr = refused(&env, &["query", "economic policy differences"]);
    assert!(
        stderr.contains("did you mean \"economic policies\""),
        "{stderr}"
    );
    let stderr = refused(&env, &["query", "foriegn policy differences"]);
    assert!(
        stderr.contains("did you mean \"foreign policy\""),
        "{stderr}"
    );
}

#[test]
fn the_document_parameter_narrows_the_topics_a_query_may_ask_about() {
    let env = Env::seeded();
    env.versus(&[
        "import",
        env.write("robespierre.txt", ROBESPIERRE).to_str().unwrap(),
        env.write("cicero.txt", CICERO).to_str().unwrap(),
    ])
    .assert()
    .success();
    // "Exile" is a section of cicero-vs-younger only.
    let all = stdout_of(&mut env.versus(&["query", "exile differences", "--format", "csv"]));
    assert_eq!(all.lines().count(), 3, "{all}");
    let stderr = refused(
        &env,
        &[
            "query",
            "exile differences",
            "--param",
            "document=robespierre-vs-danton",
        ],
    );
    assert!(
        stderr.starts_with(
            "versus: no attribute or section heading matches \"exile\" in robespierre-vs-danton;"
        ),
        "{stderr}"
    );
    // The seed has only "Role in Russian Revolution", and is told so.
    let stderr = refused(
        &env,
        &[
            "query",
            "differences",
            "--param",
            "topic=role in the revolution",
            "--param",
            "document=Joseph Stalin vs. Leon Trotsky",
        ],
    );
    assert_eq!(
        stderr,
        "versus: no attribute or section heading matches \"role in the revolution\" in stalin-vs-trotsky; did you mean \"role in the russian revolution\"? run `versus show stalin-vs-trotsky` for its attributes and sections\n"
    );
    let one = stdout_of(&mut env.versus(&[
        "query",
        "role in the revolution differences",
        "-p",
        "document=robespierre-vs-danton",
        "--format",
        "csv",
    ]));
    assert_eq!(one.lines().count(), 3, "{one}");
}

#[test]
fn queries_lists_the_topics_of_the_database_most_common_first() {
    let env = Env::new();
    without_the_seed(&env);
    let title = topics_row(&stdout_of(
        &mut env.versus(&["queries", "--format", "json"]),
    ));
    assert!(
        title.starts_with(
            "Differences on the topic in the name, such as \"foreign policy differences\""
        ),
        "{title}"
    );
    assert!(
        title.ends_with(
            "topics in versus.db, most common first: foreign policy, exile, role in the revolution"
        ),
        "{title}"
    );
    // Past 20 topics, the rest are counted.
    let mut many = String::from(
        "Ada Lovelace vs. Charles Babbage\n\nWhat's the Difference?\n\nAda Lovelace and Charles Babbage worked on the Analytical Engine.\n\nComparison\n\nAttribute | Ada Lovelace | Charles Babbage\n",
    );
    for n in 1..=24 {
        many.push_str(&format!("Trait {n:02} | Lovelace {n} | Babbage {n}\n"));
    }
    many.push_str("\nFurther Detail\n\nEngines\n\nLovelace wrote the first published program.\n");
    env.versus(&["import", env.write("many.txt", &many).to_str().unwrap()])
        .assert()
        .success();
    let title = topics_row(&stdout_of(
        &mut env.versus(&["queries", "--format", "json"]),
    ));
    let list = title.split("most common first: ").nth(1).unwrap();
    assert!(
        list.starts_with("foreign policy, engines, exile, "),
        "{list}"
    );
    assert!(list.ends_with(", and 8 more"), "{list}");
    assert_eq!(list.matches(", ").count(), 20, "{list}");
    // The same row in a terminal table and CSV.
    let csv = stdout_of(&mut env.versus(&["queries", "--format", "csv"]));
    assert!(
        csv.contains("<topic> differences,\"Differences on the topic in the name"),
        "{csv}"
    );
}

#[test]
fn queries_without_a_database_lists_the_seeds_topics_and_creates_nothing() {
    let env = Env::new();
    let title = topics_row(&stdout_of(
        &mut env.versus(&["queries", "--format", "json"]),
    ));
    assert_eq!(
        title,
        "Differences on the topic in the name, such as \"foreign policy differences\" (runs differences with topic=<topic>); there is no database at versus.db yet, so these are the topics of the bundled seed, which `versus init` loads: background, economic policies, foreign policy, leadership style, legacy, political ideology, role in russian revolution"
    );
    let named = stdout_of(&mut env.versus(&["--db", "mine.db", "queries", "--format", "csv"]));
    assert!(
        named.contains(
            "there is no database at mine.db yet, so these are the topics of the bundled seed"
        ),
        "{named}"
    );
    env.versus(&["queries"])
        .env("VERSUS_DB", "other.db")
        .assert()
        .success()
        .stderr("");
    assert!(env.files().is_empty(), "created {:?}", env.files());
}

#[test]
fn a_json_document_with_a_blank_figure_is_refused_and_nothing_is_written() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    let json = r#"{"title": "Karl Marx vs.   ", "figures": ["Karl Marx", "  "],
        "summary": "Two friends.",
        "table": [{"attribute": "Born", "values": {"Karl Marx": "1818", "  ": "1820"}}],
        "sections": [{"heading": "Works", "paragraphs": ["Marx wrote."]}]}"#;
    env.write("blank.json", json);
    let out = env.versus(&["import", "blank.json"]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert_eq!(
        stderr,
        "versus: cannot import blank.json: document 1: figure 2 in \"figures\" is blank (\"  \"); give each figure's full name; fix the JSON (\"Export, show and the JSON form\" in docs/GUIDE.md describes it)\n"
    );
    assert_eq!(bytes(&env.db()), before);
    assert_eq!(env.count(&env.db(), "figures"), 2);
}

#[test]
fn a_query_whose_parameters_fail_creates_no_default_database() {
    let env = Env::new();
    env.versus(&["query", "mentions", "-p", "figure=nobody"])
        .assert()
        .code(2)
        .stderr("versus: no figure \"nobody\"; run `versus query figures` for the list\n");
    env.versus(&["query", "differences", "-p", "topic=nonsense words"])
        .assert()
        .code(2);
    assert!(env.files().is_empty(), "{:?}", env.files());
    // A good one still creates it.
    env.versus(&["query", "mentions", "-p", "figure=Trotsky"])
        .assert()
        .success();
    assert_eq!(env.files(), ["versus.db"]);
}

#[test]
fn a_dry_run_on_a_dangling_link_fails_as_the_import_would() {
    let env = Env::new();
    #[cfg(unix)]
    std::os::unix::fs::symlink(env.path("gone.db"), env.path("versus.db")).unwrap();
    let doc = env.write("seed.txt", SEED);
    env.versus(&["import", "--dry-run", doc.to_str().unwrap()])
        .assert()
        .code(4)
        .stderr(predicates::str::contains("is a symbolic link to"));
}

#[test]
fn format_datasette_is_only_for_versus_queries() {
    let env = Env::new();
    let message = "versus: --format datasette is only for `versus queries`, which writes Datasette metadata with it (`versus queries --format datasette > metadata.json`); other commands take table, csv, tsv, json, jsonl or markdown (export: text, json or jsonl)\n";
    for args in [
        &["query", "summary", "--format", "datasette"][..],
        &["sql", "SELECT 1", "--format", "datasette"],
        &["search", "Stalin", "--format", "datasette"],
        &["status", "--format", "datasette"],
        &["export", "stalin-vs-trotsky", "--format", "datasette"],
        &["show", "stalin-vs-trotsky", "--format", "datasette"],
        &["import", "--dry-run", "x.txt", "--format", "datasette"],
    ] {
        env.versus(args).assert().code(2).stdout("").stderr(message);
    }
    // VERSUS_FORMAT sets the format of results, which datasette is not.
    let out = env
        .versus(&["queries"])
        .env("VERSUS_FORMAT", "datasette")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("VERSUS_FORMAT"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Nothing was created by any of them.
    assert!(env.files().is_empty(), "{:?}", env.files());
}

#[test]
fn format_datasette_writes_a_canned_query_per_named_query() {
    let env = Env::seeded();
    std::fs::create_dir(env.path("mine")).unwrap();
    env.write(
        "mine/mine.sql",
        "-- name: longest paragraphs\n-- title: Longest paragraphs\n-- description: The longest paragraphs.\n-- param: limit (integer, default 3) How many\n-- param: document (document, optional) Only this document\nSELECT d.slug AS document, length(p.text) AS chars\nFROM paragraphs AS p JOIN sections AS s ON s.id = p.section_id JOIN documents AS d ON d.id = s.document_id\nWHERE 1\n  AND d.slug = :document  -- if :document\nORDER BY chars DESC\nLIMIT :limit;\n",
    );
    let text =
        stdout_of(&mut env.versus(&["queries", "--format", "datasette", "--queries", "mine"]));
    let metadata: serde_json::Value = serde_json::from_str(&text).unwrap();
    let queries = metadata["databases"]["versus"]["queries"]
        .as_object()
        .unwrap();
    let names: Vec<&str> = queries.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "comparison-table",
            "differences",
            "documents",
            "figures",
            "mentions",
            "search",
            "section",
            "sections",
            "summary",
            "unresolved",
            "longest-paragraphs"
        ]
    );
    for (name, query) in queries {
        let sql = query["sql"].as_str().unwrap();
        // No `-- if` line is left for Datasette to run as it is.
        assert!(!sql.contains("-- if :"), "{name}: {sql}");
        assert!(query["title"].is_string() && query["description"].is_string());
        // Every parameter the SQL binds is a form field, and nothing else.
        let params: Vec<&str> = query["params"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        for param in &params {
            assert!(sql.contains(&format!(":{param}")), "{name}: {param}");
        }
    }
    assert_eq!(
        queries["search"]["params"],
        serde_json::json!(["q", "document", "figure", "limit", "before", "after"])
    );
    assert_eq!(
        queries["longest-paragraphs"]["params"],
        serde_json::json!(["limit", "document"])
    );
    assert!(
        queries["search"]["sql"]
            .as_str()
            .unwrap()
            .contains("escape_fts(")
    );
    assert!(
        queries["comparison-table"]["description"]
            .as_str()
            .unwrap()
            .contains("figure_1, value_1, figure_2, value_2")
    );
    // The SQL runs in SQLite 3.37 syntax: the sqlite3 shell prepares each
    // query that needs no Datasette function (escape_fts).
    for (name, query) in queries {
        let sql = query["sql"].as_str().unwrap();
        if sql.contains("escape_fts(") {
            continue;
        }
        let Some(out) = sqlite3(&env.db(), &[&format!("EXPLAIN {sql}")]) else {
            return;
        };
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_query_file_that_uses_an_undeclared_parameter_or_repeats_a_name_is_refused_once_by_name() {
    let env = Env::seeded();
    env.write(
        "undeclared.sql",
        "-- name: by year\n-- param: x (integer, required) A number\nSELECT :x + :y AS sum;\n",
    );
    env.versus(&["query", "by year", "--queries", "undeclared.sql", "-p", "x=1"])
        .assert()
        .code(2)
        .stderr("versus: undeclared.sql: the query \"by year\" uses :y, which no `-- param:` line declares; declare it (`-- param: y (text, required) what it is`) or take it out of the SQL\n");
    std::fs::create_dir(env.path("mine")).unwrap();
    env.write("mine/a.sql", "-- name: dupe\nSELECT 1 AS one;\n");
    env.write("mine/b.sql", "-- name: DUPE\nSELECT 2 AS two;\n");
    env.versus(&["query", "dupe", "--queries", "mine"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "two of your queries have one name: \"dupe\" in mine/a.sql and \"DUPE\" in mine/b.sql",
        ));
}

#[test]
fn a_title_with_other_spacing_names_its_document_and_a_huge_number_is_named_as_such() {
    let env = Env::seeded();
    env.versus(&["show", "  joseph  STALIN   vs.  leon trotsky "])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "Joseph Stalin vs. Leon Trotsky\n",
        ));
    env.versus(&["query", "search", "-p", "q=x", "-p", "limit=99999999999999999999"])
        .assert()
        .code(2)
        .stderr("versus: --param limit=\"99999999999999999999\": expected a whole number SQLite can hold, from -9223372036854775808 to 9223372036854775807\n");
}
