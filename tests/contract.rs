//! The scorecard and input contracts: `docs/scorecard.schema.json` and
//! `docs/schemas/*.schema.json` are the schemas schemars generates from the types
//! (regenerate with `UPDATE_SCHEMA=1 cargo test --release --test contract`), `pmmsim
//! schema [KIND]` prints the same bytes, the real JSON output of every shipped scenario
//! validates against the scorecard's (checked with the `jsonschema` crate), reads back
//! into the typed `Scorecard`, and renders in every format (Markdown on the command line
//! is a CLI case: `tests/cmd/run-markdown.toml`). Every shipped config validates against
//! its published input schema, the input schemas refuse what pmmsim refuses (unknown
//! keys, wrong types), and each enumerated word list equals the one pmmsim's checker
//! accepts.

mod common;

use std::sync::OnceLock;

use common::{repo_path, run_stdout};
use pmmsim::cli::SchemaKind;
use pmmsim::commands::schema::{
    KINDS, config_files, published_path, schema_text, scorecard_schema,
};
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

/// The input schemas (every kind but the scorecard).
fn input_kinds() -> impl Iterator<Item = SchemaKind> {
    KINDS.into_iter().filter(|k| *k != SchemaKind::Scorecard)
}

/// The committed copy of `kind`'s schema as a validator: what users validate with.
fn published_validator(kind: SchemaKind) -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo_path(published_path(kind)))
        .unwrap_or_else(|e| panic!("{}: {e}", published_path(kind)));
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

/// The shipped config files `kind` describes, relative to the repository root.
fn shipped_configs(kind: SchemaKind) -> Vec<String> {
    let pattern = config_files(kind).expect("an input kind");
    match pattern.strip_suffix("*.json") {
        None => vec![pattern.to_string()],
        Some(dir) => {
            let mut files: Vec<String> = std::fs::read_dir(repo_path(dir))
                .expect("config dir")
                .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
                .filter(|n| n.ends_with(".json"))
                .map(|n| format!("{dir}{n}"))
                .collect();
            files.sort();
            files
        }
    }
}

fn read_json(rel: &str) -> Value {
    let text = std::fs::read_to_string(repo_path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn committed_input_schemas_are_current() {
    for kind in input_kinds() {
        let rel = published_path(kind);
        let text = schema_text(kind).expect("the schema serialises");
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            let path = repo_path(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, &text).expect("write the schema");
            continue;
        }
        let committed = std::fs::read_to_string(repo_path(rel)).unwrap_or_default();
        assert!(
            committed == text,
            "{rel} is stale: regenerate with `UPDATE_SCHEMA=1 cargo test --release --test \
             contract`"
        );
    }
}

#[test]
fn schema_command_prints_every_schema() {
    for (kind, word) in KINDS.into_iter().zip([
        "scenario",
        "policy",
        "deployment",
        "commitments",
        "scorecard",
    ]) {
        let out = run_stdout(["schema", word]);
        assert_eq!(out, schema_text(kind).expect("serialises"), "{word}");
        let schema: Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{word}"
        );
        if kind != SchemaKind::Scorecard {
            assert_eq!(schema["additionalProperties"], false, "{word}: strict");
        }
    }
}

#[test]
fn every_shipped_config_validates_against_its_published_schema() {
    let mut checked = 0;
    for kind in input_kinds() {
        let v = published_validator(kind);
        for rel in shipped_configs(kind) {
            let errs = errors(&v, &read_json(&rel));
            assert!(errs.is_empty(), "{rel}: {errs:#?}");
            checked += 1;
        }
    }
    assert!(checked >= 12, "{checked} files");
}

