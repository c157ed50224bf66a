//! The test environment: a fresh temporary folder per test, the real
//! `versus` binary run in it with a clean environment, and helpers to look at
//! the database file the way other tools do.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use tempfile::TempDir;

pub const SEED: &str = include_str!("../../seeds/stalin-vs-trotsky.txt");
pub const LENIN: &str = include_str!("../fixtures/lenin-vs-trotsky.txt");
pub const MARX: &str = include_str!("../fixtures/marx-vs-engels.txt");
/// A title with quotes and an apostrophe; topics with punctuation, small
/// words, an en dash and a capital beyond A-Z.
pub const ONEILL: &str = include_str!("../fixtures/oneill-vs-rayburn.txt");
/// A surname a figure of `ONEILL` has too (O'Neill), and the seed's topic
/// "Leadership style" again.
pub const GREENSPAN: &str = include_str!("../fixtures/oneill-vs-greenspan.txt");

/// The `versus` binary cargo built for these tests. Start it through an
/// [`Env`] (`command`, `process`, `script`, `terminal`), which cleans the
/// environment; the path alone is for a script or terminal that an `Env`
/// starts.
pub fn versus_binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("versus")
}

/// Variables that change what versus does, besides every `VERSUS_*` and
/// `XDG_*` one (see "Environment variables" in docs/REFERENCE.md):
/// the pager and its options, colour, the terminal's kind and size, and Rust's
/// backtraces (a panic or an error would read differently).
const CHANGES_BEHAVIOUR: &[&str] = &[
    "PAGER",
    "LESS",
    "NO_COLOR",
    "TERM",
    "COLUMNS",
    "LINES",
    "RUST_BACKTRACE",
    "RUST_LIB_BACKTRACE",
];

pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    /// An `Env` whose default database already holds the seed (made by
    /// `versus init`).
    pub fn seeded() -> Env {
        let env = Env::new();
        env.init();
        env
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The default database, `versus.db` in the test's folder.
    pub fn db(&self) -> PathBuf {
        self.path("versus.db")
    }

    /// `program` run in the test's folder with none of the variables that
    /// change what versus does: every `VERSUS_*` and `XDG_*` variable and
    /// those in [`CHANGES_BEHAVIOUR`] are removed, and HOME is the test's
    /// folder, so nothing a developer exported (a `VERSUS_DB` above all)
    /// reaches versus, and nothing versus keeps in HOME (the shell's
    /// history) lands in the developer's. The database is the test's own:
    /// the default `versus.db` in its folder, unless a test names another.
    fn clean(&self, program: impl AsRef<OsStr>) -> StdCommand {
        let mut cmd = StdCommand::new(program);
        cmd.current_dir(self.dir.path());
        for (name, _) in std::env::vars_os() {
            let text = name.to_string_lossy();
            if text.starts_with("VERSUS_")
                || text.starts_with("XDG_")
                || CHANGES_BEHAVIOUR.contains(&text.as_ref())
            {
                cmd.env_remove(&name);
            }
        }
        cmd.env("HOME", self.dir.path());
        cmd
    }

    /// `versus`, not yet given its arguments, in the test's folder with a
    /// clean environment (see [`Env::clean`]).
    pub fn command(&self) -> Command {
        Command::from_std(self.process())
    }

    /// `versus ARGS...`, as [`Env::command`].
    pub fn versus(&self, args: &[&str]) -> Command {
        let mut cmd = self.command();
        cmd.args(args);
        cmd
    }

    /// `versus` as a `std::process::Command`, for a test that spawns it
    /// (to interrupt or kill it, or to watch it run) or sends its output
    /// somewhere of its own; the same clean environment as
    /// [`Env::command`].
    pub fn process(&self) -> StdCommand {
        self.clean(versus_binary())
    }

    /// Another program that starts versus itself (`bash -c` with
    /// [`versus_binary`] in its script, `setpriv`), in the test's folder
    /// with the same clean environment, which versus inherits.
    pub fn script(&self, program: impl AsRef<OsStr>) -> StdCommand {
        self.clean(program)
    }

    /// A program for a pseudo-terminal (versus itself, or a shell that
    /// starts it): in the test's folder with nothing of the environment
    /// but PATH, and HOME at the test's folder; the test sets TERM and
    /// anything else it means.
    pub fn terminal(&self, program: impl AsRef<OsStr>) -> StdCommand {
        let mut cmd = StdCommand::new(program);
        cmd.current_dir(self.dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path());
        cmd
    }

    /// Creates the default database with `versus init`.
    pub fn init(&self) -> &Env {
        self.versus(&["init"]).assert().success();
        self
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write fixture");
        path
    }

    /// The names in the test's folder, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("read folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Runs SQL on a database file the way another program would, and returns
    /// the rows as `|`-joined strings.
    pub fn rows(&self, db: &Path, sql: &str) -> Vec<String> {
        let conn =
            rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .expect("open database");
        let mut stmt = conn.prepare(sql).expect("prepare");
        let columns = stmt.column_count();
        stmt.query_map([], |row| {
            Ok((0..columns)
                .map(|i| match row.get_ref(i).expect("value") {
                    rusqlite::types::ValueRef::Null => "NULL".to_string(),
                    rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                    rusqlite::types::ValueRef::Real(v) => v.to_string(),
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    rusqlite::types::ValueRef::Blob(b) => format!("{b:?}"),
                })
                .collect::<Vec<_>>()
                .join("|"))
        })
        .expect("query")
        .map(|r| r.expect("row"))
        .collect()
    }

    pub fn count(&self, db: &Path, table: &str) -> i64 {
        self.rows(db, &format!("SELECT count(*) FROM {table}"))[0]
            .parse()
            .expect("count")
    }
}

