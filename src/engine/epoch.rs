//! One epoch of one path, for any number of capital postures on that path's random stream.
//!
//! This is the only place the per-epoch order of events and random draws is written down,
//! so a single run, the optimizer sweep and the benches consume random numbers identically
//! by construction:
//!
//! 0. once per path, before its first epoch and only in an importance-sampled run
//!    (`--rare-events`): one uniform that decides whether the path draws from the tilted
//!    proposal (`engine::rare`). A plain run makes no such draw;
//! 1. the epoch's bridge conditions (when the shock schedule changes them);
//! 2. the epoch's trades (always the first draws of the epoch);
//! 3. each posture's policy step (its spread, from last epoch's volatility and peg);
//! 4. the overlay's six draws (only when there is a capital posture), then two more for
//!    the jumps when the scenario's volatility model is `jump`, then, only when the
//!    scenario's allocation mode is `dirichlet`, one `u64` that seeds the epoch's Dirichlet
//!    draws (every posture draws its Gamma variates from its own copy of that seed's
//!    stream, so the postures of a sweep share them and the path's stream moves by one draw
//!    per epoch whatever their number);
//! 5. routing, once per distinct pool fee ("branch"), then each posture's settlement.
//!
//! Postures start grouped by their fee; when one's fee departs from its group's (its
//! circuit breaker trips, say) the group's routing state is cloned into a new branch, so
//! every posture sees exactly the routing it would see alone. A routing-only path has one
//! branch that keeps the scenario's own pool fees.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::outcome::{CapitalOutcome, PathWeight};
use super::path_rng;
use super::rare::RarePlan;
use super::setup::Setup;
use crate::model::flow::Trade;
use crate::model::graph::Graph;
use crate::model::overlay::{
    Candidate, CapitalTally, Overlay, OverlayDraws, OverlayState, RoutingPnl,
};
use crate::model::routing::{Conditions, EpochFlows, RouterScratch, RoutingLayer, RoutingState};
use crate::model::shocks::EpochShocks;

/// Buffers one thread reuses from epoch to epoch and path to path.
#[derive(Debug, Clone)]
pub struct EpochScratch {
    pub trades: Vec<Trade>,
    pub flows: EpochFlows,
    pub router: RouterScratch,
}

impl EpochScratch {
    pub fn new(graph: &Graph) -> Self {
        Self {
            trades: Vec::new(),
            flows: EpochFlows::new(graph),
            router: RouterScratch::default(),
        }
    }
}

/// One routing state shared by the postures whose fee matched it every epoch so far.
#[derive(Debug, Clone)]
struct Branch {
    state: RoutingState,
    /// The uniform pool fee of its postures, or `None` for the scenario's own fees.
    fee: Option<f64>,
    members: Vec<usize>,
}

/// One path in progress: its random stream, the routing state of each branch and the
/// capital state of each posture.
pub struct PathRun<'s> {
    setup: &'s Setup,
    rng: ChaCha8Rng,
    conditions: Conditions,
    conditions_id: usize,
    overlays: Vec<Overlay<'s>>,
    states: Vec<OverlayState>,
    tallies: Vec<CapitalTally>,
    fees: Vec<f64>,
    branches: Vec<Branch>,
    draws: Option<OverlayDraws>,
    /// Whether the path draws from the tilted proposal; `None` in a plain run.
    tilted: Option<bool>,
    /// Whether the scenario's allocation targets are Dirichlet-perturbed (one more draw per
    /// epoch).
    dirichlet: bool,
}

impl<'s> PathRun<'s> {
    /// Path `index` of `setup` for the given postures (none for routing only; postures are
    /// ignored when the scenario has no capital block).
    pub fn new(setup: &'s Setup, index: u64, postures: &[Candidate]) -> Self {
        Self::build(setup, index, postures, None)
    }

    /// Path `index` importance sampled with `plan`: its first draw decides whether it is
    /// drawn tilted, and each posture adds up the likelihood ratio of its draws.
    pub fn importance_sampled(
        setup: &'s Setup,
        index: u64,
        postures: &[Candidate],
        plan: &RarePlan,
    ) -> Self {
        Self::build(setup, index, postures, Some(plan))
    }

