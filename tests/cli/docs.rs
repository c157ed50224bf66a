//! The documentation: README.md is the front door and docs/ holds the
//! reference. Every link between them leads to a file and a heading that
//! exist, the README keeps the test command that `.ci/run` runs, and the
//! guide names every built-in query.

use std::path::{Path, PathBuf};

use crate::support::*;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every file under docs/.
fn documents() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("a docs folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    assert!(!docs.is_empty(), "docs/ holds the reference");
    files.extend(docs);
    files
}

/// The anchor GitHub gives a heading: lowercase, spaces as hyphens, other
/// punctuation left out.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

fn anchors(text: &str) -> Vec<String> {
    let mut in_code = false;
    let mut found = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            found.push(anchor(line.trim_start_matches('#')));
        }
    }
    found
}

#[test]
fn every_link_in_the_documentation_leads_to_a_file_and_heading() {
    let mut checked = 0;
    for file in documents() {
        let text = std::fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let target = &rest[..rest.find(')').expect("a closed link")];
            if target.starts_with("http://") || target.starts_with("https://") {
                continue;
            }
            let (path, heading) = target.split_once('#').unwrap_or((target, ""));
            let linked = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            assert!(
                linked.is_file(),
                "{}: the link {target} leads to no file",
                file.display()
            );
            if !heading.is_empty() {
                let there = std::fs::read_to_string(&linked).unwrap();
                assert!(
                    anchors(&there).iter().any(|a| a == heading),
                    "{}: the link {target} leads to no heading of {}",
                    file.display(),
                    linked.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} links found");
}

#[test]
fn the_readme_keeps_the_test_command_that_ci_runs() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let quick_start = &readme[readme.find("## Quick start").expect("a quick start")..];
    let block = &quick_start[quick_start.find("```sh\n").expect("a command block") + 6..];
    let block = &block[..block.find("```").unwrap()];
    let commands: Vec<&str> = block
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .collect();
    assert_eq!(
        commands,
        [
            "cargo run --release -- query \"foreign policy differences\"",
            "cargo test"
        ]
    );
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.starts_with("cargo test ")),
        ".ci/run runs the README's test command"
    );
}

#[test]
fn the_guide_names_every_built_in_query() {
    let env = Env::new();
    let guide = std::fs::read_to_string(root().join("docs/GUIDE.md")).unwrap();
    let table = &guide[guide
        .find("## Named queries")
        .expect("a named-query section")..];
    let listed = stdout_of(&mut env.versus(&["queries", "--format", "csv"]));
    for name in listed.lines().skip(1).map(|l| l.split(',').next().unwrap()) {
        let row = if name == "<topic> differences" {
            "or any `<topic> differences`".to_string()
        } else {
            format!("| `{name}` |")
        };
        assert!(table.contains(&row), "docs/GUIDE.md has no row for {name}");
    }
}
