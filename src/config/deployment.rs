//! Checked deployment status and treasury liquidity commitments.

use std::ops::Deref;

use super::check::Checker;
use super::raw::{RawCommitments, RawDeployment};
use crate::error::InputError;

/// A validated `deployment-status.json`.
#[derive(Debug, Clone)]
pub struct Deployment(RawDeployment);

impl Deref for Deployment {
    type Target = RawDeployment;
    fn deref(&self) -> &RawDeployment {
        &self.0
    }
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
        Ok(Self(raw))
    }

    /// The chain entry for `chain_id`.
    pub fn chain(&self, chain_id: u64) -> Option<&super::raw::RawChain> {
        self.chains.iter().find(|c| c.chain_id == chain_id)
    }
}

/// A validated `treasury-liquidity-commitments.json`.
#[derive(Debug, Clone)]
pub struct Commitments(RawCommitments);

impl Deref for Commitments {
    type Target = RawCommitments;
    fn deref(&self) -> &RawCommitments {
        &self.0
    }
}

impl Commitments {
    pub fn check(
        raw: RawCommitments,
        deployment: &Deployment,
        file: &str,
    ) -> Result<Self, InputError> {
        let c = Checker::new(file);
        for (i, item) in raw.commitments.iter().enumerate() {
            let at = format!("commitments[{i}]");
            if deployment.chain(item.chain_id).is_none() {
                return Err(c.error(
                    &format!("{at}.chainId"),
                    format!("chain {} is not in deployment-status.json", item.chain_id),
                ));
            }
            c.non_negative(&format!("{at}.amountUsd"), item.amount_usd)?;
            c.non_negative(
                &format!("{at}.availabilityLagEpochs"),
                item.availability_lag_epochs,
            )?;
            c.non_negative(
                &format!("{at}.bridgeLatencyEpochs"),
                item.bridge_latency_epochs,
            )?;
            c.non_negative(&format!("{at}.bridgeReserveUsd"), item.bridge_reserve_usd)?;
            if item.bridge_reserve_usd > item.amount_usd {
                return Err(c.error(
                    &format!("{at}.bridgeReserveUsd"),
                    "the bridge reserve is part of the committed amount and cannot exceed it",
                ));
            }
        }
        Ok(Self(raw))
    }
}
