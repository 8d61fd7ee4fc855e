//! The inputs of one run: the scenario with its command-line overrides applied, the
//! policy and the deployment, each checked, plus the resolved JSON of all three (defaults
//! filled in) and its hash. The hash is computed here, at load time, from the same bytes
//! a sharded run embeds, so `merge` can check and rebuild a run from its parts.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::hash::canonical_hash;
use super::parse::parse_json;
use super::raw::{RawCommitments, RawDeployment, RawPolicy, RawScenario};
use super::scenario::{MAX_EPOCHS, MAX_PATHS, check_shock_horizon};
use super::{Commitments, ConfigSource, Deployment, Policy, Scenario};
use crate::error::{Error, InputError, Result};

/// Command-line overrides of a scenario's settings; `None` keeps the file's value.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Overrides {
    /// `monteCarlo.paths`, in [1, `MAX_PATHS`], else `Error::Usage`.
    pub paths: Option<u64>,
    /// `monteCarlo.epochs`, in [1, `MAX_EPOCHS`], else `Error::Usage`. A run shorter than
    /// a shock's start only warns (`Scenario::warnings`).
    pub epochs: Option<u32>,
    /// `monteCarlo.seed`.
    pub seed: Option<u64>,
    /// Multiplier on `orderFlow.tradesPerEpoch` (rounded, capped at `u32::MAX`); a
    /// number `>= 0`, else `Error::Usage`.
    pub volume_scale: Option<f64>,
}

impl Overrides {
    /// Applies the overrides to the raw scenario, before its check.
    fn apply(&self, raw: &mut RawScenario) -> Result<()> {
        if let Some(paths) = self.paths {
            if !(1..=MAX_PATHS).contains(&paths) {
                return Err(Error::Usage(format!(
                    "--paths must be in [1, {MAX_PATHS}], got {paths}"
                )));
            }
            raw.monte_carlo.paths = paths;
        }
        if let Some(epochs) = self.epochs {
            if !(1..=MAX_EPOCHS).contains(&u64::from(epochs)) {
                return Err(Error::Usage(format!(
                    "--epochs must be in [1, {MAX_EPOCHS}], got {epochs}"
                )));
            }
            raw.monte_carlo.epochs = epochs;
        }
        if let Some(seed) = self.seed {
            raw.monte_carlo.seed = seed;
        }
        if let Some(scale) = self.volume_scale {
            if !(scale.is_finite() && scale >= 0.0) {
                return Err(Error::Usage(format!(
                    "--volume-scale must be a number >= 0, got {scale}"
                )));
            }
            let scaled = (f64::from(raw.order_flow.trades_per_epoch) * scale).round();
            raw.order_flow.trades_per_epoch = scaled.min(f64::from(u32::MAX)) as u32;
        }
        Ok(())
    }
}

/// The resolved inputs of a run, as hashed into `inputs_hash`: the JSON of the raw
/// scenario (overrides applied, defaults filled in), policy and deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ResolvedInputs {
    #[schemars(with = "serde_json::Value")]
    pub scenario: serde_json::Value,
    #[schemars(with = "serde_json::Value")]
    pub policy: serde_json::Value,
    #[schemars(with = "serde_json::Value")]
    pub deployment: serde_json::Value,
    /// The treasury liquidity commitments, only when a runbook action deploys from them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub commitments: Option<serde_json::Value>,
}

impl ResolvedInputs {
    /// SHA-256 of the canonical JSON of the three inputs.
    pub fn hash(&self) -> String {
        let mut value = serde_json::json!({ "scenario": self.scenario, "policy": self.policy, "deployment": self.deployment });
        // Only runs that deploy treasury liquidity depend on the commitments; every other
        // run keeps the hash it had before they could.
        if let Some(c) = &self.commitments {
            value["commitments"] = c.clone();
        }
        canonical_hash(&value)
    }
}

