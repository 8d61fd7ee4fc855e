//! The command-line cases that are checked by their text alone, as data in `tests/cmd/`
//! (run with trycmd):
//!
//! - `NAME.toml`: one `pmmsim` command: `args`, the expected `status` and the whole
//!   expected `stdout` and `stderr`. `NAME.in/` holds its input files and is its working
//!   directory; `NAME.out/` holds files it must write; `fs.sandbox = true` runs it in a
//!   temporary copy of `NAME.in/`.
//! - `bad-input/NAME.toml`: the bad-input corpus, one hostile or mistaken input per case,
//!   each pinning the exit status and the whole message; their input files are shared in
//!   `bad-input/files/` (`fs.base`). docs/reliability.md describes it.
//! - `NAME.md`: a sequence of commands in one temporary directory (a copy of `NAME.in/`;
//!   an `NAME.out/` directory, even one holding only `.keep`, asks for that sandbox).
//!   In its `console` blocks, `$ ` starts a command, `? N` gives its exit status (0 when
//!   absent), and the lines after are its stdout and stderr together. `ls -A` after a
//!   failed command shows that it left no file behind.
//!
//! In expected text, `...` on a line of its own matches any number of lines and `[..]`
//! matches the rest of a line up to the text after it; they stand only for what varies
//! (numbers of a run, hashes, paths) or for what a case does not test.
//!
//! Update the expected text after a deliberate change of output with
//! `TRYCMD=overwrite cargo test --release --test cli_cases`, then review the diff.
//! Cases that need parsing or arithmetic stay in Rust (`tests/cli.rs`, `tests/diff.rs`, ...).

mod common;

use std::path::{Path, PathBuf};

use common::{pmmsim_path, repo_path};

/// The programs a case may run: pmmsim itself and `ls` to list what a command left behind.
/// Any other name would make trycmd skip the command silently, so
/// [`cases_run_only_known_programs_and_check_every_stream`] refuses it.
const PROGRAMS: [&str; 2] = ["pmmsim", "ls"];

fn ls_path() -> PathBuf {
    ["/bin/ls", "/usr/bin/ls"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .expect("`ls` is installed in /bin or /usr/bin")
}

#[test]
fn cli_cases() {
    trycmd::TestCases::new()
        .register_bin("pmmsim", pmmsim_path())
        .register_bin("ls", ls_path())
        .default_bin_name("pmmsim")
        // Set here, not inherited: every case checks that an error prints no backtrace
        // even when backtraces are asked for.
        .env("RUST_BACKTRACE", "1")
        .case("tests/cmd/*.toml")
        .case("tests/cmd/*.md")
        .case("tests/cmd/bad-input/*.toml");
}

/// The bad-input corpus holds at least this many cases (see docs/reliability.md).
const BAD_INPUT_CASES: usize = 150;

/// Every case of the bad-input corpus pins its exit status and its whole stderr, and
/// there are enough of them.
#[test]
fn the_bad_input_corpus_pins_status_and_message() {
    let cases = case_files_in("tests/cmd/bad-input", "toml");
    assert!(
        cases.len() >= BAD_INPUT_CASES,
        "{} bad-input cases, expected at least {BAD_INPUT_CASES}",
        cases.len()
    );
    let mut problems = Vec::new();
    for path in &cases {
        let text = read(path);
        if !text.lines().any(|l| l.starts_with("status.code = ")) {
            problems.push(format!("{}: no exit status", path.display()));
        }
        if !text.starts_with("# ") {
            problems.push(format!(
                "{}: no comment saying what it checks",
                path.display()
            ));
        }
        let code_2 = text.lines().any(|l| l == "status.code = 2");
        if code_2 && text.contains("stderr = \"\"\n") {
            problems.push(format!("{}: an error case with no message", path.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The case files of `tests/cmd` and its corpus folder, sorted.
fn case_files(extension: &str) -> Vec<PathBuf> {
    let mut files = case_files_in("tests/cmd", extension);
    files.extend(case_files_in("tests/cmd/bad-input", extension));
    files
}

/// The case files directly in `rel`, sorted.
fn case_files_in(rel: &str, extension: &str) -> Vec<PathBuf> {
    let dir = repo_path(rel);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == extension))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// trycmd passes a case silently when it cannot check it: a `.toml` without expected
/// `stdout`/`stderr` leaves that stream unchecked, a program it cannot resolve skips the
/// command, and a code block in another language than `console` is ignored. This keeps
/// every case honest.
#[test]
fn cases_run_only_known_programs_and_check_every_stream() {
    let tomls = case_files("toml");
    let mds = case_files("md");
    assert!(!tomls.is_empty() && !mds.is_empty(), "no CLI cases found");
    let mut problems = Vec::new();
    for path in &tomls {
        let text = read(path);
        for stream in ["stdout", "stderr"] {
            let inline = text.lines().any(|l| l.starts_with(&format!("{stream} =")));
            if !inline && !path.with_extension(stream).exists() {
                problems.push(format!("{}: no expected {stream}", path.display()));
            }
        }
        if text.lines().any(|l| l.starts_with("bin.")) {
            problems.push(format!(
                "{}: runs pmmsim by default; no bin",
                path.display()
            ));
        }
    }
    for path in &mds {
        let text = read(path);
        let mut in_block = false;
        let mut commands = 0;
        for line in text.lines() {
            if let Some(info) = line.strip_prefix("```") {
                if !in_block && info != "console" {
                    problems.push(format!("{}: a ```{info} block is ignored", path.display()));
                }
                in_block = !in_block;
            } else if let Some(command) = line.strip_prefix("$ ").filter(|_| in_block) {
                commands += 1;
                let program = command.split_whitespace().next().unwrap_or_default();
                if !PROGRAMS.contains(&program) {
                    problems.push(format!("{}: unknown program {program}", path.display()));
                }
            }
        }
        if commands == 0 {
            problems.push(format!("{}: no commands", path.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
