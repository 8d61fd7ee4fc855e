//! Serde types that mirror the JSON config files one to one (first parsing stage), one
//! file per input file.
//!
//! Every struct denies unknown keys so a typo is an error, never a silently ignored
//! setting. Nothing here is validated beyond its JSON type: the checked types of
//! `config` (`Scenario`, `Policy`, `Deployment`, `Commitments`) are built from these.
//! Keys are camelCase, as the source documents write them. Serialising a mirror gives
//! the resolved input (defaults filled in) that the inputs hash covers.

mod capital;
mod commitments;
mod deployment;
mod policy;
mod runbook;
mod scenario;

pub use capital::{
    RawCapital, RawCollateralComponent, RawExternalAsset, RawPeg, RawRedemptions, RawSleeve,
    RawVolatility,
};
pub use commitments::{RawCommitment, RawCommitments};
pub use deployment::{RawChain, RawDeployedPool, RawDeployment};
pub use policy::{
    RawBreakerPolicy, RawBreakerState, RawEvidenceGate, RawGates, RawLeveragePolicy, RawLtvPolicy,
    RawOptimizerWeights, RawPegPolicy, RawPolicy, RawRoutingGates, RawSpreadPolicy,
    RawVolatilityPolicy,
};
pub use runbook::{
    RawAllocation, RawDeleverage, RawFeeTier, RawPegCircuitBreaker, RawRedemptionThrottle,
    RawRunbook, RawSourceRef, RawTreasuryDeployment,
};
pub use scenario::{
    RawArbitrage, RawBackgroundAmm, RawBot, RawBridges, RawChainWeight, RawDesignPools,
    RawExternalRoute, RawLane, RawMonteCarlo, RawOptimizer, RawOrderFlow, RawRouter, RawScenario,
    RawShock, RawSize,
};
