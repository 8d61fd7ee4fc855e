//! The plan of an importance-sampled run (`--rare-events`): the share of paths drawn from
//! the tilted proposal, how far the proposal shifts the external asset's shocks and the
//! redemption intensity, and the likelihood-ratio weight of a path. The tilt itself is in
//! `model::overlay` (`PathTilt`); which paths are tilted is the first draw of each path's
//! own stream (`epoch.rs`), so a run stays the same for any thread count or sharding.
//!
//! Crash shocks are scheduled (a fixed size at a fixed epoch) and the model has no jumps,
//! so there is nothing random in them to tilt. What is random on a crash epoch is the
//! asset's own shock on top of the scheduled drop, and that is where a crash scenario's
//! tail losses are decided: a scenario with crash epochs puts the whole asset shift on
//! them. A scenario without one spreads it over the horizon in proportion to the epoch's
//! volatility.

use serde::{Deserialize, Serialize};

use super::setup::Setup;
use crate::model::overlay::{PathTilt, mixture_weight};

/// The parameters of the defensive mixture (docs/statistics.md, "Rare events").
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RareEvents {
    /// `beta`: the share of paths drawn tilted; a path's weight is at most `1 / (1 - beta)`.
    pub tilted_share: f64,
    /// `s_a`: the downward shift of the asset's shocks, in standard deviations of their
    /// sum: on the scheduled crash epochs `s_a / sqrt(crash epochs)` each, or without a
    /// crash `s_a / sqrt(epochs)` per epoch at the long-run volatility `sigma_bar`, scaled
    /// by `sigma_t / sigma_bar`.
    pub asset_shift_sd: f64,
    /// `s_r`: the rise of the horizon's heavy-redemption count, in standard deviations of
    /// its nominal count `M` (the intensity times `1 + s_r / sqrt(max(M, 1))`).
    pub redemption_shift_sd: f64,
}

impl RareEvents {
    /// The plan `--rare-events` runs: half the paths tilted, the asset's shocks shifted down
    /// by 2.5 horizon standard deviations, the redemption count up by one.
    pub const DEFAULT: RareEvents = RareEvents {
        tilted_share: 0.5,
        asset_shift_sd: 2.5,
        redemption_shift_sd: 1.0,
    };

    /// The largest weight a path can carry, `1 / (1 - beta)`.
    pub fn weight_bound(&self) -> f64 {
        1.0 / (1.0 - self.tilted_share)
    }

    /// The weight of a path whose draws had `log p/q` of `log_lr`.
    pub fn weight(&self, log_lr: f64) -> f64 {
        mixture_weight(self.tilted_share, log_lr)
    }
}

/// [`RareEvents`] resolved for one setup: the per-epoch shifts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RarePlan {
    pub params: RareEvents,
    /// `k` of `theta_t = k sigma_t` off the crash epochs: `s_a / (sigma_bar sqrt(epochs))`
    /// without a crash, 0 with one.
    pub asset_shift_per_sigma: f64,
    /// The shift on each crash epoch: `s_a / sqrt(crash epochs)` (0 without a crash).
    pub crash_shift: f64,
    /// `c`: the redemption intensity's multiplier under the proposal.
    pub redemption_factor: f64,
    /// `M`: the nominal heavy-redemption count over the horizon the factor was sized on.
    pub nominal_redemption_events: f64,
}

impl RarePlan {
    /// Resolves `params` for `setup`; `None` when the scenario has no capital block (no
    /// overlay draws to tilt).
    pub fn new(setup: &Setup, params: RareEvents) -> Option<Self> {
        let spec = setup.scenario.capital.as_ref()?;
        let mc = setup.scenario.monte_carlo;
        let epochs = f64::from(mc.epochs.max(1));
        let sigma_bar = spec.volatility.long_run_sigma(mc.dt());
        let crashes = setup
            .schedule
            .epochs
            .iter()
            .filter(|e| e.crash_return != 0.0)
            .count();
        let (asset_shift_per_sigma, crash_shift) = if crashes > 0 {
            (0.0, params.asset_shift_sd / (crashes as f64).sqrt())
        } else if sigma_bar > 0.0 {
            (params.asset_shift_sd / (sigma_bar * epochs.sqrt()), 0.0)
        } else {
            (0.0, 0.0)
        };
        // The stationary mean intensity at each epoch's scheduled multiplier (the peg's
        // amplification left out), summed over the horizon.
        let r = &spec.redemptions;
        let stationary = 1.0 / (1.0 - r.excitation() / r.decay());
        let m: f64 = setup
            .schedule
            .epochs
            .iter()
            .map(|e| r.mu() * e.redemption_multiplier.max(0.0) * stationary * mc.dt())
            .sum();
        Some(Self {
            params,
            asset_shift_per_sigma,
            crash_shift,
            redemption_factor: 1.0 + params.redemption_shift_sd / m.max(1.0).sqrt(),
            nominal_redemption_events: m,
        })
    }

    /// The tilt of a path drawn tilted (`tilted`) or nominal.
    pub fn path_tilt(&self, tilted: bool) -> PathTilt {
        PathTilt {
            tilted,
            asset_shift_per_sigma: self.asset_shift_per_sigma,
            crash_shift: self.crash_shift,
            redemption_factor: self.redemption_factor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weight_bound_is_the_mixture_bound() {
        let p = RareEvents::DEFAULT;
        assert_eq!(p.weight_bound(), 2.0);
        assert!((p.weight(1e3) - p.weight_bound()).abs() < 1e-12);
        assert_eq!(p.weight(0.0), 1.0);
    }
}
