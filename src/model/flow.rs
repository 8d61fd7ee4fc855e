//! Order flow: each epoch's trades (source endpoint, destination endpoint, size), drawn
//! from the scenario's endpoint weights, cross-chain share, directional lanes and size
//! distribution. Every trade consumes the same random draws whatever the state, so two
//! candidates fed the same stream see the same trades (common random numbers).

use rand::{Rng, RngExt};
use rand_distr::StandardNormal;

use crate::config::scenario::{FlowSpec, SizeDist};
use crate::error::{Error, Result};
use crate::model::graph::{Graph, TokenKind};

/// One trade: endpoint indices into `Graph::endpoints`, size in USD.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trade {
    pub src: u16,
    pub dst: u16,
    pub size: f64,
}

/// Cumulative weights for sampling an index.
#[derive(Debug, Clone, Default)]
struct Table {
    items: Vec<u16>,
    cumulative: Vec<f64>,
}

impl Table {
    fn new(pairs: impl Iterator<Item = (u16, f64)>) -> Self {
        let mut t = Table::default();
        let mut total = 0.0;
        for (item, w) in pairs.filter(|(_, w)| *w > 0.0) {
            total += w;
            t.items.push(item);
            t.cumulative.push(total);
        }
        t
    }

    fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Index for a uniform `u` in [0, 1).
    fn pick(&self, u: f64) -> u16 {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let target = u * total;
        let pos = self.cumulative.partition_point(|c| *c <= target);
        self.items[pos.min(self.items.len() - 1)]
    }
}

/// Position of `chain` among the spokes `graph.chains[1..]`, the order of
/// `FlowSpec::chain_weights`. Anchor endpoints exist only on spoke chains (the config
/// checks give the hub no anchors and list it first), so a miss is an internal
/// inconsistency, reported as [`Error::Internal`] rather than read as the first spoke.
fn spoke_index(graph: &Graph, chain: u64) -> Result<usize> {
    let spokes = graph.chains.get(1..).unwrap_or_default();
    spokes.iter().position(|c| *c == chain).ok_or_else(|| {
        Error::Internal(format!(
            "order flow: an anchor endpoint is on chain {chain}, which is not one of the \
             spoke chains {spokes:?}"
        ))
    })
}

/// The order-flow sampler of one scenario.
#[derive(Debug, Clone)]
pub struct OrderFlow {
    pub trades_per_epoch: u32,
    size: SizeDist,
    cross_chain_share: f64,
    sources: Table,
    same_chain: Vec<Table>,
    other_chain: Vec<Table>,
    /// (src, dst, cumulative share).
    lanes: Vec<(u16, u16, f64)>,
}

impl OrderFlow {
    /// Builds the sampler; endpoint weights come from chain weights and the hub share.
    /// Fails only on an anchor endpoint outside the spoke chains, an internal error.
    pub fn new(graph: &Graph, spec: &FlowSpec) -> Result<Self> {
        let weight = |e: usize| -> Result<f64> {
            let node = &graph.nodes[graph.endpoints[e]];
            if node.kind == TokenKind::Canonical {
                let hub_tokens = graph
                    .endpoints
                    .iter()
                    .filter(|n| graph.nodes[**n].kind == TokenKind::Canonical)
                    .count();
                return Ok(spec.hub_share / hub_tokens.max(1) as f64);
            }
            let spoke = spoke_index(graph, node.chain)?;
            let anchors = graph
                .endpoints
                .iter()
                .filter(|n| graph.nodes[**n].chain == node.chain)
                .count();
            Ok(
                (1.0 - spec.hub_share) * spec.chain_weights.get(spoke).copied().unwrap_or(1.0)
                    / anchors.max(1) as f64,
            )
        };
        let n = graph.endpoints.len();
        let weights: Vec<f64> = (0..n).map(weight).collect::<Result<_>>()?;
        let chain_of = |e: usize| graph.nodes[graph.endpoints[e]].chain;
        let sources = Table::new((0..n).map(|e| (e as u16, weights[e])));
        let same_chain = (0..n)
            .map(|s| {
                Table::new(
                    (0..n)
                        .filter(|d| *d != s && chain_of(*d) == chain_of(s))
                        .map(|d| (d as u16, weights[d].max(1e-9))),
                )
            })
            .collect();
        let other_chain = (0..n)
            .map(|s| {
                Table::new(
                    (0..n)
                        .filter(|d| chain_of(*d) != chain_of(s))
                        .map(|d| (d as u16, weights[d])),
                )
            })
            .collect();
        let mut cum = 0.0;
        let lanes = spec
            .lanes
            .iter()
            .filter_map(|l| {
                let src = graph.endpoints.iter().position(|n| {
                    graph.nodes[*n].chain == l.from.0 && graph.nodes[*n].token == l.from.1
                })?;
                let dst = graph.endpoints.iter().position(|n| {
                    graph.nodes[*n].chain == l.to.0 && graph.nodes[*n].token == l.to.1
                })?;
                cum += l.share;
                Some((src as u16, dst as u16, cum))
            })
            .collect();
        Ok(Self {
            trades_per_epoch: spec.trades_per_epoch,
            size: spec.size,
            cross_chain_share: spec.cross_chain_share,
            sources,
            same_chain,
            other_chain,
            lanes,
        })
    }

