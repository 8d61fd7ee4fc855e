//! Invariants of the routing layer, checked through the library API (no CLI): the
//! router's water-filling, downed bridges, pools missing from the deployment, and the
//! arbitrage and inventory-bot steps. Small hand-made graphs keep the routes known; the
//! deployment test goes through the real config checks.

mod common;

use common::tol;
use pmmsim::config::parse::parse_json;
use pmmsim::config::raw::{RawDeployment, RawScenario};
use pmmsim::config::scenario::{
    ArbSpec, BotSpec, ChainSpec, GraphMode, GraphSpec, LinkCost, PoolSpec, RouterSpec, Topology,
};
use pmmsim::config::{ConfigSource, DEPLOYMENT_FILE, Deployment, Scenario};
use pmmsim::engine::path_rng;
use pmmsim::model::flow::{OrderFlow, Trade};
use pmmsim::model::graph::{Graph, Hop, amm_output, link_output};
use pmmsim::model::routing::{
    Conditions, EpochFlows, RouterScratch, RoutingLayer, RoutingParams, RoutingState,
};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const HUB: u64 = 138;

fn bps(v: f64) -> f64 {
    v / 1e4
}

fn chain(id: u64, anchors: &[&str]) -> ChainSpec {
    ChainSpec {
        id,
        name: format!("chain {id}"),
        anchors: anchors.iter().map(|a| a.to_string()).collect(),
    }
}

fn pool(chain: u64, base: &str, quote: &str, depth: f64) -> PoolSpec {
    PoolSpec {
        chain,
        base: base.into(),
        quote: quote.into(),
        depth,
        k: 0.25,
        fee: bps(5.0),
    }
}

fn cost(fee_bps: f64, fixed: f64, latency_hours: f64) -> LinkCost {
    LinkCost {
        fee: bps(fee_bps),
        fixed,
        latency_hours,
        premium_per_hour: bps(1.0),
    }
}

/// A design-mode graph over the hub and `chains`, one denomination (USDC).
fn spec(
    chains: Vec<ChainSpec>,
    pools: Vec<PoolSpec>,
    spoke_links: bool,
    hub_fee_bps: f64,
) -> GraphSpec {
    let mut all = vec![chain(HUB, &[])];
    all.extend(chains);
    GraphSpec {
        hub: HUB,
        mode: GraphMode::Design,
        topology: Topology::FullQuote,
        chains: all,
        denominations: vec!["USDC".into()],
        pools,
        spoke_links,
        bridge: cost(4.0, 2.0, 0.5),
        hub_link: cost(hub_fee_bps, 1.0, 0.25),
        amm_fee: bps(5.0),
        amm_depth: 200e6,
        external_cost: bps(12.0),
        external_fixed: 10.0,
    }
}

fn params(chunks: usize, arb_threshold_bps: f64) -> RoutingParams {
    RoutingParams {
        router: RouterSpec {
            max_paths: 3,
            chunks,
            max_hops: 6,
            max_cost: 0.5,
        },
        arbitrage: ArbSpec {
            threshold: bps(arb_threshold_bps),
            max_fraction: 0.25,
        },
        bot: BotSpec {
            low_water: 0.75,
            high_water: 1.25,
            max_fraction: 0.25,
        },
    }
}

/// The routing graph of a checked scenario, built as a run builds it.
fn shipped_graph(scenario: &Scenario) -> Graph {
    let router = scenario.router;
    Graph::build(&scenario.graph, router.max_hops, 2 * router.max_paths).expect("graph builds")
}

/// A checked scenario's own router, arbitrage and bot settings.
fn scenario_params(scenario: &Scenario) -> RoutingParams {
    RoutingParams {
        router: scenario.router,
        arbitrage: scenario.arbitrage,
        bot: scenario.bot,
    }
}

/// Index into `graph.endpoints` of `(chain, token)`.
fn endpoint(graph: &Graph, chain: u64, token: &str) -> u16 {
    let node = graph
        .find(chain, token)
        .unwrap_or_else(|| panic!("no node {chain}:{token}"));
    let pos = graph
        .endpoints
        .iter()
        .position(|n| *n == node)
        .unwrap_or_else(|| panic!("{chain}:{token} is not an endpoint"));
    pos as u16
}

fn link_between(graph: &Graph, a: u64, b: u64) -> usize {
    graph
        .links
        .iter()
        .position(|l| (l.a == a && l.b == b) || (l.a == b && l.b == a))
        .unwrap_or_else(|| panic!("no link {a}-{b}"))
}

