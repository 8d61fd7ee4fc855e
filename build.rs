//! Build script: records the git commit the binary was built from, for `pmmsim --version`.
//!
//! The commit is `git rev-parse --short HEAD` when the crate is built from its own git
//! checkout, else `PMMSIM_GIT_COMMIT` from the environment (for packagers building from
//! a tarball), else `unknown`. A crate unpacked inside some other repository (a vendored
//! copy) does not take that repository's commit: the checkout's top level must be this
//! crate's directory. Nothing here fails the build.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PMMSIM_GIT_COMMIT");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let commit = own_checkout(&manifest_dir)
        .and_then(|()| {
            watch_head(&manifest_dir);
            git(&manifest_dir, &["rev-parse", "--short=10", "HEAD"])
        })
        .or_else(|| std::env::var("PMMSIM_GIT_COMMIT").ok())
        .filter(|c| {
            !c.is_empty()
                && c.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '.')
        })
        .unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=PMMSIM_GIT_COMMIT={commit}");
}

/// The trimmed stdout of `git ARGS` run in `dir`, when git exists and succeeds.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    Some(text.trim().to_string())
}

/// `Some(())` when `dir` is the top level of a git work tree.
fn own_checkout(dir: &Path) -> Option<()> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    let same = std::fs::canonicalize(&top).ok()? == std::fs::canonicalize(dir).ok()?;
    same.then_some(())
}

/// Rebuild when HEAD moves: HEAD itself, the branch it points to and the packed refs.
fn watch_head(dir: &Path) {
    let mut files = vec!["HEAD".to_string(), "packed-refs".to_string()];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        files.push(branch);
    }
    for file in files {
        if let Some(path) = git(dir, &["rev-parse", "--git-path", &file]) {
            let path = dir.join(path);
            // A missing file would make Cargo rerun this script on every build.
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}
