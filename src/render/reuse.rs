//! Parts of whole-course pages taken from the last build instead of rendered again.
//!
//! A page written in parts (see [`super::walk`]) records, for each part, a key and where the
//! part's bytes sit in the file it wrote. The key is a digest of everything the part is made
//! from: the part's context as the template sees it (its texts as marks), each text's source
//! and where it is placed, the part's template and file, and what every page is made from
//! besides (the binary, the options, the templates, every file that is not a module). The next
//! build computes the same key from its own context; when the last build's file is still as it
//! left it (its size and modification time, as the cache recorded them), a part whose key
//! matches is copied from that file instead of rendered.
//!
//! In HTML a part is written as its template renders it, so its bytes are the part. A
//! Markdown copy is escaped a run at a time (see [`super::walk`]): what is kept there is a run
//! the last build cut just before the part and just after the frame's text that follows it,
//! keyed by the part's key and that text, and it is used only where this build cuts before the
//! part too. Escaping a run depends on nothing but the run, so the bytes are the ones escaping
//! it again would give.

use std::cell::Cell;
use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt as _;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use super::text::Body;
use crate::cache::{Cache, Fingerprint, Part};

/// The last build's parts, and where this build's go.
pub struct Reuse<'a> {
    cache: &'a Cache,
    out: &'a Path,
    base: u128,
    /// The last build's files, opened on first use: `None` when a file is not as it was left.
    old: Mutex<HashMap<String, Arc<Option<Old>>>>,
    /// How many parts this build kept.
    kept: AtomicUsize,
    /// How many frames of whole-course files this build took from the cache.
    frames: AtomicUsize,
    /// How many pages it left as they were because their contexts did not change.
    pages: AtomicUsize,
}

impl std::fmt::Debug for Reuse<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reuse").field("out", &self.out).finish()
    }
}

/// A file of the last build, held open, and its parts by key.
struct Old {
    file: Mutex<ReadAhead>,
    at: HashMap<u128, Part>,
}

impl Old {
    /// Its `len` bytes at `offset`, as text.
    fn read(&self, offset: u64, len: u64) -> Option<String> {
        let mut bytes = Vec::new();
        self.append(offset, len, &mut bytes).then_some(())?;
        String::from_utf8(bytes).ok()
    }

    /// Appends its `len` bytes at `offset` to `out` as they are; `false`, `out` as it was, when
    /// they cannot be read.
    fn append(&self, offset: u64, len: u64, out: &mut Vec<u8>) -> bool {
        let before = out.len();
        let Ok(len) = usize::try_from(len) else {
            return false;
        };
        let mut ahead = self.file.lock().unwrap_or_else(PoisonError::into_inner);
        let read = ahead.append_at(out, offset, len).is_ok();
        if !read {
            out.truncate(before);
        }
        read
    }
}

/// How much of a file [`ReadAhead`] reads at a time.
const WINDOW: usize = 1 << 18;

/// Reads at least this long go straight to the file: a window would hold few of them.
const DIRECT: usize = WINDOW / 4;

/// A file of the last build read a window at a time, for readers that read it in order in
/// many short reads (the writers placing the parts they copy, the zip reader copying a QTI
/// package's entries): one read of a window serves many of them, where each would otherwise
/// cost a system call (thousands per file).
pub(crate) struct ReadAhead {
    file: File,
    size: u64,
    /// Where [`std::io::Read`] goes on from.
    pos: u64,
    /// Where `window` starts in the file.
    start: u64,
    window: Vec<u8>,
}

impl std::fmt::Debug for ReadAhead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadAhead")
            .field("size", &self.size)
            .finish()
    }
}

impl ReadAhead {
    /// `file`, as long as it is now.
    pub(crate) fn new(file: File) -> std::io::Result<Self> {
        let size = file.metadata()?.len();
        Ok(ReadAhead {
            file,
            size,
            pos: 0,
            start: 0,
            window: Vec::new(),
        })
    }

    /// Fills `buf` with the bytes from `offset` on; fails if the file ends before.
    pub(crate) fn read_exact_at(&mut self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        // A long read is not worth moving the window for.
        if !self.holds(offset, buf.len()) && buf.len() >= DIRECT {
            return self.file.read_exact_at(buf, offset);
        }
        let from = self.window_at(offset, buf.len())?;
        buf.copy_from_slice(&self.window[from..from + buf.len()]);
        Ok(())
    }

