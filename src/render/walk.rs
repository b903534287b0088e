//! A marked build walks the course a module at a time, so no build holds every module's views,
//! and writes its longest pages in parts, so no context holds a whole course.
//!
//! The handbook and the guide print every module, and would otherwise need every module's views
//! at once; an exam form prints a question of every module; the outline prints every module
//! twice, its entry and then its rows of the objective matrix. With the built-in templates (see
//! [`super::defer`]), each is rendered as a *frame* and *parts*: the frame is the page's template
//! run with each part (the included `*-module` or `*-question` template) replaced by a mark, and
//! each part is that template run for one module or question. The walk takes the modules in
//! course order, a window at a time: it renders each module's own pages and its parts in
//! parallel, hands the parts to the writers of the handbook and the guide in order, and lets the
//! module's views go; a form is written a window of questions at a time the same way
//! ([`Renderer::write_in_parts`]). The page written is byte for byte the one the whole template
//! renders (tests build every bundled course, every valid fixture and a long generated course
//! both ways).
//!
//! A Markdown copy shows raw HTML as text, which needs the page parsed whole: it is escaped a run
//! at a time instead, cut only where the parser is back at the top level, between blocks (no open
//! fenced code or HTML block), where parsing on from the cut reads the rest as the whole page
//! does.

use std::io::Write as _;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::{Scope, ScopedJoinHandle};

use rayon::prelude::*;
use serde::Serialize;

use super::reuse::{self, Reuse};
use super::view::{self, Cites};
use super::{Artefact, Pages, Renderer, STREAM_FROM, Sink, defer, pages, tidy};
use crate::cache::Part;
use crate::diagnostic::{Code, Diagnostic};
use crate::plan::{Page, PageKind};

/// Modules rendered side by side before their parts are written: enough to keep every core
/// busy, few enough that their views stay small.
const WINDOW: usize = 32;

/// What a stream's writer is handed at a time.
const CHUNK: usize = 1 << 18;

/// Why `page` cannot be written in parts: the frame templates exist only in a build with the
/// built-in templates.
pub(super) fn unframed(page: &Page) -> Diagnostic {
    Diagnostic::error(
        Code::TemplateRender,
        format!(
            "{} is written in parts only with the built-in templates",
            page.path()
        ),
    )
}

/// The mark module `i`'s part is written at in a frame.
pub(super) fn fragment_mark(i: usize) -> String {
    defer::token(i, "f")
}

/// `skeleton` cut at the marks of its `count` parts, each piece with its texts spliced in; `Err`
/// holds the part whose mark is missing.
fn split(
    skeleton: &str,
    count: usize,
    texts: &[std::sync::Arc<super::text::Body>],
) -> Result<Vec<String>, usize> {
    let mut between = Vec::with_capacity(count + 1);
    let mut rest = skeleton;
    for i in 0..count {
        let mark = fragment_mark(i);
        let at = rest.find(&mark).ok_or(i)?;
        between.push(defer::splice(&rest[..at], texts));
        rest = &rest[at + mark.len()..];
    }
    between.push(defer::splice(rest, texts));
    Ok(between)
}

/// A whole-course page's files, rendered as frames: the text around the parts.
#[derive(Debug)]
pub(in crate::render) struct Frame {
    files: Vec<FrameFile>,
}

#[derive(Debug)]
struct FrameFile {
    path: String,
    /// The templates the parts are rendered from, in order, each with how many parts it
    /// renders: one for most pages, two for the outline (its entries, then its matrix).
    parts: Vec<(String, usize)>,
    markdown: bool,
    /// The frame's text before the first part, between parts, and after the last: one more
    /// than there are parts. Shared with the cache, which keeps it for the next build.
    between: std::sync::Arc<[String]>,
}

