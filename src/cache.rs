//! The build cache: what each output file was made from, so a rebuild renders only the pages
//! whose inputs changed, and a rebuild of an unchanged course does no more than read and hash it.
//!
//! Every key covers everything a page is made from: the coursepack binary itself (its bytes, so
//! a different build of the tool never reuses another's pages), the build options, every
//! template, every file read that is not a module (`course.toml`, handouts, catalogs,
//! translations), and the module the page shows (or every module, for pages that show the whole
//! course). A page is reused only when its key matches and its file still has the size this
//! cache recorded; anything else, a missing or unreadable cache included, renders it again.
//! `build --no-cache` ignores the cache.
//!
//! The cache also records where each part of a page written in parts (a module's part of the
//! handbook, a question's of a form, a module's bank in an LMS file) sits in its file, with a
//! digest of what it was made from ([`Part`]); `render::reuse` copies such a part from the last
//! build's file into a page that is rendered again.
//!
//! And it holds the *frame* of each whole-course file (the text around its parts, see
//! `render::walk`) with a digest of what the frame was made from, so a rebuild in which that
//! did not change (an edit inside one module leaves the handbook's table of contents as it was)
//! does not render the frame again.

use std::collections::BTreeMap;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

/// The cache's name in the output folder.
pub const CACHE: &str = ".coursepack-cache";

/// A 128-bit digest (XXH3): the page keys hash every module's text, so it is built for speed.
#[derive(Clone, Default)]
pub struct Fingerprint(xxhash_rust::xxh3::Xxh3Default);

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Fingerprint").field(&self.finish()).finish()
    }
}

impl Fingerprint {
    /// Adds a value (its length is part of it, so `ab`+`c` differs from `a`+`bc`).
    pub fn add(&mut self, value: impl Hash) -> &mut Self {
        value.hash(&mut self.0);
        self
    }

    /// The digest, as 32 hex digits.
    pub fn finish(&self) -> String {
        format!("{:032x}", self.digest())
    }

    /// The digest as a number.
    pub fn digest(&self) -> u128 {
        self.0.digest128()
    }
}

/// Bytes written to a fingerprint are added as they are (no length): for a serializer's output.
impl std::io::Write for Fingerprint {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The running binary's digest, computed once per process.
pub fn binary() -> &'static str {
    static BINARY: OnceLock<String> = OnceLock::new();
    BINARY.get_or_init(|| {
        let mut print = Fingerprint::default();
        print.add(env!("CARGO_PKG_VERSION"));
        // Unreadable (an odd platform): then no cache entry can ever match another run's.
        match std::env::current_exe().and_then(std::fs::read) {
            Ok(bytes) => print.add(bytes),
            Err(_) => print
                .add(std::process::id())
                .add(std::time::SystemTime::now()),
        };
        print.finish()
    })
}

/// What an output folder's cache says, and what this build records.
#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    /// The whole source's digest of the last build that succeeded, its summary
    /// (`modules forms pages`) and its notes (what it reported, one line each).
    last: Option<Last>,
    previous: BTreeMap<String, Entry>,
    current: Mutex<BTreeMap<String, Entry>>,
    /// What every part and frame of the last build was made from besides its own context (the
    /// binary, the options, the templates, the files that are not modules), and this build's.
    previous_base: Option<u128>,
    base: Option<u128>,
    /// Where the last build's parts and frames start in the cache file, still to read.
    records_at: Option<u64>,
    /// Where each part of a page written in parts sits in its file (see [`Part`]).
    previous_parts: BTreeMap<String, Vec<Part>>,
    current_parts: Mutex<BTreeMap<String, Vec<Part>>>,
    /// The frame of each whole-course file (see [`Frame`]).
    previous_frames: BTreeMap<String, Frame>,
    current_frames: Mutex<BTreeMap<String, Frame>>,
}

/// A whole-course file's frame: what it was made from (a digest of the frame's context, its
/// texts and everything else its template reads) and the frame's text before the first part,
/// between parts and after the last, as `render::walk` writes it around the parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// What the frame was made from.
    pub key: u128,
    /// Its text around the parts: one more than there are parts.
    pub between: std::sync::Arc<[String]>,
}

