//! Configuration, the bottom layer of pmmsim: the JSON files users edit, parsed strictly
//! (`raw`, `parse`), validated into checked types (`policy`, `deployment`, `scenario`,
//! `capital`, `params`), the inputs of a run with their hash (`inputs`, `hash`), and the
//! embedded defaults that make `pmmsim run <name>` work from any directory. Nothing past
//! this module sees a raw serde type of a run's inputs; nothing here imports the model.
//!
//! `limits` holds the documented size limits on files, names and thread counts.
//!
//! Resolution: a file under `--config-dir` wins; otherwise the embedded copy is used. A
//! scenario argument that ends in `.json` or names an existing file is read from disk.

pub mod capital;
pub mod check;
pub mod commitments;
pub mod deployment;
pub mod hash;
pub mod inputs;
pub mod limits;
pub mod params;
pub mod parse;
pub mod policy;
pub mod raw;
pub mod runbook;
pub mod scenario;

use std::path::{Path, PathBuf};

pub use commitments::Commitments;
pub use deployment::Deployment;
pub use hash::canonical_hash;
pub use inputs::{Overrides, ResolvedInputs, RunInputs};
pub use policy::Policy;
pub use scenario::Scenario;

use crate::error::{Error, InputError, Result};
use raw::{RawDeployment, RawPolicy};

/// Relative paths of the config files.
pub const POLICY_FILE: &str = "capital-efficiency-policy.json";
pub const DEPLOYMENT_FILE: &str = "deployment-status.json";
pub const COMMITMENTS_FILE: &str = "treasury-liquidity-commitments.json";

/// The shipped configs, compiled into the binary.
const EMBEDDED: &[(&str, &str)] = &[
    (
        POLICY_FILE,
        include_str!("../../config/capital-efficiency-policy.json"),
    ),
    (
        DEPLOYMENT_FILE,
        include_str!("../../config/deployment-status.json"),
    ),
    (
        COMMITMENTS_FILE,
        include_str!("../../config/treasury-liquidity-commitments.json"),
    ),
    (
        "scenarios/hub_only_11.json",
        include_str!("../../config/scenarios/hub_only_11.json"),
    ),
    (
        "scenarios/full_quote_1_56_137.json",
        include_str!("../../config/scenarios/full_quote_1_56_137.json"),
    ),
    (
        "scenarios/bridge_shock_137_56.json",
        include_str!("../../config/scenarios/bridge_shock_137_56.json"),
    ),
    (
        "scenarios/chain138_deployed_capital_efficiency.json",
        include_str!("../../config/scenarios/chain138_deployed_capital_efficiency.json"),
    ),
    (
        "scenarios/crash_40pct_external_asset.json",
        include_str!("../../config/scenarios/crash_40pct_external_asset.json"),
    ),
    (
        "scenarios/high_vol_sigma_spike.json",
        include_str!("../../config/scenarios/high_vol_sigma_spike.json"),
    ),
    (
        "scenarios/high_vol_garch.json",
        include_str!("../../config/scenarios/high_vol_garch.json"),
    ),
    (
        "scenarios/crash_jump_diffusion.json",
        include_str!("../../config/scenarios/crash_jump_diffusion.json"),
    ),
    (
        "scenarios/bank_run_redemption_spike.json",
        include_str!("../../config/scenarios/bank_run_redemption_spike.json"),
    ),
    (
        "scenarios/crash_leverage_sensitivity.json",
        include_str!("../../config/scenarios/crash_leverage_sensitivity.json"),
    ),
    (
        "scenarios/leverage_sweep_1x_to_4x.json",
        include_str!("../../config/scenarios/leverage_sweep_1x_to_4x.json"),
    ),
    (
        "scenarios/bank_run_with_redemption_throttle.json",
        include_str!("../../config/scenarios/bank_run_with_redemption_throttle.json"),
    ),
    (
        "scenarios/allocation_yield_weighted.json",
        include_str!("../../config/scenarios/allocation_yield_weighted.json"),
    ),
];

/// Where config files come from: an optional directory over the embedded defaults.
#[derive(Debug, Clone, Default)]
pub struct ConfigSource {
    pub dir: Option<PathBuf>,
}

/// A config file's text and the name to show in errors.
#[derive(Debug, Clone)]
pub struct ConfigText {
    pub display: String,
    pub text: String,
}

impl ConfigSource {
    /// Configs from `dir` over the embedded defaults. A `dir` that is not an existing
    /// directory is an error: reading the embedded configs instead would check (and pass)
    /// something other than what the user named.
    pub fn new(dir: Option<PathBuf>) -> Result<Self> {
        if let Some(d) = &dir
            && !d.is_dir()
        {
            let what = if d.exists() {
                "is not a directory"
            } else {
                "does not exist"
            };
            return Err(InputError::new(
                d.display().to_string(),
                format!("{what}; --config-dir must name a directory of config files"),
            )
            .into());
        }
        Ok(Self { dir })
    }

