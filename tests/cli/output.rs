//! Output formats: NULL and the empty string, BLOBs and control characters,
//! streaming into a closed pipe, and a full disk.

use crate::support::*;

const VALUES: &str = "SELECT NULL AS n, '' AS e, 'a,\"b\"' AS q, 42 AS i, 2.5 AS r, x'00ff' AS b, 'tab' || char(9) || 'nl' || char(10) AS c";

#[test]
fn null_and_the_empty_string_stay_distinct_in_every_format() {
    let env = Env::new();
    env.init();
    let run = |format: &str| stdout_of(&mut env.versus(&["sql", VALUES, "--format", format]));
    assert_eq!(
        run("csv"),
        "n,e,q,i,r,b,c\r\n,\"\",\"a,\"\"b\"\"\",42,2.5,x'00ff',\"tab\tnl\n\"\r\n"
    );
    assert_eq!(
        run("tsv"),
        "n\te\tq\ti\tr\tb\tc\n\t\ta,\"b\"\t42\t2.5\tx'00ff'\ttab\\tnl\\n\n"
    );
    assert_eq!(
        run("json"),
        "[\n  {\"n\":null,\"e\":\"\",\"q\":\"a,\\\"b\\\"\",\"i\":42,\"r\":2.5,\"b\":{\"blob\":\"00ff\"},\"c\":\"tab\\tnl\\n\"}\n]\n"
    );
    assert_eq!(
        run("jsonl"),
        "{\"n\":null,\"e\":\"\",\"q\":\"a,\\\"b\\\"\",\"i\":42,\"r\":2.5,\"b\":{\"blob\":\"00ff\"},\"c\":\"tab\\tnl\\n\"}\n"
    );
    assert_eq!(
        run("markdown"),
        "| n | e | q | i | r | b | c |\n| --- | --- | --- | --- | --- | --- | --- |\n| NULL |  | a,\"b\" | 42 | 2.5 | x'00ff' | tab\\tnl<br> |\n"
    );
    // In a table a line break stays a line break; a tab is escaped.
    assert_eq!(
        run("table"),
        "╭──────┬───┬───────┬────┬─────┬─────────┬─────────╮\n│ n    │ e │ q     │ i  │ r   │ b       │ c       │\n├──────┼───┼───────┼────┼─────┼─────────┼─────────┤\n│ NULL │   │ a,\"b\" │ 42 │ 2.5 │ x'00ff' │ tab\\tnl │\n│      │   │       │    │     │         │         │\n╰──────┴───┴───────┴────┴─────┴─────────┴─────────╯\n(1 row)\n"
    );
}

#[test]
fn an_empty_result_still_has_its_header() {
    let env = Env::new();
    env.init();
    let run = |format: &str| {
        stdout_of(&mut env.versus(&[
            "sql",
            "SELECT name FROM figures WHERE 0",
            "--format",
            format,
        ]))
    };
    assert_eq!(run("csv"), "name\r\n");
    assert_eq!(run("json"), "[]\n");
    assert_eq!(run("jsonl"), "");
}

#[test]
fn text_that_is_not_utf8_is_rendered_not_a_panic() {
    let env = Env::new();
    env.init();
    for format in ["table", "csv", "tsv", "json", "jsonl", "markdown"] {
        let out = env
            .versus(&[
                "sql",
                "SELECT CAST(x'61ff62' AS TEXT) AS t",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{format}");
        assert!(
            String::from_utf8(out.stdout)
                .unwrap()
                .contains("a\u{fffd}b"),
            "{format}"
        );
    }
}

#[test]
fn a_large_result_into_a_closed_pipe_ends_quietly() {
    let env = Env::new();
    env.init();
    let versus = assert_cmd::cargo::cargo_bin("versus");
    for format in ["csv", "jsonl", "table"] {
        let script = format!(
            "'{}' sql \"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000000) SELECT x, 'row ' || x FROM c\" --format {format} | head -1 >/dev/null; echo \"${{PIPESTATUS[0]}}\"",
            versus.display()
        );
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(env.dir.path())
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "0\n",
            "{format}: exit status of versus"
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "{format}: nothing on stderr"
        );
    }
}

#[test]
fn a_full_disk_is_reported_with_a_non_zero_exit() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let env = Env::new();
    env.init();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("versus"))
        .current_dir(env.dir.path())
        .args(["query", "comparison table", "--format", "csv"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "versus: cannot write to standard output (check the disk or the file it goes to): No space left on device (os error 28)\n"
    );
}

#[test]
fn global_flags_work_before_or_after_the_command() {
    let env = Env::new();
    env.versus(&["--db", "a.db", "init"]).assert().success();
    let before =
        stdout_of(&mut env.versus(&["--format", "csv", "--db", "a.db", "query", "figures"]));
    let after =
        stdout_of(&mut env.versus(&["query", "figures", "--format", "csv", "--db", "a.db"]));
    assert_eq!(before, after);
    assert_eq!(
        after,
        "figure,documents,compared_in\r\nJoseph Stalin,1,stalin-vs-trotsky\r\nLeon Trotsky,1,stalin-vs-trotsky\r\n"
    );
}