/// A run of a whole-course file that one module's or question's part wrote, as the last build
/// left it: what it was made from (a digest of the part's context, its texts and everything else
/// its template reads), and where its bytes are, so the next build can copy them instead of
/// rendering the part again (see `render::reuse`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// What the part was made from.
    pub key: u128,
    /// Where its bytes start in the file.
    pub offset: u64,
    /// How many there are.
    pub len: u64,
    /// What the build reported of the part, on one line (an LMS group's losses, as JSON);
    /// empty for most.
    pub notes: Box<str>,
}

/// The last successful build, as [`Cache::unchanged_build`] needs it.
#[derive(Debug)]
struct Last {
    source: String,
    summary: String,
    notes: Vec<String>,
}

/// What an unchanged build reports: how many files it holds, its summary and its notes.
pub type Unchanged<'a> = (usize, &'a str, &'a [String]);

/// What a build leaves for the next one to replay when nothing changes: the source's digest,
/// the summary and the notes.
pub type Replay<'a> = (&'a str, &'a str, &'a [String]);

/// What a file was made from, and how it was left: its size and modification time, so a file
/// changed by hand since is made again.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    key: String,
    size: u64,
    modified: u128,
}

impl Cache {
    /// Reads `out`'s cache; a missing or garbled one is empty, so nothing is reused.
    pub fn open(out: &Path) -> Self {
        let path = out.join(CACHE);
        // Read as far as the parts and frames, which follow the entries: they are read only
        // once the build knows they can match (see `Cache::settle`).
        let (text, records_at) = read_head(&path);
        let mut lines = text.lines().peekable();
        let mut last = lines
            .next()
            .and_then(|l| l.strip_prefix("source "))
            .and_then(|l| l.split_once(' '))
            .filter(|(digest, _)| !digest.is_empty() && *digest != "-")
            .map(|(digest, summary)| Last {
                source: digest.to_owned(),
                summary: summary.to_owned(),
                notes: Vec::new(),
            });
        while let Some(note) = lines.next_if(|l| l.starts_with("note ")) {
            if let Some(last) = last.as_mut() {
                last.notes.push(note["note ".len()..].to_owned());
            }
        }
        let previous_base = lines
            .next_if(|l| l.starts_with("base "))
            .and_then(|l| u128::from_str_radix(&l["base ".len()..], 16).ok());
        let previous = lines
            .filter(|line| line.contains('\t'))
            .filter_map(|line| {
                let mut fields = line.splitn(4, '\t');
                let (key, size, modified, file) = (
                    fields.next()?,
                    fields.next()?,
                    fields.next()?,
                    fields.next()?,
                );
                let entry = Entry {
                    key: key.to_owned(),
                    size: size.parse().ok()?,
                    modified: modified.parse().ok()?,
                };
                Some((file.to_owned(), entry))
            })
            .collect();
        Cache {
            path,
            last,
            previous,
            previous_base,
            records_at,
            ..Cache::empty(out)
        }
    }

    /// A cache that remembers nothing (`--no-cache`), but still records this build.
    pub fn empty(out: &Path) -> Self {
        Cache {
            path: out.join(CACHE),
            last: None,
            previous: BTreeMap::new(),
            current: Mutex::new(BTreeMap::new()),
            previous_base: None,
            base: None,
            records_at: None,
            previous_parts: BTreeMap::new(),
            current_parts: Mutex::new(BTreeMap::new()),
            previous_frames: BTreeMap::new(),
            current_frames: Mutex::new(BTreeMap::new()),
        }
    }

    /// Sets what this build's parts and frames are made from besides their own contexts
    /// (`base`, which begins every one of their keys), and reads the last build's parts and
    /// frames when theirs was the same. When it was another, none of them can match, and they
    /// are never read: a large course's records would only take memory while it renders.
    pub fn settle(&mut self, base: u128) {
        self.base = Some(base);
        let Some(at) = self.records_at.take() else {
            return;
        };
        if self.previous_base != Some(base) {
            return;
        }
        let mut text = String::new();
        let read = std::fs::File::open(&self.path).and_then(|mut file| {
            use std::io::{Read, Seek};
            file.seek(std::io::SeekFrom::Start(at))?;
            file.read_to_string(&mut text)
        });
        if read.is_err() {
            return;
        }
        let (parts, frames) = read_records(&text);
        self.previous_parts = parts;
        self.previous_frames = frames;
    }

