//! The checked deployment status: the hub, every chain once with its anchors (a spoke
//! has at least one), and the pools deployed on them with depths, `k` and fees in range.

use super::check::Checker;
use super::raw::{RawChain, RawDeployedPool, RawDeployment};
use crate::error::InputError;

/// A validated `deployment-status.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Deployment {
    /// The hub chain; listed in `chains`.
    pub hub_chain_id: u64,
    /// Every chain once, in file order.
    pub chains: Vec<DeployedChain>,
}

/// One chain of the deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct DeployedChain {
    pub chain_id: u64,
    pub name: String,
    /// The chain's anchor stables; the first is its hub anchor (empty only on the hub).
    pub anchors: Vec<String>,
    /// Deployed PMM pools.
    pub pools: Vec<DeployedPool>,
}

/// A deployed PMM pool.
#[derive(Debug, Clone, PartialEq)]
pub struct DeployedPool {
    /// Base token (cW token, or canonical token on the hub).
    pub base: String,
    /// Quote token (anchor); differs from `base`.
    pub quote: String,
    /// Target inventory per side, USD; `> 0`.
    pub depth_usd: f64,
    /// DODO slippage factor, in [0, 1].
    pub k: f64,
    /// Fee, bps, in [0, 1000].
    pub fee_bps: f64,
    pub enabled: bool,
    /// Contract address, informational.
    pub address: Option<String>,
}

impl Deployment {
    pub fn check(raw: RawDeployment, file: &str) -> Result<Self, InputError> {
        let c = Checker::new(file);
        if !raw.chains.iter().any(|ch| ch.chain_id == raw.hub_chain_id) {
            return Err(c.error(
                "hubChainId",
                format!("hub chain {} is not listed in chains", raw.hub_chain_id),
            ));
        }
        for (i, chain) in raw.chains.iter().enumerate() {
            if raw.chains[..i]
                .iter()
                .any(|other| other.chain_id == chain.chain_id)
            {
                return Err(c.error(
                    &format!("chains[{i}].chainId"),
                    format!("chain {} is listed twice", chain.chain_id),
                ));
            }
            if chain.chain_id != raw.hub_chain_id && chain.anchors.is_empty() {
                return Err(c.error(
                    &format!("chains[{i}].anchors"),
                    "a spoke chain needs at least one anchor stable",
                ));
            }
            for (j, pool) in chain.pools.iter().enumerate() {
                let at = format!("chains[{i}].pools[{j}]");
                c.positive(&format!("{at}.depthUsd"), pool.depth_usd)?;
                c.range(&format!("{at}.k"), pool.k, 0.0, 1.0)?;
                c.range(&format!("{at}.feeBps"), pool.fee_bps, 0.0, 1_000.0)?;
                if pool.base == pool.quote {
                    return Err(c.error(&at, "base and quote must differ"));
                }
            }
        }
        Ok(Self {
            hub_chain_id: raw.hub_chain_id,
            chains: raw.chains.into_iter().map(DeployedChain::from).collect(),
        })
    }

    /// The chain entry for `chain_id`.
    pub fn chain(&self, chain_id: u64) -> Option<&DeployedChain> {
        self.chains.iter().find(|c| c.chain_id == chain_id)
    }
}

impl From<RawChain> for DeployedChain {
    fn from(raw: RawChain) -> Self {
        Self {
            chain_id: raw.chain_id,
            name: raw.name,
            anchors: raw.anchors,
            pools: raw.pools.into_iter().map(DeployedPool::from).collect(),
        }
    }
}

impl From<RawDeployedPool> for DeployedPool {
    fn from(raw: RawDeployedPool) -> Self {
        Self {
            base: raw.base,
            quote: raw.quote,
            depth_usd: raw.depth_usd,
            k: raw.k,
            fee_bps: raw.fee_bps,
            enabled: raw.enabled,
            address: raw.address,
        }
    }
}
