//! The prices the router reads on every hop, prepared once per epoch (per trade when a
//! single trade is routed on its own): every pool priced at its current balances (see
//! [`PricedPool`]; re-priced as soon as a chunk moves it), the share of a pool's output
//! left after its fee, and each link's output factor and fixed cost under the epoch's
//! conditions. Each entry is exactly the value the hop's formula computes first, in the
//! same order, so a hop priced from these tables gives the same bits as one priced from
//! the pools and conditions directly.

use crate::model::graph::Graph;
use crate::model::pmm::PricedPool;

use super::state::{Conditions, RoutingState};

/// A link's output under the epoch's conditions: `max(x factor - fixed, 0)`, with
/// `factor = 1 - fee m_c - premium latency m_l` and `fixed = gamma m_c` as in
/// [`link_output`](crate::model::graph::link_output).
#[derive(Debug, Clone, Copy)]
pub(super) struct LinkPrice {
    pub(super) down: bool,
    factor: f64,
    fixed: f64,
}

impl LinkPrice {
    #[inline(always)]
    pub(super) fn output(&self, x: f64) -> f64 {
        (x * self.factor - self.fixed).max(0.0)
    }
}

/// The router's per-epoch price tables (see the module docs).
#[derive(Debug, Clone, Default)]
pub(super) struct EpochPrices {
    /// Per pool: the pool priced at its current balances.
    pub(super) priced: Vec<PricedPool>,
    /// Per pool: `1 - fee`.
    pub(super) pool_keep: Vec<f64>,
    /// Per link.
    pub(super) links: Vec<LinkPrice>,
}

impl EpochPrices {
    /// Fills the tables from the pools' balances and the epoch's conditions.
    pub(super) fn prepare(&mut self, graph: &Graph, state: &RoutingState, cond: &Conditions) {
        self.priced.clear();
        self.priced.extend(state.pools.iter().map(PricedPool::new));
        self.pool_keep.clear();
        self.pool_keep
            .extend(cond.pool_fee.iter().map(|fee| 1.0 - fee));
        self.links.clear();
        self.links
            .extend(graph.links.iter().enumerate().map(|(l, link)| {
                let (cost, cost_mult, latency_mult) =
                    (&link.cost, cond.link_cost[l], cond.link_latency[l]);
                LinkPrice {
                    down: cond.link_down[l],
                    factor: 1.0
                        - cost.fee * cost_mult
                        - cost.premium_per_hour * cost.latency_hours * latency_mult,
                    fixed: cost.fixed * cost_mult,
                }
            }));
    }
}
