//! The routing graph of one scenario: (chain, token) nodes, the hops between them
//! (our PMM pools, bridges, mint/burn to the hub, the background AMM, the external
//! route) and, for every pair of trade endpoints, the candidate routes ranked by their
//! cost at a reference size. Built once per scenario; immutable while paths run.
//!
//! - this file: the graph's types and lookups;
//! - `build`: nodes, pools, links and background AMMs from the scenario's graph spec;
//! - `routes`: candidate-route enumeration, ranking and labels;
//! - `pricing`: the stateless hop prices (links and the background AMM).

mod build;
mod pricing;
mod routes;

pub use pricing::{amm_output, link_output};
pub use routes::REFERENCE_SIZE;

use crate::config::scenario::{LinkCost, PoolSpec};
use crate::error::{Error, Result};

/// Index of a node in `Graph::nodes`.
pub type NodeId = usize;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A chain's own stable (USDC, USDT, ...).
    Anchor,
    /// Our bridged token on a spoke (cWUSDC, ...).
    Wrapped,
    /// The canonical token on the hub (cUSDC, ...).
    Canonical,
}

/// A (chain, token) node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub chain: u64,
    pub token: String,
    pub kind: TokenKind,
}

/// One step of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hop {
    /// Swap in our PMM pool `pool`, selling base (cW) for quote when `sell_base`.
    Pool { pool: usize, sell_base: bool },
    /// Cross bridge or mint/burn link `link` from its chain `a` to `b` when `forward`.
    Link { link: usize, forward: bool },
    /// Swap in the background AMM `amm`, from its token `a` to `b` when `forward`.
    Amm { amm: usize, forward: bool },
    /// The external cross-chain route (other bridges, CEX) between two anchors.
    External,
}

/// A bridge between two chains (shared by all denominations), or a hub mint/burn link.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub a: u64,
    pub b: u64,
    pub hub: bool,
    pub cost: LinkCost,
}

/// A background AMM between two anchors of one chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Amm {
    pub chain: u64,
    pub a: NodeId,
    pub b: NodeId,
}

/// A candidate route between two endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub hops: Vec<Hop>,
    /// Our pools it passes through.
    pub pool_count: u8,
    /// Passes through more than one of our pools on the same chain.
    pub reflexive: bool,
    /// Output of the reference trade with every pool at equilibrium, USD.
    pub reference_output: f64,
}

/// The graph and its route table.
#[derive(Debug, Clone)]
pub struct Graph {
    pub hub: u64,
    pub chains: Vec<u64>,
    pub nodes: Vec<Node>,
    pub pools: Vec<PoolSpec>,
    /// Per pool: index into `chains` of the pool's chain, resolved once by `build`.
    pub pool_chain: Vec<usize>,
    pub links: Vec<Link>,
    /// Per link: indices into `chains` of its chains `(a, b)`, resolved once by `build`.
    pub link_chains: Vec<(usize, usize)>,
    pub amms: Vec<Amm>,
    pub amm_fee: f64,
    pub amm_depth: f64,
    pub external_cost: f64,
    pub external_fixed: f64,
    /// Trade endpoints: spoke anchors and hub canonical tokens.
    pub endpoints: Vec<NodeId>,
    pub routes: Vec<Route>,
    /// Candidate route ids for endpoint pair `(i, j)` at `i * endpoints.len() + j`,
    /// best reference output first.
    pub pair_routes: Vec<Vec<u32>>,
}

/// An outgoing edge of a node: the hop to take and the node it reaches.
pub(super) struct Edge {
    pub(super) to: NodeId,
    pub(super) hop: Hop,
}

impl Graph {
    /// The index into `chains` of chain id `chain`. Every chain a pool, link or node
    /// names comes from the scenario's chain list (the config checks guarantee it), so
    /// a miss is an internal inconsistency and reported as [`Error::Internal`].
    pub fn chain_index(&self, chain: u64) -> Result<usize> {
        self.chains.iter().position(|c| *c == chain).ok_or_else(|| {
            Error::Internal(format!(
                "chain {chain} is not one of the graph's chains {:?}",
                self.chains
            ))
        })
    }

    /// The node for `(chain, token)`.
    pub fn find(&self, chain: u64, token: &str) -> Option<NodeId> {
        self.nodes
            .iter()
            .position(|n| n.chain == chain && n.token == token)
    }

    /// Candidate routes for an endpoint pair.
    pub fn candidates(&self, src: usize, dst: usize) -> &[u32] {
        &self.pair_routes[src * self.endpoints.len() + dst]
    }
}

#[cfg(test)]
pub(crate) mod tests;
