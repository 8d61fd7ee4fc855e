//! Check of the scenario's `optimizer` block into an `OptimizerSpec`.

use super::MAX_PATHS;
use super::types::OptimizerSpec;
use crate::config::check::Checker;
use crate::config::policy::Policy;
use crate::config::raw::RawOptimizer;
use crate::error::InputError;

impl OptimizerSpec {
    /// Validates the block (found at `optimizer` in `file`) against the policy.
    pub fn check(block: &RawOptimizer, policy: &Policy, file: &str) -> Result<Self, InputError> {
        check_optimizer(block, policy, &Checker::new(file))
    }
}

pub(super) fn check_optimizer(
    block: &RawOptimizer,
    policy: &Policy,
    c: &Checker,
) -> Result<OptimizerSpec, InputError> {
    if block.leverage.is_empty() {
        return Err(c.error("optimizer.leverage", "expected at least one leverage value"));
    }
    for (i, l) in block.leverage.iter().enumerate() {
        // Values above the hard limit are allowed: the optimizer rejects them with a reason.
        c.range(&format!("optimizer.leverage[{i}]"), *l, 1.0, 100.0)?;
    }
    for (i, a) in block.alpha.iter().enumerate() {
        c.range(&format!("optimizer.alpha[{i}]"), *a, 0.0, 1.0)?;
    }
    for (i, s) in block.spread_bps.iter().enumerate() {
        c.range(
            &format!("optimizer.spreadBps[{i}]"),
            *s,
            0.0,
            policy.spread.ceiling_bps,
        )?;
    }
    for (i, e) in block.external_share.iter().enumerate() {
        c.range(&format!("optimizer.externalShare[{i}]"), *e, 0.0, 1.0)?;
    }
    if let Some(paths) = block.paths {
        c.count("optimizer.paths", paths, 1, MAX_PATHS)?;
    }
    let non_empty = |values: &[f64]| (!values.is_empty()).then(|| values.to_vec());
    Ok(OptimizerSpec {
        enabled: block.enabled,
        leverage: block.leverage.clone(),
        alpha: non_empty(&block.alpha),
        spread_bps: non_empty(&block.spread_bps),
        external_share: non_empty(&block.external_share),
        paths: block.paths,
    })
}
