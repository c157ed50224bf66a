//! Output formats: NULL and the empty string, BLOBs and control characters,
//! reals, streaming into a closed pipe, and a full disk; a table streamed in
//! bounded memory, running out of memory, and which format applies where.

use crate::support::*;

const VALUES: &str = "SELECT NULL AS n, '' AS e, 'a,\"b\"' AS q, 42 AS i, 2.5 AS r, x'00ff' AS b, 'tab' || char(9) || 'nl' || char(10) AS c";

#[test]
fn null_and_the_empty_string_stay_distinct_in_every_format() {
    let env = Env::seeded();
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
    let env = Env::seeded();
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
    let env = Env::seeded();
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
    let env = Env::seeded();
    let versus = versus_binary();
    for format in ["csv", "jsonl", "table"] {
        let script = format!(
            "'{}' sql \"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1000000) SELECT x, 'row ' || x FROM c\" --format {format} | head -1 >/dev/null; echo \"${{PIPESTATUS[0]}}\"",
            versus.display()
        );
        let out = env.script("bash").arg("-c").arg(&script).output().unwrap();
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
        skip_unless_ci("it needs /dev/full, which this system does not have");
        return;
    }
    let env = Env::seeded();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = env
        .process()
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

#[test]
fn tsv_escapes_the_backslash_so_a_tab_and_the_text_backslash_t_differ() {
    let env = Env::seeded();
    let out = stdout_of(&mut env.versus(&[
        "sql",
        r"SELECT 'a' || char(9) || 'b' AS tab, 'a\tb' AS text, 'c:\dir' AS path",
        "--format",
        "tsv",
    ]));
    assert_eq!(out, "tab\ttext\tpath\na\\tb\ta\\\\tb\tc:\\\\dir\n");
}

#[test]
fn reals_print_as_sqlite_prints_them_and_infinity_is_not_null() {
    let env = Env::seeded();
    let sql = "SELECT 2.5e301 AS big, 1e-5 AS small, 0.1 + 0.2 AS sum, 3.0 AS whole, 9e999 AS inf, -9e999 AS neg, NULL AS n";
    let run = |format: &str| stdout_of(&mut env.versus(&["sql", sql, "--format", format]));
    // The sqlite3 shell's form (SQLite's printf('%!.15g')), not 300 digits.
    assert_eq!(
        run("csv"),
        "big,small,sum,whole,inf,neg,n\r\n2.5e+301,1.0e-05,0.3,3.0,Inf,-Inf,\r\n"
    );
    assert_eq!(
        run("tsv"),
        "big\tsmall\tsum\twhole\tinf\tneg\tn\n2.5e+301\t1.0e-05\t0.3\t3.0\tInf\t-Inf\t\n"
    );
    assert!(
        run("markdown").ends_with("| 2.5e+301 | 1.0e-05 | 0.3 | 3.0 | Inf | -Inf | NULL |\n"),
        "{}",
        run("markdown")
    );
    assert!(
        run("table").contains("│ 2.5e+301 │ 1.0e-05 │ 0.3 │ 3.0   │ Inf │ -Inf │ NULL │"),
        "{}",
        run("table")
    );
    // JSON keeps every digit; infinity is written as SQLite's own JSON
    // writes it (json_quote(9e999)), a number, distinct from null.
    assert_eq!(
        run("jsonl"),
        "{\"big\":2.5e+301,\"small\":0.00001,\"sum\":0.30000000000000004,\"whole\":3.0,\"inf\":9.0e+999,\"neg\":-9.0e+999,\"n\":null}\n"
    );
    let sqlite =
        stdout_of(&mut env.versus(&["sql", "SELECT json_quote(9e999)", "--format", "csv"]));
    assert_eq!(sqlite, "json_quote(9e999)\r\n9.0e+999\r\n");
}

/// Peak resident memory of one run of versus, in KiB, read from /proc.
fn peak_rss_kib(env: &Env, args: &[&str]) -> i64 {
    let mut child = env
        .process()
        .args(args)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            peak = peak.max(
                line.split_whitespace()
                    .nth(1)
                    .unwrap()
                    .parse::<i64>()
                    .unwrap(),
            );
        }
        if let Some(exit) = child.try_wait().unwrap() {
            assert!(exit.success(), "versus {args:?} failed");
            return peak;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

fn counting_sql(rows: u32) -> String {
    format!(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT {rows}) SELECT x, 'some text ' || x AS label FROM c"
    )
}

#[test]
fn a_table_streams_in_bounded_memory() {
    if !std::path::Path::new("/proc/self/status").exists() {
        skip_unless_ci("it needs /proc to measure memory");
        return;
    }
    let env = Env::seeded();
    let small = peak_rss_kib(&env, &["sql", &counting_sql(2_000)]);
    let large = peak_rss_kib(&env, &["sql", &counting_sql(300_000)]);
    // Every row kept took about 450 bytes: 300,000 rows would add 130 MiB.
    assert!(
        large <= small + 8 * 1024,
        "{small} KiB for 2,000 rows, {large} KiB for 300,000 rows"
    );
}

/// A word longer than its column is cut, and the cut marked (`long-`).
#[test]
fn a_table_measures_its_first_rows_and_wraps_later_wider_values_to_them() {
    let env = Env::seeded();
    let out = stdout_of(&mut env.versus(&[
        "sql",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 1001) SELECT CASE WHEN x <= 1000 THEN 'short' ELSE 'much longer' END AS t FROM c",
    ]));
    assert!(
        out.starts_with("╭───────╮\n│ t     │\n├───────┤\n│ short │\n"),
        "{out}"
    );
    assert!(
        out.ends_with("│ short │\n│ much  │\n│ long- │\n│ er    │\n╰───────╯\n(1001 rows)\n"),
        "{}",
        &out[out.len() - 200..]
    );
}

