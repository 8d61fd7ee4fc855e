//! Checks of the scenario's small setting blocks: `router`, `arbitrage`, `bot`,
//! `monteCarlo` and `gateProfile`.

use super::types::{ArbSpec, BotSpec, MonteCarlo, RouterSpec};
use super::{MAX_EPOCHS, MAX_PATHS};
use crate::config::check::Checker;
use crate::config::raw::{RawArbitrage, RawBot, RawMonteCarlo, RawRouter};
use crate::error::InputError;

/// `router`: candidate paths, chunks, hops and the stall threshold.
pub(super) fn check_router(r: &RawRouter, c: &Checker) -> Result<RouterSpec, InputError> {
    Ok(RouterSpec {
        max_paths: c.count("router.maxPaths", r.max_paths.into(), 1, 16)? as usize,
        chunks: c.count("router.chunks", r.chunks.into(), 1, 256)? as usize,
        max_hops: c.count("router.maxHops", r.max_hops.into(), 1, 8)? as usize,
        max_cost: c.range("router.maxCostBps", r.max_cost_bps, 0.0, 10_000.0)? / 1e4,
    })
}

/// `arbitrage`: the deviation threshold and the largest trade per pool.
pub(super) fn check_arbitrage(a: &RawArbitrage, c: &Checker) -> Result<ArbSpec, InputError> {
    Ok(ArbSpec {
        threshold: c.range("arbitrage.thresholdBps", a.threshold_bps, 0.0, 10_000.0)? / 1e4,
        max_fraction: c.range(
            "arbitrage.maxFractionOfTarget",
            a.max_fraction_of_target,
            0.0,
            1.0,
        )?,
    })
}

/// `bot`: the inventory bot's water marks and largest move.
pub(super) fn check_bot(b: &RawBot, c: &Checker) -> Result<BotSpec, InputError> {
    Ok(BotSpec {
        low_water: c.range("bot.lowWater", b.low_water, 0.0, 1.0)?,
        high_water: c.range("bot.highWater", b.high_water, 1.0, 10.0)?,
        max_fraction: c.range(
            "bot.maxFractionOfTargetPerEpoch",
            b.max_fraction_of_target_per_epoch,
            0.0,
            1.0,
        )?,
    })
}

/// `monteCarlo`: paths, epochs, epoch length and seed.
pub(super) fn check_monte_carlo(m: &RawMonteCarlo, c: &Checker) -> Result<MonteCarlo, InputError> {
    Ok(MonteCarlo {
        paths: c.count("monteCarlo.paths", m.paths, 1, MAX_PATHS)?,
        epochs: c.count("monteCarlo.epochs", m.epochs.into(), 1, MAX_EPOCHS)? as u32,
        epoch_days: c.range("monteCarlo.epochDays", m.epoch_days, 1.0 / 24.0, 365.0)?,
        seed: m.seed,
    })
}

/// `gateProfile`: whether the routing gates use the stress churn limit.
pub(super) fn check_stress_profile(profile: &str, c: &Checker) -> Result<bool, InputError> {
    Ok(c.choice("gateProfile", profile, &["normal", "stress"])? == "stress")
}
