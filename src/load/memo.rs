//! The parsed-module memo: every module file the last build read without a problem, as the
//! model it became, by a digest of what it was made from, so a rebuild after editing one module
//! parses that module and reads the others back.
//!
//! A module is made from its path, its bytes, the variables filled into it (every variable's
//! value is in the key, so changing any changes every key) and the binary, which holds the
//! schema and the parser. Only a file that loaded without a single diagnostic is kept: its
//! reading says nothing, so reading it back says nothing either, and every rule still runs over
//! the model as before. What the memo holds of each is the model and the names of the variables
//! it used, which count as used again when it is read back.
//!
//! The memo is `.coursepack-modules` in the output folder, written after a build that succeeded.
//! Its entries are postcard, each with a checksum; an index at the end gives each key's place,
//! with its own checksum, so a build reads only the entries it asks for, where they are, and a
//! garbled or truncated memo, or a wrong checksum, is a miss, never a wrong model.
//!
//! A build that read most of its modules back writes only what is new: its new entries go where
//! the last index was, followed by the new index, and the entries it kept stay where they are.
//! A write cut short leaves an index that does not check, so the next build parses every
//! module. When the entries no longer listed would be more than half the file, the memo is
//! written whole again (to a temporary file, then renamed), with only what is listed.
//!
//! ```text
//! MAGIC, entries, index (count u64, then per entry: key u128, offset u64, length u64,
//! checksum u64), the index's checksum u64, the index's offset u64; integers little-endian
//! ```

use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::vars::Variables;
use crate::cache::{Fingerprint, binary};
use crate::check::ItemFindings;
use crate::diagnostic::Diagnostic;
use crate::model::{Module, ModuleFile};

/// The memo's name in the output folder.
pub const MEMO: &str = ".coursepack-modules";

/// What every memo starts with; a new layout of the file or of the model it holds needs no new
/// magic, since the binary is in every key.
const MAGIC: &[u8] = b"coursepack parsed modules\n";

/// Bytes of one entry of the index.
const INDEX_ENTRY: usize = 16 + 8 + 8 + 8;

/// The last build's memo, read only where a build asks, and what this build learns for the
/// next.
#[derive(Debug, Default)]
pub struct Memo {
    /// The memo read, with where each key's entry is; `None` for a build that reads none.
    last: Option<Last>,
    /// This build's modules to remember, by module id.
    learnt: Mutex<HashMap<String, Learnt>>,
    /// How many modules' item findings the memo gave back.
    #[cfg(test)]
    items_given: std::sync::atomic::AtomicUsize,
    /// Whether the load keys and records its modules at all: not for a check, which leaves
    /// nothing for a next build.
    on: bool,
}

/// The last build's memo file and its index.
#[derive(Debug)]
struct Last {
    file: File,
    index: HashMap<u128, Slot>,
    /// Where its index starts: the end of its entries.
    entries_end: u64,
}

/// Where an entry is in the memo file, and its checksum.
#[derive(Debug, Clone, Copy)]
struct Slot {
    offset: u64,
    len: u64,
    check: u64,
}

impl Slot {
    /// The entry's bytes in `file`, when they are all there and match their checksum.
    fn read(self, file: &File) -> Option<Vec<u8>> {
        let mut bytes = vec![0; usize::try_from(self.len).ok()?];
        file.read_exact_at(&mut bytes, self.offset).ok()?;
        (xxhash_rust::xxh3::xxh3_64(&bytes) == self.check).then_some(bytes)
    }
}

/// One module this build can leave for the next: its key and the variables it used, and where
/// its entry already is when it was read back from the memo.
#[derive(Debug)]
struct Learnt {
    key: u128,
    used: Vec<String>,
    kept: Option<Slot>,
    /// What the item rules found of it alone: read back with its entry, or found this build.
    items: Option<ItemFindings>,
}

/// An entry, as written.
#[derive(Serialize)]
struct EntryRef<'a> {
    used: &'a [String],
    module: &'a Module,
    items: Option<&'a ItemFindings>,
}

/// An entry, as read back.
#[derive(Deserialize)]
struct Entry {
    used: Vec<String>,
    module: Module,
    items: Option<ItemFindings>,
}

impl Memo {
    /// A memo that holds nothing (a build with `--no-cache`): every module is parsed, and what
    /// is learnt is still recorded for the next build.
    pub fn none() -> Self {
        Memo {
            on: true,
            ..Memo::default()
        }
    }

