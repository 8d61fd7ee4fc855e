//! Building a [`Graph`] from the scenario's graph spec: one node per (chain, token), an
//! edge each way per pool, link and background AMM, then the candidate-route table.

use std::collections::HashMap;

use crate::config::scenario::GraphSpec;
use crate::error::{Error, Result};

use super::{Amm, Edge, Graph, Hop, Link, Node, NodeId, TokenKind};

impl Graph {
    /// Builds the graph and enumerates candidate routes (at most `candidates` per pair,
    /// at most `max_hops` hops, at most two bridge crossings). Fails only if a pool's
    /// chain is missing from the chain list, which the config checks rule out (an
    /// [`Error::Internal`]).
    pub fn build(spec: &GraphSpec, max_hops: usize, candidates: usize) -> Result<Self> {
        let (mut graph, edges) = Self::nodes_and_edges(spec)?;
        graph.enumerate_routes(&edges, max_hops, candidates);
        Ok(graph)
    }

    /// The graph without its route table, and its edges (per node, in the order the
    /// route search follows them).
    pub(super) fn nodes_and_edges(spec: &GraphSpec) -> Result<(Self, Vec<Vec<Edge>>)> {
        let mut graph = Self {
            hub: spec.hub,
            chains: spec.chains.iter().map(|c| c.id).collect(),
            nodes: Vec::new(),
            pools: spec.pools.clone(),
            pool_chain: Vec::new(),
            links: Vec::new(),
            link_chains: Vec::new(),
            amms: Vec::new(),
            amm_fee: spec.amm_fee,
            amm_depth: spec.amm_depth,
            external_cost: spec.external_cost,
            external_fixed: spec.external_fixed,
            endpoints: Vec::new(),
            routes: Vec::new(),
            pair_routes: Vec::new(),
        };
        let mut index: HashMap<(u64, String), NodeId> = HashMap::new();
        let mut node = |graph: &mut Self, chain: u64, token: &str, kind: TokenKind| -> NodeId {
            *index.entry((chain, token.to_string())).or_insert_with(|| {
                graph.nodes.push(Node {
                    chain,
                    token: token.to_string(),
                    kind,
                });
                graph.nodes.len() - 1
            })
        };
        for chain in &spec.chains {
            for anchor in &chain.anchors {
                let id = node(&mut graph, chain.id, anchor, TokenKind::Anchor);
                graph.endpoints.push(id);
            }
            for denom in &spec.denominations {
                if chain.id == spec.hub {
                    let id = node(
                        &mut graph,
                        chain.id,
                        &format!("c{denom}"),
                        TokenKind::Canonical,
                    );
                    graph.endpoints.push(id);
                } else {
                    node(
                        &mut graph,
                        chain.id,
                        &format!("cW{denom}"),
                        TokenKind::Wrapped,
                    );
                }
            }
        }
        // Deployed pools may name tokens outside the denominations; give them nodes.
        let mut edges: Vec<Vec<Edge>> = Vec::new();
        let mut pool_nodes = Vec::new();
        for pool in &spec.pools {
            let kind = |t: &str| {
                if t.starts_with("cW") {
                    TokenKind::Wrapped
                } else if t.starts_with('c') && pool.chain == spec.hub {
                    TokenKind::Canonical
                } else {
                    TokenKind::Anchor
                }
            };
            let base = node(&mut graph, pool.chain, &pool.base, kind(&pool.base));
            let quote = node(&mut graph, pool.chain, &pool.quote, kind(&pool.quote));
            pool_nodes.push((base, quote));
        }
        edges.resize_with(graph.nodes.len(), Vec::new);
        for (p, (base, quote)) in pool_nodes.iter().enumerate() {
            edges[*base].push(Edge {
                to: *quote,
                hop: Hop::Pool {
                    pool: p,
                    sell_base: true,
                },
            });
            edges[*quote].push(Edge {
                to: *base,
                hop: Hop::Pool {
                    pool: p,
                    sell_base: false,
                },
            });
        }
        graph.add_links(spec, &mut edges);
        graph.add_amms(&mut edges);
        graph.resolve_chains()?;
        Ok((graph, edges))
    }

    /// Resolves every pool's and link's chain id to its index into `chains`, once, so
    /// the per-trade code indexes per-chain figures directly.
    fn resolve_chains(&mut self) -> Result<()> {
        self.pool_chain = self
            .pools
            .iter()
            .enumerate()
            .map(|(i, p)| {
                self.chain_index(p.chain).map_err(|_| {
                    Error::Internal(format!(
                        "pool {i} ({}/{}) is on chain {}, which is not one of the graph's \
                         chains {:?}",
                        p.base, p.quote, p.chain, self.chains
                    ))
                })
            })
            .collect::<Result<_>>()?;
        self.link_chains = self
            .links
            .iter()
            .map(|l| Ok((self.chain_index(l.a)?, self.chain_index(l.b)?)))
            .collect::<Result<_>>()?;
        Ok(())
    }

    fn add_links(&mut self, spec: &GraphSpec, edges: &mut [Vec<Edge>]) {
        for (i, a) in self.chains.iter().enumerate() {
            for b in &self.chains[i + 1..] {
                let hub = *a == self.hub || *b == self.hub;
                if !hub && !spec.spoke_links {
                    continue;
                }
                let link = self.links.len();
                self.links.push(Link {
                    a: *a,
                    b: *b,
                    hub,
                    cost: if hub { spec.hub_link } else { spec.bridge },
                });
                for denom in &spec.denominations {
                    let token = |chain: u64| {
                        if chain == self.hub {
                            format!("c{denom}")
                        } else {
                            format!("cW{denom}")
                        }
                    };
                    let (Some(na), Some(nb)) =
                        (self.find(*a, &token(*a)), self.find(*b, &token(*b)))
                    else {
                        continue;
                    };
                    edges[na].push(Edge {
                        to: nb,
                        hop: Hop::Link {
                            link,
                            forward: true,
                        },
                    });
                    edges[nb].push(Edge {
                        to: na,
                        hop: Hop::Link {
                            link,
                            forward: false,
                        },
                    });
                }
            }
        }
    }

    fn add_amms(&mut self, edges: &mut [Vec<Edge>]) {
        let anchors: Vec<NodeId> = (0..self.nodes.len())
            .filter(|n| self.nodes[*n].kind == TokenKind::Anchor)
            .collect();
        for (i, a) in anchors.iter().enumerate() {
            for b in &anchors[i + 1..] {
                if self.nodes[*a].chain == self.nodes[*b].chain {
                    let amm = self.amms.len();
                    self.amms.push(Amm {
                        chain: self.nodes[*a].chain,
                        a: *a,
                        b: *b,
                    });
                    edges[*a].push(Edge {
                        to: *b,
                        hop: Hop::Amm { amm, forward: true },
                    });
                    edges[*b].push(Edge {
                        to: *a,
                        hop: Hop::Amm {
                            amm,
                            forward: false,
                        },
                    });
                }
            }
        }
    }
}