    /// Appends the `len` bytes at `offset` to `out`, copied once: not zeroed first, nor read
    /// into a buffer of their own.
    pub(crate) fn append_at(
        &mut self,
        out: &mut Vec<u8>,
        offset: u64,
        len: usize,
    ) -> std::io::Result<()> {
        if !self.holds(offset, len) && len >= DIRECT {
            return read_to(&self.file, offset, len, out);
        }
        let from = self.window_at(offset, len)?;
        out.extend_from_slice(&self.window[from..from + len]);
        Ok(())
    }

    /// Whether the window holds the `len` bytes at `offset`.
    fn holds(&self, offset: u64, len: usize) -> bool {
        let end = offset.saturating_add(len as u64);
        offset >= self.start && end <= self.start.saturating_add(self.window.len() as u64)
    }

    /// Where the `len` bytes at `offset` start in the window, moved there first if it does not
    /// hold them.
    fn window_at(&mut self, offset: u64, len: usize) -> std::io::Result<usize> {
        if !self.holds(offset, len) {
            let want = (WINDOW as u64)
                .min(self.size.saturating_sub(offset))
                .max(len as u64);
            self.window.clear();
            if let Err(err) = read_to(
                &self.file,
                offset,
                usize::try_from(want).unwrap_or(WINDOW),
                &mut self.window,
            ) {
                self.window.clear();
                return Err(err);
            }
            self.start = offset;
        }
        Ok(usize::try_from(offset - self.start).unwrap_or(usize::MAX))
    }
}

/// Appends exactly the `len` bytes of `file` at `offset` to `out`, into its spare capacity (no
/// zeroing first); an error if the file ends before.
fn read_to(file: &File, offset: u64, len: usize, out: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::{Read, Seek};
    let before = out.len();
    out.reserve(len);
    let mut file = file;
    file.seek(std::io::SeekFrom::Start(offset))?;
    let read = file.take(len as u64).read_to_end(out)?;
    if read != len {
        out.truncate(before);
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(())
}

impl std::io::Read for ReadAhead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.size.saturating_sub(self.pos);
        let n = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        if n > 0 {
            self.read_exact_at(&mut buf[..n], self.pos)?;
            self.pos += n as u64;
        }
        Ok(n)
    }
}

impl std::io::Seek for ReadAhead {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let pos = match to {
            std::io::SeekFrom::Start(at) => Some(at),
            std::io::SeekFrom::End(by) => self.size.checked_add_signed(by),
            std::io::SeekFrom::Current(by) => self.pos.checked_add_signed(by),
        };
        self.pos = pos.ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "a seek before the start")
        })?;
        Ok(self.pos)
    }
}

thread_local! {
    /// Set while a part must be rendered whatever the last build holds.
    static FRESH: Cell<bool> = const { Cell::new(false) };
}

/// Runs `make` with every part rendered, none kept.
pub(super) fn fresh<T>(make: impl FnOnce() -> T) -> T {
    crate::flag::raised(&FRESH, make)
}

/// The key of a Markdown run: the part's key and the frame's text after it.
pub(super) fn run_key(part: u128, after: &str) -> u128 {
    Fingerprint::default().add(part).add(after).digest()
}

impl<'a> Reuse<'a> {
    /// Parts from `cache`, the cache of `out`, whose pages are all made from `base` besides
    /// their own contexts.
    pub fn new(cache: &'a Cache, out: &'a Path, base: u128) -> Self {
        Reuse {
            cache,
            out,
            base,
            old: Mutex::new(HashMap::new()),
            kept: AtomicUsize::new(0),
            frames: AtomicUsize::new(0),
            pages: AtomicUsize::new(0),
        }
    }

    /// The digest of a part's view (its texts as marks, as a template sees them) and of the
    /// texts its marks name, over everything else every part is made from. The view is
    /// serialized straight into the digest (see [`super::hashed`]): no context is built for it.
    pub(super) fn view(&self, view: &impl serde::Serialize) -> Result<Fingerprint, String> {
        let mut print = Fingerprint::default();
        print.add(self.base);
        let (written, texts) = super::defer::hash_marked(view, &mut print);
        written?;
        identify(&mut print, &texts);
        Ok(print)
    }

