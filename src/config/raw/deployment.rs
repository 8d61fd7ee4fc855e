//! Serde mirror of `config/deployment-status.json`: the chains and their deployed pools.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `config/deployment-status.json`: the chains and the pools deployed on them.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawDeployment {
    pub hub_chain_id: u64,
    pub chains: Vec<RawChain>,
}

/// One chain of the deployment.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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
