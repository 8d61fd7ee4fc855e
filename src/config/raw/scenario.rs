//! Serde mirror of `config/scenarios/<name>.json`: one simulation setup. The
//! `capitalEfficiency` block lives in `capital.rs`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::capital::RawCapital;

/// `config/scenarios/<name>.json`: one simulation setup.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawScenario {
    /// Scenario name (matches the file name by convention).
    pub name: String,
    /// One line shown by `pmmsim list`.
    pub description: String,
    /// `design` (topology plus assumed depths) or `deployed` (pools from deployment status).
    #[serde(default = "default_graph_mode")]
    #[schemars(extend("enum" = ["design", "deployed"]))]
    pub graph_mode: String,
    /// `hub_only` or `full_quote` (design mode only).
    #[serde(default = "default_topology")]
    #[schemars(extend("enum" = ["hub_only", "full_quote"]))]
    pub topology: String,
    /// Spoke chain ids in the graph; the hub chain is always included.
    pub chains: Vec<u64>,
    /// Denominations bridged as cW tokens (e.g. `USDC` gives cUSDC on the hub, cWUSDC on spokes).
    #[serde(default = "default_denominations")]
    pub denominations: Vec<String>,
    /// Pool defaults for `design` mode.
    #[serde(default)]
    pub pools: RawDesignPools,
    /// Bridges between chains and mint/burn links to the hub.
    #[serde(default)]
    pub bridges: RawBridges,
    /// The deep background AMM between anchors on each chain.
    #[serde(default)]
    pub background_amm: RawBackgroundAmm,
    /// The external cross-chain route (other bridges, CEX) competing with our pools.
    #[serde(default)]
    pub external_route: RawExternalRoute,
    /// Trades per epoch, sizes, endpoints.
    pub order_flow: RawOrderFlow,
    /// Router settings.
    #[serde(default)]
    pub router: RawRouter,
    /// Arbitrage step.
    #[serde(default)]
    pub arbitrage: RawArbitrage,
    /// Inventory bot step.
    #[serde(default)]
    pub bot: RawBot,
    /// Shocks over epoch windows.
    #[serde(default)]
    pub shocks: Vec<RawShock>,
    /// Monte Carlo settings.
    #[serde(default)]
    pub monte_carlo: RawMonteCarlo,
    /// Routing gate profile: `normal` or `stress` (churn limit).
    #[serde(default = "default_profile")]
    #[schemars(extend("enum" = ["normal", "stress"]))]
    pub gate_profile: String,
    /// Capital assumptions; absent for a routing-only baseline.
    #[serde(default)]
    pub capital_efficiency: Option<RawCapital>,
    /// Optimizer grid; absent when the scenario has no sweep.
    #[serde(default)]
    pub optimizer: Option<RawOptimizer>,
}

fn default_graph_mode() -> String {
    "design".into()
}
fn default_topology() -> String {
    "hub_only".into()
}
fn default_profile() -> String {
    "normal".into()
}
fn default_denominations() -> Vec<String> {
    vec!["USDC".into(), "USDT".into()]
}

/// Design-mode pool defaults.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawDesignPools {
    /// Target inventory per side `I*`, USD.
    pub depth_usd: f64,
    /// DODO slippage factor `k`, in [0, 1].
    pub k: f64,
    /// Pool fee, bps of output.
    pub fee_bps: f64,
}

impl Default for RawDesignPools {
    fn default() -> Self {
        Self {
            depth_usd: 2_000_000.0,
            k: 0.02,
            fee_bps: 15.0,
        }
    }
}