fn pool_index(pools: &[PoolSpec], chain: u64, base: &str, quote: &str) -> Option<usize> {
    pools
        .iter()
        .position(|p| p.chain == chain && p.base == base && p.quote == quote)
}

/// Executes `x` along `route` on `state` the way the router does (pools, fees, AMM
/// reserves, links), for probing a route's price impact outside the router.
fn push_chunk(
    graph: &Graph,
    state: &mut RoutingState,
    cond: &Conditions,
    route: u32,
    mut x: f64,
) -> f64 {
    for hop in &graph.routes[route as usize].hops {
        x = match *hop {
            Hop::Pool { pool, sell_base } => {
                let p = &mut state.pools[pool];
                let out = if sell_base {
                    p.sell_base(x)
                } else {
                    p.sell_quote(x)
                };
                out * (1.0 - cond.pool_fee[pool])
            }
            Hop::Link { link, .. } => link_output(
                &graph.links[link].cost,
                x,
                cond.link_cost[link],
                cond.link_latency[link],
            ),
            Hop::Amm { amm, forward } => {
                let r = &mut state.amms[amm];
                let (i_in, i_out) = if forward { (0, 1) } else { (1, 0) };
                let out = amm_output(r[i_in], r[i_out], graph.amm_fee, x);
                r[i_in] += x;
                r[i_out] -= out;
                out
            }
            Hop::External => (x * (1.0 - graph.external_cost) - graph.external_fixed).max(0.0),
        };
    }
    x
}

/// Pools and AMMs a route passes through (its stateful hops).
fn stateful_hops(graph: &Graph, route: u32) -> Vec<Hop> {
    graph.routes[route as usize]
        .hops
        .iter()
        .filter_map(|h| match *h {
            Hop::Pool { pool, .. } => Some(Hop::Pool {
                pool,
                sell_base: true,
            }),
            Hop::Amm { amm, .. } => Some(Hop::Amm { amm, forward: true }),
            _ => None,
        })
        .collect()
}

/// Largest minus smallest one-chunk quote over `routes`, and the largest one-chunk impact.
fn spread_and_impact(
    layer: &RoutingLayer,
    state: &RoutingState,
    cond: &Conditions,
    routes: &[u32],
    chunk: f64,
) -> (f64, f64, Vec<f64>) {
    let quotes: Vec<f64> = routes
        .iter()
        .map(|r| layer.quote(state, cond, *r, chunk))
        .collect();
    let impact = routes
        .iter()
        .zip(&quotes)
        .map(|(r, q)| {
            let mut probe = state.clone();
            push_chunk(layer.graph, &mut probe, cond, *r, chunk);
            q - layer.quote(&probe, cond, *r, chunk)
        })
        .fold(0.0, f64::max);
    let hi = quotes.iter().copied().fold(f64::MIN, f64::max);
    let lo = quotes.iter().copied().fold(f64::MAX, f64::min);
    (hi - lo, impact, quotes)
}

