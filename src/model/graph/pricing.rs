//! Stateless hop prices: a bridge or mint/burn link's output under the epoch's cost and
//! latency multipliers, and the constant-product output of a background AMM.

use crate::config::scenario::LinkCost;

/// Bridge output `y = x (1 - beta m_c) - gamma m_c - rho latency m_l x`, floored at 0,
/// with cost multiplier `m_c` and latency multiplier `m_l` from shocks.
#[inline]
pub fn link_output(cost: &LinkCost, x: f64, cost_mult: f64, latency_mult: f64) -> f64 {
    let y = x
        * (1.0 - cost.fee * cost_mult - cost.premium_per_hour * cost.latency_hours * latency_mult)
        - cost.fixed * cost_mult;
    y.max(0.0)
}

/// Constant-product output for `x` in, reserves `r_in`, `r_out`, fee on input.
#[inline]
pub fn amm_output(r_in: f64, r_out: f64, fee: f64, x: f64) -> f64 {
    let x_eff = x * (1.0 - fee);
    r_out * x_eff / (r_in + x_eff)
}
