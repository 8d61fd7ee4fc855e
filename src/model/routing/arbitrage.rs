//! The arbitrage step: arbitrageurs trade each pool whose deviation exceeds their
//! threshold back to it, limited by the pool's hub link (down, dearer or slower).

use crate::model::pmm::PmmPool;

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
/// deviation to `target`, capped at `cap`, in closed form.
///
/// The pool is out of band on its short side and the trade moves it back towards
/// equilibrium without reaching it (`target` has the deviation's sign), so the short
/// side's target `V0` stays fixed along the trade and the marginal price is DODO's
/// `i (1 - k + k (B0/B)^2)` (base short) or `i / (1 - k + k (Q0/Q)^2)` (quote short).
/// Setting it to `i (1 + target)` gives the balance the trade must reach:
/// `B = B0 sqrt(k / (k + target))` when base is short, and
/// `Q = Q0 sqrt(k / (k + 1/(1 + target) - 1))` when quote is short. The amount is that
/// balance less the current one.
pub(super) fn amount_to_deviation(pool: &PmmPool, sell_base: bool, target: f64, cap: f64) -> f64 {
    let (b0, q0) = pool.adjusted_targets();
    let k = pool.k;
    let amount = if sell_base {
        b0 * (k / (k + target)).sqrt() - pool.base
    } else {
        q0 * (k / (k + 1.0 / (1.0 + target) - 1.0)).sqrt() - pool.quote
    };
    if amount.is_nan() {
        return 0.0;
    }
    amount.clamp(0.0, cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pools pushed out of band both ways, over curvatures from nearly flat to constant
    /// product and pushes from a few bps to most of a side.
    fn out_of_band_pools() -> Vec<(PmmPool, bool)> {
        let mut pools = Vec::new();
        for k in [0.01, 0.1, 0.25, 0.5, 0.9, 1.0] {
            for push in [0.002, 0.01, 0.05, 0.2, 0.6] {
                for i in [0.98, 1.0, 1.7] {
                    let depth = 1e6;
                    let fresh = PmmPool::new(depth, depth * i, i, k).expect("valid pool");
                    // Quote sold in leaves base short (price above i): arbitrage sells base.
                    let mut base_short = fresh;
                    base_short.sell_quote(push * depth * i);
                    pools.push((base_short, true));
                    let mut quote_short = fresh;
                    quote_short.sell_base(push * depth);
                    pools.push((quote_short, false));
                }
            }
        }
        pools
    }

    #[test]
    fn the_closed_form_amount_lands_the_deviation_on_the_target() {
        for (pool, sell_base) in out_of_band_pools() {
            let dev = pool.deviation();
            assert_eq!(dev > 0.0, sell_base, "{pool:?}");
            // Halfway back to the peg, in the deviation's direction.
            let target = 0.5 * dev;
            let amount = amount_to_deviation(&pool, sell_base, target, f64::INFINITY);
            assert!(amount > 0.0);
            let mut after = pool;
            if sell_base {
                after.sell_base(amount);
            } else {
                after.sell_quote(amount);
            }
            let landed = after.deviation();
            assert!(
                (landed - target).abs() <= 1e-9 * target.abs(),
                "{pool:?}: deviation {dev} -> {landed}, target {target}"
            );
        }
    }

    #[test]
    fn the_amount_is_capped_and_never_negative() {
        for (pool, sell_base) in out_of_band_pools() {
            let dev = pool.deviation();
            let free = amount_to_deviation(&pool, sell_base, 0.5 * dev, f64::INFINITY);
            assert_eq!(
                amount_to_deviation(&pool, sell_base, 0.5 * dev, 0.5 * free),
                0.5 * free
            );
            // A target the pool is already inside needs no trade.
            assert_eq!(
                amount_to_deviation(&pool, sell_base, 2.0 * dev, f64::INFINITY),
                0.0
            );
        }
    }
}