    /// Number of trades in an epoch with volume multiplier `m`.
    pub fn trade_count(&self, m: f64) -> usize {
        (f64::from(self.trades_per_epoch) * m).round() as usize
    }

    /// Draws one trade: four uniforms and one size draw, always.
    pub fn draw<R: Rng>(&self, rng: &mut R) -> Trade {
        let u_lane: f64 = rng.random();
        let u_src: f64 = rng.random();
        let u_cross: f64 = rng.random();
        let u_dst: f64 = rng.random();
        let size = self.draw_size(rng);
        if let Some(&(src, dst, _)) = self.lanes.iter().find(|(_, _, c)| u_lane < *c) {
            return Trade { src, dst, size };
        }
        let src = self.sources.pick(u_src);
        let same = &self.same_chain[src as usize];
        let other = &self.other_chain[src as usize];
        let table = if (u_cross < self.cross_chain_share || same.is_empty()) && !other.is_empty() {
            other
        } else {
            same
        };
        let dst = if table.is_empty() {
            src
        } else {
            table.pick(u_dst)
        };
        Trade { src, dst, size }
    }

    fn draw_size<R: Rng>(&self, rng: &mut R) -> f64 {
        match self.size {
            SizeDist::Uniform { min, max } => {
                let u: f64 = rng.random();
                min + u * (max - min)
            }
            SizeDist::LogNormal { median, sigma, cap } => {
                let z: f64 = rng.sample(StandardNormal);
                (median * (sigma * z).exp()).min(cap)
            }
            SizeDist::Pareto { scale, tail, cap } => {
                let u: f64 = rng.random();
                (scale / (1.0 - u).powf(1.0 / tail)).min(cap)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::graph::tests::{HUB, spec};

    fn flow_spec() -> FlowSpec {
        FlowSpec {
            trades_per_epoch: 10,
            size: SizeDist::Uniform { min: 1.0, max: 2.0 },
            cross_chain_share: 0.5,
            hub_share: 0.2,
            chain_weights: vec![3.0, 1.0],
            lanes: Vec::new(),
        }
    }

    #[test]
    fn spoke_anchors_take_their_own_chain_weight() {
        let graph = Graph::build(&spec(&[], &[1, 137], &[1, 137]), 6, 4).expect("builds");
        let flow = OrderFlow::new(&graph, &flow_spec()).expect("builds");
        // Endpoints: the hub's cUSDC (weight 0.2), 1:USDC (0.8 * 3), 137:USDC (0.8 * 1).
        assert_eq!(flow.sources.items, vec![0, 1, 2]);
        let mut total = 0.0;
        for (want, got) in [0.2, 2.4, 0.8].iter().zip(&flow.sources.cumulative) {
            total += want;
            assert!((got - total).abs() < 1e-12, "{:?}", flow.sources.cumulative);
        }
    }

    #[test]
    fn an_anchor_outside_the_spokes_is_an_internal_error_not_spoke_0() {
        let graph = Graph::build(&spec(&["USDT"], &[1], &[1]), 6, 4).expect("builds");
        let err = OrderFlow::new(&graph, &flow_spec()).expect_err("hub anchor has no weight");
        assert!(matches!(err, Error::Internal(_)), "{err:?}");
        assert!(err.to_string().contains(&format!("chain {HUB}")), "{err}");
    }
}
