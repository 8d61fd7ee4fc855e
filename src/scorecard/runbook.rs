//! The runbook block of the capital metrics: for each action that is on, how often it
//! triggered and what it cost (model.md, "Runbook procedures"), and the scenario's
//! allocation-target mode when it is not `fixed`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::config::runbook::Runbook;
use crate::engine::outcome::CapitalOutcome;
use crate::model::runbook::{RunbookTally, committed_usd};
use crate::stats::weighted::{self, Weights};

/// What the runbook's actions did over the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RunbookMetrics {
    /// One entry per action that is on, in the order throttle, deployment, breaker,
    /// deleverage.
    pub actions: Vec<RunbookAction>,
    /// Treasury deployment: the sum of the documented commitments it may draw on, USD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_committed_usd: Option<f64>,
    /// Treasury deployment: the largest amount requested on any path, USD (never above
    /// `deployment_committed_usd`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_requested_max_usd: Option<f64>,
}

/// One runbook action's triggers and cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RunbookAction {
    /// `redemption_throttle`, `treasury_deployment`, `peg_circuit_breaker` or `deleverage`.
    pub action: String,
    /// Triggers over all paths: entries into a charged fee, requests to the treasury's
    /// sources, breaker trips, deleverage triggers (at most one per path).
    pub triggers_total: u64,
    pub triggers_per_path: f64,
    pub triggers_per_path_se: f64,
    /// Epochs the action was in force, mean per path (for deployment: epochs with a request).
    pub epochs_active_per_path: f64,
    /// The action's cost, mean per path, USD; what it measures is `cost_basis`.
    pub cost_mean_usd: f64,
    pub cost_mean_usd_se: f64,
    /// What `cost_mean_usd` is.
    pub cost_basis: String,
}

/// The runbook metrics of a run whose postures ran `runbook`; `None` when no action is on.
pub fn runbook_metrics(
    caps: &[&CapitalOutcome],
    weights: Option<Weights>,
    runbook: &Runbook,
) -> Option<RunbookMetrics> {
    if !runbook.any() {
        return None;
    }
    let tallies: Vec<RunbookTally> = caps
        .iter()
        .map(|c| c.runbook.as_deref().copied().unwrap_or_default())
        .collect();
    let mean = |f: &dyn Fn(&RunbookTally) -> f64| {
        let v: Vec<f64> = tallies.iter().map(f).collect();
        weighted::mean(&v, weights)
    };
    let action = |name: &str,
                  triggers: &dyn Fn(&RunbookTally) -> u32,
                  epochs: &dyn Fn(&RunbookTally) -> u32,
                  cost: &dyn Fn(&RunbookTally) -> f64,
                  basis: &str| {
        let t = mean(&|r| f64::from(triggers(r)));
        let c = mean(cost);
        RunbookAction {
            action: name.to_string(),
            triggers_total: tallies.iter().map(|r| u64::from(triggers(r))).sum(),
            triggers_per_path: t.mean,
            triggers_per_path_se: t.se,
            epochs_active_per_path: mean(&|r| f64::from(epochs(r))).mean,
            cost_mean_usd: c.mean,
            cost_mean_usd_se: c.se,
            cost_basis: basis.to_string(),
        }
    };
    let mut actions = Vec::new();
    if runbook.redemption_throttle.is_some() {
        actions.push(action(
            "redemption_throttle",
            &|r| r.throttle_triggers,
            &|r| r.throttle_epochs,
            &|r| r.throttle_fees_usd,
            "redemption fees withheld from redeeming holders",
        ));
    }
    if runbook.treasury_deployment.is_some() {
        actions.push(action(
            "treasury_deployment",
            &|r| r.deployment_triggers,
            &|r| r.deployment_triggers,
            &|r| r.deployment_requested_usd,
            "treasury liquidity drawn from the documented commitments",
        ));
    }
    if runbook.peg_circuit_breaker.is_some() {
        actions.push(action(
            "peg_circuit_breaker",
            &|r| r.breaker_triggers,
            &|r| r.breaker_epochs,
            &|r| r.breaker_withheld_usd,
            "rebalancing inflow withheld from the PMM while tripped",
        ));
    }
    if runbook.deleverage.is_some() {
        actions.push(action(
            "deleverage",
            &|r| r.delever_triggers,
            &|r| r.delever_epochs,
            &|r| r.delever_cost_usd,
            "unwind costs of the deleveraging the cap forced",
        ));
    }
    let deployment = runbook.treasury_deployment.as_ref();
    Some(RunbookMetrics {
        actions,
        deployment_committed_usd: deployment.map(committed_usd),
        deployment_requested_max_usd: deployment.map(|_| {
            tallies
                .iter()
                .map(|r| r.deployment_requested_usd)
                .fold(0.0, f64::max)
        }),
    })
}
