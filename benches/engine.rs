//! Whole runs through the engine on one thread: a small routing-only scenario, a small
//! capital scenario, the optimizer sweep (every candidate on the same paths) next to
//! one candidate's run of those paths, and building a scenario's setup.
//! Throughput is in path-epochs (times candidates for the sweep).

mod common;

use std::time::Duration;

use common::setup;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pmmsim::engine::{self, Setup, Shard};
use pmmsim::optimizer;

fn scenario(c: &mut Criterion) {
    let mut g = c.benchmark_group("scenario");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    for (name, paths) in [
        ("hub_only_11", 16),
        ("chain138_deployed_capital_efficiency", 16),
    ] {
        let s = setup(name, paths);
        let epochs = u64::from(s.scenario.monte_carlo.epochs);
        g.throughput(Throughput::Elements(paths * epochs));
        g.bench_function(format!("{name}/{paths}_paths"), |b| {
            b.iter(|| {
                engine::with_threads(1, || {
                    engine::run_paths(
                        &s,
                        s.default_candidate(),
                        Shard::ALL.path_range(paths),
                        &|_| {},
                    )
                })
                .expect("thread pool")
            })
        });
    }
    g.finish();
}

fn sweep(c: &mut Criterion) {
    let name = "leverage_sweep_1x_to_4x";
    let paths = 4;
    let s = setup(name, paths);
    let spec = s.scenario.capital.as_ref().expect("capital scenario");
    let grid = optimizer::grid(s.scenario.optimizer.as_ref(), spec, &s.policy);
    let epochs = u64::from(s.scenario.monte_carlo.epochs);
    let mut g = c.benchmark_group("sweep");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(
        paths * epochs * grid.candidates.len() as u64,
    ));
    g.bench_function(
        format!("{name}/{}_candidates_{paths}_paths", grid.candidates.len()),
        |b| {
            b.iter(|| {
                engine::with_threads(1, || {
                    engine::sweep::run_sweep(
                        &s,
                        &grid.candidates,
                        Shard::ALL.path_range(paths),
                        &|_| {},
                    )
                })
                .expect("thread pool")
            })
        },
    );
    // The same paths at the scenario's own posture alone: the target is the sweep's whole
    // grid at most 2.5x this.
    g.throughput(Throughput::Elements(paths * epochs));
    g.bench_function(format!("{name}/1_candidate_{paths}_paths"), |b| {
        b.iter(|| {
            engine::with_threads(1, || {
                engine::run_paths(
                    &s,
                    s.default_candidate(),
                    Shard::ALL.path_range(paths),
                    &|_| {},
                )
            })
            .expect("thread pool")
        })
    });
    g.finish();
}

/// Building a scenario's `Setup` (graph, candidate routes, order flow, shock schedule):
/// paid once per run, and once per scenario by `validate`.
fn setup_cost(c: &mut Criterion) {
    let mut g = c.benchmark_group("setup");
    g.sample_size(20);
    for name in ["hub_only_11", "chain138_deployed_capital_efficiency"] {
        let s = setup(name, 1);
        g.bench_function(name, |b| {
            b.iter(|| Setup::new(s.scenario.clone(), s.policy.clone()).expect("setup builds"))
        });
    }
    g.finish();
}

criterion_group!(benches, scenario, sweep, setup_cost);
criterion_main!(benches);