#[test]
fn the_input_schemas_refuse_what_pmmsim_refuses() {
    let scenario = published_validator(SchemaKind::Scenario);
    let good = read_json("config/scenarios/chain138_deployed_capital_efficiency.json");
    assert!(errors(&scenario, &good).is_empty());
    let mut typo = good.clone();
    typo["orderFlow"]["tradesPerEpok"] = Value::from(10);
    assert!(!errors(&scenario, &typo).is_empty(), "an unknown key");
    let mut typo_deep = good.clone();
    typo_deep["capitalEfficiency"]["sleeve"]["yieldApy"] = Value::from(0.03);
    assert!(
        !errors(&scenario, &typo_deep).is_empty(),
        "an unknown nested key"
    );
    let mut wrong_type = good.clone();
    wrong_type["monteCarlo"]["paths"] = Value::from("many");
    assert!(
        !errors(&scenario, &wrong_type).is_empty(),
        "a string for a count"
    );
    let mut negative = good.clone();
    negative["monteCarlo"]["seed"] = Value::from(-1);
    assert!(!errors(&scenario, &negative).is_empty(), "a negative seed");
    let mut missing = good;
    missing.as_object_mut().expect("object").remove("orderFlow");
    assert!(!errors(&scenario, &missing).is_empty(), "a required block");

    let policy = published_validator(SchemaKind::Policy);
    let mut band = read_json("config/capital-efficiency-policy.json");
    band["leverage"]["stressDeployable"] = serde_json::json!([1.0, 1.5, 2.0]);
    assert!(!errors(&policy, &band).is_empty(), "a band of three");
    let deployment = published_validator(SchemaKind::Deployment);
    let mut pool = read_json("config/deployment-status.json");
    pool["chains"][0]["pools"] = serde_json::json!([{"base": "cWUSDC", "quote": "USDC"}]);
    assert!(
        !errors(&deployment, &pool).is_empty(),
        "a pool without depth"
    );
    let commitments = published_validator(SchemaKind::Commitments);
    let mut amount = read_json("config/treasury-liquidity-commitments.json");
    amount["commitments"][0]["amountUsd"] = Value::from("1M");
    assert!(
        !errors(&commitments, &amount).is_empty(),
        "a string for an amount"
    );
}