#[test]
fn water_filling_equalises_marginal_outputs() {
    // Hub canonical cUSDC to Ethereum USDC has exactly two routes: mint into cWUSDC and
    // sell it in the cWUSDC/USDC pool, or sell it in the cWUSDC/USDT pool and swap the
    // USDT in the background AMM. They share only the (stateless) mint link.
    let depth = 2e6;
    let s = spec(
        vec![chain(1, &["USDC", "USDT"])],
        vec![
            pool(1, "cWUSDC", "USDC", depth),
            pool(1, "cWUSDC", "USDT", depth),
        ],
        true,
        2.0,
    );
    let graph = Graph::build(&s, 6, 8).expect("graph builds");
    let chunks = 64;
    let layer = RoutingLayer::new(&graph, params(chunks, 40.0));
    let (src, dst) = (endpoint(&graph, HUB, "cUSDC"), endpoint(&graph, 1, "USDC"));
    let cands = graph.candidates(src as usize, dst as usize).to_vec();
    assert_eq!(
        cands.len(),
        2,
        "expected exactly the two routes described above"
    );
    let (a, b) = (
        stateful_hops(&graph, cands[0]),
        stateful_hops(&graph, cands[1]),
    );
    assert!(
        a.iter().all(|h| !b.contains(h)),
        "the two routes must share no pool or AMM"
    );

    let size = 1e6;
    let chunk = size / chunks as f64;
    let cond = Conditions::calm(&graph);
    let mut state = RoutingState::new(&graph);
    let mut flows = EpochFlows::new(&graph);
    let mut scratch = RouterScratch::default();
    layer.route_trade(
        &mut state,
        &cond,
        Trade { src, dst, size },
        &mut flows,
        &mut scratch,
    );

    assert_eq!(flows.stalled, 0.0);
    assert!(
        (flows.volume - size).abs() <= tol::ROUTED_VOLUME_REL * size,
        "volume {}",
        flows.volume
    );
    let used: Vec<u32> = cands
        .iter()
        .copied()
        .filter(|r| flows.route_volume[*r as usize] > 0.0)
        .collect();
    assert_eq!(
        used.len(),
        2,
        "a 1M trade over two 2M pools should split: {:?}",
        flows.route_volume
    );

    let (spread, impact, quotes) = spread_and_impact(&layer, &state, &cond, &used, chunk);
    let tolerance = tol::WATER_FILL_CHUNK_IMPACTS * impact + tol::QUOTE_FLOAT_REL * chunk;
    assert!(impact > 0.0);
    assert!(
        spread <= tolerance,
        "marginal one-chunk outputs {quotes:?} differ by {spread}, more than one chunk's impact {impact}"
    );

    // Negative control: the same trade sent down the best route alone leaves marginal
    // outputs far apart, so the check above can tell a split from no split.
    let mut single = RoutingState::new(&graph);
    for _ in 0..chunks {
        push_chunk(&graph, &mut single, &cond, cands[0], chunk);
    }
    let (spread, impact, _) = spread_and_impact(&layer, &single, &cond, &cands, chunk);
    assert!(
        spread > tol::WATER_FILL_CHUNK_IMPACTS * impact + tol::QUOTE_FLOAT_REL * chunk,
        "control: a single-route fill should fail the tolerance ({spread} vs {impact})"
    );
}

/// Hub, Ethereum and Polygon with one USDC pool each and a direct 1-137 bridge that is
/// cheaper than going through the hub (hub links at 10 bps each).
fn two_spoke_graph() -> Graph {
    let s = spec(
        vec![chain(1, &["USDC"]), chain(137, &["USDC"])],
        vec![
            pool(1, "cWUSDC", "USDC", 2e6),
            pool(137, "cWUSDC", "USDC", 2e6),
        ],
        true,
        10.0,
    );
    Graph::build(&s, 6, 8).expect("graph builds")
}

fn route_uses_link(graph: &Graph, route: usize, link: usize) -> bool {
    graph.routes[route]
        .hops
        .iter()
        .any(|h| matches!(*h, Hop::Link { link: l, .. } if l == link))
}

#[test]
fn downed_bridge_carries_no_flow() {
    let graph = two_spoke_graph();
    let layer = RoutingLayer::new(&graph, params(8, 40.0));
    let bridge = link_between(&graph, 1, 137);
    let (eth, pol) = (endpoint(&graph, 1, "USDC"), endpoint(&graph, 137, "USDC"));
    let trades: Vec<Trade> = (0..200)
        .map(|i| {
            let size = 5_000.0 + 2_500.0 * (i % 40) as f64;
            let (src, dst) = if i % 2 == 0 { (eth, pol) } else { (pol, eth) };
            Trade { src, dst, size }
        })
        .collect();
    let run = |cond: &Conditions| {
        let mut state = RoutingState::new(&graph);
        let mut flows = EpochFlows::new(&graph);
        let mut scratch = RouterScratch::default();
        for t in &trades {
            layer.route_trade(&mut state, cond, *t, &mut flows, &mut scratch);
        }
        flows
    };

    let up = run(&Conditions::calm(&graph));
    assert!(
        up.link_flow[bridge][0] > 0.0 && up.link_flow[bridge][1] > 0.0,
        "control: with the bridge up it carries flow both ways: {:?}",
        up.link_flow[bridge]
    );

    let mut cond = Conditions::calm(&graph);
    cond.link_down[bridge] = true;
    let down = run(&cond);
    assert_eq!(down.link_flow[bridge], [0.0, 0.0]);
    for (r, v) in down.route_volume.iter().enumerate() {
        assert!(
            !(route_uses_link(&graph, r, bridge) && *v > 0.0),
            "route {r} crossed the downed bridge"
        );
    }
    let offered: f64 = trades.iter().map(|t| t.size).sum();
    assert!(
        down.volume > tol::REROUTED_FLOW_MIN_SHARE * offered,
        "flow should still arrive via the hub or the external route: {} of {offered}",
        down.volume
    );
    assert!(
        down.link_flow
            .iter()
            .enumerate()
            .any(|(l, f)| l != bridge && f[0] + f[1] > 0.0)
    );
}