impl FrameFile {
    /// The template part `j` is rendered from.
    fn template(&self, j: usize) -> &str {
        let mut j = j;
        for (template, count) in &self.parts {
            if j < *count {
                return template;
            }
            j -= count;
        }
        self.parts
            .last()
            .map_or("", |(template, _)| template.as_str())
    }
}

impl Frame {
    /// The template each file's first parts are rendered from, in the order of its files.
    pub(in crate::render) fn part_templates(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|file| file.template(0))
    }

    /// A writer for each file, its text before the first part already handed to it.
    fn emitters<'scope, 'env>(
        &self,
        scope: &'scope Scope<'scope, 'env>,
        sink: &'env dyn Sink,
        reuse: Option<&'env Reuse<'env>>,
    ) -> Vec<Emitter<'scope, 'env>> {
        self.files
            .iter()
            .map(|file| {
                let mut emitter = Emitter::new(file.path.clone(), file.markdown, reuse);
                emitter.text(&file.between[0], scope, sink);
                emitter
            })
            .collect()
    }

    /// Hands part `i` of each file, and the frame's text after it, to the file's writer.
    /// `fresh` makes the parts again, none kept, for a Markdown run that cannot be kept where
    /// this build cuts.
    fn push<'scope, 'env>(
        &self,
        emitters: &mut [Emitter<'scope, 'env>],
        i: usize,
        parts: Vec<Made>,
        fresh: &dyn Fn() -> Result<Vec<Made>, Diagnostic>,
        scope: &'scope Scope<'scope, 'env>,
        sink: &'env dyn Sink,
    ) -> Result<(), Diagnostic> {
        let mut again: Option<Vec<Made>> = None;
        for (f, ((file, emitter), part)) in self
            .files
            .iter()
            .zip(emitters.iter_mut())
            .zip(parts)
            .enumerate()
        {
            let after = &file.between[i + 1];
            if let Err(part) = emitter.part(part, after, scope, sink) {
                debug_assert!(part.kept);
                if again.is_none() {
                    again = Some(reuse::fresh(fresh)?);
                }
                let made = again
                    .as_mut()
                    .and_then(|parts| parts.get_mut(f))
                    .map(std::mem::take)
                    .unwrap_or_default();
                if emitter.part(made, after, scope, sink).is_err() {
                    return Err(Diagnostic::error(
                        Code::TemplateRender,
                        format!(
                            "part {} of {} was kept where it cannot be",
                            i + 1,
                            file.path
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

/// One file's part as this build has it: rendered, or kept from the last build (see
/// [`super::reuse`]).
#[derive(Debug, Default)]
pub(in crate::render) struct Made {
    /// The part as rendered (Markdown not yet escaped); or, kept, the last build's bytes once
    /// the part's writer has read them: in HTML the part, in Markdown the escaped run of the
    /// part and the frame's text after it.
    text: String,
    /// What the part is made from, when the build records its parts: the part's key, or, kept
    /// in Markdown, its run's.
    key: Option<u128>,
    kept: bool,
    /// Kept: where its bytes sit in the last build's file (offset and length), still to read.
    at: Option<(u64, u64)>,
}

impl From<String> for Made {
    /// A part made where the build keeps no parts (`artefacts`), so not recorded.
    fn from(text: String) -> Self {
        Made {
            text,
            key: None,
            kept: false,
            at: None,
        }
    }
}

/// What [`Pages::walk`] renders: the pages of each module, and the frames of the whole-course
/// pages written in parts.
pub(super) struct Walk<'p> {
    own: Vec<Vec<&'p Page>>,
    wholes: Vec<(Frame, Whole<'p>)>,
}

/// What a whole-course page's parts need besides their module's views.
enum Whole<'a> {
    Handbook(Cites),
    Guide(pages::guide::Maps<'a>),
}

/// The module a page of one module belongs to.
fn module_of(kind: PageKind) -> Option<usize> {
    match kind {
        PageKind::Module(i)
        | PageKind::Handout(i)
        | PageKind::Check(i)
        | PageKind::CheckKey(i)
        | PageKind::Activity(i, _)
        | PageKind::Evaluation(i, _) => Some(i),
        _ => None,
    }
}

/// Whether `kind` is rendered by the walk, given that the build walks.
pub(super) fn walked(kind: PageKind) -> bool {
    matches!(kind, PageKind::Handbook | PageKind::Guide) || module_of(kind).is_some()
}

impl Renderer<'_> {
    /// Renders `md/<name>.md` and `html/<name>.html` with `context` as frames, the templates of
    /// their `count` parts (`<name>-<part>`: `handbook-module`, `form-question`) replaced by
    /// marks.
    pub(in crate::render) fn frame(
        &self,
        page: &Page,
        name: &str,
        part: (&str, usize),
        context: &impl Serialize,
    ) -> Result<Frame, Diagnostic> {
        self.frame_of(page, name, &[part], context)
    }

    /// [`Renderer::frame`] for a page whose parts come from more than one template, in turn:
    /// `parts` names each (`<name>-<part>`) with how many parts it renders, and the marks are
    /// numbered on across them.
    pub(in crate::render) fn frame_of(
        &self,
        page: &Page,
        name: &str,
        parts: &[(&str, usize)],
        context: &impl Serialize,
    ) -> Result<Frame, Diagnostic> {
        let Some(frames) = self.frames else {
            return Err(unframed(page));
        };
        let count: usize = parts.iter().map(|(_, count)| count).sum();
        let mut files = Vec::new();
        if let Some(md) = page.md_path() {
            files.push((format!("md/{name}.md"), "md", md, true));
        }
        files.push((format!("html/{name}.html"), "html", page.path(), false));
        // A frame made from what the last build's was is taken from the cache: its key is the
        // context serialized straight into the digest, so a kept frame costs no context.
        let print = match self.reuse {
            Some(reuse) => {
                let mut print = reuse
                    .view(context)
                    .map_err(|err| defer::unbuilt(&page.path(), &err))?;
                print.add("frame").add(parts);
                Some(print)
            }
            None => None,
        };
        let key = |template: &str, path: &str| {
            print
                .as_ref()
                .map(|print| print.clone().add(template).add(path).digest())
        };
        let mut located = None;
        let mut made = Vec::with_capacity(files.len());
        for (template, kind, path, markdown) in files {
            let key = key(&template, &path);
            let kept = self
                .reuse
                .zip(key)
                .and_then(|(reuse, key)| reuse.frame(&path, key, count));
            let between = match kept {
                Some(between) => between,
                None => {
                    let (context, texts) = match &located {
                        Some(located) => located,
                        None => located.insert(defer::located_context(context, &page.path())?),
                    };
                    let skeleton = frames.render(&template, context, self.sources)?;
                    let between = split(&skeleton, count, texts).map_err(|i| {
                        Diagnostic::error(
                            Code::TemplateRender,
                            format!("{template} did not place part {} of {count}", i + 1),
                        )
                    })?;
                    between.into()
                }
            };
            if let Some((reuse, key)) = self.reuse.zip(key) {
                reuse.record_frame(&path, key, std::sync::Arc::clone(&between));
            }
            made.push(FrameFile {
                path,
                parts: parts
                    .iter()
                    .map(|(part, count)| (format!("{kind}/{name}-{part}.{kind}"), *count))
                    .collect(),
                markdown,
                between,
            });
        }
        Ok(Frame { files: made })
    }

    /// Writes `frame`'s files with their `count` parts, part `i` rendered with `context(i)`, a
    /// window of parts side by side; stops at the first part that fails.
    pub(in crate::render) fn write_in_parts<C: Serialize>(
        &self,
        frame: &Frame,
        count: usize,
        context: impl Fn(usize) -> C + Sync,
    ) -> Result<(), Diagnostic> {
        self.write_parts(frame, count, |i| self.parts(frame, i, &context(i)))
    }

    /// [`Renderer::write_in_parts`] with part `i` of every file of `frame` (in the order of
    /// [`Frame::part_templates`]) made by `parts(i)`.
    pub(in crate::render) fn write_parts(
        &self,
        frame: &Frame,
        count: usize,
        parts: impl Fn(usize) -> Result<Vec<Made>, Diagnostic> + Sync,
    ) -> Result<(), Diagnostic> {
        let super::Out::Sink(sink) = self.out else {
            return Err(Diagnostic::error(
                Code::TemplateRender,
                "a page written in parts cannot be held".to_owned(),
            ));
        };
        std::thread::scope(|scope| {
            let mut emitters = frame.emitters(scope, sink, self.reuse);
            for start in (0..count).step_by(WINDOW) {
                let done: Vec<Result<Vec<Made>, Diagnostic>> = (start..count.min(start + WINDOW))
                    .into_par_iter()
                    .map(&parts)
                    .collect();
                for (i, made) in (start..).zip(done) {
                    frame.push(&mut emitters, i, made?, &|| parts(i), scope, sink)?;
                }
            }
            emitters
                .into_iter()
                .try_for_each(|emitter| emitter.finish(sink))
        })
    }

    /// Part `j` of every file of `frame`, written by code: `write` makes every file's part
    /// from `view`, which holds all it reads. Kept from the last build where they can be.
    pub(in crate::render) fn coded_parts(
        &self,
        frame: &Frame,
        j: usize,
        view: &impl Serialize,
        write: impl FnOnce() -> Vec<String>,
    ) -> Result<Vec<Made>, Diagnostic> {
        self.kept_or_made(frame, j, view, |_| Ok(write()))
    }

    /// Part `j` of every file of `frame`: kept from the last build where it can be, else
    /// rendered with `context` (Markdown not yet escaped).
    pub(in crate::render) fn parts(
        &self,
        frame: &Frame,
        j: usize,
        context: &impl Serialize,
    ) -> Result<Vec<Made>, Diagnostic> {
        self.kept_or_made(frame, j, context, |wanted| {
            let (built, texts) = defer::located_context(context, "a page's part")?;
            frame
                .files
                .iter()
                .zip(wanted)
                .map(|(file, &wanted)| {
                    if !wanted {
                        return Ok(String::new());
                    }
                    let skeleton = self
                        .templates
                        .render(file.template(j), &built, self.sources)?;
                    Ok(defer::splice(&skeleton, &texts))
                })
                .collect()
        })
    }

    /// Part `j` of every file of `frame`, from `view`: each file's kept from the last build
    /// when its key matches, the others made by `make`, which is told which files it is wanted
    /// for. The key is computed from `view` serialized straight into the digest, so a part kept
    /// in every file costs no context.
    fn kept_or_made(
        &self,
        frame: &Frame,
        j: usize,
        view: &impl Serialize,
        make: impl FnOnce(&[bool]) -> Result<Vec<String>, Diagnostic>,
    ) -> Result<Vec<Made>, Diagnostic> {
        let Some(reuse) = self.reuse else {
            let all = vec![true; frame.files.len()];
            return Ok(make(&all)?.into_iter().map(Made::from).collect());
        };
        let print = reuse
            .view(view)
            .map_err(|err| defer::unbuilt("a page's part", &err))?;
        let mut made: Vec<Made> = frame
            .files
            .iter()
            .map(|file| {
                let key = print.clone().add(&file.path).add(file.template(j)).digest();
                let look = if file.markdown {
                    reuse::run_key(key, &file.between[j + 1])
                } else {
                    key
                };
                match reuse.find(&file.path, look) {
                    Some(at) => Made {
                        text: String::new(),
                        key: Some(look),
                        kept: true,
                        at: Some(at),
                    },
                    None => Made {
                        text: String::new(),
                        key: Some(key),
                        kept: false,
                        at: None,
                    },
                }
            })
            .collect();
        let wanted: Vec<bool> = made.iter().map(|part| !part.kept).collect();
        if wanted.contains(&true) {
            for (part, text) in made.iter_mut().zip(make(&wanted)?) {
                if !part.kept {
                    part.text = text;
                }
            }
        }
        Ok(made)
    }
}

impl Pages<'_> {
    /// The frames of the handbook and the guide among `pages`, rendered side by side, with what
    /// their parts need; the pages of single modules, by module. A frame's context is as large
    /// as the course (the guide's agenda has a row for every section), so the build makes the
    /// frames first, before the other whole-course pages and the LMS files hold memory of their
    /// own.
    pub(super) fn frames<'p>(
        &self,
        renderer: &'p Renderer<'_>,
        pages: &[&'p Page],
    ) -> (Walk<'p>, Vec<Diagnostic>) {
        let modules = self.plan.curriculum.modules.len();
        let mut own: Vec<Vec<&Page>> = vec![Vec::new(); modules];
        let (mut handbook, mut guide) = (None, None);
        for page in pages {
            match page.kind {
                PageKind::Handbook => handbook = Some(*page),
                PageKind::Guide => guide = Some(*page),
                kind => {
                    if let Some(i) = module_of(kind) {
                        own[i].push(page);
                    }
                }
            }
        }
        let (handbook, guide) = rayon::join(
            || {
                handbook.map(|page| {
                    pages::handbook::frame(renderer, page)
                        .map(|(frame, cites)| (frame, Whole::Handbook(cites)))
                })
            },
            || {
                guide.map(|page| {
                    pages::guide::frame(renderer, page)
                        .map(|(frame, maps)| (frame, Whole::Guide(maps)))
                })
            },
        );
        let mut wholes = Vec::new();
        let mut problems = Vec::new();
        for made in [handbook, guide].into_iter().flatten() {
            match made {
                Ok(whole) => wholes.push(whole),
                Err(problem) => problems.push(problem),
            }
        }
        (Walk { own, wholes }, problems)
    }

    /// Renders the handbook and the guide whose frames `walk` holds, and the pages of single
    /// modules, walking the course a window of modules at a time; hands every file to `sink`.
    pub(super) fn walk(
        &self,
        renderer: &Renderer<'_>,
        walk: Walk<'_>,
        sink: &dyn Sink,
    ) -> Vec<Diagnostic> {
        let modules = self.plan.curriculum.modules.len();
        let Walk { own, wholes } = walk;
        // Module `i`'s part of a whole-course page.
        let part =
            |i: usize, view: &view::InstructorModule, frame: &Frame, whole: &Whole<'_>| match whole
            {
                Whole::Handbook(cites) => {
                    renderer.parts(frame, i, &pages::handbook::part(view, &cites[i]))
                }
                Whole::Guide(maps) => {
                    renderer.parts(frame, i, &pages::guide::part(renderer, view, maps))
                }
            };
        let mut problems = Vec::new();
        std::thread::scope(|scope| {
            let mut out: Vec<Vec<Emitter<'_, '_>>> = wholes
                .iter()
                .map(|(frame, _)| frame.emitters(scope, sink, renderer.reuse))
                .collect();
            for start in (0..modules).step_by(WINDOW) {
                let done: Vec<(Vec<Diagnostic>, Vec<Vec<Made>>)> = (start
                    ..modules.min(start + WINDOW))
                    .into_par_iter()
                    .map(|i| {
                        let mut problems: Vec<Diagnostic> = own[i]
                            .iter()
                            .filter_map(|page| renderer.page(page).err())
                            .collect();
                        let mut parts = Vec::with_capacity(wholes.len());
                        if !wholes.is_empty() {
                            let view = self.views.instructor(i);
                            for (frame, whole) in &wholes {
                                parts.push(part(i, &view, frame, whole).unwrap_or_else(
                                    |problem| {
                                        problems.push(problem);
                                        frame.files.iter().map(|_| Made::default()).collect()
                                    },
                                ));
                            }
                        }
                        self.views.evict(i);
                        (problems, parts)
                    })
                    .collect();
                for (i, (found, parts)) in (start..).zip(done) {
                    problems.extend(found);
                    for ((frame, whole), (emitters, parts)) in
                        wholes.iter().zip(out.iter_mut().zip(parts))
                    {
                        let again = || {
                            let view = self.views.instructor(i);
                            let made = part(i, &view, frame, whole);
                            drop(view);
                            self.views.evict(i);
                            made
                        };
                        if let Err(problem) = frame.push(emitters, i, parts, &again, scope, sink) {
                            problems.push(problem);
                        }
                    }
                }
            }
            for emitter in out.into_iter().flatten() {
                if let Err(problem) = emitter.finish(sink) {
                    problems.push(problem);
                }
            }
        });
        problems
    }
}

/// One whole-course file as it is written: held until it is long enough to stream, then handed
/// to a writer thread a chunk at a time; where each part went is recorded for the next build.
struct Emitter<'scope, 'env> {
    path: String,
    markdown: bool,
    /// Markdown since the last cut, not yet escaped.
    open: String,
    /// Text ready to write, as bytes: kept parts are copied in as the last build wrote them
    /// (and checked to be text).
    ready: Vec<u8>,
    /// Bytes handed to the writer so far.
    sent: u64,
    stream: Option<Stream<'scope>>,
    reuse: Option<&'env Reuse<'env>>,
    /// Where this build wrote each part (in Markdown, each run that is one part and the frame's
    /// text after it).
    parts: Vec<Part>,
    /// In Markdown, the run since the last cut when it started at a part with a key: that key
    /// (with the frame's text after the part, once added) and where the run starts.
    run: Option<(u128, u64)>,
}

struct Stream<'scope> {
    chunks: SyncSender<Vec<u8>>,
    writer: ScopedJoinHandle<'scope, Result<(), Diagnostic>>,
}

impl<'scope, 'env> Emitter<'scope, 'env> {
    fn new(path: String, markdown: bool, reuse: Option<&'env Reuse<'env>>) -> Self {
        Emitter {
            path,
            markdown,
            open: String::new(),
            ready: Vec::new(),
            sent: 0,
            stream: None,
            reuse,
            parts: Vec::new(),
            run: None,
        }
    }

    /// Where the next text written to `ready` goes in the file.
    fn offset(&self) -> u64 {
        self.sent + self.ready.len() as u64
    }

    /// Adds the frame's `text`.
    fn text(&mut self, text: &str, scope: &'scope Scope<'scope, 'env>, sink: &'env dyn Sink) {
        if self.markdown {
            self.open.push_str(text);
        } else {
            self.ready.extend_from_slice(text.as_bytes());
        }
        self.send(scope, sink);
    }

    /// Adds a module's or question's part, and the frame's text `after` it. A Markdown copy
    /// may be cut before a part; a kept Markdown run can go only where it is, and is handed
    /// back when it cannot.
    fn part(
        &mut self,
        part: Made,
        after: &str,
        scope: &'scope Scope<'scope, 'env>,
        sink: &'env dyn Sink,
    ) -> Result<(), Made> {
        if !self.markdown {
            self.ready_part(part)?;
            self.ready.extend_from_slice(after.as_bytes());
            self.send(scope, sink);
            return Ok(());
        }
        let cut = crate::markdown::ends_between_blocks(&self.open);
        if part.kept {
            if !cut {
                return Err(part);
            }
            // Cut here as a part made again would be (its run starts here), so a kept run that
            // cannot be read is handed back with the emitter as making it expects.
            self.cut();
            self.ready_part(part)?;
            // The run holds the frame's text after the part, and the last build cut after it.
        } else {
            if cut {
                self.cut();
                self.run = part.key.map(|key| (key, self.offset()));
            } else {
                self.run = None;
            }
            self.open.push_str(&part.text);
            self.open.push_str(after);
            if let Some((key, _)) = &mut self.run {
                *key = reuse::run_key(*key, after);
            }
        }
        self.send(scope, sink);
        Ok(())
    }

    /// Adds `part`, ready to write, and records where it goes: a kept part's bytes are copied
    /// from the last build's file, in the order the file is written. Hands the part back,
    /// nothing added, when they cannot be read as text, to be made again.
    fn ready_part(&mut self, part: Made) -> Result<(), Made> {
        let before = self.ready.len();
        let offset = self.offset();
        let len = match part.at {
            Some((at, len)) => {
                let read = self
                    .reuse
                    .is_some_and(|reuse| reuse.append(&self.path, at, len, &mut self.ready));
                // A page is text: bytes changed under the build into something else are not
                // copied into it.
                if !read || std::str::from_utf8(&self.ready[before..]).is_err() {
                    self.ready.truncate(before);
                    return Err(part);
                }
                len
            }
            None => {
                self.ready.extend_from_slice(part.text.as_bytes());
                part.text.len() as u64
            }
        };
        self.placed(&part);
        if let Some(key) = part.key {
            self.parts.push(Part {
                key,
                offset,
                len,
                notes: "".into(),
            });
        }
        Ok(())
    }

    /// Counts `part` if it is kept.
    fn placed(&self, part: &Made) {
        if part.kept
            && let Some(reuse) = self.reuse
        {
            reuse.placed();
        }
    }

    /// Escapes the Markdown held so far, and records the run it ends if that was one part.
    fn cut(&mut self) {
        let open = std::mem::take(&mut self.open);
        self.ready
            .extend_from_slice(crate::markdown::escape_raw_html(&open).as_bytes());
        if let Some((key, at)) = self.run.take() {
            self.parts.push(Part {
                key,
                offset: at,
                len: self.offset() - at,
                notes: "".into(),
            });
        }
    }

    /// Hands what is ready to the writer, starting it once the file is long enough to stream.
    fn send(&mut self, scope: &'scope Scope<'scope, 'env>, sink: &'env dyn Sink) {
        if self.stream.is_none() && self.ready.len() >= STREAM_FROM {
            let (chunks, received) = sync_channel::<Vec<u8>>(8);
            let path = self.path.clone();
            let writer = scope.spawn(move || {
                sink.stream(path, &mut |out| {
                    let mut out = tidy::Tidy::new(out);
                    for chunk in &received {
                        out.write_all(&chunk)?;
                    }
                    out.finish()
                })
            });
            self.stream = Some(Stream { chunks, writer });
        }
        if let Some(stream) = &self.stream
            && self.ready.len() >= CHUNK
        {
            self.sent += self.ready.len() as u64;
            // A writer that stopped says why when it is joined.
            // The next chunk is as long, and a part often goes a little past it: room for both,
            // so kept parts are not copied again as the buffer grows.
            let next = Vec::with_capacity(CHUNK + CHUNK / 2);
            let _ = stream.chunks.send(std::mem::replace(&mut self.ready, next));
        }
    }

    /// Writes the rest and ends the file; records where its parts went.
    fn finish(mut self, sink: &dyn Sink) -> Result<(), Diagnostic> {
        self.cut();
        let written = match self.stream {
            None => sink.put(Artefact {
                path: self.path.clone(),
                bytes: tidy::tidy_bytes(self.ready),
            }),
            Some(stream) => {
                let _ = stream.chunks.send(self.ready);
                drop(stream.chunks);
                stream.writer.join().unwrap_or_else(|_| {
                    Err(Diagnostic::error(
                        Code::TemplateRender,
                        format!("the writer of {} stopped", self.path),
                    ))
                })
            }
        };
        if written.is_ok()
            && let Some(reuse) = self.reuse
        {
            reuse.record(&self.path, self.parts);
        }
        written
    }
}
