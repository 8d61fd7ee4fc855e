//! The rebalancer's rate per epoch, derived from `capitalEfficiency.rebalanceDurationDays`
//! and the epoch length.

/// The rebalancer's rate `rho = min(1, sqrt(dt / rebalance_duration))` (seed 002's rule): the
/// share of the gap to target closed per epoch. `dt` and `rebalance_duration` in years; a
/// non-positive duration means immediate (1). NaN counts as 0.
#[inline]
pub fn rebalance_rate(dt: f64, rebalance_duration: f64) -> f64 {
    if rebalance_duration > 0.0 {
        let rate = (dt / rebalance_duration).sqrt();
        if rate > 0.0 { rate.min(1.0) } else { 0.0 }
    } else {
        1.0
    }
}
