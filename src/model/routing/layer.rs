//! The routing layer's entry point: [`RoutingLayer`] with its fixed settings and the
//! lookups it builds once per graph, and `step`, one epoch in order (route every trade,
//! then arbitrage, then the bot). The hub-link lookups shared by arbitrage and the bot
//! live here too.

use crate::config::scenario::{ArbSpec, BotSpec, LinkCost, RouterSpec};
use crate::model::flow::Trade;
use crate::model::graph::Graph;

use super::flows::EpochFlows;
use super::plan::RoutePlan;
use super::router::RouterScratch;
use super::state::{Conditions, RoutingState, max_deviation, pool_value};

/// The routing layer's fixed settings.
#[derive(Debug, Clone, Copy)]
pub struct RoutingParams {
    pub router: RouterSpec,
    pub arbitrage: ArbSpec,
    pub bot: BotSpec,
}

/// Runs the router, the arbitrage step and the bot for one epoch.
pub struct RoutingLayer<'g> {
    pub graph: &'g Graph,
    pub params: RoutingParams,
    /// Per chain (graph order): index into graph links of its hub link (none on the hub).
    pub(super) hub_link_of_chain: Vec<Option<usize>>,
    /// The route table compiled for the router.
    pub(super) plan: RoutePlan,
    /// `1 - fee` of the background AMMs, and `1 - cost` of the external route.
    pub(super) amm_keep: f64,
    pub(super) external_keep: f64,
}

impl<'g> RoutingLayer<'g> {
    /// Builds the per-graph lookups; each pool's chain index comes from
    /// `Graph::pool_chain`, resolved (or refused) when the graph was built.
    pub fn new(graph: &'g Graph, params: RoutingParams) -> Self {
        let hub_link_of_chain = graph
            .chains
            .iter()
            .map(|c| {
                graph
                    .links
                    .iter()
                    .position(|l| l.hub && (l.a == *c || l.b == *c))
            })
            .collect();
        Self {
            graph,
            params,
            hub_link_of_chain,
            plan: RoutePlan::new(graph),
            amm_keep: 1.0 - graph.amm_fee,
            external_keep: 1.0 - graph.external_cost,
        }
    }

    /// One epoch: route `trades`, then arbitrage, then the bot.
    pub fn step(
        &self,
        state: &mut RoutingState,
        cond: &Conditions,
        trades: &[Trade],
        flows: &mut EpochFlows,
        scratch: &mut RouterScratch,
    ) {
        flows.reset();
        for amm in &mut state.amms {
            *amm = [self.graph.amm_depth; 2];
        }
        let value_before = pool_value(&state.pools);
        scratch.prices.prepare(self.graph, state, cond);
        for trade in trades {
            self.route_prepared(state, cond, *trade, flows, scratch);
        }
        flows.dev_pre_arb = max_deviation(&state.pools);
        self.arbitrage(state, cond, flows);
        flows.value_change = pool_value(&state.pools) - value_before;
        for (d, pool) in flows.pool_dev_post_arb.iter_mut().zip(&state.pools) {
            *d = pool.deviation().abs();
        }
        // The same fold as `max_deviation`, over the same values.
        flows.dev_post_arb = flows.pool_dev_post_arb.iter().copied().fold(0.0, f64::max);
        self.bot(state, cond, flows);
        flows.dev_post_bot = max_deviation(&state.pools);
    }
}

impl RoutingLayer<'_> {
    /// `(down, cost multiplier, latency multiplier, base fee)` of the hub link serving
    /// `chain` this epoch; the hub itself has no link (never down, no extra cost).
    pub(super) fn hub_link_state(&self, chain: usize, cond: &Conditions) -> (bool, f64, f64, f64) {
        match self.hub_link_of_chain[chain] {
            Some(l) => (
                cond.link_down[l],
                cond.link_cost[l],
                cond.link_latency[l],
                self.graph.links[l].cost.fee,
            ),
            None => (false, 1.0, 1.0, 0.0),
        }
    }

    /// The cost of the hub link serving `chain`; hub pools pay a mint/burn link's cost.
    pub(super) fn hub_link_cost(&self, chain: usize) -> LinkCost {
        let link =
            self.hub_link_of_chain[chain].or_else(|| self.graph.links.iter().position(|l| l.hub));
        link.map_or(
            LinkCost {
                fee: 0.0,
                fixed: 0.0,
                latency_hours: 0.0,
                premium_per_hour: 0.0,
            },
            |l| self.graph.links[l].cost,
        )
    }
}
