//! The scorecard: the one result type every output format renders and `diff` reads back.
//! Field names are the ones users know from the source documents; each estimate carries
//! its Monte Carlo uncertainty beside it (`_se` for means, `_ci95` for quantiles and
//! probabilities). Everything two runs with the same inputs must share comes before
//! `run_info`, which holds the only volatile values (time, duration, host). A scorecard
//! embeds the inputs it was run from and a content digest (`seal`). `catalog`
//! lists its metrics once for every output format.

pub mod advice;
pub mod assemble;
pub mod build;
pub mod capital;
pub mod catalog;
pub mod distributions;
pub mod rare;
pub mod runbook;
pub mod seal;
pub mod sizing;
pub use crate::gates;
pub use sizing::Sizing;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::stats::Interval;

/// Bumped whenever a field is renamed, removed or changes meaning.
pub const SCHEMA_VERSION: u32 = 3;

/// The scorecard of one scenario run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Scorecard {
    /// Layout version of this document; `diff` refuses to compare different versions.
    pub schema_version: u32,
    /// Scenario name.
    pub scenario: String,
    /// Scenario description.
    pub description: String,
    /// What was simulated: seed, path count, horizon and the inputs' hash.
    pub inputs: InputsInfo,
    /// Routing-layer metrics (every scenario).
    pub routing: RoutingMetrics,
    /// Capital metrics; absent for a routing-only scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capital: Option<capital::CapitalMetrics>,
    /// What the charts draw (capital scenarios): ROI and drawdown histograms, and the
    /// per-epoch quantiles across paths of capital and drawdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distributions: Option<distributions::Distributions>,
    /// Policy and routing gates: metric, threshold, value, pass.
    pub gates: Vec<gates::Gate>,
    /// Ranked candidates when the optimizer ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optimizer: Option<crate::optimizer::OptimizerResult>,
    /// The looks of a sized run (`--precision`, `validate --paths auto`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sizing: Option<Sizing>,
    /// How an importance-sampled run (`--rare-events`) drew its paths: the mixture, the
    /// effective sample size and the variance reduction; absent for a plain run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rare_events: Option<rare::RareEventsReport>,
    /// `run --advise`: for each runbook procedure answering a failed gate, the posture
    /// simulated after it on the same paths and the gates then; absent without `--advise`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advice: Option<Vec<advice::ProcedureAdvice>>,
    /// The inputs the scorecard was run from, in full (`pmmsim run --from` reruns them).
    pub resolved_inputs: seal::EmbeddedInputs,
    /// SHA-256 of the canonical JSON (sorted keys, no whitespace) of this scorecard without
    /// `run_info` and without `digest`; `diff` and `run --from` refuse a mismatch.
    pub digest: String,
    /// Provenance; ignored by `diff` and by the digest.
    pub run_info: RunInfo,
}

/// The resolved inputs of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InputsInfo {
    /// SHA-256 of the canonical JSON (sorted keys) of the scenario as run (after
    /// command-line overrides), the policy and the deployment status.
    pub inputs_hash: String,
    /// Base seed; path `i` uses ChaCha8 seeded with it on stream `i`.
    pub seed: u64,
    /// Monte Carlo paths.
    pub paths: u64,
    /// Epochs per path.
    pub epochs: u32,
    /// Days per epoch.
    pub epoch_days: f64,
    /// `design` or `deployed`.
    pub graph_mode: String,
    /// `hub_only` or `full_quote`.
    pub topology: String,
    /// Pools, bridge/mint-burn links and candidate routes in the graph.
    pub pool_count: u64,
    pub link_count: u64,
    pub route_count: u64,
}

