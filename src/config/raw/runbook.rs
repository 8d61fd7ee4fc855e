//! Serde mirrors of the allocation-target block of a scenario (`capitalEfficiency.allocation`)
//! and of the runbook's procedures as policy actions (`runbook`, in the policy or, overriding
//! it action by action, in a scenario's `capitalEfficiency.runbook`). Every action is off
//! unless its block is present with `enabled: true`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `capitalEfficiency.allocation`: how the rebalancer's target weights are set (seed 002).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawAllocation {
    /// `fixed` (the scenario's alpha and pmmShare, the default), `endogenous`
    /// (weight = yield / (1 + risk)) or `dirichlet` (stochastic perturbation of the current
    /// weights).
    #[schemars(extend("enum" = ["fixed", "endogenous", "dirichlet"]))]
    pub mode: String,
    /// endogenous: epochs in the yields' moving average (and in their coefficient of
    /// variation), an integer in [2, 3650]. Default 30.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moving_average_epochs: Option<u32>,
    /// endogenous: weight of the volatile-asset risk `sigma x externalShare x L` in the sleeve's
    /// risk, >= 0. Default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volatile_asset_risk: Option<f64>,
    /// dirichlet: concentration `c` > 0; the perturbation is Dirichlet(c w_fixed). Default 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concentration: Option<f64>,
}

/// `runbook`: seed 001's operator procedures as policy actions.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawRunbook {
    /// Redemption throttle: a fee on redemptions against drawdown or peg deviation, and a
    /// pause of non-essential outflows while it is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redemption_throttle: Option<RawRedemptionThrottle>,
    /// Treasury liquidity deployment into the reserve, only from the documented sources of
    /// `treasury-liquidity-commitments.json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treasury_deployment: Option<RawTreasuryDeployment>,
    /// Peg circuit breaker: no liquidity added to the pools while tripped, defence-only
    /// rebalancing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peg_circuit_breaker: Option<RawPegCircuitBreaker>,
    /// Deleverage: stop leverage increases and cap the sleeve's leverage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleverage: Option<RawDeleverage>,
}

/// `runbook.redemptionThrottle`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawRedemptionThrottle {
    pub enabled: bool,
    /// Fee tiers; the fee charged is the highest fee among the tiers whose driver is above
    /// its level (0 when none is).
    pub schedule: Vec<RawFeeTier>,
    /// While a fee is charged, the reserve is not drawn to invest in the sleeve or the PMM
    /// and the sleeve is not re-levered.
    #[serde(default)]
    pub pause_non_essential_outflows: bool,
}

/// One tier of the redemption fee schedule.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawFeeTier {
    /// `drawdown` (the path's drawdown of its time-weighted return, share) or
    /// `pegDeviation` (`|P - 1|`).
    #[schemars(extend("enum" = ["drawdown", "pegDeviation"]))]
    pub driver: String,
    /// The tier applies while the driver is above this, in [0, 1].
    pub above: f64,
    /// Redemption fee, share of the amount redeemed, in [0, 0.5].
    pub fee: f64,
}

/// `runbook.treasuryDeployment`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawTreasuryDeployment {
    pub enabled: bool,
    /// Request liquidity when the reserve ends the epoch's outflows below
    /// `targetReserveMultiple x floor x T`; the request is the shortfall, net of what is
    /// already on its way. In [1, 5]; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_reserve_multiple: Option<f64>,
    /// The documented sources to draw on, in order; default every commitment in file
    /// order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<RawSourceRef>>,
}

/// A commitment of `treasury-liquidity-commitments.json`, by chain and source.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawSourceRef {
    pub chain_id: u64,
    pub source: String,
}

/// `runbook.pegCircuitBreaker`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawPegCircuitBreaker {
    pub enabled: bool,
    /// Trips when `|P - 1|` exceeds this; default the policy's `peg.circuitBreakDeviation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trip_deviation: Option<f64>,
    /// Re-enabled when `|P - 1|` is back at or below this (below the trip level: hysteresis);
    /// default the policy's `peg.deviationThreshold`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset_deviation: Option<f64>,
}

/// `runbook.deleverage`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawDeleverage {
    pub enabled: bool,
    /// Leverage cap once triggered, x, in [1, the policy's hard limit]; default the policy's
    /// `leverage.deployableCap` (1.5 in the shipped policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_leverage: Option<f64>,
    /// Triggers when the path's drawdown exceeds this, in (0, 1]; default 0.1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_drawdown: Option<f64>,
    /// Also triggers when the sleeve's LTV exceeds this, in (0, 1); default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger_ltv: Option<f64>,
}
