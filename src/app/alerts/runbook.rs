//! The operator runbook (seed 001, "Operator Procedures") as data, with the policy's own
//! numbers filled in, so an alert can carry the exact steps an operator follows.
//! Wording follows the source document; `pmmsim validate` stands in for the original
//! Node validation script.

use crate::config::Policy;

/// A runbook procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Deleverage,
    SpreadWidening,
    RedemptionThrottle,
    TreasuryDeployment,
    PegCircuitBreaker,
}

impl Step {
    /// The procedure's heading in the runbook.
    pub fn title(self) -> &'static str {
        match self {
            Step::Deleverage => "Deleverage",
            Step::SpreadWidening => "Spread Widening",
            Step::RedemptionThrottle => "Redemption Throttle",
            Step::TreasuryDeployment => "Treasury Liquidity Deployment",
            Step::PegCircuitBreaker => "Peg Circuit Breaker",
        }
    }

    /// The procedure's numbered steps, with the policy's values.
    pub fn steps(self, p: &Policy) -> Vec<String> {
        match self {
            Step::Deleverage => vec![
                "Stop new leverage increases.".into(),
                format!(
                    "Set the deployable profile to leverage <= {}.",
                    p.leverage.deployable_cap
                ),
                "Reduce alpha to preserve the external liquidity floor.".into(),
                "Re-run `pmmsim validate`.".into(),
                "Resume only when the crash, high-volatility and bank-run scenarios pass the \
                 policy gates."
                    .into(),
            ],
            Step::SpreadWidening => vec![
                format!(
                    "If volatility exceeds sigmaCrit ({}), widen the spread to throttleSpreadBps \
                     ({} bps).",
                    p.volatility.sigma_crit, p.spread.throttle_spread_bps
                ),
                format!(
                    "If peg deviation exceeds the circuit-break threshold ({}), widen to \
                     circuitBreakerSpreadBps ({} bps).",
                    p.peg.circuit_break_deviation, p.spread.circuit_breaker_spread_bps
                ),
                "Confirm spread_adjustment_events stabilises and peg deviation frequency stays \
                 within its gate."
                    .into(),
            ],
            Step::RedemptionThrottle => vec![
                "Trigger when the bank-run scorecard approaches the drawdown gate.".into(),
                "Increase the redemption fee according to policy.".into(),
                "Pause non-essential outflows.".into(),
                "Deploy treasury liquidity only from documented sources in \
                 config/treasury-liquidity-commitments.json."
                    .into(),
            ],
            Step::TreasuryDeployment => vec![
                format!(
                    "Confirm external liquidity remains at or above {}% of capital.",
                    p.external_liquidity_floor * 100.0
                ),
                "Confirm the bridge buffer satisfies bridgeReserve >= peakBridgeOutflow * latency."
                    .into(),
                "Execute only through approved operator/multisig authority.".into(),
                "Record evidence before marking any live deployment gate complete.".into(),
            ],
            Step::PegCircuitBreaker => vec![
                "Stop adding public-routing liquidity to affected pools.".into(),
                "Prefer defense-only rebalancing.".into(),
                "Re-run the deployed Chain 138 and stress scenarios.".into(),
                "Re-enable only when peg deviation frequency is within its gate.".into(),
            ],
        }
    }
}

/// The `runbook` annotation: each procedure's title and the chosen steps (1-based;
/// empty = every step), one step per line.
pub fn annotation(p: &Policy, refs: &[(Step, &[usize])]) -> String {
    let mut lines = Vec::new();
    for (step, numbers) in refs {
        let all = step.steps(p);
        let chosen: Vec<usize> = if numbers.is_empty() {
            (1..=all.len()).collect()
        } else {
            numbers.to_vec()
        };
        lines.push(format!("{}:", step.title()));
        for n in chosen {
            if let Some(text) = all.get(n.wrapping_sub(1)) {
                lines.push(format!("{n}. {text}"));
            }
        }
    }
    lines.join("\n")
}
