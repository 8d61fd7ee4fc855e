//! Serde mirror of `config/capital-efficiency-policy.json`: institutional defaults and gates.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `config/capital-efficiency-policy.json`: institutional defaults and gates.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawPolicy {
    /// External liquidity floor, share of total capital `T`.
    pub external_liquidity_floor: f64,
    pub leverage: RawLeveragePolicy,
    pub ltv: RawLtvPolicy,
    /// Liquidation terms of the lending market the sleeve borrows from.
    #[serde(default)]
    pub liquidation: RawLiquidationPolicy,
    pub spread: RawSpreadPolicy,
    pub volatility: RawVolatilityPolicy,
    pub peg: RawPegPolicy,
    pub gates: RawGates,
    pub routing_gates: RawRoutingGates,
    pub optimizer: RawOptimizerWeights,
    /// Gates no simulation can clear.
    #[serde(default)]
    pub evidence_gates: Vec<RawEvidenceGate>,
    /// The spread policy's NORMAL / SOFT / HARD breaker. Left out (or any key of it), the
    /// levels follow `volatility.sigmaCrit` (SOFT) and `peg.circuitBreakDeviation` (HARD)
    /// without a band, with the throttle's factors and the spread policy's spreads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breaker: Option<RawBreakerPolicy>,
    /// Seed 001's operator procedures as policy actions; every action is off when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runbook: Option<super::runbook::RawRunbook>,
}

/// `breaker`: the SOFT and HARD levels.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawBreakerPolicy {
    /// SOFT: by default entered at `sigma > volatility.sigmaCrit`.
    pub soft: RawBreakerState,
    /// HARD: by default entered at `|P - 1| > peg.circuitBreakDeviation`.
    pub hard: RawBreakerState,
}

/// One breaker level. A level is entered when sigma or `|P - 1|` is above its entry
/// threshold and kept while either is above its exit threshold (at or below the entry:
/// hysteresis). A left-out exit equals its entry; left-out keys take the defaults above.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawBreakerState {
    /// Enter when annualised sigma is above this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enter_sigma: Option<f64>,
    /// Stay while annualised sigma is above this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_sigma: Option<f64>,
    /// Enter when `|P - 1|` is above this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enter_peg_deviation: Option<f64>,
    /// Stay while `|P - 1|` is above this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_peg_deviation: Option<f64>,
    /// Spread floor at this level, bps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spread_bps: Option<f64>,
    /// Multiplier on the candidate's spread at this level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spread_multiplier: Option<f64>,
    /// Multiplier on the target alpha at this level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpha_factor: Option<f64>,
    /// Multiplier on the target `L - 1` at this level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leverage_factor: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawLeveragePolicy {
    /// Stress-deployable band `[low, high]`, x.
    pub stress_deployable: [f64; 2],
    /// Target band for future audited optimisation, x.
    pub audited_target: [f64; 2],
    /// Optimizer candidates above this are never deployable, x.
    pub deployable_cap: f64,
    /// Candidates above this are rejected before simulation, x.
    pub hard_limit: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawLtvPolicy {
    /// Operating ceiling: deleverage above it.
    pub default_max: f64,
    /// Liquidation at or above it.
    pub hard_ceiling: f64,
}

/// `liquidation`: how the lending market liquidates a position whose LTV crosses the hard
/// ceiling. Defaults: Aave v3's terms (close factor 50%, 100% below health factor 0.95,
/// liquidation bonus 5% on WETH).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawLiquidationPolicy {
    /// `partial` (a close factor of the debt per liquidation) or `full` (all the debt).
    #[schemars(extend("enum" = ["partial", "full"]))]
    pub mode: String,
    /// Share of the debt a partial liquidation repays, in (0, 1].
    pub close_factor: f64,
    /// Below this health factor (`hardCeiling / LTV`) a partial liquidation repays all the
    /// debt, in (0, 1].
    pub full_close_health_factor: f64,
    /// Liquidation bonus: collateral seized per unit of debt repaid is `1 + bonus`, in [0, 1).
    pub bonus: f64,
    /// Where the terms come from (free text, shown in docs and reports).
    pub source: String,
}

impl Default for RawLiquidationPolicy {
    fn default() -> Self {
        Self {
            mode: "partial".into(),
            close_factor: 0.5,
            full_close_health_factor: 0.95,
            bonus: 0.05,
            source: "Aave v3 (close factor 50%, 100% below health factor 0.95; WETH bonus 5%)"
                .into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawSpreadPolicy {
    /// Target spread band, bps; the low end is the default.
    pub target_bps: [f64; 2],
    /// Spread while throttled (`sigma > sigmaCrit`), bps.
    pub throttle_spread_bps: f64,
    /// Spread on the peg circuit breaker, bps.
    pub circuit_breaker_spread_bps: f64,
    /// Ceiling on any spread, bps.
    pub ceiling_bps: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawVolatilityPolicy {
    /// Throttle when annualised sigma exceeds this.
    pub sigma_crit: f64,
    /// Effective alpha multiplier while throttled.
    pub throttle_alpha_factor: f64,
    /// Effective leverage multiplier while throttled (applied to L - 1).
    pub throttle_leverage_factor: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawPegPolicy {
    /// `|P - 1|` above this counts toward `peg_deviation_frequency`.
    pub deviation_threshold: f64,
    /// `|P - 1|` above this trips the circuit breaker.
    pub circuit_break_deviation: f64,
    /// Normal pool deviation band, bps.
    pub normal_band_bps: [f64; 2],
    /// Stress pool deviation band, bps.
    pub stress_band_bps: [f64; 2],
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawGates {
    /// Confidence level of every gate verdict (default 0.95).
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    pub max_drawdown_p95: f64,
    pub liquidation_probability: f64,
    pub peg_deviation_frequency: f64,
    /// Largest tolerated probability that a path ever breaches the external liquidity floor.
    #[serde(default)]
    pub external_liquidity_floor_breach_probability: Option<f64>,
    /// The count gate this replaced; present only to name its replacement in the error.
    #[serde(default)]
    pub external_liquidity_floor_violations: Option<f64>,
    /// Minimum `roi_p05` in a deployable profile.
    pub roi_p05_min: f64,
}

/// The confidence level of gate verdicts when the policy sets none.
pub const DEFAULT_CONFIDENCE: f64 = 0.95;

fn default_confidence() -> f64 {
    DEFAULT_CONFIDENCE
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawRoutingGates {
    /// Capture corridor `[low, high]`, share of volume.
    pub capture_corridor: [f64; 2],
    /// Largest `churn_mean` in a normal scenario, per epoch.
    pub churn_max_normal: f64,
    /// Largest `churn_mean` in a stress scenario, per epoch.
    pub churn_max_stress: f64,
    /// Largest post-bot peak deviation (p95 over paths), bps: the circuit-break band.
    pub peak_deviation_bps_max: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawOptimizerWeights {
    /// Score penalty per unit of liquidation probability.
    pub liquidation_weight: f64,
    /// Score penalty per unit of p95 drawdown.
    pub drawdown_weight: f64,
    /// Score penalty per unit of peg deviation frequency.
    pub peg_deviation_weight: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawEvidenceGate {
    pub name: String,
    /// `external` (needs signed evidence) or `complete`.
    #[schemars(extend("enum" = ["external", "complete"]))]
    pub status: String,
    #[serde(default)]
    pub evidence: Option<String>,
}
