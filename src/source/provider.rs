//! Where a curriculum's files come from: the file system, an in-memory map, or a git revision.
//!
//! Loading and template loading read only through [`SourceProvider`], with paths relative to the
//! curriculum's root (`course.toml`, `modules/x.toml`, `templates/md/module.md`), so the same
//! checker runs on a folder, on a test's in-memory course, and on `HEAD~1` for `diff`.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// What a relative path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    /// A file that can be read.
    File,
    /// A directory that can be listed.
    Dir,
    /// Something else (a FIFO, a device): never read.
    Other,
}

/// Read-only access to the files of one curriculum.
pub trait SourceProvider: std::fmt::Debug + Sync {
    /// How diagnostics show `path`: the root as the user named it, joined with `path`.
    fn display(&self, path: &Path) -> PathBuf;
    /// What `path` is, or `None` when nothing is there. The empty path is the root.
    fn kind(&self, path: &Path) -> io::Result<Option<EntryKind>>;
    /// The bytes of a file.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// The names in a directory and what each is, sorted by name.
    fn list(&self, dir: &Path) -> io::Result<Vec<(String, EntryKind)>>;
    /// The directory on disk, when there is one (output folders are checked against it).
    fn disk_root(&self) -> Option<&Path> {
        None
    }
}

/// A curriculum directory on disk.
#[derive(Debug, Clone)]
pub struct Disk {
    root: PathBuf,
}

impl Disk {
    /// The curriculum in `root`, shown as the user gave it (`.` shows as nothing).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Disk { root: root.into() }
    }

    /// `path` under the root; the empty path is the root itself (not `root/`, which a file
    /// given as the root would fail).
    fn on_disk(&self, path: &Path) -> PathBuf {
        if path.as_os_str().is_empty() {
            self.root.clone()
        } else {
            self.root.join(path)
        }
    }
}

impl SourceProvider for Disk {
    fn display(&self, path: &Path) -> PathBuf {
        if self.root == Path::new(".") {
            path.to_owned()
        } else if path.as_os_str().is_empty() {
            self.root.clone()
        } else {
            self.root.join(path)
        }
    }

    fn kind(&self, path: &Path) -> io::Result<Option<EntryKind>> {
        match std::fs::metadata(self.on_disk(path)) {
            Ok(meta) if meta.is_dir() => Ok(Some(EntryKind::Dir)),
            Ok(meta) if meta.is_file() => Ok(Some(EntryKind::File)),
            Ok(_) => Ok(Some(EntryKind::Other)),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err),
        }
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        read_regular(&self.on_disk(path), crate::limits::MAX_FILE_BYTES)
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<(String, EntryKind)>> {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(self.on_disk(dir))? {
            let entry = entry?;
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            // Follows links, as reading does: a linked module is a module.
            let kind = match std::fs::metadata(entry.path()) {
                Ok(meta) if meta.is_dir() => EntryKind::Dir,
                Ok(meta) if meta.is_file() => EntryKind::File,
                _ => EntryKind::Other,
            };
            names.push((name, kind));
        }
        names.sort();
        Ok(names)
    }

    fn disk_root(&self) -> Option<&Path> {
        Some(&self.root)
    }
}

/// Another provider's files, with the bytes of those already read for the build's source
/// digest held until the build reads them: each file is read once, and the build loads the
/// very bytes the digest describes, even if the file changes on disk in between.
#[derive(Debug)]
pub struct Remembered<'a> {
    inner: &'a dyn SourceProvider,
    held: std::sync::Mutex<std::collections::HashMap<PathBuf, Vec<u8>>>,
}

impl<'a> Remembered<'a> {
    /// `inner`'s files, none held yet.
    pub fn new(inner: &'a dyn SourceProvider) -> Self {
        Remembered {
            inner,
            held: std::sync::Mutex::default(),
        }
    }

    /// Reads `path` from the provider and gives `look` its bytes, which are then held for the
    /// build's first [`SourceProvider::read`] of `path`.
    pub fn read_ahead<T>(&self, path: &Path, look: impl FnOnce(&[u8]) -> T) -> io::Result<T> {
        let bytes = self.inner.read(path)?;
        let seen = look(&bytes);
        self.lock().insert(path.to_owned(), bytes);
        Ok(seen)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<PathBuf, Vec<u8>>> {
        self.held
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl SourceProvider for Remembered<'_> {
    fn display(&self, path: &Path) -> PathBuf {
        self.inner.display(path)
    }

    fn kind(&self, path: &Path) -> io::Result<Option<EntryKind>> {
        self.inner.kind(path)
    }

    /// The bytes read ahead, once; after that, and for any other file, the provider's.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.lock().remove(path) {
            Some(bytes) => Ok(bytes),
            None => self.inner.read(path),
        }
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<(String, EntryKind)>> {
        self.inner.list(dir)
    }

    fn disk_root(&self) -> Option<&Path> {
        self.inner.disk_root()
    }
}

/// A curriculum held in memory: tests build courses without temporary folders.
#[derive(Debug, Clone, Default)]
pub struct Memory {
    name: PathBuf,
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl Memory {
    /// An empty curriculum whose files show as `name/<path>` in diagnostics.
    pub fn new(name: impl Into<PathBuf>) -> Self {
        Memory {
            name: name.into(),
            files: BTreeMap::new(),
        }
    }

    /// Adds (or replaces) a file; its parent directories exist from then on.
    pub fn with(mut self, path: impl Into<PathBuf>, text: impl Into<Vec<u8>>) -> Self {
        self.insert(path, text);
        self
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), text.into());
    }
}

