//! The checked deployment status: the hub, every chain once with its anchors (a spoke
//! has at least one, each once), and the pools deployed on them: each pair once per
//! chain, a spoke pool quoting one of its chain's anchors, depths, `k` and fees in range,
//! and at least one pool enabled.

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
            c.name(&format!("chains[{i}].name"), &chain.name)?;
            let is_hub = chain.chain_id == raw.hub_chain_id;
            if !is_hub && chain.anchors.is_empty() {
                return Err(c.error(
                    &format!("chains[{i}].anchors"),
                    "a spoke chain needs at least one anchor stable",
                ));
            }
            for (j, anchor) in chain.anchors.iter().enumerate() {
                let at = format!("chains[{i}].anchors[{j}]");
                c.name(&at, anchor)?;
                if chain.anchors[..j].contains(anchor) {
                    return Err(c.error(
                        &at,
                        format!(
                            "anchor `{anchor}` is listed twice on chain {}",
                            chain.chain_id
                        ),
                    ));
                }
            }
            for (j, pool) in chain.pools.iter().enumerate() {
                let at = format!("chains[{i}].pools[{j}]");
                c.name(&format!("{at}.base"), &pool.base)?;
                c.name(&format!("{at}.quote"), &pool.quote)?;
                if let Some(address) = &pool.address {
                    c.name(&format!("{at}.address"), address)?;
                }
                c.positive(&format!("{at}.depthUsd"), pool.depth_usd)?;
                c.range(&format!("{at}.k"), pool.k, 0.0, 1.0)?;
                c.range(&format!("{at}.feeBps"), pool.fee_bps, 0.0, 1_000.0)?;
                if pool.base == pool.quote {
                    return Err(c.error(&at, "base and quote must differ"));
                }
                if !is_hub && !chain.anchors.contains(&pool.quote) {
                    return Err(c.error(
                        &format!("{at}.quote"),
                        format!(
                            "`{}` is not an anchor of chain {} (its anchors: {}); a spoke pool \
                             quotes one of its chain's anchors",
                            pool.quote,
                            chain.chain_id,
                            chain.anchors.join(", ")
                        ),
                    ));
                }
                if let Some(k) = chain.pools[..j]
                    .iter()
                    .position(|p| p.base == pool.base && p.quote == pool.quote)
                {
                    return Err(c.error(
                        &at,
                        format!(
                            "pool {}/{} on chain {} is listed twice (also at chains[{i}].pools[{k}])",
                            pool.base, pool.quote, chain.chain_id
                        ),
                    ));
                }
            }
        }
        if !raw
            .chains
            .iter()
            .flat_map(|ch| &ch.pools)
            .any(|p| p.enabled)
        {
            return Err(c.error(
                "chains",
                "no pool is enabled: a deployment needs at least one enabled pool",
            ));
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
