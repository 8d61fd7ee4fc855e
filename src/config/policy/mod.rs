//! The checked policy: `RawPolicy` after every range and cross-field rule has passed.
//! Build it with `Policy::check`; its parts are in `types.rs`.

mod breaker;
mod types;

pub use breaker::{BreakerPolicy, BreakerState, BreakerThresholds};
pub use types::{
    CapitalGates, EvidenceGate, EvidenceStatus, LeveragePolicy, LiquidationMode, LiquidationPolicy,
    LtvPolicy, OptimizerWeights, PegPolicy, RoutingGates, SpreadPolicy, VolatilityPolicy,
};

use super::check::Checker;
use super::raw::RawPolicy;
use crate::error::InputError;

/// A validated `capital-efficiency-policy.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// External liquidity floor, share of total capital `T`; in (0, 1).
    pub external_liquidity_floor: f64,
    pub leverage: LeveragePolicy,
    pub ltv: LtvPolicy,
    pub liquidation: LiquidationPolicy,
    pub spread: SpreadPolicy,
    pub volatility: VolatilityPolicy,
    pub peg: PegPolicy,
    pub gates: CapitalGates,
    pub routing_gates: RoutingGates,
    pub optimizer: OptimizerWeights,
    /// Gates no simulation can clear.
    pub evidence_gates: Vec<EvidenceGate>,
    /// The spread policy's NORMAL / SOFT / HARD breaker.
    pub breaker: BreakerPolicy,
    /// Seed 001's procedures as policy actions (all off unless the policy turns them on).
    pub runbook: super::runbook::Runbook,
}

