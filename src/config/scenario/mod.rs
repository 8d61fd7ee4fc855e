//! The checked scenario: `RawScenario` validated and resolved against the deployment
//! status and the policy into the graph, flow, router, shock, Monte Carlo, optimizer and
//! capital settings the engine uses. The types are in `types.rs`; each block has its
//! checker in a file of its own (`graph`, `flow`, `shocks`, `settings`, `optimizer`;
//! `capitalEfficiency` in `config::capital`).

mod flow;
mod graph;
mod optimizer;
mod settings;
mod shocks;
mod types;

pub use types::{
    ArbSpec, BotSpec, ChainSpec, FlowSpec, GraphMode, GraphSpec, LaneSpec, LinkCost, MonteCarlo,
    OptimizerSpec, PoolSpec, RouterSpec, Shock, ShockKind, SizeDist, Topology,
};

use super::capital::CapitalSpec;
use super::check::Checker;
use super::deployment::Deployment;
use super::policy::Policy;
use super::raw::RawScenario;
use crate::error::InputError;

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub graph: GraphSpec,
    pub flow: FlowSpec,
    pub router: RouterSpec,
    pub arbitrage: ArbSpec,
    pub bot: BotSpec,
    pub shocks: Vec<Shock>,
    pub monte_carlo: MonteCarlo,
    /// Routing gates use the stress churn limit.
    pub stress_profile: bool,
    /// Capital assumptions; `None` for a routing-only baseline.
    pub capital: Option<CapitalSpec>,
    /// The optimizer grid; `None` when the scenario has no `optimizer` block.
    pub optimizer: Option<OptimizerSpec>,
}

/// Upper bounds that keep a typo from asking for a year-long run.
pub const MAX_PATHS: u64 = 100_000_000;
pub const MAX_EPOCHS: u64 = 100_000;

impl Scenario {
    /// Validates `raw` (read from `file`) and resolves its graph against `deployment`.
    /// Blocks are checked in file order, so the first error reported is the first one a
    /// reader meets.
    pub fn check(
        raw: RawScenario,
        deployment: &Deployment,
        policy: &Policy,
        file: &str,
    ) -> Result<Self, InputError> {
        let c = Checker::new(file);
        let graph = graph::check_graph(&raw, deployment, &c)?;
        let flow = flow::check_flow(&raw, &graph, &c)?;
        let router = settings::check_router(&raw.router, &c)?;
        let arbitrage = settings::check_arbitrage(&raw.arbitrage, &c)?;
        let bot = settings::check_bot(&raw.bot, &c)?;
        let monte_carlo = settings::check_monte_carlo(&raw.monte_carlo, &c)?;
        let shocks = raw
            .shocks
            .iter()
            .enumerate()
            .map(|(i, s)| {
                shocks::check_shock(s, &format!("shocks[{i}]"), &graph, monte_carlo.epochs, &c)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let stress_profile = settings::check_stress_profile(&raw.gate_profile, &c)?;
        let optimizer = match &raw.optimizer {
            Some(block) => Some(optimizer::check_optimizer(block, policy, &c)?),
            None => None,
        };
        let capital = match &raw.capital_efficiency {
            Some(block) => Some(CapitalSpec::check(block, policy, monte_carlo.dt(), file)?),
            None => None,
        };
        Ok(Self {
            name: raw.name,
            description: raw.description,
            graph,
            flow,
            router,
            arbitrage,
            bot,
            shocks,
            monte_carlo,
            stress_profile,
            capital,
            optimizer,
        })
    }
}