/// Bridge and mint/burn costs.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawBridges {
    /// Spoke-to-spoke bridges: `all` pairs of spokes, or `none` (everything goes via the hub).
    #[schemars(extend("enum" = ["all", "none"]))]
    pub spoke_links: String,
    /// Fee share `beta`, bps.
    pub fee_bps: f64,
    /// Fixed cost `gamma` per transfer, USD.
    pub fixed_cost_usd: f64,
    /// Latency, hours.
    pub latency_hours: f64,
    /// Latency premium `rho`, bps per hour of latency.
    pub latency_premium_bps_per_hour: f64,
    /// Mint/burn to the hub: fee share, bps.
    pub hub_fee_bps: f64,
    /// Mint/burn fixed cost, USD.
    pub hub_fixed_cost_usd: f64,
    /// Mint/burn latency, hours.
    pub hub_latency_hours: f64,
}

impl Default for RawBridges {
    fn default() -> Self {
        Self {
            spoke_links: "all".into(),
            fee_bps: 3.0,
            fixed_cost_usd: 2.0,
            latency_hours: 0.5,
            latency_premium_bps_per_hour: 1.0,
            hub_fee_bps: 2.0,
            hub_fixed_cost_usd: 1.0,
            hub_latency_hours: 0.25,
        }
    }
}

/// Background constant-product AMM between the anchors of each chain.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawBackgroundAmm {
    /// Fee, bps.
    pub fee_bps: f64,
    /// Reserves per side, USD (reset every epoch: a deep external market).
    pub depth_usd: f64,
}

impl Default for RawBackgroundAmm {
    fn default() -> Self {
        Self {
            fee_bps: 5.0,
            depth_usd: 200_000_000.0,
        }
    }
}

/// External cross-chain route between anchors (CEX, other bridges).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawExternalRoute {
    /// Proportional cost, bps.
    pub cost_bps: f64,
    /// Fixed cost per trade, USD.
    pub fixed_cost_usd: f64,
}

impl Default for RawExternalRoute {
    fn default() -> Self {
        Self {
            cost_bps: 30.0,
            fixed_cost_usd: 10.0,
        }
    }
}

/// Order flow.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawOrderFlow {
    /// Trades per epoch (before volume shocks).
    pub trades_per_epoch: u32,
    /// Trade size distribution.
    pub size: RawSize,
    /// Probability that a trade's destination is on another chain.
    #[serde(default = "default_cross_chain_share")]
    pub cross_chain_share: f64,
    /// Share of trades that start or end at a hub canonical token (mint/redeem flow).
    #[serde(default)]
    pub hub_share: f64,
    /// Relative weight of each spoke chain as a trade endpoint (default 1 each).
    #[serde(default)]
    pub chain_weights: Vec<RawChainWeight>,
    /// Directional lanes: a share of trades forced from one endpoint to another.
    #[serde(default)]
    pub lanes: Vec<RawLane>,
}

fn default_cross_chain_share() -> f64 {
    0.5
}

/// Trade size distribution.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawSize {
    /// `uniform`, `lognormal` or `pareto`.
    #[schemars(extend("enum" = ["uniform", "lognormal", "pareto"]))]
    pub distribution: String,
    /// uniform: lower bound, USD; pareto: scale `x_m`, USD.
    #[serde(default)]
    pub min_usd: Option<f64>,
    /// uniform: upper bound, USD; lognormal and pareto: cap, USD.
    #[serde(default)]
    pub max_usd: Option<f64>,
    /// lognormal: median, USD.
    #[serde(default)]
    pub median_usd: Option<f64>,
    /// lognormal: sigma of ln(size).
    #[serde(default)]
    pub sigma: Option<f64>,
    /// pareto: tail index `alpha` (> 1 for a finite mean).
    #[serde(default)]
    pub tail_index: Option<f64>,
}

/// Endpoint weight of one chain.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawChainWeight {
    pub chain_id: u64,
    pub weight: f64,
}

/// A directional lane.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawLane {
    pub from_chain: u64,
    pub from_token: String,
    pub to_chain: u64,
    pub to_token: String,
    /// Share of all trades on this lane, in [0, 1].
    pub share: f64,
}

