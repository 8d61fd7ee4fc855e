//! Candidate routes: every simple path between each pair of trade endpoints within the
//! hop and bridge limits, ranked by the output of a reference-size trade at equilibrium
//! and deduplicated into the graph's route table; and their human-readable labels.

use std::collections::HashMap;

use super::{Edge, Graph, Hop, NodeId, Route, TokenKind, amm_output, link_output};

/// The state of one route search from a source endpoint (see `Graph::dfs`).
struct RouteSearch<'a> {
    edges: &'a [Vec<Edge>],
    /// Per node: how many times it is an endpoint (0: not one).
    endpoint_count: &'a [usize],
    visited: Vec<bool>,
    stack: Vec<Hop>,
    /// Paths found, by destination node.
    found: &'a mut [Vec<Vec<Hop>>],
}

/// Trade size used to rank candidate routes, USD.
pub const REFERENCE_SIZE: f64 = 10_000.0;

impl Graph {
    pub(super) fn enumerate_routes(
        &mut self,
        edges: &[Vec<Edge>],
        max_hops: usize,
        candidates: usize,
    ) {
        let n = self.endpoints.len();
        let mut route_ids: HashMap<Vec<Hop>, u32> = HashMap::new();
        self.pair_routes = vec![Vec::new(); n * n];
        // How often each node is an endpoint, so one search from a source finds the
        // paths to every destination at once.
        let mut endpoint_count = vec![0usize; self.nodes.len()];
        for &node in &self.endpoints {
            endpoint_count[node] += 1;
        }
        for si in 0..n {
            let src = self.endpoints[si];
            let mut found_at: Vec<Vec<Vec<Hop>>> = vec![Vec::new(); self.nodes.len()];
            let mut search = RouteSearch {
                edges,
                endpoint_count: &endpoint_count,
                visited: vec![false; self.nodes.len()],
                stack: Vec::new(),
                found: &mut found_at,
            };
            search.visited[src] = true;
            self.dfs(&mut search, src, max_hops, false);
            for di in 0..n {
                if si == di {
                    continue;
                }
                let dst = self.endpoints[di];
                let mut found = if endpoint_count[dst] == 1 {
                    std::mem::take(&mut found_at[dst])
                } else {
                    found_at[dst].clone()
                };
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

    /// Depth-first search from the source of `search` for every simple path to every
    /// endpoint within `left` more hops: a path reaching an endpoint is recorded for that
    /// endpoint as destination and the search goes on past it (toward the others). The
    /// one destination-dependent rule, a second background-AMM hop only straight into the
    /// destination, is kept by recording such a step (`dst_only`) and going no further.
    /// Each destination's paths come out in the order a search for it alone would find
    /// them (the same edges in the same order, pruned only where that search pruned).
    fn dfs(&self, search: &mut RouteSearch<'_>, at: NodeId, left: usize, dst_only: bool) {
        if search.endpoint_count[at] > 0 && !search.stack.is_empty() {
            search.found[at].push(search.stack.clone());
        }
        if dst_only || left == 0 {
            return;
        }
        let links_used = search
            .stack
            .iter()
            .filter(|h| matches!(h, Hop::Link { .. }))
            .count();
        let amm_used = search.stack.iter().any(|h| matches!(h, Hop::Amm { .. }));
        for edge in &search.edges[at] {
            if search.visited[edge.to] {
                continue;
            }
            let is_link = matches!(edge.hop, Hop::Link { .. });
            if is_link && links_used >= 2 {
                continue;
            }
            if is_link && self.left_chain_before(&search.stack, edge.hop) {
                continue;
            }
            let second_amm = matches!(edge.hop, Hop::Amm { .. }) && amm_used;
            if second_amm && search.endpoint_count[edge.to] == 0 {
                continue;
            }
            search.visited[edge.to] = true;
            search.stack.push(edge.hop);
            self.dfs(search, edge.to, left - 1, second_amm);
            search.stack.pop();
            search.visited[edge.to] = false;
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
