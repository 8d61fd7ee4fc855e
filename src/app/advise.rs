//! The runbook advisor (`run --advise`): for each operator procedure that answers a failed
//! gate, the posture after it is simulated on the same seed and paths (common random
//! numbers) and every gate is decided again.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::Progress;
use super::run::{PreparedRun, simulate};
use crate::config::{ResolvedInputs, RunInputs};
use crate::engine::{RareEvents, Setup};
use crate::error::Result;
use crate::gates::{Procedure, Verdict};
use crate::scorecard::Scorecard;
use crate::scorecard::advice::{GateAfter, ProcedureAdvice};

/// Where the advisor finds the treasury commitments a simulated deployment draws on
/// (`None`: not at hand).
pub type CommitmentsSource<'a> = &'a dyn Fn() -> Result<Option<Value>>;

/// The redemption fee schedule the advisor switches on: the one of the shipped scenario
/// `bank_run_with_redemption_throttle` (a test keeps them equal).
pub fn throttle_schedule() -> Value {
    json!({
        "enabled": true,
        "schedule": [
            { "driver": "drawdown", "above": 0.02, "fee": 0.005 },
            { "driver": "drawdown", "above": 0.05, "fee": 0.01 },
            { "driver": "pegDeviation", "above": 0.01, "fee": 0.005 },
            { "driver": "pegDeviation", "above": 0.02, "fee": 0.01 }
        ],
        "pauseNonEssentialOutflows": true
    })
}

/// The advice for `card`: one entry per procedure answering at least one failed gate, in
/// the runbook's order; empty when no gate failed.
pub fn advise(
    card: &Scorecard,
    commitments: CommitmentsSource,
    threads: usize,
    progress: &dyn Progress,
) -> Result<Vec<ProcedureAdvice>> {
    let leverage = card.capital.as_ref().map(|c| c.leverage);
    let mut wanted: BTreeMap<Procedure, Vec<String>> = BTreeMap::new();
    for gate in card.gates.iter().filter(|g| g.verdict == Verdict::Fail) {
        for procedure in Procedure::answering(&gate.name, leverage) {
            wanted.entry(procedure).or_default().push(gate.name.clone());
        }
    }
    let mut advice = Vec::with_capacity(wanted.len());
    for (procedure, answers) in wanted {
        let mut entry = ProcedureAdvice {
            procedure,
            answers,
            change: None,
            not_simulated: None,
            gates_after: Vec::new(),
            all_pass_after: None,
            commitments: None,
        };
        let resolved = &card.resolved_inputs.resolved;
        match posture_after(procedure, resolved, card.inputs.paths, commitments)? {
            Posture::Skip(reason) => entry.not_simulated = Some(reason),
            Posture::Simulate {
                inputs,
                change,
                commitments,
            } => {
                progress.note(&format!("advice: {} ({change})", procedure.title()));
                let after =
                    simulate_posture(*inputs, card.rare_events.is_some(), threads, progress)?;
                entry.gates_after = GateAfter::pair(&card.gates, &after.gates);
                entry.all_pass_after = Some(after.gates.iter().all(|g| g.verdict == Verdict::Pass));
                entry.change = Some(change);
                entry.commitments = commitments;
            }
        }
        advice.push(entry);
    }
    Ok(advice)
}

/// The inputs after a procedure, or why it is not simulated.
enum Posture {
    Simulate {
        inputs: Box<ResolvedInputs>,
        change: String,
        commitments: Option<Value>,
    },
    Skip(String),
}

/// `resolved` after `procedure`, at `paths` paths (a sized run's last look).
fn posture_after(
    procedure: Procedure,
    resolved: &ResolvedInputs,
    paths: u64,
    commitments: CommitmentsSource,
) -> Result<Posture> {
    let mut inputs = resolved.clone();
    inputs.scenario["monteCarlo"]["paths"] = json!(paths);
    if !inputs.scenario["capitalEfficiency"].is_object() {
        return Ok(Posture::Skip(
            "the scenario has no capital block to act on".into(),
        ));
    }
    let already_on = |action: &str| {
        Posture::Skip(format!(
            "`{action}` is already on in this run; the runbook has nothing further to try"
        ))
    };
    let mut used = None;
    let ce = &mut inputs.scenario["capitalEfficiency"];
    let change = match procedure {
        Procedure::Deleverage => {
            let leverage = ce["leverage"].as_f64().unwrap_or(1.0);
            let cap = resolved.policy["leverage"]["deployableCap"]
                .as_f64()
                .unwrap_or(1.0);
            let (target, why) = if leverage > cap {
                (cap, "the policy's deployable cap")
            } else if leverage > 1.0 {
                (1.0, "no leverage: it is already within the deployable cap")
            } else {
                return Ok(Posture::Skip(format!(
                    "the sleeve is not levered ({leverage}x)"
                )));
            };
            ce["leverage"] = json!(target);
            format!("leverage {leverage}x to {target}x ({why})")
        }
        Procedure::SpreadWidening => {
            return Ok(Posture::Skip(
                "spreads already widen with the breaker (the policy's `spread` block) in \
                 every capital run; a routing gate is answered by the pools' fees and depths \
                 in the deployment, which the runbook does not set"
                    .into(),
            ));
        }
        Procedure::RedemptionThrottle => {
            if action_on(resolved, "redemptionThrottle") {
                return Ok(already_on("redemptionThrottle"));
            }
            ce["runbook"]["redemptionThrottle"] = throttle_schedule();
            "redemption throttle on: fee 0.5% past 2% drawdown or 1% peg deviation, 1% past \
             5% drawdown or 2% peg deviation; non-essential outflows paused"
                .into()
        }
        Procedure::TreasuryLiquidityDeployment => {
            if action_on(resolved, "treasuryDeployment") {
                return Ok(already_on("treasuryDeployment"));
            }
            let Some(c) = commitments()? else {
                return Ok(Posture::Skip(
                    "the treasury commitments are not at hand (a scorecard run with `--from` \
                     carries them only when its own advice used them)"
                        .into(),
                ));
            };
            ce["runbook"]["treasuryDeployment"] = json!({ "enabled": true });
            used = Some(c);
            "treasury liquidity deployment on: the reserve is topped up to the floor from \
             the documented commitments, within their amounts and latencies"
                .into()
        }
        Procedure::PegCircuitBreaker => {
            if action_on(resolved, "pegCircuitBreaker") {
                return Ok(already_on("pegCircuitBreaker"));
            }
            ce["runbook"]["pegCircuitBreaker"] = json!({ "enabled": true });
            "peg circuit breaker on: no liquidity added to the pools past the policy's \
             circuit-break deviation, until the peg is back within its deviation threshold"
                .into()
        }
    };
    inputs.commitments = inputs.commitments.or_else(|| used.clone());
    Ok(Posture::Simulate {
        inputs: Box::new(inputs),
        change,
        commitments: used,
    })
}

