//! Shared by the benches: loading a shipped scenario into a `Setup`, and stepping one path
//! of the coupled routing + capital model epoch by epoch, exactly as the engine does.

#![allow(dead_code)]

use pmmsim::config::raw::RawScenario;
use pmmsim::config::{ConfigSource, Scenario};
use pmmsim::engine::Setup;
use pmmsim::engine::path::{draw_overlay, draw_trades, path_rng, routing_pnl, update_conditions};
use pmmsim::model::flow::Trade;
use pmmsim::model::overlay::{CapitalTally, Overlay, OverlayState};
use pmmsim::model::routing::{Conditions, EpochFlows, RouterScratch, RoutingLayer, RoutingState};
use rand_chacha::ChaCha8Rng;

/// A shipped scenario with `paths` paths (and its own epochs).
pub fn setup(name: &str, paths: u64) -> Setup {
    let source = ConfigSource::default();
    let policy = source.policy(None).expect("shipped policy");
    let deployment = source.deployment().expect("shipped deployment");
    let text = source.scenario_text(name).expect("shipped scenario");
    let mut raw: RawScenario =
        pmmsim::config::parse::parse_json(&text.text, &text.display).expect("parses");
    raw.monte_carlo.paths = paths;
    let scenario = Scenario::check(raw, &deployment, &policy, name).expect("valid");
    Setup::new(scenario, policy).expect("setup")
}

/// One path of the coupled model, advanced one epoch at a time (wrapping around the
/// horizon), with the same calls in the same order as `engine::path::simulate_path`.
pub struct Stepper<'s> {
    setup: &'s Setup,
    layer: RoutingLayer<'s>,
    overlay: Option<Overlay<'s>>,
    rng: ChaCha8Rng,
    pub state: RoutingState,
    overlay_state: Option<OverlayState>,
    tally: CapitalTally,
    pub cond: Conditions,
    cond_id: usize,
    pub flows: EpochFlows,
    router: RouterScratch,
    pub trades: Vec<Trade>,
    epoch: usize,
}

impl<'s> Stepper<'s> {
    pub fn new(setup: &'s Setup, path: u64) -> Self {
        let mc = setup.scenario.monte_carlo;
        let overlay = match (&setup.scenario.capital, setup.default_candidate()) {
            (Some(spec), Some(c)) => Some(Overlay::new(
                spec,
                &setup.policy,
                c,
                mc.dt(),
                2.0 * setup.depth_total(),
            )),
            _ => None,
        };
        let overlay_state = overlay.as_ref().map(Overlay::init);
        Self {
            setup,
            layer: RoutingLayer::new(&setup.graph, setup.routing),
            overlay,
            rng: path_rng(mc.seed, path),
            state: RoutingState::new(&setup.graph),
            overlay_state,
            tally: CapitalTally::new(),
            cond: setup.schedule.conditions[0].clone(),
            cond_id: 0,
            flows: EpochFlows::new(&setup.graph),
            router: RouterScratch::default(),
            trades: Vec::new(),
            epoch: 0,
        }
    }

    fn next_epoch(&mut self) -> usize {
        let e = self.epoch;
        self.epoch = (self.epoch + 1) % self.setup.schedule.epochs.len();
        e
    }

    /// Draws the next epoch's trades and sets its conditions and fees, without routing.
    pub fn prepare(&mut self) {
        let setup = self.setup;
        let shocks = &setup.schedule.epochs[self.epoch];
        update_conditions(setup, shocks, &mut self.cond, &mut self.cond_id);
        draw_trades(setup, shocks, &mut self.rng, &mut self.trades);
        if let (Some(ov), Some(st)) = (&self.overlay, &mut self.overlay_state) {
            self.cond
                .pool_fee
                .fill(ov.policy_step(st, shocks, &mut self.tally));
        }
    }

    /// Routes the trades `prepare` drew (one router epoch), then moves to the next epoch.
    pub fn route(&mut self) {
        self.layer.step(
            &mut self.state,
            &self.cond,
            &self.trades,
            &mut self.flows,
            &mut self.router,
        );
        self.next_epoch();
    }

    /// One whole path-epoch: trades, policy, routing, overlay draws and settlement.
    pub fn step(&mut self) {
        let setup = self.setup;
        let shocks = &setup.schedule.epochs[self.epoch];
        self.prepare();
        self.layer.step(
            &mut self.state,
            &self.cond,
            &self.trades,
            &mut self.flows,
            &mut self.router,
        );
        if let (Some(ov), Some(st)) = (&self.overlay, &mut self.overlay_state) {
            let draws = draw_overlay(&mut self.rng);
            ov.settle(
                st,
                shocks,
                &routing_pnl(&self.flows),
                &draws,
                &mut self.tally,
            );
        }
        self.next_epoch();
    }

    /// Only the random numbers of one path-epoch: the trades and the overlay's draws.
    pub fn draw_only(&mut self) {
        let setup = self.setup;
        let shocks = &setup.schedule.epochs[self.epoch];
        draw_trades(setup, shocks, &mut self.rng, &mut self.trades);
        std::hint::black_box(draw_overlay(&mut self.rng));
        self.next_epoch();
    }
}