/// versus's migrations, to make a database as an older versus left it.
mod past {
    refinery::embed_migrations!("migrations");
}

/// Opens (creating it if need be) the database at `db` and applies
/// versus's migrations up to `version` and no further, as versus `version`
/// would have. Migration 3 calls versus's own SQL functions: stand-ins that
/// return NULL are registered, so this suits a database with no documents
/// yet.
pub fn database_at_version(db: &Path, version: i32) -> rusqlite::Connection {
    let mut conn = rusqlite::Connection::open(db).expect("open database");
    use rusqlite::functions::FunctionFlags;
    for (name, args) in [
        ("versus_title_key", 1),
        ("versus_name_parts", 1),
        ("versus_figure_named_first", 2),
    ] {
        conn.create_scalar_function(name, args, FunctionFlags::SQLITE_UTF8, |_| {
            Ok(rusqlite::types::Value::Null)
        })
        .expect("register function");
    }
    past::migrations::runner()
        .set_target(refinery::Target::Version(version))
        .run(&mut conn)
        .expect("migrate");
    conn
}

/// The bytes of a file, to show it did not change.
pub fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read file")
}

pub fn stdout_of(cmd: &mut Command) -> String {
    let output = cmd.output().expect("run versus");
    assert!(
        output.status.success(),
        "versus failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Whether the tests run under CI: the `CI` variable set to anything but
/// empty, `0` or `false` (CI services set `CI=true`).
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// A check that cannot run here (`what` it needs is missing): under CI that
/// fails the test, so CI always runs every check; elsewhere the check is
/// skipped with a `note: SKIPPED` line on the terminal, which `.ci/run`
/// counts.
pub fn skip_unless_ci(what: &str) {
    if under_ci() {
        panic!("{what}, and CI must run every check (.ci/run installs what the tests need)");
    }
    use std::io::Write;
    // Written straight to stderr, past the test harness's capture, so the
    // skip shows.
    let _ = writeln!(std::io::stderr(), "note: SKIPPED a check: {what}");
}

/// A program other than versus that a test drives (the sqlite3 shell,
/// python3). Missing, the test is skipped with a note on the terminal; but
/// under CI a missing tool fails the test (see [`skip_unless_ci`]).
pub fn system_tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        skip_unless_ci(&format!("it needs {name}, which is not installed"));
    }
    found
}

/// Runs the sqlite3 shell on a database file; `None` if it is not installed.
pub fn sqlite3(db: &Path, args: &[&str]) -> Option<std::process::Output> {
    let shell = system_tool("sqlite3")?;
    Some(
        StdCommand::new(shell)
            .arg(db)
            .args(args)
            .output()
            .expect("run sqlite3"),
    )
}

/// Compares `actual` with the expected file `tests/expected/<name>`. With
/// `VERSUS_BLESS=1` in the environment, writes the file instead (review the
/// diff before committing it); under CI that is refused, since a blessed
/// file would pass whatever the output.
pub fn assert_golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected")
        .join(name);
    if std::env::var_os("VERSUS_BLESS").is_some() {
        assert!(
            !under_ci(),
            "VERSUS_BLESS is set under CI, where the expected files must be compared, not rewritten; unset VERSUS_BLESS (or CI, to bless on your machine)"
        );
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no expected file {}; run with VERSUS_BLESS=1 to write it",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the expected output at line {}:\n  expected: {:?}\n  actual:   {:?}\n(run with VERSUS_BLESS=1 to accept the new output)",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

/// Replaces ISO 8601 UTC timestamps (`2026-11-26T15:40:06Z`) with `<time>`.
pub fn without_times(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let candidate = &bytes[i..(i + 20).min(bytes.len())];
        let shape = b"dddd-dd-ddTdd:dd:ddZ";
        if candidate.len() == 20
            && candidate.iter().zip(shape).all(|(c, s)| {
                if *s == b'd' {
                    c.is_ascii_digit()
                } else {
                    c == s
                }
            })
        {
            out.push_str("<time>");
            i += 20;
        } else {
            let ch = text[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// How many cases a property that runs versus tries: `default` (each case
/// runs the binary several times), or `PROPTEST_CASES` for a longer look.
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// A table row kept as written in the seed document, stored as another tool
/// (or an import of an undecided row) would: `Symphonies941` at place 99,
/// line 40, with two readings.
pub fn add_unresolved_row(env: &Env) {
    env.versus(&[
        "sql",
        "--write",
        "INSERT INTO unresolved_rows (document_id, position, line, text, readings)
         SELECT id, 99, 40, 'Symphonies941', 'Symphonies | 9 | 41' || char(10) || 'Symphonies | 94 | 1'
         FROM documents WHERE slug = 'stalin-vs-trotsky'",
    ])
    .assert()
    .success();
}