    /// No memo at all (a check, which leaves nothing for a next build): modules are neither
    /// keyed nor recorded.
    pub fn off() -> Self {
        Memo::default()
    }

    /// Whether the load should key its modules and record them here.
    pub(super) fn on(&self) -> bool {
        self.on
    }

    /// `out`'s memo; a missing, garbled or truncated one holds nothing.
    pub fn open(out: &Path) -> Self {
        let last = File::open(out.join(MEMO)).ok().and_then(|file| {
            read_index(&file).map(|(index, entries_end)| Last {
                file,
                index,
                entries_end,
            })
        });
        Memo {
            last,
            on: true,
            ..Memo::default()
        }
    }

    /// What module file `path` with `text` is made from, with `variables` filled in.
    pub(super) fn key(variables: &Variables, path: &Path, text: &str) -> u128 {
        let mut print = Fingerprint::default();
        print.add("parsed module").add(binary());
        for (name, value) in variables.values() {
            print.add((name, value));
        }
        print.add(path).add(text).digest()
    }

    /// The model of module `id` kept under `key`, with the variables it used; `None` when the
    /// memo holds none, or its entry does not read back whole.
    pub(super) fn get(&self, id: &str, key: u128) -> Option<(Module, Vec<String>)> {
        let last = self.last.as_ref()?;
        let slot = *last.index.get(&key)?;
        let bytes = slot.read(&last.file)?;
        let entry: Entry = crate::model::reading_memo(|| postcard::from_bytes(&bytes).ok())?;
        self.learn(id, key, entry.used.clone(), Some(slot), entry.items);
        Some((entry.module, entry.used))
    }

    /// Records that module `id`, made from `key`, loaded without a problem using the variables
    /// `used`: the next build may read it back.
    pub(super) fn learnt(&self, id: &str, key: u128, used: Vec<String>) {
        self.learn(id, key, used, None, None);
    }

    fn learn(
        &self,
        id: &str,
        key: u128,
        used: Vec<String>,
        kept: Option<Slot>,
        items: Option<ItemFindings>,
    ) {
        self.learnt
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                id.to_owned(),
                Learnt {
                    key,
                    used,
                    kept,
                    items,
                },
            );
    }

    /// What the item rules found of module `id` alone when its entry was written, if it was
    /// read back with it (taken: its entry is copied as it is).
    pub(crate) fn items(&self, id: &str) -> Option<ItemFindings> {
        let mut learnt = self.learnt.lock().unwrap_or_else(PoisonError::into_inner);
        let items = learnt
            .get_mut(id)
            .filter(|l| l.kept.is_some())
            .and_then(|l| l.items.take());
        #[cfg(test)]
        if items.is_some() {
            self.items_given
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        items
    }

    /// Records what the item rules found of module `id` alone, to be written with its entry.
    pub(crate) fn found_items(&self, id: &str, items: ItemFindings) {
        let mut learnt = self.learnt.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(learnt) = learnt.get_mut(id)
            && learnt.kept.is_none()
        {
            learnt.items = Some(items);
        }
    }

    /// How many modules the last build's memo gave this one.
    #[cfg(test)]
    pub(crate) fn read_back(&self) -> usize {
        self.learnt
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .filter(|learnt| learnt.kept.is_some())
            .count()
    }

    /// Writes `out`'s memo for the next build: every one of `modules` this build learnt. Where
    /// most came from the last memo, only the new entries and the index are written, in place;
    /// otherwise the memo is written whole, each entry copied from the last memo where it came
    /// from there, else made anew.
    pub fn save(self, out: &Path, modules: &[ModuleFile]) -> Result<(), Diagnostic> {
        let learnt = self
            .learnt
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let kept: Vec<(&ModuleFile, &Learnt)> = modules
            .iter()
            .filter_map(|m| learnt.get(&m.id).map(|l| (m, l)))
            .collect();
        let path = out.join(MEMO);
        if let Some(last) = &self.last
            && let Some(done) = append(&path, last, &kept)
        {
            return done.map_err(|err| crate::output::io_error(&path, "cannot write", &err));
        }
        let last = self.last.as_ref().map(|last| &last.file);
        crate::output::write_atomic_with(&path, &mut |file| {
            file.write_all(MAGIC)?;
            let mut at = MAGIC.len() as u64;
            let mut index: Vec<(u128, Slot)> = Vec::with_capacity(kept.len());
            // A window at a time, so no build holds every entry at once.
            for window in kept.chunks(64) {
                let entries: Vec<std::io::Result<Vec<u8>>> = window
                    .par_iter()
                    .map(|(module, learnt)| entry(module, learnt, last))
                    .collect();
                for ((_, learnt), bytes) in window.iter().zip(entries) {
                    let bytes = bytes?;
                    file.write_all(&bytes)?;
                    let slot = Slot::of(at, &bytes);
                    index.push((learnt.key, slot));
                    at += slot.len;
                }
            }
            file.write_all(&index_bytes(&index, at))
        })
    }
}

