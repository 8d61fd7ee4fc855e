//! The `sizing` block of a sized run's scorecard: the looks taken and the paths each
//! gate took to resolve (`app::sized` fills it).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How a sized run went: its looks, and the paths each gate took to resolve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Sizing {
    /// The policy's confidence level; each look's intervals are at
    /// `1 - (1 - confidence) / looks_planned`.
    pub confidence: f64,
    pub looks_planned: u32,
    /// The path budget.
    pub max_paths: u64,
    /// Every critical gate resolved before the budget ran out.
    pub resolved: bool,
    /// The looks taken, in order.
    pub looks: Vec<Look>,
    /// Each gate, with the paths at its first resolved look.
    pub gates: Vec<GateSizing>,
}

/// One look at the data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Look {
    pub paths: u64,
    /// Critical gates still inconclusive at this look.
    pub unresolved_critical: Vec<String>,
}

/// The paths one gate took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GateSizing {
    pub name: String,
    /// Paths at the first look where its verdict was pass or fail; `null` if never.
    pub resolved_at_paths: Option<u64>,
}
