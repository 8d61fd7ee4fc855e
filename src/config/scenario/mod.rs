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
use super::limits::MAX_DESCRIPTION_CHARS;
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
    /// What the check accepted but a user should hear about (a shock that a shortened
    /// run never reaches), each naming the file and the JSON path. Commands print them.
    pub warnings: Vec<String>,
}

/// Upper bounds that keep a typo from asking for a year-long run. Names and descriptions
/// are limited too (`MAX_NAME_CHARS`, `MAX_DESCRIPTION_CHARS` in `config::limits`).
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
        c.name("name", &raw.name)?;
        c.text("description", &raw.description, MAX_DESCRIPTION_CHARS)?;
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
        let warnings = shocks_past_horizon(&raw, monte_carlo.epochs)
            .map(|(i, start)| {
                format!(
                    "{file}: at shocks[{i}].startEpoch: the shock starts at epoch {start}, but \
                     the run has {} epochs: it never fires",
                    monte_carlo.epochs
                )
            })
            .collect();
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
            warnings,
        })
    }
}

impl Scenario {
    /// Whether the scenario's runbook deploys treasury liquidity (and so needs the
    /// commitments file).
    pub fn needs_commitments(&self) -> bool {
        self.capital
            .as_ref()
            .is_some_and(|c| c.runbook.needs_commitments())
    }

    /// Resolves the runbook's treasury deployment sources against `commitments` (read from
    /// `file`).
    pub fn attach_commitments(
        &mut self,
        commitments: &super::Commitments,
        file: &str,
    ) -> Result<(), InputError> {
        match &mut self.capital {
            Some(c) => c.runbook.attach_commitments(commitments, file),
            None => Ok(()),
        }
    }
}

/// The shocks (index, start) that start at or after `epochs`, the end of the run.
fn shocks_past_horizon(raw: &RawScenario, epochs: u32) -> impl Iterator<Item = (usize, u32)> + '_ {
    raw.shocks
        .iter()
        .enumerate()
        .filter(move |(_, s)| s.start_epoch >= epochs)
        .map(|(i, s)| (i, s.start_epoch))
}

/// A scenario file whose own `monteCarlo.epochs` ends before a shock starts contradicts
/// itself: the shock can never fire. That is an error; a run shortened with `--epochs`
/// only warns (`Scenario::warnings`). Call it on the file as written, before overrides.
pub fn check_shock_horizon(raw: &RawScenario, file: &str) -> Result<(), InputError> {
    let epochs = raw.monte_carlo.epochs;
    match shocks_past_horizon(raw, epochs).next() {
        None => Ok(()),
        Some((i, start)) => Err(InputError::new(
            file,
            format!(
                "the shock starts at epoch {start}, but monteCarlo.epochs is {epochs}: it would \
                 never fire"
            ),
        )
        .at(format!("shocks[{i}].startEpoch"))
        .hint("start it before the last epoch, or lengthen the run")),
    }
}
