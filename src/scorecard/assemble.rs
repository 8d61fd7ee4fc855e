//! Builds a whole `Scorecard` from a run's batches: the routing metrics, the capital
//! metrics of the scenario's own posture, and the gates. Used by `run` and by `merge`,
//! so a merged sharded run and an unsharded run go through the very same code.

use super::{InputsInfo, RunInfo, SCHEMA_VERSION, Scorecard, build, capital, gates};
use crate::engine::{BatchResult, Setup};

/// The scorecard of `batches` (all of a run's batches, in order).
pub fn assemble(
    setup: &Setup,
    inputs_hash: &str,
    batches: &[BatchResult],
    run_info: RunInfo,
) -> Scorecard {
    let mc = setup.scenario.monte_carlo;
    let (paths, totals) = build::merge_batches(batches, setup);
    let routing = build::routing_metrics(setup, &paths, &totals);
    let mut gates = gates::routing_gates(&routing, &setup.policy, setup.scenario.stress_profile);
    let capital = setup.scenario.capital.as_ref().and_then(|spec| {
        let c = setup.default_candidate()?;
        capital::capital_metrics(&paths, spec.initial_capital, &c, mc.epochs)
    });
    if let (Some(m), Some(spec)) = (&capital, &setup.scenario.capital) {
        gates.extend(capital::capital_gates(
            m,
            &setup.policy,
            spec.deployable_profile,
        ));
    }
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
        gates,
        optimizer: None,
        run_info,
    }
}
