//! The spread policy's breaker: a NORMAL / SOFT / HARD state machine on the volatility
//! `sigma` and the peg deviation `|P - 1|`, with separate entry and exit thresholds
//! (hysteresis), stepped once per epoch before routing.
//!
//! A level is entered when either driver is above that level's entry threshold, and held
//! while either driver is above its exit threshold (exit `<=` entry, checked by the policy).
//! So a driver that sits between a level's exit and entry thresholds keeps the state it
//! has: no flapping inside the band. HARD falls back to SOFT while SOFT's hold condition
//! holds, else to NORMAL. The state's measures (spread floor and multiplier, target
//! factors) are in [`BreakerPolicy`]; this module only decides the level.

pub use crate::config::policy::{BreakerPolicy, BreakerThresholds};

/// The breaker's level, ordered NORMAL < SOFT < HARD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum BreakerLevel {
    #[default]
    Normal,
    Soft,
    Hard,
}

impl BreakerThresholds {
    /// Either driver above its entry threshold.
    fn enters(&self, sigma: f64, deviation: f64) -> bool {
        sigma > self.enter_sigma || deviation > self.enter_peg
    }

    /// Either driver above its exit threshold (the level is kept).
    fn holds(&self, sigma: f64, deviation: f64) -> bool {
        sigma > self.exit_sigma || deviation > self.exit_peg
    }
}

impl BreakerPolicy {
    /// The level after `prev` for this epoch's `sigma` and peg deviation `|P - 1|`.
    pub fn next(&self, prev: BreakerLevel, sigma: f64, deviation: f64) -> BreakerLevel {
        if self.hard.thresholds.enters(sigma, deviation)
            || (prev == BreakerLevel::Hard && self.hard.thresholds.holds(sigma, deviation))
        {
            BreakerLevel::Hard
        } else if self.soft.thresholds.enters(sigma, deviation)
            || (prev >= BreakerLevel::Soft && self.soft.thresholds.holds(sigma, deviation))
        {
            BreakerLevel::Soft
        } else {
            BreakerLevel::Normal
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::policy::BreakerState;
    use BreakerLevel::{Hard, Normal, Soft};

    const NEVER: f64 = f64::INFINITY;

    fn state(enter_sigma: f64, exit_sigma: f64, enter_peg: f64, exit_peg: f64) -> BreakerState {
        BreakerState {
            thresholds: BreakerThresholds {
                enter_sigma,
                exit_sigma,
                enter_peg,
                exit_peg,
            },
            spread_bps: 0.0,
            spread_multiplier: 1.0,
            alpha_factor: 1.0,
            leverage_factor: 1.0,
        }
    }

    /// SOFT on sigma in (1.0 enter, 0.8 exit), HARD on the peg (2% enter, 1% exit) or sigma
    /// above 1.5 (exit 1.2).
    fn banded() -> BreakerPolicy {
        BreakerPolicy::new(state(1.0, 0.8, NEVER, NEVER), state(1.5, 1.2, 0.02, 0.01))
    }

    fn run(p: &BreakerPolicy, drivers: &[(f64, f64)]) -> Vec<BreakerLevel> {
        let mut level = Normal;
        drivers
            .iter()
            .map(|&(s, d)| {
                level = p.next(level, s, d);
                level
            })
            .collect()
    }

    #[test]
    fn enters_and_exits_at_the_thresholds() {
        let p = banded();
        // At the entry threshold is not above it; just above enters.
        assert_eq!(p.next(Normal, 1.0, 0.0), Normal);
        assert_eq!(p.next(Normal, 1.0 + 1e-12, 0.0), Soft);
        // Exit at the exit threshold (not above it), not before.
        assert_eq!(p.next(Soft, 0.8 + 1e-12, 0.0), Soft);
        assert_eq!(p.next(Soft, 0.8, 0.0), Normal);
        // HARD by the peg, from NORMAL directly.
        assert_eq!(p.next(Normal, 0.5, 0.02), Normal);
        assert_eq!(p.next(Normal, 0.5, 0.02 + 1e-12), Hard);
        assert_eq!(p.next(Hard, 0.5, 0.01 + 1e-12), Hard);
        // Leaving HARD lands on SOFT while SOFT still holds, else on NORMAL.
        assert_eq!(p.next(Hard, 0.9, 0.01), Soft);
        assert_eq!(p.next(Hard, 0.8, 0.01), Normal);
        // HARD by sigma, with its own band.
        assert_eq!(p.next(Soft, 1.5 + 1e-12, 0.0), Hard);
        assert_eq!(p.next(Hard, 1.3, 0.0), Hard);
        assert_eq!(p.next(Hard, 1.2, 0.0), Soft);
    }

    #[test]
    fn no_flapping_while_the_driver_sits_inside_the_band() {
        let p = banded();
        // Sigma wanders inside SOFT's band (0.8, 1.0] after entering: the state never
        // changes, whichever side of the band's middle it is on.
        let mut drivers = vec![(1.05, 0.0)];
        drivers.extend((0..200).map(|i| (0.81 + 0.19 * ((i * 37 % 100) as f64 / 100.0), 0.0)));
        let levels = run(&p, &drivers);
        assert!(levels.iter().all(|&l| l == Soft), "{levels:?}");
        // The same wandering from NORMAL never enters.
        let levels = run(&p, &drivers[1..]);
        assert!(levels.iter().all(|&l| l == Normal), "{levels:?}");
        // The peg inside HARD's band (0.01, 0.02] keeps HARD.
        let mut drivers = vec![(0.5, 0.03)];
        drivers.extend((0..200).map(|i| (0.5, 0.0101 + 0.0099 * ((i * 53 % 100) as f64 / 100.0))));
        let levels = run(&p, &drivers);
        assert!(levels.iter().all(|&l| l == Hard), "{levels:?}");
        // Transitions happen only on crossing the band's edges: an oscillation across the
        // entry threshold alone changes the state once.
        let drivers: Vec<(f64, f64)> = (0..100)
            .map(|i| (if i % 2 == 0 { 1.01 } else { 0.99 }, 0.0))
            .collect();
        let levels = run(&p, &drivers);
        let changes = levels.windows(2).filter(|w| w[0] != w[1]).count();
        assert_eq!(changes, 0);
        assert_eq!(levels[0], Soft);
    }

    #[test]
    fn without_a_band_the_state_follows_the_drivers() {
        // Exit = entry (the shipped defaults): the level is exactly "driver above threshold",
        // today's two independent triggers.
        let p = BreakerPolicy::new(
            state(0.9, 0.9, NEVER, NEVER),
            state(NEVER, NEVER, 0.02, 0.02),
        );
        for prev in [Normal, Soft, Hard] {
            assert_eq!(p.next(prev, 0.95, 0.0), Soft);
            assert_eq!(p.next(prev, 0.85, 0.0), Normal);
            assert_eq!(p.next(prev, 0.85, 0.03), Hard);
            assert_eq!(p.next(prev, 0.95, 0.03), Hard);
        }
    }
}
