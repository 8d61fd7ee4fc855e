//! The arbitrage step: arbitrageurs trade each pool whose deviation exceeds their
//! threshold back to it, limited by the pool's hub link (down, dearer or slower).

use crate::model::pmm::{PmmPool, PricedPool};

use super::flows::EpochFlows;
use super::layer::RoutingLayer;
use super::state::{Conditions, RoutingState};

impl RoutingLayer<'_> {
    /// Arbitrageurs trade each pool whose |deviation| exceeds the threshold back to the
    /// threshold (where their edge is gone), up to `maxFractionOfTarget` of `I*` per pool.
    pub(super) fn arbitrage(
        &self,
        state: &mut RoutingState,
        cond: &Conditions,
        flows: &mut EpochFlows,
    ) {
        for (i, pool) in state.pools.iter_mut().enumerate() {
            // Arbitrageurs move cW between the pool's chain and the hub: a downed hub link
            // stops them, a degraded one raises their threshold by the extra fee and slows
            // them by the latency multiplier.
            let (down, cost_mult, latency_mult, fee) =
                self.hub_link_state(self.graph.pool_chain[i], cond);
            if down {
                continue;
            }
            let threshold = self.params.arbitrage.threshold + (cost_mult - 1.0) * fee;
            let dev = pool.deviation();
            if dev.abs() <= threshold {
                continue;
            }
            let cap = self.params.arbitrage.max_fraction * self.graph.pools[i].depth / latency_mult;
            let sell_base = dev > 0.0;
            let target = if sell_base { threshold } else { -threshold };
            let amount = amount_to_deviation(pool, sell_base, target, cap);
            if amount <= 0.0 {
                continue;
            }
            let before = pool.quote;
            let out = if sell_base {
                pool.sell_base(amount)
            } else {
                pool.sell_quote(amount)
            };
            let fee = out * cond.pool_fee[i];
            flows.pool_fees[i] += fee;
            flows.pool_abs_change[i] += (pool.quote - before).abs();
            flows.arb_volume += amount;
            flows.arb_profit += out - fee - amount;
        }
    }
}

/// The trade size (base sold when `sell_base`, else quote sold) that moves the pool's
/// deviation to `target`, found by bisection and capped at `cap`.
fn amount_to_deviation(pool: &PmmPool, sell_base: bool, target: f64, cap: f64) -> f64 {
    // The pool's targets are solved once, not once per probe (same bits either way).
    let priced = PricedPool::new(pool);
    let after = |a: f64| {
        let (p, _) = if sell_base {
            priced.sell_base(a)
        } else {
            priced.sell_quote(a)
        };
        p.deviation()
    };
    let past = |d: f64| if sell_base { d <= target } else { d >= target };
    if !past(after(cap)) {
        return cap;
    }
    // 48 halvings of [0, cap], two at a time: the probe at the midpoint and at both
    // midpoints the next halving could pick are independent, so they run side by side
    // (this is latency-bound); the chosen points are exactly the one-at-a-time ones.
    let (mut lo, mut hi) = (0.0, cap);
    for _ in 0..24 {
        let mid = 0.5 * (lo + hi);
        let (mid_lo, mid_hi) = (0.5 * (lo + mid), 0.5 * (mid + hi));
        let (at_mid, at_lo, at_hi) = (past(after(mid)), past(after(mid_lo)), past(after(mid_hi)));
        if at_mid {
            hi = mid;
            if at_lo {
                hi = mid_lo;
            } else {
                lo = mid_lo;
            }
        } else {
            lo = mid;
            if at_hi {
                hi = mid_hi;
            } else {
                lo = mid_hi;
            }
        }
    }
    lo
}
