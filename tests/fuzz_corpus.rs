//! Replays the fuzz corpora (`fuzz/corpus/TARGET/`) on the stable toolchain: every file
//! of every corpus goes through the entry point its fuzz target calls
//! (`pmmsim::fuzzing`), and each must give success or a clean input error (exit status
//! 2), never a panic or an internal error. The corpora are the minimised inputs of the
//! fuzzing runs recorded in docs/reliability.md, which also says how to run the targets.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use pmmsim::error::Result;
use pmmsim::fuzzing;

/// The entry point a fuzz target calls: bytes in, success or an error out.
type EntryPoint = fn(&[u8]) -> Result<()>;

/// Each fuzz target (`fuzz/fuzz_targets/NAME.rs`) and the entry point it calls.
const TARGETS: [(&str, EntryPoint); 6] = [
    ("scenario", fuzzing::scenario),
    ("policy", fuzzing::policy),
    ("deployment", fuzzing::deployment),
    ("commitments", fuzzing::commitments),
    ("scorecard", fuzzing::scorecard),
    ("shard", fuzzing::shard),
];

/// A corpus holds at least this many files: a committed corpus that went missing or
/// empty would make the replay pass vacuously.
const MIN_FILES: usize = 5;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = fuzz_dir().join("corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every file of `target`'s corpus; returns the problems and how many succeeded.
fn replay(target: &str, entry: fn(&[u8]) -> Result<()>) -> (Vec<String>, usize) {
    let files = corpus(target);
    let mut problems = Vec::new();
    if files.len() < MIN_FILES {
        problems.push(format!(
            "{target}: {} corpus files, expected at least {MIN_FILES}",
            files.len()
        ));
    }
    let mut ok = 0;
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        match catch_unwind(AssertUnwindSafe(|| entry(&bytes))) {
            Err(_) => problems.push(format!("{}: panicked", path.display())),
            Ok(result) if !fuzzing::is_clean(&result) => {
                problems.push(format!("{}: not a clean error: {result:?}", path.display()));
            }
            Ok(result) => ok += usize::from(result.is_ok()),
        }
    }
    (problems, ok)
}

#[test]
fn every_corpus_file_gives_success_or_a_clean_error() {
    let mut problems = Vec::new();
    for (target, entry) in TARGETS {
        let (found, ok) = replay(target, entry);
        problems.extend(found);
        // The seeds include the shipped configs, golden scorecards and a real shard, so
        // each corpus keeps inputs that pass every check (the replay reaches the end).
        if ok == 0 {
            problems.push(format!("{target}: no corpus file is accepted"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The list above names every target of `fuzz/Cargo.toml`, and each has its corpus.
#[test]
fn every_fuzz_target_is_replayed() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).expect("fuzz manifest");
    let declared: Vec<&str> = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .filter(|name| *name != "pmmsim-fuzz")
        .collect();
    let replayed: Vec<&str> = TARGETS.iter().map(|(t, _)| *t).collect();
    assert_eq!(declared, replayed);
    for target in replayed {
        let source = fuzz_dir().join("fuzz_targets").join(format!("{target}.rs"));
        let text = std::fs::read_to_string(&source).expect("target source");
        assert!(
            text.contains(&format!("pmmsim::fuzzing::{target}(data)")),
            "{}: does not call pmmsim::fuzzing::{target}",
            source.display()
        );
    }
}

// Findings of the fuzzing runs (docs/reliability.md), each pinned here on its own besides
// its input in the corpus.

/// A real shard: the complete `0/1` part of a one-path run.
fn real_shard() -> serde_json::Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("part.json");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_pmmsim"))
        .args([
            "run",
            "hub_only_11",
            "--paths",
            "1",
            "--epochs",
            "1",
            "--quiet",
        ])
        .args(["--shard", "0/1", "-o"])
        .arg(&path)
        .status()
        .expect("pmmsim runs");
    assert!(status.success());
    serde_json::from_slice(&std::fs::read(&path).expect("the part")).expect("JSON")
}

/// `part` with another shard index and count, and a digest that matches (so that merge's
/// checks get past the digest to the geometry).
fn resealed(part: &serde_json::Value, index: u64, count: u64) -> Vec<u8> {
    let mut edited = part.clone();
    edited["shard_index"] = index.into();
    edited["shard_count"] = count.into();
    let mut part: pmmsim::shard::PartialRun = serde_json::from_value(edited).expect("a part");
    part.seal();
    serde_json::to_vec(&part).expect("JSON")
}

/// `shard_count: 0` divided by zero when merge computed the shard's path range; a count
/// or index near `u64::MAX` overflowed it. Each is now an error naming the field.
#[test]
fn a_shard_count_of_zero_or_an_index_past_it_is_an_error() {
    let part = real_shard();
    assert!(fuzzing::shard(&serde_json::to_vec(&part).expect("JSON")).is_ok());
    for (index, count) in [(0, 0), (1, 0), (2, 1), (u64::MAX, 1), (u64::MAX, u64::MAX)] {
        let result = fuzzing::shard(&resealed(&part, index, count));
        let message = result.expect_err("refused").to_string();
        assert!(
            message.contains("at shard_index: expected shard K/N with 0 <= K < N")
                && message.contains(&format!("got {index}/{count}")),
            "{index}/{count}: {message}"
        );
    }
    // A valid index of a count past the most shards a run has is refused the same way,
    // never an overflow.
    let result = fuzzing::shard(&resealed(&part, u64::MAX - 1, u64::MAX));
    assert!(fuzzing::is_clean(&result) && result.is_err(), "{result:?}");
}

/// Shard path ranges are computed without overflow for any count and index.
#[test]
fn shard_path_ranges_never_overflow() {
    use pmmsim::engine::Shard;
    let paths = u64::MAX;
    let last = Shard {
        index: u64::MAX - 1,
        count: u64::MAX,
    };
    assert_eq!(last.path_range(paths).end, paths);
    let first = Shard {
        index: 0,
        count: u64::MAX,
    };
    assert_eq!(first.path_range(paths).start, 0);
    // Ordinary splits are unchanged: 3 shards of 200 paths in batches of 64.
    let ranges: Vec<_> = (0..3)
        .map(|index| Shard { index, count: 3 }.path_range(200))
        .collect();
    assert_eq!(ranges, [0..64, 64..128, 128..200]);
}
