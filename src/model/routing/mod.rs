//! The routing layer of one path and one epoch: the router (up to K cheapest candidate
//! routes per trade, sent whole or water-filled in chunks), then the arbitrage step (its
//! amount in closed form), then the inventory bot. It mutates the pools and reports
//! flows; it draws no random numbers (trades come in from `flow`) and keeps no history
//! (the engine accumulates what it reports).
//!
//! - `state`: the pools' mutable state and the epoch's conditions;
//! - `flows`: what one epoch did;
//! - `layer`: [`RoutingLayer`], its settings and the epoch step;
//! - `router`: routing one trade;
//! - `plan`, `prices`: the route table compiled for the router, and the epoch's price
//!   tables it reads (pools priced at their balances, fee and link factors);
//! - `arbitrage`, `bot`: the two steps after routing.

mod arbitrage;
mod bot;
mod flows;
mod layer;
mod plan;
mod prices;
mod router;
mod state;

pub use flows::EpochFlows;
pub use layer::{RoutingLayer, RoutingParams};
pub use router::RouterScratch;
pub use state::{Conditions, RoutingState};