/// Random order flow on a shipped scenario: the link that carries the most flow when up
/// carries none when down. (With the shipped costs a spoke bridge never beats two hub
/// hops, so the busiest link is a hub mint/burn link.)
#[test]
fn downed_link_in_a_shipped_scenario_under_random_flow() {
    let source = ConfigSource::default();
    let policy = source.policy(None).expect("shipped policy");
    let deployment = source.deployment().expect("shipped deployment");
    let scenario = source
        .scenario("full_quote_1_56_137", &deployment, &policy)
        .expect("shipped scenario");
    let graph = shipped_graph(&scenario);
    let flow = OrderFlow::new(&graph, &scenario.flow).expect("order flow builds");
    let layer = RoutingLayer::new(&graph, scenario_params(&scenario));
    let run = |cond: &Conditions| {
        let mut rng = path_rng(7, 0);
        let mut state = RoutingState::new(&graph);
        let mut flows = EpochFlows::new(&graph);
        let mut scratch = RouterScratch::default();
        let mut carried = vec![0.0; graph.links.len()];
        let mut volume = 0.0;
        for _epoch in 0..20 {
            let trades: Vec<Trade> = (0..100).map(|_| flow.draw(&mut rng)).collect();
            layer.step(&mut state, cond, &trades, &mut flows, &mut scratch);
            for (c, f) in carried.iter_mut().zip(&flows.link_flow) {
                *c += f[0] + f[1];
            }
            volume += flows.volume;
        }
        (carried, volume)
    };
    let (carried_up, volume_up) = run(&Conditions::calm(&graph));
    let busiest = (0..graph.links.len())
        .max_by(|a, b| carried_up[*a].total_cmp(&carried_up[*b]))
        .expect("the graph has links");
    assert!(
        carried_up[busiest] > 0.0,
        "control: some link carries flow when every link is up"
    );
    let mut cond = Conditions::calm(&graph);
    cond.link_down[busiest] = true;
    let (carried_down, volume_down) = run(&cond);
    assert_eq!(carried_down[busiest], 0.0, "link {busiest} is down");
    assert!(
        volume_down > tol::REROUTED_FLOW_MIN_SHARE * volume_up,
        "flow still arrives by other routes: {volume_down} vs {volume_up}"
    );
}

/// The shipped three-chain scenario in `graph_mode`, checked against `deployment`.
fn scenario_with(graph_mode: &str, deployment: &Deployment) -> Scenario {
    let source = ConfigSource::default();
    let policy = source.policy(None).expect("shipped policy");
    let file = source
        .scenario_text("full_quote_1_56_137")
        .expect("shipped scenario");
    let mut raw: RawScenario = parse_json(&file.text, &file.display).expect("parses");
    raw.graph_mode = graph_mode.into();
    Scenario::check(raw, deployment, &policy, "test-scenario.json").expect("valid scenario")
}

/// Routes trades from Polygon USDT to the other chains' anchors; returns the flows.
fn route_from_polygon_usdt(scenario: &Scenario) -> (Graph, EpochFlows) {
    let graph = shipped_graph(scenario);
    let layer = RoutingLayer::new(&graph, params(scenario.router.chunks, 40.0));
    let src = endpoint(&graph, 137, "USDT");
    let dsts = [
        endpoint(&graph, 56, "USDT"),
        endpoint(&graph, 1, "USDT"),
        endpoint(&graph, 137, "USDC"),
    ];
    let cond = Conditions::calm(&graph);
    let mut state = RoutingState::new(&graph);
    let mut flows = EpochFlows::new(&graph);
    let mut scratch = RouterScratch::default();
    for i in 0..60 {
        let trade = Trade {
            src,
            dst: dsts[i % dsts.len()],
            size: 20_000.0 + 5_000.0 * (i % 7) as f64,
        };
        layer.route_trade(&mut state, &cond, trade, &mut flows, &mut scratch);
    }
    (graph, flows)
}

