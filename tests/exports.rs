//! Several outputs from one run and re-rendering: the `--export-*` files equal what
//! `pmmsim report` renders from the exported JSON, `--format csv` carries the JSON's
//! numbers at full precision, `--paths-out` changes no result and its CSV rows split
//! exactly across shards, and `report` refuses what diff refuses.

mod common;

use std::path::Path;

use common::{pmmsim, run_json, run_stdout, without_run_info};
use serde_json::Value;

const SMALL: [&str; 6] = ["--paths", "70", "--epochs", "6", "--seed", "5"];
const CAPITAL: &str = "chain138_deployed_capital_efficiency";

fn arg(p: &Path) -> &str {
    p.to_str().expect("UTF-8 temp path")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn exports_equal_what_report_renders_from_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let f = |name: &str| dir.path().join(name);
    let table = run_stdout(
        [
            "run",
            CAPITAL,
            "--quiet",
            "--export-json",
            arg(&f("card.json")),
            "--export-markdown",
            arg(&f("card.md")),
            "--export-csv",
            arg(&f("card.csv")),
            "--export-prometheus",
            arg(&f("card.prom")),
            "--export-table",
            arg(&f("card.txt")),
        ]
        .into_iter()
        .chain(SMALL),
    );
    assert_eq!(
        read(&f("card.txt")),
        table,
        "the table export is stdout's table"
    );
    let card = arg(&f("card.json")).to_string();
    for (format, file) in [
        ("markdown", "card.md"),
        ("csv", "card.csv"),
        ("prometheus", "card.prom"),
        ("table", "card.txt"),
        ("json", "card.json"),
    ] {
        let again = run_stdout(["report", &card, "--format", format]);
        assert_eq!(again, read(&f(file)), "report --format {format}");
    }
    // report's own exports, and the format from -o's extension.
    run_stdout([
        "report",
        &card,
        "-o",
        arg(&f("again.csv")),
        "--export-markdown",
        arg(&f("again.md")),
    ]);
    assert_eq!(read(&f("again.csv")), read(&f("card.csv")));
    assert_eq!(read(&f("again.md")), read(&f("card.md")));
}

