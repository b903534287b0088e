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
        format!("{:032x}", self.0.digest128())
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
        let text = std::fs::read_to_string(&path).unwrap_or_default();
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
        let previous = lines
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
            current: Mutex::new(BTreeMap::new()),
        }
    }

    /// A cache that remembers nothing (`--no-cache`), but still records this build.
    pub fn empty(out: &Path) -> Self {
        Cache {
            path: out.join(CACHE),
            last: None,
            previous: BTreeMap::new(),
            current: Mutex::new(BTreeMap::new()),
        }
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
        let mut text = match replay {
            Some((digest, summary, _)) => format!("source {digest} {summary}\n"),
            None => "source - -\n".to_owned(),
        };
        for note in replay.map(|(_, _, notes)| notes).unwrap_or_default() {
            debug_assert!(!note.contains('\n'), "a note is one line");
            text.push_str("note ");
            text.push_str(&note.replace('\n', " "));
            text.push('\n');
        }
        for (file, entry) in &current {
            let Entry {
                key,
                size,
                modified,
            } = entry;
            text.push_str(&format!("{key}\t{size}\t{modified}\t{file}\n"));
        }
        let _ = crate::output::write_file(&self.path, text.as_bytes());
    }
}

/// A regular file's size and modification time (in nanoseconds).
fn stat(out: &Path, file: &str) -> Option<(u64, u128)> {
    let meta = std::fs::symlink_metadata(out.join(file)).ok()?;
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