#[test]
fn disabled_pool_gets_no_flow() {
    let (chain_id, base, quote) = (137, "cWUSDT", "USDT");
    let source = ConfigSource::default();
    let file = source.read(DEPLOYMENT_FILE).expect("shipped deployment");
    let shipped: RawDeployment = parse_json(&file.text, &file.display).expect("parses");
    let mut raw = shipped.clone();
    let entry = raw
        .chains
        .iter_mut()
        .find(|c| c.chain_id == chain_id)
        .and_then(|c| {
            c.pools
                .iter_mut()
                .find(|p| p.base == base && p.quote == quote)
        })
        .expect("the shipped deployment lists Polygon cWUSDT/USDT");
    entry.enabled = false;
    let disabled = Deployment::check(raw, "custom-deployment.json").expect("valid deployment");
    let enabled = Deployment::check(shipped, "deployment.json").expect("valid deployment");

    // Deployed graph with the pool disabled: not in the graph, on no route, no flow.
    let scenario = scenario_with("deployed", &disabled);
    assert_eq!(
        pool_index(&scenario.graph.pools, chain_id, base, quote),
        None
    );
    let (graph, flows) = route_from_polygon_usdt(&scenario);
    assert_eq!(pool_index(&graph.pools, chain_id, base, quote), None);
    let (nb, nq) = (graph.find(chain_id, base), graph.find(chain_id, quote));
    for (si, src) in graph.endpoints.iter().enumerate() {
        for di in 0..graph.endpoints.len() {
            for r in graph.candidates(si, di) {
                let route = &graph.routes[*r as usize];
                for hop in &route.hops {
                    if let Hop::Pool { pool, .. } = *hop {
                        let p = &graph.pools[pool];
                        let ends = (graph.find(p.chain, &p.base), graph.find(p.chain, &p.quote));
                        assert!(
                            ends != (nb, nq),
                            "route {} trades {chain_id}:{base}/{quote}",
                            graph.describe(route, *src)
                        );
                    }
                }
            }
        }
    }
    assert!(
        flows.volume > 0.0,
        "Polygon USDT still routes through the other pools"
    );

    // Contrast: the same pool enabled, and in a design graph, gets flow.
    for (mode, deployment) in [("deployed", &enabled), ("design", &disabled)] {
        let scenario = scenario_with(mode, deployment);
        let (graph, flows) = route_from_polygon_usdt(&scenario);
        let p = pool_index(&graph.pools, chain_id, base, quote)
            .unwrap_or_else(|| panic!("{mode}: the pool is in the graph"));
        assert!(flows.pool_abs_change[p] > 0.0, "{mode}: the pool gets flow");
    }
}

#[test]
fn arbitrage_never_widens_a_deviation() {
    let graph = two_spoke_graph();
    let threshold_bps = 40.0;
    // The bot's band is opened wide so that the state after `step` is the state after
    // arbitrage, whose signed deviations can then be read back.
    let mut p = params(8, threshold_bps);
    p.bot.low_water = 0.0;
    p.bot.high_water = 10.0;
    let layer = RoutingLayer::new(&graph, p);
    let (eth, pol, hub) = (
        endpoint(&graph, 1, "USDC"),
        endpoint(&graph, 137, "USDC"),
        endpoint(&graph, HUB, "cUSDC"),
    );
    // Each epoch, Ethereum USDC -> hub pushes Ethereum's pool up (cW bought out of it)
    // and hub -> Polygon USDC pushes Polygon's pool down (cW sold into it), both by
    // roughly 100 bps: past the threshold, within one epoch's arbitrage cap.
    let trades: Vec<Trade> = (0..5)
        .flat_map(|_| {
            [
                Trade {
                    src: eth,
                    dst: hub,
                    size: 10_000.0,
                },
                Trade {
                    src: hub,
                    dst: pol,
                    size: 10_000.0,
                },
            ]
        })
        .collect();
    let cond = Conditions::calm(&graph);
    let mut state = RoutingState::new(&graph);
    let mut scratch = RouterScratch::default();
    for _epoch in 0..4 {
        // The pre-arbitrage deviations: the same routing on a copy of the state.
        let mut copy = state.clone();
        copy.amms.fill([graph.amm_depth; 2]); // as `step` does at the start of an epoch
        let mut scratch_flows = EpochFlows::new(&graph);
        for t in &trades {
            layer.route_trade(&mut copy, &cond, *t, &mut scratch_flows, &mut scratch);
        }
        let signed_pre: Vec<f64> = copy.pools.iter().map(|p| p.deviation()).collect();
        let pre: Vec<f64> = signed_pre.iter().map(|d| d.abs()).collect();

        let mut flows = EpochFlows::new(&graph);
        layer.step(&mut state, &cond, &trades, &mut flows, &mut scratch);
        assert_eq!(
            flows.dev_pre_arb,
            pre.iter().copied().fold(0.0, f64::max),
            "copy reproduces the step's routing"
        );
        assert!(
            pre.iter()
                .any(|d| *d > bps(threshold_bps) + tol::DEVIATION_ABS),
            "the flow must push a pool past the threshold: {pre:?}"
        );
        assert!(flows.arb_volume > 0.0);
        for (i, (post, pre)) in flows.pool_dev_post_arb.iter().zip(&pre).enumerate() {
            let bound = bps(threshold_bps).max(*pre);
            assert!(
                *post <= bound + tol::DEVIATION_ABS,
                "pool {i}: post-arb |dev| {post} > max(threshold, pre {pre})"
            );
            if *pre > bps(threshold_bps) + tol::DEVIATION_ABS {
                assert!(post < pre, "pool {i}: arbitrage did not reduce |dev| {pre}");
            }
            // Arbitrage pulls a pool back toward the peg; it never pushes it past the
            // threshold on the other side.
            let signed_post = state.pools[i].deviation();
            assert!(
                (signed_post.abs() - post).abs() <= tol::DEVIATION_ABS,
                "the bot stayed idle"
            );
            assert!(
                signed_post * signed_pre[i] >= 0.0
                    || signed_post.abs() <= bps(threshold_bps) + tol::DEVIATION_ABS,
                "pool {i}: deviation flipped from {} to {signed_post}",
                signed_pre[i]
            );
        }
    }
}

