//! Unit tests of graph construction: chain ids resolve to indices once, and a chain id
//! missing from the chain list is an internal error instead of a silent chain 0.

use crate::config::scenario::{ChainSpec, GraphMode, GraphSpec, LinkCost, PoolSpec, Topology};
use crate::error::Error;

use super::Graph;

pub(crate) const HUB: u64 = 138;

/// A small graph spec: the hub (with `hub_anchors`) first, then one spoke per entry of
/// `spokes`, and a USDC pool on each chain listed in `pool_chains`.
pub(crate) fn spec(hub_anchors: &[&str], spokes: &[u64], pool_chains: &[u64]) -> GraphSpec {
    let chain = |id: u64, anchors: &[&str]| ChainSpec {
        id,
        name: format!("chain {id}"),
        anchors: anchors.iter().map(|a| a.to_string()).collect(),
    };
    let cost = LinkCost {
        fee: 5e-4,
        fixed: 1.0,
        latency_hours: 0.5,
        premium_per_hour: 1e-4,
    };
    let mut chains = vec![chain(HUB, hub_anchors)];
    chains.extend(spokes.iter().map(|id| chain(*id, &["USDC"])));
    GraphSpec {
        hub: HUB,
        mode: GraphMode::Design,
        topology: Topology::HubOnly,
        chains,
        denominations: vec!["USDC".into()],
        pools: pool_chains
            .iter()
            .map(|c| PoolSpec {
                chain: *c,
                base: "cWUSDC".into(),
                quote: "USDC".into(),
                depth: 1e6,
                k: 0.25,
                fee: 5e-4,
            })
            .collect(),
        spoke_links: true,
        bridge: cost,
        hub_link: cost,
        amm_fee: 5e-4,
        amm_depth: 1e8,
        external_cost: 1e-3,
        external_fixed: 10.0,
    }
}

#[test]
fn pool_and_link_chains_resolve_to_their_indices() {
    let graph = Graph::build(&spec(&[], &[1, 137], &[137, 1]), 6, 4).expect("builds");
    assert_eq!(graph.chains, vec![HUB, 1, 137]);
    assert_eq!(graph.pool_chain, vec![2, 1]);
    assert_eq!(graph.link_chains.len(), graph.links.len());
    for (link, &(a, b)) in graph.links.iter().zip(&graph.link_chains) {
        assert_eq!((graph.chains[a], graph.chains[b]), (link.a, link.b));
    }
    assert_eq!(graph.chain_index(137).ok(), Some(2));
}

#[test]
fn a_pool_on_an_unknown_chain_is_an_internal_error_naming_it() {
    let err = Graph::build(&spec(&[], &[1], &[1, 999]), 6, 4).expect_err("chain 999 is unknown");
    assert!(matches!(err, Error::Internal(_)), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("chain 999"), "{message}");
    assert!(message.contains("pool 1"), "{message}");
    assert!(
        Graph::build(&spec(&[], &[1], &[1]), 6, 4)
            .expect("builds")
            .chain_index(999)
            .is_err()
    );
}

/// Every route a brute-force walk finds: all edge sequences of at most `max_hops` hops
/// from `src` to `dst` that visit no node twice, cross at most two links, never cross back
/// to a chain already left, and take a second background-AMM hop only as the last hop.
fn brute_force_routes(
    graph: &Graph,
    edges: &[Vec<super::Edge>],
    src: usize,
    dst: usize,
    max_hops: usize,
) -> Vec<Vec<super::Hop>> {
    use super::Hop;
    let link_ends = |hop: Hop| match hop {
        Hop::Link { link, forward } => {
            let l = &graph.links[link];
            Some(if forward { (l.a, l.b) } else { (l.b, l.a) })
        }
        _ => None,
    };
    let admissible = |nodes: &[usize], hops: &[Hop]| {
        let distinct = nodes
            .iter()
            .enumerate()
            .all(|(i, n)| !nodes[..i].contains(n));
        let links: Vec<(u64, u64)> = hops.iter().filter_map(|h| link_ends(*h)).collect();
        let no_return = links
            .iter()
            .enumerate()
            .all(|(j, (_, to))| links[..j].iter().all(|(from, _)| from != to));
        let amm_at: Vec<usize> = (0..hops.len())
            .filter(|i| matches!(hops[*i], Hop::Amm { .. }))
            .collect();
        let amms_ok = amm_at.len() <= 1 || (amm_at.len() == 2 && amm_at[1] == hops.len() - 1);
        distinct && links.len() <= 2 && no_return && amms_ok
    };
    let mut found = Vec::new();
    // Each walk: the node it ends at, the nodes it visited and its hops.
    let mut walks: Vec<(usize, Vec<usize>, Vec<Hop>)> = vec![(src, vec![src], Vec::new())];
    for _ in 0..max_hops {
        let mut next = Vec::new();
        for (at, nodes, hops) in walks {
            for edge in &edges[at] {
                let mut n = nodes.clone();
                let mut h = hops.clone();
                n.push(edge.to);
                h.push(edge.hop);
                if !admissible(&n, &h) {
                    continue;
                }
                if edge.to == dst {
                    found.push(h);
                } else {
                    next.push((edge.to, n, h));
                }
            }
        }
        walks = next;
    }
    found
}

#[test]
fn each_pair_gets_exactly_the_routes_a_brute_force_walk_finds() {
    // Two anchors on the hub and on two spokes (background AMMs between them), pools for
    // both anchors on the hub and two spokes, bridges between spokes: many routes per
    // pair, some through two AMMs or an endpoint on the way.
    let mut s = spec(&["USDC", "USDT"], &[1, 137, 56], &[1, 137, 56]);
    for chain in &mut s.chains[1..3] {
        chain.anchors.push("USDT".into());
    }
    let extra = |chain: u64, base: &str, quote: &str| PoolSpec {
        chain,
        base: base.into(),
        quote: quote.into(),
        ..s.pools[0].clone()
    };
    let more = [
        extra(HUB, "cUSDC", "USDC"),
        extra(HUB, "cUSDC", "USDT"),
        extra(1, "cWUSDC", "USDT"),
        extra(137, "cWUSDC", "USDT"),
        extra(HUB, "cUSDT", "USDT"),
        extra(1, "cWUSDT", "USDT"),
        extra(56, "cWUSDT", "USDC"),
    ];
    s.denominations.push("USDT".into());
    s.pools.extend(more);
    let max_hops = 8;
    let (mut graph, edges) = Graph::nodes_and_edges(&s).expect("builds");
    graph.enumerate_routes(&edges, max_hops, usize::MAX);
    let n = graph.endpoints.len();
    let mut pairs_with_many = 0;
    for si in 0..n {
        for di in (0..n).filter(|d| *d != si) {
            let (src, dst) = (graph.endpoints[si], graph.endpoints[di]);
            let mut got: Vec<Vec<super::Hop>> = graph
                .candidates(si, di)
                .iter()
                .map(|r| graph.routes[*r as usize].hops.clone())
                .filter(|h| h.as_slice() != [super::Hop::External])
                .collect();
            let mut want = brute_force_routes(&graph, &edges, src, dst, max_hops);
            pairs_with_many += usize::from(want.len() > 8);
            let key = |h: &Vec<super::Hop>| format!("{h:?}");
            got.sort_by_key(key);
            want.sort_by_key(key);
            assert_eq!(got, want, "pair {si} -> {di}");
        }
    }
    assert!(
        pairs_with_many > 10,
        "the graph is too small to test: {pairs_with_many}"
    );
}
