//! The mutable pool state of one path (our PMM pools and the background AMMs) and the
//! per-epoch conditions (link outages, cost and latency multipliers, pool fees) that
//! shocks and the spread policy set before routing.

use crate::model::graph::Graph;
use crate::model::pmm::PmmPool;

/// Per-epoch conditions set by shocks and by the capital overlay's spread policy.
#[derive(Debug, Clone)]
pub struct Conditions {
    /// Per link: down for this epoch.
    pub link_down: Vec<bool>,
    /// Per link: cost multiplier.
    pub link_cost: Vec<f64>,
    /// Per link: latency multiplier.
    pub link_latency: Vec<f64>,
    /// Per pool: fee charged this epoch, fraction of output.
    pub pool_fee: Vec<f64>,
}

impl Conditions {
    /// No shocks, design fees.
    pub fn calm(graph: &Graph) -> Self {
        Self {
            link_down: vec![false; graph.links.len()],
            link_cost: vec![1.0; graph.links.len()],
            link_latency: vec![1.0; graph.links.len()],
            pool_fee: graph.pools.iter().map(|p| p.fee).collect(),
        }
    }
}

/// The mutable state of the routing layer in one path.
#[derive(Debug, Clone)]
pub struct RoutingState {
    pub pools: Vec<PmmPool>,
    /// Background AMM reserves `[a, b]`, reset every epoch.
    pub amms: Vec<[f64; 2]>,
}

impl RoutingState {
    /// Every pool at equilibrium with `I* = depth` on each side.
    pub fn new(graph: &Graph) -> Self {
        let pools = graph
            .pools
            .iter()
            .map(|p| {
                PmmPool::new(p.depth, p.depth, 1.0, p.k)
                    .unwrap_or_else(|_| unreachable_pool(p.depth))
            })
            .collect();
        Self {
            pools,
            amms: vec![[graph.amm_depth; 2]; graph.amms.len()],
        }
    }
}

/// Pool specs are validated (depth > 0, k in [0, 1]) before a graph is built, so
/// `PmmPool::new` cannot fail here; a linear pool is a harmless fallback.
fn unreachable_pool(depth: f64) -> PmmPool {
    PmmPool {
        base: depth,
        quote: depth,
        base_target: depth,
        quote_target: depth,
        i: 1.0,
        k: 0.0,
    }
}

/// Total value of the pools at the oracle price (base + quote), USD.
pub(super) fn pool_value(pools: &[PmmPool]) -> f64 {
    pools.iter().map(|p| p.base + p.quote).sum()
}

/// Largest |deviation| over the pools (0 when there are none).
pub(super) fn max_deviation(pools: &[PmmPool]) -> f64 {
    pools
        .iter()
        .map(|p| p.deviation().abs())
        .fold(0.0, f64::max)
}
