//! The scorecard contract: `docs/scorecard.schema.json` is the schema schemars generates
//! from the types (regenerate with `UPDATE_SCHEMA=1 cargo test --release --test
//! contract`), `pmmsim schema` prints the same bytes, the real JSON output of every
//! shipped scenario validates against it (checked with the `jsonschema` crate), reads
//! back into the typed `Scorecard`, and renders in every format (Markdown on the command
//! line is a CLI case: `tests/cmd/run-markdown.toml`).

mod common;

use std::sync::OnceLock;

use common::{repo_path, run_stdout};
use pmmsim::commands::schema::scorecard_schema;
use pmmsim::config::ConfigSource;
use pmmsim::report::Format;
use pmmsim::scorecard::Scorecard;
use serde_json::Value;

const SCHEMA: &str = "docs/scorecard.schema.json";

fn generated() -> String {
    scorecard_schema().expect("the schema serialises")
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&generated()).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// The JSON scorecard of every shipped scenario at a tiny size (8 paths, 5 epochs; the
/// optimizer runs for `leverage_sweep_1x_to_4x`), run once in parallel.
fn shipped_outputs() -> &'static [(String, String)] {
    static RUNS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    RUNS.get_or_init(|| {
        let names = ConfigSource::default().scenario_names();
        assert!(names.len() >= 8, "{names:?}");
        std::thread::scope(|s| {
            let handles: Vec<_> = names
                .iter()
                .map(|name| {
                    s.spawn(move || {
                        let out = run_stdout([
                            "run",
                            name,
                            "--paths",
                            "8",
                            "--epochs",
                            "5",
                            "--threads",
                            "2",
                            "--format",
                            "json",
                            "--quiet",
                        ]);
                        (name.clone(), out)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("run thread"))
                .collect()
        })
    })
}

#[test]
fn committed_schema_is_current() {
    let path = repo_path(SCHEMA);
    let text = generated();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &text).expect("write the schema");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{SCHEMA} is stale: regenerate with `UPDATE_SCHEMA=1 cargo test --release --test contract` \
         (or `pmmsim schema -o {SCHEMA}`)"
    );
}

#[test]
fn schema_command_prints_the_generated_schema() {
    let out = run_stdout(["schema"]);
    assert_eq!(out, generated());
    let schema: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn every_shipped_scenario_validates_against_the_schema() {
    let v = validator();
    let runs = shipped_outputs();
    let names: Vec<&str> = runs.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"leverage_sweep_1x_to_4x"), "{names:?}");
    for (name, text) in runs {
        let instance: Value = serde_json::from_str(text).expect("JSON output");
        let errs = errors(&v, &instance);
        assert!(errs.is_empty(), "{name}: {errs:#?}");
        let card: Scorecard = serde_json::from_str(text).expect("reads back as a Scorecard");
        assert_eq!(&card.scenario, name);
    }
    let sweep = runs
        .iter()
        .find(|(n, _)| n == "leverage_sweep_1x_to_4x")
        .map(|(_, t)| serde_json::from_str::<Value>(t).expect("JSON"));
    assert!(
        sweep.is_some_and(|s| s["optimizer"]["candidates"].is_array()),
        "the sweep output carries the optimizer result"
    );
}

#[test]
fn the_schema_rejects_what_is_not_a_scorecard() {
    let v = validator();
    let (_, text) = shipped_outputs()
        .iter()
        .find(|(n, _)| n == "chain138_deployed_capital_efficiency")
        .expect("shipped scenario");
    let good: Value = serde_json::from_str(text).expect("JSON");
    assert!(errors(&v, &good).is_empty());
    let mut missing = good.clone();
    missing["routing"]
        .as_object_mut()
        .expect("routing object")
        .remove("capture_mean");
    assert!(!errors(&v, &missing).is_empty(), "a missing field");
    let mut non_finite = good.clone();
    non_finite["capital"]["roi_mean"] = Value::Null;
    assert!(!errors(&v, &non_finite).is_empty(), "NaN (written as null)");
    let mut wrong_type = good.clone();
    wrong_type["inputs"]["paths"] = Value::from("many");
    assert!(!errors(&v, &wrong_type).is_empty(), "a string for a count");
    let mut bad_enum = good;
    bad_enum["gates"][0]["severity"] = Value::from("fatal");
    assert!(!errors(&v, &bad_enum).is_empty(), "an unknown severity");
}

/// `card` rendered in `format`, as text.
fn rendered(card: &Scorecard, format: Format) -> String {
    let bytes = pmmsim::report::render(card, format).expect("renders");
    String::from_utf8(bytes).expect("UTF-8")
}

#[test]
fn every_shipped_scenario_renders_in_every_format() {
    for (name, text) in shipped_outputs() {
        let card: Scorecard = serde_json::from_str(text).expect("Scorecard");
        let md = rendered(&card, Format::Markdown);
        assert!(
            md.starts_with(&format!("## pmmsim scorecard: `{name}`")),
            "{md}"
        );
        assert!(md.contains(&card.inputs.inputs_hash), "{name}: inputs hash");
        assert!(md.contains("### Gates: "), "{name}");
        for g in &card.gates {
            assert!(
                md.contains(&format!("| `{}` |", g.name)),
                "{name}: {}",
                g.name
            );
        }
        assert_eq!(md.contains("### Capital"), card.capital.is_some(), "{name}");
        if let Some(top) = card
            .optimizer
            .as_ref()
            .and_then(|o| o.top_deployable.as_ref())
        {
            assert!(md.contains("top deployable candidate"), "{name}");
            assert!(md.contains(&format!("| `rank` | {} |", top.rank)), "{name}");
        }
        let prom = rendered(&card, Format::Prometheus);
        assert!(
            prom.ends_with('\n') && prom.starts_with("# HELP pmmsim_"),
            "{name}"
        );
    }
}
