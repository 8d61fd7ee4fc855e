//! Shared by the benches: loading a shipped scenario into a `Setup`, and stepping one path
//! of the coupled routing + capital model epoch by epoch with the engine's own step.

#![allow(dead_code)]

use pmmsim::config::raw::RawScenario;
use pmmsim::config::{ConfigSource, Scenario};
use pmmsim::engine::Setup;
use pmmsim::engine::epoch::{EpochScratch, PathRun, draw_overlay, draw_trades};
use pmmsim::engine::path_rng;
use pmmsim::model::routing::RoutingLayer;
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
    Setup::new(scenario, policy).expect("setup builds")
}

/// One path of the coupled model, advanced one epoch at a time (wrapping around the
/// horizon) through the engine's own epoch step, [`PathRun`].
pub struct Stepper<'s> {
    setup: &'s Setup,
    layer: RoutingLayer<'s>,
    run: PathRun<'s>,
    rng: ChaCha8Rng,
    pub scratch: EpochScratch,
    epoch: usize,
}

impl<'s> Stepper<'s> {
    pub fn new(setup: &'s Setup, path: u64) -> Self {
        let postures: Vec<_> = setup.default_candidate().into_iter().collect();
        Self {
            setup,
            layer: RoutingLayer::new(&setup.graph, setup.routing),
            run: PathRun::new(setup, path, &postures),
            rng: path_rng(setup.scenario.monte_carlo.seed, path),
            scratch: EpochScratch::new(&setup.graph),
            epoch: 0,
        }
    }

    fn next_epoch(&mut self) {
        self.epoch = (self.epoch + 1) % self.setup.schedule.epochs.len();
    }

    /// Steps 1-4 of the next epoch (conditions, trades, policy, overlay draws), no routing.
    pub fn prepare(&mut self) {
        let shocks = &self.setup.schedule.epochs[self.epoch];
        self.run.begin_epoch(shocks, &mut self.scratch);
    }

    /// Routes (and settles) the epoch `prepare` began, then moves to the next epoch.
    pub fn route(&mut self) {
        let shocks = &self.setup.schedule.epochs[self.epoch];
        self.run
            .route_and_settle(&self.layer, shocks, &mut self.scratch);
        self.next_epoch();
    }

    /// One whole path-epoch: trades, policy, overlay draws, routing and settlement.
    pub fn step(&mut self) {
        let shocks = &self.setup.schedule.epochs[self.epoch];
        self.run.step(&self.layer, shocks, &mut self.scratch);
        self.next_epoch();
    }

    /// Only the random numbers of one path-epoch: the trades and the overlay's draws.
    pub fn draw_only(&mut self) {
        let setup = self.setup;
        let shocks = &setup.schedule.epochs[self.epoch];
        draw_trades(setup, shocks, &mut self.rng, &mut self.scratch.trades);
        std::hint::black_box(draw_overlay(&mut self.rng, false));
        self.next_epoch();
    }
}
