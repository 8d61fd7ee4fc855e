//! One Monte Carlo path: seeds its own RNG from `(seed, path index)`, steps the routing
//! layer through every epoch, and reduces the epochs to a `PathOutcome` plus its share
//! of the batch totals. It allocates nothing per epoch (scratch buffers are reused).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use rand::RngExt;
use rand_distr::StandardNormal;

use super::outcome::{BatchTotals, CapitalOutcome, PathOutcome, RoutingOutcome};
use super::setup::Setup;
use crate::model::flow::Trade;
use crate::model::overlay::{
    Candidate, CapitalTally, Overlay, OverlayDraws, OverlayState, RoutingPnl,
};
use crate::model::routing::Conditions;
use crate::model::routing::{EpochFlows, RouterScratch, RoutingLayer, RoutingState};
use crate::model::shocks::EpochShocks;
use crate::stats::quantile_sorted;

/// The RNG of path `index`: ChaCha8 seeded from `seed`, on stream `index`. Depends on
/// nothing else, so any subset of paths can run anywhere and give the same numbers.
pub fn path_rng(seed: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    rng
}

/// Reusable buffers for running paths on one thread.
#[derive(Debug, Clone)]
pub struct PathScratch {
    flows: EpochFlows,
    router: RouterScratch,
    trades: Vec<Trade>,
    capture: Vec<f64>,
    churn: Vec<f64>,
    route_volume: Vec<f64>,
    pool_net_abs: Vec<f64>,
    pool_abs: Vec<f64>,
    pool_peak_dev: Vec<f64>,
    link_peak: Vec<f64>,
    chain_outflow: Vec<f64>,
    chain_peak: Vec<f64>,
    pool_fees: Vec<f64>,
    chain_inject: Vec<f64>,
    chain_withdraw: Vec<f64>,
    /// Per link: the graph indices of its chains `a` and `b`.
    link_chains: Vec<(usize, usize)>,
}

impl PathScratch {
    pub fn new(setup: &Setup) -> Self {
        let g = &setup.graph;
        Self {
            flows: EpochFlows::new(g),
            router: RouterScratch::default(),
            trades: Vec::new(),
            capture: Vec::with_capacity(setup.scenario.monte_carlo.epochs as usize),
            churn: Vec::with_capacity(setup.scenario.monte_carlo.epochs as usize),
            route_volume: vec![0.0; g.routes.len()],
            pool_net_abs: vec![0.0; g.pools.len()],
            pool_abs: vec![0.0; g.pools.len()],
            pool_peak_dev: vec![0.0; g.pools.len()],
            link_peak: vec![0.0; g.links.len()],
            chain_outflow: vec![0.0; g.chains.len()],
            chain_peak: vec![0.0; g.chains.len()],
            pool_fees: vec![0.0; g.pools.len()],
            chain_inject: vec![0.0; g.chains.len()],
            chain_withdraw: vec![0.0; g.chains.len()],
            link_chains: g
                .links
                .iter()
                .map(|l| (chain_index(setup, l.a), chain_index(setup, l.b)))
                .collect(),
        }
    }

    fn reset(&mut self) {
        self.capture.clear();
        self.churn.clear();
        for v in [
            &mut self.route_volume,
            &mut self.pool_net_abs,
            &mut self.pool_abs,
            &mut self.pool_peak_dev,
            &mut self.link_peak,
            &mut self.chain_peak,
            &mut self.pool_fees,
            &mut self.chain_inject,
            &mut self.chain_withdraw,
        ] {
            v.fill(0.0);
        }
    }
}

/// Runs path `index` (with the capital overlay at `candidate` when the scenario has
/// capital) and adds its per-pool figures to `totals`.
pub fn simulate_path(
    setup: &Setup,
    index: u64,
    candidate: Option<Candidate>,
    scratch: &mut PathScratch,
    totals: &mut BatchTotals,
) -> PathOutcome {
    let layer = RoutingLayer::new(&setup.graph, setup.routing);
    simulate_path_with(setup, &layer, index, candidate, scratch, totals)
}