#[test]
fn csv_rows_hold_the_json_numbers_at_full_precision() {
    let args = |format: &str| {
        ["run", CAPITAL, "--quiet", "--format", format]
            .into_iter()
            .chain(SMALL)
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let card = run_json(args("json"));
    let text = run_stdout(args("csv"));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[..5],
        ["scenario", "section", "metric", "labels", "value"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let find = |metric: &str| {
        rows.iter()
            .find(|r| &r[2] == metric && r[3].is_empty())
            .unwrap_or_else(|| panic!("no CSV row {metric}"))
    };
    let json = |path: &str| -> f64 {
        path.split('.')
            .fold(&card, |v, k| &v[k])
            .as_f64()
            .unwrap_or_else(|| panic!("no JSON number {path}"))
    };
    let capture = find("routing.capture_mean");
    assert_eq!(
        capture[4].parse::<f64>().unwrap(),
        json("routing.capture_mean")
    );
    assert_eq!(
        capture[5].parse::<f64>().unwrap(),
        json("routing.capture_mean_se")
    );
    let roi = find("capital.roi_mean");
    assert_eq!(roi[4].parse::<f64>().unwrap(), json("capital.roi_mean"));
    assert_eq!(&roi[11], "over the horizon");
    let p05 = find("capital.roi_p05");
    assert_eq!(&p05[6], "ci95");
    assert!(rows.iter().all(|r| r.len() == header.len()));
}

/// The CSV rows of `--paths-out` for `extra` arguments.
fn paths_csv(dir: &Path, name: &str, extra: &[&str]) -> String {
    let file = dir.join(name);
    let mut args = vec!["run", CAPITAL, "--quiet", "-o"];
    let card = dir.join(format!("{name}.json"));
    args.push(arg(&card));
    args.extend(SMALL);
    args.extend(extra);
    args.extend(["--paths-out", arg(&file)]);
    run_stdout(&args);
    read(&file)
}

#[test]
fn paths_out_changes_no_result_and_splits_across_shards() {
    let dir = tempfile::tempdir().unwrap();
    let whole = paths_csv(dir.path(), "whole.csv", &[]);
    let lines: Vec<&str> = whole.lines().collect();
    assert_eq!(lines.len(), 71, "a header and one row per path");
    assert!(lines[0].starts_with("path,weight,roi,"));
    // The scorecard is the one a run without --paths-out writes.
    let with: Value = serde_json::from_str(&read(&dir.path().join("whole.csv.json"))).unwrap();
    let without = run_json(
        ["run", CAPITAL, "--quiet", "--format", "json"]
            .into_iter()
            .chain(SMALL),
    );
    assert_eq!(without_run_info(with.clone()), without_run_info(without));
    // The per-path ROI column averages to the scorecard's roi_mean.
    let roi: Vec<f64> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(2).unwrap().parse().unwrap())
        .collect();
    let mean = roi.iter().sum::<f64>() / roi.len() as f64;
    let card_mean = with["capital"]["roi_mean"].as_f64().unwrap();
    assert!(
        (mean - card_mean).abs() <= 1e-12 * card_mean.abs().max(1.0),
        "{mean} vs {card_mean}"
    );
    // Two shards' rows, in order, are the whole run's rows; threads change nothing.
    let mut joined = String::new();
    for k in 0..2 {
        let part = paths_csv(
            dir.path(),
            &format!("part{k}.csv"),
            &["--shard", &format!("{k}/2")],
        );
        let mut it = part.lines();
        assert_eq!(it.next(), Some(lines[0]));
        for l in it {
            joined.push_str(l);
            joined.push('\n');
        }
    }
    assert_eq!(joined, lines[1..].join("\n") + "\n");
    let threaded = paths_csv(dir.path(), "threads.csv", &["--threads", "1"]);
    assert_eq!(threaded, whole);
}

#[test]
fn paths_out_writes_parquet_for_other_names() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("paths.parquet");
    run_stdout(
        [
            "run",
            "hub_only_11",
            "--quiet",
            "-o",
            "/dev/null",
            "--paths-out",
            arg(&file),
        ]
        .into_iter()
        .chain(SMALL),
    );
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(&bytes[..4], b"PAR1");
    assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
}

#[test]
fn report_refuses_a_shard_and_a_contradicting_scorecard() {
    let dir = tempfile::tempdir().unwrap();
    let part = dir.path().join("part.json");
    run_stdout(
        [
            "run",
            CAPITAL,
            "--quiet",
            "--shard",
            "0/2",
            "-o",
            arg(&part),
        ]
        .into_iter()
        .chain(SMALL),
    );
    let out = pmmsim().args(["report", arg(&part)]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("shard"));
    // A verdict edited against its own numbers is refused, as diff refuses it.
    let mut card = run_json(
        ["run", CAPITAL, "--quiet", "--format", "json"]
            .into_iter()
            .chain(SMALL),
    );
    let gate = &mut card["gates"][0]["verdict"];
    *gate = if gate == "pass" {
        "fail".into()
    } else {
        "pass".into()
    };
    // Resealed, so that the digest check passes and the verdict is what report refuses.
    common::forge::reseal(&mut card);
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, serde_json::to_string(&card).unwrap()).unwrap();
    let out = pmmsim().args(["report", arg(&edited)]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("contradicts itself"));
    // Exports are refused with --shard: a shard is no scorecard.
    let out = pmmsim()
        .args(["run", CAPITAL, "--quiet", "--shard", "0/2", "--export-csv"])
        .arg(dir.path().join("x.csv"))
        .args(SMALL)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn one_path_prints_n_a_for_undefined_errors() {
    let table = run_stdout(["run", CAPITAL, "--quiet", "--paths", "1", "--epochs", "4"]);
    assert!(table.contains("± n/a"), "{table}");
    assert!(!table.contains("± 0 "), "{table}");
    let md = run_stdout([
        "run", CAPITAL, "--quiet", "--paths", "1", "--epochs", "4", "--format", "markdown",
    ]);
    assert!(md.contains("± n/a"), "{md}");
}