/// Whether runbook `action` is on: the scenario's block when it has one, else the policy's.
fn action_on(resolved: &ResolvedInputs, action: &str) -> bool {
    let scenario = &resolved.scenario["capitalEfficiency"]["runbook"][action];
    let block = if scenario.is_object() {
        scenario
    } else {
        &resolved.policy["runbook"][action]
    };
    block["enabled"] == json!(true)
}

/// Simulates `inputs` (checked again, as for `run --from`).
fn simulate_posture(
    inputs: ResolvedInputs,
    rare_events: bool,
    threads: usize,
    progress: &dyn Progress,
) -> Result<Scorecard> {
    let run = RunInputs::from_resolved(inputs, "<advice>")?;
    let mut setup = Setup::new(run.scenario, run.policy)?;
    if rare_events {
        setup.enable_rare_events(RareEvents::DEFAULT);
    }
    let prepared = PreparedRun {
        setup,
        inputs_hash: run.inputs_hash,
        inputs: run.resolved,
    };
    simulate(&prepared, threads, progress)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_throttle_is_the_shipped_bank_runs() {
        let text = include_str!("../../config/scenarios/bank_run_with_redemption_throttle.json");
        let scenario: Value = serde_json::from_str(text).expect("JSON");
        assert_eq!(
            scenario["capitalEfficiency"]["runbook"]["redemptionThrottle"],
            throttle_schedule()
        );
    }

    fn inputs(leverage: f64) -> ResolvedInputs {
        ResolvedInputs {
            scenario: json!({ "monteCarlo": { "paths": 10 }, "capitalEfficiency": { "leverage": leverage } }),
            policy: json!({ "leverage": { "deployableCap": 1.5 } }),
            deployment: json!({}),
            commitments: None,
        }
    }

    fn change(p: Procedure, r: &ResolvedInputs) -> (Option<ResolvedInputs>, String) {
        match posture_after(p, r, 40, &|| Ok(Some(json!({ "commitments": [] })))).unwrap() {
            Posture::Simulate { inputs, change, .. } => (Some(*inputs), change),
            Posture::Skip(reason) => (None, reason),
        }
    }

    #[test]
    fn deleverage_goes_to_the_cap_then_to_no_leverage() {
        let (after, _) = change(Procedure::Deleverage, &inputs(3.0));
        let after = after.expect("simulated");
        assert_eq!(after.scenario["capitalEfficiency"]["leverage"], json!(1.5));
        assert_eq!(after.scenario["monteCarlo"]["paths"], json!(40));
        let (after, _) = change(Procedure::Deleverage, &inputs(1.5));
        assert_eq!(
            after.expect("simulated").scenario["capitalEfficiency"]["leverage"],
            json!(1.0)
        );
        assert!(change(Procedure::Deleverage, &inputs(1.0)).0.is_none());
    }

    #[test]
    fn an_action_already_on_in_the_policy_or_scenario_is_not_simulated_again() {
        let mut r = inputs(1.0);
        r.policy["runbook"]["pegCircuitBreaker"] = json!({ "enabled": true });
        assert!(change(Procedure::PegCircuitBreaker, &r).0.is_none());
        // The scenario's block replaces the policy's.
        r.scenario["capitalEfficiency"]["runbook"]["pegCircuitBreaker"] =
            json!({ "enabled": false });
        assert!(change(Procedure::PegCircuitBreaker, &r).0.is_some());
    }

    #[test]
    fn deployment_carries_the_commitments_it_draws_on() {
        let (after, _) = change(Procedure::TreasuryLiquidityDeployment, &inputs(1.0));
        let after = after.expect("simulated");
        assert_eq!(after.commitments, Some(json!({ "commitments": [] })));
        let skipped = posture_after(
            Procedure::TreasuryLiquidityDeployment,
            &inputs(1.0),
            40,
            &|| Ok(None),
        )
        .unwrap();
        assert!(matches!(skipped, Posture::Skip(_)));
    }
}
