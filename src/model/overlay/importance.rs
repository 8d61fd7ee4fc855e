//! Importance sampling of the overlay's tail drivers (`--rare-events`): the external
//! asset's return shocks and the redemption intensity, drawn from an exponentially tilted
//! proposal inside a defensive mixture (docs/statistics.md, "Rare events").
//!
//! A path is drawn tilted with probability `beta` (the engine decides, from the path's own
//! stream), nominal otherwise. Either way the overlay adds up `log p/q` of the draws it used,
//! `p` the nominal density and `q` the tilted one, so the path's likelihood-ratio weight
//! against the mixture is `w = p / ((1 - beta) p + beta q) = 1 / ((1 - beta) + beta e^{-log p/q})`,
//! at most `1 / (1 - beta)`.
//!
//! - Asset shocks: `z_asset ~ N(-theta_t, 1)` in place of `N(0, 1)`. On a scheduled crash
//!   epoch `theta_t` is the plan's crash shift (the asset's own shock on the crash day is
//!   what makes the crash larger or smaller than scheduled); on other epochs it is
//!   `k sigma_t` (a downward shift of the log-return's drift by `k sigma_t^2 sqrt(dt)`, an
//!   Esscher tilt), `sigma_t` the epoch's volatility, known before the draw.
//!   `log p/q = theta z + theta^2 / 2` at the draw `z` used.
//! - Redemptions: the Poisson count of heavy days at mean `c m` in place of `m`;
//!   `log p/q = (c - 1) m - N ln c`. An epoch whose tilted mean would exceed
//!   [`MAX_TILTED_MEAN`] (a run on the stable, the peg far below par) is drawn nominal, so
//!   the count's cap never enters the ratio.
//!
//! The barrier-crossing uniform needs no weight: a Brownian bridge between two fixed end
//! points does not depend on the drift.

/// The tilt of one path, fixed before its first epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PathTilt {
    /// Whether this path draws from the tilted proposal (else from the nominal model).
    pub tilted: bool,
    /// `k`: the asset shock's mean shift per unit of annualised volatility off the crash
    /// epochs, `theta_t = k sigma_t`.
    pub asset_shift_per_sigma: f64,
    /// The asset shock's mean shift on a scheduled crash epoch, standard deviations.
    pub crash_shift: f64,
    /// `c`: the redemption intensity's multiplier under the proposal, `>= 1`.
    pub redemption_factor: f64,
}

impl PathTilt {
    /// The asset shock this path uses for the nominal draw `z` at volatility `sigma` on a
    /// crash epoch (`crash`) or not, and its `log p/q` added to `log_lr`.
    #[inline]
    pub fn asset_shock(&self, z: f64, sigma: f64, crash: bool, log_lr: &mut f64) -> f64 {
        let theta = if crash {
            self.crash_shift
        } else {
            self.asset_shift_per_sigma * sigma
        };
        let z = if self.tilted { z - theta } else { z };
        *log_lr += theta * z + 0.5 * theta * theta;
        z
    }

    /// Whether the proposal tilts an epoch whose nominal Poisson mean is `m`: only while the
    /// tilted mean `c m` stays at most [`MAX_TILTED_MEAN`], where the count's cap
    /// ([`crate::model::redemptions::MAX_EVENTS_PER_EPOCH`]) has no weight and the pmf ratio is exact. The rule depends
    /// only on the state before the draw, so the proposal stays a proper density.
    #[inline]
    fn tilts_redemptions(&self, m: f64) -> bool {
        let c = self.redemption_factor;
        c != 1.0 && m > 0.0 && c * m <= MAX_TILTED_MEAN
    }

    /// The Poisson mean this path draws heavy redemption days at, for the nominal mean `m`:
    /// `c m` when the path is tilted and the epoch is, else `m`.
    #[inline]
    pub fn redemption_draw_mean(&self, m: f64) -> f64 {
        if self.tilted && self.tilts_redemptions(m) {
            m * self.redemption_factor
        } else {
            m
        }
    }

