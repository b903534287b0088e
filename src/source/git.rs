//! A curriculum as it was at one revision of the git repository that holds it, read with the
//! `git` command (installed wherever the curriculum is kept in git), never checked out.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::provider::{EntryKind, SourceProvider};

/// The files of a curriculum directory at one commit.
#[derive(Debug, Clone)]
pub struct GitRevision {
    /// The repository's top level.
    repo: PathBuf,
    /// The revision as the user wrote it, for messages and displayed paths.
    label: String,
    /// The curriculum directory relative to the top level, `/`-separated, empty or ending in `/`.
    prefix: String,
    /// Every path under the curriculum at that commit, with its kind and object id.
    tree: BTreeMap<PathBuf, (EntryKind, String)>,
}

impl GitRevision {
    /// The curriculum in `dir` (a directory inside a git work tree) as of `rev` (`HEAD~1`, a
    /// tag, a branch, a commit).
    pub fn open(dir: &Path, rev: &str) -> io::Result<Self> {
        let repo = PathBuf::from(git(dir, &["rev-parse", "--show-toplevel"])?.trim_end());
        let prefix = git(dir, &["rev-parse", "--show-prefix"])?
            .trim_end()
            .to_owned();
        let commit = git(
            &repo,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
        )
        .map_err(|_| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "`{rev}` is not a revision of the repository at {}",
                    repo.display()
                ),
            )
        })?;
        let commit = commit.trim_end();
        let listing = git(
            &repo,
            &[
                "ls-tree",
                "-r",
                "-t",
                "-z",
                "--full-tree",
                commit,
                "--",
                &prefix,
            ],
        )?;
        let mut tree = BTreeMap::new();
        for entry in listing.split('\0').filter(|e| !e.is_empty()) {
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let mut fields = meta.split(' ');
            let (mode, kind, object) = (fields.next(), fields.next(), fields.next());
            let kind = match (mode, kind) {
                (_, Some("tree")) => EntryKind::Dir,
                (Some("100644" | "100755"), Some("blob")) => EntryKind::File,
                _ => EntryKind::Other,
            };
            let Some(relative) = path.strip_prefix(prefix.as_str()) else {
                continue;
            };
            if !relative.is_empty() {
                tree.insert(
                    PathBuf::from(relative),
                    (kind, object.unwrap_or_default().to_owned()),
                );
            }
        }
        if tree.is_empty() {
            // Its own kind: the revision exists, the curriculum did not yet (a new course).
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!("`{prefix}` holds no files at revision `{rev}`"),
            ));
        }
        Ok(GitRevision {
            repo,
            label: rev.to_owned(),
            prefix,
            tree,
        })
    }
}

impl SourceProvider for GitRevision {
    fn display(&self, path: &Path) -> PathBuf {
        let path = path.to_string_lossy().replace('\\', "/");
        let prefix = self.prefix.trim_end_matches('/');
        let joined = match (prefix.is_empty(), path.is_empty()) {
            (true, _) => path,
            (false, true) => prefix.to_owned(),
            (false, false) => format!("{prefix}/{path}"),
        };
        PathBuf::from(format!("{}:{joined}", self.label))
    }

    fn kind(&self, path: &Path) -> io::Result<Option<EntryKind>> {
        if path.as_os_str().is_empty() {
            return Ok(Some(EntryKind::Dir));
        }
        Ok(self.tree.get(path).map(|(kind, _)| *kind))
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.tree.get(path) {
            Some((EntryKind::File, object)) => {
                let output = Command::new("git")
                    .arg("-C")
                    .arg(&self.repo)
                    .args(["cat-file", "blob", object])
                    .output()?;
                if output.status.success() {
                    Ok(output.stdout)
                } else {
                    Err(io::Error::other(
                        String::from_utf8_lossy(&output.stderr).trim().to_owned(),
                    ))
                }
            }
            Some(_) => Err(io::Error::other("not a regular file at this revision")),
            None => Err(io::Error::new(
                io::ErrorKind::NotFound,
                "no such file at this revision",
            )),
        }
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<(String, EntryKind)>> {
        Ok(self
            .tree
            .iter()
            .filter(|(path, _)| path.parent() == Some(dir))
            .filter_map(|(path, (kind, _))| {
                Some((path.file_name()?.to_string_lossy().into_owned(), *kind))
            })
            .collect())
    }
}

/// Runs `git -C dir ARGS` and returns its standard output.
fn git(dir: &Path, args: &[&str]) -> io::Result<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|err| io::Error::new(err.kind(), format!("cannot run git: {err}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(io::Error::other(format!(
            "git {}: {}",
            args.join(" "),
            stderr.trim()
        )));
    }
    String::from_utf8(output.stdout).map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))
}

/// The commit both `a` and `b` descend from (what `a...b` compares from), in the repository
/// holding `dir`.
pub fn merge_base(dir: &Path, a: &str, b: &str) -> io::Result<String> {
    git(dir, &["merge-base", a, b])
        .map(|out| out.trim_end().to_owned())
        .map_err(|_| {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "`{a}` and `{b}` have no common ancestor in the repository at {}",
                    dir.display()
                ),
            )
        })
}

/// The repository's top level and the path from it to `dir` (`/`-separated, empty or ending
/// in `/`), when `dir` is inside a git work tree.
pub fn repository_of(dir: &Path) -> Option<(PathBuf, String)> {
    let top = git(dir, &["rev-parse", "--show-toplevel"]).ok()?;
    let prefix = git(dir, &["rev-parse", "--show-prefix"]).ok()?;
    Some((PathBuf::from(top.trim_end()), prefix.trim_end().to_owned()))
}