impl SourceProvider for Memory {
    fn display(&self, path: &Path) -> PathBuf {
        self.name.join(path)
    }

    fn kind(&self, path: &Path) -> io::Result<Option<EntryKind>> {
        if self.files.contains_key(path) {
            return Ok(Some(EntryKind::File));
        }
        let is_dir = path.as_os_str().is_empty() || self.files.keys().any(|f| f.starts_with(path));
        Ok(is_dir.then_some(EntryKind::Dir))
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files.get(path).cloned().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                "no such file in the in-memory course",
            )
        })
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<(String, EntryKind)>> {
        let mut names = BTreeMap::new();
        for path in self.files.keys() {
            let Ok(rest) = path.strip_prefix(dir) else {
                continue;
            };
            let mut parts = rest.components();
            let Some(first) = parts.next() else { continue };
            let kind = if parts.next().is_some() {
                EntryKind::Dir
            } else {
                EntryKind::File
            };
            names.insert(first.as_os_str().to_string_lossy().into_owned(), kind);
        }
        Ok(names.into_iter().collect())
    }
}

#[cfg(test)]
mod read_tests {
    use super::*;

    #[test]
    fn only_regular_files_of_bounded_size_are_read() {
        let temp = tempfile::tempdir().unwrap();
        let small = temp.path().join("a.toml");
        std::fs::write(&small, "title = \"x\"").unwrap();
        assert_eq!(read_regular(&small, 100).unwrap(), b"title = \"x\"");
        let err = read_regular(&small, 4).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        let err = read_regular(temp.path(), 100).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        #[cfg(unix)]
        {
            let err = read_regular(Path::new("/dev/zero"), 100).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file read ahead is served once with the bytes read then, even if it changed on disk
    /// since; after that, and for files never read ahead, reads go to the disk.
    #[test]
    fn a_file_read_ahead_is_served_once_as_it_was_read() {
        let temp = tempfile::tempdir().unwrap();
        let file = temp.path().join("course.toml");
        std::fs::write(&file, "id = \"before\"").unwrap();
        std::fs::write(temp.path().join("other.toml"), "x").unwrap();
        let disk = Disk::new(temp.path());
        let remembered = Remembered::new(&disk);
        let path = Path::new("course.toml");
        assert_eq!(remembered.read_ahead(path, <[u8]>::len).unwrap(), 13);
        std::fs::write(&file, "id = \"after\"").unwrap();
        assert_eq!(remembered.read(path).unwrap(), b"id = \"before\"");
        assert_eq!(remembered.read(path).unwrap(), b"id = \"after\"");
        assert_eq!(remembered.read(Path::new("other.toml")).unwrap(), b"x");
        assert!(
            remembered
                .read_ahead(Path::new("absent.toml"), |_| ())
                .is_err()
        );
        assert_eq!(remembered.display(path), disk.display(path));
        assert_eq!(remembered.disk_root(), Some(temp.path()));
    }

    #[test]
    fn memory_lists_files_and_implied_directories() {
        let memory = Memory::new("mem")
            .with("course.toml", "id = 1")
            .with("modules/a.toml", "")
            .with("modules/b.toml", "")
            .with("templates/md/module.md", "");
        assert_eq!(memory.kind(Path::new("")).unwrap(), Some(EntryKind::Dir));
        assert_eq!(
            memory.kind(Path::new("modules")).unwrap(),
            Some(EntryKind::Dir)
        );
        assert_eq!(
            memory.kind(Path::new("course.toml")).unwrap(),
            Some(EntryKind::File)
        );
        assert_eq!(memory.kind(Path::new("nothing")).unwrap(), None);
        assert_eq!(
            memory.list(Path::new("")).unwrap(),
            [
                ("course.toml".to_owned(), EntryKind::File),
                ("modules".to_owned(), EntryKind::Dir),
                ("templates".to_owned(), EntryKind::Dir)
            ]
        );
        assert_eq!(memory.read(Path::new("course.toml")).unwrap(), b"id = 1");
        assert_eq!(
            memory.display(Path::new("modules/a.toml")),
            Path::new("mem/modules/a.toml")
        );
    }

    #[test]
    fn disk_shows_paths_as_given() {
        assert_eq!(
            Disk::new(".").display(Path::new("course.toml")),
            Path::new("course.toml")
        );
        assert_eq!(
            Disk::new("c").display(Path::new("course.toml")),
            Path::new("c/course.toml")
        );
        assert_eq!(Disk::new("c").display(Path::new("")), Path::new("c"));
    }
}

/// Reads `path` when it is a regular file of at most `limit` bytes. A FIFO, device or socket is
/// refused before it is opened (opening a FIFO waits for a writer; `/dev/zero` never ends), and
/// at most `limit + 1` bytes are ever read, so a file that grows while it is read is refused too.
pub(crate) fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    use std::io::Read as _;
    let not_regular = || {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file (a FIFO, device or socket); only regular files are read",
        )
    };
    let too_large = |size: u64| {
        io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("the file is {size} bytes or more, over the limit of {limit} bytes"),
        )
    };
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}