/// [`simulate_path`] with a routing layer built once for many paths (it holds per-route
/// tables that cost more to build than a short path costs to run).
pub fn simulate_path_with(
    setup: &Setup,
    layer: &RoutingLayer,
    index: u64,
    candidate: Option<Candidate>,
    scratch: &mut PathScratch,
    totals: &mut BatchTotals,
) -> PathOutcome {
    let mc = setup.scenario.monte_carlo;
    let mut rng = path_rng(mc.seed, index);
    let mut state = RoutingState::new(&setup.graph);
    let mut cond = setup.schedule.conditions[0].clone();
    let mut cond_id = 0;
    let mut out = RoutingOutcome::default();
    scratch.reset();
    let depth_total = setup.depth_total();
    let overlay = match (&setup.scenario.capital, candidate) {
        (Some(spec), Some(c)) => Some(Overlay::new(
            spec,
            &setup.policy,
            c,
            mc.dt(),
            2.0 * depth_total,
        )),
        _ => None,
    };
    let mut overlay_state = overlay.as_ref().map(Overlay::init);
    let mut tally = CapitalTally::new();
    for shocks in &setup.schedule.epochs {
        update_conditions(setup, shocks, &mut cond, &mut cond_id);
        draw_trades(setup, shocks, &mut rng, &mut scratch.trades);
        if let (Some(ov), Some(st)) = (&overlay, &mut overlay_state) {
            cond.pool_fee.fill(ov.policy_step(st, shocks, &mut tally));
        }
        layer.step(
            &mut state,
            &cond,
            &scratch.trades,
            &mut scratch.flows,
            &mut scratch.router,
        );
        if let (Some(ov), Some(st)) = (&overlay, &mut overlay_state) {
            let draws = draw_overlay(&mut rng);
            ov.settle(st, shocks, &routing_pnl(&scratch.flows), &draws, &mut tally);
        }
        record_epoch(setup, depth_total, &mut out, scratch);
    }
    finish_path(setup, &mut out, scratch, totals);
    let capital = overlay_state.map(|st| capital_outcome(&st, &tally));
    PathOutcome {
        routing: out,
        capital,
    }
}

/// Applies the epoch's bridge conditions when they changed.
pub fn update_conditions(
    setup: &Setup,
    shocks: &EpochShocks,
    cond: &mut Conditions,
    cond_id: &mut usize,
) {
    if shocks.conditions != *cond_id {
        *cond_id = shocks.conditions;
        let next = &setup.schedule.conditions[*cond_id];
        cond.link_down.clone_from(&next.link_down);
        cond.link_cost.clone_from(&next.link_cost);
        cond.link_latency.clone_from(&next.link_latency);
    }
}

/// Draws the epoch's trades (always first in the epoch's stream).
pub fn draw_trades(
    setup: &Setup,
    shocks: &EpochShocks,
    rng: &mut ChaCha8Rng,
    trades: &mut Vec<Trade>,
) {
    trades.clear();
    for _ in 0..setup.flow.trade_count(shocks.volume_multiplier) {
        trades.push(setup.flow.draw(rng));
    }
}

/// Draws the overlay's four numbers (always after the trades).
pub fn draw_overlay(rng: &mut ChaCha8Rng) -> OverlayDraws {
    OverlayDraws {
        z_asset: rng.sample(StandardNormal),
        z_sigma: rng.sample(StandardNormal),
        z_peg: rng.sample(StandardNormal),
        u_redeem: rng.random(),
    }
}

/// What the overlay needs from an epoch of routing.
pub fn routing_pnl(f: &EpochFlows) -> RoutingPnl {
    RoutingPnl {
        fees: f.fees(),
        value_change: f.value_change,
        intervention_cost: f.intervention_cost(),
        net_stable_sold: f.net_stable_sold,
    }
}

/// The per-path capital outcome at the end of the horizon.
pub fn capital_outcome(st: &OverlayState, tally: &CapitalTally) -> CapitalOutcome {
    let t_end = st.buckets.total();
    CapitalOutcome {
        roi: t_end / st.t0 - 1.0,
        pnl: t_end - st.t0,
        max_drawdown: tally.max_drawdown,
        liquidated: tally.liquidated,
        peg_deviation_epochs: tally.peg_deviation_epochs,
        floor_violations: tally.floor_violations,
        floor_unrepaired: tally.floor_unrepaired,
        throttle_events: tally.throttle_events,
        spread_events: tally.spread_events,
        breaker_epochs: tally.breaker_epochs,
        attribution: tally.attribution,
        min_peg: tally.min_peg,
    }
}

