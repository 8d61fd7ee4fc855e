//! Where `-o` writes and how: the format named by the file's extension, a write through a
//! symlink to its target, an existing file's permissions kept, no temporary file left
//! behind, and the table styling of `--color` (with `NO_COLOR`) and a terminal that
//! reports no width.

mod common;

use std::path::Path;

use common::pmmsim;

const SMALL: [&str; 6] = ["--paths", "8", "--epochs", "5", "--seed", "3"];

/// Runs `pmmsim run hub_only_11 SMALL --quiet EXTRA` and asserts exit 0.
fn run(extra: &[&str]) -> std::process::Output {
    let out = pmmsim()
        .args(["run", "hub_only_11"])
        .args(SMALL)
        .arg("--quiet")
        .args(extra)
        .output()
        .expect("pmmsim runs");
    assert!(
        out.status.success(),
        "{extra:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn path_arg(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_extension_of_o_names_the_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = dir.path().join("card.json");
    let md = dir.path().join("card.md");
    let prom = dir.path().join("card.prom");
    let txt = dir.path().join("card.txt");
    for p in [&json, &md, &prom, &txt] {
        run(&["-o", path_arg(p)]);
    }
    let card: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("JSON");
    assert!(card["schema_version"].is_u64());
    let md = std::fs::read_to_string(&md).expect("md");
    assert!(md.starts_with('#'), "Markdown: {md}");
    let prom = std::fs::read_to_string(&prom).expect("prom");
    assert!(prom.starts_with("# HELP "), "Prometheus: {prom}");
    let txt = std::fs::read_to_string(&txt).expect("txt");
    assert!(
        txt.starts_with("pmmsim scorecard: hub_only_11"),
        "table: {txt}"
    );
    assert_eq!(
        files_in(dir.path()),
        ["card.json", "card.md", "card.prom", "card.txt"]
    );
}

#[test]
fn a_format_that_disagrees_with_the_extension_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("card.json");
    let output = pmmsim()
        .args(["run", "hub_only_11"])
        .args(SMALL)
        .args(["--quiet", "--format", "table", "-o", path_arg(&out)])
        .output()
        .expect("pmmsim runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--format table disagrees"), "{stderr}");
    assert!(files_in(dir.path()).is_empty(), "nothing is written");
}

#[cfg(unix)]
#[test]
fn o_writes_through_a_symlink_and_keeps_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old\n").expect("write");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let link = dir.path().join("latest.json");
    std::os::unix::fs::symlink("real.json", &link).expect("symlink");
    run(&["-o", path_arg(&link)]);
    let meta = std::fs::symlink_metadata(&link).expect("link");
    assert!(meta.file_type().is_symlink(), "the symlink is kept");
    let text = std::fs::read_to_string(&real).expect("target");
    assert!(
        text.contains("\"schema_version\""),
        "written through: {text}"
    );
    let mode = std::fs::metadata(&real).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o444, "the read-only mode is kept");
    assert_eq!(files_in(dir.path()), ["latest.json", "real.json"]);
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_gets_its_target_created() {
    let dir = tempfile::tempdir().expect("tempdir");
    let link = dir.path().join("latest.json");
    std::os::unix::fs::symlink("runs/today.json", &link).expect("symlink");
    std::fs::create_dir(dir.path().join("runs")).expect("mkdir");
    run(&["-o", path_arg(&link)]);
    let target = dir.path().join("runs/today.json");
    assert!(
        std::fs::read_to_string(&target)
            .expect("target written")
            .contains("\"schema_version\"")
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("link")
            .file_type()
            .is_symlink()
    );
}

/// `--color` decides the table style: `always` gives box drawing and ANSI colour even into
/// a pipe, `never` and the default into a pipe give plain ASCII; `NO_COLOR` turns `auto`
/// off but not an explicit `always`.
#[test]
fn color_always_and_never() {
    let text = |extra: &[&str], no_color: bool| {
        let mut cmd = pmmsim();
        cmd.args(["run", "hub_only_11"]).args(SMALL).arg("--quiet");
        cmd.args(extra);
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        let out = cmd.output().expect("runs");
        assert!(out.status.success());
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let styled = |s: &str| s.contains('\u{1b}') && s.contains('│');
    assert!(styled(&text(&["--color", "always"], false)));
    assert!(styled(&text(&["--color", "always"], true)));
    assert!(!styled(&text(&["--color", "never"], false)));
    assert!(!styled(&text(&[], false)), "auto into a pipe is plain");
    // The flag is global: it may come before the subcommand.
    let out = pmmsim()
        .args(["--color", "always", "run", "hub_only_11"])
        .args(SMALL)
        .arg("--quiet")
        .output()
        .expect("runs");
    assert!(styled(&String::from_utf8_lossy(&out.stdout)));
}

/// Under `script`, stdout is a pseudo-terminal that reports a width of 0 when script's
/// own input is not a terminal. The tables then fall back to 100 columns instead of
/// collapsing to one character per column.
#[test]
fn a_terminal_of_width_zero_gets_readable_tables() {
    let script = Path::new("/usr/bin/script");
    assert!(
        script.exists(),
        "util-linux `script` is needed for this test"
    );
    let command = format!(
        "{} run hub_only_11 {} --quiet --color never",
        common::pmmsim_path().display(),
        SMALL.join(" ")
    );
    let out = std::process::Command::new(script)
        .args(["-qec", &command, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(
        text.contains("| capture_mean"),
        "metric names are not broken up:\n{text}"
    );
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(
        (60..=100).contains(&widest),
        "tables laid out in at most 100 columns, widest line {widest}:\n{text}"
    );
}