    /// Where the last build wrote the part of `file` keyed `key` (its offset and length), when
    /// its file is still as it left it and this build may keep parts. The bytes are read when
    /// the part is placed ([`Reuse::read`]): in the order they sit in the file, a window at a
    /// time, where parts made side by side would ask for them out of order.
    pub(super) fn find(&self, file: &str, key: u128) -> Option<(u64, u64)> {
        if FRESH.with(Cell::get) {
            return None;
        }
        let old = self.old(file);
        let part = old.as_ref().as_ref()?.at.get(&key)?;
        Some((part.offset, part.len))
    }

    /// Appends the `len` bytes at `offset` of the last build's `file` to `out`, as they are;
    /// `false`, `out` as it was, if they cannot be read.
    pub(super) fn append(&self, file: &str, offset: u64, len: u64, out: &mut Vec<u8>) -> bool {
        self.old(file)
            .as_ref()
            .as_ref()
            .is_some_and(|old| old.append(offset, len, out))
    }

    /// The last build's bytes of the part of `file` keyed `key`, and what it reported of it.
    pub(crate) fn kept(&self, file: &str, key: u128) -> Option<(String, String)> {
        let old = self.old(file);
        let old = old.as_ref().as_ref()?;
        let part = old.at.get(&key)?;
        Some((old.read(part.offset, part.len)?, part.notes.to_string()))
    }

    /// What the last build reported of the part of `file` keyed `key`, when it wrote one and
    /// the file is still as it left it; for parts that are not a run of bytes (a zip's entries).
    pub(crate) fn notes(&self, file: &str, key: u128) -> Option<String> {
        let old = self.old(file);
        let old = old.as_ref().as_ref()?;
        old.at.get(&key).map(|part| part.notes.to_string())
    }

    /// Whether the last build wrote a part of `file` keyed `key`, and left the file as it is.
    pub(crate) fn has(&self, file: &str, key: u128) -> bool {
        self.old(file)
            .as_ref()
            .as_ref()
            .is_some_and(|old| old.at.contains_key(&key))
    }

    /// The last build's `file`, opened again, when it is as the last build left it.
    pub(crate) fn file(&self, file: &str) -> Option<File> {
        let old = self.old(file);
        let ahead = old.as_ref().as_ref()?.file.lock();
        let ahead = ahead.unwrap_or_else(PoisonError::into_inner);
        ahead.file.try_clone().ok()
    }

    /// What every part is made from besides its own context.
    pub(crate) fn base(&self) -> u128 {
        self.base
    }

    fn old(&self, file: &str) -> Arc<Option<Old>> {
        let mut old = self.old.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = old.get(file) {
            return Arc::clone(found);
        }
        let opened = Arc::new(self.open(file));
        old.insert(file.to_owned(), Arc::clone(&opened));
        opened
    }

    /// The last build's `file`, if it is as the last build left it.
    fn open(&self, file: &str) -> Option<Old> {
        let (size, modified, parts) = self.cache.parts(file)?;
        let handle = File::open(self.out.join(file)).ok()?;
        // The file read is the one checked: it is held open from here.
        if crate::cache::stamp(&handle.metadata().ok()?) != Some((size, modified)) {
            return None;
        }
        let at = parts
            .iter()
            .filter(|part| part.offset.saturating_add(part.len) <= size)
            .map(|part| (part.key, part.clone()))
            .collect();
        let file = Mutex::new(ReadAhead::new(handle).ok()?);
        Some(Old { file, at })
    }

    /// The last build's frame of `file` (its text around `parts` parts), when it was made from
    /// `key`.
    pub(super) fn frame(&self, file: &str, key: u128, parts: usize) -> Option<Arc<[String]>> {
        let frame = self.cache.frame(file, key)?;
        if frame.len() != parts + 1 {
            return None;
        }
        self.frames.fetch_add(1, Ordering::Relaxed);
        Some(frame)
    }

    /// How many frames of whole-course files this build took from the last build's.
    pub fn frames_kept(&self) -> usize {
        self.frames.load(Ordering::Relaxed)
    }

    /// Records the frame this build wrote `file` in, made from `key`.
    pub(super) fn record_frame(&self, file: &str, key: u128, between: Arc<[String]>) {
        self.cache
            .record_frame(file, crate::cache::Frame { key, between });
    }

    /// Whether the last build wrote all of `file` from `key` (see [`whole_part`]) and left it
    /// as it is.
    pub(super) fn whole(&self, file: &str, key: u128) -> bool {
        !FRESH.with(Cell::get)
            && self.old(file).as_ref().as_ref().is_some_and(|old| {
                old.at
                    .get(&key)
                    .is_some_and(|part| part.offset == 0 && part.len == 0)
            })
    }

