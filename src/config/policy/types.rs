//! The checked policy's parts: leverage, LTV, spread, volatility and peg settings, the
//! capital and routing gates, the optimizer's weights and the evidence gates. Built only
//! by `Policy::check`, from the raw mirror, after every range and cross-field rule passed.

use crate::config::raw::{
    RawGates, RawLeveragePolicy, RawLtvPolicy, RawOptimizerWeights, RawPegPolicy, RawRoutingGates,
    RawSpreadPolicy, RawVolatilityPolicy,
};

/// Leverage bands and limits (`leverage`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeveragePolicy {
    /// Stress-deployable band `[low, high]`, x.
    pub stress_deployable: [f64; 2],
    /// Target band for future audited optimisation, x.
    pub audited_target: [f64; 2],
    /// Optimizer candidates above this are never deployable, x.
    pub deployable_cap: f64,
    /// Candidates above this are rejected before simulation, x.
    pub hard_limit: f64,
}

/// Loan-to-value limits of the yield sleeve (`ltv`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LtvPolicy {
    /// Operating ceiling: deleverage above it.
    pub default_max: f64,
    /// Liquidation at or above it.
    pub hard_ceiling: f64,
}

/// How a liquidation repays debt (`liquidation.mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiquidationMode {
    /// A close factor of the debt per liquidation (all of it below the full-close health
    /// factor).
    Partial,
    /// All the debt at once.
    Full,
}

/// Liquidation terms of the lending market (`liquidation`).
#[derive(Debug, Clone, PartialEq)]
pub struct LiquidationPolicy {
    pub mode: LiquidationMode,
    /// Share of the debt a partial liquidation repays, in (0, 1].
    pub close_factor: f64,
    /// Below this health factor a partial liquidation repays all the debt.
    pub full_close_health_factor: f64,
    /// Collateral seized per unit of debt repaid is `1 + bonus`.
    pub bonus: f64,
    /// Where the terms come from.
    pub source: String,
}

/// Spread targets and limits (`spread`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpreadPolicy {
    /// Target spread band, bps; the low end is the default.
    pub target_bps: [f64; 2],
    /// Spread while throttled (`sigma > sigmaCrit`), bps.
    pub throttle_spread_bps: f64,
    /// Spread on the peg circuit breaker, bps.
    pub circuit_breaker_spread_bps: f64,
    /// Ceiling on any spread, bps.
    pub ceiling_bps: f64,
}

/// The volatility throttle (`volatility`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VolatilityPolicy {
    /// Throttle when annualised sigma exceeds this.
    pub sigma_crit: f64,
    /// Effective alpha multiplier while throttled.
    pub throttle_alpha_factor: f64,
    /// Effective leverage multiplier while throttled (applied to L - 1).
    pub throttle_leverage_factor: f64,
}

/// Peg deviation thresholds and bands (`peg`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PegPolicy {
    /// `|P - 1|` above this counts toward `peg_deviation_frequency`.
    pub deviation_threshold: f64,
    /// `|P - 1|` above this trips the circuit breaker.
    pub circuit_break_deviation: f64,
    /// Normal pool deviation band, bps.
    pub normal_band_bps: [f64; 2],
    /// Stress pool deviation band, bps.
    pub stress_band_bps: [f64; 2],
}

/// Capital gates of a deployable profile (`gates`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CapitalGates {
    /// Confidence level of every gate verdict, in [0.5, 0.9999].
    pub confidence: f64,
    pub max_drawdown_p95: f64,
    pub liquidation_probability: f64,
    pub peg_deviation_frequency: f64,
    /// Largest tolerated probability that a path ever breaches the external liquidity floor.
    pub external_liquidity_floor_breach_probability: f64,
    /// Minimum `roi_p05` in a deployable profile.
    pub roi_p05_min: f64,
}

/// Routing gates (`routingGates`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoutingGates {
    /// Capture corridor `[low, high]`, share of volume.
    pub capture_corridor: [f64; 2],
    /// Largest `churn_mean` in a normal scenario, per epoch.
    pub churn_max_normal: f64,
    /// Largest `churn_mean` in a stress scenario, per epoch.
    pub churn_max_stress: f64,
    /// Largest post-bot peak deviation (p95 over paths), bps: the circuit-break band.
    pub peak_deviation_bps_max: f64,
}