/// Routing metrics (model.md section 3). Means are over paths of a per-path figure and
/// carry a standard error (`_se`); `_total` figures are per path over the whole horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RoutingMetrics {
    /// Mean share of routed volume that went through our pools (per epoch, averaged).
    pub capture_mean: f64,
    pub capture_mean_se: f64,
    /// Per-path 95th percentile of epoch capture, averaged over paths.
    pub capture_p95: f64,
    pub capture_p95_se: f64,
    /// Mean epoch churn `sum |dI| / sum I*` (inventory turned over per epoch).
    pub churn_mean: f64,
    pub churn_mean_se: f64,
    /// Per-path 95th percentile of epoch churn, averaged over paths.
    pub churn_p95: f64,
    pub churn_p95_se: f64,
    /// Largest epoch churn in any path.
    pub churn_max: f64,
    /// Bot intervention cost per path over the horizon, USD.
    pub intervention_cost_total: f64,
    pub intervention_cost_total_se: f64,
    pub intervention_cost_inject_total: f64,
    pub intervention_cost_inject_total_se: f64,
    pub intervention_cost_withdraw_total: f64,
    pub intervention_cost_withdraw_total_se: f64,
    /// Per chain, mean per path, USD.
    pub intervention_cost_by_chain: Vec<ChainCost>,
    /// Intervention cost per USD 1M of routed volume (ratio of means).
    #[serde(rename = "intervention_cost_per_1M_volume")]
    pub intervention_cost_per_1m_volume: f64,
    #[serde(rename = "intervention_cost_per_1M_volume_se")]
    pub intervention_cost_per_1m_volume_se: f64,
    /// Routed volume per path, USD.
    pub volume_total: f64,
    pub volume_total_se: f64,
    /// Volume per path that found no route within the router's cost limit, USD.
    pub stalled_volume_total: f64,
    /// Fees earned by our pools per path, USD.
    pub fees_total: f64,
    pub fees_total_se: f64,
    /// Peak |pool deviation| before arbitrage, bps (mean over paths of the per-path peak).
    pub peak_deviation_bps_pre_arb: f64,
    pub peak_deviation_bps_pre_arb_se: f64,
    /// Peak |pool deviation| after arbitrage, bps (mean over paths of the per-path peak).
    pub peak_deviation_bps: f64,
    pub peak_deviation_bps_se: f64,
    /// 95th percentile over paths of the per-path post-arbitrage peak, bps.
    pub peak_deviation_bps_p95: f64,
    pub peak_deviation_bps_p95_ci95: Interval,
    /// Peak |pool deviation| after the bot, bps (mean over paths).
    pub peak_deviation_bps_post_bot: f64,
    pub peak_deviation_bps_post_bot_se: f64,
    /// 95th percentile over paths of the per-path post-bot peak, bps (gated).
    pub peak_deviation_bps_post_bot_p95: f64,
    pub peak_deviation_bps_post_bot_p95_ci95: Interval,
    /// Arbitrage volume per path, USD.
    pub arb_volume_total: f64,
    pub arb_volume_total_se: f64,
    /// Arbitrage profit per path, measured on execution, USD.
    pub arb_profit_total: f64,
    pub arb_profit_total_se: f64,
    /// Per pool: epochs until routing alone would halve its inventory.
    pub drain_half_life_epochs: Vec<PoolHalfLife>,
    /// Herfindahl index of route shares of volume (1 = one route carries everything).
    pub path_concentration_index: f64,
    pub path_concentration_index_se: f64,
    /// Chunks routed through more than one of our pools on one chain, all paths.
    pub reflexive_route_count: u64,
    /// The same, mean per path.
    pub reflexive_route_count_per_path: f64,
    pub reflexive_route_count_per_path_se: f64,
    /// The pools with the largest post-arbitrage peak deviation, worst first.
    pub worst_pools: Vec<PoolDiagnostics>,
    /// Per chain: peak epoch outflow over bridges (the bridge-buffer rule's input).
    #[serde(rename = "peakBridgeOutflow")]
    pub peak_bridge_outflow: Vec<ChainOutflow>,
    /// Per bridge or mint/burn link: peak epoch flow.
    pub bridge_links: Vec<LinkFlow>,
}

/// Intervention cost on one chain, mean per path, USD.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChainCost {
    pub chain_id: u64,
    pub chain: String,
    pub inject: f64,
    pub withdraw: f64,
    pub total: f64,
}

/// Drain half-life of one pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PoolHalfLife {
    pub chain_id: u64,
    /// `base/quote`, e.g. `cWUSDC/USDC`.
    pub pool: String,
    /// Mean |net routing flow| per epoch, USD.
    pub net_flow_per_epoch: f64,
    /// `0.5 I* / net_flow_per_epoch`; null when no flow reached the pool.
    pub half_life_epochs: Option<f64>,
}

/// Diagnostics of one pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PoolDiagnostics {
    pub chain_id: u64,
    pub pool: String,
    /// Target inventory per side, USD.
    pub depth_usd: f64,
    /// Mean over paths of the per-path post-arbitrage peak |deviation|, bps.
    pub peak_deviation_bps_mean: f64,
    /// Largest over paths, bps.
    pub peak_deviation_bps_max: f64,
    /// Mean churn of this pool per epoch (`|dI| / I*`).
    pub churn_per_epoch: f64,
    /// Fees per path, USD.
    pub fees: f64,
    /// Drain half-life, epochs.
    pub half_life_epochs: Option<f64>,
}

/// Peak bridged outflow of one chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChainOutflow {
    pub chain_id: u64,
    pub chain: String,
    /// Mean over paths of the per-path peak epoch outflow, USD per epoch.
    pub mean_usd_per_epoch: f64,
    /// 95th percentile over paths, USD per epoch (used by the bridge-buffer rule).
    pub p95_usd_per_epoch: f64,
    /// Largest over paths, USD per epoch.
    pub max_usd_per_epoch: f64,
}

/// Peak flow over one link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LinkFlow {
    /// `bridge` or `mint_burn`.
    pub kind: String,
    pub chain_a: u64,
    pub chain_b: u64,
    /// Mean over paths of the per-path peak epoch flow (either direction), USD.
    pub peak_flow_mean_usd: f64,
    /// Largest over paths, USD.
    pub peak_flow_max_usd: f64,
}

/// Provenance: the only part of a scorecard that differs between identical runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RunInfo {
    pub tool_version: String,
    /// Start time, seconds since the Unix epoch.
    pub started_unix: u64,
    pub duration_secs: f64,
    pub threads: u64,
    pub host: String,
}
