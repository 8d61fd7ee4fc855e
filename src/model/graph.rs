//! The routing graph of one scenario: (chain, token) nodes, the hops between them
//! (our PMM pools, bridges, mint/burn to the hub, the background AMM, the external
//! route) and, for every pair of trade endpoints, the candidate routes ranked by their
//! cost at a reference size. Built once per scenario; immutable while paths run.

use std::collections::HashMap;

use crate::config::scenario::{GraphSpec, LinkCost, PoolSpec};

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
    pub links: Vec<Link>,
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

/// Trade size used to rank candidate routes, USD.
pub const REFERENCE_SIZE: f64 = 10_000.0;

struct Edge {
    to: NodeId,
    hop: Hop,
}

impl Graph {
    /// Builds the graph and enumerates candidate routes (at most `candidates` per pair,
    /// at most `max_hops` hops, at most two bridge crossings).
    pub fn build(spec: &GraphSpec, max_hops: usize, candidates: usize) -> Self {
        let mut graph = Self {
            hub: spec.hub,
            chains: spec.chains.iter().map(|c| c.id).collect(),
            nodes: Vec::new(),
            pools: spec.pools.clone(),
            links: Vec::new(),
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
        graph.enumerate_routes(&edges, max_hops, candidates);
        graph
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

    fn enumerate_routes(&mut self, edges: &[Vec<Edge>], max_hops: usize, candidates: usize) {
        let n = self.endpoints.len();
        let mut route_ids: HashMap<Vec<Hop>, u32> = HashMap::new();
        self.pair_routes = vec![Vec::new(); n * n];
        for si in 0..n {
            for di in 0..n {
                if si == di {
                    continue;
                }
                let (src, dst) = (self.endpoints[si], self.endpoints[di]);
                let mut found: Vec<Vec<Hop>> = Vec::new();
                let mut stack = Vec::new();
                let mut visited = vec![false; self.nodes.len()];
                visited[src] = true;
                self.dfs(
                    edges,
                    src,
                    dst,
                    max_hops,
                    &mut visited,
                    &mut stack,
                    &mut found,
                );
                let both_anchors = self.nodes[src].kind == TokenKind::Anchor
                    && self.nodes[dst].kind == TokenKind::Anchor;
                if both_anchors && self.nodes[src].chain != self.nodes[dst].chain {
                    found.push(vec![Hop::External]);
                }
                let mut scored: Vec<(f64, Vec<Hop>)> = found
                    .into_iter()
                    .map(|hops| (self.reference_output(&hops), hops))
                    .filter(|(out, _)| *out > 0.0)
                    .collect();
                scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.len().cmp(&b.1.len())));
                scored.truncate(candidates);
                let ids = scored
                    .into_iter()
                    .map(|(out, hops)| {
                        let next = self.routes.len() as u32;
                        *route_ids.entry(hops.clone()).or_insert_with(|| {
                            self.routes.push(self.make_route(hops, out));
                            next
                        })
                    })
                    .collect();
                self.pair_routes[si * n + di] = ids;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn dfs(
        &self,
        edges: &[Vec<Edge>],
        at: NodeId,
        dst: NodeId,
        left: usize,
        visited: &mut [bool],
        stack: &mut Vec<Hop>,
        found: &mut Vec<Vec<Hop>>,
    ) {
        if at == dst {
            found.push(stack.clone());
            return;
        }
        if left == 0 {
            return;
        }
        let links_used = stack
            .iter()
            .filter(|h| matches!(h, Hop::Link { .. }))
            .count();
        for edge in &edges[at] {
            if visited[edge.to] {
                continue;
            }
            // Endpoints other than the destination are not passed through, except a
            // same-chain anchor reached by the background AMM at the start.
            let is_link = matches!(edge.hop, Hop::Link { .. });
            if is_link && links_used >= 2 {
                continue;
            }
            if is_link && self.left_chain_before(stack, edge.hop) {
                continue;
            }
            if matches!(edge.hop, Hop::Amm { .. })
                && stack.iter().any(|h| matches!(h, Hop::Amm { .. }))
                && edge.to != dst
            {
                continue;
            }
            visited[edge.to] = true;
            stack.push(edge.hop);
            self.dfs(edges, edge.to, dst, left - 1, visited, stack, found);
            stack.pop();
            visited[edge.to] = false;
        }
    }

    /// True when crossing `hop` would return to a chain the route already left.
    fn left_chain_before(&self, stack: &[Hop], hop: Hop) -> bool {
        let Hop::Link { link, forward } = hop else {
            return false;
        };
        let target = if forward {
            self.links[link].b
        } else {
            self.links[link].a
        };
        stack.iter().any(|h| match *h {
            Hop::Link { link, forward } => {
                (if forward {
                    self.links[link].a
                } else {
                    self.links[link].b
                }) == target
            }
            _ => false,
        })
    }

    fn make_route(&self, hops: Vec<Hop>, reference_output: f64) -> Route {
        let pools: Vec<usize> = hops
            .iter()
            .filter_map(|h| {
                if let Hop::Pool { pool, .. } = h {
                    Some(*pool)
                } else {
                    None
                }
            })
            .collect();
        let reflexive = pools.iter().enumerate().any(|(i, p)| {
            pools[..i]
                .iter()
                .any(|q| self.pools[*q].chain == self.pools[*p].chain)
        });
        Route {
            hops,
            pool_count: pools.len() as u8,
            reflexive,
            reference_output,
        }
    }

    /// Output of a `REFERENCE_SIZE` trade along `hops` with every pool at equilibrium,
    /// no shocks, design fees.
    fn reference_output(&self, hops: &[Hop]) -> f64 {
        let mut x = REFERENCE_SIZE;
        for hop in hops {
            x = match *hop {
                Hop::Pool { pool, .. } => {
                    let p = &self.pools[pool];
                    let curve = crate::model::pmm::PmmPool::new(p.depth, p.depth, 1.0, p.k);
                    match curve {
                        Ok(c) => c.query_sell_base(x) * (1.0 - p.fee),
                        Err(_) => 0.0,
                    }
                }
                Hop::Link { link, .. } => link_output(&self.links[link].cost, x, 1.0, 1.0),
                Hop::Amm { .. } => amm_output(self.amm_depth, self.amm_depth, self.amm_fee, x),
                Hop::External => x * (1.0 - self.external_cost) - self.external_fixed,
            };
            if x <= 0.0 {
                return 0.0;
            }
        }
        x
    }

    /// Human label of a route, e.g. `137:USDC -> pool -> 137:cWUSDC -> bridge -> ...`.
    pub fn describe(&self, route: &Route, src: NodeId) -> String {
        let mut at = src;
        let mut out = format!("{}:{}", self.nodes[at].chain, self.nodes[at].token);
        for hop in &route.hops {
            let (label, next) = match *hop {
                Hop::Pool { pool, sell_base } => {
                    let p = &self.pools[pool];
                    let tok = if sell_base { &p.quote } else { &p.base };
                    ("pmm", self.find(p.chain, tok))
                }
                Hop::Link { link, forward } => {
                    let l = &self.links[link];
                    let chain = if forward { l.b } else { l.a };
                    let token = &self.nodes[at].token;
                    let denom = token.trim_start_matches("cW").trim_start_matches('c');
                    let tok = if chain == self.hub {
                        format!("c{denom}")
                    } else {
                        format!("cW{denom}")
                    };
                    (
                        if l.hub { "mint/burn" } else { "bridge" },
                        self.find(chain, &tok),
                    )
                }
                Hop::Amm { amm, forward } => {
                    let a = &self.amms[amm];
                    ("amm", Some(if forward { a.b } else { a.a }))
                }
                Hop::External => ("external", None),
            };
            out.push_str(&format!(" -> {label}"));
            match next {
                Some(n) => {
                    at = n;
                    out.push_str(&format!(
                        " -> {}:{}",
                        self.nodes[n].chain, self.nodes[n].token
                    ));
                }
                None => out.push_str(" -> (destination)"),
            }
        }
        out
    }
}

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
