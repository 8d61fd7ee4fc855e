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