    fn build(
        setup: &'s Setup,
        index: u64,
        postures: &[Candidate],
        plan: Option<&RarePlan>,
    ) -> Self {
        let mc = setup.scenario.monte_carlo;
        let book = 2.0 * setup.depth_total();
        let mut rng = path_rng(mc.seed, index);
        let tilt = plan.map(|p| p.path_tilt(rng.random::<f64>() < p.params.tilted_share));
        let overlays: Vec<Overlay> = match &setup.scenario.capital {
            Some(spec) => postures
                .iter()
                .map(|c| {
                    let overlay = Overlay::new(spec, &setup.policy, *c, mc.dt(), book);
                    match tilt {
                        Some(t) => overlay.with_tilt(t),
                        None => overlay,
                    }
                })
                .collect(),
            None => Vec::new(),
        };
        let states = overlays.iter().map(Overlay::init).collect();
        let n = overlays.len();
        Self {
            setup,
            rng,
            conditions: setup.schedule.conditions[0].clone(),
            conditions_id: 0,
            overlays,
            states,
            tallies: vec![CapitalTally::new(); n],
            fees: vec![0.0; n],
            branches: Vec::new(),
            draws: None,
            tilted: tilt.map(|t| t.tilted),
            dirichlet: setup.scenario.capital.as_ref().is_some_and(|c| {
                matches!(
                    c.allocation,
                    crate::config::runbook::AllocationMode::Dirichlet { .. }
                )
            }),
        }
    }

    /// Steps 1-4 of the epoch: conditions, trades (into `scratch.trades`), the postures'
    /// policy steps and the overlay's draws.
    pub fn begin_epoch(&mut self, shocks: &EpochShocks, scratch: &mut EpochScratch) {
        let setup = self.setup;
        update_conditions(setup, shocks, &mut self.conditions, &mut self.conditions_id);
        draw_trades(setup, shocks, &mut self.rng, &mut scratch.trades);
        for (i, overlay) in self.overlays.iter().enumerate() {
            self.fees[i] = overlay.policy_step(&mut self.states[i], shocks, &mut self.tallies[i]);
        }
        regroup(&mut self.branches, &self.fees, &setup.graph);
        let jumps = setup.jumps();
        self.draws = (!self.overlays.is_empty()).then(|| draw_overlay(&mut self.rng, jumps));
        if let Some(d) = &mut self.draws
            && self.dirichlet
        {
            d.dirichlet_seed = self.rng.random();
        }
    }

    /// Step 5: routes the epoch's trades once per branch and settles each posture. Returns
    /// the number of trades routed (the epoch's trades once per branch). With at most one
    /// posture there is one branch, and `scratch.flows` holds its epoch afterwards.
    pub fn route_and_settle(
        &mut self,
        layer: &RoutingLayer,
        shocks: &EpochShocks,
        scratch: &mut EpochScratch,
    ) -> u64 {
        for branch in &mut self.branches {
            if let Some(fee) = branch.fee {
                self.conditions.pool_fee.fill(fee);
            }
            layer.step(
                &mut branch.state,
                &self.conditions,
                &scratch.trades,
                &mut scratch.flows,
                &mut scratch.router,
            );
            if let Some(draws) = &self.draws {
                let pnl = routing_pnl(&scratch.flows);
                for &i in &branch.members {
                    self.overlays[i].settle(
                        &mut self.states[i],
                        shocks,
                        &pnl,
                        draws,
                        &mut self.tallies[i],
                    );
                }
            }
        }
        (self.branches.len() * scratch.trades.len()) as u64
    }

    /// One whole epoch; returns the trades routed.
    pub fn step(
        &mut self,
        layer: &RoutingLayer,
        shocks: &EpochShocks,
        scratch: &mut EpochScratch,
    ) -> u64 {
        self.begin_epoch(shocks, scratch);
        self.route_and_settle(layer, shocks, scratch)
    }

    /// Every epoch of the horizon; `after_epoch` sees each epoch's flows (meaningful for
    /// at most one posture, see [`PathRun::route_and_settle`]). Returns the trades routed.
    pub fn run(
        &mut self,
        layer: &RoutingLayer,
        scratch: &mut EpochScratch,
        mut after_epoch: impl FnMut(&EpochFlows),
    ) -> u64 {
        let mut routed = 0;
        for shocks in &self.setup.schedule.epochs {
            routed += self.step(layer, shocks, scratch);
            after_epoch(&scratch.flows);
        }
        routed
    }

    /// The importance weight of the first posture's path (`None` in a plain run): its
    /// likelihood ratio against the mixture `plan` drew it from.
    pub fn importance(&self, plan: &RarePlan) -> Option<PathWeight> {
        let tilted = self.tilted?;
        let log_lr = self.tallies.first().map_or(0.0, |t| t.log_lr);
        Some(PathWeight {
            weight: plan.params.weight(log_lr),
            tilted,
        })
    }

