//! The checked scenario's parts: graph, order flow, router, arbitrage, bot, shocks, Monte
//! Carlo and optimizer settings, every value in range and every reference resolved.
//! Built only by the checkers next to this file.

/// `design` (assumed pools) or `deployed` (pools from `deployment-status.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphMode {
    Design,
    Deployed,
}

impl GraphMode {
    /// The word the scenario file uses (`graphMode`): `design` or `deployed`.
    pub fn as_str(self) -> &'static str {
        match self {
            GraphMode::Design => "design",
            GraphMode::Deployed => "deployed",
        }
    }
}

/// Which anchors a cW token is paired with in design mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topology {
    HubOnly,
    FullQuote,
}

impl Topology {
    /// The word the scenario file uses (`topology`): `hub_only` or `full_quote`.
    pub fn as_str(self) -> &'static str {
        match self {
            Topology::HubOnly => "hub_only",
            Topology::FullQuote => "full_quote",
        }
    }
}

/// A chain in the graph.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainSpec {
    pub id: u64,
    pub name: String,
    /// Anchor stables (empty on the hub).
    pub anchors: Vec<String>,
}

/// One of our PMM pools.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolSpec {
    pub chain: u64,
    /// Base token: the cW token (or a canonical token on the hub).
    pub base: String,
    /// Quote token: the anchor.
    pub quote: String,
    /// Target inventory per side `I*`, USD.
    pub depth: f64,
    /// DODO slippage factor.
    pub k: f64,
    /// Fee, fraction of output.
    pub fee: f64,
}

/// Cost of a bridge or mint/burn link: `y = x (1 - fee) - fixed - premium * latency * x`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkCost {
    /// Fee share `beta`, fraction.
    pub fee: f64,
    /// Fixed cost `gamma`, USD.
    pub fixed: f64,
    /// Latency, hours.
    pub latency_hours: f64,
    /// Latency premium `rho`, fraction per hour.
    pub premium_per_hour: f64,
}

/// The resolved graph settings. `topology` is the scenario's word even in deployed mode,
/// where the pools come from the deployment and it has no effect.
#[derive(Debug, Clone)]
pub struct GraphSpec {
    pub hub: u64,
    pub mode: GraphMode,
    pub topology: Topology,
    /// Hub first, then the spokes in scenario order.
    pub chains: Vec<ChainSpec>,
    pub denominations: Vec<String>,
    pub pools: Vec<PoolSpec>,
    pub spoke_links: bool,
    pub bridge: LinkCost,
    pub hub_link: LinkCost,
    /// Background AMM fee (fraction) and reserves per side (USD).
    pub amm_fee: f64,
    pub amm_depth: f64,
    /// External route cost (fraction) and fixed cost (USD).
    pub external_cost: f64,
    pub external_fixed: f64,
}

/// Trade size distribution, USD.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SizeDist {
    Uniform { min: f64, max: f64 },
    LogNormal { median: f64, sigma: f64, cap: f64 },
    Pareto { scale: f64, tail: f64, cap: f64 },
}

/// A directional lane of order flow.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneSpec {
    pub from: (u64, String),
    pub to: (u64, String),
    pub share: f64,
}

/// Order flow settings.
#[derive(Debug, Clone)]
pub struct FlowSpec {
    pub trades_per_epoch: u32,
    pub size: SizeDist,
    pub cross_chain_share: f64,
    pub hub_share: f64,
    /// Weight per spoke chain, aligned with `GraphSpec::chains[1..]`.
    pub chain_weights: Vec<f64>,
    pub lanes: Vec<LaneSpec>,
}

/// Router settings.
#[derive(Debug, Clone, Copy)]
pub struct RouterSpec {
    pub max_paths: usize,
    pub chunks: usize,
    pub max_hops: usize,
    /// Largest acceptable cost, fraction of input; worse trades stall.
    pub max_cost: f64,
}

/// Arbitrage settings.
#[derive(Debug, Clone, Copy)]
pub struct ArbSpec {
    /// Deviation threshold, fraction.
    pub threshold: f64,
    pub max_fraction: f64,
}

/// Inventory bot settings.
#[derive(Debug, Clone, Copy)]
pub struct BotSpec {
    pub low_water: f64,
    pub high_water: f64,
    pub max_fraction: f64,
}

/// What a shock does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ShockKind {
    BridgeOutage {
        a: u64,
        b: u64,
    },
    BridgeDegradation {
        a: u64,
        b: u64,
        cost_multiplier: f64,
        latency_multiplier: f64,
    },
    Volume {
        multiplier: f64,
    },
    Crash {
        drop: f64,
    },
    SigmaSpike {
        sigma: f64,
    },
    RedemptionSpike {
        multiplier: f64,
    },
}

/// A shock over epochs `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shock {
    pub kind: ShockKind,
    pub start: u32,
    pub end: u32,
}

impl Shock {
    /// Whether the shock is active in `epoch`.
    pub fn active(&self, epoch: u32) -> bool {
        epoch >= self.start && epoch < self.end
    }
}

/// Monte Carlo settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonteCarlo {
    pub paths: u64,
    pub epochs: u32,
    pub epoch_days: f64,
    pub seed: u64,
}

impl MonteCarlo {
    /// Epoch length in years.
    pub fn dt(&self) -> f64 {
        self.epoch_days / 365.0
    }
}

/// The checked optimizer grid of a scenario (`optimizer`).
#[derive(Debug, Clone, PartialEq)]
pub struct OptimizerSpec {
    /// Run the sweep by default (`--optimizer` turns it on for any scenario).
    pub enabled: bool,
    /// Leverage values to try, x: at least one, each in [1, 100]. Values above the
    /// policy's hard limit are kept: the optimizer rejects them with a reason.
    pub leverage: Vec<f64>,
    /// Yield sleeve shares to try, each in [0, 1]; `None` (never an empty list): the
    /// scenario's own alpha.
    pub alpha: Option<Vec<f64>>,
    /// Spreads to try, bps, each in [0, the policy's spread ceiling]; `None` (never an
    /// empty list): the scenario's own spread.
    pub spread_bps: Option<Vec<f64>>,
    /// External shares of the sleeve's collateral to try, each in [0, 1]; `None`: the
    /// scenario's own mix.
    pub external_share: Option<Vec<f64>>,
    /// Paths per candidate, in [1, `MAX_PATHS`]; `None`: the scenario's `monteCarlo.paths`.
    pub paths: Option<u64>,
}
