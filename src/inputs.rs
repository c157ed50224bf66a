//! The inputs of one `versus import`: the files, folders and standard input
//! it is given, expanded into the list of documents to read, in order, with
//! a file given twice refused.
//!
//! The list of a large folder is what an import holds longest besides the
//! documents in flight, so it is kept compact: each file as the bytes of its
//! path relative to the folder it was found under (the folder kept once),
//! one after the other in one buffer. For 50,000 files that is about 1 MiB
//! where a `PathBuf` each took 3.3 MiB (measured with heaptrack).

use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::error::{Kind, fail};

/// Where one document comes from.
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    /// How reports and `documents.source` name it: the path, or `-`.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(path) => path.display().to_string(),
        }
    }

    /// How error messages name it: the path, or `standard input (-)`.
    pub fn shown(&self) -> String {
        match self {
            Input::Stdin => "standard input (-)".to_string(),
            Input::File(path) => path.display().to_string(),
        }
    }
}

/// The inputs of an import, in order.
#[derive(Default)]
pub struct Inputs {
    /// Every input's path relative to its folder, one after the other, as
    /// `OsStr::as_encoded_bytes` gives it (standard input: no bytes).
    bytes: Vec<u8>,
    /// Where each input's bytes end in `bytes`.
    ends: Vec<usize>,
    /// The folder of the inputs from each index on (until the next one):
    /// a folder given, or an empty path for files given as they are.
    folders: Vec<(usize, PathBuf)>,
    /// The index of standard input, if it is one of them.
    stdin: Option<usize>,
}

impl Inputs {
    /// Files as given; folders become every `.txt` and `.json` file under
    /// them (hidden files and folders skipped), in path order; `-` is
    /// standard input. A file given twice (also through a folder, or as
    /// another path to the same file) is refused, as is `-` twice.
    pub fn expand(paths: &[PathBuf]) -> Result<Inputs> {
        let mut inputs = Inputs::default();
        for path in paths {
            if path.as_os_str() == "-" {
                if inputs.stdin.is_some() {
                    return Err(fail(
                        Kind::Usage,
                        "standard input (-) is given twice; give each file once",
                    ));
                }
                inputs.stdin = Some(inputs.ends.len());
                inputs.push(OsStr::new(""));
            } else if path.is_dir() {
                let first = inputs.ends.len();
                inputs.folders.push((first, path.clone()));
                inputs.walk(path, path)?;
                if inputs.ends.len() == first {
                    return Err(fail(
                        Kind::BadDocument,
                        format!(
                            "the folder {} has no .txt or .json documents; give document files, or a folder that holds some",
                            path.display()
                        ),
                    ));
                }
                inputs.sort_from(first);
            } else {
                if inputs
                    .folders
                    .last()
                    .is_none_or(|(_, f)| !f.as_os_str().is_empty())
                {
                    inputs.folders.push((inputs.ends.len(), PathBuf::new()));
                }
                inputs.push(path.as_os_str());
            }
        }
        inputs.refuse_repeats()?;
        inputs.bytes.shrink_to_fit();
        inputs.ends.shrink_to_fit();
        Ok(inputs)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The input at `index` (which must be below `len`).
    pub fn get(&self, index: usize) -> Input {
        if self.stdin == Some(index) {
            return Input::Stdin;
        }
        let at = self.folders.partition_point(|(first, _)| *first <= index);
        let folder = self.folders[at - 1].1.as_path();
        Input::File(folder.join(self.relative(index)))
    }

    pub fn iter(&self) -> impl Iterator<Item = Input> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    fn push(&mut self, path: &OsStr) {
        self.bytes.extend_from_slice(path.as_encoded_bytes());
        self.ends.push(self.bytes.len());
    }

    /// The path of the input at `index`, relative to its folder.
    fn relative(&self, index: usize) -> &Path {
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        let bytes = &self.bytes[start..self.ends[index]];
        // SAFETY: `bytes` is exactly what `as_encoded_bytes` gave for one
        // whole `OsStr` in `push` (inputs are only ever added there, and
        // `sort_from` moves whole inputs).
        Path::new(unsafe { OsStr::from_encoded_bytes_unchecked(bytes) })
    }

    /// Adds every document file under `folder`, relative to `root`.
    fn walk(&mut self, root: &Path, folder: &Path) -> Result<()> {
        let entries = std::fs::read_dir(folder).map_err(|e| {
            fail(
                Kind::BadDocument,
                format!("cannot list the folder {}: {e}", folder.display()),
            )
        })?;
        for entry in entries {
            let entry =
                entry.with_context(|| format!("cannot list the folder {}", folder.display()))?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                self.walk(root, &path)?;
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("json"))
            {
                self.push(path.strip_prefix(root).unwrap_or(&path).as_os_str());
            }
        }
        Ok(())
    }

