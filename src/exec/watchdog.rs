//! Ends the process when a statement does not stop in time. Everything the
//! signal handlers touch is a static atomic or a line made beforehand, and
//! they call only async-signal-safe functions (`alarm`, `write`, `_exit`).

use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use std::time::Duration;

/// Set by Ctrl-C; read by the progress handler and the watchdog.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);
/// Whether a statement is running that the watchdog may end.
static ARMED: AtomicBool = AtomicBool::new(false);
/// What to print on each way of ending, one of [`MADE`].
static LINES: AtomicPtr<Lines> = AtomicPtr::new(std::ptr::null_mut());
/// Every pair of lines armed so far, each made once and never freed: a
/// signal handler may still read the one before while the watchdog is
/// armed again. The shell arms for every statement it runs, always with the
/// same few pairs (they differ only by the timeout and by read or write),
/// so it finds its pair here instead of leaving one behind each time.
#[cfg(unix)]
static MADE: std::sync::Mutex<Vec<&'static Lines>> = std::sync::Mutex::new(Vec::new());

#[derive(PartialEq, Eq)]
struct Lines {
    timed_out: Vec<u8>,
    interrupted: Vec<u8>,
}

/// The lines armed with these messages: the ones made before, or new ones.
#[cfg(unix)]
fn lines(timed_out: String, interrupted: String) -> &'static Lines {
    let wanted = Lines {
        timed_out: timed_out.into_bytes(),
        interrupted: interrupted.into_bytes(),
    };
    let mut made = MADE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(found) = made.iter().find(|l| ***l == wanted) {
        return found;
    }
    let new: &'static Lines = Box::leak(Box::new(wanted));
    made.push(new);
    new
}

/// Installs the handlers of SIGINT and SIGALRM, once per process.
#[cfg(unix)]
pub fn register() -> std::io::Result<()> {
    use std::sync::Once;
    static HANDLERS: Once = Once::new();
    let mut registered = Ok(());
    HANDLERS.call_once(|| {
        // SAFETY: both handlers only touch atomics and call
        // async-signal-safe functions.
        registered = unsafe {
            signal_hook::low_level::register(signal_hook::consts::SIGINT, on_interrupt)
                .and_then(|_| {
                    signal_hook::low_level::register(signal_hook::consts::SIGALRM, on_alarm)
                })
                .map(|_| ())
        };
    });
    registered
}

#[cfg(not(unix))]
pub fn register() -> std::io::Result<()> {
    Ok(())
}

#[cfg(unix)]
pub fn arm(after: Option<Duration>, timed_out: String, interrupted: String) -> std::io::Result<()> {
    register()?;
    let lines: *const Lines = lines(timed_out, interrupted);
    LINES.store(lines.cast_mut(), Ordering::SeqCst);
    ARMED.store(true, Ordering::SeqCst);
    if let Some(after) = after {
        set_timer(after);
    }
    // Ctrl-C pressed before the statement started.
    if INTERRUPTED.load(Ordering::SeqCst) {
        set_timer(super::stop::WATCHDOG_GRACE);
    }
    Ok(())
}

#[cfg(not(unix))]
pub fn arm(_: Option<Duration>, _: String, _: String) -> std::io::Result<()> {
    Ok(())
}

pub fn disarm() {
    ARMED.store(false, Ordering::SeqCst);
    #[cfg(unix)]
    set_timer(Duration::ZERO);
}

#[cfg(unix)]
fn set_timer(after: Duration) {
    let value = libc::itimerval {
        it_interval: libc::timeval {
            tv_sec: 0,
            tv_usec: 0,
        },
        it_value: libc::timeval {
            tv_sec: after.as_secs().min(i32::MAX as u64) as libc::time_t,
            tv_usec: after.subsec_micros() as libc::suseconds_t,
        },
    };
    // SAFETY: a plain system call with a valid pointer.
    unsafe {
        libc::setitimer(libc::ITIMER_REAL, &value, std::ptr::null_mut());
    }
}

/// SIGINT: tell the progress handler, and give it a second before the
/// watchdog steps in.
#[cfg(unix)]
fn on_interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
    if ARMED.load(Ordering::SeqCst) {
        // SAFETY: alarm is async-signal-safe.
        unsafe {
            libc::alarm(1);
        }
    }
}

/// SIGALRM: the statement did not stop in time; end the process.
#[cfg(unix)]
fn on_alarm() {
    if !ARMED.load(Ordering::SeqCst) {
        return;
    }
    let lines = LINES.load(Ordering::SeqCst);
    if lines.is_null() {
        return;
    }
    // SAFETY: LINES points to one of MADE, which are never freed.
    let lines = unsafe { &*lines };
    let (line, code) = if INTERRUPTED.load(Ordering::SeqCst) {
        (&lines.interrupted, 130)
    } else {
        (&lines.timed_out, 7)
    };
    // SAFETY: write and _exit are async-signal-safe.
    unsafe {
        libc::write(2, line.as_ptr().cast(), line.len());
        libc::_exit(code);
    }
}

#[cfg(all(test, unix))]
mod tests {
    /// The shell arms the watchdog for every statement: the same lines are
    /// found again, not made (and left behind) again.
    #[test]
    fn lines_armed_again_are_the_ones_made_before() {
        let first: *const super::Lines = super::lines("t\n".into(), "i\n".into());
        let again: *const super::Lines = super::lines("t\n".into(), "i\n".into());
        let other: *const super::Lines = super::lines("u\n".into(), "i\n".into());
        assert_eq!(first, again);
        assert_ne!(first, other);
    }
}
