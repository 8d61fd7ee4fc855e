//! Check of the scenario's graph: `graphMode`, `topology`, `chains`, `denominations`,
//! `pools`, `bridges`, `backgroundAmm` and `externalRoute`, resolved against the
//! deployment status into a `GraphSpec` (hub first, then the spokes in scenario order).

use super::types::{ChainSpec, GraphMode, GraphSpec, LinkCost, PoolSpec, Topology};
use crate::config::check::Checker;
use crate::config::deployment::Deployment;
use crate::config::raw::{RawBridges, RawScenario};
use crate::error::InputError;

fn link_cost(
    c: &Checker,
    fee_bps: f64,
    fixed: f64,
    latency: f64,
    premium_bps: f64,
    at: [&str; 4],
) -> Result<LinkCost, InputError> {
    Ok(LinkCost {
        fee: c.range(at[0], fee_bps, 0.0, 10_000.0)? / 1e4,
        fixed: c.non_negative(at[1], fixed)?,
        latency_hours: c.non_negative(at[2], latency)?,
        premium_per_hour: c.range(at[3], premium_bps, 0.0, 10_000.0)? / 1e4,
    })
}

pub(super) fn check_graph(
    raw: &RawScenario,
    deployment: &Deployment,
    c: &Checker,
) -> Result<GraphSpec, InputError> {
    let mode = match c.choice("graphMode", &raw.graph_mode, &["design", "deployed"])? {
        "design" => GraphMode::Design,
        _ => GraphMode::Deployed,
    };
    let topology = match c.choice("topology", &raw.topology, &["hub_only", "full_quote"])? {
        "hub_only" => Topology::HubOnly,
        _ => Topology::FullQuote,
    };
    let hub = deployment.hub_chain_id;
    let mut ids = vec![hub];
    for (i, id) in raw.chains.iter().enumerate() {
        if deployment.chain(*id).is_none() {
            return Err(c.error(
                &format!("chains[{i}]"),
                format!("chain {id} is not in deployment-status.json"),
            ));
        }
        if ids.contains(id) {
            return Err(c.error(
                &format!("chains[{i}]"),
                format!("chain {id} is listed twice (the hub {hub} is always included)"),
            ));
        }
        ids.push(*id);
    }
    if raw.denominations.is_empty() {
        return Err(c.error(
            "denominations",
            "expected at least one denomination, e.g. [\"USDC\"]",
        ));
    }
    for (i, denom) in raw.denominations.iter().enumerate() {
        c.name(&format!("denominations[{i}]"), denom)?;
        if raw.denominations[..i].contains(denom) {
            return Err(c.error(
                &format!("denominations[{i}]"),
                format!("`{denom}` is listed twice"),
            ));
        }
    }
    let chains: Vec<ChainSpec> = ids
        .iter()
        .filter_map(|id| deployment.chain(*id))
        .map(|ch| ChainSpec {
            id: ch.chain_id,
            name: ch.name.clone(),
            anchors: if ch.chain_id == hub {
                Vec::new()
            } else {
                ch.anchors.clone()
            },
        })
        .collect();
    let pools = match mode {
        GraphMode::Design => design_pools(raw, &chains, topology, c)?,
        GraphMode::Deployed => deployed_pools(&ids, deployment),
    };
    let b: &RawBridges = &raw.bridges;
    let spoke_links = c.choice("bridges.spokeLinks", &b.spoke_links, &["all", "none"])? == "all";
    let bridge = link_cost(
        c,
        b.fee_bps,
        b.fixed_cost_usd,
        b.latency_hours,
        b.latency_premium_bps_per_hour,
        [
            "bridges.feeBps",
            "bridges.fixedCostUsd",
            "bridges.latencyHours",
            "bridges.latencyPremiumBpsPerHour",
        ],
    )?;
    let hub_link = link_cost(
        c,
        b.hub_fee_bps,
        b.hub_fixed_cost_usd,
        b.hub_latency_hours,
        b.latency_premium_bps_per_hour,
        [
            "bridges.hubFeeBps",
            "bridges.hubFixedCostUsd",
            "bridges.hubLatencyHours",
            "bridges.latencyPremiumBpsPerHour",
        ],
    )?;
    Ok(GraphSpec {
        hub,
        mode,
        topology,
        chains,
        denominations: raw.denominations.clone(),
        pools,
        spoke_links,
        bridge,
        hub_link,
        amm_fee: c.range(
            "backgroundAmm.feeBps",
            raw.background_amm.fee_bps,
            0.0,
            10_000.0,
        )? / 1e4,
        amm_depth: c.positive("backgroundAmm.depthUsd", raw.background_amm.depth_usd)?,
        external_cost: c.range(
            "externalRoute.costBps",
            raw.external_route.cost_bps,
            0.0,
            10_000.0,
        )? / 1e4,
        external_fixed: c.non_negative(
            "externalRoute.fixedCostUsd",
            raw.external_route.fixed_cost_usd,
        )?,
    })
}

fn design_pools(
    raw: &RawScenario,
    chains: &[ChainSpec],
    topology: Topology,
    c: &Checker,
) -> Result<Vec<PoolSpec>, InputError> {
    let depth = c.positive("pools.depthUsd", raw.pools.depth_usd)?;
    let k = c.range("pools.k", raw.pools.k, 0.0, 1.0)?;
    let fee = c.range("pools.feeBps", raw.pools.fee_bps, 0.0, 1_000.0)? / 1e4;
    let mut pools = Vec::new();
    for chain in chains.iter().filter(|ch| !ch.anchors.is_empty()) {
        let quotes: &[String] = match topology {
            Topology::HubOnly => &chain.anchors[..1],
            Topology::FullQuote => &chain.anchors,
        };
        for denom in &raw.denominations {
            for quote in quotes {
                pools.push(PoolSpec {
                    chain: chain.id,
                    base: format!("cW{denom}"),
                    quote: quote.clone(),
                    depth,
                    k,
                    fee,
                });
            }
        }
    }
    Ok(pools)
}

fn deployed_pools(ids: &[u64], deployment: &Deployment) -> Vec<PoolSpec> {
    ids.iter()
        .filter_map(|id| deployment.chain(*id))
        .flat_map(|ch| {
            ch.pools
                .iter()
                .filter(|p| p.enabled)
                .map(move |p| PoolSpec {
                    chain: ch.chain_id,
                    base: p.base.clone(),
                    quote: p.quote.clone(),
                    depth: p.depth_usd,
                    k: p.k,
                    fee: p.fee_bps / 1e4,
                })
        })
        .collect()
}