#[test]
fn running_out_of_memory_is_one_line_and_exit_code_1_never_a_backtrace() {
    let env = Env::seeded();
    let versus = versus_binary();
    // A 90 MB value written as JSON needs a few hundred MB; somewhere in
    // these limits the allocation fails in versus itself, not in SQLite.
    let mut ran_out_in_versus = false;
    for limit_mib in [120, 160, 200, 240, 280, 320, 400, 480] {
        let script = format!(
            "ulimit -v {}; exec '{}' sql \"SELECT hex(zeroblob(45000000)) AS h\" --format json",
            limit_mib * 1024,
            versus.display()
        );
        let out = env
            .script("bash")
            .arg("-c")
            .arg(&script)
            .env("RUST_BACKTRACE", "1")
            .stdout(std::process::Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.success() {
            assert_eq!(stderr, "", "{limit_mib} MiB");
            continue;
        }
        assert_eq!(out.status.code(), Some(1), "{limit_mib} MiB: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{limit_mib} MiB: {stderr}");
        assert!(stderr.starts_with("versus: "), "{limit_mib} MiB: {stderr}");
        assert!(!stderr.contains("backtrace"), "{limit_mib} MiB: {stderr}");
        if stderr.starts_with("versus: out of memory: ") {
            assert!(
                stderr.ends_with(" more bytes were needed; ask for less (a LIMIT, fewer or shorter columns) or allow versus more memory\n"),
                "{stderr}"
            );
            ran_out_in_versus = true;
        }
    }
    assert!(
        ran_out_in_versus,
        "no limit made versus itself run out of memory"
    );
}

#[test]
fn help_into_a_full_disk_is_reported_and_exits_1() {
    if !std::path::Path::new("/dev/full").exists() {
        skip_unless_ci("it needs /dev/full, which this system does not have");
        return;
    }
    let env = Env::new();
    for args in [&["--help"][..], &["--version"], &["query", "--help"]] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = env.process().args(args).stdout(full).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "versus: cannot write to standard output (check the disk or the file it goes to): No space left on device (os error 28)\n",
            "{args:?}"
        );
    }
    // Into a closed pipe it ends quietly, as every output does.
    let script = format!(
        "'{}' --help | true; echo \"${{PIPESTATUS[0]}}\"",
        versus_binary().display()
    );
    let out = env.script("bash").arg("-c").arg(&script).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "0\n");
}