    /// Reads `rel` from the config dir when it exists there, else from the embedded copy.
    pub fn read(&self, rel: &str) -> Result<ConfigText> {
        if let Some(dir) = &self.dir {
            let path = dir.join(rel);
            if path.exists() {
                return read_file(&path);
            }
        }
        EMBEDDED
            .iter()
            .find(|(name, _)| *name == rel)
            .map(|(name, text)| ConfigText {
                display: format!("<embedded>/config/{name}"),
                text: (*text).to_string(),
            })
            .ok_or_else(|| {
                Error::Input(InputError::new(
                    rel,
                    "no such config file in the config dir or the embedded defaults",
                ))
            })
    }

    /// The policy, from `override_file` when given.
    pub fn policy(&self, override_file: Option<&Path>) -> Result<Policy> {
        let file = match override_file {
            Some(path) => read_file(path)?,
            None => self.read(POLICY_FILE)?,
        };
        Ok(policy_from_text(&file.text, &file.display)?)
    }

    /// The parsed, unchecked policy and the name of its file.
    fn raw_policy(&self, override_file: Option<&Path>) -> Result<(RawPolicy, String)> {
        let file = match override_file {
            Some(path) => read_file(path)?,
            None => self.read(POLICY_FILE)?,
        };
        Ok((parse::parse_json(&file.text, &file.display)?, file.display))
    }

    /// The deployment status.
    pub fn deployment(&self) -> Result<Deployment> {
        let file = self.read(DEPLOYMENT_FILE)?;
        Ok(deployment_from_text(&file.text, &file.display)?)
    }

    /// The parsed, unchecked deployment status and the name of its file.
    fn raw_deployment(&self) -> Result<(RawDeployment, String)> {
        let file = self.read(DEPLOYMENT_FILE)?;
        Ok((parse::parse_json(&file.text, &file.display)?, file.display))
    }

    /// The treasury liquidity commitments.
    pub fn commitments(&self, deployment: &Deployment) -> Result<Commitments> {
        let file = self.read(COMMITMENTS_FILE)?;
        Ok(commitments_from_text(
            &file.text,
            deployment,
            &file.display,
        )?)
    }

    /// The text of a scenario given by name or by path.
    pub fn scenario_text(&self, name_or_path: &str) -> Result<ConfigText> {
        let as_path = Path::new(name_or_path);
        if name_or_path.ends_with(".json") || as_path.components().count() > 1 {
            return read_file(as_path);
        }
        let rel = format!("scenarios/{name_or_path}.json");
        self.read(&rel).map_err(|_| {
            let names = self.scenario_names();
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut err = InputError::new(
                name_or_path,
                format!("unknown scenario; known scenarios: {}", refs.join(", ")),
            );
            if let Some(best) = parse::nearest(name_or_path, &refs) {
                err = err.hint(format!("did you mean `{best}`?"));
            }
            Error::Input(err)
        })
    }

    /// Parses and validates a scenario given by name or path.
    pub fn scenario(
        &self,
        name_or_path: &str,
        deployment: &Deployment,
        policy: &Policy,
    ) -> Result<Scenario> {
        let file = self.scenario_text(name_or_path)?;
        Ok(scenario_from_text(
            &file.text,
            deployment,
            policy,
            &file.display,
        )?)
    }

    /// Every scenario name: the embedded ones plus any in `<dir>/scenarios/`, sorted.
    pub fn scenario_names(&self) -> Vec<String> {
        let mut names: Vec<String> = EMBEDDED
            .iter()
            .filter_map(|(rel, _)| rel.strip_prefix("scenarios/")?.strip_suffix(".json"))
            .map(str::to_string)
            .collect();
        if let Some(dir) = &self.dir
            && let Ok(entries) = std::fs::read_dir(dir.join("scenarios"))
        {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().to_string();
                if let Some(stem) = name.strip_suffix(".json")
                    && !names.iter().any(|n| n == stem)
                {
                    names.push(stem.to_string());
                }
            }
        }
        names.sort();
        names
    }
}

/// Parses and checks the text of a policy file named `file`: what `run` and `validate`
/// do with `capital-efficiency-policy.json` or `--policy FILE` once it is read.
pub fn policy_from_text(text: &str, file: &str) -> Result<Policy, InputError> {
    Policy::check(parse::parse_json(text, file)?, file)
}

/// Parses and checks the text of a deployment status file named `file`.
pub fn deployment_from_text(text: &str, file: &str) -> Result<Deployment, InputError> {
    Deployment::check(parse::parse_json(text, file)?, file)
}

/// Parses and checks the text of a treasury commitments file named `file` against the
/// (checked) `deployment`.
pub fn commitments_from_text(
    text: &str,
    deployment: &Deployment,
    file: &str,
) -> Result<Commitments, InputError> {
    Commitments::check(parse::parse_json(text, file)?, deployment, file)
}

/// Parses and checks the text of a scenario file named `file` against the (checked)
/// `deployment` and `policy`, refusing a shock that starts past the file's horizon.
pub fn scenario_from_text(
    text: &str,
    deployment: &Deployment,
    policy: &Policy,
    file: &str,
) -> Result<Scenario, InputError> {
    let raw = parse::parse_json(text, file)?;
    scenario::check_shock_horizon(&raw, file)?;
    Scenario::check(raw, deployment, policy, file)
}

/// A config file from disk, within the size limit of `limits::read_text`.
fn read_file(path: &Path) -> Result<ConfigText> {
    Ok(ConfigText {
        display: path.display().to_string(),
        text: limits::read_text(path)?,
    })
}
