//! Builds a whole `Scorecard` from a run's batches: the routing metrics, the capital
//! metrics of the scenario's own posture, and the gates, every estimate weighted when the
//! paths carry importance weights (`--rare-events`). Used by `run` and by `merge`, so a
//! merged sharded run and an unsharded run go through the very same code.

use super::seal::EmbeddedInputs;
use super::{
    InputsInfo, RunInfo, SCHEMA_VERSION, Scorecard, build, capital, distributions, rare, runbook,
};
use crate::config::ResolvedInputs;
use crate::config::runbook::AllocationMode;
use crate::engine::outcome::CapitalOutcome;
use crate::engine::{BatchResult, RareEvents, Setup};
use crate::gates::{self, Confidence};
use crate::stats::weighted::Weights;

/// The scorecard of `batches` (all of a run's batches, in order), its gates decided at the
/// policy's confidence in one look.
pub fn assemble(
    setup: &Setup,
    inputs: &ResolvedInputs,
    batches: &[BatchResult],
    run_info: RunInfo,
) -> Scorecard {
    let confidence = Confidence::fixed(setup.policy.gates.confidence);
    assemble_at(setup, inputs, batches, run_info, &confidence)
}

/// [`assemble`] with the gates decided at `confidence` (a sized run's later looks).
pub fn assemble_at(
    setup: &Setup,
    inputs: &ResolvedInputs,
    batches: &[BatchResult],
    run_info: RunInfo,
    confidence: &Confidence,
) -> Scorecard {
    let mc = setup.scenario.monte_carlo;
    let (paths, totals) = build::merge_batches(batches, setup);
    // An importance-sampled run's paths carry their weights (also through a sharded
    // run's partial results); a plain run's carry none and every estimate stays plain.
    let path_weights: Option<Vec<f64>> = paths
        .iter()
        .any(|p| p.importance.is_some())
        .then(|| paths.iter().map(|p| p.weight()).collect());
    let weights = path_weights.as_deref().map(|w| Weights {
        w,
        bound: setup
            .rare
            .map_or(RareEvents::DEFAULT, |r| r.params)
            .weight_bound(),
    });
    let routing = build::routing_metrics(setup, &paths, &totals, weights);
    let mut gates = gates::routing_gates(
        &paths,
        weights,
        &setup.policy,
        confidence,
        setup.scenario.stress_profile,
    );
    let capital = setup.scenario.capital.as_ref().and_then(|spec| {
        let c = setup.default_candidate()?;
        let mut metrics = capital::capital_metrics(
            &paths,
            weights,
            spec.initial_capital,
            &c,
            mc.epochs,
            mc.epoch_days,
        )?;
        let caps: Vec<(&CapitalOutcome, f64)> = paths
            .iter()
            .filter_map(|p| p.capital.as_ref().map(|c| (c, p.weight())))
            .collect();
        let (outcomes, w): (Vec<&CapitalOutcome>, Vec<f64>) = caps.into_iter().unzip();
        let cap_weights = weights.map(|all| Weights {
            w: &w,
            bound: all.bound,
        });
        metrics.runbook = runbook::runbook_metrics(&outcomes, cap_weights, &spec.runbook);
        if spec.runbook.treasury_deployment.is_some() {
            metrics.pnl_attribution.push(deployment_term(
                &outcomes,
                cap_weights,
                spec.initial_capital,
            ));
        }
        metrics.allocation_mode =
            (spec.allocation != AllocationMode::Fixed).then(|| spec.allocation.word().to_string());
        Some(metrics)
    });
    if let (Some(_), Some(spec)) = (&capital, &setup.scenario.capital) {
        let outcomes: Vec<&CapitalOutcome> =
            paths.iter().filter_map(|p| p.capital.as_ref()).collect();
        let cap_w: Option<Vec<f64>> = weights.map(|_| {
            paths
                .iter()
                .filter(|p| p.capital.is_some())
                .map(|p| p.weight())
                .collect()
        });
        let cap_weights = weights.zip(cap_w.as_deref()).map(|(w, cw)| Weights {
            w: cw,
            bound: w.bound,
        });
        gates.extend(gates::capital_gates_weighted(
            &outcomes,
            cap_weights,
            mc.epochs,
            &setup.policy,
            confidence,
            spec.deployable_profile,
        ));
    }
    let distributions = capital
        .as_ref()
        .and_then(|_| distributions::distributions(&paths, totals.epoch_series.as_ref()));
    let g = &setup.graph;
    Scorecard {
        schema_version: SCHEMA_VERSION,
        scenario: setup.scenario.name.clone(),
        description: setup.scenario.description.clone(),
        inputs: InputsInfo {
            inputs_hash: inputs.hash(),
            seed: mc.seed,
            paths: mc.paths,
            epochs: mc.epochs,
            epoch_days: mc.epoch_days,
            graph_mode: setup.scenario.graph.mode.as_str().to_string(),
            topology: setup.scenario.graph.topology.as_str().to_string(),
            pool_count: g.pools.len() as u64,
            link_count: g.links.len() as u64,
            route_count: g.routes.len() as u64,
        },
        routing,
        capital,
        distributions,
        gates,
        optimizer: None,
        sizing: None,
        rare_events: rare::report(setup, &paths, weights),
        advice: None,
        resolved_inputs: EmbeddedInputs::new(inputs.clone()),
        digest: String::new(),
        run_info,
    }
}

/// The attribution row of the treasury liquidity the runbook deployed into the reserve (an
/// external inflow): with it, the terms add up to `capital_return_mean`.
fn deployment_term(
    outcomes: &[&CapitalOutcome],
    weights: Option<Weights>,
    t0: f64,
) -> capital::AttributionTerm {
    let v: Vec<f64> = outcomes
        .iter()
        .map(|c| c.runbook.as_ref().map_or(0.0, |r| r.deployed_usd) / t0)
        .collect();
    let share = crate::stats::weighted::mean(&v, weights);
    capital::AttributionTerm {
        term: "treasury_deployment".to_string(),
        mean_usd: share.mean * t0,
        roi_contribution: share.mean,
        roi_contribution_se: share.se,
    }
}