/// Router settings.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawRouter {
    /// `K`: candidate paths considered per trade.
    pub max_paths: u32,
    /// Chunks a trade is split into for water-filling.
    pub chunks: u32,
    /// Longest path, in hops.
    pub max_hops: u32,
    /// A trade whose best output falls short of its input by more than this stalls, bps.
    pub max_cost_bps: f64,
}

impl Default for RawRouter {
    fn default() -> Self {
        Self {
            max_paths: 3,
            chunks: 8,
            max_hops: 6,
            max_cost_bps: 200.0,
        }
    }
}

/// Arbitrage step.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawArbitrage {
    /// Deviation `|P_pool - 1|` above which arbitrageurs act, bps.
    pub threshold_bps: f64,
    /// Largest arbitrage trade per pool per epoch, fraction of `I*`.
    pub max_fraction_of_target: f64,
}

impl Default for RawArbitrage {
    fn default() -> Self {
        Self {
            threshold_bps: 40.0,
            max_fraction_of_target: 0.05,
        }
    }
}

/// Inventory bot step.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawBot {
    /// Inject below this fraction of `I*`.
    pub low_water: f64,
    /// Withdraw above this fraction of `I*`.
    pub high_water: f64,
    /// Largest move per pool per epoch, fraction of `I*`.
    pub max_fraction_of_target_per_epoch: f64,
}

impl Default for RawBot {
    fn default() -> Self {
        Self {
            low_water: 0.9,
            high_water: 1.1,
            max_fraction_of_target_per_epoch: 0.25,
        }
    }
}

/// A shock over an epoch window `[startEpoch, endEpoch)`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawShock {
    /// `bridgeOutage`, `bridgeDegradation`, `volume`, `crash`, `sigmaSpike`, `redemptionSpike`.
    #[schemars(extend("enum" = ["bridgeOutage", "bridgeDegradation", "volume", "crash", "sigmaSpike", "redemptionSpike"]))]
    pub kind: String,
    /// First epoch of the window (0-based, inclusive).
    pub start_epoch: u32,
    /// End of the window (exclusive).
    pub end_epoch: u32,
    /// Bridge shocks: the chain pair; 138 names a hub mint/burn link.
    #[serde(default)]
    pub link: Option<[u64; 2]>,
    /// bridgeDegradation: cost multiplier.
    #[serde(default)]
    pub cost_multiplier: Option<f64>,
    /// bridgeDegradation: latency multiplier.
    #[serde(default)]
    pub latency_multiplier: Option<f64>,
    /// volume / redemptionSpike: multiplier on trades or on the Hawkes baseline.
    #[serde(default)]
    pub multiplier: Option<f64>,
    /// crash: fall of the external asset over the window, fraction (0.4 = -40%).
    #[serde(default)]
    pub drop: Option<f64>,
    /// sigmaSpike: sigma level during the window (annualised).
    #[serde(default)]
    pub sigma: Option<f64>,
}

/// Monte Carlo settings.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawMonteCarlo {
    pub paths: u64,
    pub epochs: u32,
    pub epoch_days: f64,
    pub seed: u64,
}

impl Default for RawMonteCarlo {
    fn default() -> Self {
        Self {
            paths: 1000,
            epochs: 365,
            epoch_days: 1.0,
            seed: 42,
        }
    }
}

/// The optimizer grid of a scenario.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawOptimizer {
    /// Run the sweep by default (`--optimizer` turns it on for any scenario).
    #[serde(default)]
    pub enabled: bool,
    /// Leverage values to try, x.
    pub leverage: Vec<f64>,
    /// Yield sleeve shares to try; default: the scenario's own alpha.
    #[serde(default)]
    pub alpha: Vec<f64>,
    /// Spreads to try, bps; default: the scenario's own spread.
    #[serde(default)]
    pub spread_bps: Vec<f64>,
    /// External shares of the sleeve's collateral to try; default: the scenario's own mix.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_share: Vec<f64>,
    /// Paths per candidate; default: the scenario's `monteCarlo.paths`.
    #[serde(default)]
    pub paths: Option<u64>,
}
