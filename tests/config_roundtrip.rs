//! Property: a valid config survives parse -> serialise -> parse. Each case takes a shipped
//! config, changes its values within their documented ranges (names and descriptions of
//! any characters a name may hold, optional keys left out, the text pretty or compact,
//! with or without a byte order mark), and checks that
//!
//! - the text parses and passes its checks;
//! - the serialised raw form (the resolved input the inputs hash covers) parses and passes
//!   again, to the same checked value and the same serialised form, so the same hash.

mod common;

use proptest::prelude::*;
use serde_json::{Value, json};

use common::repo_path;
use pmmsim::config::parse::parse_json;
use pmmsim::config::raw::{RawCommitments, RawDeployment, RawPolicy, RawScenario};
use pmmsim::config::{Commitments, Deployment, Policy, Scenario, canonical_hash};

/// Scenarios whose shocks all start before epoch 200 (the shortest run generated here).
const SCENARIOS: [&str; 5] = [
    "hub_only_11",
    "bridge_shock_137_56",
    "chain138_deployed_capital_efficiency",
    "crash_40pct_external_asset",
    "bank_run_redemption_spike",
];

fn shipped(rel: &str) -> Value {
    let path = repo_path(&format!("config/{rel}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn policy() -> Policy {
    let raw: RawPolicy =
        serde_json::from_value(shipped("capital-efficiency-policy.json")).expect("policy");
    Policy::check(raw, "policy.json").expect("the shipped policy is valid")
}

fn deployment() -> Deployment {
    let raw: RawDeployment =
        serde_json::from_value(shipped("deployment-status.json")).expect("deployment");
    Deployment::check(raw, "deployment.json").expect("the shipped deployment is valid")
}

/// How a generated config is written out.
#[derive(Debug, Clone, Copy)]
struct Layout {
    pretty: bool,
    bom: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (any::<bool>(), any::<bool>()).prop_map(|(pretty, bom)| Layout { pretty, bom })
}

fn write(value: &Value, layout: Layout) -> String {
    let body = if layout.pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    }
    .expect("serialise");
    if layout.bom {
        format!("\u{feff}{body}")
    } else {
        body
    }
}

/// A name as the checks allow it: 1 to 128 characters, none a control character, not
/// only blanks; quotes, backslashes and non-ASCII included.
fn name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9_][a-zA-Z0-9 _./\"\\\\é中-]{0,127}"
}

/// A description: up to a few hundred characters of anything but control characters,
/// plus newlines and tabs (a description is free text).
fn description() -> impl Strategy<Value = String> {
    "[^\\p{Cc}]{0,200}(\n\t[^\\p{Cc}]{0,50})?"
}

/// The JSON of a valid scenario.
fn scenario() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(SCENARIOS.as_slice()),
        (name(), description()),
        (
            1u64..=100_000,
            200u32..=2_000,
            any::<u64>(),
            // Up to a week: the capital scenarios bound `decay * dt`.
            1.0f64 / 24.0..=7.0,
        ),
        (0u32..=100_000, 0.0f64..=1.0, 0.0f64..=1.0),
        (1.0f64..1e6, 0.0f64..=5.0, prop::option::of(1.0f64..=100.0)),
        (
            0.0f64..=10_000.0,
            0.0f64..=1e6,
            prop::sample::select(vec!["normal", "stress"]),
        ),
    )
        .prop_map(|(base, (name, description), mc, flow, size, misc)| {
            let mut s = shipped(&format!("scenarios/{base}.json"));
            s["name"] = json!(name);
            s["description"] = json!(description);
            s["monteCarlo"] =
                json!({ "paths": mc.0, "epochs": mc.1, "seed": mc.2, "epochDays": mc.3 });
            let of = &mut s["orderFlow"];
            of["tradesPerEpoch"] = json!(flow.0);
            of["crossChainShare"] = json!(flow.1);
            of["hubShare"] = json!(flow.2);
            let (median, sigma, cap_factor) = size;
            let mut sz = json!({
                "distribution": "lognormal",
                "medianUsd": median,
                "sigma": sigma,
            });
            // `maxUsd` is optional; when present it is at least the median.
            if let Some(factor) = cap_factor {
                sz["maxUsd"] = json!(median * factor);
            }
            of["size"] = sz;
            s["externalRoute"] = json!({ "costBps": misc.0, "fixedCostUsd": misc.1 });
            s["gateProfile"] = json!(misc.2);
            s
        })
}

