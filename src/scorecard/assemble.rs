//! Builds a whole `Scorecard` from a run's batches: the routing metrics, the capital
//! metrics of the scenario's own posture, and the gates. Used by `run` and by `merge`,
//! so a merged sharded run and an unsharded run go through the very same code.

use super::{InputsInfo, RunInfo, SCHEMA_VERSION, Scorecard, build, capital};
use crate::engine::outcome::CapitalOutcome;
use crate::engine::{BatchResult, Setup};
use crate::gates::{self, Confidence};

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
    let routing = build::routing_metrics(setup, &paths, &totals);
    let mut gates = gates::routing_gates(
        &paths,
        &setup.policy,
        confidence,
        setup.scenario.stress_profile,
    );
    let capital = setup.scenario.capital.as_ref().and_then(|spec| {
        let c = setup.default_candidate()?;
        capital::capital_metrics(&paths, spec.initial_capital, &c, mc.epochs, mc.epoch_days)
    });
    if let (Some(_), Some(spec)) = (&capital, &setup.scenario.capital) {
        let outcomes: Vec<&CapitalOutcome> =
            paths.iter().filter_map(|p| p.capital.as_ref()).collect();
        gates.extend(gates::capital_gates(
            &outcomes,
            mc.epochs,
            &setup.policy,
            confidence,
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
        sizing: None,
        run_info,
    }
}
