//! Validated parameters of the capital overlay's model pieces, built by the config checks
//! and run by `model`: each type's `new()` checks its ranges and returns `Result`, so
//! holding one means it is valid. The dynamics that use them live in `model`; this layer
//! only knows the numbers and their allowed ranges.

mod peg;
mod rebalance;
mod redemptions;
mod sleeve;
#[cfg(test)]
pub(crate) use sleeve::example_inputs as example_sleeve_inputs;
mod volatility;

use std::fmt;

pub use peg::PegParams;
pub use rebalance::rebalance_rate;
pub use redemptions::RedemptionParams;
pub use sleeve::{SleeveInputs, SleeveParams};
pub use volatility::{GarchParams, JumpParams, VolatilityModel, VolatilityParams};

/// A model parameter outside its allowed range. `field` is the config key (camelCase, as
/// users write it) so the config layer can point at the JSON path.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamError {
    pub field: &'static str,
    pub message: String,
}

impl ParamError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ParamError {}