/// Every `enum` list in a schema, by JSON pointer.
fn enums(schema: &Value, at: &str, out: &mut Vec<(String, Vec<String>)>) {
    match schema {
        Value::Object(map) => {
            for (k, child) in map {
                let here = format!("{at}/{k}");
                if k == "enum" {
                    let words = child
                        .as_array()
                        .expect("enum is an array")
                        .iter()
                        .map(|w| w.as_str().expect("a word").to_string())
                        .collect();
                    out.push((here, words));
                } else {
                    enums(child, &here, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                enums(child, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// The words of the checker's `expected one of `a`, `b`, got ...` message.
fn checker_choices(message: &str) -> Vec<String> {
    let list = message
        .split_once("expected one of ")
        .and_then(|(_, rest)| rest.split_once(", got"))
        .map(|(list, _)| list)
        .unwrap_or_else(|| panic!("not a choice error: {message}"));
    list.split(", ")
        .map(|w| w.trim_matches('`').to_string())
        .collect()
}

/// Sets `pointer` (of objects and arrays that exist, or objects it creates) to `value`.
fn set(doc: &mut Value, pointer: &str, value: Value) {
    let mut here = doc;
    for key in pointer.trim_start_matches('/').split('/') {
        here = match here {
            Value::Array(items) => &mut items[key.parse::<usize>().expect("index")],
            other => {
                if !other.is_object() {
                    *other = Value::Object(serde_json::Map::new());
                }
                other
                    .as_object_mut()
                    .expect("object")
                    .entry(key)
                    .or_insert(Value::Null)
            }
        };
    }
    *here = value;
}

/// What pmmsim says about a config dir holding `rel` = `doc` over the shipped configs:
/// the error of loading the policy, or of checking scenario `scenario`.
fn checker_error(rel: &str, doc: &Value, scenario: Option<&str>) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(rel);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, doc.to_string()).expect("write");
    let source = ConfigSource::new(Some(dir.path().to_path_buf())).expect("config dir");
    let result = source.policy(None).and_then(|policy| match scenario {
        None => Ok(()),
        Some(name) => {
            let deployment = source.deployment()?;
            source.scenario(name, &deployment, &policy).map(|_| ())
        }
    });
    match result {
        Ok(()) => panic!("{rel}: pmmsim accepted it"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn each_enumerated_word_list_is_what_the_checker_accepts() {
    // (schema, its `enum` pointer, file under a config dir, scenario, pointer in it)
    let cases = [
        (
            SchemaKind::Scenario,
            "/properties/graphMode/enum",
            "hub_only_11",
            "/graphMode",
        ),
        (
            SchemaKind::Scenario,
            "/properties/topology/enum",
            "hub_only_11",
            "/topology",
        ),
        (
            SchemaKind::Scenario,
            "/properties/gateProfile/enum",
            "hub_only_11",
            "/gateProfile",
        ),
        (
            SchemaKind::Scenario,
            "/$defs/RawBridges/properties/spokeLinks/enum",
            "hub_only_11",
            "/bridges/spokeLinks",
        ),
        (
            SchemaKind::Scenario,
            "/$defs/RawSize/properties/distribution/enum",
            "hub_only_11",
            "/orderFlow/size/distribution",
        ),
        (
            SchemaKind::Scenario,
            "/$defs/RawShock/properties/kind/enum",
            "bridge_shock_137_56",
            "/shocks/0/kind",
        ),
        (
            SchemaKind::Scenario,
            "/$defs/RawCollateralComponent/properties/asset/enum",
            "chain138_deployed_capital_efficiency",
            "/capitalEfficiency/sleeve/collateral",
        ),
        (
            SchemaKind::Scenario,
            "/$defs/RawVolatility/properties/model/enum",
            "high_vol_garch",
            "/capitalEfficiency/volatility/model",
        ),
        (
            SchemaKind::Scenario,
            "/$defs/RawAllocation/properties/mode/enum",
            "allocation_yield_weighted",
            "/capitalEfficiency/allocation/mode",
        ),
        (
            SchemaKind::Scenario,
            "/$defs/RawFeeTier/properties/driver/enum",
            "bank_run_with_redemption_throttle",
            "/capitalEfficiency/runbook/redemptionThrottle/schedule/0/driver",
        ),
        (
            SchemaKind::Policy,
            "/$defs/RawFeeTier/properties/driver/enum",
            "",
            "/runbook/redemptionThrottle",
        ),
        (
            SchemaKind::Policy,
            "/$defs/RawLiquidationPolicy/properties/mode/enum",
            "",
            "/liquidation/mode",
        ),
        (
            SchemaKind::Policy,
            "/$defs/RawEvidenceGate/properties/status/enum",
            "",
            "/evidenceGates/0/status",
        ),
    ];
    let mut listed = Vec::new();
    for kind in input_kinds() {
        let schema: Value =
            serde_json::from_str(&schema_text(kind).expect("schema")).expect("JSON");
        let mut found = Vec::new();
        enums(&schema, "", &mut found);
        listed.extend(found.into_iter().map(|(at, words)| (kind, at, words)));
    }
    assert_eq!(
        listed.len(),
        cases.len(),
        "every enumerated field has a case here: {listed:?}"
    );
    for (kind, schema_at, scenario, at) in cases {
        let (_, _, words) = listed
            .iter()
            .find(|(k, p, _)| *k == kind && p == schema_at)
            .unwrap_or_else(|| panic!("no enum at {schema_at}"));
        let (rel, mut doc, scenario) = match kind {
            SchemaKind::Policy => (
                "capital-efficiency-policy.json".to_string(),
                read_json("config/capital-efficiency-policy.json"),
                None,
            ),
            _ => (
                format!("scenarios/{scenario}.json"),
                read_json(&format!("config/scenarios/{scenario}.json")),
                Some(scenario),
            ),
        };
        let bogus = Value::from("not-a-choice");
        let value = if at.ends_with("/collateral") {
            serde_json::json!([{ "asset": bogus, "share": 1.0 }])
        } else if at == "/runbook/redemptionThrottle" {
            serde_json::json!({
                "enabled": true,
                "schedule": [{ "driver": bogus, "above": 0.1, "fee": 0.01 }]
            })
        } else {
            bogus
        };
        set(&mut doc, at, value);
        let message = checker_error(&rel, &doc, scenario);
        assert_eq!(&checker_choices(&message), words, "{schema_at}: {message}");
    }
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