    /// Puts the inputs from `first` on in path order.
    fn sort_from(&mut self, first: usize) {
        let mut order: Vec<usize> = (first..self.len()).collect();
        order.sort_by(|&a, &b| self.relative(a).cmp(self.relative(b)));
        let start = if first == 0 { 0 } else { self.ends[first - 1] };
        let mut sorted = Vec::with_capacity(self.bytes.len() - start);
        let mut ends = Vec::with_capacity(order.len());
        for &index in &order {
            sorted.extend_from_slice(self.relative(index).as_os_str().as_encoded_bytes());
            ends.push(start + sorted.len());
        }
        self.bytes.truncate(start);
        self.bytes.extend_from_slice(&sorted);
        self.ends.truncate(first);
        self.ends.extend_from_slice(&ends);
    }

    /// Refuses a file given twice (also through a folder, or as another
    /// path to the same file). (`expand` refuses standard input twice.)
    fn refuse_repeats(&self) -> Result<()> {
        // Each file by its identity, with its number: a few bytes a file,
        // where the paths themselves took a few hundred.
        let mut seen: HashMap<u128, usize> = HashMap::with_capacity(self.len());
        for (index, input) in self.iter().enumerate() {
            let Input::File(path) = input else {
                continue;
            };
            let Some(key) = identity(&path) else {
                continue;
            };
            if let Some(&first) = seen.get(&key) {
                let (first, name) = (self.get(first).name(), self.get(index).name());
                let message = if first == name {
                    format!("{name} is given twice; give each file once")
                } else {
                    // Maybe both were found in one folder: say what they are.
                    format!(
                        "{name} and {first} are the same file (a link, or two paths to one file); give each file once (a folder given imports every file in it)"
                    )
                };
                return Err(fail(Kind::Usage, message));
            }
            seen.insert(key, index);
        }
        Ok(())
    }
}

/// What tells two paths to one file apart from two files. On Unix, the
/// device and inode numbers, from the one `stat` that follows links: a
/// symbolic link, `..` or a hard link to a file given already is found
/// (`canonicalize` missed hard links, and made a system call for every
/// folder on the path, though that measured no slower). A path that cannot
/// be read has none: its read reports it (a missing file given twice is
/// missing before it is twice).
fn identity(path: &Path) -> Option<u128> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some((u128::from(meta.dev()) << 64) | u128::from(meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let canonical = std::fs::canonicalize(path).ok()?;
        Some(u128::from(digest(&canonical.to_string_lossy())))
    }
}

