//! The checked breaker of the spread policy (`breaker`): the NORMAL / SOFT / HARD levels'
//! entry and exit thresholds and their measures. Without a `breaker` block (or for any key
//! it leaves out) the levels come from the older settings, so they behave as the two
//! triggers did: SOFT is `sigma > volatility.sigmaCrit`, HARD is
//! `|P - 1| > peg.circuitBreakDeviation`, each without a band.

use super::types::{PegPolicy, SpreadPolicy, VolatilityPolicy};
use crate::config::check::Checker;
use crate::config::raw::{RawBreakerPolicy, RawBreakerState};
use crate::error::InputError;

/// Entry and exit thresholds of one breaker level; `f64::INFINITY` is "never".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakerThresholds {
    /// Enter when annualised sigma is above this.
    pub enter_sigma: f64,
    /// Stay while sigma is above this (`<= enter_sigma`).
    pub exit_sigma: f64,
    /// Enter when `|P - 1|` is above this.
    pub enter_peg: f64,
    /// Stay while `|P - 1|` is above this (`<= enter_peg`).
    pub exit_peg: f64,
}

/// One level: when it holds and what it does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakerState {
    pub thresholds: BreakerThresholds,
    /// Spread floor while at this level, bps.
    pub spread_bps: f64,
    /// Multiplier on the candidate's spread while at this level (the spread is the larger
    /// of `candidate x multiplier` and the floor, capped at the ceiling).
    pub spread_multiplier: f64,
    /// Multiplier on the target `alpha` while at this level.
    pub alpha_factor: f64,
    /// Multiplier on the target `L - 1` while at this level.
    pub leverage_factor: f64,
}

/// The breaker: SOFT and HARD (NORMAL has no measures).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakerPolicy {
    pub soft: BreakerState,
    pub hard: BreakerState,
}

impl BreakerPolicy {
    pub fn new(soft: BreakerState, hard: BreakerState) -> Self {
        Self { soft, hard }
    }
}

/// Checks the `breaker` block against the defaults the older settings give.
pub(super) fn check(
    c: &Checker,
    raw: Option<&RawBreakerPolicy>,
    spread: &SpreadPolicy,
    volatility: &VolatilityPolicy,
    peg: &PegPolicy,
) -> Result<BreakerPolicy, InputError> {
    let never = f64::INFINITY;
    let soft_default = BreakerState {
        thresholds: BreakerThresholds {
            enter_sigma: volatility.sigma_crit,
            exit_sigma: volatility.sigma_crit,
            enter_peg: never,
            exit_peg: never,
        },
        spread_bps: spread.throttle_spread_bps,
        spread_multiplier: 1.0,
        alpha_factor: volatility.throttle_alpha_factor,
        leverage_factor: volatility.throttle_leverage_factor,
    };
    let hard_default = BreakerState {
        thresholds: BreakerThresholds {
            enter_sigma: never,
            exit_sigma: never,
            enter_peg: peg.circuit_break_deviation,
            exit_peg: peg.circuit_break_deviation,
        },
        spread_bps: spread.circuit_breaker_spread_bps,
        ..soft_default
    };
    let (soft, hard) = match raw {
        Some(r) => (
            level(c, "breaker.soft", &r.soft, soft_default, spread.ceiling_bps)?,
            level(c, "breaker.hard", &r.hard, hard_default, spread.ceiling_bps)?,
        ),
        None => (soft_default, hard_default),
    };
    Ok(BreakerPolicy { soft, hard })
}

fn level(
    c: &Checker,
    at: &str,
    raw: &RawBreakerState,
    default: BreakerState,
    ceiling: f64,
) -> Result<BreakerState, InputError> {
    let path = |k: &str| format!("{at}.{k}");
    let threshold = |k: &str, v: Option<f64>, d: f64, hi: f64| match v {
        Some(v) => c.range(&path(k), v, 0.0, hi),
        None => Ok(d),
    };
    let t = &default.thresholds;
    let enter_sigma = threshold("enterSigma", raw.enter_sigma, t.enter_sigma, 100.0)?;
    // An exit left out follows its entry (no band), unless the entry is left out too.
    let exit_sigma = threshold(
        "exitSigma",
        raw.exit_sigma,
        raw.enter_sigma.unwrap_or(t.exit_sigma),
        100.0,
    )?;
    let enter_peg = threshold(
        "enterPegDeviation",
        raw.enter_peg_deviation,
        t.enter_peg,
        1.0,
    )?;
    let exit_peg = threshold(
        "exitPegDeviation",
        raw.exit_peg_deviation,
        raw.enter_peg_deviation.unwrap_or(t.exit_peg),
        1.0,
    )?;
    if exit_sigma > enter_sigma {
        return Err(c.error(
            &path("exitSigma"),
            format!(
                "the exit threshold must be at or below the entry threshold {enter_sigma} (hysteresis), got {exit_sigma}"
            ),
        ));
    }
    if exit_peg > enter_peg {
        return Err(c.error(
            &path("exitPegDeviation"),
            format!(
                "the exit threshold must be at or below the entry threshold {enter_peg} (hysteresis), got {exit_peg}"
            ),
        ));
    }
    let value = |k: &str, v: Option<f64>, d: f64, lo: f64, hi: f64| match v {
        Some(v) => c.range(&path(k), v, lo, hi),
        None => Ok(d),
    };
    Ok(BreakerState {
        thresholds: BreakerThresholds {
            enter_sigma,
            exit_sigma,
            enter_peg,
            exit_peg,
        },
        spread_bps: value(
            "spreadBps",
            raw.spread_bps,
            default.spread_bps,
            0.0,
            ceiling,
        )?,
        spread_multiplier: value(
            "spreadMultiplier",
            raw.spread_multiplier,
            default.spread_multiplier,
            0.0,
            100.0,
        )?,
        alpha_factor: value(
            "alphaFactor",
            raw.alpha_factor,
            default.alpha_factor,
            0.0,
            1.0,
        )?,
        leverage_factor: value(
            "leverageFactor",
            raw.leverage_factor,
            default.leverage_factor,
            0.0,
            1.0,
        )?,
    })
}
