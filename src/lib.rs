//! pmmsim: Monte Carlo risk simulator for cross-chain stablecoin PMM liquidity pools
//! and the treasury capital behind them.

pub mod model;
pub mod stats;
pub mod config;
pub mod error;
pub mod engine;
pub mod scorecard;
pub mod cli;
pub mod commands;
pub mod report;