    /// `log p/q` of `events` heavy days at the nominal mean `m` (0 for an epoch the proposal
    /// does not tilt).
    #[inline]
    pub fn redemption_log_lr(&self, m: f64, events: u32) -> f64 {
        if !self.tilts_redemptions(m) {
            return 0.0;
        }
        let c = self.redemption_factor;
        (c - 1.0) * m - f64::from(events) * c.ln()
    }
}

/// The largest tilted Poisson mean per epoch: `P(N > MAX_EVENTS_PER_EPOCH)` is below 1e-13
/// up to it (`model::redemptions`), so capping the count changes no likelihood ratio.
pub const MAX_TILTED_MEAN: f64 = 22.0;

/// The mixture weight of a path whose draws had `log p/q` of `log_lr`, with a share `beta`
/// of paths tilted: `1 / ((1 - beta) + beta e^{-log_lr})`, in `(0, 1 / (1 - beta)]`.
pub fn mixture_weight(beta: f64, log_lr: f64) -> f64 {
    1.0 / ((1.0 - beta) + beta * (-log_lr).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_shift_and_its_log_ratio() {
        let tilt = PathTilt {
            tilted: true,
            asset_shift_per_sigma: 2.0,
            crash_shift: 3.0,
            redemption_factor: 1.0,
        };
        let mut lr = 0.0;
        // theta = 2 * 0.5 = 1: z = 0.3 - 1 = -0.7; log p/q = 1 * -0.7 + 0.5 = -0.2, which is
        // log phi(-0.7) - log phi(-0.7 + 1) = (-0.49 + 0.09) / 2 = -0.2.
        let z = tilt.asset_shock(0.3, 0.5, false, &mut lr);
        assert!((z + 0.7).abs() < 1e-15 && (lr + 0.2).abs() < 1e-15);
        let nominal = PathTilt {
            tilted: false,
            ..tilt
        };
        let mut lr = 0.0;
        assert_eq!(nominal.asset_shock(0.3, 0.5, false, &mut lr), 0.3);
        assert!((lr - 0.8).abs() < 1e-15);
        // A crash epoch: theta = 3 whatever sigma; log p/q = 3 * (0.3 - 3) + 4.5 = -3.6.
        let mut lr = 0.0;
        assert!((tilt.asset_shock(0.3, 0.5, true, &mut lr) + 2.7).abs() < 1e-15);
        assert!((lr + 3.6).abs() < 1e-12);
    }

    #[test]
    fn poisson_log_ratio_is_the_pmf_ratio() {
        let tilt = PathTilt {
            tilted: true,
            asset_shift_per_sigma: 0.0,
            crash_shift: 0.0,
            redemption_factor: 2.5,
        };
        let m: f64 = 0.3;
        let pmf = |mean: f64, k: u32| {
            (-mean).exp() * mean.powi(k as i32) / (1..=k).map(f64::from).product::<f64>()
        };
        for k in 0..5 {
            let want = (pmf(m, k) / pmf(2.5 * m, k)).ln();
            assert!((tilt.redemption_log_lr(m, k) - want).abs() < 1e-12);
        }
        assert_eq!(tilt.redemption_draw_mean(m), 0.75);
        // Past the cap's reach the epoch is not tilted, and has no weight.
        assert_eq!(tilt.redemption_draw_mean(10.0), 10.0);
        assert_eq!(tilt.redemption_log_lr(10.0, 64), 0.0);
    }

    #[test]
    fn weights_are_bounded_and_one_without_tilt() {
        assert_eq!(mixture_weight(0.5, 0.0), 1.0);
        assert!((mixture_weight(0.5, 700.0) - 2.0).abs() < 1e-12);
        assert!(mixture_weight(0.5, -700.0) < 1e-300);
        assert!(mixture_weight(0.5, -1e6) == 0.0);
    }
}
