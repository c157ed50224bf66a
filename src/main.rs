//! The `versus` binary: parse the command line, run it, and turn an error into
//! one line on stderr and a documented exit code (see `versus::error::Kind`);
//! a panic or running out of memory too, never Rust's abort and backtrace.

use std::alloc::{GlobalAlloc, Layout};

use mimalloc::MiMalloc;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(report_panic));
    let cli = match versus::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    // A panic has been reported by the hook; it still ends with exit code 1.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| versus::run(cli)));
    match result {
        Err(_) => ExitCode::FAILURE,
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(err)) if versus::error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            let kind = versus::error::kind_of(&err);
            // stderr may be closed too; there is nowhere left to report that.
            let _ = versus::output::error_line(&versus::error::one_line(&err));
            ExitCode::from(kind.code())
        }
    }
}

/// A panic is a bug, but the user still gets one line, not Rust's
/// "thread 'main' panicked" and backtrace.
fn report_panic(info: &std::panic::PanicHookInfo<'_>) {
    let what = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string());
    let at = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    let _ = versus::output::error_line(&format!(
        "internal error: {what}{at}; this is a bug in versus, please report it"
    ));
}

/// Help and version go to stdout as clap writes them (a failed write is
/// reported, exit code 1); a usage error becomes one line,
/// `versus: <what>; <tip>; see --help`, and exit code 2.
fn usage_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            match e.print().and_then(|()| io::stdout().flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(err) => {
                    let _ = versus::output::error_line(&format!(
                        "{}: {err}",
                        versus::output::WRITE_FAILED
                    ));
                    ExitCode::FAILURE
                }
            }
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(versus::error::Kind::Usage.code())
        }
        _ => {
            let _ = versus::output::error_line(&one_line_usage(&e));
            ExitCode::from(versus::error::Kind::Usage.code())
        }
    }
}

/// Flags whose value may come from the environment instead.
const FROM_ENVIRONMENT: &[(&str, &str)] = &[
    ("--db", "VERSUS_DB"),
    ("--format", "VERSUS_FORMAT"),
    ("--busy-timeout", "VERSUS_BUSY_TIMEOUT"),
    ("--queries", "VERSUS_QUERIES"),
];

/// clap's error as one line: what is wrong, its tips, and where to look.
fn one_line_usage(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let args: Vec<String> = std::env::args().collect();
    let runs_sql = args.iter().any(|a| a == "query" || a == "sql");
    // The error line, any indented lines it introduces (the missing
    // arguments), and clap's tips; not the usage block.
    let mut parts: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(what) = line.strip_prefix("error: ") {
            parts.push(what.trim_end_matches(':').to_string());
        } else if let Some(tip) = line.trim_start().strip_prefix("tip: ") {
            // `--document x` after a query means a parameter, not a value.
            if runs_sql && tip.starts_with("to pass '--") {
                continue;
            }
            parts.push(tip.to_string());
        } else if line.starts_with("  ") && parts.len() == 1 && !line.trim().is_empty() {
            parts[0].push(' ');
            parts[0].push_str(line.trim());
        } else if line.starts_with("Usage:") {
            break;
        }
    }
    if runs_sql && e.kind() == ErrorKind::UnknownArgument {
        parts.push("parameters are given as --param NAME=VALUE".to_string());
    }
    for (flag, variable) in FROM_ENVIRONMENT {
        let named = text.contains(&format!("'{flag} ")) || text.contains(&format!("'{flag}'"));
        let on_command_line = args
            .iter()
            .any(|a| a == flag || a.starts_with(&format!("{flag}=")));
        if named && !on_command_line && std::env::var_os(variable).is_some() {
            parts.push(format!(
                "the value comes from the environment variable {variable}"
            ));
        }
    }
    parts.push("see `versus --help`".to_string());
    parts.join("; ")
}

/// The system allocator, except that running out of memory ends versus with
/// one line on stderr and exit code 1, where Rust would abort with "memory
/// allocation of N bytes failed" (and a backtrace when RUST_BACKTRACE is set).
struct ReportingAllocator;

#[global_allocator]
static ALLOCATOR: ReportingAllocator = ReportingAllocator;

// SAFETY: every call is passed to `System` unchanged; only a null result is
// acted on, and then the process ends.
unsafe impl GlobalAlloc for ReportingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { MiMalloc.alloc(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { MiMalloc.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { MiMalloc.realloc(ptr, layout, new_size) };
        if p.is_null() {
            out_of_memory(new_size);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }
}

/// Reports the failed allocation and ends the process. Nothing here may
/// allocate: the line is built on the stack and written with one system
/// call. A write transaction left open is rolled back from its journal by
/// the next open, as after any crash.
fn out_of_memory(size: usize) -> ! {
    let mut line = [0u8; 320];
    let mut len = 0;
    let mut put = |bytes: &[u8]| {
        let n = bytes.len().min(line.len() - len);
        line[len..len + n].copy_from_slice(&bytes[..n]);
        len += n;
    };
    put(b"versus: out of memory: ");
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = size;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    put(&digits[at..]);
    put(b" more bytes were needed; ask for less (a LIMIT, fewer or shorter columns) or allow versus more memory\n");
    #[cfg(unix)]
    // SAFETY: writes bytes from a live buffer, then ends the process without
    // running anything that could allocate.
    unsafe {
        libc::write(2, line.as_ptr().cast(), len);
        libc::_exit(1);
    }
    #[cfg(not(unix))]
    {
        let _ = io::stderr().write_all(&line[..len]);
        std::process::exit(1);
    }
}
