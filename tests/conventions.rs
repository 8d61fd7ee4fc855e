//! Command-line conventions: shell completions (`pmmsim completions SHELL`, through
//! clap_complete) cover every subcommand and flag and are valid shell where the shell is
//! installed; the man pages (`pmmsim man`, through clap_mangen) are roff that names every
//! subcommand, one page per subcommand with `--dir`. `--version` and `list` are CLI
//! cases (`tests/cmd/version.toml`, `tests/cmd/list*.toml`).

mod common;

use std::process::Command as Process;

use clap::CommandFactory;
use common::{pmmsim, run_stdout};
use pmmsim::cli::Cli;

/// The visible subcommands' names, from the clap definition.
fn subcommands() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_string())
        .collect()
}

#[test]
fn completions_name_every_subcommand_in_every_shell() {
    let subs = subcommands();
    assert!(subs.len() >= 9, "{subs:?}");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = run_stdout(["completions", shell]);
        for sub in &subs {
            assert!(script.contains(sub.as_str()), "{shell}: {sub}");
        }
        for flag in ["config-dir", "paths", "max-age", "fail-on"] {
            assert!(script.contains(flag), "{shell}: --{flag}");
        }
    }
    // A value enum's words are completed: the formats of `run --format`.
    let fish = run_stdout(["completions", "fish"]);
    assert!(fish.contains("prometheus"), "format values");
}

/// `SHELL -n` (parse only) on the script, when the shell is installed.
fn parses(shell: &str, script: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("pmmsim-completion");
    std::fs::write(&path, script).expect("write script");
    let Ok(out) = Process::new(shell).arg("-n").arg(&path).output() else {
        eprintln!("{shell} not installed: its completion script was not parsed");
        return;
    };
    assert!(
        out.status.success(),
        "{shell} -n: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn completion_scripts_parse() {
    for shell in ["bash", "zsh", "fish"] {
        parses(shell, &run_stdout(["completions", shell]));
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = pmmsim()
        .args(["completions", "tcsh"])
        .output()
        .expect("pmmsim runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values"));
}

#[test]
fn the_man_page_documents_every_subcommand() {
    let page = run_stdout(["man"]);
    assert!(page.contains(".TH pmmsim 1"), "title line");
    assert!(page.contains(".SH SUBCOMMANDS"));
    for sub in subcommands() {
        assert!(
            page.contains(&format!("pmmsim\\-{}", sub.replace('-', "\\-"))),
            "{sub}"
        );
    }
    assert!(
        page.contains(env!("CARGO_PKG_VERSION")),
        "version in the footer"
    );
}

#[test]
fn man_dir_writes_one_page_per_subcommand() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("man1");
    let out = run_stdout(["man", "--dir", target.to_str().expect("UTF-8 path")]);
    assert!(out.is_empty(), "nothing on stdout");
    let mut files: Vec<String> = std::fs::read_dir(&target)
        .expect("pages written")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    files.sort();
    let mut expected: Vec<String> = subcommands()
        .iter()
        .map(|s| format!("pmmsim-{s}.1"))
        .chain(["pmmsim.1".to_string()])
        .collect();
    expected.sort();
    assert_eq!(files, expected);
    let run = std::fs::read_to_string(target.join("pmmsim-run.1")).expect("run page");
    assert!(run.contains(".TH pmmsim-run 1"), "{run}");
    assert!(run.contains("\\-\\-paths"), "the run page lists its flags");
    assert_eq!(
        std::fs::read_to_string(target.join("pmmsim.1")).expect("main page"),
        run_stdout(["man"]),
        "--dir writes the same main page as stdout"
    );
}

#[test]
fn man_pages_render_with_groff() {
    let page = run_stdout(["man"]);
    let child = Process::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("groff not installed: the man page was not rendered");
        return;
    };
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(page.as_bytes()).expect("write page");
    }
    let out = child.wait_with_output().expect("groff runs");
    assert!(out.status.success());
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(warnings.trim().is_empty(), "groff warnings:\n{warnings}");
}

#[test]
fn man_dir_that_is_a_file_is_an_error() {
    let file = tempfile::NamedTempFile::new().expect("temp file");
    let out = pmmsim()
        .args(["man", "--dir"])
        .arg(file.path())
        .output()
        .expect("pmmsim runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pmmsim: error:"));
}