#[test]
fn format_text_is_refused_for_results_with_the_formats_that_apply() {
    let env = Env::seeded();
    let message = "versus: --format text is for `versus export`; results are written as table, csv, tsv, json, jsonl or markdown\n";
    for args in [
        &["query", "summary", "--format", "text"][..],
        &["sql", "SELECT 1", "--format", "text"],
        &["search", "Stalin", "--format", "text"],
        &["queries", "--format", "text"],
        &["status", "--format", "text"],
    ] {
        env.versus(args).assert().code(2).stdout("").stderr(message);
    }
    env.versus(&["query", "summary"])
        .env("VERSUS_FORMAT", "text")
        .assert()
        .code(2)
        .stdout("")
        .stderr("versus: --format text is for `versus export`; results are written as table, csv, tsv, json, jsonl or markdown; the value comes from the environment variable VERSUS_FORMAT\n");
    // A refused format creates nothing.
    let empty = Env::new();
    empty
        .versus(&["query", "summary", "--format", "text"])
        .assert()
        .code(2);
    assert!(empty.files().is_empty(), "created {:?}", empty.files());
}

#[test]
fn versus_format_never_stops_a_command_it_does_not_apply_to() {
    let env = Env::seeded();
    let seed = stdout_of(&mut env.versus(&["export", "stalin-vs-trotsky"]));
    assert_eq!(seed, SEED);
    env.versus(&["export", "stalin-vs-trotsky"])
        .env("VERSUS_FORMAT", "xml")
        .assert()
        .success()
        .stdout(SEED);
    env.versus(&["show", "stalin-vs-trotsky"])
        .env("VERSUS_FORMAT", "xml")
        .assert()
        .success();
    env.versus(&["migrate"])
        .env("VERSUS_FORMAT", "xml")
        .assert()
        .success();
    // Where it applies, a bad value is still refused, naming the variable.
    env.versus(&["query", "summary"])
        .env("VERSUS_FORMAT", "xml")
        .assert()
        .code(2)
        .stderr("versus: invalid value \"xml\" for the output format; the value comes from the environment variable VERSUS_FORMAT; use table, csv, tsv, json, jsonl or markdown\n");
}

/// The flags sqlite-utils users type are shorthands for --format, and give
/// exactly what --format gives.
#[test]
fn format_shorthands_give_what_format_gives() {
    let env = Env::seeded();
    let sql = "SELECT 1 AS a, 'x,y' AS b, NULL AS c";
    for (flags, format) in [
        (vec!["--csv"], "csv"),
        (vec!["--tsv"], "tsv"),
        (vec!["--json"], "json"),
        (vec!["--nl"], "jsonl"),
        (vec!["--table"], "table"),
        (vec!["-t"], "table"),
        (vec!["--markdown"], "markdown"),
    ] {
        let mut args = flags.clone();
        args.extend(["sql", sql]);
        let short = stdout_of(&mut env.versus(&args));
        let long = stdout_of(&mut env.versus(&["--format", format, "sql", sql]));
        assert_eq!(short, long, "{flags:?}");
    }
    // After the command too, as global flags.
    let after = stdout_of(&mut env.versus(&["sql", sql, "--csv"]));
    assert_eq!(after, "a,b,c\r\n1,\"x,y\",\r\n");
}

