//! The command line as users read it: `--help` of every command, snapshotted so a change to
//! the interface shows up in review.

use crate::harness::{coursepack, repo};

#[test]
fn help_of_every_command() {
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["build", "--help"],
        &["export", "--help"],
        &["diff", "--help"],
        &["templates", "--help"],
        &["new", "--help"],
        &["outline", "--help"],
        &["schema", "--help"],
        &["completions", "--help"],
        &["man", "--help"],
        &["clean", "--help"],
        &["serve", "--help"],
    ] {
        let run = coursepack(&repo(), args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let command = if args.len() == 1 {
            "coursepack"
        } else {
            args[0]
        };
        let name = format!("help-{command}");
        insta::assert_snapshot!(name, run.stdout);
    }
}
