//! pmmsim: Monte Carlo risk simulator for cross-chain stablecoin PMM liquidity pools
//! and the treasury capital behind them.
//!
//! The modules are layers, each importing only from those below it; `docs/architecture.md`
//! lists them, the import rule and where to add a new piece.

pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diff;
pub mod engine;
pub mod error;
pub mod fuzzing;
pub mod gates;
pub mod model;
pub mod optimizer;
pub mod report;
pub mod scorecard;
pub mod shard;
pub mod stats;
pub mod timings;