/// Everything a run is built from, checked, with the resolved inputs and their hash.
#[derive(Debug, Clone)]
pub struct RunInputs {
    pub scenario: Scenario,
    pub policy: Policy,
    pub deployment: Deployment,
    /// The resolved inputs the hash covers (embedded in sharded partial results).
    pub resolved: ResolvedInputs,
    /// `resolved.hash()`.
    pub inputs_hash: String,
}

impl RunInputs {
    /// Checks inputs that were resolved earlier (e.g. embedded in a partial result read
    /// from `file`), in the order a run loads them: policy, deployment, scenario. Errors
    /// name `file` and the embedded input (`inputs.policy`, ...).
    pub fn from_resolved(resolved: ResolvedInputs, file: &str) -> Result<Self, InputError> {
        let text = |v: &serde_json::Value, what: &str| -> Result<String, InputError> {
            serde_json::to_string(v)
                .map_err(|e| InputError::new(file, e.to_string()).at(format!("inputs.{what}")))
        };
        let policy: RawPolicy = parse_json(&text(&resolved.policy, "policy")?, file)?;
        let policy = Policy::check(policy, file)?;
        let deployment: RawDeployment =
            parse_json(&text(&resolved.deployment, "deployment")?, file)?;
        let deployment = Deployment::check(deployment, file)?;
        let raw: RawScenario = parse_json(&text(&resolved.scenario, "scenario")?, file)?;
        let mut scenario = Scenario::check(raw, &deployment, &policy, file)?;
        if scenario.needs_commitments() {
            let Some(value) = &resolved.commitments else {
                return Err(InputError::new(
                    file,
                    "the runbook deploys treasury liquidity, but the embedded inputs carry no \
                     commitments",
                )
                .at("inputs.commitments"));
            };
            let raw: RawCommitments = parse_json(&text(value, "commitments")?, file)?;
            let commitments = Commitments::check(raw, &deployment, file)?;
            scenario.attach_commitments(&commitments, file)?;
        }
        Ok(Self {
            inputs_hash: resolved.hash(),
            scenario,
            policy,
            deployment,
            resolved,
        })
    }
}

impl RunInputs {
    /// The inputs of a run again, from inputs resolved earlier (embedded in a scorecard
    /// read from `file`), with `overrides` applied to the scenario (a sized rerun sets
    /// the paths of each look); no overrides give back the very same resolved inputs.
    pub fn rerun(resolved: ResolvedInputs, overrides: &Overrides, file: &str) -> Result<Self> {
        if *overrides == Overrides::default() {
            return Ok(Self::from_resolved(resolved, file)?);
        }
        let text = serde_json::to_string(&resolved.scenario)
            .map_err(|e| Error::Internal(format!("cannot serialise the inputs: {e}")))?;
        let mut raw: RawScenario = parse_json(&text, file)?;
        overrides.apply(&mut raw)?;
        let resolved = ResolvedInputs {
            scenario: to_value(&raw)?,
            ..resolved
        };
        Ok(Self::from_resolved(resolved, file)?)
    }
}

