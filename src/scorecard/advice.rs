//! The runbook advice of a run with `--advise`: for each procedure that answers a failed
//! gate, the posture simulated after it on the same paths and every gate's verdict then.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::gates::{Gate, Procedure, Verdict};

/// One procedure's advice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProcedureAdvice {
    pub procedure: Procedure,
    /// The failed gates it answers.
    pub answers: Vec<String>,
    /// The posture simulated after the procedure, in words (`null` when not simulated).
    pub change: Option<String>,
    /// Why it was not simulated (`null` when it was).
    pub not_simulated: Option<String>,
    /// Every gate before and after, on the same seed and paths (empty when not simulated).
    pub gates_after: Vec<GateAfter>,
    /// Every gate passes after the procedure (`null` when not simulated).
    pub all_pass_after: Option<bool>,
    /// The treasury commitments the simulated deployment drew on (only for
    /// `treasury_liquidity_deployment`, so that `run --from` can simulate it again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub commitments: Option<serde_json::Value>,
}

/// A gate before and after a procedure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GateAfter {
    pub gate: String,
    pub verdict_before: Verdict,
    pub verdict_after: Verdict,
    pub value_before: f64,
    pub value_after: f64,
}

impl GateAfter {
    /// Pairs the gates of a run with those of the same run after a procedure, by name.
    pub fn pair(before: &[Gate], after: &[Gate]) -> Vec<Self> {
        after
            .iter()
            .filter_map(|a| {
                let b = before.iter().find(|b| b.name == a.name)?;
                Some(Self {
                    gate: a.name.clone(),
                    verdict_before: b.verdict,
                    verdict_after: a.verdict,
                    value_before: b.value,
                    value_after: a.value,
                })
            })
            .collect()
    }
}
