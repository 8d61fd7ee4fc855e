//! `validate`, the CI gate: checks every config file, the bridge-buffer rule against the
//! deployed base simulation, and the policy gates of the gate scenarios; lists the
//! evidence gates no simulation can clear.

use std::path::PathBuf;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Progress;
use super::run::{RunRequest, prepare, simulate};
use super::sized::{SizePlan, simulate_sized};
use crate::config::Overrides;
use crate::config::{ConfigSource, Deployment, Policy};
use crate::error::{Error, Result};
use crate::gates::{Comparison, Confidence, Gate, GateEstimate, Severity};
use crate::scorecard::{Scorecard, Sizing};

/// What to validate.
#[derive(Debug, Clone, Default)]
pub struct ValidateRequest {
    pub config_dir: Option<PathBuf>,
    pub policy: Option<PathBuf>,
    /// Monte Carlo paths per gate scenario: a fixed count (at least 1) or a sized run.
    pub paths: ValidatePaths,
    pub threads: usize,
}

/// The scenarios whose gates `validate` checks, and the one that feeds the bridge rule.
/// How many paths `validate` runs per gate scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidatePaths {
    Fixed(u64),
    /// Doubling looks until every critical gate resolves (`--paths auto`).
    Sized(SizePlan),
}

impl Default for ValidatePaths {
    /// The CLI's default, 500 paths.
    fn default() -> Self {
        ValidatePaths::Fixed(500)
    }
}

pub const GATE_SCENARIOS: [&str; 4] = [
    "chain138_deployed_capital_efficiency",
    "crash_40pct_external_asset",
    "high_vol_sigma_spike",
    "bank_run_redemption_spike",
];

