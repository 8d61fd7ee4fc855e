//! Builds a whole `Scorecard` from a run's batches: the routing metrics, the capital
//! metrics of the scenario's own posture, and the gates, every estimate weighted when the
//! paths carry importance weights (`--rare-events`). Used by `run` and by `merge`, so a
//! merged sharded run and an unsharded run go through the very same code.

use super::{InputsInfo, RunInfo, SCHEMA_VERSION, Scorecard, build, capital, distributions, rare};
use crate::engine::outcome::CapitalOutcome;
use crate::engine::{BatchResult, RareEvents, Setup};
use crate::gates::{self, Confidence};
use crate::stats::weighted::Weights;

/// The scorecard of `batches` (all of a run's batches, in order), its gates decided at the
/// policy's confidence in one look.
pub fn assemble(
    setup: &Setup,
    inputs_hash: &str,
    batches: &[BatchResult],
    run_info: RunInfo,
) -> Scorecard {
    let confidence = Confidence::fixed(setup.policy.gates.confidence);
    assemble_at(setup, inputs_hash, batches, run_info, &confidence)
}

/// [`assemble`] with the gates decided at `confidence` (a sized run's later looks).
pub fn assemble_at(
    setup: &Setup,
    inputs_hash: &str,
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
        capital::capital_metrics(
            &paths,
            weights,
            spec.initial_capital,
            &c,
            mc.epochs,
            mc.epoch_days,
        )
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
            inputs_hash: inputs_hash.to_string(),
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
        run_info,
    }
}