impl Slot {
    /// The slot of `bytes` written at `offset`.
    fn of(offset: u64, bytes: &[u8]) -> Self {
        Slot {
            offset,
            len: bytes.len() as u64,
            check: xxhash_rust::xxh3::xxh3_64(bytes),
        }
    }
}

/// Writes the memo at `path`, which `last` read, in place: the entries of `kept` that are not in
/// it yet where its index was, then the index of all of `kept`. `None` when that would leave
/// more than half the file to entries no longer listed, or the file is not the one read: the
/// memo is then written whole.
fn append(
    path: &Path,
    last: &Last,
    kept: &[(&ModuleFile, &Learnt)],
) -> Option<std::io::Result<()>> {
    let fresh: Vec<&(&ModuleFile, &Learnt)> =
        kept.iter().filter(|(_, l)| l.kept.is_none()).collect();
    // Nothing new and nothing gone: the memo is already what this build would write.
    if fresh.is_empty() && kept.len() == last.index.len() {
        return Some(Ok(()));
    }
    let listed: u64 = kept.iter().filter_map(|(_, l)| l.kept).map(|s| s.len).sum();
    let unlisted = (last.entries_end - MAGIC.len() as u64).saturating_sub(listed);
    let entries: Vec<std::io::Result<Vec<u8>>> = fresh
        .par_iter()
        .map(|(module, learnt)| entry(module, learnt, None))
        .collect();
    let mut new = Vec::with_capacity(entries.len());
    for bytes in entries {
        match bytes {
            Ok(bytes) => new.push(bytes),
            Err(err) => return Some(Err(err)),
        }
    }
    let added: u64 = new.iter().map(|b| b.len() as u64).sum();
    if unlisted > listed + added {
        return None;
    }
    let file = std::fs::OpenOptions::new().write(true).open(path).ok()?;
    // The file read is the one here (the build holds the folder's lock): else it is written whole.
    let same = {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), last.file.metadata()) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    };
    if !same {
        return None;
    }
    let mut at = last.entries_end;
    let mut slots = new.iter().map(|bytes| {
        let slot = Slot::of(at, bytes);
        at += slot.len;
        slot
    });
    let index: Vec<(u128, Slot)> = kept
        .iter()
        .filter_map(|(_, learnt)| Some((learnt.key, learnt.kept.or_else(|| slots.next())?)))
        .collect();
    let mut tail: Vec<u8> = Vec::with_capacity(usize::try_from(added).unwrap_or(0));
    for bytes in &new {
        tail.extend_from_slice(bytes);
    }
    tail.extend_from_slice(&index_bytes(&index, at));
    Some(
        file.write_all_at(&tail, last.entries_end)
            .and_then(|()| file.set_len(last.entries_end + tail.len() as u64)),
    )
}

/// The index of `slots`, which starts at `start`, with its checksum and its offset after it.
fn index_bytes(slots: &[(u128, Slot)], start: u64) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(8 + slots.len() * INDEX_ENTRY + 16);
    bytes.extend_from_slice(&(slots.len() as u64).to_le_bytes());
    for (key, slot) in slots {
        bytes.extend_from_slice(&key.to_le_bytes());
        bytes.extend_from_slice(&slot.offset.to_le_bytes());
        bytes.extend_from_slice(&slot.len.to_le_bytes());
        bytes.extend_from_slice(&slot.check.to_le_bytes());
    }
    let check = xxhash_rust::xxh3::xxh3_64(&bytes);
    bytes.extend_from_slice(&check.to_le_bytes());
    bytes.extend_from_slice(&start.to_le_bytes());
    bytes
}

