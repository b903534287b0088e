//! What the two sides of `coursepack diff OLD NEW [DIR]` name.
//!
//! - `A..B` as OLD (when no directory has that name) means OLD = `A`, NEW = `B`; `A...B` means
//!   OLD = the commit `A` and `B` descend from, NEW = `B`; an empty end is `HEAD`. The next
//!   argument is then DIR.
//! - A side that names an existing directory is that curriculum directory, as it is on disk:
//!   a directory wins over a revision of the same name.
//! - Any other side is a revision (`HEAD~1`, a tag, a branch, a commit) of the git repository
//!   DIR is in, and the curriculum is read from DIR's place in it. DIR defaults to the side
//!   that is a directory (`diff HEAD~1 course` compares `course` with itself at `HEAD~1`),
//!   else to the current directory.

use std::path::{Path, PathBuf};

use crate::source::{Disk, GitRevision, SourceProvider, merge_base};

/// One side, opened.
#[derive(Debug)]
pub struct OpenSide {
    /// How the report names it.
    pub label: String,
    /// Where its files come from.
    pub provider: Box<dyn SourceProvider>,
}

/// The two sides and the curriculum directory, as the arguments name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sides {
    /// The side compared from.
    pub old: String,
    /// The side compared to.
    pub new: String,
    /// Where the curriculum is in the repository, for revisions.
    pub dir: PathBuf,
    /// `A...B`: compare from the common ancestor of `old` and `new`.
    pub merge_base: bool,
}

impl Sides {
    /// Reads `OLD [NEW] [DIR]`; `Err` says what is wrong with them.
    pub fn parse(old: &str, new: Option<&str>, dir: Option<&Path>) -> Result<Sides, String> {
        let is_dir = |s: &str| Path::new(s).is_dir();
        if !is_dir(old)
            && let Some((a, b, merge_base)) = split_range(old)
        {
            if dir.is_some() {
                return Err(format!(
                    "`{old}` names both sides, so only DIR may follow it, not two more arguments"
                ));
            }
            return Ok(Sides {
                old: a,
                new: b,
                dir: new.map_or_else(|| PathBuf::from("."), PathBuf::from),
                merge_base,
            });
        }
        let Some(new) = new else {
            return Err(format!(
                "`{old}` names one side only: give NEW too (`{old} HEAD`), or a range (`{old}..HEAD`)"
            ));
        };
        // `diff HEAD~1 course`: the revision is of the repository the directory side is in.
        let dir = dir
            .map(Path::to_owned)
            .or_else(|| {
                [old, new]
                    .into_iter()
                    .find(|s| is_dir(s))
                    .map(PathBuf::from)
            })
            .unwrap_or_else(|| PathBuf::from("."));
        Ok(Sides {
            old: old.to_owned(),
            new: new.to_owned(),
            dir,
            merge_base: false,
        })
    }

    /// Opens both sides; `Err` names the side that cannot be read and why.
    pub fn open(&self) -> Result<(OpenSide, OpenSide), String> {
        let old_rev = if self.merge_base {
            merge_base(&self.dir, &self.old, &self.new).map_err(|e| e.to_string())?
        } else {
            self.old.clone()
        };
        let mut old = open(&old_rev, &self.dir)?;
        if self.merge_base {
            old.label = format!("merge-base({}, {})", self.old, self.new);
        }
        Ok((old, open(&self.new, &self.dir)?))
    }
}

/// `A..B` or `A...B`, with an empty end as `HEAD`.
fn split_range(arg: &str) -> Option<(String, String, bool)> {
    let (a, b, three) = match arg.split_once("...") {
        Some((a, b)) => (a, b, true),
        None => {
            let (a, b) = arg.split_once("..")?;
            (a, b, false)
        }
    };
    let head = |s: &str| {
        if s.is_empty() {
            "HEAD".to_owned()
        } else {
            s.to_owned()
        }
    };
    Some((head(a), head(b), three))
}

fn open(side: &str, dir: &Path) -> Result<OpenSide, String> {
    if Path::new(side).is_dir() {
        return Ok(OpenSide {
            label: side.to_owned(),
            provider: Box::new(Disk::new(side)),
        });
    }
    if !dir.is_dir() {
        return Err(format!(
            "`{side}` is not a directory, and DIR `{}` is not a directory either, so it cannot be a revision of DIR's repository",
            dir.display()
        ));
    }
    match GitRevision::open(dir, side) {
        Ok(provider) => Ok(OpenSide {
            label: side.to_owned(),
            provider: Box::new(provider),
        }),
        Err(err) => Err(format!(
            "`{side}` is neither a directory nor a readable revision: {err}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_name_both_sides() {
        assert_eq!(
            split_range("main..HEAD"),
            Some(("main".into(), "HEAD".into(), false))
        );
        assert_eq!(
            split_range("main..."),
            Some(("main".into(), "HEAD".into(), true))
        );
        assert_eq!(split_range("HEAD~1"), None);
        let sides = Sides::parse("v1..v2", Some("course"), None).unwrap();
        assert_eq!((sides.old.as_str(), sides.new.as_str()), ("v1", "v2"));
        assert_eq!(sides.dir, Path::new("course"));
        assert!(Sides::parse("v1", None, None).is_err());
        assert!(Sides::parse("v1..v2", Some("a"), Some(Path::new("b"))).is_err());
    }
}