    /// The first posture's capital `T` (USD) and the drawdown of its time-weighted return
    /// index from the running peak (share), as they stand; `None` for routing only.
    pub fn capital_point(&self) -> Option<(f64, f64)> {
        let (state, tally) = self.states.first().zip(self.tallies.first())?;
        let drawdown = if tally.twr_peak > 0.0 {
            (tally.twr_peak - tally.twr_index) / tally.twr_peak
        } else {
            0.0
        };
        Some((state.buckets.total(), drawdown))
    }

    /// The capital outcome of each posture, in posture order (empty for routing only).
    pub fn outcomes(&self) -> Vec<CapitalOutcome> {
        self.states
            .iter()
            .zip(&self.tallies)
            .map(|(state, tally)| capital_outcome(state, tally))
            .collect()
    }
}

/// Splits branches whose postures now want different fees (cloning the routing state),
/// or creates the first branches.
fn regroup(branches: &mut Vec<Branch>, fees: &[f64], graph: &Graph) {
    if branches.is_empty() {
        if fees.is_empty() {
            branches.push(Branch {
                state: RoutingState::new(graph),
                fee: None,
                members: Vec::new(),
            });
        }
        for (i, fee) in fees.iter().enumerate() {
            match branches.iter_mut().find(|b| b.fee == Some(*fee)) {
                Some(b) => b.members.push(i),
                None => branches.push(Branch {
                    state: RoutingState::new(graph),
                    fee: Some(*fee),
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
            if Some(fees[i]) == branch.fee {
                return true;
            }
            match moved.iter_mut().find(|b| b.fee == Some(fees[i])) {
                Some(b) => b.members.push(i),
                None => moved.push(Branch {
                    state: branch.state.clone(),
                    fee: Some(fees[i]),
                    members: vec![i],
                }),
            }
            false
        });
        split.extend(moved);
    }
    branches.retain(|b| !b.members.is_empty() || b.fee.is_none());
    branches.extend(split);
}

/// Applies the epoch's bridge conditions when they changed.
pub fn update_conditions(
    setup: &Setup,
    shocks: &EpochShocks,
    conditions: &mut Conditions,
    conditions_id: &mut usize,
) {
    if shocks.conditions != *conditions_id {
        *conditions_id = shocks.conditions;
        let next = &setup.schedule.conditions[*conditions_id];
        conditions.link_down.clone_from(&next.link_down);
        conditions.link_cost.clone_from(&next.link_cost);
        conditions.link_latency.clone_from(&next.link_latency);
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

/// Draws the overlay's six numbers (always after the trades), then, when the scenario's
/// volatility model has jumps, the jump uniform and normal. Whether the last two are drawn
/// depends on the scenario only, never on the path's state, so every posture and every
/// path of a run consumes the same stream.
pub fn draw_overlay(rng: &mut ChaCha8Rng, jumps: bool) -> OverlayDraws {
    let mut d = OverlayDraws {
        z_asset: rng.sample(StandardNormal),
        z_sigma: rng.sample(StandardNormal),
        z_peg: rng.sample(StandardNormal),
        u_redeem: rng.random(),
        z_stable: rng.sample(StandardNormal),
        u_barrier: rng.random(),
        u_jump: 0.0,
        z_jump: 0.0,
        dirichlet_seed: 0,
    };
    if jumps {
        d.u_jump = rng.random();
        d.z_jump = rng.sample(StandardNormal);
    }
    d
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
    let st_runbook_on = st.runbook_on;
    CapitalOutcome {
        roi: tally.twr_index - 1.0,
        capital_return: t_end / st.t0 - 1.0,
        capital_end: t_end,
        redemptions: tally.redemptions_paid,
        pnl: t_end - st.t0 + tally.redemptions_paid - tally.runbook.deployed_usd,
        max_drawdown: tally.max_drawdown,
        liquidated: tally.liquidated,
        peg_deviation_epochs: tally.peg_deviation_epochs,
        floor_violations: tally.floor_violations,
        floor_unrepaired: tally.floor_unrepaired,
        throttle_events: tally.throttle_events,
        spread_events: tally.spread_events,
        breaker_epochs: tally.breaker_epochs,
        soft_epochs: tally.soft_epochs,
        normal_epochs: tally
            .epochs
            .saturating_sub(tally.soft_epochs)
            .saturating_sub(tally.breaker_epochs),
        attribution: tally.attribution,
        liquidations: tally.liquidations,
        first_liquidation_epoch: tally.first_liquidation_epoch,
        collateral_seized: tally.collateral_seized,
        epochs_above_max_ltv: tally.epochs_above_max_ltv,
        min_peg: tally.min_peg,
        runbook: st_runbook_on.then(|| Box::new(tally.runbook)),
    }
}
