//! The readers of untrusted files as the fuzz targets (`fuzz/`) and their corpus replay
//! (`tests/fuzz_corpus.rs`) call them: one function per kind of file, from raw bytes to
//! `Ok` or the error the command would report. Each runs the code a command runs on a
//! file's contents, checks included; an error must be a clean input error (exit status
//! 2, [`is_clean`]), never a panic, an internal error, a hang or unbounded memory.

use std::sync::OnceLock;

use crate::app::merge::Merger;
use crate::config::limits::decode_text;
use crate::config::{
    ConfigSource, Deployment, Policy, commitments_from_text, deployment_from_text,
    policy_from_text, scenario_from_text,
};
use crate::diff::{compare, load_text};
use crate::engine::Setup;
use crate::error::{Error, Result};
use crate::shard::read_partial;

/// The name the fuzzed file goes by in error messages.
pub const FILE: &str = "fuzz.json";

/// The embedded policy and deployment, which a scenario and the commitments are checked
/// against.
fn defaults() -> &'static (Policy, Deployment) {
    static DEFAULTS: OnceLock<(Policy, Deployment)> = OnceLock::new();
    DEFAULTS.get_or_init(|| {
        let source = ConfigSource::default();
        let policy = source.policy(None).expect("the embedded policy is valid");
        let deployment = source
            .deployment()
            .expect("the embedded deployment is valid");
        (policy, deployment)
    })
}

/// Whether `result` is a success or an error a user can act on (exit status 2), as every
/// input must give. An internal error (exit status 3) is a bug of pmmsim.
pub fn is_clean(result: &Result<()>) -> bool {
    match result {
        Ok(()) => true,
        Err(e) => e.exit_code() == 2 && !matches!(e, Error::Internal(_)),
    }
}

/// A policy file (`capital-efficiency-policy.json`, `--policy FILE`), as `run` and
/// `validate` read it.
pub fn policy(bytes: &[u8]) -> Result<()> {
    policy_from_text(&decode_text(bytes, FILE)?, FILE)?;
    Ok(())
}

/// A deployment status file (`deployment-status.json`).
pub fn deployment(bytes: &[u8]) -> Result<()> {
    deployment_from_text(&decode_text(bytes, FILE)?, FILE)?;
    Ok(())
}

/// A treasury commitments file, checked against the embedded deployment.
pub fn commitments(bytes: &[u8]) -> Result<()> {
    let (_, deployment) = defaults();
    commitments_from_text(&decode_text(bytes, FILE)?, deployment, FILE)?;
    Ok(())
}

/// A scenario file, checked against the embedded policy and deployment; a valid one then
/// builds the run's `Setup` (graph, routes, order flow, shock schedule), as `run` does
/// before it simulates.
pub fn scenario(bytes: &[u8]) -> Result<()> {
    let (policy, deployment) = defaults();
    let scenario = scenario_from_text(&decode_text(bytes, FILE)?, deployment, policy, FILE)?;
    Setup::new(scenario, policy.clone())?;
    Ok(())
}

/// A scorecard as `diff` reads it ([`load_text`]); a valid one is then compared with
/// itself.
pub fn scorecard(bytes: &[u8]) -> Result<()> {
    let loaded = load_text(&decode_text(bytes, FILE)?, FILE)?;
    compare(&loaded, &loaded)?;
    Ok(())
}

/// A shard as `merge` reads it ([`read_partial`]); a valid one is then merged on its own,
/// as `merge` does with one part (an error unless it is the only shard of its run).
pub fn shard(bytes: &[u8]) -> Result<()> {
    let part = read_partial(bytes, FILE)?;
    let mut merger = Merger::new();
    merger.add(FILE.to_string(), part)?;
    merger.finish()?;
    Ok(())
}
