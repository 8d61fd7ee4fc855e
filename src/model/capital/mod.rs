//! The treasury's capital buckets and every operation that moves money between them.
//!
//! State: the yield sleeve (collateral `C`, debt `D`, equity `Y = C - D`, leverage `L = C / Y`,
//! `LTV = D / C = (L - 1) / L`), PMM inventory `M` and the external liquidity reserve `R`;
//! `T = Y + M + R`. Every operation changes `T` by exactly the cost (or PnL) it reports, so the
//! engine can attribute each change of `T`, and none takes `C`, `D`, `M` or `R` below zero.
//!
//! Cost conventions: unwinding the sleeve (deleveraging, withdrawing equity) pays a rate on the
//! collateral sold; moving money out of `M` or `R` pays a rate on the amount withdrawn; borrowing
//! and buying collateral (levering up, investing in the sleeve) is free.
//!
//! This module must not draw random numbers, pay redemptions, or decide policy: which LTV is the
//! operating ceiling, whether a liquidated path stays unlevered, and when to throttle are the
//! engine's decisions.
//!
//! Layout: `buckets.rs` holds the state and the transfers between buckets; `sleeve.rs` the
//! sleeve's validated parameters and its growth; `leverage.rs` liquidation and the moves of the
//! sleeve's leverage; `rebalance.rs` the move toward target weights; `floor.rs` the external
//! liquidity floor clamp. Every type is re-exported here, so callers name
//! `crate::model::capital::Name` and never the file it lives in.

pub mod barrier;
mod buckets;
mod floor;
mod leverage;
mod rebalance;
mod sleeve;

pub use crate::config::params::{SleeveInputs, SleeveParams, rebalance_rate};
pub use buckets::{AllocationTargets, Buckets, Liquid, Transfer};
pub use floor::FloorClamp;
pub use leverage::{LeverageChange, Liquidation};
pub use rebalance::RebalanceOutcome;
pub use sleeve::SleeveGrowth;

/// Rounding allowance, as a share of `T`: `R` counts as below the floor only if
/// `R < floor * T - FLOOR_TOLERANCE * |T|`, so a transfer that lands exactly on the floor is not
/// reported as a violation because of the last bit.
pub const FLOOR_TOLERANCE: f64 = 1e-12;

/// `x` clamped into [0, 1]; NaN counts as 0.
#[inline]
fn unit(x: f64) -> f64 {
    if x > 0.0 { x.min(1.0) } else { 0.0 }
}

/// A leverage `>= 1`; below 1, NaN or infinite counts as 1 (unlevered).
#[inline]
fn leverage_or_one(x: f64) -> f64 {
    if x > 1.0 && x.is_finite() { x } else { 1.0 }
}

/// Helpers and tolerances shared by the tests of every file of this module.
#[cfg(test)]
mod test_support {
    use super::*;
    use rand::RngExt;
    use rand_chacha::ChaCha8Rng;

    /// Relative tolerance of the accounting identities (rounding only).
    pub(super) const EXACT: f64 = 1e-12;
    /// Relative tolerance of conservation over long random sequences.
    pub(super) const CONSERVE: f64 = 1e-9;
    pub(super) const DT: f64 = 1.0 / 365.0;

    pub(super) fn inputs() -> SleeveInputs {
        crate::config::params::example_sleeve_inputs()
    }

    pub(super) fn params() -> SleeveParams {
        SleeveParams::new(inputs()).unwrap()
    }

    pub(super) fn params_with(edit: impl FnOnce(&mut SleeveInputs)) -> SleeveParams {
        let mut i = inputs();
        edit(&mut i);
        SleeveParams::new(i).unwrap()
    }

    pub(super) fn targets(alpha: f64, pmm_share: f64, leverage: f64) -> AllocationTargets {
        AllocationTargets {
            alpha,
            pmm_share,
            leverage,
        }
    }

    pub(super) fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
    }

    pub(super) fn assert_non_negative(b: &Buckets) {
        assert!(
            b.collateral >= 0.0 && b.debt >= 0.0 && b.pmm >= 0.0 && b.reserve >= 0.0,
            "{b:?}"
        );
    }

    pub(super) fn random_buckets(rng: &mut ChaCha8Rng) -> Buckets {
        let t = 1e6 * (0.1 + rng.random::<f64>());
        let tgt = targets(rng.random(), rng.random(), 1.0 + 3.0 * rng.random::<f64>());
        let mut b = Buckets::allocate(t, &tgt);
        b.reserve *= 2.0 * rng.random::<f64>();
        b
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use rand_distr::StandardNormal;

    #[test]
    fn random_operation_sequences_conserve_capital() {
        let p = params();
        let liquid = [Liquid::Pmm, Liquid::Reserve];
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        for _ in 0..50 {
            let mut b = random_buckets(&mut rng);
            for _ in 0..400 {
                let before = b;
                let t0 = b.total();
                // Rounding scales with the gross positions, not with the (possibly small) total.
                let scale = b.collateral + b.debt + b.pmm + b.reserve;
                let amount = 0.5 * scale * rng.random::<f64>();
                let rate = 0.01 * rng.random::<f64>();
                let from = liquid[rng.random_range(0..2)];
                let to = liquid[rng.random_range(0..2)];
                let tgt = targets(rng.random(), rng.random(), 1.0 + 3.0 * rng.random::<f64>());
                let op = rng.random_range(0..9);
                let change = match op {
                    0 => {
                        let r = 0.05 * rng.sample::<f64, _>(StandardNormal);
                        p.grow(&mut b, r, 0.0, DT).net()
                    }
                    1 => {
                        let v = b.collateral;
                        -p.liquidate(&mut b, v).loss
                    }
                    2 => -p.deleverage_to(&mut b, 0.7 * rng.random::<f64>()).cost,
                    3 => -p.lever_to(&mut b, tgt.leverage).cost,
                    4 => -b.move_reserve_from_sleeve(amount, rate).cost,
                    5 => -b.move_between(from, to, amount, rate).cost,
                    6 => -b.add_to_sleeve(from, amount, tgt.leverage, rate).cost,
                    7 => -p.rebalance(&mut b, &tgt, rng.random(), 0.2, rate).cost,
                    _ => -p.clamp_to_floor(&mut b, 0.2, 0.1, rate).cost,
                };
                assert!(
                    (b.total() - (t0 + change)).abs() <= CONSERVE * scale,
                    "op {op}: {before:?} -> {b:?}, change {change}"
                );
                assert_non_negative(&b);
                if b.total().is_nan() || b.total() <= 1e-3 * scale {
                    b = random_buckets(&mut rng);
                }
            }
        }
    }
}
