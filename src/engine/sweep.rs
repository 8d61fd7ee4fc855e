//! The optimizer's path loop: every candidate runs on the same path stream (common random
//! numbers), and the routing layer, the expensive part, runs once per distinct pool fee
//! rather than once per candidate. Candidates start grouped by their spread; when a
//! candidate's fee departs from its group's (its circuit breaker trips, say), its group's
//! routing state is cloned into a new branch, so every candidate still sees exactly the
//! routing it would see alone. Results are bit-identical to running each candidate by
//! itself with `simulate_path`.

use std::ops::Range;

use rayon::prelude::*;

use super::outcome::CapitalOutcome;
use super::path::{
    capital_outcome, draw_overlay, draw_trades, path_rng, routing_pnl, update_conditions,
};
use super::{BATCH_SIZE, Setup};
use crate::model::flow::Trade;
use crate::model::overlay::{Candidate, CapitalTally, Overlay, OverlayState};
use crate::model::routing::{EpochFlows, RouterScratch, RoutingLayer, RoutingState};

/// One routing state shared by the candidates whose fee matched it every epoch so far.
#[derive(Debug, Clone)]
struct Branch {
    state: RoutingState,
    fee: f64,
    members: Vec<usize>,
}

/// Runs every candidate on path `index`; returns their capital outcomes in candidate order.
pub fn simulate_path_sweep(
    setup: &Setup,
    index: u64,
    candidates: &[Candidate],
    flows: &mut EpochFlows,
    trades: &mut Vec<Trade>,
) -> Vec<CapitalOutcome> {
    let layer = RoutingLayer::new(&setup.graph, setup.routing);
    sweep_path(setup, &layer, index, candidates, flows, trades).0
}

/// [`simulate_path_sweep`], plus the number of trades it routed (each epoch's trades once
/// per fee branch), for the throughput report.
fn sweep_path(
    setup: &Setup,
    layer: &RoutingLayer,
    index: u64,
    candidates: &[Candidate],
    flows: &mut EpochFlows,
    trades: &mut Vec<Trade>,
) -> (Vec<CapitalOutcome>, u64) {
    let Some(spec) = &setup.scenario.capital else {
        return (Vec::new(), 0);
    };
    let mc = setup.scenario.monte_carlo;
    let mut rng = path_rng(mc.seed, index);
    let book = 2.0 * setup.depth_total();
    let overlays: Vec<Overlay> = candidates
        .iter()
        .map(|c| Overlay::new(spec, &setup.policy, *c, mc.dt(), book))
        .collect();
    let mut states: Vec<OverlayState> = overlays.iter().map(Overlay::init).collect();
    let mut tallies = vec![CapitalTally::new(); candidates.len()];
    let mut fees = vec![0.0; candidates.len()];
    let mut branches: Vec<Branch> = Vec::new();
    let mut cond = setup.schedule.conditions[0].clone();
    let mut cond_id = 0;
    let mut scratch = RouterScratch::default();
    let mut routed = 0u64;
    for shocks in &setup.schedule.epochs {
        update_conditions(setup, shocks, &mut cond, &mut cond_id);
        draw_trades(setup, shocks, &mut rng, trades);
        for (i, ov) in overlays.iter().enumerate() {
            fees[i] = ov.policy_step(&mut states[i], shocks, &mut tallies[i]);
        }
        regroup(&mut branches, &fees, &setup.graph);
        let draws = draw_overlay(&mut rng);
        routed += (branches.len() * trades.len()) as u64;
        for branch in &mut branches {
            cond.pool_fee.fill(branch.fee);
            layer.step(&mut branch.state, &cond, trades, flows, &mut scratch);
            let pnl = routing_pnl(flows);
            for &i in &branch.members {
                overlays[i].settle(&mut states[i], shocks, &pnl, &draws, &mut tallies[i]);
            }
        }
    }
    let outcomes = states
        .iter()
        .zip(&tallies)
        .map(|(st, t)| capital_outcome(st, t))
        .collect();
    (outcomes, routed)
}

/// Splits branches whose members now want different fees (cloning the routing state),
/// or creates the first branches from scratch.
fn regroup(branches: &mut Vec<Branch>, fees: &[f64], graph: &crate::model::graph::Graph) {
    if branches.is_empty() {
        for (i, fee) in fees.iter().enumerate() {
            match branches.iter_mut().find(|b| b.fee == *fee) {
                Some(b) => b.members.push(i),
                None => branches.push(Branch {
                    state: RoutingState::new(graph),
                    fee: *fee,
                    members: vec![i],
                }),
            }
        }
        return;
    }
    let mut split = Vec::new();
    for branch in branches.iter_mut() {
        let mut moved: Vec<Branch> = Vec::new();
        branch.members.retain(|&i| {
            if fees[i] == branch.fee {
                return true;
            }
            match moved.iter_mut().find(|b| b.fee == fees[i]) {
                Some(b) => b.members.push(i),
                None => moved.push(Branch {
                    state: branch.state.clone(),
                    fee: fees[i],
                    members: vec![i],
                }),
            }
            false
        });
        split.extend(moved);
    }
    branches.retain(|b| !b.members.is_empty());
    branches.extend(split);
}

/// Per batch in order, each path's outcomes for every candidate.
pub type SweepBatches = Vec<Vec<Vec<CapitalOutcome>>>;

/// Runs the sweep over the paths in `range`; returns, per batch in order, each path's
/// outcomes for every candidate. `on_batch` gets the number of paths each batch held.
pub fn run_sweep(
    setup: &Setup,
    candidates: &[Candidate],
    range: Range<u64>,
    on_batch: &(dyn Fn(u64) + Sync),
) -> SweepBatches {
    run_sweep_counted(setup, candidates, range, on_batch).0
}

/// [`run_sweep`], plus the number of trades routed over all paths (each epoch's trades
/// once per fee branch), for the throughput report.
pub fn run_sweep_counted(
    setup: &Setup,
    candidates: &[Candidate],
    range: Range<u64>,
    on_batch: &(dyn Fn(u64) + Sync),
) -> (SweepBatches, u64) {
    let first_batch = range.start / BATCH_SIZE;
    let last_batch = range.end.div_ceil(BATCH_SIZE);
    let layer = RoutingLayer::new(&setup.graph, setup.routing);
    let batches: Vec<(Vec<Vec<CapitalOutcome>>, u64)> = (first_batch..last_batch)
        .into_par_iter()
        .map_init(
            || (EpochFlows::new(&setup.graph), Vec::new()),
            |(flows, trades), batch| {
                let start = (batch * BATCH_SIZE).max(range.start);
                let end = ((batch + 1) * BATCH_SIZE).min(range.end);
                let mut routed = 0;
                let out = (start..end)
                    .map(|i| {
                        let (outcomes, n) = sweep_path(setup, &layer, i, candidates, flows, trades);
                        routed += n;
                        outcomes
                    })
                    .collect();
                on_batch(end - start);
                (out, routed)
            },
        )
        .collect();
    let routed = batches.iter().map(|(_, n)| n).sum();
    (batches.into_iter().map(|(b, _)| b).collect(), routed)
}
