//! The operator procedures of the runbook (docs/monitoring.md, "Runbook") and the
//! ones that answer each gate when it fails.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An operator procedure of the runbook.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// Stop leverage increases; set the deployable profile to leverage <= the cap.
    Deleverage,
    /// Widen spreads under volatility and peg stress.
    SpreadWidening,
    /// Raise the redemption fee by schedule and pause non-essential outflows.
    RedemptionThrottle,
    /// Deploy treasury liquidity, only from the documented commitments.
    TreasuryLiquidityDeployment,
    /// Stop adding public-routing liquidity to affected pools; defence-only rebalancing.
    PegCircuitBreaker,
}

impl Procedure {
    /// The procedure's heading in the runbook.
    pub const fn title(self) -> &'static str {
        match self {
            Self::Deleverage => "Deleverage",
            Self::SpreadWidening => "Spread widening",
            Self::RedemptionThrottle => "Redemption throttle",
            Self::TreasuryLiquidityDeployment => "Treasury liquidity deployment",
            Self::PegCircuitBreaker => "Peg circuit breaker",
        }
    }

    /// What the runbook asks of the operator, in one line.
    pub const fn action(self) -> &'static str {
        match self {
            Self::Deleverage => {
                "stop leverage increases and set the deployable profile to leverage at or \
                 below the policy's deployable cap"
            }
            Self::SpreadWidening => {
                "widen spreads to the throttle spread when volatility exceeds sigmaCrit, and \
                 to the circuit-breaker spread past the peg's circuit-break deviation"
            }
            Self::RedemptionThrottle => {
                "raise the redemption fee by the policy's schedule and pause non-essential \
                 outflows"
            }
            Self::TreasuryLiquidityDeployment => {
                "deploy treasury liquidity, only from the documented commitments, within \
                 their amounts and latencies"
            }
            Self::PegCircuitBreaker => {
                "stop adding public-routing liquidity to the affected pools and rebalance for \
                 defence only"
            }
        }
    }

    /// The procedures that answer gate `gate` when it fails, first the one the runbook
    /// names for it. `leverage` is the run's sleeve leverage (`None` without a capital
    /// block): a drawdown under leverage is answered by deleveraging as well as by the
    /// redemption throttle. A gate the runbook does not cover gives none.
    pub fn answering(gate: &str, leverage: Option<f64>) -> Vec<Self> {
        match gate {
            "liquidation" | "roi_lower_band" => vec![Self::Deleverage],
            "max_drawdown" if leverage.is_some_and(|l| l > 1.0) => {
                vec![Self::RedemptionThrottle, Self::Deleverage]
            }
            "max_drawdown" => vec![Self::RedemptionThrottle],
            "external_liquidity_floor" => vec![Self::TreasuryLiquidityDeployment],
            "peg_deviation" => vec![Self::PegCircuitBreaker],
            "capture_corridor" | "churn_normal" | "churn_stress" | "post_bot_peak_deviation" => {
                vec![Self::SpreadWidening]
            }
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gate_a_policy_can_ask_for_has_a_procedure() {
        // The gate names of gates/capital.rs and gates/routing.rs.
        for gate in [
            "max_drawdown",
            "liquidation",
            "peg_deviation",
            "external_liquidity_floor",
            "roi_lower_band",
            "capture_corridor",
            "churn_normal",
            "churn_stress",
            "post_bot_peak_deviation",
        ] {
            assert!(!Procedure::answering(gate, Some(1.5)).is_empty(), "{gate}");
        }
        assert!(Procedure::answering("not_a_gate", Some(1.5)).is_empty());
    }

    #[test]
    fn a_drawdown_is_answered_by_deleveraging_only_under_leverage() {
        assert_eq!(
            Procedure::answering("max_drawdown", Some(1.0)),
            vec![Procedure::RedemptionThrottle]
        );
        assert_eq!(
            Procedure::answering("max_drawdown", Some(2.0)),
            vec![Procedure::RedemptionThrottle, Procedure::Deleverage]
        );
    }
}