    /// Carries what the last build recorded of `file` (its entry, its parts, its frame) into
    /// this build's cache: the file is left as it is.
    pub(super) fn carry(&self, file: &str) {
        self.cache.keep(file);
    }

    /// Adds, to what this build records of `file`, that it was written whole from `key`.
    pub(super) fn add_whole(&self, file: &str, key: u128) {
        self.cache.add_part(file, whole_part(key));
    }

    /// Counts a page whose files were left as the last build wrote them.
    pub(super) fn page_kept(&self) {
        self.pages.fetch_add(1, Ordering::Relaxed);
    }

    /// How many pages this build left as the last build wrote them, found by their contexts.
    pub fn pages_kept(&self) -> usize {
        self.pages.load(Ordering::Relaxed)
    }

    /// Counts a part written from the last build's bytes.
    pub(crate) fn placed(&self) {
        self.kept.fetch_add(1, Ordering::Relaxed);
    }

    /// How many parts this build wrote from the last build's bytes.
    pub fn parts_kept(&self) -> usize {
        self.kept.load(Ordering::Relaxed)
    }

    /// Records where this build wrote the parts of `file`.
    pub(crate) fn record(&self, file: &str, parts: Vec<Part>) {
        if !parts.is_empty() {
            self.cache.record_parts(file, parts);
        }
    }
}

/// The record of a file written whole from a context keyed `key`: a part at offset 0 of length
/// 0, which no part of a page written in parts is (each holds at least its own text), standing
/// for the whole file as the cache recorded its size.
fn whole_part(key: u128) -> Part {
    Part {
        key,
        offset: 0,
        len: 0,
        notes: "".into(),
    }
}

/// Adds what each of `texts` prints from.
fn identify(print: &mut Fingerprint, texts: &[Arc<Body>]) {
    for text in texts {
        text.identify(print);
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read as _, Seek as _, SeekFrom};

    use super::*;

    /// A file of `len` bytes that are not all alike, and its bytes.
    fn file(len: usize) -> (tempfile::NamedTempFile, Vec<u8>) {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        let mut temp = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut temp, &bytes).unwrap();
        (temp, bytes)
    }

    #[test]
    fn a_window_serves_reads_anywhere_in_any_order() {
        let len = 3 * WINDOW + 123;
        let (temp, bytes) = file(len);
        let mut ahead = ReadAhead::new(File::open(temp.path()).unwrap()).unwrap();
        // Forward, back, across a window's end, longer than a window, at the very end.
        let reads = [
            (0, 10),
            (5, 100),
            (WINDOW - 3, 7),
            (2, 3),
            (WINDOW + 1, WINDOW + 5),
            (len - 4, 4),
            (len, 0),
        ];
        for (offset, n) in reads {
            let mut buf = vec![0; n];
            ahead.read_exact_at(&mut buf, offset as u64).unwrap();
            assert_eq!(buf, bytes[offset..offset + n], "{n} bytes at {offset}");
        }
        // Past the end is an error, and the next read is right again.
        let mut buf = vec![0; 8];
        assert!(ahead.read_exact_at(&mut buf, len as u64 - 4).is_err());
        ahead.read_exact_at(&mut buf, 1).unwrap();
        assert_eq!(buf, bytes[1..9]);
    }

    #[test]
    fn it_reads_and_seeks_as_the_file_does() {
        let (temp, bytes) = file(WINDOW + 1000);
        let mut ahead = ReadAhead::new(File::open(temp.path()).unwrap()).unwrap();
        let mut all = Vec::new();
        ahead.read_to_end(&mut all).unwrap();
        assert_eq!(all, bytes);
        assert_eq!(
            ahead.seek(SeekFrom::End(-10)).unwrap(),
            bytes.len() as u64 - 10
        );
        let mut tail = Vec::new();
        ahead.read_to_end(&mut tail).unwrap();
        assert_eq!(tail, bytes[bytes.len() - 10..]);
        ahead.seek(SeekFrom::Start(3)).unwrap();
        assert_eq!(ahead.seek(SeekFrom::Current(4)).unwrap(), 7);
        let mut four = [0; 4];
        ahead.read_exact(&mut four).unwrap();
        assert_eq!(four, bytes[7..11]);
        assert!(ahead.seek(SeekFrom::Current(-100)).is_err());
    }
}
