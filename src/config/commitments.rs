//! The checked treasury liquidity commitments: each on a chain of the deployment, one
//! per chain and source, with amounts and lags `>= 0` and a bridge reserve inside its
//! committed amount.

use super::check::Checker;
use super::deployment::Deployment;
use super::limits::MAX_DESCRIPTION_CHARS;
use super::raw::{RawCommitment, RawCommitments};
use crate::error::InputError;

/// A validated `treasury-liquidity-commitments.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Commitments {
    /// Free text: who approved, when.
    pub note: Option<String>,
    pub commitments: Vec<Commitment>,
}

/// One documented source of treasury liquidity on one chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Commitment {
    /// A chain of the deployment.
    pub chain_id: u64,
    /// Source, e.g. `treasury multisig`.
    pub source: String,
    /// Committed amount, USD; `>= 0`.
    pub amount_usd: f64,
    /// Epochs before the funds can be used; `>= 0`.
    pub availability_lag_epochs: f64,
    /// Bridge latency to the chain, epochs; `>= 0`.
    pub bridge_latency_epochs: f64,
    /// Amount held as bridge buffer on the chain, USD; in [0, `amount_usd`].
    pub bridge_reserve_usd: f64,
}

impl Commitments {
    pub fn check(
        raw: RawCommitments,
        deployment: &Deployment,
        file: &str,
    ) -> Result<Self, InputError> {
        let c = Checker::new(file);
        if let Some(note) = &raw.note {
            c.text("note", note, MAX_DESCRIPTION_CHARS)?;
        }
        for (i, item) in raw.commitments.iter().enumerate() {
            let at = format!("commitments[{i}]");
            c.name(&format!("{at}.source"), &item.source)?;
            if let Some(j) = raw.commitments[..i]
                .iter()
                .position(|o| o.chain_id == item.chain_id && o.source == item.source)
            {
                return Err(c
                    .error(
                        &at,
                        format!(
                            "a second commitment from `{}` on chain {} (the first is \
                         commitments[{j}]); a repeated commitment counts its amount and bridge \
                         reserve twice",
                            item.source, item.chain_id
                        ),
                    )
                    .hint("merge the two into one entry"));
            }
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
        Ok(Self {
            note: raw.note,
            commitments: raw.commitments.into_iter().map(Commitment::from).collect(),
        })
    }
}

impl From<RawCommitment> for Commitment {
    fn from(raw: RawCommitment) -> Self {
        Self {
            chain_id: raw.chain_id,
            source: raw.source,
            amount_usd: raw.amount_usd,
            availability_lag_epochs: raw.availability_lag_epochs,
            bridge_latency_epochs: raw.bridge_latency_epochs,
            bridge_reserve_usd: raw.bridge_reserve_usd,
        }
    }
}