#[test]
fn bot_moves_inventory_toward_target() {
    let s = spec(
        vec![
            chain(1, &["USDC"]),
            chain(137, &["USDC"]),
            chain(56, &["USDC"]),
        ],
        vec![
            pool(1, "cWUSDC", "USDC", 1e6),
            pool(137, "cWUSDC", "USDC", 1e6),
            pool(56, "cWUSDC", "USDC", 1e6),
        ],
        true,
        2.0,
    );
    let graph = Graph::build(&s, 6, 8).expect("graph builds");
    // Threshold 10 000 bps: arbitrage never acts, so only the bot moves inventory.
    let layer = RoutingLayer::new(&graph, params(8, 10_000.0));
    let target = 1e6;
    let chain_idx = |id: u64| graph.chains.iter().position(|c| *c == id).expect("chain");
    let start = || {
        let mut state = RoutingState::new(&graph);
        state.pools[0].set_balances(1.5e6, 0.5e6); // chain 1: quote below lowWater
        state.pools[1].set_balances(0.5e6, 1.5e6); // chain 137: quote above highWater
        state // chain 56: at target, inside the band
    };
    let mut state = start();
    let before: Vec<f64> = state.pools.iter().map(|p| p.quote).collect();
    let mut flows = EpochFlows::new(&graph);
    let mut scratch = RouterScratch::default();
    let cond = Conditions::calm(&graph);
    layer.step(&mut state, &cond, &[], &mut flows, &mut scratch);
    assert_eq!(flows.arb_volume, 0.0);
    let after: Vec<f64> = state.pools.iter().map(|p| p.quote).collect();

    assert!(
        after[0] > before[0] && after[0] <= target,
        "inject toward target: {} -> {}",
        before[0],
        after[0]
    );
    assert!(
        after[1] < before[1] && after[1] >= target,
        "withdraw toward target: {} -> {}",
        before[1],
        after[1]
    );
    assert_eq!(after[2], before[2], "a pool inside the band is left alone");
    assert!(flows.inject_cost[chain_idx(1)] > 0.0);
    assert!(flows.withdraw_cost[chain_idx(137)] > 0.0);
    assert_eq!(
        flows.inject_cost[chain_idx(56)] + flows.withdraw_cost[chain_idx(56)],
        0.0
    );

    // With chain 1's hub link down the bot cannot reach that pool.
    let mut down = Conditions::calm(&graph);
    down.link_down[link_between(&graph, HUB, 1)] = true;
    let mut state = start();
    layer.step(&mut state, &down, &[], &mut flows, &mut scratch);
    assert_eq!(state.pools[0].quote, before[0]);
    assert!(state.pools[1].quote < before[1]);
}

