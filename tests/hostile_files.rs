//! Hostile inputs that a trycmd case cannot hold (tests/cmd/bad-input/ has the rest; the
//! list of the cases and what pins each is in docs/reliability.md):
//!
//! - a regular config file past the 16 MiB limit is refused by its size, before it is
//!   read (a sparse file, so the test writes almost nothing);
//! - a run interrupted with SIGINT dies of the signal (status 130 in a shell) and leaves
//!   no file, not even a temporary one, in the `-o` folder.

mod common;

use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::Duration;

use common::pmmsim;

#[test]
fn a_config_file_past_16_mib_is_refused_by_its_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.json");
    let file = std::fs::File::create(&big).expect("create");
    file.set_len(50 * 1024 * 1024)
        .expect("a sparse 50 MiB file");
    let output = pmmsim()
        .args(["run", "--quiet"])
        .arg(&big)
        .output()
        .expect("pmmsim runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("big.json: the file is larger than 16 MiB (52428800 bytes)"),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn sigint_during_a_run_leaves_no_file_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("card.json");
    let mut child = std::process::Command::new(common::pmmsim_path())
        .args(["run", "hub_only_11", "--paths", "2000000", "--quiet", "-o"])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("pmmsim starts");
    std::thread::sleep(Duration::from_millis(700));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = child.wait().expect("pmmsim ends");
    assert!(
        status.signal() == Some(2) || status.code() == Some(130),
        "{status:?}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
