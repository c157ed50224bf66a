//! The `versus` binary: the process around `versus::main`, which parses the
//! command line, runs it, and turns an error into one line on stderr and a
//! documented exit code. Here only what must be the binary's: a panic and
//! running out of memory end in one line too, never Rust's abort and
//! backtrace.

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::ExitCode;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(report_panic));
    versus::main()
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
        or_out_of_memory(unsafe { System.alloc(layout) }, layout.size())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        or_out_of_memory(unsafe { System.alloc_zeroed(layout) }, layout.size())
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        or_out_of_memory(unsafe { System.realloc(ptr, layout, new_size) }, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// `p`, unless the allocation of `size` bytes failed.
fn or_out_of_memory(p: *mut u8, size: usize) -> *mut u8 {
    if p.is_null() {
        out_of_memory(size);
    }
    p
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
        use std::io::Write;
        let _ = std::io::stderr().write_all(&line[..len]);
        std::process::exit(1);
    }
}