impl Policy {
    /// Validates ranges and cross-field rules.
    pub fn check(raw: RawPolicy, file: &str) -> Result<Self, InputError> {
        let c = Checker::new(file);
        let floor = raw.external_liquidity_floor;
        if !(floor > 0.0 && floor < 1.0) {
            return Err(c.error(
                "externalLiquidityFloor",
                format!("expected a share in (0, 1), got {floor}"),
            ));
        }
        let lev = &raw.leverage;
        c.band(
            "leverage.stressDeployable",
            lev.stress_deployable,
            1.0,
            100.0,
        )?;
        c.band("leverage.auditedTarget", lev.audited_target, 1.0, 100.0)?;
        c.range("leverage.deployableCap", lev.deployable_cap, 1.0, 100.0)?;
        c.range("leverage.hardLimit", lev.hard_limit, 1.0, 100.0)?;
        if lev.deployable_cap > lev.hard_limit {
            return Err(c.error(
                "leverage.deployableCap",
                format!(
                    "deployable cap {} must not exceed the hard limit {}",
                    lev.deployable_cap, lev.hard_limit
                ),
            ));
        }
        c.range("ltv.defaultMax", raw.ltv.default_max, 0.0, 1.0)?;
        c.range("ltv.hardCeiling", raw.ltv.hard_ceiling, 0.0, 1.0)?;
        if raw.ltv.default_max >= raw.ltv.hard_ceiling {
            return Err(c.error(
                "ltv.defaultMax",
                format!(
                    "default max LTV {} must be below the hard LTV ceiling {}",
                    raw.ltv.default_max, raw.ltv.hard_ceiling
                ),
            ));
        }
        let max_lev_ltv = 1.0 - 1.0 / lev.hard_limit;
        if max_lev_ltv >= raw.ltv.hard_ceiling && lev.hard_limit > 1.0 {
            // Allowed (the optimizer then shows liquidations), but only up to a sane bound.
            c.range("leverage.hardLimit", lev.hard_limit, 1.0, 20.0)?;
        }
        let l = &raw.liquidation;
        let mode = match c.choice("liquidation.mode", &l.mode, &["partial", "full"])? {
            "full" => LiquidationMode::Full,
            _ => LiquidationMode::Partial,
        };
        if !(l.close_factor > 0.0 && l.close_factor <= 1.0) {
            return Err(c.error(
                "liquidation.closeFactor",
                format!("expected a share in (0, 1], got {}", l.close_factor),
            ));
        }
        if !(l.full_close_health_factor > 0.0 && l.full_close_health_factor <= 1.0) {
            return Err(c.error(
                "liquidation.fullCloseHealthFactor",
                format!(
                    "expected a value in (0, 1], got {}",
                    l.full_close_health_factor
                ),
            ));
        }
        if !(0.0..1.0).contains(&l.bonus) {
            return Err(c.error(
                "liquidation.bonus",
                format!("expected a share in [0, 1), got {}", l.bonus),
            ));
        }
        let liquidation = LiquidationPolicy {
            mode,
            close_factor: l.close_factor,
            full_close_health_factor: l.full_close_health_factor,
            bonus: l.bonus,
            source: l.source.clone(),
        };
        let s = &raw.spread;
        c.band("spread.targetBps", s.target_bps, 0.0, 10_000.0)?;
        c.range("spread.ceilingBps", s.ceiling_bps, 0.0, 10_000.0)?;
        c.range(
            "spread.throttleSpreadBps",
            s.throttle_spread_bps,
            0.0,
            s.ceiling_bps,
        )?;
        c.range(
            "spread.circuitBreakerSpreadBps",
            s.circuit_breaker_spread_bps,
            0.0,
            s.ceiling_bps,
        )?;
        if s.target_bps[1] > s.ceiling_bps {
            return Err(c.error(
                "spread.targetBps",
                "the target band must sit under spread.ceilingBps",
            ));
        }
        let v = &raw.volatility;
        c.positive("volatility.sigmaCrit", v.sigma_crit)?;
        c.range(
            "volatility.throttleAlphaFactor",
            v.throttle_alpha_factor,
            0.0,
            1.0,
        )?;
        c.range(
            "volatility.throttleLeverageFactor",
            v.throttle_leverage_factor,
            0.0,
            1.0,
        )?;
        let p = &raw.peg;
        c.range("peg.deviationThreshold", p.deviation_threshold, 0.0, 1.0)?;
        c.range(
            "peg.circuitBreakDeviation",
            p.circuit_break_deviation,
            0.0,
            1.0,
        )?;
        c.band("peg.normalBandBps", p.normal_band_bps, 0.0, 10_000.0)?;
        c.band("peg.stressBandBps", p.stress_band_bps, 0.0, 10_000.0)?;
        let g = &raw.gates;
        c.range("gates.maxDrawdownP95", g.max_drawdown_p95, 0.0, 1.0)?;
        c.range(
            "gates.liquidationProbability",
            g.liquidation_probability,
            0.0,
            1.0,
        )?;
        c.range(
            "gates.pegDeviationFrequency",
            g.peg_deviation_frequency,
            0.0,
            1.0,
        )?;
        c.range("gates.confidence", g.confidence, 0.5, 0.9999)?;
        if g.external_liquidity_floor_violations.is_some() {
            return Err(c.error(
                "gates.externalLiquidityFloorViolations",
                "this count gate was replaced by `externalLiquidityFloorBreachProbability`, the \
                 largest tolerated probability that a path ever breaches the floor (a number \
                 in (0, 1], e.g. 0.01; see docs/statistics.md)",
            ));
        }
        let breach = g
            .external_liquidity_floor_breach_probability
            .ok_or_else(|| {
                c.error(
                    "gates.externalLiquidityFloorBreachProbability",
                    "missing: the largest tolerated probability that a path ever breaches the \
                 external liquidity floor (a number in (0, 1], e.g. 0.01)",
                )
            })?;
        c.range(
            "gates.externalLiquidityFloorBreachProbability",
            breach,
            0.0,
            1.0,
        )?;
        c.range("gates.roiP05Min", g.roi_p05_min, -1.0, 10.0)?;
        let r = &raw.routing_gates;
        c.band("routingGates.captureCorridor", r.capture_corridor, 0.0, 1.0)?;
        c.positive("routingGates.churnMaxNormal", r.churn_max_normal)?;
        c.positive("routingGates.churnMaxStress", r.churn_max_stress)?;
        c.positive("routingGates.peakDeviationBpsMax", r.peak_deviation_bps_max)?;
        let o = &raw.optimizer;
        c.non_negative("optimizer.liquidationWeight", o.liquidation_weight)?;
        c.non_negative("optimizer.drawdownWeight", o.drawdown_weight)?;
        c.non_negative("optimizer.pegDeviationWeight", o.peg_deviation_weight)?;
        let mut evidence_gates = Vec::with_capacity(raw.evidence_gates.len());
        for (i, gate) in raw.evidence_gates.into_iter().enumerate() {
            let status = match c.choice(
                &format!("evidenceGates[{i}].status"),
                &gate.status,
                &["external", "complete"],
            )? {
                "complete" => EvidenceStatus::Complete,
                _ => EvidenceStatus::External,
            };
            evidence_gates.push(EvidenceGate {
                name: gate.name,
                status,
                evidence: gate.evidence,
            });
        }
        let spread: SpreadPolicy = raw.spread.into();
        let volatility: VolatilityPolicy = raw.volatility.into();
        let peg: PegPolicy = raw.peg.into();
        let breaker = breaker::check(&c, raw.breaker.as_ref(), &spread, &volatility, &peg)?;
        let mut policy = Self {
            external_liquidity_floor: raw.external_liquidity_floor,
            leverage: raw.leverage.into(),
            ltv: raw.ltv.into(),
            liquidation,
            spread,
            volatility,
            peg,
            gates: raw.gates.into(),
            routing_gates: raw.routing_gates.into(),
            optimizer: raw.optimizer.into(),
            evidence_gates,
            breaker,
            runbook: super::runbook::Runbook::default(),
        };
        policy.runbook = super::runbook::Runbook::check(
            raw.runbook.as_ref(),
            &super::runbook::Runbook::default(),
            &super::runbook::PolicyDefaults::of(&policy),
            "runbook",
            file,
        )?;
        Ok(policy)
    }

    /// The default operating spread, bps (low end of the target band).
    pub fn default_spread_bps(&self) -> f64 {
        self.spread.target_bps[0]
    }
}
