//! The inventory bot: the operator tops up or drains each pool's quote inventory back
//! towards its target when it leaves the water marks, paying the hub link's cost.

use crate::model::graph::link_output;

use super::flows::EpochFlows;
use super::layer::RoutingLayer;
use super::state::{Conditions, RoutingState};

impl RoutingLayer<'_> {
    /// The operator keeps each pool's quote inventory inside `[lowWater, highWater] x I*`:
    /// below, it injects anchors and takes cW back to the hub; above, the reverse; each
    /// move heads back to `I*`, is capped per epoch (less on a slow link) and pays the
    /// hub link's cost. A pool whose hub link is down cannot be serviced.
    pub(super) fn bot(&self, state: &mut RoutingState, cond: &Conditions, flows: &mut EpochFlows) {
        let bot = self.params.bot;
        for (i, pool) in state.pools.iter_mut().enumerate() {
            let target = self.graph.pools[i].depth;
            let inventory = pool.quote;
            let inject = inventory < bot.low_water * target;
            let withdraw = inventory > bot.high_water * target;
            if !inject && !withdraw {
                continue;
            }
            let chain = self.graph.pool_chain[i];
            let (down, cost_mult, latency_mult, _) = self.hub_link_state(chain, cond);
            if down {
                continue;
            }
            let cap = bot.max_fraction * target / latency_mult;
            let amount = if inject {
                (target - inventory).min(cap).min(pool.base)
            } else {
                (inventory - target).min(cap)
            };
            if amount <= 0.0 {
                continue;
            }
            let cost_spec = self.hub_link_cost(chain);
            let cost = amount - link_output(&cost_spec, amount, cost_mult, latency_mult);
            if inject {
                pool.set_balances(pool.base - amount, pool.quote + amount);
                flows.inject_cost[chain] += cost;
            } else {
                pool.set_balances(pool.base + amount, pool.quote - amount);
                flows.withdraw_cost[chain] += cost;
            }
            flows.pool_abs_change[i] += amount;
        }
    }
}