/// Random trades between random endpoints of `graph`, log-uniform from 100 USD to
/// `max_size`.
fn random_trades(graph: &Graph, rng: &mut ChaCha8Rng, n: usize, max_size: f64) -> Vec<Trade> {
    let endpoints = graph.endpoints.len() as u16;
    (0..n)
        .map(|_| Trade {
            src: rng.random_range(0..endpoints),
            dst: rng.random_range(0..endpoints),
            size: 100.0 * (max_size / 100.0).powf(rng.random::<f64>()),
        })
        .collect()
}

#[test]
fn the_router_never_gives_a_trader_less_than_chunk_by_chunk_water_filling() {
    // The router sends a trade whole down its best route when water-filling would give
    // that route every chunk; otherwise it water-fills chunk by chunk. On random trades
    // from random pool states of the shipped graphs (deployed and design, calm and with
    // dearer, slower or downed links), it must deliver at least what executing every
    // chunk one after the other delivers, and sometimes strictly more (one link fixed
    // cost instead of one per chunk).
    let source = ConfigSource::default();
    let policy = source.policy(None).expect("shipped policy");
    let deployment = source.deployment().expect("shipped deployment");
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let (mut compared, mut whole, mut better) = (0usize, 0usize, 0usize);
    for name in [
        "chain138_deployed_capital_efficiency",
        "hub_only_11",
        "full_quote_1_56_137",
        "bridge_shock_137_56",
    ] {
        let scenario = source
            .scenario(name, &deployment, &policy)
            .expect("shipped scenario");
        let graph = shipped_graph(&scenario);
        let layer = RoutingLayer::new(&graph, scenario_params(&scenario));
        let depth = graph.pools.iter().map(|p| p.depth).fold(0.0, f64::max);
        for round in 0..4 {
            let mut cond = Conditions::calm(&graph);
            if round >= 2 {
                for l in 0..graph.links.len() {
                    cond.link_cost[l] = rng.random_range(1.0..4.0);
                    cond.link_latency[l] = rng.random_range(1.0..3.0);
                    cond.link_down[l] = rng.random::<f64>() < 0.2;
                }
            }
            // A random state: the pools pushed around by a few hundred trades.
            let mut state = RoutingState::new(&graph);
            let mut flows = EpochFlows::new(&graph);
            let mut scratch = RouterScratch::default();
            for t in random_trades(&graph, &mut rng, 300, 0.2 * depth) {
                layer.route_trade_chunk_by_chunk(&mut state, &cond, t, &mut flows, &mut scratch);
            }
            for trade in random_trades(&graph, &mut rng, 250, 0.5 * depth) {
                let (mut ours, mut reference) = (state.clone(), state.clone());
                let mut ours_flows = EpochFlows::new(&graph);
                let mut ref_flows = EpochFlows::new(&graph);
                layer.route_trade(&mut ours, &cond, trade, &mut ours_flows, &mut scratch);
                layer.route_trade_chunk_by_chunk(
                    &mut reference,
                    &cond,
                    trade,
                    &mut ref_flows,
                    &mut scratch,
                );
                let slack = tol::ROUTER_QUALITY_REL * trade.size;
                assert!(
                    ours_flows.delivered >= ref_flows.delivered - slack,
                    "{name}, round {round}, {trade:?}: the router delivers {} but chunk by \
                     chunk delivers {} (volumes {} and {})",
                    ours_flows.delivered,
                    ref_flows.delivered,
                    ours_flows.volume,
                    ref_flows.volume
                );
                compared += 1;
                whole += usize::from(
                    ours_flows.used_routes().len() == 1
                        && ours_flows.volume == trade.size
                        && ref_flows.volume == trade.size,
                );
                better += usize::from(ours_flows.delivered > ref_flows.delivered + slack);
            }
        }
    }
    // The counts docs/performance.md quotes (shown with `-- --nocapture`).
    eprintln!("{compared} trades compared, {whole} sent whole, {better} delivered more");
    // The comparison must exercise both branches: trades sent whole, and trades the
    // router sends chunk by chunk (where it is the reference, bit for bit).
    assert!(compared == 4 * 4 * 250, "{compared} trades compared");
    assert!(
        whole > compared / 4,
        "only {whole} of {compared} trades went whole"
    );
    assert!(better > 0, "no trade was routed better than chunk by chunk");
}