fn record_epoch(setup: &Setup, depth_total: f64, out: &mut RoutingOutcome, s: &mut PathScratch) {
    let f = &s.flows;
    if f.volume > 0.0 {
        s.capture.push(f.captured / f.volume);
    }
    let abs_total: f64 = f.pool_abs_change.iter().sum();
    s.churn.push(if depth_total > 0.0 {
        abs_total / depth_total
    } else {
        0.0
    });
    out.inject_cost += f.inject_cost.iter().sum::<f64>();
    out.withdraw_cost += f.withdraw_cost.iter().sum::<f64>();
    out.volume += f.volume;
    out.stalled += f.stalled;
    out.arb_volume += f.arb_volume;
    out.arb_profit += f.arb_profit;
    out.peak_dev_pre_arb_bps = out.peak_dev_pre_arb_bps.max(f.dev_pre_arb * 1e4);
    out.peak_dev_post_arb_bps = out.peak_dev_post_arb_bps.max(f.dev_post_arb * 1e4);
    out.peak_dev_post_bot_bps = out.peak_dev_post_bot_bps.max(f.dev_post_bot * 1e4);
    out.reflexive_routes += u64::from(f.reflexive_routes);
    out.fees += f.fees();
    // Only the routes used this epoch: adding the others' zeros changes no bit.
    for &r in f.used_routes() {
        s.route_volume[r as usize] += f.route_volume[r as usize];
    }
    for p in 0..f.pool_abs_change.len() {
        s.pool_net_abs[p] += f.pool_net_routing[p].abs();
        s.pool_abs[p] += f.pool_abs_change[p] / setup.graph.pools[p].depth;
        s.pool_peak_dev[p] = s.pool_peak_dev[p].max(f.pool_dev_post_arb[p] * 1e4);
    }
    add_into(&mut s.pool_fees, &f.pool_fees);
    add_into(&mut s.chain_inject, &f.inject_cost);
    add_into(&mut s.chain_withdraw, &f.withdraw_cost);
    s.chain_outflow.fill(0.0);
    for (l, &(a, b)) in s.link_chains.iter().enumerate() {
        let [ab, ba] = f.link_flow[l];
        s.link_peak[l] = s.link_peak[l].max(ab.max(ba));
        s.chain_outflow[a] += ab;
        s.chain_outflow[b] += ba;
    }
    for (peak, v) in s.chain_peak.iter_mut().zip(&s.chain_outflow) {
        *peak = peak.max(*v);
    }
}

fn chain_index(setup: &Setup, chain: u64) -> usize {
    setup
        .graph
        .chains
        .iter()
        .position(|c| *c == chain)
        .unwrap_or(0)
}

fn finish_path(
    setup: &Setup,
    out: &mut RoutingOutcome,
    s: &mut PathScratch,
    totals: &mut BatchTotals,
) {
    let epochs = setup.scenario.monte_carlo.epochs as f64;
    out.capture_mean = mean(&s.capture);
    out.churn_mean = mean(&s.churn);
    s.capture.sort_by(f64::total_cmp);
    s.churn.sort_by(f64::total_cmp);
    out.capture_p95 = if s.capture.is_empty() {
        0.0
    } else {
        quantile_sorted(&s.capture, 0.95)
    };
    out.churn_p95 = quantile_sorted(&s.churn, 0.95);
    out.churn_max = s.churn.last().copied().unwrap_or(0.0);
    let total: f64 = s.route_volume.iter().sum();
    out.path_concentration = if total > 0.0 {
        s.route_volume.iter().map(|v| (v / total).powi(2)).sum()
    } else {
        0.0
    };
    out.chain_peak_outflow = s.chain_peak.clone();
    totals.paths += 1;
    for p in 0..s.pool_abs.len() {
        totals.pool_net_flow[p] += s.pool_net_abs[p] / epochs;
        totals.pool_churn[p] += s.pool_abs[p];
        totals.pool_peak_dev_sum[p] += s.pool_peak_dev[p];
        totals.pool_peak_dev_max[p] = totals.pool_peak_dev_max[p].max(s.pool_peak_dev[p]);
    }
    add_into(&mut totals.pool_fees, &s.pool_fees);
    add_into(&mut totals.chain_inject, &s.chain_inject);
    add_into(&mut totals.chain_withdraw, &s.chain_withdraw);
    for (l, peak) in s.link_peak.iter().enumerate() {
        totals.link_peak_flow_sum[l] += peak;
        totals.link_peak_flow_max[l] = totals.link_peak_flow_max[l].max(*peak);
    }
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

fn add_into(acc: &mut [f64], v: &[f64]) {
    acc.iter_mut().zip(v).for_each(|(a, b)| *a += b);
}
