//! One Monte Carlo path of a single run: steps it through every epoch with
//! [`PathRun`](super::epoch::PathRun) and reduces the epochs' routing flows to a
//! `PathOutcome` plus its share of the batch totals (weighted by the path's importance
//! weight in a `--rare-events` run). It allocates nothing per epoch (scratch buffers are
//! reused).

use super::epoch::{EpochScratch, PathRun};
use super::outcome::{BatchTotals, PathOutcome, RoutingOutcome};
use super::setup::Setup;
use crate::model::overlay::Candidate;
use crate::model::routing::{EpochFlows, RoutingLayer};
use crate::stats::quantile_sorted;

/// Reusable buffers for running paths on one thread.
#[derive(Debug, Clone)]
pub struct PathScratch {
    epoch: EpochScratch,
    tally: RoutingTally,
    /// The last path's `(capital, drawdown)` at the end of each epoch (empty for routing
    /// only); see [`PathScratch::capital_series`].
    series: Vec<(f64, f64)>,
}

impl PathScratch {
    pub fn new(setup: &Setup) -> Self {
        Self {
            epoch: EpochScratch::new(&setup.graph),
            tally: RoutingTally::new(setup),
            series: Vec::with_capacity(setup.scenario.monte_carlo.epochs as usize),
        }
    }

    /// The capital `T` (USD) and the drawdown of the time-weighted return index (share)
    /// at the end of each epoch of the path last simulated with this scratch; empty for
    /// a routing-only path.
    pub fn capital_series(&self) -> &[(f64, f64)] {
        &self.series
    }
}

/// A path's routing figures so far, per epoch, route, pool, link and chain.
#[derive(Debug, Clone)]
struct RoutingTally {
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
}

impl RoutingTally {
    fn new(setup: &Setup) -> Self {
        let g = &setup.graph;
        Self {
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
    let mut out = RoutingOutcome::default();
    let tally = &mut scratch.tally;
    tally.reset();
    let depth_total = setup.depth_total();
    let mut run = match &setup.rare {
        Some(plan) => PathRun::importance_sampled(setup, index, candidate.as_slice(), plan),
        None => PathRun::new(setup, index, candidate.as_slice()),
    };
    scratch.series.clear();
    for shocks in &setup.schedule.epochs {
        run.step(layer, shocks, &mut scratch.epoch);
        record_epoch(setup, depth_total, &mut out, tally, &scratch.epoch.flows);
        if let Some(point) = run.capital_point() {
            scratch.series.push(point);
        }
    }
    let importance = setup.rare.as_ref().and_then(|plan| run.importance(plan));
    let weight = importance.map_or(1.0, |i| i.weight);
    finish_path(setup, &mut out, tally, totals, weight);
    PathOutcome {
        routing: out,
        capital: run.outcomes().pop(),
        importance,
    }
}

fn record_epoch(
    setup: &Setup,
    depth_total: f64,
    out: &mut RoutingOutcome,
    s: &mut RoutingTally,
    f: &EpochFlows,
) {
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
    for (l, &(a, b)) in setup.graph.link_chains.iter().enumerate() {
        let [ab, ba] = f.link_flow[l];
        s.link_peak[l] = s.link_peak[l].max(ab.max(ba));
        s.chain_outflow[a] += ab;
        s.chain_outflow[b] += ba;
    }
    for (peak, v) in s.chain_peak.iter_mut().zip(&s.chain_outflow) {
        *peak = peak.max(*v);
    }
}

/// Ends the path's routing figures and adds its contributions to `totals`, each sum
/// multiplied by the path's importance `weight` (1 in a plain run, which changes no bit);
/// the per-pool and per-link maxima are over the paths simulated, unweighted.
fn finish_path(
    setup: &Setup,
    out: &mut RoutingOutcome,
    s: &mut RoutingTally,
    totals: &mut BatchTotals,
    weight: f64,
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
    out.chain_peak_outflow = s.chain_peak.as_slice().into();
    totals.paths += 1;
    let w = weight;
    for p in 0..s.pool_abs.len() {
        totals.pool_net_flow[p] += w * (s.pool_net_abs[p] / epochs);
        totals.pool_churn[p] += w * s.pool_abs[p];
        totals.pool_peak_dev_sum[p] += w * s.pool_peak_dev[p];
        totals.pool_peak_dev_max[p] = totals.pool_peak_dev_max[p].max(s.pool_peak_dev[p]);
    }
    add_weighted(&mut totals.pool_fees, &s.pool_fees, w);
    add_weighted(&mut totals.chain_inject, &s.chain_inject, w);
    add_weighted(&mut totals.chain_withdraw, &s.chain_withdraw, w);
    for (l, peak) in s.link_peak.iter().enumerate() {
        totals.link_peak_flow_sum[l] += w * peak;
        totals.link_peak_flow_max[l] = totals.link_peak_flow_max[l].max(*peak);
    }
}

/// `acc += w v`, element by element (`w = 1` gives `acc += v` exactly).
fn add_weighted(acc: &mut [f64], v: &[f64], w: f64) {
    acc.iter_mut().zip(v).for_each(|(a, b)| *a += w * b);
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
