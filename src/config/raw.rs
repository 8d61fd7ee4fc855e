//! Serde types that mirror the JSON config files one to one (first parsing stage).
//!
//! Every struct denies unknown keys so a typo is an error, never a silently ignored
//! setting. Nothing here is validated beyond its JSON type: `config::checked` turns these
//! into the types the engine sees. Keys are camelCase, as the source documents write them.

use serde::{Deserialize, Serialize};

/// `config/scenarios/<name>.json`: one simulation setup.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawScenario {
    /// Scenario name (matches the file name by convention).
    pub name: String,
    /// One line shown by `pmmsim list`.
    pub description: String,
    /// `design` (topology plus assumed depths) or `deployed` (pools from deployment status).
    #[serde(default = "default_graph_mode")]
    pub graph_mode: String,
    /// `hub_only` or `full_quote` (design mode only).
    #[serde(default = "default_topology")]
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
    pub gate_profile: String,
    /// Capital assumptions; absent for a routing-only baseline.
    #[serde(default)]
    pub capital_efficiency: Option<super::capital::RawCapital>,
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
#[derive(Debug, Clone, Deserialize, Serialize)]
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
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawBridges {
    /// Spoke-to-spoke bridges: `all` pairs of spokes, or `none` (everything goes via the hub).
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
#[derive(Debug, Clone, Deserialize, Serialize)]
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
#[derive(Debug, Clone, Deserialize, Serialize)]
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
#[derive(Debug, Clone, Deserialize, Serialize)]
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
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawSize {
    /// `uniform`, `lognormal` or `pareto`.
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
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawChainWeight {
    pub chain_id: u64,
    pub weight: f64,
}

/// A directional lane.
#[derive(Debug, Clone, Deserialize, Serialize)]
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
#[derive(Debug, Clone, Deserialize, Serialize)]
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
#[derive(Debug, Clone, Deserialize, Serialize)]
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
#[derive(Debug, Clone, Deserialize, Serialize)]
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
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawShock {
    /// `bridgeOutage`, `bridgeDegradation`, `volume`, `crash`, `sigmaSpike`, `redemptionSpike`.
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
#[derive(Debug, Clone, Deserialize, Serialize)]
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

/// `config/deployment-status.json`: the chains and the pools deployed on them.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawDeployment {
    pub hub_chain_id: u64,
    pub chains: Vec<RawChain>,
}

/// One chain of the deployment.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawChain {
    pub chain_id: u64,
    pub name: String,
    /// The chain's anchor stables; the first is its hub anchor.
    pub anchors: Vec<String>,
    /// Deployed PMM pools.
    #[serde(default)]
    pub pools: Vec<RawDeployedPool>,
}

/// A deployed PMM pool.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawDeployedPool {
    /// Base token (cW token, or canonical token on the hub).
    pub base: String,
    /// Quote token (anchor).
    pub quote: String,
    /// Target inventory per side, USD.
    pub depth_usd: f64,
    pub k: f64,
    pub fee_bps: f64,
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Contract address, informational.
    #[serde(default)]
    pub address: Option<String>,
}

fn default_true() -> bool {
    true
}

/// `config/treasury-liquidity-commitments.json`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawCommitments {
    /// Free text: who approved, when.
    #[serde(default)]
    pub note: Option<String>,
    pub commitments: Vec<RawCommitment>,
}

/// One documented source of treasury liquidity on one chain.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawCommitment {
    pub chain_id: u64,
    /// Source, e.g. `treasury multisig`.
    pub source: String,
    /// Committed amount, USD.
    pub amount_usd: f64,
    /// Epochs before the funds can be used.
    pub availability_lag_epochs: f64,
    /// Bridge latency to the chain, epochs.
    pub bridge_latency_epochs: f64,
    /// Amount held as bridge buffer on the chain, USD.
    pub bridge_reserve_usd: f64,
}

/// `config/capital-efficiency-policy.json`: institutional defaults and gates.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawPolicy {
    /// External liquidity floor, share of total capital `T`.
    pub external_liquidity_floor: f64,
    pub leverage: RawLeveragePolicy,
    pub ltv: RawLtvPolicy,
    pub spread: RawSpreadPolicy,
    pub volatility: RawVolatilityPolicy,
    pub peg: RawPegPolicy,
    pub gates: RawGates,
    pub routing_gates: RawRoutingGates,
    pub optimizer: RawOptimizerWeights,
    /// Gates no simulation can clear.
    #[serde(default)]
    pub evidence_gates: Vec<RawEvidenceGate>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawLeveragePolicy {
    /// Stress-deployable band `[low, high]`, x.
    pub stress_deployable: [f64; 2],
    /// Target band for future audited optimisation, x.
    pub audited_target: [f64; 2],
    /// Optimizer candidates above this are never deployable, x.
    pub deployable_cap: f64,
    /// Candidates above this are rejected before simulation, x.
    pub hard_limit: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawLtvPolicy {
    /// Operating ceiling: deleverage above it.
    pub default_max: f64,
    /// Liquidation at or above it.
    pub hard_ceiling: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawSpreadPolicy {
    /// Target spread band, bps; the low end is the default.
    pub target_bps: [f64; 2],
    /// Spread while throttled (`sigma > sigmaCrit`), bps.
    pub throttle_spread_bps: f64,
    /// Spread on the peg circuit breaker, bps.
    pub circuit_breaker_spread_bps: f64,
    /// Ceiling on any spread, bps.
    pub ceiling_bps: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawVolatilityPolicy {
    /// Throttle when annualised sigma exceeds this.
    pub sigma_crit: f64,
    /// Effective alpha multiplier while throttled.
    pub throttle_alpha_factor: f64,
    /// Effective leverage multiplier while throttled (applied to L - 1).
    pub throttle_leverage_factor: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawPegPolicy {
    /// `|P - 1|` above this counts toward `peg_deviation_frequency`.
    pub deviation_threshold: f64,
    /// `|P - 1|` above this trips the circuit breaker.
    pub circuit_break_deviation: f64,
    /// Normal pool deviation band, bps.
    pub normal_band_bps: [f64; 2],
    /// Stress pool deviation band, bps.
    pub stress_band_bps: [f64; 2],
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawGates {
    pub max_drawdown_p95: f64,
    pub liquidation_probability: f64,
    pub peg_deviation_frequency: f64,
    pub external_liquidity_floor_violations: f64,
    /// Minimum `roi_p05` in a deployable profile.
    pub roi_p05_min: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawRoutingGates {
    /// Capture corridor `[low, high]`, share of volume.
    pub capture_corridor: [f64; 2],
    /// Largest `churn_mean` in a normal scenario, per epoch.
    pub churn_max_normal: f64,
    /// Largest `churn_mean` in a stress scenario, per epoch.
    pub churn_max_stress: f64,
    /// Largest post-bot peak deviation (p95 over paths), bps: the circuit-break band.
    pub peak_deviation_bps_max: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawOptimizerWeights {
    /// Score penalty per unit of liquidation probability.
    pub liquidation_weight: f64,
    /// Score penalty per unit of p95 drawdown.
    pub drawdown_weight: f64,
    /// Score penalty per unit of peg deviation frequency.
    pub peg_deviation_weight: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawEvidenceGate {
    pub name: String,
    /// `external` (needs signed evidence) or `complete`.
    pub status: String,
    #[serde(default)]
    pub evidence: Option<String>,
}

/// The optimizer grid of a scenario.
#[derive(Debug, Clone, Deserialize, Serialize)]
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
    /// Paths per candidate; default: the scenario's `monteCarlo.paths`.
    #[serde(default)]
    pub paths: Option<u64>,
}
