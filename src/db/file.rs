//! The database file before SQLite sees it: whether it is there (a dangling or
//! looping link refused), that it is a file, the name SQLite is given, whether
//! it is in WAL mode, and why it cannot be written.

use std::path::{Path, PathBuf};

use anyhow::Result;
use rusqlite::{Connection, OpenFlags};

use crate::error::{Kind, fail};

/// Whether a database file is there, found without following a link into
/// an error: a symbolic link that leads nowhere or loops is refused here
/// (exit code 4) with what it is, rather than reported by the system as
/// "File exists" or "Too many levels of symbolic links".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Missing,
    Present,
}

/// Looks at `path` (following links) without opening it.
pub fn presence(path: &Path) -> Result<Presence> {
    match std::fs::metadata(path) {
        Ok(_) => Ok(Presence::Present),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            match std::fs::read_link(path) {
                // A link whose target is missing: creating the database
                // "there" would fail (the link's name is taken) or create a
                // file somewhere the user may not expect.
                Ok(target) => Err(fail(
                    Kind::Database,
                    format!(
                        "{} is a symbolic link to {}, which does not exist; point --db at the database file, or remove the link",
                        path.display(),
                        target.display()
                    ),
                )),
                Err(_) => Ok(Presence::Missing),
            }
        }
        Err(e) if is_link_loop(&e) => Err(fail(
            Kind::Database,
            format!(
                "{} is a symbolic link that leads back to itself (a loop); point --db at the database file, or fix the link",
                path.display()
            ),
        )),
        Err(e) => Err(fail(
            Kind::Database,
            format!(
                "cannot look at {}: {}; check the path and the permissions of its folders",
                path.display(),
                io_reason(&e)
            ),
        )),
    }
}

pub(super) fn is_link_loop(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// An I/O error's reason without Rust's "(os error N)".
pub(super) fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

/// Checks that `path` is an existing regular file before SQLite sees it, so
/// that the error can say what is wrong and nothing is created.
pub(super) fn check_existing(path: &Path) -> Result<()> {
    if presence(path)? == Presence::Missing {
        return Err(fail(
            Kind::Database,
            format!(
                "no database at {}; create it with `versus init --db {}` or give an existing file with --db",
                path.display(),
                path.display()
            ),
        ));
    }
    if path.is_dir() {
        return Err(fail(
            Kind::Database,
            format!(
                "{} is a directory, not a database file; give the path of a database file with --db",
                path.display()
            ),
        ));
    }
    Ok(())
}

/// The name to give SQLite for `path`. The bundled SQLite is built with URI
/// file names on (`SQLITE_USE_URI=1`), so it reads a name that starts with
/// `file:` as a URI whatever the open flags say (`file:x.db?immutable=1`
/// would open `x.db`, immutable), and `:memory:` as no file at all. A
/// relative path gets `./` in front, which names the same file and is never
/// a URI; an absolute path starts with `/` and is never one either.
pub fn sqlite_name(path: &Path) -> PathBuf {
    if path.is_relative() {
        Path::new(".").join(path)
    } else {
        path.to_path_buf()
    }
}

/// Opens `path` with `flags`, by its file name (see [`sqlite_name`]).
pub(super) fn open_file(path: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(sqlite_name(path), flags)
}

/// Why the database file at `path` cannot be written, as its permissions
/// and its folder's say, with the fix: the file is read-only (`mode 0444`),
/// on a read-only file system, or its folder, where SQLite writes a
/// `-journal` file beside it during every write, is read-only. `None` when
/// the permissions allow the write (or cannot be read).
pub fn why_not_writable(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let file = path.display().to_string();
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let folder_name = folder.display().to_string();
        for (target, is_file) in [(path, true), (folder.as_path(), false)] {
            let Err(e) = writable(target) else { continue };
            let meta = std::fs::metadata(target).ok()?;
            let mode = format!("mode {:04o}", meta.mode() & 0o7777);
            let (subject, name, journal) = if is_file {
                (file.clone(), &file, "")
            } else {
                (
                    format!("its folder {folder_name}"),
                    &folder_name,
                    ", and SQLite writes a -journal file there while it writes",
                )
            };
            // SAFETY: geteuid has no preconditions and cannot fail.
            let me = unsafe { libc::geteuid() };
            return Some(if e.raw_os_error() == Some(libc::EROFS) {
                format!(
                    "{subject} is on a read-only file system{journal}: copy the database somewhere writable (and give that with --db), or mount the file system read-write"
                )
            } else if meta.uid() == me {
                format!(
                    "{subject} is read-only ({mode}){journal}: make it writable with `chmod u+w {name}`"
                )
            } else {
                format!(
                    "{subject} is read-only to you ({mode}, owned by user {}, and you are user {me}){journal}: its owner can let you write it (chmod, or chown to you), or run versus as its owner",
                    meta.uid()
                )
            });
        }
        None
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Whether this process may write `path`, as the kernel answers for its
/// effective user (faccessat with AT_EACCESS; root may write a file of mode
/// 0444, and is told so).
#[cfg(unix)]
pub(super) fn writable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let name = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
    // SAFETY: `name` is a NUL-terminated string that outlives the call.
    if unsafe { libc::faccessat(libc::AT_FDCWD, name.as_ptr(), libc::W_OK, libc::AT_EACCESS) } == 0
    {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Whether the file's header says WAL mode (read and write versions 2).
pub fn is_wal(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 20];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok()
        && header.starts_with(b"SQLite format 3\0")
        && header[18] == 2
        && header[19] == 2
}

/// `file:` URI of `path` (made absolute, every byte outside the plain ones
/// percent-encoded) with `immutable=1`.
pub(super) fn immutable_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for &b in absolute.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/._~-".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.push_str("?immutable=1");
    uri
}
