//! Everything a run needs that is the same for every path: the checked scenario and
//! policy, the graph with its route table, the order-flow sampler, the shock schedule and,
//! for `--rare-events`, the importance-sampling plan. Built once, shared read-only by all
//! threads.

use super::rare::{RareEvents, RarePlan};
use crate::config::{Policy, Scenario};
use crate::error::Result;
use crate::model::flow::OrderFlow;
use crate::model::graph::Graph;
use crate::model::routing::RoutingParams;
use crate::model::shocks::ShockSchedule;

/// The read-only inputs of every path.
#[derive(Debug, Clone)]
pub struct Setup {
    pub scenario: Scenario,
    pub policy: Policy,
    pub graph: Graph,
    pub flow: OrderFlow,
    pub schedule: ShockSchedule,
    pub routing: RoutingParams,
    /// Importance sampling of the tail drivers (`--rare-events`); `None` draws the model.
    pub rare: Option<RarePlan>,
}

/// Candidate routes kept per endpoint pair, as a multiple of the router's `K`.
const CANDIDATES_PER_K: usize = 2;

impl Setup {
    /// Builds the graph, the order flow and the shock schedule. Fails only with an
    /// `Error::Internal` (a chain id the checked scenario should never lack).
    pub fn new(scenario: Scenario, policy: Policy) -> Result<Self> {
        let router = scenario.router;
        let graph = Graph::build(
            &scenario.graph,
            router.max_hops,
            (router.max_paths * CANDIDATES_PER_K).max(4),
        )?;
        let flow = OrderFlow::new(&graph, &scenario.flow)?;
        let schedule = ShockSchedule::new(&scenario.shocks, &graph, scenario.monte_carlo.epochs);
        let routing = RoutingParams {
            router,
            arbitrage: scenario.arbitrage,
            bot: scenario.bot,
        };
        Ok(Self {
            scenario,
            policy,
            graph,
            flow,
            schedule,
            routing,
            rare: None,
        })
    }

    /// Turns on importance sampling of the tail drivers with `params`. Returns `false`, and
    /// changes nothing, when the scenario has no capital block (nothing to tilt).
    pub fn enable_rare_events(&mut self, params: RareEvents) -> bool {
        self.rare = RarePlan::new(self, params);
        self.rare.is_some()
    }
}

impl Setup {
    /// Whether the scenario's volatility model draws jumps (two more overlay draws per
    /// epoch, see `epoch::draw_overlay`).
    pub fn jumps(&self) -> bool {
        self.scenario
            .capital
            .as_ref()
            .is_some_and(|c| c.volatility.has_jumps())
    }

    /// Sum over pools of the target inventory per side, USD.
    pub fn depth_total(&self) -> f64 {
        self.graph.pools.iter().map(|p| p.depth).sum()
    }

    /// The scenario's own capital posture (no sweep), if it has a capital block.
    pub fn default_candidate(&self) -> Option<crate::model::overlay::Candidate> {
        self.scenario
            .capital
            .as_ref()
            .map(|c| crate::model::overlay::Candidate {
                alpha: c.alpha,
                leverage: c.leverage,
                spread_bps: c.spread_bps,
                external_share: c.sleeve.external_share(),
            })
    }
}