/// The validation report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ValidationReport {
    pub schema_version: u32,
    /// Every config file checked.
    pub configs: Vec<ConfigCheck>,
    /// `bridgeReserve >= peakBridgeOutflow * latency` per chain.
    pub bridge_rule: Vec<BridgeCheck>,
    /// Gates of each gate scenario.
    pub scenarios: Vec<ScenarioCheck>,
    /// Gates no simulation can clear.
    pub evidence_gates: Vec<EvidenceGate>,
    /// Paths per gate scenario (the budget of a sized run).
    pub paths: u64,
    /// The scenarios ran sized (`--paths auto`): see each scenario's `sizing`.
    pub sized: bool,
    /// Every rule passed and every critical gate's verdict is `pass` (an inconclusive
    /// critical gate is not a pass).
    pub pass: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConfigCheck {
    pub file: String,
    pub ok: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BridgeCheck {
    pub chain_id: u64,
    pub chain: String,
    /// Committed bridge reserve on the chain, USD.
    pub bridge_reserve_usd: f64,
    /// p95 over paths of the peak epoch bridge outflow (deployed base scenario), USD per epoch.
    pub peak_bridge_outflow_usd: f64,
    /// Bridge latency, epochs.
    pub latency_epochs: f64,
    /// `peak_bridge_outflow_usd * latency_epochs`, USD.
    pub required_usd: f64,
    pub pass: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScenarioCheck {
    pub scenario: String,
    pub inputs_hash: String,
    /// Paths the scenario ran (the last look's, for a sized run).
    pub paths: u64,
    /// The looks of a sized run (`--paths auto`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sizing: Option<Sizing>,
    pub gates: Vec<Gate>,
    /// Every critical gate passed (warnings are shown, not failed).
    pub pass: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EvidenceGate {
    pub name: String,
    /// `external` (needs signed evidence) or `complete`.
    pub status: String,
    pub evidence: Option<String>,
}

/// Parses and checks every config file; the first invalid one is an error (exit 2).
fn check_configs(
    source: &ConfigSource,
    request: &ValidateRequest,
) -> Result<(Policy, Deployment, Vec<ConfigCheck>)> {
    let mut checks = Vec::new();
    let policy = source.policy(request.policy.as_deref())?;
    checks.push(ConfigCheck {
        file: request
            .policy
            .as_ref()
            .map_or(crate::config::POLICY_FILE.to_string(), |p| {
                p.display().to_string()
            }),
        ok: true,
    });
    let deployment = source.deployment()?;
    checks.push(ConfigCheck {
        file: crate::config::DEPLOYMENT_FILE.into(),
        ok: true,
    });
    source.commitments(&deployment)?;
    checks.push(ConfigCheck {
        file: crate::config::COMMITMENTS_FILE.into(),
        ok: true,
    });
    for name in source.scenario_names() {
        source.scenario(&name, &deployment, &policy)?;
        checks.push(ConfigCheck {
            file: format!("scenarios/{name}.json"),
            ok: true,
        });
    }
    Ok((policy, deployment, checks))
}

fn run_request(
    request: &ValidateRequest,
    scenario: &str,
    paths: Option<u64>,
    volume_scale: Option<f64>,
) -> RunRequest {
    RunRequest {
        scenario: scenario.to_string(),
        config_dir: request.config_dir.clone(),
        policy: request.policy.clone(),
        overrides: Overrides {
            paths,
            volume_scale,
            ..Overrides::default()
        },
        rare_events: false,
        from: None,
    }
}

fn bridge_rule(
    source: &ConfigSource,
    deployment: &Deployment,
    base: &Scorecard,
) -> Result<Vec<BridgeCheck>> {
    let commitments = source.commitments(deployment)?;
    let mut out = Vec::new();
    for flow in &base.routing.peak_bridge_outflow {
        let mine: Vec<_> = commitments
            .commitments
            .iter()
            .filter(|c| c.chain_id == flow.chain_id)
            .collect();
        let reserve: f64 = mine.iter().map(|c| c.bridge_reserve_usd).sum();
        let latency = mine
            .iter()
            .map(|c| c.bridge_latency_epochs)
            .fold(0.0, f64::max);
        let required = flow.p95_usd_per_epoch * latency;
        out.push(BridgeCheck {
            chain_id: flow.chain_id,
            chain: flow.chain.clone(),
            bridge_reserve_usd: reserve,
            peak_bridge_outflow_usd: flow.p95_usd_per_epoch,
            latency_epochs: latency,
            required_usd: required,
            pass: !mine.is_empty() && reserve >= required,
        });
    }
    Ok(out)
}

/// Intervention cost roughly linear in volume: doubling the trades per epoch should not
/// more than double it. Decided on the ratio's interval like any gate (its standard error
/// from the two runs' errors, propagated); a warning, not a failure.
fn linearity_gate(base: &Scorecard, doubled: &Scorecard, confidence: &Confidence) -> Gate {
    let (c1, s1) = (
        base.routing.intervention_cost_total,
        base.routing.intervention_cost_total_se,
    );
    let (c2, s2) = (
        doubled.routing.intervention_cost_total,
        doubled.routing.intervention_cost_total_se,
    );
    let (ratio, se) = if c1 > 0.0 && c2 > 0.0 {
        let r = c2 / c1;
        (r, r * ((s1 / c1).powi(2) + (s2 / c2).powi(2)).sqrt())
    } else {
        (if c2 > 0.0 { f64::INFINITY } else { 0.0 }, 0.0)
    };
    Gate::new(
        "intervention_linearity",
        "intervention_cost_total at 2x volume / at 1x",
        (Comparison::AtMost, 2.0, None),
        &GateEstimate::normal(
            if ratio.is_finite() { ratio } else { f64::MAX },
            se,
            base.inputs.paths,
        ),
        confidence,
        Severity::Warning,
    )
}

/// Runs every check of `request` and returns the report (`pass` says whether every rule
/// and critical gate passed).
pub fn validate(request: &ValidateRequest, progress: &dyn Progress) -> Result<ValidationReport> {
    if request.paths == ValidatePaths::Fixed(0) {
        return Err(Error::Usage("--paths must be at least 1".into()));
    }
    let source = ConfigSource::new(request.config_dir.clone())?;
    let (policy, deployment, configs) = check_configs(&source, request)?;
    let mut scenarios = Vec::new();
    let mut base = None;
    for name in GATE_SCENARIOS {
        let card = match request.paths {
            ValidatePaths::Fixed(paths) => {
                let prepared = prepare(&run_request(request, name, Some(paths), None))?;
                progress.note(&format!("validate: {name} ({paths} paths)"));
                simulate(&prepared, request.threads, progress)?
            }
            ValidatePaths::Sized(plan) => {
                progress.note(&format!(
                    "validate: {name} (sized, up to {} paths)",
                    plan.max()
                ));
                simulate_sized(
                    &run_request(request, name, None, None),
                    &plan,
                    request.threads,
                    progress,
                )?
            }
        };
        let pass = !card.gates.iter().any(Gate::blocks);
        scenarios.push(ScenarioCheck {
            scenario: name.into(),
            inputs_hash: card.inputs.inputs_hash.clone(),
            paths: card.inputs.paths,
            sizing: card.sizing.clone(),
            gates: card.gates.clone(),
            pass,
        });
        if base.is_none() {
            base = Some(card);
        }
    }
    let bridge = match &base {
        Some(card) => bridge_rule(&source, &deployment, card)?,
        None => Vec::new(),
    };
    if let (Some(card), Some(first)) = (&base, scenarios.first_mut()) {
        let doubled = prepare(&run_request(
            request,
            GATE_SCENARIOS[0],
            Some(card.inputs.paths),
            Some(2.0),
        ))?;
        let twice = simulate(&doubled, request.threads, progress)?;
        first.gates.push(linearity_gate(
            card,
            &twice,
            &Confidence::fixed(policy.gates.confidence),
        ));
    }
    let evidence_gates = policy
        .evidence_gates
        .iter()
        .map(|g| EvidenceGate {
            name: g.name.clone(),
            status: g.status.as_str().to_string(),
            evidence: g.evidence.clone(),
        })
        .collect();
    let pass = scenarios.iter().all(|s| s.pass) && bridge.iter().all(|b| b.pass);
    Ok(ValidationReport {
        schema_version: crate::scorecard::SCHEMA_VERSION,
        configs,
        bridge_rule: bridge,
        scenarios,
        evidence_gates,
        paths: match request.paths {
            ValidatePaths::Fixed(paths) => paths,
            ValidatePaths::Sized(plan) => plan.max(),
        },
        sized: matches!(request.paths, ValidatePaths::Sized(_)),
        pass,
    })
}