/// Penalty weights of the optimizer's score (`optimizer`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptimizerWeights {
    /// Score penalty per unit of liquidation probability.
    pub liquidation_weight: f64,
    /// Score penalty per unit of p95 drawdown.
    pub drawdown_weight: f64,
    /// Score penalty per unit of peg deviation frequency.
    pub peg_deviation_weight: f64,
}

/// A gate no simulation can clear (`evidenceGates[]`).
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceGate {
    pub name: String,
    /// `external` (needs signed evidence) or `complete`.
    pub status: EvidenceStatus,
    pub evidence: Option<String>,
}

/// Status of an evidence gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceStatus {
    /// Needs signed evidence from outside pmmsim.
    External,
    /// Done.
    Complete,
}

impl EvidenceStatus {
    /// The word the policy file uses: `external` or `complete`.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceStatus::External => "external",
            EvidenceStatus::Complete => "complete",
        }
    }
}

impl From<RawLeveragePolicy> for LeveragePolicy {
    fn from(raw: RawLeveragePolicy) -> Self {
        Self {
            stress_deployable: raw.stress_deployable,
            audited_target: raw.audited_target,
            deployable_cap: raw.deployable_cap,
            hard_limit: raw.hard_limit,
        }
    }
}

impl From<RawLtvPolicy> for LtvPolicy {
    fn from(raw: RawLtvPolicy) -> Self {
        Self {
            default_max: raw.default_max,
            hard_ceiling: raw.hard_ceiling,
        }
    }
}

impl From<RawSpreadPolicy> for SpreadPolicy {
    fn from(raw: RawSpreadPolicy) -> Self {
        Self {
            target_bps: raw.target_bps,
            throttle_spread_bps: raw.throttle_spread_bps,
            circuit_breaker_spread_bps: raw.circuit_breaker_spread_bps,
            ceiling_bps: raw.ceiling_bps,
        }
    }
}

impl From<RawVolatilityPolicy> for VolatilityPolicy {
    fn from(raw: RawVolatilityPolicy) -> Self {
        Self {
            sigma_crit: raw.sigma_crit,
            throttle_alpha_factor: raw.throttle_alpha_factor,
            throttle_leverage_factor: raw.throttle_leverage_factor,
        }
    }
}

impl From<RawPegPolicy> for PegPolicy {
    fn from(raw: RawPegPolicy) -> Self {
        Self {
            deviation_threshold: raw.deviation_threshold,
            circuit_break_deviation: raw.circuit_break_deviation,
            normal_band_bps: raw.normal_band_bps,
            stress_band_bps: raw.stress_band_bps,
        }
    }
}

impl From<RawGates> for CapitalGates {
    /// After `Policy::check`, which makes sure the breach tolerance is present.
    fn from(raw: RawGates) -> Self {
        Self {
            confidence: raw.confidence,
            max_drawdown_p95: raw.max_drawdown_p95,
            liquidation_probability: raw.liquidation_probability,
            peg_deviation_frequency: raw.peg_deviation_frequency,
            external_liquidity_floor_breach_probability: raw
                .external_liquidity_floor_breach_probability
                .unwrap_or(0.0),
            roi_p05_min: raw.roi_p05_min,
        }
    }
}

impl From<RawRoutingGates> for RoutingGates {
    fn from(raw: RawRoutingGates) -> Self {
        Self {
            capture_corridor: raw.capture_corridor,
            churn_max_normal: raw.churn_max_normal,
            churn_max_stress: raw.churn_max_stress,
            peak_deviation_bps_max: raw.peak_deviation_bps_max,
        }
    }
}

impl From<RawOptimizerWeights> for OptimizerWeights {
    fn from(raw: RawOptimizerWeights) -> Self {
        Self {
            liquidation_weight: raw.liquidation_weight,
            drawdown_weight: raw.drawdown_weight,
            peg_deviation_weight: raw.peg_deviation_weight,
        }
    }
}
