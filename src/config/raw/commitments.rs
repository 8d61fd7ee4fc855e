//! Serde mirror of `config/treasury-liquidity-commitments.json`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `config/treasury-liquidity-commitments.json`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawCommitments {
    /// Free text: who approved, when.
    #[serde(default)]
    pub note: Option<String>,
    pub commitments: Vec<RawCommitment>,
}

/// One documented source of treasury liquidity on one chain.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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