/// Parses `text`, checks it, serialises the raw form, and parses and checks that again;
/// returns the two serialised forms and the Debug text of the two checked values.
fn round_trip<R, C>(
    text: &str,
    check: impl Fn(R) -> Result<C, pmmsim::error::InputError>,
) -> Result<(Value, Value, String, String), TestCaseError>
where
    R: serde::de::DeserializeOwned + serde::Serialize + Clone,
    C: std::fmt::Debug,
{
    let raw: R = parse_json(text, "first.json").map_err(|e| fail(&e))?;
    let checked = check(raw.clone()).map_err(|e| fail(&e))?;
    let resolved = serde_json::to_value(&raw).expect("serialise");
    let again_text = serde_json::to_string(&resolved).expect("serialise");
    let again: R = parse_json(&again_text, "second.json").map_err(|e| fail(&e))?;
    let checked_again = check(again.clone()).map_err(|e| fail(&e))?;
    let resolved_again = serde_json::to_value(&again).expect("serialise");
    Ok((
        resolved,
        resolved_again,
        format!("{checked:?}"),
        format!("{checked_again:?}"),
    ))
}

fn fail(e: &impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(format!("a valid config was refused: {e}"))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_valid_scenario_survives_parse_serialise_parse(value in scenario(), layout in layout()) {
        let policy = policy();
        let deployment = deployment();
        let text = write(&value, layout);
        let (first, second, checked, checked_again) = round_trip(&text, |raw: RawScenario| {
            Scenario::check(raw, &deployment, &policy, "s.json")
        })?;
        prop_assert_eq!(&first, &second);
        prop_assert_eq!(canonical_hash(&first), canonical_hash(&second));
        prop_assert_eq!(checked, checked_again);
    }

    #[test]
    fn a_valid_deployment_survives_parse_serialise_parse(
        depths in prop::collection::vec(1.0f64..1e9, 32),
        ks in prop::collection::vec(0.0f64..=1.0, 32),
        fees in prop::collection::vec(0.0f64..=1_000.0, 32),
        disabled in prop::collection::vec(any::<bool>(), 32),
        chain_name in name(),
        layout in layout(),
    ) {
        let mut value = shipped("deployment-status.json");
        let mut n = 0;
        for chain in value["chains"].as_array_mut().expect("chains") {
            chain["name"] = json!(chain_name);
            for pool in chain["pools"].as_array_mut().expect("pools") {
                pool["depthUsd"] = json!(depths[n % 32]);
                pool["k"] = json!(ks[n % 32]);
                pool["feeBps"] = json!(fees[n % 32]);
                // The first pool stays enabled: a deployment needs one.
                pool["enabled"] = json!(n == 0 || !disabled[n % 32]);
                n += 1;
            }
        }
        let text = write(&value, layout);
        let (first, second, checked, checked_again) =
            round_trip(&text, |raw: RawDeployment| Deployment::check(raw, "d.json"))?;
        prop_assert_eq!(&first, &second);
        prop_assert_eq!(checked, checked_again);
    }

    #[test]
    fn valid_commitments_survive_parse_serialise_parse(
        amounts in prop::collection::vec(0.0f64..1e10, 16),
        reserve_shares in prop::collection::vec(0.0f64..=1.0, 16),
        lags in prop::collection::vec(0.0f64..100.0, 16),
        note in prop::option::of(description()),
        layout in layout(),
    ) {
        let deployment = deployment();
        let mut value = shipped("treasury-liquidity-commitments.json");
        match note {
            Some(text) => value["note"] = json!(text),
            None => {
                value.as_object_mut().expect("object").remove("note");
            }
        }
        for (i, c) in value["commitments"].as_array_mut().expect("list").iter_mut().enumerate() {
            let amount = amounts[i % 16];
            c["amountUsd"] = json!(amount);
            c["bridgeReserveUsd"] = json!(amount * reserve_shares[i % 16]);
            c["availabilityLagEpochs"] = json!(lags[i % 16]);
            c["bridgeLatencyEpochs"] = json!(lags[(i + 1) % 16]);
        }
        let text = write(&value, layout);
        let (first, second, checked, checked_again) = round_trip(&text, |raw: RawCommitments| {
            Commitments::check(raw, &deployment, "c.json")
        })?;
        prop_assert_eq!(&first, &second);
        prop_assert_eq!(checked, checked_again);
    }

    #[test]
    fn the_policy_survives_parse_serialise_parse(layout in layout()) {
        let text = write(&shipped("capital-efficiency-policy.json"), layout);
        let (first, second, checked, checked_again) =
            round_trip(&text, |raw: RawPolicy| Policy::check(raw, "p.json"))?;
        prop_assert_eq!(&first, &second);
        prop_assert_eq!(checked, checked_again);
    }
}