#[test]
fn two_formats_at_once_are_refused() {
    let env = Env::seeded();
    for args in [
        vec!["--csv", "--json", "sql", "SELECT 1"],
        vec!["--format", "csv", "--tsv", "sql", "SELECT 1"],
    ] {
        let out = env.versus(&args).output().expect("versus runs");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cannot be used with"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn no_headers_leaves_out_the_header_of_csv_tsv_and_table() {
    let env = Env::seeded();
    let sql = "SELECT 1 AS a, 2 AS b";
    assert_eq!(
        stdout_of(&mut env.versus(&["--csv", "--no-headers", "sql", sql])),
        "1,2\r\n"
    );
    assert_eq!(
        stdout_of(&mut env.versus(&["--tsv", "--no-headers", "sql", sql])),
        "1\t2\n"
    );
    assert_eq!(
        stdout_of(&mut env.versus(&["--no-headers", "sql", sql])),
        "╭───┬───╮\n│ 1 │ 2 │\n╰───┴───╯\n(1 row)\n"
    );
    for format in ["--json", "--nl", "--markdown"] {
        let out = env
            .versus(&[format, "--no-headers", "sql", sql])
            .output()
            .expect("versus runs");
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--no-headers is for csv, tsv and table")
        );
    }
}

#[test]
fn version_names_the_sqlite_inside() {
    let env = Env::new();
    let text = stdout_of(&mut env.versus(&["--version"]));
    assert_eq!(
        text,
        format!(
            "versus {} (SQLite {})\n",
            env!("CARGO_PKG_VERSION"),
            rusqlite::version()
        )
    );
    assert!(!env.db().exists());
}

/// Each command's help lists the global options it takes, and only those;
/// `--format` lists that command's formats.
#[test]
fn help_lists_the_options_each_command_takes() {
    let env = Env::new();
    let help = |command: &str| stdout_of(&mut env.versus(&[command, "--help"]));
    let init = help("init");
    assert!(init.contains("--db <PATH>"), "{init}");
    for absent in [
        "--format",
        "--csv",
        "--queries",
        "--no-headers",
        "--color",
        "--no-pager",
    ] {
        assert!(
            !init.contains(absent),
            "init --help lists {absent}:\n{init}"
        );
    }
    let export = help("export");
    assert!(
        export.contains("[possible values: text, json, jsonl]"),
        "{export}"
    );
    assert!(!export.contains("--csv"), "{export}");
    let show = help("show");
    assert!(
        show.contains("[possible values: table, markdown, json]"),
        "{show}"
    );
    let query = help("query");
    for present in [
        "--format",
        "--csv",
        "--queries",
        "--no-headers",
        "--color",
        "--no-pager",
    ] {
        assert!(
            query.contains(present),
            "query --help lacks {present}:\n{query}"
        );
    }
    let top = stdout_of(&mut env.versus(&["--help"]));
    assert!(top.contains("Global options"), "{top}");
    assert!(!env.db().exists());
}

#[test]
fn a_global_option_a_command_does_not_take_is_refused() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    for (args, message) in [
        (
            vec!["init", "--format", "json"],
            "versus: --format does not apply to `versus init`: what it did is written as plain lines; leave it out (`versus init --help` lists the options it takes)\n",
        ),
        (
            vec!["--json", "migrate"],
            "versus: --json does not apply to `versus migrate`: what it did is written as plain lines; leave it out (`versus migrate --help` lists the options it takes)\n",
        ),
        (
            vec!["export", "stalin-vs-trotsky", "--csv"],
            "versus: --csv does not apply to `versus export`: it does not write that format; leave it out (`versus export --help` lists the options it takes)\n",
        ),
        (
            vec!["sql", "SELECT 1", "--queries", "q.sql"],
            "versus: --queries does not apply to `versus sql`: it runs no named query; leave it out (`versus sql --help` lists the options it takes)\n",
        ),
        (
            vec!["import", "x.txt", "--json"],
            "versus: --json applies to `versus import --dry-run` only: an import writes what it did as plain lines; leave it out, or add --dry-run\n",
        ),
    ] {
        env.versus(&args).assert().code(2).stderr(message);
    }
    assert_eq!(bytes(&env.db()), before);
    // A default from the environment is not refused.
    env.versus(&["init"])
        .env("VERSUS_FORMAT", "json")
        .assert()
        .success();
}