    /// Whether the last build was of exactly `source`, and every file it recorded is still
    /// there as it was left: then there is nothing to do but to say again what it said.
    /// Returns how many files it holds, its summary and its notes.
    pub fn unchanged_build(&self, source: &str, out: &Path) -> Option<Unchanged<'_>> {
        let last = self.last.as_ref()?;
        if last.source != source || self.previous.is_empty() {
            return None;
        }
        let intact = self
            .previous
            .iter()
            .all(|(file, entry)| as_left(out, file, entry));
        intact.then_some((self.previous.len(), last.summary.as_str(), &last.notes[..]))
    }

    /// Whether every one of `files` was made from `key` and is still as it was written.
    pub fn fresh(&self, out: &Path, files: &[String], key: &str) -> bool {
        files.iter().all(|file| {
            self.previous
                .get(file)
                .is_some_and(|entry| entry.key == key && as_left(out, file, entry))
        })
    }

    /// Carries a reused file's entry into this build's cache.
    pub fn keep(&self, file: &str) {
        if let Some(entry) = self.previous.get(file) {
            self.lock().insert(file.to_owned(), entry.clone());
        }
        if let Some(parts) = self.previous_parts.get(file) {
            self.lock_parts().insert(file.to_owned(), parts.clone());
        }
        if let Some(frame) = self.previous_frames.get(file) {
            self.lock_frames().insert(file.to_owned(), frame.clone());
        }
    }

    /// The text of the frame the last build wrote `file` in, when it was made from `key`.
    pub fn frame(&self, file: &str, key: u128) -> Option<std::sync::Arc<[String]>> {
        let frame = self.previous_frames.get(file)?;
        (frame.key == key).then(|| std::sync::Arc::clone(&frame.between))
    }

    /// Records the frame this build wrote `file` in; kept only if `file` is recorded too.
    pub fn record_frame(&self, file: &str, frame: Frame) {
        self.lock_frames().insert(file.to_owned(), frame);
    }

    fn lock_frames(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Frame>> {
        self.current_frames
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The parts the last build wrote into `file`, with the size and modification time it left
    /// the file with: they hold only while the file is still so.
    pub fn parts(&self, file: &str) -> Option<(u64, u128, &[Part])> {
        let entry = self.previous.get(file)?;
        let parts = self.previous_parts.get(file)?;
        Some((entry.size, entry.modified, parts))
    }

    /// Records where this build wrote the parts of `file`; kept only if `file` is recorded too.
    pub fn record_parts(&self, file: &str, parts: Vec<Part>) {
        self.lock_parts().insert(file.to_owned(), parts);
    }

    /// Adds one more part to what this build recorded of `file`.
    pub fn add_part(&self, file: &str, part: Part) {
        self.lock_parts()
            .entry(file.to_owned())
            .or_default()
            .push(part);
    }

    fn lock_parts(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Vec<Part>>> {
        self.current_parts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Records that `file` under `out`, just written or confirmed, was made from `key`.
    pub fn record(&self, out: &Path, file: &str, key: &str) {
        let Some((size, modified)) = stat(out, file) else {
            return;
        };
        let entry = Entry {
            key: key.to_owned(),
            size,
            modified,
        };
        self.lock().insert(file.to_owned(), entry);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Entry>> {
        self.current.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes this build's cache; `replay` is what the next build of the same source says
    /// instead of building (notes are single lines). A cache that cannot be written only costs
    /// the next build time.
    pub fn save(self, replay: Option<Replay<'_>>) {
        let current = self
            .current
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let parts = self
            .current_parts
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let frames = self
            .current_frames
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        // Written as it is made: the parts of a long course run to megabytes.
        let _ = crate::output::write_atomic_with(&self.path, &mut |out| {
            match replay {
                Some((digest, summary, _)) => writeln!(out, "source {digest} {summary}")?,
                None => writeln!(out, "source - -")?,
            }
            for note in replay.map(|(_, _, notes)| notes).unwrap_or_default() {
                debug_assert!(!note.contains('\n'), "a note is one line");
                writeln!(out, "note {}", note.replace('\n', " "))?;
            }
            if let Some(base) = self.base {
                writeln!(out, "base {base:032x}")?;
            }
            for (file, entry) in &current {
                let Entry {
                    key,
                    size,
                    modified,
                } = entry;
                writeln!(out, "{key}\t{size}\t{modified}\t{file}")?;
            }
            for (file, parts) in &parts {
                // Parts of a file this build did not leave in place would describe another file.
                if !current.contains_key(file) || file.contains('\n') {
                    continue;
                }
                writeln!(out, "parts\t{file}")?;
                for Part {
                    key,
                    offset,
                    len,
                    notes,
                } in parts
                {
                    if notes.is_empty() || notes.contains('\n') {
                        writeln!(out, "{key:032x} {offset} {len}")?;
                    } else {
                        writeln!(out, "{key:032x} {offset} {len} {notes}")?;
                    }
                }
            }
            for (file, Frame { key, between }) in &frames {
                if !current.contains_key(file) || file.contains('\n') {
                    continue;
                }
                let digest = frame_digest(between);
                writeln!(
                    out,
                    "frame\t{key:032x} {} {digest:032x}\t{file}",
                    between.len()
                )?;
                for text in between.iter() {
                    // Its length on a line, then the text as it is: nothing to escape, and
                    // nothing to unescape when it is read.
                    writeln!(out, "{}", text.len())?;
                    out.write_all(text.as_bytes())?;
                    writeln!(out)?;
                }
            }
            Ok(())
        });
    }
}

/// The cache file at `path` up to its first part or frame record, and where that record starts;
/// empty when there is no file, or its head is not text.
fn read_head(path: &Path) -> (String, Option<u64>) {
    use std::io::BufRead;
    let Ok(file) = std::fs::File::open(path) else {
        return (String::new(), None);
    };
    let mut reader = std::io::BufReader::new(file);
    let mut head = String::new();
    loop {
        let start = head.len();
        match reader.read_line(&mut head) {
            Ok(0) => return (head, None),
            Ok(_) => {
                let line = &head[start..];
                if line.starts_with("parts\t") || line.starts_with("frame\t") {
                    head.truncate(start);
                    return (head, Some(start as u64));
                }
            }
            Err(_) => return (String::new(), None),
        }
    }
}

/// The parts and the frames a cache file records from `text` on: garbled ones are left out.
fn read_records(text: &str) -> (BTreeMap<String, Vec<Part>>, BTreeMap<String, Frame>) {
    let mut previous_parts: BTreeMap<String, Vec<Part>> = BTreeMap::new();
    let mut previous_frames: BTreeMap<String, Frame> = BTreeMap::new();
    let mut parts_of: Option<&mut Vec<Part>> = None;
    let mut rest = text;
    while let Some(line_now) = line(&mut rest) {
        if let Some(file) = line_now.strip_prefix("parts\t") {
            parts_of = Some(previous_parts.entry(file.to_owned()).or_default());
        } else if let Some(head) = line_now.strip_prefix("frame\t") {
            parts_of = None;
            // `frame\t<key> <texts> <digest>\t<file>`, then each text of the frame as its length
            // in bytes on a line and the text itself, and a line break; the digest is of the
            // texts. A garbled frame is left out, never a wrong one kept.
            let Some((key, count, digest, file)) =
                head.split_once('\t').and_then(|(head, file)| {
                    let mut fields = head.split(' ');
                    let key = u128::from_str_radix(fields.next()?, 16).ok()?;
                    let count = fields.next()?.parse::<usize>().ok()?;
                    let digest = u128::from_str_radix(fields.next()?, 16).ok()?;
                    Some((key, count, digest, file))
                })
            else {
                break;
            };
            let between: Option<Vec<String>> = (0..count).map(|_| text_of(&mut rest)).collect();
            // Texts that do not read as written leave no place to go on from; texts that read
            // but are not what the digest says are only this frame's loss.
            let Some(between) = between else { break };
            if frame_digest(&between) == digest {
                let between = between.into();
                previous_frames.insert(file.to_owned(), Frame { key, between });
            }
        } else if let Some(parts) = parts_of.as_deref_mut() {
            let mut fields = line_now.splitn(4, ' ');
            let part = (|| {
                Some(Part {
                    key: u128::from_str_radix(fields.next()?, 16).ok()?,
                    offset: fields.next()?.parse().ok()?,
                    len: fields.next()?.parse().ok()?,
                    notes: fields.next().unwrap_or_default().into(),
                })
            })();
            // A garbled line costs the file its parts, never a wrong one.
            match part {
                Some(part) => parts.push(part),
                None => {
                    parts.clear();
                    parts_of = None;
                }
            }
        }
    }
    (previous_parts, previous_frames)
}

/// The next line of `rest`, without its line break; `rest` goes on after it.
fn line<'a>(rest: &mut &'a str) -> Option<&'a str> {
    if rest.is_empty() {
        return None;
    }
    let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
    *rest = after;
    Some(line)
}

/// The next text of a frame in `rest`: its length in bytes on a line, the text, a line break.
fn text_of(rest: &mut &str) -> Option<String> {
    let len: usize = line(rest)?.parse().ok()?;
    let text = rest.get(..len)?;
    *rest = rest.get(len..)?.strip_prefix('\n')?;
    Some(text.to_owned())
}

/// The digest of a frame's texts, which the cache checks them against when it reads them.
fn frame_digest(texts: &[String]) -> u128 {
    let mut print = Fingerprint::default();
    print.add(texts);
    print.digest()
}

/// A regular file's size and modification time (in nanoseconds).
fn stat(out: &Path, file: &str) -> Option<(u64, u128)> {
    stamp(&std::fs::symlink_metadata(out.join(file)).ok()?)
}

/// A regular file's size and modification time (in nanoseconds), as the cache records them.
pub fn stamp(meta: &std::fs::Metadata) -> Option<(u64, u128)> {
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    meta.is_file().then_some((meta.len(), modified.as_nanos()))
}

fn as_left(out: &Path, file: &str, entry: &Entry) -> bool {
    stat(out, file) == Some((entry.size, entry.modified))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `out`'s cache, settled on the base every test build records.
    fn opened(out: &Path) -> Cache {
        let mut cache = Cache::open(out);
        cache.settle(0);
        cache
    }

    #[test]
    fn fingerprints_separate_their_parts() {
        let digest = |parts: &[&str]| {
            let mut print = Fingerprint::default();
            for part in parts {
                print.add(part);
            }
            print.finish()
        };
        assert_eq!(digest(&["ab", "c"]), digest(&["ab", "c"]));
        assert_ne!(digest(&["ab", "c"]), digest(&["a", "bc"]));
        assert_eq!(digest(&["x"]).len(), 32);
    }

    #[test]
    fn parts_round_trip_with_their_file_only() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path();
        std::fs::write(out.join("a.html"), "12345").unwrap();
        let cache = opened(out);
        let parts = vec![
            Part {
                key: u128::MAX,
                offset: 0,
                len: 2,
                notes: "".into(),
            },
            Part {
                key: 7,
                offset: 2,
                len: 3,
                notes: "[[\"a b\", 1]]".into(),
            },
        ];
        cache.record(out, "a.html", "k");
        cache.record_parts("a.html", parts.clone());
        // Parts of a file the build did not record are not kept.
        cache.record_parts("gone.html", parts.clone());
        cache.save(None);
        let cache = opened(out);
        let (size, _, read) = cache.parts("a.html").unwrap();
        assert_eq!((size, read), (5, &parts[..]));
        assert!(cache.parts("gone.html").is_none());
        // Kept whole, a file keeps its parts.
        cache.keep("a.html");
        cache.save(None);
        assert_eq!(opened(out).parts("a.html").unwrap().2, &parts[..]);
        // A garbled part line costs its file every part.
        let text = std::fs::read_to_string(out.join(CACHE)).unwrap();
        std::fs::write(out.join(CACHE), text.replace(" 0 2\n", " 0\n")).unwrap();
        assert_eq!(opened(out).parts("a.html").unwrap().2, &[][..]);
    }

    /// The last build's parts and frames are kept for a build made over the same base, and let
    /// go for one made over another (or by a build that recorded none).
    #[test]
    fn parts_and_frames_are_let_go_when_their_base_changed() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path();
        std::fs::write(out.join("a.html"), "12345").unwrap();
        let save = |base: Option<u128>| {
            let mut cache = Cache::empty(out);
            if let Some(base) = base {
                cache.settle(base);
            }
            cache.record(out, "a.html", "k");
            let part = Part {
                key: 3,
                offset: 0,
                len: 2,
                notes: "".into(),
            };
            cache.record_parts("a.html", vec![part]);
            let between: std::sync::Arc<[String]> = vec!["a".to_owned(), "b".to_owned()].into();
            cache.record_frame("a.html", Frame { key: 9, between });
            cache.save(None);
        };
        let kept = |base: u128| {
            let mut cache = Cache::open(out);
            cache.settle(base);
            (
                cache
                    .parts("a.html")
                    .is_some_and(|(_, _, parts)| !parts.is_empty()),
                cache.frame("a.html", 9).is_some(),
            )
        };
        save(Some(1));
        assert_eq!(kept(1), (true, true), "the same base");
        save(Some(1));
        assert_eq!(kept(2), (false, false), "another base");
        save(None);
        assert_eq!(kept(1), (false, false), "no base recorded");
    }

    #[test]
    fn frames_round_trip_only_as_written_and_with_their_file() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path();
        std::fs::write(out.join("a.html"), "12345").unwrap();
        let texts: std::sync::Arc<[String]> = vec![
            "<h1>\"Top\"</h1>\n\t".to_owned(),
            String::new(),
            "end\n".to_owned(),
        ]
        .into();
        let frame = Frame {
            key: 9,
            between: texts.clone(),
        };
        let cache = opened(out);
        cache.record(out, "a.html", "k");
        cache.record_frame("a.html", frame.clone());
        // The frame of a file the build did not record is not kept.
        cache.record_frame("gone.html", frame);
        cache.save(None);
        let cache = opened(out);
        assert_eq!(cache.frame("a.html", 9).as_deref(), Some(&texts[..]));
        assert_eq!(cache.frame("a.html", 8), None, "made from something else");
        assert_eq!(cache.frame("gone.html", 9), None);
        // Kept whole, a file keeps its frame.
        cache.keep("a.html");
        cache.save(None);
        let written = std::fs::read_to_string(out.join(CACHE)).unwrap();
        assert_eq!(opened(out).frame("a.html", 9).as_deref(), Some(&texts[..]));
        // A text changed, one missing, one cut short, a length garbled, or a header garbled:
        // the frame is left out.
        for garbled in [
            written.replacen("Top", "Tip", 1),
            written.replacen("4\nend\n\n", "", 1),
            written.replacen("4\nend\n\n", "4\nend", 1),
            written.replacen("4\nend\n\n", "40\nend\n\n", 1),
            written.replacen("frame\t0000", "frame\tx000", 1),
        ] {
            assert_ne!(garbled, written);
            std::fs::write(out.join(CACHE), &garbled).unwrap();
            assert_eq!(opened(out).frame("a.html", 9), None, "{garbled}");
        }
    }

    #[test]
    fn a_cache_round_trips_and_checks_sizes() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path();
        std::fs::write(out.join("a.html"), "12345").unwrap();
        let cache = Cache::open(out);
        assert!(!cache.fresh(out, &["a.html".into()], "k"));
        cache.record(out, "a.html", "k");
        let notes = vec!["{\"a\":1}".to_owned(), "second".to_owned()];
        cache.save(Some(("src", "1 0 1", &notes)));
        let cache = Cache::open(out);
        assert!(cache.fresh(out, &["a.html".into()], "k"));
        assert!(!cache.fresh(out, &["a.html".into()], "other"));
        assert_eq!(
            cache.unchanged_build("src", out),
            Some((1, "1 0 1", &notes[..]))
        );
        assert_eq!(cache.unchanged_build("changed", out), None);
        std::fs::write(out.join("a.html"), "1234").unwrap();
        assert!(!cache.fresh(out, &["a.html".into()], "k"));
        // Same size, written again: the modification time tells.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(out.join("a.html"), "12345").unwrap();
        assert!(!cache.fresh(out, &["a.html".into()], "k"));
        assert_eq!(cache.unchanged_build("src", out), None);
        std::fs::write(out.join(CACHE), "garbage\n\u{0}").unwrap();
        assert!(!Cache::open(out).fresh(out, &["a.html".into()], "k"));
    }
}
