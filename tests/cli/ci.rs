//! The tests' own promises: a check that needs a missing tool skips visibly
//! only outside CI, `VERSUS_BLESS` cannot rewrite expected files under CI,
//! `.ci/run`'s closing line counts the skipped checks, and nothing a
//! developer exported reaches versus. Each runs one test of this binary
//! again as a child process, with the environment changed.

use std::process::Command as StdCommand;

use crate::support::*;

/// Runs one test of this binary by its full name, with `env` set (and CI,
/// VERSUS_BLESS unset unless given), and returns (passed, stdout + stderr).
fn run_test(name: &str, env: &[(&str, &str)]) -> (bool, String) {
    let mut cmd = StdCommand::new(std::env::current_exe().unwrap());
    cmd.args([name, "--exact", "--test-threads", "1"])
        .env_remove("CI")
        .env_remove("VERSUS_BLESS");
    for (key, value) in env {
        cmd.env(key, value);
    }
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("running 1 test"),
        "no test named {name}:\n{text}"
    );
    (out.status.success(), text)
}

const NEEDS_SQLITE3: &str =
    "queries::show_sql_of_each_query_gives_the_same_rows_in_the_sqlite3_shell";

#[test]
fn a_missing_tool_skips_visibly_outside_ci_and_fails_under_ci() {
    let nowhere = ("PATH", "/nonexistent");
    let (passed, text) = run_test(NEEDS_SQLITE3, &[nowhere]);
    assert!(passed, "{text}");
    assert!(
        text.contains("note: SKIPPED a check: it needs sqlite3, which is not installed"),
        "{text}"
    );
    for ci in ["true", "1"] {
        let (passed, text) = run_test(NEEDS_SQLITE3, &[nowhere, ("CI", ci)]);
        assert!(!passed, "CI={ci}: {text}");
        assert!(
            text.contains("it needs sqlite3, which is not installed, and CI must run every check"),
            "CI={ci}: {text}"
        );
        assert!(!text.contains("note: SKIPPED"), "CI={ci}: {text}");
    }
    // CI=false is not CI.
    let (passed, text) = run_test(NEEDS_SQLITE3, &[nowhere, ("CI", "false")]);
    assert!(passed, "{text}");
}

#[test]
fn versus_bless_is_refused_under_ci_and_rewrites_nothing() {
    let golden = "queries::every_built_in_query_on_the_seed_matches_its_expected_output";
    let expected = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected/queries");
    let before: Vec<(std::path::PathBuf, std::time::SystemTime)> = std::fs::read_dir(&expected)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
            (path, modified)
        })
        .collect();
    assert!(!before.is_empty());
    let (passed, text) = run_test(golden, &[("CI", "true"), ("VERSUS_BLESS", "1")]);
    assert!(!passed, "{text}");
    assert!(
        text.contains(
            "VERSUS_BLESS is set under CI, where the expected files must be compared, not rewritten"
        ),
        "{text}"
    );
    for (path, modified) in before {
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            modified,
            "{} was rewritten",
            path.display()
        );
    }
}

#[test]
fn the_ci_closing_line_counts_passed_failed_and_skipped() {
    let env = Env::new();
    let log = env.write(
        "cargo-test.log",
        "running 2 tests\n\
         test a ... note: SKIPPED a check: it needs sqlite3, which is not installed\n\
         ok\n\
         note: SKIPPED a check: it needs python3, which is not installed\n\
         test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n\
         test result: FAILED. 40 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out\n",
    );
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/run");
    let out = StdCommand::new("bash")
        .arg(&script)
        .arg("--summary")
        .arg(&log)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "cargo test: 42 passed, 3 failed, 2 skipped\n"
    );
    let clean = env.write(
        "clean.log",
        "test result: ok. 7 passed; 0 failed; 0 ignored\n",
    );
    let out = StdCommand::new("bash")
        .arg(&script)
        .arg("--summary")
        .arg(&clean)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "cargo test: 7 passed, 0 failed, 0 skipped\n"
    );
}

#[test]
fn a_developers_exported_variables_never_reach_versus() {
    // What a developer may have exported: their own database, queries and
    // format, a pager, no colour, a narrow terminal, their own data folder.
    // The harness (`Env`) removes them all, so each test still passes, and
    // the developer's database is never made or written.
    let env = Env::new();
    let theirs = env.path("their-own.db");
    let queries = env.path("their-queries");
    let data = env.path("their-data");
    let exported = [
        ("VERSUS_DB", theirs.to_str().unwrap()),
        ("VERSUS_QUERIES", queries.to_str().unwrap()),
        ("VERSUS_FORMAT", "json"),
        ("VERSUS_BUSY_TIMEOUT", "0"),
        ("VERSUS_PAGER", "false"),
        ("PAGER", "false"),
        ("NO_COLOR", "1"),
        ("COLUMNS", "30"),
        ("XDG_DATA_HOME", data.to_str().unwrap()),
    ];
    for test in [
        // Through `Env::versus`.
        "queries::every_built_in_query_on_the_seed_matches_its_expected_output",
        // Through `Env::process`, spawned with its output elsewhere.
        "limits::an_import_whose_report_cannot_be_written_says_the_documents_were_stored",
    ] {
        let (passed, text) = run_test(test, &exported);
        assert!(passed, "{test}: {text}");
    }
    assert_eq!(env.files(), Vec::<String>::new(), "nothing was made");
}