impl ConfigSource {
    /// Loads and checks the inputs of a run: the policy (from `policy_file` when given),
    /// the deployment, and the scenario by name or path with `overrides` applied, and
    /// hashes their resolved JSON.
    pub fn load_run(
        &self,
        scenario: &str,
        policy_file: Option<&Path>,
        overrides: &Overrides,
    ) -> Result<RunInputs> {
        let (raw_policy, policy_display) = self.raw_policy(policy_file)?;
        let policy = Policy::check(raw_policy.clone(), &policy_display)?;
        let (raw_deployment, deployment_display) = self.raw_deployment()?;
        let deployment = Deployment::check(raw_deployment.clone(), &deployment_display)?;
        let file = self.scenario_text(scenario)?;
        let mut raw: RawScenario = parse_json(&file.text, &file.display)?;
        check_shock_horizon(&raw, &file.display)?;
        overrides.apply(&mut raw)?;
        let mut resolved = ResolvedInputs {
            scenario: to_value(&raw)?,
            policy: to_value(&raw_policy)?,
            deployment: to_value(&raw_deployment)?,
            commitments: None,
        };
        let mut scenario = Scenario::check(raw, &deployment, &policy, &file.display)?;
        if scenario.needs_commitments() {
            let text = self.read(super::COMMITMENTS_FILE)?;
            let raw: RawCommitments = parse_json(&text.text, &text.display)?;
            resolved.commitments = Some(to_value(&raw)?);
            let commitments = Commitments::check(raw, &deployment, &text.display)?;
            scenario.attach_commitments(&commitments, &text.display)?;
        }
        Ok(RunInputs {
            inputs_hash: resolved.hash(),
            scenario,
            policy,
            deployment,
            resolved,
        })
    }
}

fn to_value<T: Serialize>(value: &T) -> Result<serde_json::Value> {
    serde_json::to_value(value)
        .map_err(|e| Error::Internal(format!("cannot serialise the inputs: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overrides() -> Overrides {
        Overrides {
            paths: Some(12),
            epochs: Some(34),
            seed: Some(56),
            volume_scale: Some(2.0),
        }
    }

    #[test]
    fn load_run_applies_overrides_and_hashes_the_resolved_inputs() {
        let source = ConfigSource::default();
        let plain = source
            .load_run("hub_only_11", None, &Overrides::default())
            .expect("loads");
        let run = source
            .load_run("hub_only_11", None, &overrides())
            .expect("loads");
        let mc = run.scenario.monte_carlo;
        assert_eq!((mc.paths, mc.epochs, mc.seed), (12, 34, 56));
        assert_eq!(
            run.scenario.flow.trades_per_epoch,
            2 * plain.scenario.flow.trades_per_epoch
        );
        assert_eq!(run.inputs_hash, run.resolved.hash());
        assert_ne!(run.inputs_hash, plain.inputs_hash);
        assert_eq!(run.resolved.scenario["monteCarlo"]["paths"], 12);
    }

    #[test]
    fn from_resolved_rebuilds_the_same_run() {
        let source = ConfigSource::default();
        let run = source
            .load_run("hub_only_11", None, &overrides())
            .expect("loads");
        let again = RunInputs::from_resolved(run.resolved.clone(), "part.json").expect("valid");
        assert_eq!(again.inputs_hash, run.inputs_hash);
        assert_eq!(again.scenario.monte_carlo, run.scenario.monte_carlo);
        assert_eq!(again.scenario.shocks, run.scenario.shocks);
    }

    #[test]
    fn rerun_without_overrides_is_the_same_run_and_with_them_applies_them() {
        let run = ConfigSource::default()
            .load_run("hub_only_11", None, &overrides())
            .expect("loads");
        let again = RunInputs::rerun(run.resolved.clone(), &Overrides::default(), "card.json")
            .expect("valid");
        assert_eq!(again.resolved, run.resolved);
        let more = Overrides {
            paths: Some(24),
            ..Overrides::default()
        };
        let sized = RunInputs::rerun(run.resolved.clone(), &more, "card.json").expect("valid");
        assert_eq!(sized.scenario.monte_carlo.paths, 24);
        assert_eq!(sized.scenario.monte_carlo.seed, 56);
        assert_ne!(sized.inputs_hash, run.inputs_hash);
    }

    #[test]
    fn a_negative_volume_scale_is_a_usage_error() {
        let bad = Overrides {
            volume_scale: Some(-1.0),
            ..Overrides::default()
        };
        let err = ConfigSource::default()
            .load_run("hub_only_11", None, &bad)
            .unwrap_err();
        assert!(
            matches!(&err, Error::Usage(m) if m == "--volume-scale must be a number >= 0, got -1"),
            "{err}"
        );
    }
}