/// A 64-bit digest of a title key or a path: SipHash (std's, with fixed
/// keys, so it is the same in every run).
pub fn digest(key: &str) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The inputs' paths as `get` gives them back.
    fn paths(inputs: &Inputs) -> Vec<PathBuf> {
        inputs
            .iter()
            .map(|input| match input {
                Input::File(path) => path,
                Input::Stdin => PathBuf::from("<stdin>"),
            })
            .collect()
    }

    /// Folders (nested, hidden, with names that sort differently as paths
    /// than as text) expand to every document in path order, as a sorted
    /// list of `PathBuf`s would have it, between files given as they are
    /// and standard input; each comes back exactly.
    #[test]
    fn folders_expand_in_path_order_and_every_path_comes_back_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("docs");
        let mut expected = Vec::new();
        for name in [
            "b.txt",
            "a.txt",
            "a-b.txt",
            "a/b.txt",
            "a/a/z.JSON",
            "é/ü.txt",
            "A.txt",
            "sub dir/x y.txt",
            "c.md",
            ".hidden.txt",
            ".git/x.txt",
            "a/.x/y.txt",
        ] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
            let hidden = name.split('/').any(|part| part.starts_with('.'));
            if !hidden && !name.ends_with(".md") {
                expected.push(path);
            }
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            // A file name that is not UTF-8.
            let path = root.join(OsStr::from_bytes(b"caf\xe9.txt"));
            std::fs::write(&path, "x").unwrap();
            expected.push(path);
        }
        expected.sort();
        let single = dir.path().join("single.txt");
        std::fs::write(&single, "x").unwrap();
        let mut given = vec![single.clone(), PathBuf::from("-"), root.clone()];
        let inputs = Inputs::expand(&given).unwrap();
        let mut want = vec![single.clone(), PathBuf::from("<stdin>")];
        want.extend(expected.iter().cloned());
        assert_eq!(paths(&inputs), want);
        assert_eq!(inputs.len(), want.len());

        // A folder first, then a file as given.
        given.reverse();
        given.retain(|p| p.as_os_str() != "-");
        let inputs = Inputs::expand(&given).unwrap();
        let mut want = expected.clone();
        want.push(single);
        assert_eq!(paths(&inputs), want);
    }

    #[test]
    fn a_file_given_twice_or_standard_input_twice_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("docs");
        std::fs::create_dir(&folder).unwrap();
        let file = folder.join("a.txt");
        std::fs::write(&file, "x").unwrap();
        let message = |paths: &[PathBuf]| Inputs::expand(paths).err().unwrap().to_string();
        assert_eq!(
            message(&[folder.clone(), file.clone()]),
            format!("{} is given twice; give each file once", file.display())
        );
        let other = dir.path().join("docs/../docs/a.txt");
        assert_eq!(
            message(&[file.clone(), other.clone()]),
            format!(
                "{} and {} are the same file (a link, or two paths to one file); give each file once (a folder given imports every file in it)",
                other.display(),
                file.display()
            )
        );
        assert_eq!(
            message(&["-".into(), file, "-".into()]),
            "standard input (-) is given twice; give each file once"
        );
    }

    /// A symbolic link or a hard link to a file given already is that file
    /// given twice; a copy of it is not, nor is a path that does not exist
    /// (its read fails).
    #[cfg(unix)]
    #[test]
    fn links_to_a_file_given_already_are_refused_and_copies_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "x").unwrap();
        let (soft, hard, copy) = (
            dir.path().join("soft.txt"),
            dir.path().join("hard.txt"),
            dir.path().join("copy.txt"),
        );
        std::os::unix::fs::symlink(&file, &soft).unwrap();
        std::fs::hard_link(&file, &hard).unwrap();
        std::fs::copy(&file, &copy).unwrap();
        for link in [&soft, &hard] {
            let err = Inputs::expand(&[file.clone(), link.clone()]).err().unwrap();
            assert_eq!(
                err.to_string(),
                format!(
                    "{} and {} are the same file (a link, or two paths to one file); give each file once (a folder given imports every file in it)",
                    link.display(),
                    file.display()
                )
            );
        }
        let missing = dir.path().join("missing.txt");
        let inputs = Inputs::expand(&[file.clone(), copy.clone(), missing.clone()]).unwrap();
        assert_eq!(paths(&inputs), [file, copy, missing.clone()]);
        // A missing file has no identity: the read says it is missing.
        assert!(Inputs::expand(&[missing.clone(), missing]).is_ok());
    }
}