/// The bytes of `module`'s entry: the last memo's, when it came from there, else made anew.
fn entry(module: &ModuleFile, learnt: &Learnt, last: Option<&File>) -> std::io::Result<Vec<u8>> {
    if let Some(bytes) = learnt
        .kept
        .zip(last)
        .and_then(|(slot, file)| slot.read(file))
    {
        return Ok(bytes);
    }
    postcard::to_stdvec(&EntryRef {
        used: &learnt.used,
        module: &module.module,
        items: learnt.items.as_ref(),
    })
    .map_err(std::io::Error::other)
}

/// The index at the end of `file`, every slot inside the entries, and where the entries end;
/// `None` when the file is not a whole memo.
fn read_index(file: &File) -> Option<(HashMap<u128, Slot>, u64)> {
    let size = file.metadata().ok()?.len();
    let mut magic = vec![0; MAGIC.len()];
    file.read_exact_at(&mut magic, 0).ok()?;
    if magic != MAGIC || size < (MAGIC.len() + 24) as u64 {
        return None;
    }
    let mut word = [0; 8];
    file.read_exact_at(&mut word, size - 8).ok()?;
    let start = u64::from_le_bytes(word);
    file.read_exact_at(&mut word, start).ok()?;
    let count = usize::try_from(u64::from_le_bytes(word)).ok()?;
    let listed_len = count.checked_mul(INDEX_ENTRY)?.checked_add(8)?;
    let expected = start
        .checked_add(u64::try_from(listed_len).ok()?)?
        .checked_add(16)?;
    if start < MAGIC.len() as u64 || expected != size {
        return None;
    }
    let mut bytes = vec![0; listed_len + 8];
    file.read_exact_at(&mut bytes, start).ok()?;
    let (listed, check) = bytes.split_at(listed_len);
    if xxhash_rust::xxh3::xxh3_64(listed).to_le_bytes() != check {
        return None;
    }
    let mut index = HashMap::with_capacity(count);
    for entry in listed[8..].chunks_exact(INDEX_ENTRY) {
        let (key, rest) = entry.split_at(16);
        let word =
            |i: usize| u64::from_le_bytes(rest[i * 8..i * 8 + 8].try_into().unwrap_or([0; 8]));
        let slot = Slot {
            offset: word(0),
            len: word(1),
            check: word(2),
        };
        if slot.offset < MAGIC.len() as u64 || slot.offset.checked_add(slot.len)? > start {
            return None;
        }
        index.insert(u128::from_le_bytes(key.try_into().ok()?), slot);
    }
    Some((index, start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Loaded, load_memo};
    use crate::source::{Disk, Memory, SourceProvider};

    /// Every module's model and every diagnostic of the load, as text: spans included.
    fn described(loaded: &Loaded) -> (Vec<String>, Vec<String>) {
        let modules = loaded
            .modules
            .iter()
            .map(|m| format!("{} {:?} {:?}", m.id, m.file, m.module))
            .collect();
        let diagnostics = loaded
            .diagnostics
            .iter()
            .map(|d| format!("{d:?}"))
            .collect();
        (modules, diagnostics)
    }

    /// Loads `provider` with the memo `out` holds, saves what it learnt, and returns the load
    /// and how many modules were read back.
    fn load_through(
        provider: &dyn SourceProvider,
        vars: &[(String, String)],
        out: &Path,
    ) -> (Loaded, usize) {
        let memo = Memo::open(out);
        let loaded = load_memo(provider, vars, &memo);
        let read_back = memo.read_back();
        memo.save(out, &loaded.modules).unwrap();
        (loaded, read_back)
    }

    /// Every bundled course and valid fixture loads the same read back from the memo as parsed:
    /// the same models, spans and all, and the same diagnostics; every module is read back.
    #[test]
    fn modules_read_back_are_the_modules_parsed() {
        for course in [
            "curricula/police-community-relations",
            "curricula/roll-call-de-escalation",
            "tests/fixtures/valid/awkward",
            "tests/fixtures/valid/basic",
        ] {
            let disk = Disk::new(Path::new(env!("CARGO_MANIFEST_DIR")).join(course));
            let out = tempfile::tempdir().unwrap();
            let (parsed, none) = load_through(&disk, &[], out.path());
            assert_eq!(none, 0, "{course}: nothing to read back yet");
            let (read, all) = load_through(&disk, &[], out.path());
            assert_eq!(all, read.modules.len(), "{course}: every module read back");
            assert!(all > 0, "{course}");
            assert_eq!(described(&read), described(&parsed), "{course}");
            // Saved again from what was read back, the memo still holds them all.
            let (again, all_again) = load_through(&disk, &[], out.path());
            assert_eq!(all_again, all, "{course}");
            assert_eq!(described(&again), described(&parsed), "{course}");
        }
    }

    fn course(module: &str) -> Memory {
        Memory::new("c")
            .with(
                "course.toml",
                "id = \"c\"\ntitle = \"C\"\nversion = \"1.0.0\"\nmodules = [\"a\", \"b\"]\n\n[variables]\nagency = \"Metro Police\"\nunused = \"x\"\n",
            )
            .with("modules/a.toml", module)
            .with("modules/b.toml", "title = \"B\"\n")
    }

    /// A module read back counts its variables as used, and a new value for any variable, or a
    /// changed file, makes it parsed again with the new text.
    #[test]
    fn variables_and_edits_are_in_what_a_module_is_read_back_by() {
        let provider = course("title = \"A for ${agency}\"\n");
        let out = tempfile::tempdir().unwrap();
        let (parsed, _) = load_through(&provider, &[], out.path());
        let (read, count) = load_through(&provider, &[], out.path());
        assert_eq!(count, 2);
        assert_eq!(described(&read), described(&parsed));
        let unused: Vec<&str> = read
            .diagnostics
            .iter()
            .filter(|d| d.code == crate::diagnostic::Code::UnusedVariable)
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(unused, ["variable `unused` is never used"]);
        let other = [("agency".to_owned(), "County Sheriff".to_owned())];
        let (overridden, count) = load_through(&provider, &other, out.path());
        assert_eq!(count, 0, "every key holds every variable");
        assert_eq!(*overridden.modules[0].module.title, "A for County Sheriff");
        let edited = course("title = \"A, edited, for ${agency}\"\n");
        let (edited, count) = load_through(&edited, &other, out.path());
        assert_eq!(count, 1, "only the edited module is parsed again");
        assert_eq!(
            *edited.modules[0].module.title,
            "A, edited, for County Sheriff"
        );
    }

    /// A module whose reading says anything is parsed every time, so it says it again.
    #[test]
    fn a_module_with_a_problem_is_never_read_back() {
        let provider = course("title = \"A\"\nnot_a_key = 1\n");
        let out = tempfile::tempdir().unwrap();
        let (parsed, _) = load_through(&provider, &[], out.path());
        let (read, count) = load_through(&provider, &[], out.path());
        assert_eq!(count, 1, "only the module without a problem");
        assert_eq!(described(&read), described(&parsed));
        assert!(
            read.diagnostics
                .iter()
                .any(|d| d.code == crate::diagnostic::Code::UnknownKey)
        );
    }

    /// A check keeps no memo: with the memo off, nothing is recorded for a next build.
    #[test]
    fn a_memo_that_is_off_records_nothing() {
        let provider = course("title = \"A\"\n");
        let out = tempfile::tempdir().unwrap();
        let off = Memo::off();
        let loaded = load_memo(&provider, &[], &off);
        assert_eq!(loaded.modules.len(), 2);
        off.save(out.path(), &loaded.modules).unwrap();
        let (_, count) = load_through(&provider, &[], out.path());
        assert_eq!(count, 0);
        let (_, count) = load_through(&provider, &[], out.path());
        assert_eq!(count, 2, "a memo that is on records them");
    }

    /// A memo cut short, changed in a byte, or not a memo at all gives back nothing wrong: the
    /// modules it cannot vouch for are parsed.
    #[test]
    fn a_damaged_memo_is_a_miss_never_a_wrong_module() {
        let provider = course("title = \"A for ${agency}\"\n");
        let out = tempfile::tempdir().unwrap();
        let (parsed, _) = load_through(&provider, &[], out.path());
        let memo = out.path().join(MEMO);
        let whole = std::fs::read(&memo).unwrap();
        let mut flipped = whole.clone();
        // Inside the first entry: after the magic, within the title's text.
        let at = MAGIC.len() + 10;
        flipped[at] ^= 0x20;
        let damaged: [(&str, Vec<u8>, usize); 4] = [
            ("cut short", whole[..whole.len() - 3].to_vec(), 0),
            ("one byte changed", flipped, 1),
            ("empty", Vec::new(), 0),
            ("not a memo", b"title = \"A\"\n".to_vec(), 0),
        ];
        for (what, bytes, read_back) in damaged {
            std::fs::write(&memo, bytes).unwrap();
            loads_as(&provider, out.path(), &parsed, read_back, what);
        }
    }

    /// Loads `provider` through the memo `out` holds (saving nothing), and checks that it reads
    /// `read_back` modules back and loads what `parsed` is.
    fn loads_as(
        provider: &dyn SourceProvider,
        out: &Path,
        parsed: &Loaded,
        read_back: usize,
        what: &str,
    ) {
        let memo = Memo::open(out);
        let loaded = load_memo(provider, &[], &memo);
        assert_eq!(memo.read_back(), read_back, "{what}");
        assert_eq!(described(&loaded), described(parsed), "{what}");
    }

    /// The index's start in the memo at `out`: where its entries end.
    fn entries_end(out: &Path) -> u64 {
        let bytes = std::fs::read(out.join(MEMO)).unwrap();
        u64::from_le_bytes(bytes[bytes.len() - 8..].try_into().unwrap())
    }

    /// Loads a two-module course through the memo at `out`, then the course with `a` edited:
    /// the memo's bytes and where its entries ended before the edit, the edited course, and
    /// how many modules the edit's load read back.
    fn saved_then_edited(out: &Path) -> (Vec<u8>, usize, Memory, usize) {
        load_through(&course("title = \"A\"\n"), &[], out);
        let before = std::fs::read(out.join(MEMO)).unwrap();
        let end = usize::try_from(entries_end(out)).unwrap();
        let edited = course("title = \"A, edited\"\n");
        let (_, count) = load_through(&edited, &[], out);
        (before, end, edited, count)
    }

    /// An edit writes only its module's new entry and the index: every entry kept stays where it
    /// was, byte for byte, and the next build reads every module back.
    #[test]
    fn an_edit_writes_only_what_is_new() {
        let out = tempfile::tempdir().unwrap();
        let memo = out.path().join(MEMO);
        let (before, end, edited, count) = saved_then_edited(out.path());
        assert_eq!(count, 1, "b is read back, a is parsed");
        let after = std::fs::read(&memo).unwrap();
        assert_eq!(
            after[..end],
            before[..end],
            "the entries kept are where they were"
        );
        assert!(after.len() > before.len());
        let (read, count) = load_through(&edited, &[], out.path());
        assert_eq!(count, 2);
        let parsed = load_memo(&edited, &[], &Memo::none());
        assert_eq!(described(&read), described(&parsed));
        // Nothing new: the memo is left as it is.
        assert_eq!(std::fs::read(&memo).unwrap(), after);
    }

    /// Edit after edit, the memo does not grow without end: once the entries no longer listed
    /// are more than half of it, it is written whole again with only what is listed.
    #[test]
    fn a_memo_edited_again_and_again_is_written_whole_again() {
        let out = tempfile::tempdir().unwrap();
        let memo = out.path().join(MEMO);
        load_through(&course("title = \"A 0\"\n"), &[], out.path());
        let fresh = std::fs::metadata(&memo).unwrap().len();
        let mut sizes = Vec::new();
        for i in 1..40 {
            let edited = course(&format!("title = \"A {i}\"\n"));
            let (_, count) = load_through(&edited, &[], out.path());
            assert_eq!(count, 1, "edit {i}");
            let (read, count) = load_through(&edited, &[], out.path());
            assert_eq!(count, 2, "edit {i}");
            assert_eq!(*read.modules[0].module.title, format!("A {i}"));
            sizes.push(std::fs::metadata(&memo).unwrap().len());
        }
        assert!(
            sizes.windows(2).any(|w| w[1] < w[0]),
            "written whole again: {sizes:?}"
        );
        assert!(
            sizes.iter().all(|&size| size < 4 * fresh),
            "{fresh} then {sizes:?}"
        );
    }

    /// A write in place cut short anywhere (the new entries and index only partly over the last
    /// index) is a miss: the index no longer checks, and every module is parsed. Cut before
    /// its first byte, the memo is the last one, and is read as it was.
    #[test]
    fn a_write_in_place_cut_short_is_a_miss() {
        let out = tempfile::tempdir().unwrap();
        let memo = out.path().join(MEMO);
        let (before, end, edited, _) = saved_then_edited(out.path());
        let after = std::fs::read(&memo).unwrap();
        let parsed = load_memo(&edited, &[], &Memo::none());
        for written in 0..after.len() - end {
            let mut torn = after[..end + written].to_vec();
            if torn.len() < before.len() {
                torn.extend_from_slice(&before[torn.len()..]);
            }
            std::fs::write(&memo, &torn).unwrap();
            // Nothing written yet is the last memo, which still holds b.
            let whole = usize::from(written == 0);
            loads_as(
                &edited,
                out.path(),
                &parsed,
                whole,
                &format!("{written} bytes written"),
            );
        }
    }

    /// An index whose entries were swapped, each entry whole and checking, is a miss, never
    /// the wrong module under a key.
    #[test]
    fn an_index_that_does_not_check_is_a_miss() {
        let provider = course("title = \"A\"\n");
        let out = tempfile::tempdir().unwrap();
        let (parsed, _) = load_through(&provider, &[], out.path());
        let memo = out.path().join(MEMO);
        let mut bytes = std::fs::read(&memo).unwrap();
        let start = usize::try_from(entries_end(out.path())).unwrap() + 8;
        let (first, second) = (start + 16, start + INDEX_ENTRY + 16);
        let slot: Vec<u8> = bytes[first..first + 24].to_vec();
        bytes.copy_within(second..second + 24, first);
        bytes[second..second + 24].copy_from_slice(&slot);
        std::fs::write(&memo, &bytes).unwrap();
        loads_as(&provider, out.path(), &parsed, 0, "entries swapped");
    }

    /// What the item rules find of a module alone is kept with its entry: a check over modules
    /// read back reports exactly what a check that parses and checks every module does, for
    /// every bundled course and every fixture that builds, the item-writing warnings included.
    #[test]
    fn item_findings_read_back_are_the_findings_of_the_rules() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut courses: Vec<std::path::PathBuf> = vec![
            root.join("curricula/police-community-relations"),
            root.join("curricula/roll-call-de-escalation"),
        ];
        for kind in ["valid", "broken"] {
            let mut dirs: Vec<_> = std::fs::read_dir(root.join("tests/fixtures").join(kind))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.join("course.toml").is_file())
                .collect();
            dirs.sort();
            courses.extend(dirs);
        }
        let described = |result: &Result<crate::check::Checked, crate::diagnostic::Report>| {
            let report = match result {
                Ok(checked) => &checked.report,
                Err(report) => report,
            };
            report
                .diagnostics()
                .iter()
                .map(|d| format!("{d:?}"))
                .collect::<Vec<String>>()
        };
        let mut with_items = Vec::new();
        for course in &courses {
            let disk = Disk::new(course);
            let parsed = crate::check::check_memo(&disk, &[], &Memo::off());
            let Ok(checked) = &parsed else { continue };
            let out = tempfile::tempdir().unwrap();
            let memo = Memo::open(out.path());
            let first = crate::check::check_memo(&disk, &[], &memo);
            assert_eq!(
                described(&first),
                described(&parsed),
                "{}",
                course.display()
            );
            memo.save(out.path(), &checked.curriculum.modules).unwrap();
            let memo = Memo::open(out.path());
            let again = crate::check::check_memo(&disk, &[], &memo);
            assert_eq!(
                described(&again),
                described(&parsed),
                "{}",
                course.display()
            );
            let given = memo.items_given.load(std::sync::atomic::Ordering::Relaxed);
            assert!(
                given > 0 || checked.curriculum.modules.is_empty(),
                "{}",
                course.display()
            );
            use crate::diagnostic::Code;
            let item_codes = [
                Code::AbsoluteWords,
                Code::AllNoneOfTheAbove,
                Code::NegativeStem,
                Code::SimilarOptions,
                Code::StemClue,
                Code::TrueFalseBalance,
            ];
            if checked
                .report
                .diagnostics()
                .iter()
                .any(|d| item_codes.contains(&d.code))
            {
                with_items.push(course.clone());
            }
        }
        assert!(
            !with_items.is_empty(),
            "some course has item-writing findings"
        );
    }
}
